/** Who may read what: trainees only their own attempts, leads only their own cohorts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

let service: Service;
let leadA: string;
let leadB: string;
let cohortA: { id: number; code: string };
let cohortB: { id: number; code: string };
let ann: { token: string; id: number };
let bob: { token: string; id: number };
let annAttempt: string;
let bobAttempt: string;

beforeAll(async () => {
  service = await testService({ limits: { login: { burst: 100, perSecond: 100 } } });
  await addLead(service, 'Lead A');
  await addLead(service, 'Lead B');
  leadA = await login(service, 'Lead A');
  leadB = await login(service, 'Lead B');
  cohortA = await newCohort(service, leadA, 'A team');
  cohortB = await newCohort(service, leadB, 'B team');
  ann = await join(service, cohortA.code, 'Ann');
  bob = await join(service, cohortB.code, 'Bob');
  const a = makeAttempt(service, 'practice-call');
  const b = makeAttempt(service, 'practice-call');
  expect((await call(service.app, 'POST', '/api/attempts', { body: a, token: ann.token })).status).toBe(201);
  expect((await call(service.app, 'POST', '/api/attempts', { body: b, token: bob.token })).status).toBe(201);
  annAttempt = a.attemptId;
  bobAttempt = b.attemptId;
}, 180_000);
afterAll(async () => service?.close());

describe('a trainee', () => {
  it('reads their own attempt but not another trainee’s', async () => {
    expect((await call(service.app, 'GET', `/api/attempts/${annAttempt}`, { token: ann.token })).status).toBe(200);
    const other = await call(service.app, 'GET', `/api/attempts/${bobAttempt}`, { token: ann.token });
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('Bob');
    const mine = await call(service.app, 'GET', '/api/me/attempts', { token: ann.token });
    expect(mine.json.attempts.map((a: { id: string }) => a.id)).toEqual([annAttempt]);
  });

  it('cannot reach any lead route with a trainee token', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/session'],
      ['GET', '/api/cohorts'],
      ['POST', '/api/cohorts'],
      ['POST', `/api/cohorts/${cohortA.id}/codes`],
      ['DELETE', `/api/cohorts/${cohortA.id}/codes/${cohortA.code}`],
      ['GET', `/api/report?cohort=${cohortA.id}`],
      ['GET', `/api/report.csv?cohort=${cohortA.id}`],
      ['GET', `/api/xapi?cohort=${cohortA.id}`],
      ['GET', `/api/trainees/${ann.id}/attempts`],
    ];
    for (const [method, path] of routes) {
      const r = await call(service.app, method, path, { token: ann.token, ...(method === 'POST' && path === '/api/cohorts' ? { body: { name: 'Mine now' } } : {}) });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });

  it('cannot submit an attempt id another trainee already used', async () => {
    const copy = { ...makeAttempt(service, 'practice-call'), attemptId: bobAttempt };
    const r = await call(service.app, 'POST', '/api/attempts', { body: copy, token: ann.token });
    expect(r.status).toBe(409);
    const bobs = await call(service.app, 'GET', `/api/attempts/${bobAttempt}`, { token: bob.token });
    expect(bobs.json.attempt.traineeName).toBe('Bob');
  });
});

describe('a lead', () => {
  it('sees only their own cohorts', async () => {
    const r = await call(service.app, 'GET', '/api/cohorts', { cookie: leadA });
    expect(r.json.cohorts.map((c: { name: string }) => c.name)).toEqual(['A team']);
  });

  it('cannot read another lead’s report, exports, trainees or attempts', async () => {
    for (const path of [`/api/report?cohort=${cohortB.id}`, `/api/report.csv?cohort=${cohortB.id}`, `/api/xapi?cohort=${cohortB.id}`, `/api/trainees/${bob.id}/attempts`, `/api/attempts/${bobAttempt}`]) {
      const r = await call(service.app, 'GET', path, { cookie: leadA });
      expect(r.status, path).toBe(404);
      expect(r.text).not.toContain('Bob');
    }
    expect((await call(service.app, 'GET', `/api/attempts/${annAttempt}`, { cookie: leadA })).status).toBe(200);
  });

  it('cannot make or revoke join codes in another lead’s cohort', async () => {
    expect((await call(service.app, 'POST', `/api/cohorts/${cohortB.id}/codes`, { cookie: leadA })).status).toBe(404);
    expect((await call(service.app, 'DELETE', `/api/cohorts/${cohortB.id}/codes/${cohortB.code}`, { cookie: leadA })).status).toBe(404);
    // B's code still works.
    expect((await call(service.app, 'POST', '/api/join', { body: { name: 'Cleo', code: cohortB.code } })).status).toBe(201);
  });

  it('revokes a code so nobody joins with it, and makes a new one', async () => {
    const cohort = await newCohort(service, leadA, 'Rotating');
    const fresh = await call(service.app, 'POST', `/api/cohorts/${cohort.id}/codes`, { cookie: leadA });
    expect(fresh.status).toBe(201);
    expect((await call(service.app, 'DELETE', `/api/cohorts/${cohort.id}/codes/${cohort.code}`, { cookie: leadA })).status).toBe(200);
    expect((await call(service.app, 'POST', '/api/join', { body: { name: 'Late', code: cohort.code } })).status).toBe(400);
    expect((await call(service.app, 'POST', '/api/join', { body: { name: 'Late', code: fresh.json.code } })).status).toBe(201);
  });

  it('needs a session: no cookie, a made-up cookie or a wrong password get nothing', async () => {
    expect((await call(service.app, 'GET', `/api/report?cohort=${cohortA.id}`)).status).toBe(401);
    expect((await call(service.app, 'GET', `/api/report?cohort=${cohortA.id}`, { cookie: 'htl_session=forged-session-value-123456' })).status).toBe(401);
    expect((await call(service.app, 'GET', `/api/attempts/${annAttempt}`)).status).toBe(401);
    const wrong = await call(service.app, 'POST', '/api/login', { body: { name: 'Lead A', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const unknown = await call(service.app, 'POST', '/api/login', { body: { name: 'Nobody', password: 'whatever it is' } });
    expect(unknown.json.error).toBe(wrong.json.error);
  });

  it('refuses a change sent from another site’s page', async () => {
    const r = await call(service.app, 'POST', '/api/cohorts', { body: { name: 'CSRF' }, cookie: leadA, headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    const same = await call(service.app, 'POST', '/api/cohorts', { body: { name: 'Same site' }, cookie: leadA, headers: { origin: 'http://localhost' } });
    expect(same.status).toBe(201);
  });
});

describe('forged results', () => {
  it('recomputes: the stored score is the replay’s, whatever the client believes', async () => {
    const poor = makeAttempt(service, 'practice-call', ['greet-wei', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-curt']);
    const r = await call(service.app, 'POST', '/api/attempts', { body: poor, token: ann.token });
    expect(r.status).toBe(201);
    expect(r.json.result.passed).toBe(false);
    const detail = await call(service.app, 'GET', `/api/attempts/${poor.attemptId}`, { cookie: leadA });
    expect(detail.json.attempt.total).toBe(r.json.result.total);
    expect(detail.json.attempt.total).toBeLessThan(50);
  });
});

describe('headers', () => {
  it('sends a strict content security policy with the dashboard and the API', async () => {
    const page = await service.app.request('http://localhost/dashboard.html');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const api = await service.app.request('http://localhost/api/scenarios');
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});
