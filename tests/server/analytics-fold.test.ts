/**
 * The cohort analytics folded in the background (migration 017) on both engines: the insert queues
 * its attempts and every analytics read adds what is queued, so the figures equal a count of every
 * stored attempt before a fold, after it and at any point between; deletes and updates (a trainee
 * merged or removed, facts filled in) of queued and of folded attempts keep them right; a fold that
 * fails, or whose backend is killed half-way (PostgreSQL), leaves everything as it was; two folds at once (two servers) never count an attempt twice;
 * and the aggregate tables after a full fold equal the same aggregates made from scratch.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsFolder } from '../../src/server/analytics';
import { openDb, type Db } from '../../src/server/db';
import { migrate } from '../../src/server/migrate';
import { Repository, type NewAttempt } from '../../src/server/repository';
import { AdminRepository } from '../../src/server/repository/admin';
import { AnalyticsRepository, type HeatBy, type Scope } from '../../src/server/repository/analytics';
import { CALLERS, DAY, START, engines, iso, random, randomAttempt } from './analytics-data';
import { dropSchema, postgresUrl } from './postgres';

interface Fixture {
  db: Db;
  repository: Repository;
  analytics: AnalyticsRepository;
  lead: number;
  cohort: number;
  other: number;
  trainees: number[];
}

/** A start in the five days from START: some at midnight UTC exactly. */
function randomStart(rnd: () => number): number {
  return rnd() < 0.1 ? START + Math.floor(rnd() * 5) * DAY : START + Math.floor(rnd() * 5 * DAY);
}

/** Every analytics read of a scope. */
async function reads(f: Fixture, scope: Scope, latest = true) {
  const a = f.analytics;
  const heat: Record<string, unknown> = {};
  // Not 'latest' of all time: it reads the report's attempt_summaries (migration 002), which the
  // insert keeps and which this test's plain deletes of attempts do not (the app removes attempts
  // with their trainee or cohort, or merges and summarises again: tests/server/summary-days.test.ts).
  const kinds: HeatBy[] = latest ? ['best', 'latest', 'average'] : ['best', 'average'];
  for (const by of kinds) heat[by] = await a.heat(scope, by);
  const choices: Record<string, unknown> = {};
  const times: Record<string, unknown> = {};
  for (const scenarioId of CALLERS) {
    const c = await a.choices({ ...scope, scenarioId });
    choices[scenarioId] = { counts: [...c.counts].sort((x, y) => `${x.nodeId}/${x.choiceId}`.localeCompare(`${y.nodeId}/${y.choiceId}`)), traineesAt: [...c.traineesAt].sort() };
    times[scenarioId] = [...((await a.times({ ...scope, scenarioId }, false)).get(scenarioId) ?? new Map())].sort();
  }
  return {
    callers: await a.callers(scope),
    rules: await a.rules(scope),
    durations: [...(await a.times(scope, true))].map(([k, v]) => [k, [...v]]),
    flags: await a.flagCounts(scope),
    heat,
    choices,
    times,
  };
}

/**
 * The heat map's percents to within rounding: a mean of means rounded to 0.1, summed in another
 * order, can land either side of a .x5 (58.75 as 58.7 or 58.8).
 */
function roughHeat<T extends { heat: Record<string, unknown> }>(r: T): T {
  const heat = Object.fromEntries(
    Object.entries(r.heat).map(([by, rows]) => [by, (rows as { percent: number }[]).map((row) => ({ ...row, percent: expect.closeTo(row.percent, 0) }))]),
  );
  return { ...r, heat };
}

/** Reads from the aggregates (all time, and a range of whole days with partial days) equal reads of every attempt. */
async function expectExact(f: Fixture, label: string) {
  const all = await reads(f, { cohortId: f.cohort, scenarioId: null, from: null, to: null }, false);
  const every = await reads(f, { cohortId: f.cohort, scenarioId: null, from: iso(0), to: iso(START + 1000 * DAY), summaries: false }, false);
  expect(all, `${label}: all time`).toEqual(roughHeat(every));
  for (const [from, to] of [
    [iso(START + DAY), iso(START + 4 * DAY)],
    [iso(START + DAY + 3600_000), null],
  ] as const) {
    for (const scenarioId of [null, 'c-two']) {
      const scope: Scope = { cohortId: f.cohort, scenarioId, from, to };
      expect(await reads(f, scope), `${label}: ${from} – ${to}, ${scenarioId}`).toEqual(roughHeat(await reads(f, { ...scope, summaries: false })));
    }
  }
  return all;
}

