/**
 * `npm run bench:server [-- --runs 3 --trainees 50 --attempts 3000 --rows 100000 --exports 3 --db pglite|postgres|both --write]`
 *
 * Each run is a fresh Node process holding the real server (PGlite in a temporary folder, or a fresh
 * schema on PostgreSQL) on loopback; the simulated trainees are another process
 * (bench/server-clients.ts), so their work is not charged to the server. A run measures, in order:
 *
 * 1. Raw single-row inserts into the same database, the same number of rows and as many at once as
 *    there are trainees: a table of the attempts' shape and indexes (`LIKE attempts INCLUDING ALL`),
 *    no summary, no replay, no HTTP. The floor that submissions are compared with.
 * 2. Submissions: every trainee sends its next attempt as soon as the last is answered. Latency is
 *    split into the first 3 s after the server starts taking attempts (start-up: a cold process, cold
 *    caches) and the rest (steady state). "stored" is counted afterwards and must equal
 *    "acknowledged" (the bench fails otherwise).
 * 3. The lead's report (`GET /api/report`) with the cohort at `--rows` attempts.
 * 4. `--exports` whole xAPI exports of those attempts at once while the trainees keep submitting:
 *    the exports start 3 s after the first of these submissions was stored (the clients' start-up
 *    is over, as for the steady state); the latency of the submissions sent between the exports'
 *    first request and the end of the last export, the exports' time and the server's peak memory.
 *    (Set --attempts so that the submissions outlast the first seconds: the table counts them.)
 *
 * The orchestrating process prints min / median / max over the runs and the ratios to the targets.
 * HTL_BENCH_PROFILE=folder writes CPU profiles of the server process during the submissions and during the exports.
 * The rate limits are raised for the run: from one address, at this rate, the defaults would
 * (rightly) answer 429. `--write` puts the figures in docs/performance-server.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { ExportJob, ExportResult, SubmitJob, SubmitResult } from './server-clients';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    trainees: { type: 'string', default: '50' },
    attempts: { type: 'string', default: '3000' },
    rows: { type: 'string', default: '100000' },
    exports: { type: 'string', default: '3' },
    /** Replay threads in the server (src/server/replay.ts); default as `npm start`: REPLAY_THREADS or defaultReplayThreads' count for the database. */
    'replay-threads': { type: 'string' },
    /** PostgreSQL: attempt insert statements in flight at once (ATTEMPT_WRITERS); default as `npm start`. */
    writers: { type: 'string' },
    db: { type: 'string', default: 'both' },
    write: { type: 'boolean', default: false },
    /** Internal: this process is one run against this database. */
    run: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const TRAINEES = Number(args.trainees);
const ATTEMPTS = Number(args.attempts);
const ROWS = Number(args.rows);
const EXPORTS = Number(args.exports);
const REPLAY_THREADS = args['replay-threads'];
const WRITERS = args.writers;
const STARTUP_MS = 3000;
const POSTGRES_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

type Target = 'pglite' | 'postgres';

