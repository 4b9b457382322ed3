/**
 * The day summaries (migration 015) on both engines: the report and every analytics read over a date
 * range, answered from the whole days' summaries and the partial days' attempts, equal the same
 * reads over every attempt of the range; the all-time aggregates equal every attempt of the
 * cohort. Random attempts (several callers, ties in score and in start, calls at midnight, with and
 * without reply times, rules, flags) are stored before the migration (its back-fill), then by the
 * insert path in batches of many sizes (the statement trigger), then trainees are merged and removed
 * and older attempts' facts filled in again (the delete and update triggers).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db';
import { migrate, readMigrations } from '../../src/server/migrate';
import { Repository, type NewAttempt } from '../../src/server/repository';
import { AdminRepository } from '../../src/server/repository/admin';
import { AnalyticsRepository, type HeatBy, type Scope } from '../../src/server/repository/analytics';
import { splitRange } from '../../src/server/repository/days';
import { CALLERS, DAY, START, engines, iso, random, randomAttempt } from './analytics-data';
import { dropSchema } from './postgres';

interface Fixture {
  db: Db;
  repository: Repository;
  analytics: AnalyticsRepository;
  lead: number;
  cohort: number;
  trainees: number[];
}

/** A start in the ten days: some at midnight UTC exactly, some at the same instant as another. */
function randomStart(rnd: () => number): number {
  const r = rnd();
  if (r < 0.08) return START + Math.floor(rnd() * 10) * DAY;
  if (r < 0.15) return START + 3 * DAY + 12 * 3600_000;
  return START + Math.floor(rnd() * 10 * DAY);
}

/** Plain SQL with the columns migration 013 knows: attempts stored before 015. */
async function insertBefore015(db: Db, attempts: NewAttempt[]): Promise<void> {
  for (const a of attempts) {
    await db.query(
      `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions,
         duration_ms, timed_by_server, flags, broken_rules, decisions)
       VALUES ($1, $2, $3, $4, $5, 1, 'zh-CN', $6, '[]', 'resolved', $7, $8, $9::jsonb, $10, $11, $12::jsonb,
         CASE WHEN $13::jsonb IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text($13::jsonb)) END, $14::jsonb)`,
      [
        a.id,
        a.traineeId,
        a.cohortId,
        a.scenarioId,
        a.scenarioHash,
        a.startedAt,
        a.passed,
        a.total,
        JSON.stringify(a.dimensions),
        a.durationMs,
        a.timedByServer ?? false,
        JSON.stringify(a.flags ?? []),
        a.brokenRules ? JSON.stringify(a.brokenRules) : null,
        a.decisions ? JSON.stringify(a.decisions) : null,
      ],
    );
  }
}

/** The same instant written with another offset, as the dashboard sends local days. */
const withOffset = (ms: number, hours: number) => `${new Date(ms + hours * 3600_000).toISOString().slice(0, 19)}${hours >= 0 ? '+' : '-'}${String(Math.abs(hours)).padStart(2, '0')}:00`;

/** Ranges: open ends, whole UTC days, local days (+08:00, -05:00), within one day, one edge only, sub-millisecond ends, empty. */
function ranges(rnd: () => number): [string | null, string | null][] {
  const out: [string | null, string | null][] = [
    [null, iso(START + 4 * DAY)],
    [iso(START + 2 * DAY), null],
    [iso(START + 2 * DAY), iso(START + 7 * DAY)],
    [withOffset(START + 2 * DAY - 8 * 3600_000, 8), withOffset(START + 9 * DAY - 8 * 3600_000, 8)],
    [withOffset(START + 1 * DAY + 5 * 3600_000, -5), withOffset(START + 6 * DAY + 5 * 3600_000, -5)],
    [iso(START + 3 * DAY + 3600_000), iso(START + 3 * DAY + 13 * 3600_000)],
    [iso(START + 3 * DAY + 12 * 3600_000), iso(START + 3 * DAY + 12 * 3600_000 + 1)],
    [iso(START + 1 * DAY + 1), iso(START + 8 * DAY)],
    [`${iso(START + 2 * DAY).slice(0, 19)}.0000005Z`, `${iso(START + 6 * DAY).slice(0, 19)}.0000005Z`],
    [iso(START - 30 * DAY), iso(START + 40 * DAY)],
    [iso(START + 20 * DAY), iso(START + 21 * DAY)],
  ];
  for (let i = 0; i < 6; i++) {
    const a = START - DAY + Math.floor(rnd() * 12 * DAY);
    const b = a + 1 + Math.floor(rnd() * 6 * DAY);
    out.push([iso(a), iso(b)]);
  }
  return out;
}

