/**
 * `npx tsx bench/server-cpu-insert.ts [--db pglite|postgres] [--sizes 1,3,20] [--against DIR]`
 *
 * CPU time per stored attempt of the attempt writer (src/server/repository.ts, BatchWriter) by the
 * size of its groups: this process (the insert's JSON, the driver; PGlite in memory runs here too)
 * plus, on PostgreSQL, the one backend that ran the statements (read from /proc), so the clock's
 * noise on a shared machine stays out. Each group is one statement with its triggers (summaries,
 * analytics), as a submission's. `--against DIR`: a checkout of another commit (with node_modules)
 * whose BatchWriter is measured on the same database, interleaved with this one's (old, new, old…).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BatchWriter, type NewAttempt } from '../src/server/repository';
import { openRepository } from '../src/server/service';

const { values: args } = parseArgs({
  options: { db: { type: 'string', default: 'postgres' }, sizes: { type: 'string', default: '1,3,20' }, against: { type: 'string' }, groups: { type: 'string', default: '30' } },
});
const POSTGRES_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';
const onPostgres = args.db === 'postgres';
const schema = `htl_cpu_insert_${process.pid}`;
const { db, repository } = await openRepository(onPostgres ? { databaseUrl: POSTGRES_URL, schema, poolSize: 1 } : { dataDir: 'memory://' });
const backend = onPostgres ? (await db.query<{ p: number }>('SELECT pg_backend_pid() AS p'))[0]!.p : 0;
const backendMs = () => {
  if (!onPostgres) return 0;
  const fields = readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const callers = Array.from({ length: 11 }, (_, i) => `caller-${i}`);
for (const c of callers) await repository.saveScenarioVersion(c.padEnd(64, '0'), c, 1, { en: c }, { id: c });
const lead = await repository.createLead('Bench Lead', 'x');
const cohort = (await repository.createCohort(lead, 'Bench', 'BENCH123')) as number;
const trainees: number[] = [];
for (let t = 0; t < 50; t++) trainees.push(((await repository.joinCohort('BENCH123', `Trainee ${t}`, `token-${t}`)) as { id: number }).id);

let n = 0;
/** An attempt of bench:server's shape: nine steps, five decisions with reply times, seven skills, a rule broken on a quarter. */
function attempt(): NewAttempt {
  n++;
  const c = callers[n % callers.length]!;
  const now = new Date().toISOString();
  return {
    id: randomUUID(), traineeId: trainees[n % trainees.length]!, cohortId: cohort, scenarioId: c, scenarioHash: c.padEnd(64, '0'), scenarioRevision: 1, language: 'zh-CN', startedAt: now,
    steps: Array.from({ length: 9 }, (_, i) => ({ type: 'choose', node: `n${i}`, choice: `c${i % 3}`, ms: 1000 })), seed: null, mode: 'practice', outcome: 'resolved', passed: true, total: 70,
    dimensions: { courtesy: 80, empathy: 70, listening: 60, composure: 50, resolution: 40, compliance: 90, closing: 60 }, durationMs: 60_000, timedByServer: false, claimedStartedAt: now,
    replayPrint: randomUUID(), choicePrint: randomUUID(), flags: [], receivedAt: now, brokenRules: n % 4 ? [] : ['rule-1'],
    decisions: Array.from({ length: 5 }, (_, i) => ({ node: `n${i}`, choice: `c${(n + i) % 3}`, ms: 800 + ((n * 37 + i * 311) % 5000) })),
  };
}

type Writer = { add(a: NewAttempt): Promise<unknown> };
const writers: [string, Writer][] = [['this', new BatchWriter(db, 1, onPostgres)]];
if (args.against) {
  const other = (await import(join(args.against, 'src/server/repository.ts'))) as { BatchWriter: new (db: unknown) => Writer };
  writers.unshift([args.against, new other.BatchWriter(db)]);
}
const GROUPS = Number(args.groups);
for (const size of args.sizes.split(',').map(Number)) {
  const perAttempt = new Map<string, number[]>(writers.map(([name]) => [name, []]));
  for (let round = 0; round < 8; round++) {
    for (const [name, writer] of writers) {
      const c0 = process.cpuUsage();
      const b0 = backendMs();
      // `size` attempts at once: the writer puts them in one statement.
      for (let g = 0; g < GROUPS; g++) await Promise.all(Array.from({ length: size }, () => writer.add(attempt())));
      const c = process.cpuUsage(c0);
      if (round >= 2) perAttempt.get(name)!.push(((c.user + c.system) / 1000 + backendMs() - b0) / (GROUPS * size));
    }
  }
  for (const [name, xs] of perAttempt) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`${args.db}, groups of ${size}, ${name}: CPU ms per attempt median ${s[Math.floor(s.length / 2)]!.toFixed(3)} (${s[0]!.toFixed(3)}–${s.at(-1)!.toFixed(3)})`);
  }
}
await db.close();
if (onPostgres) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
