/**
 * `npx tsx bench/server-trigger-cost.ts [--db postgres|pglite|both] [--upto 13] [--prefill 20000] [--sizes 1,16,40] [--repeat 15]`
 *
 * What the attempt triggers cost per insert statement, on two schemas side by side: one migrated up
 * to `--upto` (default 013: the triggers before migration 015) and one migrated to the last
 * migration. Each schema gets the same cohort of 50 trainees and the same `--prefill` attempts over
 * 60 days (so the summaries have their working size); then, interleaved (old, new, old, new…),
 * statements of 1, 16 and 40 fresh attempts (today's date, random trainee and caller, five
 * decisions with reply times, seven skills, rules broken on a quarter, a flag on a tenth) are run
 * under `EXPLAIN (ANALYZE)` (its Triggers part), and the time each trigger took is summed: the summaries' and
 * the analytics' triggers apart from the LRS outbox's (not ours) and from the insert itself.
 * Each statement runs in a transaction that is rolled back, so every statement meets the same tables.
 * Prints median (min–max) per statement and per attempt. Then CPU time, the steadier measure on a
 * shared machine: about `--cpu-attempts` attempts a size in statements that commit, interleaved,
 * CPU of the schema's one PostgreSQL backend (/proc, 10 ms ticks summed over the statements) or of
 * this process (PGlite), per attempt: the insert and all its triggers, the same in both schemas but
 * for ours.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDb, type Db } from '../src/server/db';
import { migrate, readMigrations } from '../src/server/migrate';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    upto: { type: 'string', default: '13' },
    prefill: { type: 'string', default: '20000' },
    sizes: { type: 'string', default: '1,16,40' },
    repeat: { type: 'string', default: '15' },
    'cpu-attempts': { type: 'string', default: '1200' },
  },
});
const POSTGRES_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';
const UPTO = Number(args.upto);
const PREFILL = Number(args.prefill);
const SIZES = args.sizes.split(',').map(Number);
const REPEAT = Number(args.repeat);
const CPU_ATTEMPTS = Number(args['cpu-attempts']);
const CALLERS = 11;

/** Attempts g in [from, to] as SQL rows of the attempts table ($1 cohort, $2 trainee ids, $3 days back or null for now). */
const ROWS = `SELECT gen_random_uuid() AS id, ($2::bigint[])[1 + (g * 7 + floor(random() * 50)::int) % 50] AS trainee_id, $1::bigint AS cohort_id,
    'caller-' || (g % ${CALLERS}) AS scenario_id, 'hash-' || (g % ${CALLERS}) AS scenario_hash, 1 AS scenario_revision, 'zh-CN' AS language,
    CASE WHEN $3::boolean THEN now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute' ELSE now() - random() * interval '1 hour' END AS started_at,
    (SELECT jsonb_agg(jsonb_build_object('type', 'choose', 'choiceId', 'c' || ((g + k) % 3), 'ms', 300 + (g * 7 + k * 131) % 20000)) FROM generate_series(1, 5) k) AS steps,
    'resolved' AS outcome, g % 4 <> 0 AS passed, (g * 37 % 101)::float8 AS total,
    jsonb_build_object('courtesy', g * 13 % 101, 'empathy', g * 17 % 101, 'listening', g * 19 % 101, 'composure', g * 23 % 101,
      'resolution', g * 29 % 101, 'compliance', g * 31 % 101, 'closing', g * 41 % 101) AS dimensions,
    60000 + g * 7919 % 240000 AS duration_ms, g % 3 <> 0 AS timed_by_server,
    CASE WHEN g % 10 = 0 THEN '[{"kind":"too-fast","reason":"1 of 5 choices faster than the options can be read"}]'::jsonb ELSE '[]'::jsonb END AS flags,
    CASE WHEN g % 4 = 0 THEN ARRAY['courteous-words', 'no-overpromise'] ELSE '{}'::text[] END AS broken_rules,
    (SELECT jsonb_agg(jsonb_build_object('node', 'n' || k, 'choice', 'c' || ((g + k) % 3), 'ms', 300 + (g * 7 + k * 131) % 20000) ORDER BY k) FROM generate_series(1, 5) k) AS decisions
  FROM generate_series($4::int, $5::int) g`;
const COLUMNS = 'id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions, duration_ms, timed_by_server, flags, broken_rules, decisions';

interface Schema {
  label: string;
  db: Db;
  /** CPU ms so far of what runs the statements: the PostgreSQL backend, or this process (PGlite). */
  cpu(): number;
  backend(): Promise<void>;
  cohort: number;
  trainees: string;
  close(): Promise<void>;
}

