/**
 * Attempts the server vouches for: it starts each call (id, seed, its own clock), accepts one result
 * per start, dates and times it itself, stores an offline attempt as "not timed by the server", flags
 * choices faster than reading and recordings sent again, and never hands a trainee the model call
 * of an assessment. Probed as the forger of issue 12 would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisOf, playSteps, randomPlay, seededRandom, type Attempt, type AttemptStep } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { readingFloorMs } from '../../src/server/vouch';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

const ROOMY = { login: { burst: 1000, perSecond: 1000 }, join: { burst: 1000, perSecond: 1000 }, submit: { burst: 1000, perSecond: 1000 }, start: { burst: 1000, perSecond: 1000 } };
// The app's clock, started at the real time (sessions and codes expire by the database's clock).
const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
let service: Service;
let cookie: string;
let code: string;
let ann: string;
let bo: string;
/** An assessment of practice-call for the cohort: an assessment is started from an assignment. */
let assessment: number;

beforeAll(async () => {
  service = await testService({ limits: ROOMY, now: () => clock.t });
  await addLead(service, 'Vouch Lead');
  cookie = await login(service, 'Vouch Lead');
  code = (await newCohort(service, cookie, 'Vouched')).code;
  ann = (await join(service, code, 'Ann')).token;
  bo = (await join(service, code, 'Bo')).token;
  const cohorts = await call(service.app, 'GET', '/api/cohorts', { cookie });
  const made = await call(service.app, 'POST', `/api/cohorts/${cohorts.json.cohorts[0].id}/assignments`, {
    body: { scenarioIds: ['practice-call'], mode: 'assessment', dueAt: new Date(clock.t + 30 * 86_400_000).toISOString(), attemptsAllowed: 20 },
    cookie,
  });
  assessment = made.json.assignments[0].id;
}, 180_000);
afterAll(async () => service?.close());

/** The model call's choices, each after `ms` (slow enough to read, inside the 20 s reply time, by default). */
function stepsOf(choices: readonly string[], ms = 12_000): Attempt['steps'] {
  return [{ type: 'answer', ring: 1 }, ...choices.map((c): AttemptStep => (c === '~' ? { type: 'silence' } : { type: 'choose', choiceId: c, ms }))] as Attempt['steps'];
}
const best = () => analysisOf(service.catalogue.current.get('practice-call')!.scenario).bestPath!.choices;

async function start(token: string, mode: 'practice' | 'assessment' = 'practice') {
  const r = await call(service.app, 'POST', '/api/attempts/start', { body: { scenarioId: 'practice-call', mode, ...(mode === 'assessment' ? { assignmentId: assessment } : {}) }, token });
  expect(r.status).toBe(201);
  return r.json as { attemptId: string; seed: string; startedAt: string; mode: 'practice' | 'assessment'; scenarioHash: string; scenarioRevision: number };
}

function startedAttempt(s: Awaited<ReturnType<typeof start>>, steps: Attempt['steps']): Attempt {
  const base = makeAttempt(service, 'practice-call');
  return { ...base, format: 2, attemptId: s.attemptId, seed: s.seed, startedAt: s.startedAt, mode: s.mode, steps } as Attempt;
}

const callMs = (a: Attempt) => playSteps(service.catalogue.current.get('practice-call')!.scenario, a.steps, a.format === 2 ? { seed: a.seed } : {}).result!.durationMs;

async function leadView(id: string) {
  const r = await call(service.app, 'GET', `/api/attempts/${id}`, { cookie });
  expect(r.status).toBe(200);
  return r.json;
}