/** Every read of a scope: from the summaries and from every attempt of the range. */
async function reads(f: Fixture, scope: Scope) {
  const a = f.analytics;
  const heat: Record<string, unknown> = {};
  for (const by of ['best', 'latest', 'average'] as HeatBy[]) heat[by] = await a.heat(scope, by);
  const choices: Record<string, unknown> = {};
  const times: Record<string, unknown> = {};
  for (const scenarioId of CALLERS) {
    const c = await a.choices({ ...scope, scenarioId });
    choices[scenarioId] = { counts: [...c.counts].sort((x, y) => `${x.nodeId}/${x.choiceId}`.localeCompare(`${y.nodeId}/${y.choiceId}`)), traineesAt: [...c.traineesAt].sort() };
    times[scenarioId] = [...((await a.times({ ...scope, scenarioId }, false)).get(scenarioId) ?? new Map())].sort();
  }
  const report = await f.repository.report(f.lead, f.cohort, { from: scope.from ?? undefined, to: scope.to ?? undefined }, { summaries: scope.summaries });
  return {
    callers: await a.callers(scope),
    rules: await a.rules(scope),
    durations: [...(await a.times(scope, true))].map(([k, v]) => [k, [...v]]),
    flags: await a.flagCounts(scope),
    flagged: await a.flagged(scope, 50),
    heat,
    choices,
    times,
    report,
  };
}

async function compareRanges(f: Fixture, seed: number): Promise<number> {
  let compared = 0;
  for (const [from, to] of ranges(random(seed))) {
    for (const scenarioId of [null, 'c-two']) {
      const scope: Scope = { cohortId: f.cohort, scenarioId, from, to };
      const fromDays = await reads(f, scope);
      const fromCalls = await reads(f, { ...scope, summaries: false });
      expect(fromDays, `${from} – ${to}, caller ${scenarioId}`).toEqual(fromCalls);
      compared++;
    }
  }
  // No range: the all-time aggregates equal every call of the cohort.
  const all = await reads(f, { cohortId: f.cohort, scenarioId: null, from: null, to: null });
  const every = await reads(f, { cohortId: f.cohort, scenarioId: null, from: iso(0), to: iso(START + 1000 * DAY), summaries: false });
  expect(all).toEqual(every);
  expect(all.callers.reduce((n, c) => n + c.attempts, 0)).toBeGreaterThan(0);
  return compared;
}

describe('splitting a range into whole days and partial days', () => {
  it('reads whole UTC days from the summaries and the rest from the calls', () => {
    expect(splitRange('2026-11-02T00:00:00Z', '2026-11-05T00:00:00Z')).toEqual({ dayFrom: '2026-11-02', dayTo: '2026-11-05', edges: [[null, null], [null, null]] });
    expect(splitRange('2026-11-02T00:00:00+08:00', '2026-11-05T00:00:00+08:00')).toEqual({
      dayFrom: '2026-11-02',
      dayTo: '2026-11-04',
      edges: [
        ['2026-11-02T00:00:00+08:00', '2026-11-02T00:00:00.000Z'],
        ['2026-11-04T00:00:00.000Z', '2026-11-05T00:00:00+08:00'],
      ],
    });
    expect(splitRange(null, null)).toEqual({ dayFrom: '-infinity', dayTo: 'infinity', edges: [[null, null], [null, null]] });
    // Within a day, or asked not to: every call from the attempts.
    expect(splitRange('2026-11-02T01:00:00Z', '2026-11-02T05:00:00Z')).toEqual({ dayFrom: null, dayTo: null, edges: [['2026-11-02T01:00:00Z', '2026-11-02T05:00:00Z'], [null, null]] });
    expect(splitRange(null, '2026-11-02T05:00:00Z', false)).toEqual({ dayFrom: null, dayTo: null, edges: [['-infinity', '2026-11-02T05:00:00Z'], [null, null]] });
    // Digits below the millisecond count: just after midnight is not midnight.
    expect(splitRange('2026-11-02T00:00:00.0000005Z', null).dayFrom).toBe('2026-11-03');
  });
});