/** One run's figures. */
interface RunFigures {
  replayThreads: number;
  writers: number;
  rawPerSecond: number;
  sent: number;
  acknowledged: number;
  resent: number;
  stored: number;
  perSecond: number;
  steadyPerSecond: number;
  startupP50: number;
  startupP99: number;
  steadyP50: number;
  steadyP99: number;
  rows: number;
  reportMedianMs: number;
  reportP90Ms: number;
  exportSeconds: number[];
  exportStatements: number[];
  exportMb: number[];
  duringExportsCount: number;
  duringExportsP50: number;
  duringExportsP99: number;
  peakRssGrowthMb: number;
  /** The export phase (exports and the submissions beside them): the request thread's event-loop delay (ms), CPU seconds of this process and of its postgres backends. */
  exportLoopDelayP99: number;
  exportLoopDelayMax: number;
  exportServerCpuS: number;
  exportPostgresCpuS: number;
  /** CPU time (ms) per row or request: this server process (every thread), the clients' process, the postgres backends that served this process (found by their client ports). */
  rawServerCpuMs: number;
  rawPostgresCpuMs: number;
  submitServerCpuMs: number;
  submitClientCpuMs: number;
  submitPostgresCpuMs: number;
  submitRequestThreadCpuMs: number;
  /** The server's request thread during the submissions (perf_hooks.monitorEventLoopDelay, ms): how long a ready callback waited for it. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
  /** The attempt writer during the submissions: statements, mean attempts per statement. */
  writerStatements: number;
  writerMeanBatch: number;
  /** Attempts of the submission phase whose analytics were still queued when it ended (migration 017), and the fold of them afterwards. */
  queuedAtEnd: number;
  foldAfterMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sortNum = (xs: number[]) => [...xs].sort((a, b) => a - b);

// ---------------------------------------------------------------------------------------------
// One run, in its own process.

async function oneRun(target: Target): Promise<RunFigures> {
  const { serve } = await import('@hono/node-server');
  const { benchAttempts } = await import('./bench-attempts');
  const { hashPassword } = await import('../src/server/auth');
  const { openService } = await import('../src/server/service');
  const { defaultReplayThreads } = await import('../src/server/replay');
  type Attempt = import('../src/engine/index').Attempt;

  const dataDir = target === 'pglite' ? mkdtempSync(join(tmpdir(), 'htl-bench-')) : undefined;
  const schema = target === 'postgres' ? `htl_bench_${randomBytes(4).toString('hex')}` : undefined;
  const roomy = { burst: 1e9, perSecond: 1e9 };
  const service = await openService({
    ...(target === 'postgres' ? { databaseUrl: POSTGRES_URL, schema, poolSize: 20 } : { dataDir }),
    limits: { submit: roomy, submitPerAddress: roomy, join: roomy, login: roomy },
    replayThreads: defaultReplayThreads(REPLAY_THREADS, undefined, target),
    ...(WRITERS !== undefined ? { attemptWriters: Number(WRITERS) } : {}),
  });
  const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const postJson = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '', json: (await response.json()) as Record<string, unknown> };
  };

  /** Valid, finished plays across every caller, made before the clock starts, started over the last 30 days. */
  const makeAttempts = (count: number, seed: number): Attempt[] =>
    benchAttempts([...service.catalogue.current.values()], count, seed, (random) => new Date(Date.now() - Math.floor(random() * 30) * 86_400_000).toISOString());

  try {
    await service.repository.createLead('Bench Lead', await hashPassword('bench password 123'));
    const { cookie } = await postJson('/api/login', { name: 'Bench Lead', password: 'bench password 123' });
    const cohort = await postJson('/api/cohorts', { name: 'Bench cohort' }, { cookie });
    const cohortId = Number(cohort.json.id);
    const code = (cohort.json.codes as { code: string }[])[0]!.code;
    const tokens: string[] = [];
    for (let i = 0; i < TRAINEES; i++) tokens.push(String((await postJson('/api/join', { name: `Trainee ${i + 1}`, code })).json.token));
    const traineeIds = (await service.db.query<{ id: number }>('SELECT id::int AS id FROM trainees WHERE cohort_id = $1 ORDER BY id', [cohortId])).map((r) => r.id);
    const attempts = makeAttempts(ATTEMPTS, 42);
    const later = makeAttempts(ATTEMPTS, 43);
    const versions = new Map([...service.catalogue.current.values()].map((v) => [v.scenario.id, v]));

    // 1. Raw single-row inserts: the same rows the submissions will make, as many at once as trainees.
    await service.db.exec('CREATE TABLE bench_raw (LIKE attempts INCLUDING ALL)');
    let nextRaw = 0;
    const rawCpu = cpuMeter(target === 'postgres');
    const rawStarted = performance.now();
    await Promise.all(
      traineeIds.map(async (traineeId) => {
        while (nextRaw < attempts.length) {
          const a = attempts[nextRaw++]!;
          await service.db.query(
            `INSERT INTO bench_raw (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at,
               steps, outcome, passed, total, dimensions, duration_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13::jsonb, $14)`,
            [randomUUID(), traineeId, cohortId, a.scenarioId, versions.get(a.scenarioId)!.hash, a.scenarioRevision, a.language, a.startedAt, JSON.stringify(a.steps), 'resolved', true, 80, '{"courtesy":80,"closing":60}', 60_000],
          );
        }
      }),
    );
    const rawPerSecond = attempts.length / ((performance.now() - rawStarted) / 1000);
    const rawCpuMs = rawCpu();
    await service.db.exec('DROP TABLE bench_raw');

    // 2. Submissions from the client process (HTL_BENCH_PROFILE=dir: a CPU profile of this phase only).
    const profiler = process.env.HTL_BENCH_PROFILE ? await startProfile() : null;
    const submitCpu = cpuMeter(target === 'postgres');
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const writer0 = { ...service.repository.writerStats };
    loop.enable();
    const submitted = await clients<SubmitResult>({ kind: 'submit', base, tokens, attempts: attempts.map((a) => JSON.stringify(a)) });
    loop.disable();
    const submitCpuMs = submitCpu();
    const writerStatements = service.repository.writerStats.statements - writer0.statements;
    const writerAttempts = service.repository.writerStats.attempts - writer0.attempts;
    await profiler?.(join(process.env.HTL_BENCH_PROFILE!, `submit-${target}-${process.pid}.cpuprofile`));
    const stored = await service.repository.countAttempts();
    // The analytics are folded in the background and yield to submissions (migration 017,
    // AnalyticsFolder): what the phase left queued is folded now, timed, so that the figures above
    // say what was deferred and what it costs.
    const queuedAtEnd = Number((await service.db.query<{ n: string | number }>('SELECT count(*) AS n FROM analytics_pending'))[0]?.n ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the folder sees the submissions have paused
    const foldStarted = performance.now();
    while ((await service.analyticsFolder.foldNow()) > 0);
    const foldAfterMs = performance.now() - foldStarted;
    const first = submitted.requests[0]?.[0] ?? 0;
    const startup = sortNum(submitted.requests.filter((r) => r[0] - first < STARTUP_MS).map((r) => r[1]));
    const steadyRequests = submitted.requests.filter((r) => r[0] - first >= STARTUP_MS);
    const steady = sortNum(steadyRequests.map((r) => r[1]));
    const steadySpan = steadyRequests.length ? (Math.max(...steadyRequests.map((r) => r[0] + r[1])) - first - STARTUP_MS) / 1000 : NaN;

    // 3. The report over ROWS attempts: synthetic rows in bulk (SQL here, not in the repository,
    // because only the bench makes data this way). The insert trigger keeps the summaries as for any row.
    const toAdd = Math.max(0, ROWS - stored);
    const all = [...versions.values()];
    for (let done = 0; done < toAdd; done += 5_000) {
      await service.db.query(
        `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps,
           outcome, passed, total, dimensions, duration_ms)
         SELECT gen_random_uuid(), ($2::bigint[])[1 + g % cardinality($2::bigint[])], $1, ($3::text[])[1 + g % cardinality($3::text[])],
           ($4::text[])[1 + g % cardinality($4::text[])], ($5::int[])[1 + g % cardinality($5::int[])], 'zh-CN',
           now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute', '[]'::jsonb,
           CASE WHEN g % 4 = 0 THEN 'complaint' ELSE 'resolved' END, g % 4 <> 0, (g * 37 % 101)::float8,
           jsonb_build_object('courtesy', g * 13 % 101, 'empathy', g * 17 % 101, 'listening', g * 19 % 101, 'composure', g * 23 % 101,
             'resolution', g * 29 % 101, 'compliance', g * 31 % 101, 'closing', g * 41 % 101), 60000
         FROM generate_series($6::int, $7::int) g`,
        [
          cohortId,
          `{${traineeIds.join(',')}}`,
          `{${all.map((v) => v.scenario.id).join(',')}}`,
          `{${all.map((v) => v.hash).join(',')}}`,
          `{${all.map((v) => v.scenario.revision).join(',')}}`,
          done,
          Math.min(toAdd, done + 5_000) - 1,
        ],
      );
    }
    // Migration 017: their analytics are folded here, in large groups (the insert only queues them),
    // so that the phases measured below do not pay for a history that was loaded all at once.
    const { AnalyticsRepository } = await import('../src/server/repository/analytics');
    const analytics = new AnalyticsRepository(service.db);
    while ((await analytics.fold(5_000)) !== 0);
    await service.db.exec('ANALYZE');
    const rows = await service.repository.countAttempts();
    const reportTimes: number[] = [];
    // The bulk load above kept the event loop busy past idle timeouts: a kept-alive socket may be
    // gone, and then the request is timed again on a new one.
    const timedReport = async () => {
      for (let tries = 0; ; tries++) {
        const t0 = performance.now();
        try {
          const response = await fetch(`${base}/api/report?cohort=${cohortId}`, { headers: { cookie } });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`report answered ${response.status}`);
          return performance.now() - t0;
        } catch (error) {
          if (tries > 0 || (error as Error).message.startsWith('report answered')) throw error;
        }
      }
    };
    for (let i = 0; i < 22; i++) {
      const ms = await timedReport();
      if (i >= 2) reportTimes.push(ms); // the first two warm the route
    }
    const reportSorted = sortNum(reportTimes);

    // 4. Whole exports while the trainees keep submitting.
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    // memoryUsage.rss(), not memoryUsage(): the whole set of heap figures cost the server 0.5 s of CPU a run.
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 50);
    // HTL_BENCH_PROFILE=dir: a CPU profile of this phase too; the event loop's delay, as for the submissions.
    const exportProfiler = process.env.HTL_BENCH_PROFILE && EXPORTS > 0 ? await startProfile() : null;
    const exportLoop = monitorEventLoopDelay({ resolution: 5 });
    exportLoop.enable();
    const exportCpu = cpuMeter(target === 'postgres');
    // The trainees submit first; the exports start once the submissions are in their steady state
    // (STARTUP_MS after the first one was stored, as in phase 2): what is measured is a lead
    // exporting while trainees submit, not the clients' process starting.
    const exportsAfterStartup = async (): Promise<ExportResult> => {
      const stored0 = service.repository.writerStats.attempts;
      while (service.repository.writerStats.attempts === stored0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, STARTUP_MS));
      return clients<ExportResult>({ kind: 'export', base, cookie, paths: Array.from({ length: EXPORTS }, () => `/api/xapi?cohort=${cohortId}&limit=0`) });
    };
    // --exports 0: no export phase (a run that measures the submissions only).
    const [exported, during] = EXPORTS === 0
      ? [{ epochStart: 0, exports: [] } as ExportResult, { epochStart: 0, requests: [], acknowledged: 0, resent: 0, seconds: 0, cpuMs: 0 } as SubmitResult]
      : await Promise.all([exportsAfterStartup(), clients<SubmitResult>({ kind: 'submit', base, tokens, attempts: later.map((a) => JSON.stringify(a)) })]);
    clearInterval(sampler);
    exportLoop.disable();
    const exportCpuMs = exportCpu();
    await exportProfiler?.(join(process.env.HTL_BENCH_PROFILE!, `export-${target}-${process.pid}.cpuprofile`));
    // From the exports' first request to the end of the last one (the clients' own clock, Date.now()).
    const exportStarted = exported.epochStart;
    if (process.env.HTL_BENCH_DUMP) writeFileSync(process.env.HTL_BENCH_DUMP, JSON.stringify({ exportStarted, exported, submitted, during }));
    const exportEnded = exportStarted + Math.max(...exported.exports.map((e) => e.ms));
    const overlap = sortNum(during.requests.filter((r) => r[0] + during.epochStart >= exportStarted && r[0] + during.epochStart < exportEnded).map((r) => r[1]));
    for (const e of exported.exports) if (e.status !== 200) throw new Error(`export answered ${e.status}`);
    const storedAfter = await service.repository.countAttempts();
    if (storedAfter - rows !== during.acknowledged) throw new Error(`${storedAfter - rows} stored during the exports but ${during.acknowledged} acknowledged`);

    return {
      replayThreads: service.replays?.size ?? 0,
      // (a server from before the writers had one)
      writers: (service.repository as { writers?: number }).writers ?? 1,
      rawPerSecond,
      sent: attempts.length,
      acknowledged: submitted.acknowledged,
      resent: submitted.resent,
      stored,
      perSecond: submitted.acknowledged / submitted.seconds,
      steadyPerSecond: steadyRequests.length / steadySpan,
      startupP50: percentile(startup, 50),
      startupP99: percentile(startup, 99),
      steadyP50: percentile(steady, 50),
      steadyP99: percentile(steady, 99),
      rows,
      reportMedianMs: percentile(reportSorted, 50),
      reportP90Ms: percentile(reportSorted, 90),
      exportSeconds: exported.exports.map((e) => e.ms / 1000),
      exportStatements: exported.exports.map((e) => e.statements),
      exportMb: exported.exports.map((e) => e.bytes / 1e6),
      duringExportsCount: overlap.length,
      duringExportsP50: percentile(overlap, 50),
      duringExportsP99: percentile(overlap, 99),
      peakRssGrowthMb: (rssPeak - rssBefore) / 1e6,
      exportLoopDelayP99: EXPORTS > 0 ? exportLoop.percentile(99) / 1e6 : NaN,
      exportLoopDelayMax: EXPORTS > 0 ? exportLoop.max / 1e6 : NaN,
      exportServerCpuS: exportCpuMs.server / 1000,
      exportPostgresCpuS: exportCpuMs.postgres / 1000,
      rawServerCpuMs: rawCpuMs.server / attempts.length,
      rawPostgresCpuMs: rawCpuMs.postgres / attempts.length,
      submitServerCpuMs: submitCpuMs.server / submitted.acknowledged,
      submitClientCpuMs: submitted.cpuMs / submitted.acknowledged,
      submitPostgresCpuMs: submitCpuMs.postgres / submitted.acknowledged,
      submitRequestThreadCpuMs: submitCpuMs.requestThread / submitted.acknowledged,
      loopDelayP50: loop.percentile(50) / 1e6,
      loopDelayP99: loop.percentile(99) / 1e6,
      loopDelayMax: loop.max / 1e6,
      writerStatements,
      writerMeanBatch: writerAttempts / writerStatements,
      queuedAtEnd,
      foldAfterMs,
    };
  } finally {
    server.close();
    await service.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

/** utime + stime of a /proc stat file, in ms (USER_HZ is 100 on Linux); NaN if it is gone. */
function procCpuMs(path: string): number {
  try {
    const m = /^\d+ \((.*)\) (.*)$/.exec(readFileSync(path, 'utf8').trim());
    if (!m) return NaN;
    const fields = m[2]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Every postgres process on the machine: pid → CPU ms so far. */
function postgresProcesses(): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') out.set(pid, procCpuMs(`/proc/${pid}/stat`));
  }
  return out;
}

/**
 * The postgres backends serving this process: this process's TCP connections (socket inodes in
 * /proc/self/fd, their local ports in /proc/net/tcp) matched with the client port in each backend's
 * title ("postgres: user db 127.0.0.1(port) …"). Other work on the same cluster (other tests, other
 * benches) is left out.
 */
function ourBackends(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  const pids = new Set<string>();
  for (const pid of postgresProcesses().keys()) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const m = /\((\d+)\)/.exec(title);
      if (m && ports.has(Number(m[1]))) pids.add(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * CPU time from now until the returned function is called, in ms: this process (the server, every
 * thread: requests, PGlite, replays, GC), its request thread alone, and on Linux with PostgreSQL the
 * backends that served this process (NaN elsewhere, and on PGlite, whose database is in this
 * process). The clock measures the other tenants of a shared machine too; CPU time much less so. A
 * backend that exits within the span takes its time with it (the pool keeps them).
 */
function cpuMeter(withPostgres: boolean): () => { server: number; requestThread: number; postgres: number } {
  const p0 = withPostgres ? postgresProcesses() : new Map<string, number>();
  const main0 = procCpuMs(`/proc/self/task/${process.pid}/stat`);
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    const requestThread = procCpuMs(`/proc/self/task/${process.pid}/stat`) - main0;
    let postgres = NaN;
    if (withPostgres) {
      postgres = 0;
      for (const pid of ourBackends()) postgres += procCpuMs(`/proc/${pid}/stat`) - (p0.get(pid) ?? 0);
    }
    return { server: (c.user + c.system) / 1000, requestThread, postgres };
  };
}

/** The server process's CPU profile from now until the returned function writes it (open it in Chrome's DevTools). */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.error(`wrote ${file}`);
  };
}

