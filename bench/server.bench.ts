/**
 * `npm run bench:server [-- --trainees 50 --attempts 2000 --rows 100000 --db pglite|postgres|both --write]`
 *
 * 1. Submission: the real server on loopback (PGlite in a temporary folder, or PostgreSQL), many
 *    simulated trainees sending a fixed number of attempts at once over HTTP keep-alive. Throughput,
 *    p50 and p99 latency, and a check that the number stored equals the number acknowledged.
 * 2. The dashboard's report query (table + heat map) over 100,000 stored attempts in one cohort.
 *
 * The rate limits are raised for the run: from one address, at this rate, the defaults would
 * (rightly) answer 429. `--write` puts the figures in docs/performance-server.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { analysisOf, playSteps, randomPlay, scenarioHash, seededRandom, stepsFromChoiceList, type Attempt } from '../src/engine/index';
import { hashPassword } from '../src/server/auth';
import { openService, REPO_ROOT, type Service } from '../src/server/service';

const { values: args } = parseArgs({
  options: {
    trainees: { type: 'string', default: '50' },
    attempts: { type: 'string', default: '2000' },
    rows: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'both' },
    write: { type: 'boolean', default: false },
  },
});
const TRAINEES = Number(args.trainees);
const ATTEMPTS = Number(args.attempts);
const ROWS = Number(args.rows);
const PASSWORD = 'bench password 123';
const POSTGRES_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test';

interface Figures {
  target: string;
  trainees: number;
  sent: number;
  acknowledged: number;
  /** Requests that got no answer (connection reset) and were sent again. */
  resent: number;
  stored: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  rows: number;
  reportMedianMs: number;
  reportHttpMedianMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Valid, finished plays across every caller, made before the clock starts. */
function makeAttempts(service: Service, count: number): Attempt[] {
  const random = seededRandom(42);
  const scenarios = [...service.catalogue.current.values()];
  const attempts: Attempt[] = [];
  while (attempts.length < count) {
    const entry = scenarios[attempts.length % scenarios.length]!;
    const analysis = analysisOf(entry.scenario);
    const play = randomPlay(entry.scenario, analysis, random, 0.05, 0);
    const steps = stepsFromChoiceList(play.choices);
    if (!playSteps(entry.scenario, steps).result) continue;
    attempts.push({
      format: 1,
      attemptId: randomUUID(),
      scenarioId: entry.scenario.id,
      scenarioRevision: entry.scenario.revision,
      scenarioHash: scenarioHash(entry.scenario),
      startedAt: new Date(Date.now() - Math.floor(random() * 30) * 86_400_000).toISOString(),
      language: 'zh-CN',
      steps: steps.map((s) => (s.type === 'choose' ? { ...s, ms: 1000 } : s)) as Attempt['steps'],
    });
  }
  return attempts;
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '', json: (await response.json()) as Record<string, unknown> };
}