const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;

/**
 * The aggregate tables as the fold left them, and the same aggregates counted from scratch from
 * the attempts (rows of zero left out: a delete leaves them).
 */
const AGGREGATES: [string, string, string][] = [
  [
    'analytics_callers',
    `SELECT cohort_id, scenario_id, trainee_id, attempts, passed, analysed, flagged FROM analytics_callers WHERE attempts <> 0`,
    `SELECT cohort_id, scenario_id, trainee_id, count(*)::int, (count(*) FILTER (WHERE passed))::int, (count(*) FILTER (WHERE decisions IS NOT NULL))::int,
       (count(*) FILTER (WHERE flags <> '[]'::jsonb))::int FROM attempts GROUP BY 1, 2, 3`,
  ],
  [
    'analytics_rules',
    `SELECT cohort_id, scenario_id, rule_id, trainee_id, attempts FROM analytics_rules WHERE attempts <> 0`,
    `SELECT a.cohort_id, a.scenario_id, r, a.trainee_id, count(*)::int FROM attempts a, unnest(a.broken_rules) r GROUP BY 1, 2, 3, 4`,
  ],
  [
    'analytics_choices',
    `SELECT cohort_id, scenario_id, node_id, choice_id, trainee_id, chosen FROM analytics_choices WHERE chosen <> 0`,
    `SELECT a.cohort_id, a.scenario_id, d ->> 'node', d ->> 'choice', a.trainee_id, count(*)::int FROM attempts a, jsonb_array_elements(a.decisions) d GROUP BY 1, 2, 3, 4, 5`,
  ],
  [
    'analytics_times',
    `SELECT cohort_id, scenario_id, node_id, bucket_ms, n FROM analytics_times WHERE n <> 0`,
    `SELECT cohort_id, scenario_id, node_id, bucket_ms, sum(n)::int FROM (
       SELECT a.cohort_id, a.scenario_id, d ->> 'node' AS node_id, analytics_bucket((d ->> 'ms')::int) AS bucket_ms, 1 AS n FROM attempts a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms'
       UNION ALL SELECT cohort_id, scenario_id, '', analytics_bucket(duration_ms), 1 FROM attempts WHERE timed_by_server) x GROUP BY 1, 2, 3, 4`,
  ],
  [
    'analytics_dimensions',
    `SELECT cohort_id, trainee_id, scenario_id, dimension, round(total::numeric, 6), n, best FROM analytics_dimensions WHERE n <> 0`,
    `SELECT a.cohort_id, a.trainee_id, a.scenario_id, d.key, round(sum(d.value::float8)::numeric, 6), count(*)::int, max(d.value::float8) FROM attempts a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4`,
  ],
  [
    'analytics_flags',
    `SELECT cohort_id, scenario_id, kind, n FROM analytics_flags WHERE n <> 0`,
    `SELECT a.cohort_id, a.scenario_id, f ->> 'kind', count(*)::int FROM attempts a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3`,
  ],
  [
    'rule_days',
    `SELECT cohort_id, day, scenario_id, rule_id, trainee_id, attempts FROM rule_days WHERE attempts <> 0`,
    `SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, r, a.trainee_id, count(*)::int FROM attempts a, unnest(a.broken_rules) r GROUP BY 1, 2, 3, 4, 5`,
  ],
  [
    'choice_days',
    `SELECT cohort_id, scenario_id, day, node_id, choice_id, trainee_id, chosen FROM choice_days WHERE chosen <> 0`,
    `SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', d ->> 'choice', a.trainee_id, count(*)::int FROM attempts a, jsonb_array_elements(a.decisions) d GROUP BY 1, 2, 3, 4, 5, 6`,
  ],
  [
    'time_days',
    `SELECT cohort_id, scenario_id, day, node_id, bucket_ms, n FROM time_days WHERE n <> 0`,
    `SELECT a.cohort_id, a.scenario_id, summary_day(a.started_at), d ->> 'node', analytics_bucket((d ->> 'ms')::int), count(*)::int FROM attempts a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms' GROUP BY 1, 2, 3, 4, 5`,
  ],
  [
    'duration_days',
    `SELECT cohort_id, day, scenario_id, bucket_ms, n FROM duration_days WHERE n <> 0`,
    `SELECT cohort_id, summary_day(started_at), scenario_id, analytics_bucket(duration_ms), count(*)::int FROM attempts WHERE timed_by_server GROUP BY 1, 2, 3, 4`,
  ],
  [
    'dimension_days',
    `SELECT cohort_id, day, trainee_id, scenario_id, dimension, round(total::numeric, 6), n, best FROM dimension_days WHERE n <> 0`,
    `SELECT a.cohort_id, summary_day(a.started_at), a.trainee_id, a.scenario_id, d.key, round(sum(d.value::float8)::numeric, 6), count(*)::int, max(d.value::float8) FROM attempts a, jsonb_each_text(a.dimensions) d GROUP BY 1, 2, 3, 4, 5`,
  ],
  [
    'flag_days',
    `SELECT cohort_id, day, scenario_id, kind, n FROM flag_days WHERE n <> 0`,
    `SELECT a.cohort_id, summary_day(a.started_at), a.scenario_id, f ->> 'kind', count(*)::int FROM attempts a, jsonb_array_elements(a.flags) f GROUP BY 1, 2, 3, 4`,
  ],
];

