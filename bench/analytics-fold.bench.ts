/**
 * `npx tsx bench/analytics-fold.bench.ts [--db pglite|postgres|both] [--attempts 4000]`
 *
 * What the analytics fold (migration 017) costs per attempt as its groups grow, and what the queued
 * attempts cost a read, to choose when the server folds (src/server/service.ts). On a fresh database
 * (PGlite in memory, or a fresh schema on the .ci PostgreSQL) of one cohort of 50 trainees and 6
 * callers: attempts of the bench's shape (8 decisions with reply times, 6 skills, rules, a flag in
 * ten) are stored through the repository's insert with nothing folding, then folded in groups of
 * 1, 10, 100, 1000 and 2000: the time of each fold (the statement's wall time; one client, so on
 * PostgreSQL that is the backend's work plus a round trip) per attempt. Then the lead's undated
 * reads (callers, rules, call times, one caller's decisions, skills) with 0, 100, 1000 and 5000
 * attempts of the cohort queued.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDb, type Db } from '../src/server/db';
import { migrate } from '../src/server/migrate';
import { Repository, type NewAttempt } from '../src/server/repository';
import { AnalyticsRepository, type Scope } from '../src/server/repository/analytics';

const { values: args } = parseArgs({ options: { db: { type: 'string', default: 'both' }, attempts: { type: 'string', default: '4000' } } });
const ATTEMPTS = Number(args.attempts);
const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rnd = random(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
const CALLERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

function attempt(cohortId: number, trainees: number[]): NewAttempt {
  const scenarioId = pick(CALLERS);
  return {
    id: randomUUID(),
    traineeId: pick(trainees),
    cohortId,
    scenarioId,
    scenarioHash: `hash-${scenarioId}`,
    scenarioRevision: 1,
    language: 'zh-CN',
    startedAt: new Date(Date.now() - Math.floor(rnd() * 3 * 86_400_000)).toISOString(),
    steps: Array.from({ length: 9 }, (_, i) => ({ type: 'choose', choiceId: `ch-${i}-${Math.floor(rnd() * 3)}`, ms: 800 + Math.floor(rnd() * 9000) })),
    seed: null,
    mode: 'practice',
    outcome: 'resolved',
    passed: rnd() < 0.5,
    total: Math.floor(rnd() * 100),
    dimensions: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((d) => [d, Math.floor(rnd() * 100)])),
    durationMs: 20_000 + Math.floor(rnd() * 200_000),
    timedByServer: rnd() < 0.9,
    flags: rnd() < 0.1 ? [{ kind: 'too-fast', reason: 'bench' }] : [],
    brokenRules: ['r1', 'r2', 'r3', 'r4'].filter(() => rnd() < 0.3),
    decisions: Array.from({ length: 8 }, (_, i) => ({ node: `n${i}`, choice: `ch-${i}-${Math.floor(rnd() * 3)}`, ms: 800 + Math.floor(rnd() * 9000) })),
  };
}

async function store(repository: Repository, cohortId: number, trainees: number[], n: number) {
  for (let done = 0; done < n; done += 50) await Promise.all(Array.from({ length: Math.min(50, n - done) }, () => repository.insertAttempt(attempt(cohortId, trainees))));
}

async function run(name: string, db: Db) {
  await migrate(db);
  const repository = new Repository(db);
  const analytics = new AnalyticsRepository(db);
  for (const id of CALLERS) await repository.saveScenarioVersion(`hash-${id}`, id, 1, { en: id }, { id });
  const lead = await repository.createLead('Lead', 'scrypt$x');
  const cohortId = (await repository.createCohort(lead, 'Cohort', 'CODE2345')) as number;
  const trainees: number[] = [];
  for (let i = 0; i < 50; i++) trainees.push(((await repository.joinCohort('CODE2345', `T${i}`, `token-${i}`)) as { id: number }).id);
  await store(repository, cohortId, trainees, ATTEMPTS);
  // Warm: the aggregates' rows exist, as in a cohort that has played a while.
  await analytics.fold(1_000_000);

  console.log(`\n== ${name}: fold cost per attempt by group size (${ATTEMPTS} attempts stored before each size)`);
  for (const size of [1, 10, 100, 1000, 2000]) {
    await store(repository, cohortId, trainees, ATTEMPTS);
    const t0 = performance.now();
    let folded = 0;
    let folds = 0;
    const times: number[] = [];
    while (folded < ATTEMPTS) {
      const s = performance.now();
      const n = await analytics.fold(size);
      times.push(performance.now() - s);
      if (n <= 0) break;
      folded += n;
      folds++;
    }
    const ms = performance.now() - t0;
    times.sort((a, b) => a - b);
    console.log(`group ${String(size).padStart(5)}: ${(ms / folded).toFixed(3)} ms per attempt, one fold ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms median, ${times[times.length - 1]!.toFixed(1)} ms most (${folds} folds)`);
  }

  console.log(`== ${name}: the lead's undated analytics reads (ms, median of 5) by attempts queued`);
  const scope: Scope = { cohortId, scenarioId: null, from: null, to: null };
  for (const queued of [0, 100, 1000, 5000]) {
    await analytics.fold(1_000_000);
    await store(repository, cohortId, trainees, queued);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await analytics.callers(scope);
      await analytics.rules(scope);
      await analytics.times(scope, true);
      await analytics.choices({ ...scope, scenarioId: 'c1' });
      await analytics.heat(scope, 'best');
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    console.log(`${String(queued).padStart(5)} queued: ${times[2]!.toFixed(1)} ms`);
  }
}

if (args.db === 'pglite' || args.db === 'both') {
  const db = await openDb({ dataDir: 'memory://' });
  await run('PGlite (memory)', db);
  await db.close();
}
if (args.db === 'postgres' || args.db === 'both') {
  const schema = `htl_bench_fold_${process.pid}`;
  const db = await openDb({ databaseUrl: URL, schema, poolSize: 4 });
  try {
    await run('PostgreSQL', db);
  } finally {
    await db.close();
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
