/**
 * `npx tsx bench/server-cpu-analytics.ts [--postgres]`: the cohort analytics (GET /api/analytics, /heat by best
 * and by average, /decisions) and the report in-process over a cohort of 50 trainees with 100,000 attempts on
 * PGlite (or a fresh schema on the PostgreSQL of TEST_DATABASE_URL, DATABASE_URL or
 * `.ci/start-postgres.sh`), in CPU time of this process (PGlite's thread included; not PostgreSQL's) and on the clock. The attempts are inserted by SQL in statements of 5,000 rows
 * (the statement triggers of migration 011 keep the aggregates as they go), each with the model
 * call's decisions of its caller (reply times varied), two rules broken on a quarter of them and a
 * flag on a tenth, spread over 60 days; the time the inserts took is printed too. Without a date
 * range the reads are of the aggregates (migrations 011, 013); with one (the last 7 days, about
 * 11,700 attempts; the last 59, nearly all) of the range's attempts; a range that holds every call
 * (the last 61 days) reads the aggregates again. Then the dashboard's ranges, the last 7 and 30 local days
 * in +08:00 (since migration 015: the day summaries of the whole UTC days and the attempts of the two
 * partial days), and the report.
 */
import { loadavg } from 'node:os';
import { analysisOf, playSteps, type AttemptStep } from '../src/engine/index';
import { attemptFacts } from '../src/server/analytics';
import { openBenchCohort } from './bench-cohort';