async function expectTablesFromScratch(db: Db) {
  expect(await count(db, 'SELECT count(*)::int AS n FROM analytics_pending')).toBe(0);
  for (const [table, kept, scratch] of AGGREGATES) {
    const rows = async (sql: string) => (await db.query<{ r: string }>(`SELECT x::text AS r FROM (${sql}) x`)).map((r) => r.r).sort();
    expect(await rows(kept), table).toEqual(await rows(scratch));
  }
}

async function insertMany(f: Fixture, rnd: () => number, n: number): Promise<NewAttempt[]> {
  const batch = Array.from({ length: n }, () => randomAttempt(rnd, f, randomStart(rnd)));
  const stored = await Promise.all(batch.map((a) => f.repository.insertAttempt(a)));
  expect(stored.every((s) => s === 'stored')).toBe(true);
  return batch;
}

for (const target of engines(6)) {
  describe.skipIf(!target.available)(`the analytics fold on ${target.name}${target.available ? '' : ' (skipped: no PostgreSQL server reachable)'}`, () => {
    let f: Fixture;
    let schema: string | null = null;
    const rnd = random(target.name.length * 104_729);

    beforeAll(async () => {
      const opened = await target.open();
      schema = opened.schema;
      const db = opened.db;
      await migrate(db);
      const repository = new Repository(db);
      for (const id of CALLERS) await repository.saveScenarioVersion(`hash-${id}`, id, 1, { en: id }, { id });
      const lead = await repository.createLead('Lead', 'scrypt$x');
      const cohort = (await repository.createCohort(lead, 'Cohort', 'CODE2345')) as number;
      const other = (await repository.createCohort(lead, 'Other', 'CODE6789')) as number;
      const trainees: number[] = [];
      for (const name of ['Ann', 'Bo', 'Cai', 'Dee', 'Eli', 'Fu']) trainees.push(((await repository.joinCohort('CODE2345', name, `token-${name}`)) as { id: number }).id);
      f = { db, repository, analytics: new AnalyticsRepository(db), lead, cohort, other, trainees };
    }, 180_000);
    afterAll(async () => {
      await f?.db.close();
      if (schema) await dropSchema(schema);
    });

    it('counts an attempt in every read as soon as it is stored, before the fold and the same after it', async () => {
      await insertMany(f, rnd, 40);
      expect(await f.analytics.queued()).toBe(40);
      // Nothing folded yet: every figure comes from the queue.
      expect(await count(f.db, 'SELECT coalesce(sum(attempts), 0)::int AS n FROM analytics_callers')).toBe(0);
      const before = await expectExact(f, 'queued');
      expect(before.callers.reduce((n, c) => n + c.attempts, 0)).toBe(40);
      // Part folded, part queued.
      expect(await f.analytics.fold(15)).toBe(15);
      expect(await f.analytics.queued()).toBe(25);
      expect(await expectExact(f, 'part folded')).toEqual(roughHeat(before));
      // All folded, grouped: the same figures, nothing queued.
      expect(await new AnalyticsFolder(f.analytics, { chunk: 10 }).foldNow()).toBe(25);
      expect(await f.analytics.queued()).toBe(0);
      expect(await expectExact(f, 'folded')).toEqual(roughHeat(before));
      await expectTablesFromScratch(f.db);
      // One more: in the figures at once.
      await insertMany(f, rnd, 1);
      const after = await expectExact(f, 'one more');
      expect(after.callers.reduce((n, c) => n + c.attempts, 0)).toBe(41);
    }, 180_000);

    it('keeps the figures right when queued and folded attempts are deleted or updated', async () => {
      // Queued ones and folded ones side by side.
      await f.analytics.fold(1_000_000);
      await insertMany(f, rnd, 30);
      const queued = await f.db.query<{ id: string; trainee_id: number }>(
        'SELECT a.id::text AS id, a.trainee_id FROM analytics_pending p JOIN attempts a ON a.id = p.attempt_id ORDER BY a.id LIMIT 5',
      );
      const folded = await f.db.query<{ id: string }>('SELECT id::text AS id FROM attempts WHERE id NOT IN (SELECT attempt_id FROM analytics_pending) ORDER BY id LIMIT 5');
      // Deleted: two queued, two folded.
      await f.db.query('DELETE FROM attempts WHERE id = ANY($1::uuid[])', [`{${[queued[0]!.id, queued[1]!.id, folded[0]!.id, folded[1]!.id].join(',')}}`]);
      await expectExact(f, 'after deletes');
      // Updated: facts taken out of a queued one and a folded one, then given back.
      const changed = [queued[2]!.id, folded[2]!.id];
      const facts = await f.db.query<{ id: string; broken_rules: string[] | null; decisions: unknown }>('SELECT id::text AS id, broken_rules, decisions FROM attempts WHERE id = ANY($1::uuid[])', [`{${changed.join(',')}}`]);
      await f.db.query('UPDATE attempts SET decisions = NULL, broken_rules = NULL WHERE id = ANY($1::uuid[])', [`{${changed.join(',')}}`]);
      await expectExact(f, 'facts taken out');
      await f.analytics.saveFacts(facts.filter((r) => r.decisions !== null).map((r) => ({ id: r.id, brokenRules: r.broken_rules ?? [], decisions: r.decisions })));
      await expectExact(f, 'facts filled in');
      // Moved to another cohort while queued: counted there, not here, once folded too.
      await f.db.query('UPDATE attempts SET cohort_id = $1 WHERE id = $2', [f.other, queued[3]!.id]);
      await expectExact(f, 'moved');
      const there = await f.analytics.callers({ cohortId: f.other, scenarioId: null, from: null, to: null });
      expect(there.reduce((n, c) => n + c.attempts, 0)).toBe(1);
      // A trainee merged into another (an update of their attempts), one removed (a delete).
      await new AdminRepository(f.repository).mergeTrainees(f.lead, f.trainees[0]!, f.trainees[1]!);
      await expectExact(f, 'merged');
      await f.db.query('DELETE FROM trainees WHERE id = $1', [f.trainees[2]!]);
      await expectExact(f, 'removed');
      f.trainees = f.trainees.filter((_, i) => i !== 1 && i !== 2);
      // After the fold: the same, and the tables equal a count from scratch.
      const before = await expectExact(f, 'before fold');
      await f.analytics.fold(1_000_000);
      expect(await expectExact(f, 'after fold')).toEqual(roughHeat(before));
      // (Unless its trainee was the one removed.)
      const inOther = await count(f.db, `SELECT count(*)::int AS n FROM attempts WHERE cohort_id = ${f.other}`);
      expect((await f.analytics.callers({ cohortId: f.other, scenarioId: null, from: null, to: null })).reduce((n, c) => n + c.attempts, 0)).toBe(inOther);
      await expectTablesFromScratch(f.db);
      // And deletes of folded attempts after the fold.
      await f.db.query('DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE cohort_id = $1 ORDER BY id LIMIT 7)', [f.cohort]);
      await expectExact(f, 'deleted after fold');
      await expectTablesFromScratch(f.db);
    }, 180_000);

    it('leaves the queue and the aggregates as they were when a fold fails', async () => {
      await insertMany(f, rnd, 12);
      const before = await expectExact(f, 'before');
      const tables = async () => Promise.all(AGGREGATES.map(([, kept]) => f.db.query(`SELECT * FROM (${kept}) x ORDER BY 1, 2, 3, 4`)));
      const kept = await tables();
      await expect(
        f.db.transaction(async (tx) => {
          const folded = await tx.query<{ n: number }>('SELECT analytics_fold(100) AS n');
          expect(folded[0]!.n).toBe(12);
          throw new Error('the fold dies here');
        }),
      ).rejects.toThrow('the fold dies here');
      expect(await f.analytics.queued()).toBe(12);
      expect(await tables()).toEqual(kept);
      expect(await expectExact(f, 'after the failed fold')).toEqual(roughHeat(before));
      expect(await f.analytics.fold(100)).toBe(12);
      await expectTablesFromScratch(f.db);
    }, 180_000);

    it.skipIf(target.name !== 'PostgreSQL')('loses nothing and counts nothing twice when the server dies in the middle of a fold', async () => {
      await f.analytics.fold(1_000_000);
      const batch = await insertMany(f, rnd, 9);
      const before = await expectExact(f, 'before');
      const kept = await Promise.all(AGGREGATES.map(([, sql]) => f.db.query(`SELECT * FROM (${sql}) x ORDER BY 1, 2, 3, 4`)));
      // Another session holds a row the fold will add to, so the fold stops half-way (its queue rows
      // already deleted, some aggregates already written, nothing committed); then its backend is killed.
      const locker = new pg.Client({ connectionString: postgresUrl! });
      const killer = new pg.Client({ connectionString: postgresUrl! });
      // The server's fold, on a connection of its own (the one that dies).
      const name = `htl_fold_crash_${schema}`;
      const server = new pg.Client({ connectionString: postgresUrl!, application_name: name });
      server.on('error', () => undefined);
      await locker.connect();
      await killer.connect();
      await server.connect();
      try {
        await locker.query(`SET search_path TO ${schema}`);
        await server.query(`SET search_path TO ${schema}`);
        await locker.query('BEGIN');
        await locker.query('UPDATE analytics_flags SET n = n WHERE true');
        await locker.query('UPDATE analytics_dimensions SET n = n WHERE trainee_id = $1', [batch[0]!.traineeId]);
        const folding = server.query('SELECT analytics_fold(100) AS n');
        let pid: number | null = null;
        for (let i = 0; i < 200 && pid === null; i++) {
          const rows = await killer.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [name],
          );
          pid = rows.rows[0]?.pid ?? null;
          if (pid === null) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(pid).not.toBeNull();
        await killer.query('SELECT pg_terminate_backend($1)', [pid]);
        await expect(folding).rejects.toThrow();
        await locker.query('ROLLBACK');
      } finally {
        await locker.end();
        await killer.end();
        await server.end().catch(() => undefined);
      }
      expect(await f.analytics.queued()).toBe(9);
      expect(await Promise.all(AGGREGATES.map(([, sql]) => f.db.query(`SELECT * FROM (${sql}) x ORDER BY 1, 2, 3, 4`)))).toEqual(kept);
      expect(await expectExact(f, 'after the crash')).toEqual(roughHeat(before));
      expect(await f.analytics.fold(100)).toBe(9);
      await expectTablesFromScratch(f.db);
    }, 180_000);

    it('never counts an attempt twice with folds running at once, beside inserts and deletes', async () => {
      const folders = [new AnalyticsFolder(f.analytics, { chunk: 7 }), new AnalyticsFolder(f.analytics, { chunk: 13 }), new AnalyticsFolder(new AnalyticsRepository(f.db), { chunk: 50 })];
      for (let round = 0; round < 4; round++) {
        await Promise.all([
          insertMany(f, rnd, 25),
          ...folders.map((folder) => folder.foldNow()),
          f.analytics.fold(5),
          f.db.query('DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE cohort_id = $1 ORDER BY id DESC LIMIT 2)', [f.cohort]),
          ...folders.map((folder) => folder.foldNow()),
        ]);
        await expectExact(f, `round ${round}`);
      }
      await Promise.all(folders.map((folder) => folder.foldNow()));
      await f.analytics.fold(1_000_000);
      await expectTablesFromScratch(f.db);
      if (f.db.kind === 'postgres') {
        // A fold finds the lock taken while a delete's transaction holds it, and folds nothing.
        await insertMany(f, rnd, 3);
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        const tx = f.db.transaction(async (t) => {
          await t.query('DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE cohort_id = $1 ORDER BY id LIMIT 1)', [f.cohort]);
          locked();
          await held;
        });
        await isLocked;
        expect(await f.analytics.fold(100)).toBe(-1);
        release();
        await tx;
        // (The delete may have taken one of the three, still queued.)
        const left = await f.analytics.queued();
        expect(left).toBeGreaterThanOrEqual(2);
        expect(await f.analytics.fold(100)).toBe(left);
        await expectTablesFromScratch(f.db);
      }
    }, 180_000);

    it('equals a count from scratch after random inserts, folds, deletes and updates', async () => {
      for (let step = 0; step < 25; step++) {
        const r = rnd();
        if (r < 0.45) await insertMany(f, rnd, 1 + Math.floor(rnd() * 20));
        else if (r < 0.65) await f.analytics.fold(1 + Math.floor(rnd() * 30));
        else if (r < 0.8) await f.db.query('DELETE FROM attempts WHERE id IN (SELECT id FROM attempts WHERE cohort_id = $1 ORDER BY md5(id::text || $2) LIMIT 3)', [f.cohort, String(step)]);
        else
          await f.db.query(
            `UPDATE attempts SET passed = NOT passed, dimensions = dimensions || '{"courtesy": 50}', started_at = started_at + interval '20 hours'
             WHERE id IN (SELECT id FROM attempts WHERE cohort_id = $1 ORDER BY md5(id::text || $2) LIMIT 4)`,
            [f.cohort, String(step)],
          );
        if (step % 6 === 0) await expectExact(f, `step ${step}`);
      }
      await expectExact(f, 'end');
      await f.analytics.fold(1_000_000);
      await expectExact(f, 'end, folded');
      await expectTablesFromScratch(f.db);
    }, 300_000);
  });
}