/** Runs bench/server-clients.ts in its own process with this job; its answer. */
async function clients<T>(job: SubmitJob | ExportJob): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'htl-bench-job-'));
  const file = join(dir, 'job.json');
  writeFileSync(file, JSON.stringify(job));
  try {
    return JSON.parse(await node([join(BENCH_DIR, 'server-clients.ts'), file])) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function node(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1) ?? '') : reject(new Error(`${argv[0]} exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

if (args.run) {
  const figures = await oneRun(args.run as Target);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}

const targets: Target[] = [];
if (args.db === 'pglite' || args.db === 'both') targets.push('pglite');
if (args.db === 'postgres' || args.db === 'both') {
  if (await postgresReachable()) targets.push('postgres');
  else console.warn(`No PostgreSQL at ${POSTGRES_URL}: start one with .ci/start-postgres.sh or set TEST_DATABASE_URL; measuring PGlite only.`);
}

const results = new Map<Target, RunFigures[]>();
for (const target of targets) {
  const runs: RunFigures[] = [];
  for (let i = 1; i <= RUNS; i++) {
    console.log(`== ${target}, run ${i} of ${RUNS}: ${TRAINEES} trainees, ${ATTEMPTS} attempts, report and ${EXPORTS} exports over ${ROWS} rows`);
    const forward = ['--trainees', String(TRAINEES), '--attempts', String(ATTEMPTS), '--rows', String(ROWS), '--exports', String(EXPORTS), ...(REPLAY_THREADS !== undefined ? ['--replay-threads', REPLAY_THREADS] : []), ...(WRITERS !== undefined ? ['--writers', WRITERS] : [])];
    const figures = JSON.parse(await node([fileURLToPath(import.meta.url), '--run', target, ...forward])) as RunFigures;
    console.log(JSON.stringify(figures));
    if (figures.stored !== figures.acknowledged) {
      console.error(`FAIL: ${figures.stored} stored but ${figures.acknowledged} acknowledged`);
      process.exitCode = 1;
    }
    runs.push(figures);
  }
  results.set(target, runs);
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const spread = (xs: number[], f = f1) => {
  const s = sortNum(xs);
  return `${f(percentile(s, 50))} (${f(s[0]!)}–${f(s.at(-1)!)})`;
};
const NAMES: Record<Target, string> = { pglite: 'PGlite (folder on disk)', postgres: 'PostgreSQL 15 (loopback)' };
type Line = [string, (r: RunFigures) => number, string, ((x: number) => string)?];
const lines: Line[] = [
  ['replay threads in the server (0: the request thread replays)', (r) => r.replayThreads, '', (x) => String(x)],
  ['attempt writers (insert statements in flight at once)', (r) => r.writers, '', (x) => String(x)],
  ['raw single-row inserts/s (same rows, same database, as many at once)', (r) => r.rawPerSecond, ''],
  ['submissions/s, whole run (replayed and stored)', (r) => r.perSecond, ''],
  ['submissions/s, steady state (after the first 3 s)', (r) => r.steadyPerSecond, ''],
  ['**ratio** submissions/s ÷ raw inserts/s, steady state', (r) => r.steadyPerSecond / r.rawPerSecond, '≥ 0.5', f2],
  ['ratio, whole run', (r) => r.perSecond / r.rawPerSecond, '', f2],
  ['submission **p99**, first 3 s (ms)', (r) => r.startupP99, '< 500 ms'],
  ['submission p50, first 3 s (ms)', (r) => r.startupP50, ''],
  ['submission **p99**, steady state (ms)', (r) => r.steadyP99, '< 50 ms'],
  ['submission p50, steady state (ms)', (r) => r.steadyP50, ''],
  ['request thread\'s event-loop delay during the submissions, p50 (ms)', (r) => r.loopDelayP50, ''],
  ['event-loop delay p99 (ms)', (r) => r.loopDelayP99, ''],
  ['event-loop delay max (ms)', (r) => r.loopDelayMax, ''],
  ['attempts per insert statement (group commit), mean', (r) => r.writerMeanBatch, ''],
  ['attempts whose analytics were still queued when the submissions ended (folded after, below)', (r) => r.queuedAtEnd, ''],
  ['folding them afterwards, wall (ms)', (r) => r.foldAfterMs, ''],
  ['ratio, whole run with that fold counted (submissions ÷ (run + fold) ÷ raw inserts/s)', (r) => r.stored / (r.stored / r.perSecond + r.foldAfterMs / 1000) / r.rawPerSecond, ''],
  ['**GET /api/report**, median of 20 (ms), cohort of 50 at N attempts', (r) => r.reportMedianMs, '< 30 ms'],
  ['GET /api/report, p90 of 20 (ms)', (r) => r.reportP90Ms, ''],
  ['submission **p99** during the exports (ms)', (r) => r.duringExportsP99, '< 100 ms'],
  ['submission p50 during the exports (ms)', (r) => r.duringExportsP50, ''],
  ['submissions answered during the exports', (r) => r.duringExportsCount, ''],
  ['slowest of the whole xAPI exports at once (s)', (r) => Math.max(...r.exportSeconds), ''],
  ['statements per export', (r) => Math.min(...r.exportStatements), ''],
  ['MB per export', (r) => r.exportMb[0] ?? NaN, ''],
  ['server peak memory growth during the exports (MB)', (r) => r.peakRssGrowthMb, ''],
  ['event-loop delay during the exports, p99 (ms)', (r) => r.exportLoopDelayP99, ''],
  ['event-loop delay during the exports, max (ms)', (r) => r.exportLoopDelayMax, ''],
  ['CPU s during the export phase: server process (every thread)', (r) => r.exportServerCpuS, ''],
  ['CPU s during the export phase: postgres backends serving the server', (r) => r.exportPostgresCpuS, ''],
  ['CPU ms per raw insert: server process (every thread)', (r) => r.rawServerCpuMs, '', f2],
  ['CPU ms per raw insert: postgres backends serving the server', (r) => r.rawPostgresCpuMs, '', f2],
  ['CPU ms per submission: server process (every thread)', (r) => r.submitServerCpuMs, '', f2],
  ['CPU ms per submission: of which the request thread', (r) => r.submitRequestThreadCpuMs, '', f2],
  ['CPU ms per submission: postgres backends serving the server', (r) => r.submitPostgresCpuMs, '', f2],
  ['CPU ms per submission: the clients\' process', (r) => r.submitClientCpuMs, '', f2],
  ['**CPU ratio** (server + postgres) per raw insert ÷ per submission', (r) => (r.rawServerCpuMs + (r.rawPostgresCpuMs || 0)) / (r.submitServerCpuMs + (r.submitPostgresCpuMs || 0)), '', f2],
];
const header = `| what | ${targets.map((t) => NAMES[t]).join(' | ')} | target |`;
const table = [
  header,
  `|---|${targets.map(() => '---|').join('')}---|`,
  ...lines.map(([what, pick, target, f]) => `| ${what} | ${targets.map((t) => spread(results.get(t)!.map(pick), f)).join(' | ')} | ${target} |`),
].join('\n');
console.log(`\nmedian (min–max) of ${RUNS} runs\n\n${table}`);

if (args.write) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const text = `# Performance: the results service

\`npm run bench:server\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpu}, Node ${process.version}; the machine
was shared with other work). Median (min–max) of ${RUNS} runs; each run is a fresh server process with a
fresh database; ${TRAINEES} trainees, ${ATTEMPTS} attempts, the report and ${EXPORTS} exports over ${ROWS.toLocaleString('en')} attempts:

${table}

How it is measured: see the comment at the top of \`bench/server.bench.ts\`. Reproduce with
\`.ci/start-postgres.sh\` then \`npm run bench:server -- --write\`.
`;
  mkdirSync(join(BENCH_DIR, '..', 'docs'), { recursive: true });
  writeFileSync(join(BENCH_DIR, '..', 'docs', 'performance-server.md'), text);
  console.log('wrote docs/performance-server.md');
}
