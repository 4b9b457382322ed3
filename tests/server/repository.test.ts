/** The repository on both engines: PGlite in memory, and a real PostgreSQL server. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/server/db';
import { migrate, readMigrations } from '../../src/server/migrate';
import type { NewAttempt, Repository } from '../../src/server/repository';
import { openRepository } from '../../src/server/service';
import { dropSchema, postgresUrl, testSchema } from './postgres';

interface Target {
  name: string;
  available: boolean;
  open(): Promise<{ db: Db; repository: Repository; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'PGlite',
    available: true,
    async open() {
      const { db, repository } = await openRepository({ dataDir: 'memory://' });
      return { db, repository, cleanup: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL',
    available: postgresUrl !== null,
    async open() {
      const schema = testSchema();
      const { db, repository } = await openRepository({ databaseUrl: postgresUrl!, schema, poolSize: 4 });
      return {
        db,
        repository,
        async cleanup() {
          await db.close();
          await dropSchema(schema);
        },
      };
    },
  },
];

const HASH = 'f'.repeat(64);

function attempt(over: Partial<NewAttempt> & Pick<NewAttempt, 'traineeId' | 'cohortId'>): NewAttempt {
  return {
    id: randomUUID(),
    scenarioId: 'practice-call',
    scenarioHash: HASH,
    scenarioRevision: 1,
    language: 'zh-CN',
    startedAt: '2026-11-20T09:00:00.000Z',
    steps: [{ type: 'answer', ring: 1 }],
    seed: null,
    mode: 'practice',
    outcome: 'resolved',
    passed: true,
    total: 80,
    dimensions: { courtesy: 80, closing: 60 },
    durationMs: 60_000,
    ...over,
  };
}

for (const target of targets) {
  describe.skipIf(!target.available)(`repository on ${target.name}${target.available ? '' : ' (skipped: no PostgreSQL server reachable)'}`, () => {
    let db: Db;
    let repo: Repository;
    let cleanup: () => Promise<void>;
    let leadA: number;
    let leadB: number;
    let cohortA: number;
    let cohortB: number;
    let ann: number;
    let bo: number;

    beforeAll(async () => {
      ({ db, repository: repo, cleanup } = await target.open());
      await repo.saveScenarioVersion(HASH, 'practice-call', 1, { en: 'Warm-up' }, { id: 'practice-call' });
      await repo.saveScenarioVersion('e'.repeat(64), 'wrong-charge', 1, { en: 'Charge' }, { id: 'wrong-charge' });
      leadA = await repo.createLead('Lead A', 'scrypt$x');
      leadB = await repo.createLead('Lead B', 'scrypt$y');
      cohortA = (await repo.createCohort(leadA, 'Morning', 'CODEA111')) as number;
      cohortB = (await repo.createCohort(leadB, 'Evening', 'CODEB222')) as number;
      ann = ((await repo.joinCohort('CODEA111', 'Ann', 'token-ann')) as { id: number }).id;
      bo = ((await repo.joinCohort('CODEB222', 'Bo', 'token-bo')) as { id: number }).id;
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('applies each migration once', async () => {
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
    });

    it('keeps lead names unique and finds a lead by name', async () => {
      await expect(repo.createLead('Lead A', 'scrypt$z')).rejects.toThrow();
      expect((await repo.findLeadByName('Lead A'))?.id).toBe(leadA);
      expect(await repo.findLeadByName('lead a')).toBeNull();
    });

    it('stores text with quotes and SQL in it as text', async () => {
      const name = `Robert'); DROP TABLE leads; --`;
      const id = await repo.createLead(name, 'scrypt$q');
      expect((await repo.findLeadByName(name))?.id).toBe(id);
      expect(await repo.countLeads()).toBeGreaterThanOrEqual(3);
    });

    it('finds a session until it expires or is deleted', async () => {
      await repo.createSession('s-live', leadA, new Date(Date.now() + 60_000));
      await repo.createSession('s-old', leadA, new Date(Date.now() - 1000));
      expect(await repo.findSessionLead('s-live')).toEqual({ id: leadA, name: 'Lead A', isAdmin: true, isTrainer: true, passwordTemporary: false });
      expect(await repo.findSessionLead('s-old')).toBeNull();
      await repo.deleteSession('s-live');
      expect(await repo.findSessionLead('s-live')).toBeNull();
    });

    it('ends sessions when the password changes', async () => {
      await repo.createSession('s-pw', leadB, new Date(Date.now() + 60_000));
      expect(await repo.setLeadPassword('Lead B', 'scrypt$new')).toBe(true);
      expect(await repo.findSessionLead('s-pw')).toBeNull();
      expect((await repo.findLeadByName('Lead B'))?.passwordHash).toBe('scrypt$new');
    });

    it('lists only the cohorts a lead owns, with their open join codes', async () => {
      const mine = await repo.listCohorts(leadA);
      expect(mine.map((c) => c.name)).toEqual(['Morning']);
      expect(mine[0]!.codes.map((c) => c.code)).toEqual(['CODEA111']);
      expect(await repo.createCohort(leadA, 'Morning', 'CODEA999')).toBe('name-taken');
      expect(await repo.ownsCohort(leadA, cohortB)).toBe(false);
      expect(await repo.cohortName(leadA, cohortB)).toBeNull();
    });

    it('adds and revokes join codes only in the lead’s own cohorts', async () => {
      expect(await repo.addJoinCode(leadB, cohortA, 'STEAL123')).toBe(false);
      expect(await repo.addJoinCode(leadA, cohortA, 'SECOND22')).toBe(true);
      expect(await repo.revokeJoinCode(leadB, cohortA, 'SECOND22')).toBe(false);
      expect(await repo.revokeJoinCode(leadA, cohortA, 'SECOND22')).toBe(true);
      expect(await repo.joinCohort('SECOND22', 'Late', 'token-late')).toBe('bad-code');
      expect(await repo.joinCohort('STEAL123', 'Thief', 'token-thief')).toBe('bad-code');
    });

    it('joins with an open code, once per name, and finds the trainee by token', async () => {
      expect(await repo.joinCohort('NOPE0000', 'Cai', 'token-cai')).toBe('bad-code');
      expect(await repo.joinCohort('CODEA111', 'Ann', 'token-ann-2')).toEqual({ taken: 'Ann' });
      expect(await repo.findTraineeByToken('token-ann')).toEqual({ id: ann, name: 'Ann', cohortId: cohortA, cohortName: 'Morning' });
      expect(await repo.findTraineeByToken('token-nobody')).toBeNull();
      expect(await repo.traineeForLead(leadA, ann)).not.toBeNull();
      expect(await repo.traineeForLead(leadA, bo)).toBeNull();
    });

    it('stores an attempt id once, even when sent twice at the same moment', async () => {
      const a = attempt({ traineeId: ann, cohortId: cohortA });
      const results = await Promise.all([repo.insertAttempt(a), repo.insertAttempt(a), repo.insertAttempt({ ...a, total: 1 })]);
      expect(results.filter((r) => r === 'stored')).toHaveLength(1);
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts WHERE id = $1', [a.id]);
      expect(rows[0]!.n).toBe(1);
      const stored = await repo.getAttempt(a.id);
      expect(stored).toMatchObject({ id: a.id, traineeName: 'Ann', steps: a.steps, dimensions: a.dimensions, startedAt: a.startedAt });
    });

    it('writes attempts that arrive together in one statement, each acknowledged only once committed', async () => {
      const before = { ...repo.writerStats };
      const many = Array.from({ length: 120 }, () => attempt({ traineeId: ann, cohortId: cohortA }));
      const twice = many[5]!;
      const outcomes = await Promise.all([...many.map((a) => repo.insertAttempt(a)), repo.insertAttempt(twice)]);
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(120);
      expect(outcomes.at(-1)).toBe('exists');
      const statements = repo.writerStats.statements - before.statements;
      expect(statements).toBeLessThan(20); // grouped, not one per attempt
      expect(repo.writerStats.largest).toBeGreaterThan(1);
      const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts WHERE id = ANY($1::uuid[])', [`{${many.map((a) => a.id).join(',')}}`]);
      expect(rows[0]!.n).toBe(120);
    });

    it('fails only the bad attempt of a group, and stores the others', async () => {
      const good = Array.from({ length: 6 }, () => attempt({ traineeId: ann, cohortId: cohortA }));
      const bad = attempt({ traineeId: 999_999, cohortId: cohortA }); // no such trainee
      const settled = await Promise.allSettled([...good.slice(0, 3), bad, ...good.slice(3)].map((a) => repo.insertAttempt(a)));
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      for (const a of good) expect(await repo.getAttempt(a.id)).not.toBeNull();
      expect(await repo.getAttempt(bad.id)).toBeNull();
    });

    it('lets a lead and a trainee read only attempts of their own', async () => {
      const a = attempt({ traineeId: bo, cohortId: cohortB });
      await repo.insertAttempt(a);
      expect(await repo.getAttemptForLead(leadB, a.id)).not.toBeNull();
      expect(await repo.getAttemptForLead(leadA, a.id)).toBeNull();
      expect(await repo.getAttemptForTrainee(bo, a.id)).not.toBeNull();
      expect(await repo.getAttemptForTrainee(ann, a.id)).toBeNull();
      expect(await repo.listCohortAttempts(leadA, cohortB, {})).toEqual([]);
    });

    it('reports best, last, count and passed per trainee and caller, within the filters', async () => {
      const cohort = (await repo.createCohort(leadA, 'Report', 'REPORT01')) as number;
      const cy = ((await repo.joinCohort('REPORT01', 'Cy', 'token-cy')) as { id: number }).id;
      const dee = ((await repo.joinCohort('REPORT01', 'Dee', 'token-dee')) as { id: number }).id;
      const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T10:00:00.000Z`;
      await repo.insertAttempt(attempt({ traineeId: cy, cohortId: cohort, startedAt: day(1), total: 40, passed: false, dimensions: { courtesy: 20 } }));
      await repo.insertAttempt(attempt({ traineeId: cy, cohortId: cohort, startedAt: day(3), total: 90, passed: true, dimensions: { courtesy: 90 } }));
      await repo.insertAttempt(attempt({ traineeId: cy, cohortId: cohort, startedAt: day(5), total: 70, passed: true, dimensions: { courtesy: 60 } }));
      await repo.insertAttempt(
        attempt({ traineeId: cy, cohortId: cohort, startedAt: day(4), total: 10, passed: false, scenarioId: 'wrong-charge', scenarioHash: 'e'.repeat(64), dimensions: { courtesy: 0 } }),
      );

      const report = (await repo.report(leadA, cohort, {}))!;
      expect(report.trainees.map((t) => t.name)).toEqual(['Cy', 'Dee']);
      const cell = report.cells.find((c) => c.traineeId === cy && c.scenarioId === 'practice-call');
      expect(cell).toMatchObject({ attempts: 3, best: 90, last: 70, passed: true, lastAt: day(5) });
      expect(report.cells.some((c) => c.traineeId === dee)).toBe(false);
      // Heat: the latest attempt on each caller, averaged: (60 + 0) / 2.
      expect(report.heat.find((h) => h.traineeId === cy && h.dimension === 'courtesy')).toMatchObject({ percent: 30, calls: 2 });

      const early = (await repo.report(leadA, cohort, { from: day(1), to: day(4) }))!;
      expect(early.cells.find((c) => c.scenarioId === 'practice-call')).toMatchObject({ attempts: 2, best: 90, last: 90 });
      const wrong = (await repo.report(leadA, cohort, { scenarioId: 'wrong-charge' }))!;
      expect(wrong.cells.map((c) => c.scenarioId)).toEqual(['wrong-charge']);

      expect(await repo.report(leadB, cohort, {})).toBeNull();
      const series = await repo.listTraineeAttempts(cy, { scenarioId: 'practice-call' });
      expect(series.map((a) => a.total)).toEqual([40, 90, 70]);
    });

    it('keeps a summary per trainee and caller at insert, whatever order the attempts arrive in', async () => {
      const cohort = (await repo.createCohort(leadA, 'Summaries', 'SUMMARY1')) as number;
      const ids = [] as number[];
      for (const name of ['Eve', 'Fay', 'Gus']) ids.push(((await repo.joinCohort('SUMMARY1', name, `token-${name}`)) as { id: number }).id);
      // Offline attempts arrive late: started_at out of order, some on the same second (the id decides).
      let seed = 7;
      const next = () => (seed = (seed * 48_271) % 2_147_483_647);
      const scenarios = [['practice-call', HASH], ['wrong-charge', 'e'.repeat(64)]] as const;
      const sent = [] as NewAttempt[];
      for (let i = 0; i < 60; i++) {
        const [scenarioId, scenarioHash] = scenarios[next() % 2]!;
        const a = attempt({
          traineeId: ids[next() % 3]!,
          cohortId: cohort,
          scenarioId,
          scenarioHash,
          startedAt: `2026-11-${String(1 + (next() % 9)).padStart(2, '0')}T10:00:00.000Z`,
          total: next() % 101,
          passed: next() % 2 === 0,
          dimensions: { courtesy: next() % 101, closing: next() % 101 },
        });
        sent.push(a);
        await repo.insertAttempt(a);
        if (i % 7 === 0) await repo.insertAttempt(a); // a resend changes nothing
      }
      const rows = await db.query<{ trainee_id: number; scenario_id: string; attempts: number }>(
        'SELECT trainee_id::int AS trainee_id, scenario_id, attempts FROM attempt_summaries WHERE cohort_id = $1',
        [cohort],
      );
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(60);
      // The summaries (no date range) agree with the attempts themselves (a date range that covers all).
      const fromSummaries = (await repo.report(leadA, cohort, {}))!;
      const fromAttempts = (await repo.report(leadA, cohort, { from: '2000-01-01T00:00:00Z' }))!;
      expect(fromSummaries.cells).toEqual(fromAttempts.cells);
      expect(fromSummaries.heat).toEqual(fromAttempts.heat);
      // And with a plain recomputation here.
      for (const cell of fromSummaries.cells) {
        const mine = sent.filter((a) => a.traineeId === cell.traineeId && a.scenarioId === cell.scenarioId);
        const latest = [...mine].sort((x, y) => (x.startedAt === y.startedAt ? (x.id < y.id ? 1 : -1) : x.startedAt < y.startedAt ? 1 : -1))[0]!;
        expect(cell).toEqual({
          traineeId: cell.traineeId,
          scenarioId: cell.scenarioId,
          attempts: mine.length,
          best: Math.max(...mine.map((a) => a.total)),
          last: latest.total,
          passed: mine.some((a) => a.passed),
          lastAt: latest.startedAt,
        });
      }
      expect((await repo.listCohorts(leadA)).find((c) => c.id === cohort)?.attempts).toBe(60);
    });
  });
}

describe('the summaries migration on a database that already holds attempts', () => {
  it('fills the summaries from the attempts stored before it', async () => {
    const { openDb } = await import('../../src/server/db');
    const { Repository } = await import('../../src/server/repository');
    const db = await openDb({ dataDir: 'memory://' });
    try {
      const all = readMigrations();
      await migrate(db, all.slice(0, all.findIndex((m) => m.name.endsWith('_attempt_summaries'))));
      const repo = new Repository(db);
      await repo.saveScenarioVersion(HASH, 'practice-call', 1, { en: 'Warm-up' }, { id: 'practice-call' });
      // The lead as the first schema held it (migration 007 adds the roles createLead writes).
      const lead = (await db.query<{ id: number }>(`INSERT INTO leads (name, password_hash) VALUES ('Old Lead', 'scrypt$x') RETURNING id::int AS id`))[0]!.id;
      const cohort = (await repo.createCohort(lead, 'Old', 'OLDCODE1')) as number;
      // Rows as the first schema held them (later migrations add columns the repository now writes).
      const hal = (await db.query<{ id: number }>(`INSERT INTO trainees (cohort_id, name, token_hash) VALUES ($1, 'Hal', 'token-hal') RETURNING id::int AS id`, [cohort]))[0]!.id;
      for (const [day, total] of [[3, 50], [1, 95], [2, 20]] as const) {
        const a = attempt({ traineeId: hal, cohortId: cohort, startedAt: `2026-11-0${day}T10:00:00.000Z`, total, passed: total > 90 });
        await db.query(
          `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps, outcome, passed, total, dimensions, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13::jsonb, $14)`,
          [a.id, a.traineeId, a.cohortId, a.scenarioId, a.scenarioHash, a.scenarioRevision, a.language, a.startedAt, JSON.stringify(a.steps), a.outcome, a.passed, a.total, JSON.stringify(a.dimensions), a.durationMs],
        );
      }
      await migrate(db, all);
      const report = (await repo.report(lead, cohort, {}))!;
      expect(report.cells).toEqual([{ traineeId: hal, scenarioId: 'practice-call', attempts: 3, best: 95, last: 50, passed: true, lastAt: '2026-11-03T10:00:00.000Z' }]);
    } finally {
      await db.close();
    }
  }, 120_000); // a fresh PGlite takes seconds on a busy machine
});