const postgres = process.argv.includes('--postgres') ? process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test' : undefined;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`${postgres ? 'PostgreSQL' : 'PGlite'}; load average ${load()}`);
const { service, app, cookie, cohort, ids, close } = await openBenchCohort('htl-analytics-bench-', undefined, 50, postgres);
const all = [...service.catalogue.current.values()];
// Each caller's model call as the server records it.
const facts = all.map((entry) => {
  const steps: AttemptStep[] = [{ type: 'answer', ring: 1 }, ...analysisOf(entry.scenario).bestPath!.choices.map((c): AttemptStep => ({ type: 'choose', choiceId: c, ms: 5000 }))];
  return attemptFacts(playSteps(entry.scenario, steps).result!, steps);
});
const t0 = performance.now();
for (let done = 0; done < 100_000; done += 5000) {
  await service.db.query(
    `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions, duration_ms,
       timed_by_server, flags, broken_rules, decisions)
     SELECT gen_random_uuid(), ($2::bigint[])[1 + g % 50], $1, ($3::text[])[1 + g % cardinality($3::text[])], ($4::text[])[1 + g % cardinality($4::text[])], ($5::int[])[1 + g % cardinality($5::int[])], 'zh-CN',
       now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute', '[]'::jsonb, 'resolved', g % 4 <> 0, (g * 37 % 101)::float8,
       jsonb_build_object('courtesy', g * 13 % 101, 'empathy', g * 17 % 101, 'closing', g * 41 % 101), 60000 + g * 7919 % 240000,
       g % 3 <> 0,
       CASE WHEN g % 10 = 0 THEN '[{"kind":"too-fast","reason":"1 of 5 choices faster than the options can be read (step 2: 90 ms, reading takes at least 1200 ms)"}]'::jsonb ELSE '[]'::jsonb END,
       CASE WHEN g % 4 = 0 THEN ARRAY['courteous-words', 'no-overpromise'] ELSE '{}'::text[] END,
       (SELECT jsonb_agg(jsonb_set(d, '{ms}', to_jsonb(300 + (g * 7 + k * 131) % 20000)) ORDER BY k)
        FROM jsonb_array_elements(($6::jsonb)[g % cardinality($3::text[])]) WITH ORDINALITY AS e (d, k))
     FROM generate_series($7::int, $8::int) g`,
    [cohort.id, `{${ids.join(',')}}`, `{${all.map((v) => v.scenario.id).join(',')}}`, `{${all.map((v) => v.hash).join(',')}}`, `{${all.map((v) => v.scenario.revision).join(',')}}`, JSON.stringify(facts.map((f) => f.decisions)), done, done + 4999],
  );
}
console.log(`inserted 100,000 attempts with their aggregates in ${((performance.now() - t0) / 1000).toFixed(1)} s (20 statements of 5,000)`);
await service.db.exec('ANALYZE');
const rows = await service.db.query<{ t: string; n: number }>(
  `SELECT 'callers' AS t, count(*)::int AS n FROM analytics_callers UNION ALL SELECT 'rules', count(*)::int FROM analytics_rules UNION ALL SELECT 'choices', count(*)::int FROM analytics_choices
   UNION ALL SELECT 'times', count(*)::int FROM analytics_times UNION ALL SELECT 'dimensions', count(*)::int FROM analytics_dimensions`,
);
console.log(`aggregate rows: ${rows.map((r) => `${r.t} ${r.n}`).join(', ')}`);
const measure = async (what: string, path: string) => {
  const get = async () => {
    const r = await app.request(`http://localhost${path}`, { headers: { cookie } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.arrayBuffer();
  };
  for (let i = 0; i < 3; i++) await get();
  const wall: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    bytes = (await get()).byteLength;
    wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[10]!.toFixed(1);
  console.log(`${what}: wall median ${med(wall)} ms, CPU median ${med(cpu)} ms, ${bytes} bytes`);
};
await measure('GET /api/analytics (callers, rules, times, flags)', `/api/analytics?cohort=${cohort.id}`);
await measure('GET /api/analytics/heat?by=best', `/api/analytics/heat?cohort=${cohort.id}&by=best`);
await measure('GET /api/analytics/heat?by=average', `/api/analytics/heat?cohort=${cohort.id}&by=average`);
await measure('GET /api/analytics/decisions (wrong-charge)', `/api/analytics/decisions?cohort=${cohort.id}&scenario=wrong-charge`);
const since = (days: number) => encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString());
await measure('GET /api/analytics, last 7 days', `/api/analytics?cohort=${cohort.id}&from=${since(7)}`);
await measure('GET /api/analytics/heat?by=best, last 7 days', `/api/analytics/heat?cohort=${cohort.id}&by=best&from=${since(7)}`);
await measure('GET /api/analytics/decisions (wrong-charge), last 7 days', `/api/analytics/decisions?cohort=${cohort.id}&scenario=wrong-charge&from=${since(7)}`);
await measure('GET /api/analytics, last 59 days (all but the first day)', `/api/analytics?cohort=${cohort.id}&from=${since(59)}`);
await measure('GET /api/analytics/decisions (wrong-charge), last 59 days', `/api/analytics/decisions?cohort=${cohort.id}&scenario=wrong-charge&from=${since(59)}`);
await measure('GET /api/analytics, last 61 days (every call: the aggregates)', `/api/analytics?cohort=${cohort.id}&from=${since(61)}`);
// The dashboard's date range: local days (here +08:00), from midnight to midnight.
const localDay = (daysAgo: number) => encodeURIComponent(`${new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10)}T00:00:00+08:00`);
for (const days of [7, 30]) {
  const range = `from=${localDay(days - 1)}&to=${localDay(-1)}`;
  await measure(`GET /api/analytics, the last ${days} local days`, `/api/analytics?cohort=${cohort.id}&${range}`);
  await measure(`GET /api/analytics/heat?by=best, the last ${days} local days`, `/api/analytics/heat?cohort=${cohort.id}&by=best&${range}`);
  await measure(`GET /api/analytics/heat?by=latest, the last ${days} local days`, `/api/analytics/heat?cohort=${cohort.id}&by=latest&${range}`);
  await measure(`GET /api/analytics/decisions (wrong-charge), the last ${days} local days`, `/api/analytics/decisions?cohort=${cohort.id}&scenario=wrong-charge&${range}`);
  await measure(`GET /api/report, the last ${days} local days`, `/api/report?cohort=${cohort.id}&${range}`);
}
await measure('GET /api/report', `/api/report?cohort=${cohort.id}`);
console.log(`load average ${load()}`);
await close();