describe('a call the server started', () => {
  it('is dated and timed by the server, from its start to its receipt, and stored once per start', async () => {
    const s = await start(ann);
    expect(s.startedAt).toBe(new Date(clock.t).toISOString());
    expect(s.seed).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const attempt = startedAttempt(s, stepsOf(best()));
    clock.t += callMs(attempt) + 4_000;
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: ann });
    expect(r.status).toBe(201);
    const view = await leadView(s.attemptId);
    expect(view.attempt).toMatchObject({ startedAt: s.startedAt, timedByServer: true, claimedStartedAt: null, durationMs: callMs(attempt) + 4_000, mode: 'practice', flags: [] });

    // Once per start: the same again is the stored result; other steps under the same start are refused.
    const again = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: ann });
    expect([again.status, again.json.stored]).toEqual([200, false]);
    const changed = await call(service.app, 'POST', '/api/attempts', { body: { ...attempt, steps: stepsOf(best(), 13_000) }, token: ann });
    expect(changed.status).toBe(409);
    // Another trainee cannot use Ann's start.
    const stolen = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: bo });
    expect(stolen.status).toBe(409);
  });

  it('replays with the seed it issued: a start date or mode changed by the client no longer verifies', async () => {
    const s = await start(ann, 'assessment');
    const attempt = startedAttempt(s, stepsOf(best()));
    clock.t += callMs(attempt) + 1_000;
    // Moved an hour earlier and relabelled practice: the seed no longer proves a server start.
    const forged = { ...attempt, startedAt: new Date(Date.parse(s.startedAt) - 3_600_000).toISOString(), mode: 'practice' } as Attempt;
    const r = await call(service.app, 'POST', '/api/attempts', { body: forged, token: ann });
    expect(r.status).toBe(201);
    const view = await leadView(s.attemptId);
    expect(view.attempt.timedByServer).toBe(false);
    expect(view.attempt.startedAt).toBe(new Date(clock.t).toISOString());
    expect(view.attempt.flags.map((f: { kind: string }) => f.kind)).toContain('untimed');
  });

  it('flags an attempt that arrives sooner after its start than the call lasts', async () => {
    const s = await start(bo);
    const attempt = startedAttempt(s, stepsOf(best()));
    clock.t += 1_000;
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token: bo })).status).toBe(201);
    const flags = (await leadView(s.attemptId)).attempt.flags as { kind: string; reason: string }[];
    expect(flags.find((f) => f.kind === 'quicker-than-the-call')?.reason).toMatch(/received it 1\.0 s after starting it, but the call itself lasts \d+\.\d s/);
  });
});

describe('an attempt without a server start', () => {
  it('is stored, dated when received, marked not timed by the server, with the device’s claim kept', async () => {
    for (const claimed of ['2001-01-01T00:00:00.000Z', new Date(clock.t + 9 * 60_000).toISOString()]) {
      const attempt = makeAttempt(service, 'practice-call', best(), { startedAt: claimed, steps: stepsOf(best()) });
      const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: ann });
      expect(r.status).toBe(201);
      const view = await leadView(attempt.attemptId);
      expect(view.attempt).toMatchObject({ startedAt: new Date(clock.t).toISOString(), claimedStartedAt: claimed, timedByServer: false });
      expect(view.attempt.flags[0]).toMatchObject({ kind: 'untimed' });
      expect(view.attempt.flags[0].reason).toMatch(/not timed by the server/);
      clock.t += 60_000;
    }
  });

  it('flags choices faster than a person can read the options shown', async () => {
    const attempt = makeAttempt(service, 'practice-call', best(), { steps: stepsOf(best(), 0) });
    expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token: ann })).status).toBe(201);
    const flag = ((await leadView(attempt.attemptId)).attempt.flags as { kind: string; reason: string }[]).find((f) => f.kind === 'too-fast');
    expect(flag?.reason).toMatch(new RegExp(`^${best().length} of ${best().length} choices faster than the options can be read \\(step 2: 0 ms, reading takes at least \\d+ ms`));
    expect(readingFloorMs(['您好，这里是客服中心。', '请稍等'], 'zh-CN')).toBe(300 + 14 * 20);
    expect(readingFloorMs(['Good morning, how can I help?'], 'en')).toBe(300 + 24 * 6);
  });

  it('flags the same recording sent again under new ids, naming the first', async () => {
    const steps = stepsOf(best(), 4_321);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const attempt = makeAttempt(service, 'practice-call', best(), { steps, attemptId: randomUUID() });
      expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token: i < 3 ? ann : bo })).status).toBe(201);
      ids.push(attempt.attemptId);
    }
    const kinds = await Promise.all(ids.map(async (id) => ((await leadView(id)).attempt.flags as { kind: string; reason: string }[]).filter((f) => f.kind === 'replayed')));
    expect(kinds[0]).toEqual([]);
    for (const later of kinds.slice(1)) expect(later[0]!.reason).toContain(`as attempt ${ids[0]} by Ann`);
  });

  it('flags an assessment with the same choices as another trainee’s, not a practice call', async () => {
    const scenario = service.catalogue.current.get('practice-call')!.scenario;
    // A play of its own (not the model call), so that no earlier test made the same sequence.
    let choices: string[] = [];
    for (let seed = 1; seed < 200 && choices.length === 0; seed++) {
      const play = randomPlay(scenario, analysisOf(scenario), seededRandom(seed), 0, 0);
      if (play.result && play.choices.join() !== best().join()) choices = play.choices;
    }
    const mine = { ...makeAttempt(service, 'practice-call', choices, { steps: stepsOf(choices, 12_000) }), format: 2, seed: 'offline-seed-1', mode: 'assessment' } as Attempt;
    const theirs = { ...makeAttempt(service, 'practice-call', choices, { steps: stepsOf(choices, 12_500) }), format: 2, seed: 'offline-seed-1', mode: 'assessment' } as Attempt;
    const practice = { ...makeAttempt(service, 'practice-call', choices, { steps: stepsOf(choices, 13_000) }), format: 2, seed: 'offline-seed-1', mode: 'practice' } as Attempt;
    for (const [a, token] of [[mine, ann], [theirs, bo], [practice, bo]] as const) expect((await call(service.app, 'POST', '/api/attempts', { body: a, token })).status).toBe(201);
    const kinds = async (id: string) => ((await leadView(id)).attempt.flags as { kind: string; reason: string }[]).map((f) => f.kind);
    expect(await kinds(mine.attemptId)).not.toContain('same-choices');
    expect(await kinds(theirs.attemptId)).toContain('same-choices');
    // It names the earliest other trainee's attempt with those choices (the print's index order, migration 019).
    const reason = ((await leadView(theirs.attemptId)).attempt.flags as { kind: string; reason: string }[]).find((f) => f.kind === 'same-choices')!.reason;
    expect(reason).toBe(`the same sequence of choices as attempt ${mine.attemptId} by Ann`);
    expect(await kinds(practice.attemptId)).not.toContain('same-choices');
  });
});

