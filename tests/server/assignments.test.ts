/**
 * Assignments (issue 15), as a lead uses them and as an attacker probes them: every field checked
 * with the field named, an assessment started only by the server from an assignment of the
 * trainee's own cohort, attempts counted (also when started at once), no new start after the due
 * date by the server's clock whatever the client says, late attempts stored but not counted, and
 * the model call held back from the trainee until the lead releases it after the due date.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisOf, playSteps, type Attempt, type AttemptStep } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { ASSIGNMENT_GRACE_MINUTES } from '../../src/server/routes/assignments';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

const ROOMY = { login: { burst: 1000, perSecond: 1000 }, join: { burst: 1000, perSecond: 1000 }, submit: { burst: 1000, perSecond: 1000 }, start: { burst: 1000, perSecond: 1000 } };
const HOUR = 3_600_000;
const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
let service: Service;
let lead: string;
let otherLead: string;
let cohort: { id: number; code: string };
let otherCohort: { id: number; code: string };
let ann: string;
let bo: string;
let eve: string;

beforeAll(async () => {
  service = await testService({ limits: ROOMY, now: () => clock.t, publicUrl: 'https://training.example.com/' });
  await addLead(service, 'Assign Lead');
  await addLead(service, 'Other Lead');
  lead = await login(service, 'Assign Lead');
  otherLead = await login(service, 'Other Lead');
  cohort = await newCohort(service, lead, 'Night shift');
  otherCohort = await newCohort(service, otherLead, 'Day shift');
  ann = (await join(service, cohort.code, 'Ann')).token;
  bo = (await join(service, cohort.code, 'Bo')).token;
  eve = (await join(service, otherCohort.code, 'Eve')).token;
}, 180_000);
afterAll(async () => service?.close());

const iso = (ms: number) => new Date(ms).toISOString();
const best = (id = 'practice-call') => analysisOf(service.catalogue.current.get(id)!.scenario).bestPath!.choices;

function stepsOf(choices: readonly string[], ms = 12_000): Attempt['steps'] {
  return [{ type: 'answer', ring: 1 }, ...choices.map((c): AttemptStep => (c === '~' ? { type: 'silence' } : { type: 'choose', choiceId: c, ms }))] as Attempt['steps'];
}

async function assign(body: Record<string, unknown>, cookie = lead, cohortId = cohort.id) {
  return call(service.app, 'POST', `/api/cohorts/${cohortId}/assignments`, { body, cookie });
}

async function start(token: string, body: Record<string, unknown>) {
  return call(service.app, 'POST', '/api/attempts/start', { body, token });
}

/** The start's attempt on its caller with the given choices, sent once the call's time has passed. */
async function play(token: string, s: { attemptId: string; seed: string; startedAt: string; mode: string; scenarioId: string }, choices = best(s.scenarioId)) {
  const base = makeAttempt(service, s.scenarioId, choices);
  const attempt = { ...base, format: 2, attemptId: s.attemptId, seed: s.seed, startedAt: s.startedAt, mode: s.mode, steps: stepsOf(choices) } as Attempt;
  const scenario = service.catalogue.current.get(s.scenarioId)!.scenario;
  clock.t += playSteps(scenario, attempt.steps, { seed: s.seed }).result!.durationMs + 2_000;
  return call(service.app, 'POST', '/api/attempts', { body: attempt, token });
}

async function mine(token: string) {
  const r = await call(service.app, 'GET', '/api/assignments', { token });
  expect(r.status).toBe(200);
  return r.json.assignments as { id: number; scenarioId: string; mode: string; attemptsUsed: number; attemptsAllowed: number; done: boolean; passed: boolean; open: boolean; closed: string | null; released: boolean; title: { en?: string } }[];
}

/** The plans file's failing play of a caller. */
function worst(scenarioId: string): string[] {
  const file = JSON.parse(readFileSync(new URL(`../../scenarios/plans/${scenarioId}.plans.json`, import.meta.url), 'utf8')) as { plans: { name: string; choices: string[]; expect?: { passed?: boolean } }[] };
  const failing = file.plans.find((p) => p.expect?.passed === false);
  if (!failing) throw new Error(`no failing plan for ${scenarioId}`);
  return failing.choices;
}