async function run(target: 'pglite' | 'postgres'): Promise<Figures> {
  const dataDir = target === 'pglite' ? mkdtempSync(join(tmpdir(), 'htl-bench-')) : undefined;
  const schema = target === 'postgres' ? `htl_bench_${randomBytes(4).toString('hex')}` : undefined;
  const roomy = { burst: 1e9, perSecond: 1e9 };
  const service = await openService({
    ...(target === 'postgres' ? { databaseUrl: POSTGRES_URL, schema, poolSize: 20 } : { dataDir }),
    limits: { submit: roomy, submitPerAddress: roomy, join: roomy, login: roomy },
  });
  const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await service.repository.createLead('Bench Lead', await hashPassword(PASSWORD));
    const { cookie } = await postJson(`${base}/api/login`, { name: 'Bench Lead', password: PASSWORD });
    const cohort = await postJson(`${base}/api/cohorts`, { name: 'Bench cohort' }, { cookie });
    const code = (cohort.json.codes as { code: string }[])[0]!.code;
    const tokens: string[] = [];
    for (let i = 0; i < TRAINEES; i++) tokens.push(String((await postJson(`${base}/api/join`, { name: `Trainee ${i + 1}`, code })).json.token));

    const attempts = makeAttempts(service, ATTEMPTS);
    const latencies: number[] = [];
    let acknowledged = 0;
    let resent = 0;
    let next = 0;
    const started = performance.now();
    // Each simulated trainee sends its next attempt as soon as the last one is answered.
    await Promise.all(
      tokens.map(async (token) => {
        while (next < attempts.length) {
          const attempt = attempts[next++]!;
          // As the game's outbox does: a request that got no answer is sent again (stored once).
          for (let tries = 0; tries < 5; tries++) {
            const t0 = performance.now();
            let response: Response;
            try {
              response = await fetch(`${base}/api/attempts`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify(attempt),
              });
              await response.arrayBuffer();
            } catch {
              resent++;
              continue;
            }
            latencies.push(performance.now() - t0);
            if (response.status === 201 || response.status === 200) acknowledged++;
            else console.error(`attempt refused: ${response.status}`);
            break;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stored = await service.repository.countAttempts();
    latencies.sort((a, b) => a - b);

    // The report over ROWS attempts in one cohort: synthetic rows in bulk (SQL here, not in the
    // repository, because only the bench makes data this way).
    const cohortId = Number(cohort.json.id);
    const traineeIds = (await service.db.query<{ id: number }>('SELECT id::int AS id FROM trainees WHERE cohort_id = $1', [cohortId])).map((r) => r.id);
    const versions = [...service.catalogue.current.values()];
    const toAdd = Math.max(0, ROWS - stored);
    for (let done = 0; done < toAdd; done += 10_000) {
      await service.db.query(
        `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps,
           outcome, passed, total, dimensions, duration_ms)
         SELECT gen_random_uuid(), ($2::bigint[])[1 + g % cardinality($2::bigint[])], $1, ($3::text[])[1 + g % cardinality($3::text[])],
           ($4::text[])[1 + g % cardinality($4::text[])], 1, 'zh-CN', now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute', '[]'::jsonb,
           CASE WHEN g % 4 = 0 THEN 'complaint' ELSE 'resolved' END, g % 4 <> 0, (g * 37 % 101)::float8,
           jsonb_build_object('courtesy', g * 13 % 101, 'empathy', g * 17 % 101, 'listening', g * 19 % 101, 'composure', g * 23 % 101,
             'resolution', g * 29 % 101, 'compliance', g * 31 % 101, 'closing', g * 41 % 101), 60000
         FROM generate_series($5::int, $6::int) g`,
        [cohortId, `{${traineeIds.join(',')}}`, `{${versions.map((v) => v.scenario.id).join(',')}}`, `{${versions.map((v) => v.hash).join(',')}}`, done, Math.min(toAdd, done + 10_000) - 1],
      );
    }
    await service.db.query('ANALYZE attempts');
    const rows = await service.repository.countAttempts();
    const leadId = (await service.repository.findLeadByName('Bench Lead'))!.id;
    const direct: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await service.repository.report(leadId, cohortId, {});
      direct.push(performance.now() - t0);
    }
    const viaHttp: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const response = await fetch(`${base}/api/report?cohort=${cohortId}`, { headers: { cookie } });
      await response.arrayBuffer();
      viaHttp.push(performance.now() - t0);
    }
    return {
      target: target === 'pglite' ? 'PGlite (folder on disk)' : 'PostgreSQL 15 (loopback)',
      trainees: TRAINEES,
      sent: attempts.length,
      acknowledged,
      resent,
      stored,
      seconds,
      perSecond: acknowledged / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      rows,
      reportMedianMs: median(direct),
      reportHttpMedianMs: median(viaHttp),
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

const targets: ('pglite' | 'postgres')[] = [];
if (args.db === 'pglite' || args.db === 'both') targets.push('pglite');
if (args.db === 'postgres' || args.db === 'both') {
  if (await postgresReachable()) targets.push('postgres');
  else console.warn(`No PostgreSQL at ${POSTGRES_URL}: start one with .ci/start-postgres.sh or set DATABASE_URL; measuring PGlite only.`);
}

const results: Figures[] = [];
for (const target of targets) {
  console.log(`== ${target}: ${TRAINEES} trainees, ${ATTEMPTS} attempts, report over ${ROWS} rows`);
  const figures = await run(target);
  console.log(figures);
  if (figures.stored !== figures.acknowledged) {
    console.error(`FAIL: ${figures.stored} stored but ${figures.acknowledged} acknowledged`);
    process.exitCode = 1;
  }
  results.push(figures);
}

const f1 = (x: number) => x.toFixed(1);
const table = [
  '| database | trainees at once | attempts sent | acknowledged | resent after no answer | stored | attempts/s | p50 ms | p99 ms | report over N attempts | report query (median of 5) | GET /api/report (median of 5) |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.target} | ${r.trainees} | ${r.sent} | ${r.acknowledged} | ${r.resent} | ${r.stored} | ${f1(r.perSecond)} | ${f1(r.p50)} | ${f1(r.p99)} | ${r.rows.toLocaleString('en')} | ${f1(r.reportMedianMs)} ms | ${f1(r.reportHttpMedianMs)} ms |`,
  ),
].join('\n');
console.log(`\n${table}`);

if (args.write) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const text = `# Performance: the results service

\`npm run bench:server\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpu}, Node ${process.version}; the machine
was shared with other work, so treat the figures as an order of magnitude):

${table}

- Submission: ${TRAINEES} simulated trainees on loopback each send their next attempt as soon as the last is
  answered, ${ATTEMPTS} attempts in all, each a finished random play of one of the callers. Every attempt is
  replayed through the engine on the server (one Node process), so throughput is bounded by the replay, not
  the database. The rate limits are raised for the run. "stored" is counted in the database afterwards and
  must equal "acknowledged" (the bench fails otherwise).
- Report: the lead's cohort report (trainees × callers table and the skills heat map) over ${ROWS.toLocaleString('en')}
  attempts in one cohort of ${TRAINEES} trainees, read through the repository and through HTTP.
- PostgreSQL: Debian's package, started by \`.ci/start-postgres.sh\` on 127.0.0.1 with default durability
  (synchronous commit on). Reproduce with \`.ci/start-postgres.sh\` then \`npm run bench:server -- --write\`.
`;
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'docs', 'performance-server.md'), text);
  console.log('wrote docs/performance-server.md');
}