describe('the model call and the transcript', () => {
  it('is never sent to a trainee for an assessment; for practice only once sent; flags stay with the lead', async () => {
    const assess = await start(ann, 'assessment');
    const practice = await start(ann, 'practice');
    expect(JSON.stringify(assess)).not.toMatch(/bestPath/);
    for (const s of [assess, practice]) {
      const attempt = startedAttempt(s, stepsOf(best(), 0));
      clock.t += callMs(attempt) + 1_000;
      const sent = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: ann });
      expect(sent.status).toBe(201);
      expect(JSON.stringify(sent.json)).not.toMatch(/bestPath/);
    }
    const mineAssess = await call(service.app, 'GET', `/api/attempts/${assess.attemptId}`, { token: ann });
    expect(mineAssess.status).toBe(200);
    expect(mineAssess.json.debrief.result.bestPath).toBeUndefined();
    expect(mineAssess.json.attempt.flags).toEqual([]);
    const minePractice = await call(service.app, 'GET', `/api/attempts/${practice.attemptId}`, { token: ann });
    expect(minePractice.json.debrief.result.bestPath.length).toBeGreaterThan(0);
    expect((await leadView(assess.attemptId)).attempt.flags.map((f: { kind: string }) => f.kind)).toContain('too-fast');
    // Bo cannot read Ann's attempt at all.
    expect((await call(service.app, 'GET', `/api/attempts/${practice.attemptId}`, { token: bo })).status).toBe(404);
  });

  it('shows what the trainee saw at each decision, in the order shown, the place chosen, and a critical breach', async () => {
    const s = await start(bo);
    const attempt = startedAttempt(s, stepsOf(best()));
    clock.t += callMs(attempt) + 1_000;
    await call(service.app, 'POST', '/api/attempts', { body: attempt, token: bo });
    const view = await leadView(s.attemptId);
    const agents = (view.debrief.transcript as { kind: string; choiceId: string; shown: string[]; shownText: { en?: string }[]; position: number; critical: string[] }[]).filter((e) => e.kind === 'agent');
    expect(agents.length).toBe(best().length);
    for (const a of agents) {
      expect(a.shownText).toHaveLength(a.shown.length);
      expect(a.shown[a.position - 1]).toBe(a.choiceId);
      expect(a.shownText.every((t) => typeof t.en === 'string' && t.en.length > 0)).toBe(true);
    }

    // A call that broke a critical rule: the transcript says which choice broke which rule.
    let breached: { scenarioId: string; choices: string[] } | null = null;
    for (const id of service.catalogue.current.keys()) {
      const scenario = service.catalogue.current.get(id)!.scenario;
      for (let seed = 1; seed < 300 && !breached; seed++) {
        const play = randomPlay(scenario, analysisOf(scenario), seededRandom(seed), 0, 0);
        if (play.result && play.result.criticalBreaches.some((b) => b.choiceId !== null)) breached = { scenarioId: id, choices: play.choices };
      }
      if (breached) break;
    }
    expect(breached).not.toBeNull();
    const bad = makeAttempt(service, breached!.scenarioId, breached!.choices, { steps: stepsOf(breached!.choices) });
    expect((await call(service.app, 'POST', '/api/attempts', { body: bad, token: bo })).status).toBe(201);
    const badView = await leadView(bad.attemptId);
    expect(badView.debrief.result.passed).toBe(false);
    const critical = badView.debrief.result.failReasons.find((r: { kind: string }) => r.kind === 'critical');
    expect(critical).toBeTruthy();
    const entry = (badView.debrief.transcript as { kind: string; critical?: string[] }[]).find((e) => e.kind === 'agent' && (e.critical ?? []).includes(critical.ruleId));
    expect(entry).toBeTruthy();
    expect(badView.debrief.rules[critical.ruleId]).toBeTruthy();
  });
});