describe('a lead’s assignment', () => {
  it('checks every field against the server’s clock and names the field', async () => {
    const good = { scenarioIds: ['practice-call'], mode: 'assessment', dueAt: iso(clock.t + 48 * HOUR), attemptsAllowed: 3 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, dueAt: iso(clock.t - 60_000) }, /^dueAt: .* is not in the future by the server’s clock \(now /],
      [{ ...good, dueAt: '2001-01-01T00:00:00Z' }, /^dueAt: 2001-01-01T00:00:00Z is not in the future/],
      [{ ...good, dueAt: iso(clock.t + 400 * 24 * HOUR) }, /^dueAt: .* is more than 366 days ahead/],
      [{ ...good, dueAt: 'tomorrow' }, /dueAt: dueAt is a date and time with its offset/],
      [{ ...good, dueAt: '2026-12-15' }, /dueAt: dueAt is a date and time with its offset/],
      [{ ...good, attemptsAllowed: 0 }, /attemptsAllowed: attemptsAllowed is at least 1/],
      [{ ...good, attemptsAllowed: 21 }, /attemptsAllowed: attemptsAllowed is at most 20/],
      [{ ...good, attemptsAllowed: 1.5 }, /attemptsAllowed: attemptsAllowed is a whole number/],
      [{ ...good, attemptsAllowed: '3' }, /attemptsAllowed: attemptsAllowed is a whole number/],
      [{ ...good, mode: 'exam' }, /mode: mode is practice or assessment/],
      [{ ...good, scenarioIds: [] }, /scenarioIds: scenarioIds names at least one caller/],
      [{ ...good, scenarioIds: ['no-such-caller'] }, /^scenarioIds: “no-such-caller” is not a caller this server knows/],
      [{ ...good, scenarioIds: ['practice-call', 'practice-call'] }, /^scenarioIds: “practice-call” is named twice/],
      [{ ...good, scenarioIds: ['../etc/passwd'] }, /scenarioIds\.0: a caller id is/],
      [{ ...good, releasedAt: iso(clock.t) }, /Unrecognized key.*releasedAt/i],
    ];
    for (const [body, message] of cases) {
      const r = await assign(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error).toMatch(message);
    }
    const raw = await call(service.app, 'POST', `/api/cohorts/${cohort.id}/assignments`, { raw: '{"scenarioIds":', cookie: lead });
    expect([raw.status, raw.json.error]).toEqual([400, 'the body is not valid JSON']);
    // Nothing was stored by any of them.
    expect((await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { cookie: lead })).json.assignments).toEqual([]);
  });

  it('is made, listed with every trainee’s progress, edited and removed only by the cohort’s lead', async () => {
    const dueAt = '2027-03-01T09:00:00+08:00';
    clock.t = Math.min(clock.t, Date.parse(dueAt) - 48 * HOUR);
    const made = await assign({ scenarioIds: ['practice-call', 'wrong-charge'], mode: 'practice', dueAt, attemptsAllowed: 2 });
    expect(made.status).toBe(201);
    expect(made.json.assignments.map((a: { scenarioId: string; dueAt: string; mode: string }) => [a.scenarioId, a.mode, a.dueAt])).toEqual([
      ['practice-call', 'practice', '2027-03-01T01:00:00.000Z'],
      ['wrong-charge', 'practice', '2027-03-01T01:00:00.000Z'],
    ]);
    const again = await assign({ scenarioIds: ['wrong-charge'], mode: 'practice', dueAt, attemptsAllowed: 2 });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/“wrong-charge” is already assigned to this cohort as practice/);

    const listed = await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { cookie: lead });
    expect(listed.json.publicUrl).toBe('https://training.example.com');
    expect(listed.json.now).toBe(iso(clock.t));
    const first = listed.json.assignments[0];
    expect(first.trainees.map((t: { name: string; attemptsUsed: number; done: boolean }) => [t.name, t.attemptsUsed, t.done])).toEqual([
      ['Ann', 0, false],
      ['Bo', 0, false],
    ]);
    expect(first.title.en).toBeTruthy();

    // Another lead sees, edits, releases and removes none of it.
    const id = first.id as number;
    expect((await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { cookie: otherLead })).status).toBe(404);
    expect((await assign({ scenarioIds: ['practice-call'], mode: 'practice', dueAt, attemptsAllowed: 2 }, otherLead)).status).toBe(404);
    expect((await call(service.app, 'PATCH', `/api/assignments/${id}`, { body: { attemptsAllowed: 9 }, cookie: otherLead })).status).toBe(404);
    expect((await call(service.app, 'DELETE', `/api/assignments/${id}`, { cookie: otherLead })).status).toBe(404);
    expect((await call(service.app, 'POST', `/api/assignments/${id}/release`, { cookie: otherLead })).status).toBe(404);
    // Nor does a trainee, with a token instead of the session.
    expect((await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { token: ann })).status).toBe(401);

    const edited = await call(service.app, 'PATCH', `/api/assignments/${id}`, { body: { attemptsAllowed: 5, dueAt: '2027-04-01T00:00:00Z' }, cookie: lead });
    expect(edited.status).toBe(200);
    expect([edited.json.attemptsAllowed, edited.json.dueAt, edited.json.mode]).toEqual([5, '2027-04-01T00:00:00.000Z', 'practice']);
    const empty = await call(service.app, 'PATCH', `/api/assignments/${id}`, { body: {}, cookie: lead });
    expect([empty.status, empty.json.error]).toEqual([400, 'the body is not valid: send at least one of mode, dueAt, attemptsAllowed']);
    const past = await call(service.app, 'PATCH', `/api/assignments/${id}`, { body: { dueAt: '2020-01-01T00:00:00Z' }, cookie: lead });
    expect([past.status, past.json.error]).toEqual([400, expect.stringMatching(/^dueAt: 2020-01-01T00:00:00Z is not in the future/)]);
    // A practice assignment has no model call to release.
    const release = await call(service.app, 'POST', `/api/assignments/${id}/release`, { cookie: lead });
    expect(release.status).toBe(409);

    // Once started, the mode stays.
    const s = await start(ann, { scenarioId: 'practice-call', mode: 'practice', assignmentId: id });
    expect(s.status).toBe(201);
    expect([s.json.assignmentId, s.json.attemptsUsed]).toEqual([id, 1]);
    const toAssess = await call(service.app, 'PATCH', `/api/assignments/${id}`, { body: { mode: 'assessment' }, cookie: lead });
    expect([toAssess.status, toAssess.json.error]).toEqual([409, expect.stringMatching(/^mode: 1 attempt has already been started in this mode/)]);

    // Removed: the attempt started for it stays; it no longer counts anywhere.
    expect((await play(ann, s.json)).status).toBe(201);
    const second = listed.json.assignments[1].id as number;
    expect((await call(service.app, 'DELETE', `/api/assignments/${id}`, { cookie: lead })).status).toBe(200);
    expect((await call(service.app, 'DELETE', `/api/assignments/${second}`, { cookie: lead })).status).toBe(200);
    expect((await call(service.app, 'GET', `/api/attempts/${s.json.attemptId}`, { cookie: lead })).status).toBe(200);
    expect(await mine(ann)).toEqual([]);
  });
});