/** When the server folds: a backlog in full while nobody submits, one chunk a turn while submissions are being stored. */
describe('the analytics folder and the submissions beside it', () => {
  function queue(queued: number) {
    const store = {
      queued,
      folds: [] as number[],
      fold(max: number): Promise<number> {
        const n = Math.min(max, store.queued);
        store.queued -= n;
        store.folds.push(n);
        return Promise.resolve(n);
      },
    };
    return store;
  }

  it('folds a backlog chunk after chunk until fewer than a chunk are left while nobody submits', async () => {
    const store = queue(125);
    expect(await new AnalyticsFolder(store, { chunk: 50, busy: () => false }).foldNow()).toBe(125);
    expect(store.folds).toEqual([50, 50, 25]);
  });

  it('folds one chunk a turn while submissions are being stored, and the rest once they pause', async () => {
    const store = queue(125);
    let busy = true;
    const folder = new AnalyticsFolder(store, { chunk: 50, busy: () => busy });
    expect(await folder.foldNow()).toBe(50);
    expect(await folder.foldNow()).toBe(50);
    expect(store.queued).toBe(25);
    busy = false;
    expect(await folder.foldNow()).toBe(25);
    expect(store.folds).toEqual([50, 50, 25]);
  });

  it('folds nothing while submissions are being stored and the writer is at work, where a fold would make them wait (PGlite)', async () => {
    const store = queue(125);
    let busy = true;
    let writing = true;
    const folder = new AnalyticsFolder(store, { chunk: 50, busy: () => busy, holdsWriter: () => writing });
    expect(await folder.foldNow()).toBe(0);
    expect(store.folds).toEqual([]);
    expect(folder.stats.deferred).toBe(1);
    // The writer idle between submissions: one chunk, as any turn while busy.
    writing = false;
    expect(await folder.foldNow()).toBe(50);
    writing = true;
    expect(await folder.foldNow()).toBe(0);
    // Submissions paused: the rest, whatever the writer says.
    busy = false;
    expect(await folder.foldNow()).toBe(75);
    expect(store.folds).toEqual([50, 50, 25]);
  });

  it('knows submissions are being stored while one is written and for a while after the last came in', async () => {
    const db = await openDb({});
    try {
      await migrate(db);
      const repository = new Repository(db);
      expect(repository.storingAttempts(250)).toBe(false);
      expect(repository.writingAttempts()).toBe(false);
      // A submission for a cohort that does not exist fails, but it came in: the writer was busy.
      const insert = repository.insertAttempt({ id: randomUUID() } as unknown as NewAttempt).catch(() => undefined);
      expect(repository.writingAttempts()).toBe(true);
      await insert;
      expect(repository.writingAttempts()).toBe(false);
      expect(repository.storingAttempts(60_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(repository.storingAttempts(5)).toBe(false);
    } finally {
      await db.close();
    }
  });
});
