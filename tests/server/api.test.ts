/** The API in-process: joining, submitting attempts, validation, limits, the report and its exports. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisOf, playSteps } from '../../src/engine/index';
import { BODY_LIMITS, createApp } from '../../src/server/app';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, PASSWORD, testService } from './helpers';

const ROOMY = { login: { burst: 1000, perSecond: 1000 }, join: { burst: 1000, perSecond: 1000 }, submit: { burst: 1000, perSecond: 1000 } };

let service: Service;
let cookie: string;
let cohort: { id: number; code: string };

beforeAll(async () => {
  service = await testService({ limits: ROOMY, setupToken: 'setup-token-for-tests' });
  await addLead(service, 'Lin');
  cookie = await login(service, 'Lin');
  cohort = await newCohort(service, cookie, 'Intake 1');
}, 180_000);
afterAll(async () => service?.close());

describe('joining a cohort', () => {
  it('gives a token for a name and an open join code, in any case and spacing', async () => {
    const r = await call(service.app, 'POST', '/api/join', { body: { name: '  Zhang   San ', code: cohort.code.toLowerCase().replace(/(....)/, '$1-') } });
    expect(r.status).toBe(201);
    expect(r.json.trainee.name).toBe('Zhang San');
    expect(r.json.cohort).toEqual({ id: cohort.id, name: 'Intake 1' });
    const me = await call(service.app, 'GET', '/api/me', { token: r.json.token });
    expect(me.json.trainee.name).toBe('Zhang San');
  });

  it('refuses a wrong code, a taken name and a bad body with a message', async () => {
    const wrong = await call(service.app, 'POST', '/api/join', { body: { name: 'Li', code: 'ZZZZ9999' } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatch(/join code ZZZZ9999 is not open/);
    await join(service, cohort.code, 'Twin');
    const taken = await call(service.app, 'POST', '/api/join', { body: { name: 'Twin', code: cohort.code } });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toMatch(/already in this cohort/);
    const noName = await call(service.app, 'POST', '/api/join', { body: { name: '   ', code: cohort.code } });
    expect(noName.status).toBe(400);
    expect(noName.json.error).toMatch(/name: a name is needed/);
    const control = await call(service.app, 'POST', '/api/join', { body: { name: 'a\u0000b', code: cohort.code } });
    expect(control.status).toBe(400);
    const extra = await call(service.app, 'POST', '/api/join', { body: { name: 'Ok', code: cohort.code, admin: true } });
    expect(extra.status).toBe(400);
    const notJson = await call(service.app, 'POST', '/api/join', { raw: '{name:', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not valid JSON/);
    const form = await call(service.app, 'POST', '/api/join', { raw: 'name=a&code=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(400);
    expect(form.json.error).toMatch(/Content-Type: application\/json/);
  });
});

describe('submitting attempts', () => {
  let token: string;
  beforeAll(async () => {
    token = (await join(service, cohort.code, 'Submitter')).token;
  });

  it('replays the steps and stores the server’s own scores', async () => {
    const scenario = service.catalogue.current.get('wrong-charge')!.scenario;
    // A poor but possible call: the worst-scoring first option at every decision.
    const attempt = makeAttempt(service, 'wrong-charge');
    const expected = playSteps(scenario, attempt.steps).result!;
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ attemptId: attempt.attemptId, stored: true, result: { total: expected.total, passed: expected.passed, outcome: expected.outcome } });
    const detail = await call(service.app, 'GET', `/api/attempts/${attempt.attemptId}`, { token });
    expect(detail.status).toBe(200);
    expect(detail.json.debrief.result.total).toBe(expected.total);
    expect(detail.json.debrief.transcript.filter((e: { kind: string }) => e.kind === 'agent')).toHaveLength(analysisOf(scenario).bestPath!.choices.length);
  });

  it('stores the same attempt once and answers the repeat with the stored result', async () => {
    const attempt = makeAttempt(service, 'practice-call');
    const first = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    const again = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.stored).toBe(false);
    expect(again.json.result).toEqual(first.json.result);
    const mine = await call(service.app, 'GET', '/api/me/attempts', { token });
    expect(mine.json.attempts.filter((a: { id: string }) => a.id === attempt.attemptId)).toHaveLength(1);
  });

  it('refuses a replayed attempt id with changed choices', async () => {
    const attempt = makeAttempt(service, 'practice-call');
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token })).status).toBe(201);
    const changed = { ...attempt, steps: [...attempt.steps.slice(0, -1), { type: 'silence' as const }, attempt.steps.at(-1)!] };
    const r = await call(service.app, 'POST', '/api/attempts', { body: changed, token });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/already stored with other steps/);
  });

  it('refuses a forged score field', async () => {
    const attempt = { ...makeAttempt(service, 'practice-call'), total: 100, passed: true };
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/Unrecognized key/i);
  });

  it('refuses an unknown scenario hash, saying which version the server has', async () => {
    const attempt = makeAttempt(service, 'practice-call', undefined, { scenarioHash: '0'.repeat(64) });
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/is not a version this server knows \(it has revision \d+, hash [0-9a-f]{12}…\)/);
  });

  it('refuses a hash of one scenario sent as another', async () => {
    const other = makeAttempt(service, 'wrong-charge');
    const attempt = makeAttempt(service, 'practice-call', undefined, { scenarioHash: other.scenarioHash });
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/the hash names scenario “wrong-charge”/);
  });

  it('refuses a choice that is not on offer, saying which step and what was', async () => {
    const attempt = makeAttempt(service, 'practice-call', ['greet-standard', 'not-a-choice']);
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/step 3 is not possible in “practice-call”: choice "not-a-choice" is not on offer .*\(on offer: /);
  });

  it('refuses steps that stop before the call ends and a reply after the timer; a device clock in the future is only a claim', async () => {
    const short = makeAttempt(service, 'practice-call', ['greet-standard']);
    const r1 = await call(service.app, 'POST', '/api/attempts', { body: short, token });
    expect(r1.status).toBe(400);
    expect(r1.json.error).toMatch(/stop before the call ends/);

    const slow = makeAttempt(service, 'practice-call');
    (slow.steps[1] as { ms: number }).ms = 599_000;
    const r2 = await call(service.app, 'POST', '/api/attempts', { body: slow, token });
    expect(r2.status).toBe(400);
    expect(r2.json.error).toMatch(/outside the .* reply time/);

    const future = makeAttempt(service, 'practice-call', undefined, { startedAt: new Date(Date.now() + 3600_000).toISOString() });
    const r3 = await call(service.app, 'POST', '/api/attempts', { body: future, token });
    expect(r3.status).toBe(201);
    const stored = (await call(service.app, 'GET', `/api/attempts/${future.attemptId}`, { token })).json.attempt;
    expect(Date.parse(stored.startedAt)).toBeLessThanOrEqual(Date.now());
    expect(stored).toMatchObject({ claimedStartedAt: future.startedAt, timedByServer: false });
  });

  it('refuses an attempt without a trainee token, or with an unknown one', async () => {
    const attempt = makeAttempt(service, 'practice-call');
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt })).status).toBe(401);
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token: 'x'.repeat(43) })).status).toBe(401);
  });

  it('caps the body size', async () => {
    const attempt = makeAttempt(service, 'practice-call');
    const r = await call(service.app, 'POST', '/api/attempts', { raw: JSON.stringify({ ...attempt, pad: 'x'.repeat(BODY_LIMITS.attempt) }), token });
    expect(r.status).toBe(413);
    const big = await call(service.app, 'POST', '/api/join', { raw: JSON.stringify({ name: 'x'.repeat(BODY_LIMITS.small), code: 'AAAA' }) });
    expect(big.status).toBe(413);
  });
});

describe('rate limits', () => {
  it('slows down password guessing with 429 and Retry-After', async () => {
    const app = createApp({ repository: service.repository, catalogue: service.catalogue, limits: { login: { burst: 3, perSecond: 0.01 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(app, 'POST', '/api/login', { body: { name: 'Lin', password: `guess ${i}` } })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const blocked = await call(app, 'POST', '/api/login', { body: { name: 'Lin', password: PASSWORD } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits submissions per trainee', async () => {
    const app = createApp({ repository: service.repository, catalogue: service.catalogue, limits: { submit: { burst: 2, perSecond: 0.01 } } });
    const { token } = await join(service, cohort.code, 'Flooder');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(app, 'POST', '/api/attempts', { body: makeAttempt(service, 'practice-call'), token })).status);
    expect(statuses).toEqual([201, 201, 429, 429]);
  });
});

describe('the lead’s report and exports', () => {
  let reportCohort: { id: number; code: string };
  let good: ReturnType<typeof makeAttempt>;

  beforeAll(async () => {
    reportCohort = await newCohort(service, cookie, 'Report cohort');
    const ann = await join(service, reportCohort.code, 'Ann');
    const evil = await join(service, reportCohort.code, '=HYPERLINK("http://evil","x")');
    const poor = makeAttempt(service, 'practice-call', ['greet-wei', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-curt']);
    good = makeAttempt(service, 'practice-call');
    // Attempts without a server start are dated when the server receives them: received on these days.
    const on = (iso: string) => createApp({ repository: service.repository, catalogue: service.catalogue, limits: ROOMY, now: () => Date.parse(iso) });
    for (const [a, t, day] of [
      [poor, ann.token, '2026-11-20T09:00:00.000Z'],
      [good, ann.token, '2026-11-21T09:00:00.000Z'],
      [makeAttempt(service, 'wrong-charge'), evil.token, '2026-11-20T09:00:00.000Z'],
    ] as const) {
      const r = await call(on(day), 'POST', '/api/attempts', { body: a, token: t });
      if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
    }
  });

  it('shows trainees × callers with best, last, attempts and passed', async () => {
    const r = await call(service.app, 'GET', `/api/report?cohort=${reportCohort.id}`, { cookie });
    expect(r.status).toBe(200);
    const ann = r.json.trainees.find((t: { name: string }) => t.name === 'Ann');
    const cell = r.json.cells.find((c: { traineeId: number; scenarioId: string }) => c.traineeId === ann.id && c.scenarioId === 'practice-call');
    expect(cell).toMatchObject({ attempts: 2, best: 100, last: 100, passed: true });
    expect(r.json.dimensions.map((d: { id: string }) => d.id)).toContain('composure');
    expect(r.json.heat.some((h: { traineeId: number }) => h.traineeId === ann.id)).toBe(true);
  });

  it('filters by caller and by date range, and refuses a bad filter', async () => {
    const byCaller = await call(service.app, 'GET', `/api/report?cohort=${reportCohort.id}&scenario=wrong-charge`, { cookie });
    expect(byCaller.json.cells.map((c: { scenarioId: string }) => c.scenarioId)).toEqual(['wrong-charge']);
    expect(byCaller.json.scenarios.map((s: { id: string }) => s.id)).toEqual(['wrong-charge']);
    const before = await call(service.app, 'GET', `/api/report?cohort=${reportCohort.id}&to=2026-11-21T00:00:00Z`, { cookie });
    expect(before.json.cells.find((c: { scenarioId: string }) => c.scenarioId === 'practice-call').attempts).toBe(1);
    const bad = await call(service.app, 'GET', `/api/report?cohort=${reportCohort.id}&from=yesterday`, { cookie });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/from/);
    const noCohort = await call(service.app, 'GET', '/api/report', { cookie });
    expect(noCohort.status).toBe(400);
  });

  it('gives a trainee’s attempts over time for the chart', async () => {
    const report = await call(service.app, 'GET', `/api/report?cohort=${reportCohort.id}`, { cookie });
    const ann = report.json.trainees.find((t: { name: string }) => t.name === 'Ann');
    const r = await call(service.app, 'GET', `/api/trainees/${ann.id}/attempts?scenario=practice-call`, { cookie });
    expect(r.status).toBe(200);
    expect(r.json.attempts.map((a: { total: number }) => a.total)).toHaveLength(2);
    expect(r.json.attempts[1].id).toBe(good.attemptId);
    expect(r.json.attempts[0].total).toBeLessThan(r.json.attempts[1].total);
  });

  it('exports the table as CSV that a spreadsheet will not run as a formula', async () => {
    const r = await call(service.app, 'GET', `/api/report.csv?cohort=${reportCohort.id}&lang=en`, { cookie });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('trainee,caller id,caller,attempts,best %,last %,passed,last attempt');
    expect(lines).toContain('Ann,practice-call,Warm-up: your first call,2,100,100,yes,2026-11-21T09:00:00.000Z');
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://evil"",""x"")",wrong-charge,`))).toBe(true);
  });

  it('exports attempts as xAPI statements', async () => {
    const r = await call(service.app, 'GET', `/api/xapi?cohort=${reportCohort.id}`, { cookie });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-experience-api-version')).toBe('1.0.3');
    // xAPI's StatementResult: everything fits one page, so `more` is the empty string.
    expect(r.json.more).toBe('');
    expect(r.json.statements).toHaveLength(3);
    const statement = r.json.statements.find((s: { context: { registration: string } }) => s.context.registration === good.attemptId);
    expect(statement).toMatchObject({
      actor: { objectType: 'Agent', name: 'Ann', account: { homePage: 'http://127.0.0.1:3000' } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: { id: 'http://127.0.0.1:3000/scenarios/practice-call', definition: { name: { en: 'Warm-up: your first call' } } },
      result: { score: { scaled: 1, raw: 100 }, success: true, completion: true },
      timestamp: '2026-11-21T09:00:00.000Z',
    });
    expect(statement.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(statement.result.duration).toMatch(/^PT(\d+M)?[\d.]+S$/);
    const failed = r.json.statements.find((s: { context: { registration: string }; verb: { id: string } }) => s.context.registration !== good.attemptId && s.verb.id.endsWith('/failed'));
    expect(failed).toBeDefined();
  });
});

describe('first-run setup and sessions', () => {
  it('creates the first lead only with the printed token and only while there is none', async () => {
    const fresh = createApp({ repository: service.repository, catalogue: service.catalogue, setupToken: 'tok-1234567890' });
    const state = await call(fresh, 'GET', '/api/setup');
    expect(state.json.setupNeeded).toBe(false); // Lin exists already
    const r = await call(fresh, 'POST', '/api/setup', { body: { token: 'tok-1234567890', name: 'Intruder', password: 'long enough password' } });
    expect(r.status).toBe(403);
  });

  it('sets an httpOnly SameSite=Strict cookie and ends it on logout', async () => {
    const r = await call(service.app, 'POST', '/api/login', { body: { name: 'Lin', password: PASSWORD } });
    const setCookie = r.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api/);
    const session = setCookie.split(';')[0]!;
    expect((await call(service.app, 'GET', '/api/session', { cookie: session })).status).toBe(200);
    await call(service.app, 'POST', '/api/logout', { cookie: session });
    expect((await call(service.app, 'GET', '/api/session', { cookie: session })).status).toBe(401);
  });

  it('answers unknown API paths with JSON 404 and bad ids with 400', async () => {
    const r = await call(service.app, 'GET', '/api/nothing');
    expect(r.status).toBe(404);
    expect(r.json.error).toMatch(/no GET \/api\/nothing/);
    expect((await call(service.app, 'GET', '/api/attempts/not-a-uuid', { cookie })).status).toBe(400);
    expect((await call(service.app, 'GET', `/api/attempts/${randomUUID()}`, { cookie })).status).toBe(404);
    expect((await call(service.app, 'GET', '/api/trainees/abc/attempts', { cookie })).status).toBe(400);
  });
});
