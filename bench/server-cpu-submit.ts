/**
 * `npx tsx bench/server-cpu-submit.ts`: what a submission costs in CPU time against a raw single-row
 * insert, both on PGlite in this process (so the database's work is counted too), 50 at once, three
 * rounds of 500. CPU time rather than the clock, because on a shared machine the clock measures the
 * other work as well. The app is called in-process (no socket): HTTP's own cost is not in it.
 */
import { randomUUID } from 'node:crypto';
import { benchAttempts } from './bench-attempts';
import { openBenchCohort } from './bench-cohort';

const { service, app, cohort, ids, tokens, close } = await openBenchCohort('htl-s12b-submit-', ['login', 'join', 'submit', 'submitPerAddress']);
const rows = benchAttempts([...service.catalogue.current.values()], 1500, 1);
const bodies = rows.map((a) => JSON.stringify(a));
const cpuOf = async (fn: () => Promise<void>) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
};
await service.db.exec('CREATE TABLE bench_raw (LIKE attempts INCLUDING ALL)');
for (const round of [1, 2, 3]) {
  const slice = (xs: string[]) => xs.slice((round - 1) * 500, round * 500);
  let next = 0;
  const raw = await cpuOf(async () => {
    const mine = rows.slice((round - 1) * 500, round * 500);
    await Promise.all(ids.map(async (tid) => {
      while (next < mine.length) {
        const a = mine[next++]!;
        await service.db.query(`INSERT INTO bench_raw (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions, duration_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10,$11,$12,$13::jsonb,$14)`, [randomUUID(), tid, cohort.id, a.scenarioId, a.scenarioHash, a.scenarioRevision, a.language, a.startedAt, JSON.stringify(a.steps), 'resolved', true, 80, '{"courtesy":80}', 60000]);
      }
    }));
  });
  let n = 0;
  const mine = slice(bodies);
  const sub = await cpuOf(async () => {
    await Promise.all(tokens.map(async (token) => {
      while (n < mine.length) {
        const body = mine[n++]!;
        const r = await app.request('http://localhost/api/attempts', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
        if (r.status !== 201) throw new Error(`${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      }
    }));
  });
  console.log(`round ${round}: raw insert CPU ${(raw.cpu / 500).toFixed(2)} ms each (wall ${(500000 / raw.wall).toFixed(0)}/s); submission CPU ${(sub.cpu / 500).toFixed(2)} ms each (wall ${(500000 / sub.wall).toFixed(0)}/s); CPU ratio raw/submission ${(raw.cpu / sub.cpu).toFixed(2)}; writer ${JSON.stringify(service.repository.writerStats)}`);
}
await close();
