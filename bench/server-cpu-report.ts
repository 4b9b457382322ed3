/**
 * `npx tsx bench/server-cpu-report.ts [--postgres]`: the lead's report (`GET /api/report`, in-process) over a
 * cohort of 50 trainees with 100,000 attempts on PGlite (or a fresh schema on the PostgreSQL of
 * TEST_DATABASE_URL, DATABASE_URL or `.ci/start-postgres.sh`), in CPU time of this process (and on the clock), beside the
 * same report with a date range (which reads the attempts) and the query the report ran before the
 * per-trainee-per-caller summaries.
 */
import { openBenchCohort } from './bench-cohort';

const postgres = process.argv.includes('--postgres') ? process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:54329/htl_test' : undefined;
console.log(`${postgres ? 'PostgreSQL' : 'PGlite'}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const { service, app, cookie, cohort, ids, close } = await openBenchCohort('htl-s12b-report-', undefined, 50, postgres);
const all = [...service.catalogue.current.values()];
for (let done = 0; done < 100_000; done += 5000) {
  await service.db.query(
    `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions, duration_ms)
     SELECT gen_random_uuid(), ($2::bigint[])[1 + g % 50], $1, ($3::text[])[1 + g % cardinality($3::text[])], ($4::text[])[1 + g % cardinality($4::text[])], ($5::int[])[1 + g % cardinality($5::int[])], 'zh-CN',
       now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute', '[]'::jsonb, 'resolved', g % 4 <> 0, (g * 37 % 101)::float8,
       jsonb_build_object('courtesy', g * 13 % 101, 'empathy', g * 17 % 101, 'closing', g * 41 % 101), 60000
     FROM generate_series($6::int, $7::int) g`,
    [cohort.id, `{${ids.join(',')}}`, `{${all.map((v) => v.scenario.id).join(',')}}`, `{${all.map((v) => v.hash).join(',')}}`, `{${all.map((v) => v.scenario.revision).join(',')}}`, done, done + 4999],
  );
}
await service.db.exec('ANALYZE');
const measure = async (what: string, fn: () => Promise<unknown>) => {
  for (let i = 0; i < 3; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 20; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[10]!.toFixed(1);
  console.log(`${what}: wall median ${med(wall)} ms, CPU median ${med(cpu)} ms`);
};
await measure('GET /api/report (in-process, 100k attempts)', async () => {
  const r = await app.request(`http://localhost/api/report?cohort=${cohort.id}`, { headers: { cookie } });
  if (r.status !== 200) throw new Error(String(r.status));
  await r.arrayBuffer();
});
// The dashboard's date range: local days (here +08:00), the last 7 and the last 30.
const localDay = (daysAgo: number) => `${new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10)}T00:00:00+08:00`;
for (const days of [7, 30]) {
  await measure(`GET /api/report, the last ${days} local days (day summaries and the partial days' attempts)`, async () => {
    const r = await app.request(`http://localhost/api/report?cohort=${cohort.id}&from=${encodeURIComponent(localDay(days - 1))}&to=${encodeURIComponent(localDay(-1))}`, { headers: { cookie } });
    if (r.status !== 200) throw new Error(String(r.status));
    await r.arrayBuffer();
  });
}
// The report as it was before the summaries: the whole history grouped (same SQL as before).
await measure('the old report query (whole history grouped and sorted)', () =>
  service.db.query(
    `SELECT a.trainee_id, a.scenario_id, count(*)::int, max(a.total), (array_agg(a.total ORDER BY a.started_at DESC, a.id DESC))[1], (array_agg(a.id ORDER BY a.started_at DESC, a.id DESC))[1]::text, bool_or(a.passed), max(a.started_at) FROM attempts a WHERE a.cohort_id = $1 GROUP BY a.trainee_id, a.scenario_id`,
    [cohort.id],
  ),
);
await close();