async function open(target: 'postgres' | 'pglite', upto: number | null, label: string): Promise<Schema> {
  const schema = target === 'postgres' ? `htl_trig_${randomBytes(4).toString('hex')}` : undefined;
  const db = await openDb(target === 'postgres' ? { databaseUrl: POSTGRES_URL, schema, poolSize: 1 } : { dataDir: 'memory://' });
  await migrate(db, readMigrations().filter((m) => upto === null || m.version <= upto));
  const lead = (await db.query<{ id: number }>(`INSERT INTO leads (name, password_hash) VALUES ('L', 'x') RETURNING id::int AS id`))[0]!.id;
  const cohort = (await db.query<{ id: number }>(`INSERT INTO cohorts (lead_id, name) VALUES ($1, 'C') RETURNING id::int AS id`, [lead]))[0]!.id;
  const ids = await db.query<{ id: number }>(
    `INSERT INTO trainees (cohort_id, name, token_hash, name_key) SELECT $1, 'T' || i, 'tok' || i, 't' || i FROM generate_series(1, 50) i RETURNING id::int AS id`,
    [cohort],
  );
  await db.query(`INSERT INTO scenario_versions (hash, scenario_id, revision, title, body) SELECT 'hash-' || i, 'caller-' || i, 1, '{}', '{}' FROM generate_series(0, ${CALLERS - 1}) i`);
  const trainees = `{${ids.map((r) => r.id).join(',')}}`;
  for (let done = 0; done < PREFILL; done += 2000) {
    await db.query(`INSERT INTO attempts (${COLUMNS}) ${ROWS}`, [cohort, trainees, true, done, Math.min(PREFILL, done + 2000) - 1]);
  }
  await db.exec('ANALYZE');
  // The one backend of this schema's pool (PostgreSQL): its CPU time is the statements' CPU time.
  let pid: number | null = null;
  return {
    label,
    db,
    // The pool's one connection may have been closed while idle: ask which backend serves it now.
    backend: async () => {
      if (target === 'postgres') pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
    },
    cpu: () => {
      if (pid === null) {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      }
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in ticks of 10 ms
    },
    cohort,
    trainees,
    async close() {
      await db.close();
      if (schema) {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}

interface Timing {
  total: number;
  ours: number;
  outbox: number;
}

let g0 = 100_000;
async function oneStatement(s: Schema, size: number): Promise<Timing> {
  const from = g0;
  g0 += size;
  return s.db.transaction(async (tx) => {
    const rows = await tx.query<Record<string, unknown>>(`EXPLAIN (ANALYZE, FORMAT JSON) INSERT INTO attempts (${COLUMNS}) ${ROWS}`, [s.cohort, s.trainees, false, from, from + size - 1]);
    const raw = rows[0]!['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { 'Execution Time': number; Triggers?: { 'Trigger Name': string; Time: number }[] }[];
    const triggers = plan[0]!.Triggers ?? [];
    const outbox = triggers.filter((t) => t['Trigger Name'] === 'attempts_lrs_outbox').reduce((sum, t) => sum + t.Time, 0);
    const ours = triggers.filter((t) => t['Trigger Name'] !== 'attempts_lrs_outbox' && !t['Trigger Name'].startsWith('RI_')).reduce((sum, t) => sum + t.Time, 0);
    // Roll back: every statement meets the same tables.
    throw Object.assign(new Error('rollback'), { timing: { total: plan[0]!['Execution Time'], ours, outbox } });
  }).catch((error: { timing?: Timing }) => {
    if (!error.timing) throw error;
    return error.timing;
  });
}

const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)]!.toFixed(2)} (${s[0]!.toFixed(2)}–${s.at(-1)!.toFixed(2)})`;
};

const targets = args.db === 'both' ? (['postgres', 'pglite'] as const) : [args.db as 'postgres' | 'pglite'];
for (const target of targets) {
  const started = performance.now();
  const old = await open(target, UPTO, `migrations ≤ ${String(UPTO).padStart(3, '0')}`);
  const now = await open(target, null, `all migrations (≤ ${String(readMigrations().at(-1)!.version).padStart(3, '0')})`);
  console.log(`\n${target}: ${PREFILL} attempts in each schema, set up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const size of SIZES) {
    const got = new Map<Schema, Timing[]>([
      [old, []],
      [now, []],
    ]);
    for (let i = 0; i < 2; i++) for (const s of [old, now]) await oneStatement(s, size); // warm
    for (let i = 0; i < REPEAT; i++) for (const s of i % 2 ? [now, old] : [old, now]) got.get(s)!.push(await oneStatement(s, size));
    for (const s of [old, now]) {
      const t = got.get(s)!;
      console.log(
        `${target} ${s.label}, ${size} attempt(s) a statement: summary+analytics triggers ${spread(t.map((x) => x.ours))} ms (${spread(t.map((x) => x.ours / size))} ms an attempt); ` +
          `outbox trigger ${spread(t.map((x) => x.outbox))} ms; whole statement ${spread(t.map((x) => x.total))} ms`,
      );
    }
  }
  // CPU time: statements that commit (the tables grow as in use), interleaved, about CPU_ATTEMPTS attempts a size.
  for (const size of SIZES) {
    const cpu = new Map<Schema, number>([
      [old, 0],
      [now, 0],
    ]);
    const statements = Math.ceil(CPU_ATTEMPTS / size);
    for (let i = 0; i < statements; i++) {
      for (const s of i % 2 ? [now, old] : [old, now]) {
        const from = g0;
        g0 += size;
        await s.backend();
        const c0 = s.cpu();
        await s.db.query(`INSERT INTO attempts (${COLUMNS}) ${ROWS}`, [s.cohort, s.trainees, false, from, from + size - 1]);
        cpu.set(s, cpu.get(s)! + s.cpu() - c0);
      }
    }
    for (const s of [old, now]) {
      console.log(`${target} ${s.label}, ${size} attempt(s) a statement, ${statements} statements: CPU ${(cpu.get(s)! / (statements * size)).toFixed(3)} ms an attempt (insert, every trigger)`);
    }
  }
  await old.close();
  await now.close();
}
