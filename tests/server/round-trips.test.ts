/**
 * A submission costs one database round trip once the trainee's token is known: the insert (with
 * the summary kept by its trigger). No read before it: a repeat is found by the insert itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

let service: Service;
let token: string;
const statements: string[] = [];

beforeAll(async () => {
  service = await testService();
  await addLead(service, 'Trip Lead');
  const cookie = await login(service, 'Trip Lead');
  const cohort = await newCohort(service, cookie, 'Trip cohort');
  token = (await join(service, cohort.code, 'Tia')).token;
  const db = service.db;
  const query = db.query.bind(db);
  db.query = ((sql: string, params?: readonly unknown[], ...rest: unknown[]) => {
    // The analytics fold runs on its own timer (AnalyticsFolder), not as part of a request: not counted.
    if (!sql.startsWith('SELECT analytics_fold(')) statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
    return (query as (...args: unknown[]) => ReturnType<typeof db.query>)(sql, params, ...rest);
  }) as typeof db.query;
}, 180_000);
afterAll(async () => service?.close());

describe('a submission', () => {
  it('makes one round trip to the database, and a repeat one more to read what was stored', async () => {
    // The first submission of a session may look the token up.
    expect((await call(service.app, 'POST', '/api/attempts', { body: makeAttempt(service, 'practice-call'), token })).status).toBe(201);
    statements.length = 0;
    const attempt = makeAttempt(service, 'practice-call');
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token })).status).toBe(201);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^INSERT INTO attempts/);

    statements.length = 0;
    const again = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(again.status).toBe(200);
    expect(again.json.stored).toBe(false);
    expect(statements).toHaveLength(2);
  });
});