describe('an assessment', () => {
  let assessment: number;
  let due: number;

  beforeAll(async () => {
    due = clock.t + 24 * HOUR;
    const r = await assign({ scenarioIds: ['practice-call'], mode: 'assessment', dueAt: iso(due), attemptsAllowed: 3 });
    expect(r.status).toBe(201);
    assessment = r.json.assignments[0].id;
  });

  it('is started only by the server, from an assignment of the trainee’s own cohort, in its mode, for its caller', async () => {
    const none = await start(ann, { scenarioId: 'practice-call', mode: 'assessment' });
    expect([none.status, none.json.error]).toEqual([400, 'assignmentId: an assessment is started from an assignment of your cohort; send its id']);
    // Eve, in another lead's cohort, names this cohort's assignment.
    const foreign = await start(eve, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment });
    expect([foreign.status, foreign.json.error]).toEqual([404, `assignmentId: no assignment ${assessment} for your cohort`]);
    const practice = await start(ann, { scenarioId: 'practice-call', mode: 'practice', assignmentId: assessment });
    expect([practice.status, practice.json.error]).toEqual([400, `mode: assignment ${assessment} is an assessment`]);
    const other = await start(ann, { scenarioId: 'wrong-charge', mode: 'assessment', assignmentId: assessment });
    expect([other.status, other.json.error]).toEqual([400, `scenarioId: assignment ${assessment} is for caller “practice-call”`]);
    const forged = await start(ann, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment, dueAt: iso(due + 30 * 24 * HOUR) });
    expect(forged.status).toBe(400);
    expect(forged.json.error).toMatch(/dueAt/);
    // None of these counted.
    expect((await mine(ann)).find((a) => a.id === assessment)?.attemptsUsed).toBe(0);
    // An assessment played offline (no start) is stored, not timed by the server, and counts for nothing.
    const offline = { ...makeAttempt(service, 'practice-call', best(), { steps: stepsOf(best()) }), format: 2, seed: 'made-on-the-device', mode: 'assessment' } as Attempt;
    expect((await call(service.app, 'POST', '/api/attempts', { body: offline, token: ann })).status).toBe(201);
    const stored = await call(service.app, 'GET', `/api/attempts/${offline.attemptId}`, { cookie: lead });
    expect(stored.json.attempt.timedByServer).toBe(false);
    expect((await mine(ann)).find((a) => a.id === assessment)).toMatchObject({ attemptsUsed: 0, done: false });
  });

  it('counts its attempts: the fourth of three is refused, also when the starts come at once', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => start(bo, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 403, 403]);
    expect(results.filter((r) => r.status === 201).map((r) => r.json.attemptsUsed).sort()).toEqual([1, 2, 3]);
    const refused = results.find((r) => r.status === 403)!;
    expect(refused.json.error).toBe(`you have used 3 of the 3 attempts allowed for assignment ${assessment}`);
    const row = (await mine(bo)).find((a) => a.id === assessment)!;
    expect(row).toMatchObject({ attemptsUsed: 3, attemptsAllowed: 3, open: false, closed: 'used-up', done: false });
    // Bo fails one of them: done, not passed. (The others were started and left: they count as used.)
    const started = results.find((r) => r.status === 201)!.json;
    const sent = await play(bo, started, worst('practice-call'));
    expect(sent.status).toBe(201);
    expect(sent.json.result.passed).toBe(false);
    expect((await mine(bo)).find((a) => a.id === assessment)).toMatchObject({ done: true, passed: false });
  });

  it('never gives the trainee its model call before the lead releases it, which is only after the due date', async () => {
    const s = await start(ann, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment });
    expect(s.status).toBe(201);
    expect(JSON.stringify(s.json)).not.toMatch(/bestPath|model/i);
    const sent = await play(ann, s.json);
    expect(sent.status).toBe(201);
    expect(sent.json.result.passed).toBe(true);
    expect(JSON.stringify(sent.json)).not.toMatch(/bestPath/);
    const view = async (who: { token?: string; cookie?: string }) => call(service.app, 'GET', `/api/attempts/${s.json.attemptId}`, who);
    expect((await view({ token: ann })).json.debrief.result.bestPath).toBeUndefined();
    expect((await view({ cookie: lead })).json.debrief.result.bestPath.length).toBeGreaterThan(0);
    expect((await mine(ann)).find((a) => a.id === assessment)).toMatchObject({ attemptsUsed: 1, done: true, passed: true, released: false, open: true });
    // Bo cannot read Ann's attempt.
    expect((await view({ token: bo })).status).toBe(404);

    // Before the due date the lead cannot release it.
    const early = await call(service.app, 'POST', `/api/assignments/${assessment}/release`, { cookie: lead });
    expect(early.status).toBe(409);
    expect(early.json.error).toMatch(/can be released once the assessment is due/);
    expect((await view({ token: ann })).json.debrief.result.bestPath).toBeUndefined();

    // A call started just before the due date and sent within the grace counts; one sent later is stored, flagged late, not counted.
    clock.t = due - 60_000;
    const inTime = await start(ann, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment });
    const late = await start(ann, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment });
    expect([inTime.status, late.status]).toEqual([201, 201]);
    expect((await play(ann, inTime.json, worst('practice-call'))).status).toBe(201);
    clock.t = due + (ASSIGNMENT_GRACE_MINUTES + 1) * 60_000;
    const lateSent = await play(ann, late.json);
    expect(lateSent.status).toBe(201);
    const lateView = await call(service.app, 'GET', `/api/attempts/${late.json.attemptId}`, { cookie: lead });
    expect(lateView.json.attempt.flags.find((f: { kind: string }) => f.kind === 'late')?.reason).toMatch(/more than 30 minutes after the assignment was due/);
    const inTimeView = await call(service.app, 'GET', `/api/attempts/${inTime.json.attemptId}`, { cookie: lead });
    expect(inTimeView.json.attempt.flags.map((f: { kind: string }) => f.kind)).not.toContain('late');

    // After the due date, by the server's clock, no new start, whatever the client claims.
    const after = await start(ann, { scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment });
    expect(after.status).toBe(403);
    expect(after.json.error).toMatch(new RegExp(`^assignment ${assessment} was due at .* UTC by the server’s clock: no new attempts after the due date`));
    expect((await mine(ann)).find((a) => a.id === assessment)).toMatchObject({ open: false, closed: 'due', attemptsUsed: 3 });

    // Released: now Ann reads the model call of her assessment; attempts received after it do not count.
    const released = await call(service.app, 'POST', `/api/assignments/${assessment}/release`, { cookie: lead });
    expect(released.status).toBe(200);
    expect(released.json.releasedAt).toBe(iso(clock.t));
    expect((await view({ token: ann })).json.debrief.result.bestPath.length).toBeGreaterThan(0);
    expect((await mine(ann)).find((a) => a.id === assessment)).toMatchObject({ released: true, closed: 'released' });

    // The lead's list: Ann passed, Bo did not.
    const list = await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { cookie: lead });
    const row = list.json.assignments.find((a: { id: number }) => a.id === assessment);
    expect(row.trainees.map((t: { name: string; attemptsUsed: number; done: boolean; passed: boolean }) => [t.name, t.attemptsUsed, t.done, t.passed])).toEqual([
      ['Ann', 3, true, true],
      ['Bo', 3, true, false],
    ]);
  });

  it('stores an attempt received after the release, flagged and not counted', async () => {
    const r = await assign({ scenarioIds: ['missing-parcel'], mode: 'assessment', dueAt: iso(clock.t + HOUR), attemptsAllowed: 2 });
    expect(r.status).toBe(201);
    const id = r.json.assignments[0].id as number;
    const s = await start(bo, { scenarioId: 'missing-parcel', mode: 'assessment', assignmentId: id });
    expect(s.status).toBe(201);
    // Bo holds the call open past the due date; the lead releases the model call; then Bo sends.
    clock.t += HOUR + 60_000;
    expect((await call(service.app, 'POST', `/api/assignments/${id}/release`, { cookie: lead })).status).toBe(200);
    clock.t += 60_000;
    const sent = await play(bo, s.json);
    expect(sent.status).toBe(201);
    const view = await call(service.app, 'GET', `/api/attempts/${s.json.attemptId}`, { cookie: lead });
    expect(view.json.attempt.flags.find((f: { kind: string }) => f.kind === 'after-release')?.reason).toMatch(/after the model call of this assessment was released .*: not counted for the assignment/);
    expect((await mine(bo)).find((a) => a.id === id)).toMatchObject({ attemptsUsed: 1, done: false, passed: false, closed: 'released' });
    const again = await start(bo, { scenarioId: 'missing-parcel', mode: 'assessment', assignmentId: id });
    expect([again.status, again.json.error]).toEqual([403, expect.stringMatching(new RegExp(`^assignment ${id} is closed: its model call was released at `))]);
  });

  it('holds back the model call of an attempt sent with a stolen start', async () => {
    // Another assessment, open: Eve's cohort has none, so she takes Ann's start id with a seed of her own.
    const r = await assign({ scenarioIds: ['wrong-charge'], mode: 'assessment', dueAt: iso(clock.t + 24 * HOUR), attemptsAllowed: 1 });
    const s = await start(ann, { scenarioId: 'wrong-charge', mode: 'assessment', assignmentId: r.json.assignments[0].id });
    expect(s.status).toBe(201);
    const forged = { ...makeAttempt(service, 'wrong-charge', best('wrong-charge'), { steps: stepsOf(best('wrong-charge')) }), format: 2, attemptId: s.json.attemptId, seed: 'not-the-server-seed', startedAt: s.json.startedAt, mode: 'assessment' } as Attempt;
    expect((await call(service.app, 'POST', '/api/attempts', { body: forged, token: eve })).status).toBe(201);
    const stored = await call(service.app, 'GET', `/api/attempts/${forged.attemptId}`, { token: eve });
    expect(stored.json.attempt.timedByServer).toBe(false);
    expect(stored.json.debrief.result.bestPath).toBeUndefined();
    // And it did not become Ann's attempt for the assignment.
    expect((await mine(ann)).find((a) => a.scenarioId === 'wrong-charge')).toMatchObject({ attemptsUsed: 1, done: false });
  });
});
