/** The first-run step `npm start` prints: the one-time link creates the first lead, once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { call, testService } from './helpers';

const TOKEN = 'first-run-token-0123456789';
let service: Service;

beforeAll(async () => {
  service = await testService({ setupToken: TOKEN });
}, 180_000);
afterAll(async () => service?.close());

it('creates the first lead from the printed link, logs them in, and then closes', async () => {
  expect((await call(service.app, 'GET', '/api/setup')).json).toEqual({ setupNeeded: true });
  const wrong = await call(service.app, 'POST', '/api/setup', { body: { token: 'not-the-token-000', name: 'Mallory', password: 'long enough password' } });
  expect(wrong.status).toBe(403);
  const short = await call(service.app, 'POST', '/api/setup', { body: { token: TOKEN, name: 'Lan', password: 'short' } });
  expect(short.status).toBe(400);
  expect(short.json.error).toMatch(/at least 10 characters/);

  const ok = await call(service.app, 'POST', '/api/setup', { body: { token: TOKEN, name: 'Lan', password: 'long enough password' } });
  expect(ok.status).toBe(201);
  const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
  expect((await call(service.app, 'GET', '/api/session', { cookie })).json.lead).toEqual({ id: ok.json.lead.id, name: 'Lan', isAdmin: true, isTrainer: true, mustChangePassword: false });

  const again = await call(service.app, 'POST', '/api/setup', { body: { token: TOKEN, name: 'Second', password: 'long enough password' } });
  expect(again.status).toBe(403);
  expect((await call(service.app, 'GET', '/api/setup')).json).toEqual({ setupNeeded: false });
  const login = await call(service.app, 'POST', '/api/login', { body: { name: 'Lan', password: 'long enough password' } });
  expect(login.status).toBe(200);
});