for (const target of engines(4)) {
  describe.skipIf(!target.available)(`day summaries on ${target.name}${target.available ? '' : ' (skipped: no PostgreSQL server reachable)'}`, () => {
    let f: Fixture;
    let schema: string | null = null;
    const rnd = random(target.name.length * 7919);

    beforeAll(async () => {
      const opened = await target.open();
      schema = opened.schema;
      const db = opened.db;
      // An install from before migration 015, with attempts in it.
      await migrate(
        db,
        readMigrations().filter((m) => m.version < 15),
      );
      const repository = new Repository(db);
      for (const id of CALLERS) await repository.saveScenarioVersion(`hash-${id}`, id, 1, { en: id }, { id });
      const lead = await repository.createLead('Lead', 'scrypt$x');
      const cohort = (await repository.createCohort(lead, 'Cohort', 'CODE2345')) as number;
      const trainees: number[] = [];
      for (const name of ['Ann', 'Bo', 'Cai', 'Dee', 'Eli', 'Fu']) trainees.push(((await repository.joinCohort('CODE2345', name, `token-${name}`)) as { id: number }).id);
      f = { db, repository, analytics: new AnalyticsRepository(db), lead, cohort, trainees };
      await insertBefore015(db, Array.from({ length: 150 }, () => randomAttempt(rnd, f, randomStart(rnd))));
    }, 180_000);
    afterAll(async () => {
      await f?.db.close();
      if (schema) await dropSchema(schema);
    });

    it('fills the day summaries of the attempts already stored when it upgrades', async () => {
      expect(await migrate(f.db)).toContain('015_summary_days');
      const days = await f.db.query<{ n: number }>('SELECT sum(attempts)::int AS n FROM summary_days');
      expect(days[0]!.n).toBe(150);
      expect(await compareRanges(f, 1)).toBeGreaterThan(30);
    }, 180_000);

    it('keeps them at each insert, in statements of one attempt or many, several of a key at once', async () => {
      for (const size of [1, 2, 7, 30, 1, 45]) {
        const batch = Array.from({ length: size }, () => randomAttempt(rnd, f, randomStart(rnd)));
        // One trainee and caller on one day twice in the statement, with a tie in start and score.
        if (size > 5) batch.push({ ...batch[0]!, id: randomUUID(), total: batch[0]!.total });
        const stored = await Promise.all(batch.map((a) => f.repository.insertAttempt(a)));
        expect(stored.every((s) => s === 'stored')).toBe(true);
      }
      const total = await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts');
      const days = await f.db.query<{ n: number }>('SELECT sum(attempts)::int AS n FROM summary_days');
      expect(days[0]!.n).toBe(total[0]!.n);
      // The LRS outbox (a statement trigger since migration 016): one queue row for every attempt, whatever the statement's size.
      const queued = await f.db.query<{ n: number; missing: number }>(
        'SELECT count(*)::int AS n, (SELECT count(*)::int FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM lrs_outbox o WHERE o.attempt_id = a.id)) AS missing FROM lrs_outbox',
      );
      expect(queued[0]).toEqual({ n: total[0]!.n, missing: 0 });
      await compareRanges(f, 2);
    }, 180_000);

    it('keeps them when trainees are merged or removed and older attempts are filled in', async () => {
      // A merge moves one trainee's calls to another (an update of the attempts).
      const [keep, drop, gone] = f.trainees;
      expect(await new AdminRepository(f.repository).mergeTrainees(f.lead, keep!, drop!)).toMatchObject({ moved: expect.any(Number) });
      await compareRanges(f, 3);
      // Removed: the attempts go with the trainee.
      await f.db.query('DELETE FROM trainees WHERE id = $1', [gone!]);
      // Facts taken out (as for attempts stored before migration 011, which the server fills in at start-up).
      await f.db.query(`UPDATE attempts SET decisions = NULL, broken_rules = NULL WHERE trainee_id = $1`, [f.trainees[3]!]);
      await compareRanges(f, 4);
      const total = await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts');
      const days = await f.db.query<{ n: number }>('SELECT sum(attempts)::int AS n FROM summary_days');
      expect(days[0]!.n).toBe(total[0]!.n);
    }, 180_000);
  });
}
