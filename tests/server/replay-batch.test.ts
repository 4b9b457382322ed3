/**
 * Replays taken a turn of the event loop at a time (src/server/replay.ts), in the request thread
 * (ReplayBatch) and in replay threads (ReplayPool, one message a batch): each answer is
 * replaySubmission's for its own input, whatever else is in the batch; the submissions of one turn
 * go together; one that throws fails only itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { analysisOf, randomPlay, seededRandom, stepsFromChoiceList, type AttemptStep, type Scenario } from '../../src/engine/index';
import { ReplayBatch, ReplayPool, replaySubmission, type ReplayInput } from '../../src/server/replay';
import { loadScenarioFilesOnce } from '../../src/server/scenarios';
import { SCENARIOS_DIR } from '../../src/server/service';

const entries = loadScenarioFilesOnce(SCENARIOS_DIR).entries;

/** Random plays of every shipped caller (finished or not, some with a choice not on offer), with and without a seed. */
function inputs(count: number): ReplayInput[] {
  const random = seededRandom(7);
  const out: ReplayInput[] = [];
  for (let i = 0; i < count; i++) {
    const { scenario, hash } = entries[i % entries.length]!;
    const choices = randomPlay(scenario, analysisOf(scenario), random, 0.1, 0).choices;
    if (i % 5 === 3) choices.splice(Math.floor(random() * choices.length), 0, 'not-a-choice');
    if (i % 7 === 4) choices.length = Math.floor(choices.length / 2);
    const steps = stepsFromChoiceList(choices).map((s): AttemptStep => (s.type === 'choose' ? { ...s, ms: Math.floor(random() * 4000) } : s));
    out.push({ scenario, hash, steps, seed: i % 2 ? `batch-seed-${i}` : undefined, language: i % 3 ? 'zh-CN' : 'en', serverElapsedMs: i % 4 ? null : 20_000, claimedStartedAt: new Date(Date.UTC(2026, 10, 20, 9, i)).toISOString() });
  }
  return out;
}

describe('replays batched in the request thread', () => {
  it('answer each submission as replaySubmission does, the ones sent together in one turn', async () => {
    const batch = new ReplayBatch();
    const all = inputs(120);
    const answers = await Promise.all(all.map((input) => batch.replay(input)));
    expect(answers).toEqual(all.map((input) => replaySubmission(input)));
    expect(new Set(answers.map((a) => a.kind))).toEqual(new Set(['scored', 'problem', 'unfinished']));
    // 120 sent at once: two turns of at most 64, not one turn each.
    expect(batch.stats).toEqual({ replays: 120, batches: 2 });
  });

  it('replay a lone submission on the next turn, and one that throws fails alone', async () => {
    const batch = new ReplayBatch();
    const [good] = inputs(1);
    expect(await batch.replay(good!)).toEqual(replaySubmission(good!));
    const broken = { ...good!, scenario: { ...good!.scenario, nodes: null } as unknown as Scenario };
    const results = await Promise.allSettled([batch.replay(good!), batch.replay(broken), batch.replay(good!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(batch.stats).toEqual({ replays: 4, batches: 2 });
  });

  it('keep the queue small while more than a turn of submissions arrives every turn', async () => {
    const batch = new ReplayBatch();
    const [one] = inputs(1);
    /** The most slots held for submissions already replayed. */
    let most = 0;
    const answers: Promise<unknown>[] = [];
    // 100 submissions a turn for 40 turns: 64 are replayed a turn, so the queue never empties.
    for (let turn = 0; turn < 40; turn++) {
      for (let i = 0; i < 100; i++) answers.push(batch.replay(one!));
      most = Math.max(most, batch.pending.slots - batch.pending.waiting);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(batch.pending.waiting).toBeGreaterThan(0);
    // Slots already replayed are let go once 1,024 of them have piled up.
    expect(most).toBeLessThanOrEqual(1024 + 64);
    await Promise.all(answers);
    expect(batch.pending).toEqual({ waiting: 0, slots: 0 });
    expect(batch.stats.replays).toBe(4000);
  });
});

describe('replays batched in replay threads', () => {
  let pool: ReplayPool | null = null;
  afterAll(async () => {
    await pool?.close();
  });

  it('answer each submission as replaySubmission does, a turn shared among the threads in one message each', async () => {
    pool = await ReplayPool.open(2);
    const all = inputs(120);
    const answers = await Promise.all(all.map((input) => pool!.replay(input)));
    expect(answers).toEqual(all.map((input) => replaySubmission(input)));
    expect(pool.stats).toEqual({ replays: 120, batches: 2 });
    // A batch with a job that throws: only that job fails; the threads keep their callers.
    const [good] = inputs(1);
    const broken = { ...good!, hash: 'no-such-caller', scenario: { ...good!.scenario, nodes: null } as unknown as Scenario };
    const results = await Promise.allSettled([pool.replay(good!), pool.replay(broken), pool.replay(good!), pool.replay(good!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/the replay failed: /);
    expect((results[3] as PromiseFulfilledResult<unknown>).value).toEqual(replaySubmission(good!));
  });
});
