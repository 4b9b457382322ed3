/**
 * Submissions replayed in replay threads (src/server/replay.ts) are answered and stored exactly as
 * those replayed in the request thread: the same result, flags and prints, the same refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/engine/index';
import { defaultReplayThreads } from '../../src/server/replay';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

let threaded: Service;
let inline: Service;
const tokens = new Map<Service, string>();

beforeAll(async () => {
  [threaded, inline] = await Promise.all([testService({ replayThreads: 2, limits: { submit: { burst: 1000, perSecond: 1000 } } }), testService()]);
  for (const service of [threaded, inline]) {
    await addLead(service, 'Pool Lead');
    const cookie = await login(service, 'Pool Lead');
    const cohort = await newCohort(service, cookie, 'Pool cohort');
    tokens.set(service, (await join(service, cohort.code, 'Pia')).token);
  }
}, 180_000);
afterAll(async () => {
  await threaded?.close();
  await inline?.close();
});

/** The same attempt (same id) sent to both services: their answers and stored rows. */
async function both(attempt: Attempt) {
  const answers = [];
  for (const service of [threaded, inline]) {
    const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: tokens.get(service)! });
    const row = (await service.db.query<Record<string, unknown>>('SELECT outcome, passed, total, dimensions, flags, replay_print, choice_print, duration_ms FROM attempts WHERE id = $1', [attempt.attemptId]))[0] ?? null;
    answers.push({ status: r.status, json: r.json, row });
  }
  return answers;
}

describe('replay threads', () => {
  it('are used, and store and answer a submission as the request thread does', async () => {
    expect(threaded.replays?.size).toBe(2);
    const before = threaded.replays!.stats.replays;
    const attempts = ['practice-call', 'wrong-charge', 'practice-call'].map((id) => makeAttempt(threaded, id));
    // A too-fast choice, to compare the flags as well.
    (attempts[2]!.steps[1] as { ms: number }).ms = 5;
    for (const attempt of attempts) {
      const [a, b] = await both(attempt);
      expect(a!.status).toBe(201);
      expect(a).toEqual(b);
      expect(a!.row).not.toBeNull();
    }
    expect((await both(attempts[2]!))[0]!.row!.flags).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'too-fast' })]));
    expect(threaded.replays!.stats.replays - before).toBeGreaterThanOrEqual(3);
  });

  it('refuse a choice not on offer and steps that stop early with the same words', async () => {
    const wrong = makeAttempt(threaded, 'practice-call', ['greet-standard', 'not-a-choice']);
    const [a, b] = await both(wrong);
    expect(a!.status).toBe(400);
    expect(a!.json.error).toMatch(/step 3 is not possible in “practice-call”: choice "not-a-choice" is not on offer .*\(on offer: /);
    expect(a).toEqual(b);

    const short = makeAttempt(threaded, 'practice-call', ['greet-standard']);
    const [c, d] = await both(short);
    expect(c!.status).toBe(400);
    expect(c!.json.error).toMatch(/stop before the call ends \(the call was at node “/);
    expect(c).toEqual(d);
  });

  it('take many submissions at once, every one answered and stored', async () => {
    const attempts = Array.from({ length: 40 }, (_, i) => makeAttempt(threaded, i % 2 ? 'practice-call' : 'wrong-charge'));
    const token = tokens.get(threaded)!;
    const answers = await Promise.all(attempts.map((body) => call(threaded.app, 'POST', '/api/attempts', { body, token })));
    expect(answers.map((r) => r.status)).toEqual(attempts.map(() => 201));
    const ids = attempts.map((a) => a.attemptId);
    const stored = await threaded.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM attempts WHERE id::text = ANY($1::text[])`, [`{${ids.join(',')}}`]);
    expect(stored[0]!.n).toBe(40);
  });

  it('number REPLAY_THREADS when it is set, and refuse a wrong value', () => {
    expect(defaultReplayThreads('3')).toBe(3);
    expect(defaultReplayThreads('0')).toBe(0);
    expect(defaultReplayThreads(undefined)).toBeGreaterThanOrEqual(0);
    // Unset: one per core beyond the first two on PostgreSQL, beyond the first on PGlite, at most 4.
    expect([1, 2, 3, 4, 6, 64].map((cores) => defaultReplayThreads(undefined, cores, 'postgres'))).toEqual([0, 0, 1, 2, 4, 4]);
    expect([1, 2, 3, 4, 6, 64].map((cores) => defaultReplayThreads(undefined, cores, 'pglite'))).toEqual([0, 1, 2, 3, 4, 4]);
    expect(() => defaultReplayThreads('lots')).toThrow(/REPLAY_THREADS must be a whole number from 0 to 64, got "lots"/);
  });
});
