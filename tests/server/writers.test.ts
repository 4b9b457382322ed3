/**
 * Several attempt writers on PostgreSQL (src/server/repository.ts, BatchWriter's lanes), and two
 * servers' writers on one database: every attempt stored once, the summaries and the analytics
 * counting each exactly once (the analytics folded by both servers meanwhile), and no group failing on a deadlock (each insert takes its callers'
 * locks in one order before it writes, so the triggers' upserts never wait on each other in a cycle).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db';
import type { NewAttempt, Repository } from '../../src/server/repository';
import { AnalyticsFolder } from '../../src/server/analytics';
import { AnalyticsRepository } from '../../src/server/repository/analytics';
import { openRepository } from '../../src/server/service';
import { dropSchema, postgresUrl, testSchema } from './postgres';

const CALLERS = ['c-one', 'c-two', 'c-three', 'c-four', 'c-five', 'c-six'];
const hashOf = (caller: string) => caller.padEnd(64, '0');

describe.skipIf(!postgresUrl)(`attempt writers on PostgreSQL${postgresUrl ? '' : ' (skipped: no PostgreSQL server reachable)'}`, () => {
  const schema = testSchema();
  let db: Db;
  let one: Repository;
  let other: Repository;
  let otherDb: Db;
  let cohorts: number[] = [];
  let trainees: { id: number; cohortId: number }[] = [];

  beforeAll(async () => {
    ({ db, repository: one } = await openRepository({ databaseUrl: postgresUrl!, schema, poolSize: 8, attemptWriters: 4 }));
    ({ db: otherDb, repository: other } = await openRepository({ databaseUrl: postgresUrl!, schema, poolSize: 8, attemptWriters: 4 }));
    for (const caller of CALLERS) await one.saveScenarioVersion(hashOf(caller), caller, 1, { en: caller }, { id: caller });
    const lead = await one.createLead('Writers Lead', 'x');
    cohorts = [];
    trainees = [];
    for (const [i, name] of ['Morning', 'Evening'].entries()) {
      const code = `WRITE${i}ABC`;
      const cohort = await one.createCohort(lead, name, code);
      if (typeof cohort !== 'number') throw new Error('cohort not made');
      cohorts.push(cohort);
      for (let t = 0; t < 8; t++) {
        const row = await one.joinCohort(code, `${name} ${t}`, `token-${name}-${t}`);
        if (typeof row !== 'object' || !('id' in row)) throw new Error('trainee not made');
        trainees.push({ id: row.id, cohortId: cohort });
      }
    }
  }, 180_000);

  afterAll(async () => {
    await db?.close();
    await otherDb?.close();
    await dropSchema(schema);
  });

  /** An attempt that touches every aggregate: several decisions and times, rules, skills and a flag. */
  function attempt(n: number): NewAttempt {
    const trainee = trainees[n % trainees.length]!;
    const caller = CALLERS[Math.floor(n / 2) % CALLERS.length]!; // both servers (even and odd n) write every caller
    return {
      id: randomUUID(),
      traineeId: trainee.id,
      cohortId: trainee.cohortId,
      scenarioId: caller,
      scenarioHash: hashOf(caller),
      scenarioRevision: 1,
      language: 'zh-CN',
      startedAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
      steps: [{ type: 'answer', ring: 1 }],
      seed: null,
      mode: 'practice',
      outcome: n % 3 ? 'resolved' : 'complaint',
      passed: n % 3 !== 0,
      total: n % 101,
      dimensions: { courtesy: n % 90, empathy: (n * 3) % 97, closing: (n * 5) % 89 },
      durationMs: 30_000 + n,
      timedByServer: n % 2 === 0,
      flags: n % 5 === 0 ? [{ kind: 'too-fast', reason: 'test' }] : [],
      brokenRules: n % 4 === 0 ? ['rule-a', 'rule-b'] : [],
      decisions: Array.from({ length: 6 }, (_, d) => ({ node: `node-${d}`, choice: `choice-${(n + d) % 3}`, ms: 400 + ((n * 37 + d * 911) % 9000) })),
    };
  }

  it('stores every attempt once from two servers of four writers each over the same callers, counted once, without a deadlock', async () => {
    const attempts = Array.from({ length: 900 }, (_, n) => attempt(n));
    // Both servers fold the analytics (migration 017) all the while, at the pace of the timer and faster.
    const folders = [new AnalyticsFolder(new AnalyticsRepository(db), { chunk: 40 }), new AnalyticsFolder(new AnalyticsRepository(otherDb), { chunk: 25 })];
    let storing = true;
    const folding = folders.map(async (folder) => {
      while (storing) {
        await folder.foldNow();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const outcomes = await Promise.all(attempts.map((a, n) => (n % 2 ? other : one).insertAttempt(a)));
    storing = false;
    await Promise.all(folding);
    expect(folders[0]!.stats.attempts + folders[1]!.stats.attempts).toBeGreaterThan(0);
    await folders[0]!.foldNow();
    expect(outcomes.every((o) => o === 'stored')).toBe(true);
    // Several statements were in flight at once in each server, and no group failed (a deadlock fails one).
    expect(one.writerStats.inFlightMost).toBeGreaterThan(1);
    expect(other.writerStats.inFlightMost).toBeGreaterThan(1);
    expect(one.writerStats.failedGroups + other.writerStats.failedGroups).toBe(0);

    const count = async (sql: string) => Number((await db.query<{ n: number | string }>(sql))[0]!.n);
    expect(await count('SELECT count(*) AS n FROM attempts')).toBe(900);
    expect(await count('SELECT sum(attempts) AS n FROM attempt_summaries')).toBe(900);
    expect(await count('SELECT sum(attempts) AS n FROM analytics_callers')).toBe(900);
    expect(await count('SELECT sum(chosen) AS n FROM analytics_choices')).toBe(900 * 6);
    expect(await count('SELECT sum(n) AS n FROM analytics_dimensions')).toBe(900 * 3);
    expect(await count('SELECT sum(attempts) AS n FROM analytics_rules')).toBe(attempts.filter((a) => a.brokenRules!.length).length * 2);
    expect(await count("SELECT sum(n) AS n FROM analytics_flags WHERE kind = 'too-fast'")).toBe(attempts.filter((a) => a.flags!.length).length);
    expect(await count("SELECT sum(n) AS n FROM analytics_times WHERE node_id <> ''")).toBe(900 * 6);
  }, 180_000);

  it('writes each caller through one lane: a caller’s attempts keep their order, the callers spread over the lanes', async () => {
    expect(one.writers).toBe(4);
    const before = { ...one.writerStats };
    // One caller only: one lane, so never two of its statements at once in this server.
    const single = Array.from({ length: 200 }, (_, n) => ({ ...attempt(n), scenarioId: 'c-one', scenarioHash: hashOf('c-one') }));
    one.writerStats.inFlightMost = 0;
    await Promise.all(single.map((a) => one.insertAttempt(a)));
    expect(one.writerStats.statements - before.statements).toBeGreaterThan(1);
    expect(one.writerStats.inFlightMost).toBe(1);
    // Two callers at once: two lanes, two statements in flight.
    one.writerStats.inFlightMost = 0;
    const two = Array.from({ length: 200 }, (_, n) => ({ ...attempt(n), scenarioId: CALLERS[n % 2]!, scenarioHash: hashOf(CALLERS[n % 2]!) }));
    await Promise.all(two.map((a) => one.insertAttempt(a)));
    expect(one.writerStats.inFlightMost).toBe(2);
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts WHERE id = ANY($1::uuid[])', [`{${single.map((a) => a.id).join(',')}}`]);
    expect(rows[0]!.n).toBe(200);
  }, 180_000);
});
