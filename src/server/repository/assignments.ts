/**
 * Assignments (migration 006): the SQL behind src/server/routes/assignments.ts. Lead-facing
 * statements join through `cohorts.lead_id`, trainee-facing ones through the trainee's own cohort,
 * so an id in a request never reaches another lead's or another cohort's assignment.
 *
 * Counting: an attempt used is a server start made for the assignment (a call started and left
 * counts: its options were seen). An attempt counts for "done" and "passed" when it came from such
 * a start and the server had it before the due date's grace ran out and before the model call was
 * released (the insert flags the others late / after-release; src/server/repository.ts).
 */
import type { Db, Queryable } from '../db';

export type AssignmentMode = 'practice' | 'assessment';

export interface AssignmentRow {
  id: number;
  cohortId: number;
  scenarioId: string;
  mode: AssignmentMode;
  dueAt: string;
  attemptsAllowed: number;
  releasedAt: string | null;
  createdAt: string;
}

/** One trainee's standing on one assignment. */
export interface AssignmentProgress {
  attemptsUsed: number;
  /** A counted attempt was received. */
  done: boolean;
  passed: boolean;
  /** Best total of the counted attempts; null before one. */
  best: number | null;
  lastAt: string | null;
}

export interface TraineeAssignment extends AssignmentRow, AssignmentProgress {}

export interface LeadAssignment extends AssignmentRow {
  trainees: ({ traineeId: number; name: string } & AssignmentProgress)[];
}

export interface NewAssignment {
  scenarioId: string;
  mode: AssignmentMode;
  dueAt: string;
  attemptsAllowed: number;
}

interface Row {
  id: number;
  cohort_id: number;
  scenario_id: string;
  mode: string;
  due_at: Date | string;
  attempts_allowed: number;
  released_at: Date | string | null;
  created_at: Date | string;
}

const COLUMNS = `g.id::int AS id, g.cohort_id::int AS cohort_id, g.scenario_id, g.mode, g.due_at, g.attempts_allowed, g.released_at, g.created_at`;
const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

const toRow = (r: Row): AssignmentRow => ({
  id: Number(r.id),
  cohortId: Number(r.cohort_id),
  scenarioId: r.scenario_id,
  mode: r.mode === 'assessment' ? 'assessment' : 'practice',
  dueAt: iso(r.due_at),
  attemptsAllowed: r.attempts_allowed,
  releasedAt: r.released_at === null ? null : iso(r.released_at),
  createdAt: iso(r.created_at),
});

/** Attempts that count for an assignment: not received late, not after the release. */
const COUNTED = `NOT (a.flags @> '[{"kind":"late"}]'::jsonb OR a.flags @> '[{"kind":"after-release"}]'::jsonb)`;

interface ProgressRow {
  assignment_id: number;
  trainee_id: number;
  used: number;
  done: boolean;
  passed: boolean;
  best: number | null;
  last_at: Date | string | null;
}

/** (assignment, trainee) → progress, for the given assignments and trainees. */
const PROGRESS_SQL = (where: string) => `
  SELECT g.id::int AS assignment_id, t.id::int AS trainee_id,
    (SELECT count(*)::int FROM attempt_starts s WHERE s.assignment_id = g.id AND s.trainee_id = t.id) AS used,
    coalesce(x.done, false) AS done, coalesce(x.passed, false) AS passed, x.best, x.last_at
  FROM assignments g JOIN trainees t ON t.cohort_id = g.cohort_id
  LEFT JOIN LATERAL (
    SELECT true AS done, bool_or(a.passed) AS passed, max(a.total)::float8 AS best, max(a.started_at) AS last_at
    FROM attempts a WHERE a.assignment_id = g.id AND a.trainee_id = t.id AND ${COUNTED} HAVING count(*) > 0
  ) x ON true
  WHERE ${where}`;

const toProgress = (p: ProgressRow | undefined): AssignmentProgress => ({
  attemptsUsed: p?.used ?? 0,
  done: p?.done ?? false,
  passed: p?.passed ?? false,
  best: p?.best ?? null,
  lastAt: p?.last_at ? iso(p.last_at) : null,
});

export type StartRefusal =
  | { kind: 'not-found' }
  | { kind: 'wrong-caller'; scenarioId: string }
  | { kind: 'wrong-mode'; mode: AssignmentMode }
  | { kind: 'due'; dueAt: string }
  | { kind: 'released'; releasedAt: string }
  | { kind: 'used-up'; used: number; allowed: number };

export class AssignmentStore {
  constructor(private readonly db: Db) {}

  /** Several callers at once, all or none; null when the cohort is not the lead's. */
  async create(leadId: number, cohortId: number, items: readonly NewAssignment[], now: string): Promise<AssignmentRow[] | null | { taken: string }> {
    return this.db.transaction(async (tx) => {
      const owner = await tx.query<{ id: number }>('SELECT id::int AS id FROM cohorts WHERE id = $1 AND lead_id = $2 FOR UPDATE', [cohortId, leadId]);
      if (!owner[0]) return null;
      const made: AssignmentRow[] = [];
      for (const item of items) {
        const rows = await tx.query<Row>(
          `INSERT INTO assignments AS g (cohort_id, scenario_id, mode, due_at, attempts_allowed, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (cohort_id, scenario_id, mode) DO NOTHING RETURNING ${COLUMNS}`,
          [cohortId, item.scenarioId, item.mode, item.dueAt, item.attemptsAllowed, now],
        );
        if (!rows[0]) throw new Taken(item.scenarioId);
        made.push(toRow(rows[0]));
      }
      return made;
    }).catch((error: unknown) => {
      if (error instanceof Taken) return { taken: error.scenarioId };
      throw error;
    });
  }

  /** The lead's assignment, or null. */
  async forLead(leadId: number, id: number, tx: Queryable = this.db): Promise<AssignmentRow | null> {
    const rows = await tx.query<Row>(`SELECT ${COLUMNS} FROM assignments g JOIN cohorts c ON c.id = g.cohort_id WHERE g.id = $1 AND c.lead_id = $2`, [id, leadId]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** A cohort's assignments with every trainee's progress; null when the cohort is not the lead's. */
  async listForLead(leadId: number, cohortId: number): Promise<LeadAssignment[] | null> {
    const owner = await this.db.query<{ id: number }>('SELECT id::int AS id FROM cohorts WHERE id = $1 AND lead_id = $2', [cohortId, leadId]);
    if (!owner[0]) return null;
    const [rows, trainees, progress] = await Promise.all([
      this.db.query<Row>(`SELECT ${COLUMNS} FROM assignments g WHERE g.cohort_id = $1 ORDER BY g.due_at, g.id`, [cohortId]),
      this.db.query<{ id: number; name: string }>('SELECT id::int AS id, name FROM trainees WHERE cohort_id = $1 ORDER BY name, id', [cohortId]),
      this.db.query<ProgressRow>(PROGRESS_SQL('g.cohort_id = $1'), [cohortId]),
    ]);
    const byKey = new Map(progress.map((p) => [`${p.assignment_id}:${p.trainee_id}`, p]));
    return rows.map((r) => {
      const row = toRow(r);
      return { ...row, trainees: trainees.map((t) => ({ traineeId: t.id, name: t.name, ...toProgress(byKey.get(`${row.id}:${t.id}`)) })) };
    });
  }

  /** Changes the due date, the attempts allowed or the mode; the mode only while nobody has started it. */
  async update(
    leadId: number,
    id: number,
    changes: Partial<Pick<NewAssignment, 'dueAt' | 'attemptsAllowed' | 'mode'>>,
  ): Promise<AssignmentRow | null | { started: number } | { taken: string }> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<Row>(`SELECT ${COLUMNS} FROM assignments g JOIN cohorts c ON c.id = g.cohort_id WHERE g.id = $1 AND c.lead_id = $2 FOR UPDATE OF g`, [id, leadId]);
      const row = current[0] ? toRow(current[0]) : null;
      if (!row) return null;
      if (changes.mode !== undefined && changes.mode !== row.mode) {
        const started = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM attempt_starts WHERE assignment_id = $1', [id]);
        if ((started[0]?.n ?? 0) > 0) return { started: started[0]!.n };
        const clash = await tx.query('SELECT 1 FROM assignments WHERE cohort_id = $1 AND scenario_id = $2 AND mode = $3', [row.cohortId, row.scenarioId, changes.mode]);
        if (clash.length) return { taken: row.scenarioId };
      }
      const rows = await tx.query<Row>(
        `UPDATE assignments g SET due_at = coalesce($2::timestamptz, g.due_at), attempts_allowed = coalesce($3::int, g.attempts_allowed), mode = coalesce($4, g.mode)
         WHERE g.id = $1 RETURNING ${COLUMNS}`,
        [id, changes.dueAt ?? null, changes.attemptsAllowed ?? null, changes.mode ?? null],
      );
      return toRow(rows[0]!);
    });
  }

  /** Removes it; its starts and attempts stay, unlinked. */
  async remove(leadId: number, id: number): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM assignments g USING cohorts c WHERE g.id = $1 AND c.id = g.cohort_id AND c.lead_id = $2 RETURNING g.id', [id, leadId]);
    return rows.length > 0;
  }

  /** Releases the model call of an assessment; the route checks the due date first. */
  async release(leadId: number, id: number, now: string): Promise<AssignmentRow | null> {
    const rows = await this.db.query<Row>(
      `UPDATE assignments g SET released_at = coalesce(g.released_at, $3::timestamptz) FROM cohorts c
       WHERE g.id = $1 AND c.id = g.cohort_id AND c.lead_id = $2 RETURNING ${COLUMNS}`,
      [id, leadId, now],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** The trainee's cohort's assignments, each with the trainee's own progress. */
  async listForTrainee(traineeId: number, cohortId: number): Promise<TraineeAssignment[]> {
    const [rows, progress] = await Promise.all([
      this.db.query<Row>(`SELECT ${COLUMNS} FROM assignments g WHERE g.cohort_id = $1 ORDER BY g.due_at, g.id`, [cohortId]),
      this.db.query<ProgressRow>(PROGRESS_SQL('g.cohort_id = $1 AND t.id = $2'), [cohortId, traineeId]),
    ]);
    const byId = new Map(progress.map((p) => [p.assignment_id, p]));
    return rows.map((r) => {
      const row = toRow(r);
      return { ...row, ...toProgress(byId.get(row.id)) };
    });
  }

  /**
   * Records a server start for an assignment of the trainee's own cohort, if one is still allowed:
   * in one transaction that locks the assignment, so two starts at once cannot both take the last
   * attempt. `record` inserts the start (it has the seed).
   */
  async start(
    trainee: { id: number; cohortId: number },
    assignmentId: number,
    want: { scenarioId: string; mode: AssignmentMode },
    now: string,
    record: (tx: Queryable) => Promise<void>,
  ): Promise<{ ok: AssignmentRow; used: number } | StartRefusal> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>(`SELECT ${COLUMNS} FROM assignments g WHERE g.id = $1 AND g.cohort_id = $2 FOR UPDATE`, [assignmentId, trainee.cohortId]);
      const row = rows[0] ? toRow(rows[0]) : null;
      if (!row) return { kind: 'not-found' } as const;
      if (row.scenarioId !== want.scenarioId) return { kind: 'wrong-caller', scenarioId: row.scenarioId } as const;
      if (row.mode !== want.mode) return { kind: 'wrong-mode', mode: row.mode } as const;
      if (row.releasedAt) return { kind: 'released', releasedAt: row.releasedAt } as const;
      if (Date.parse(now) >= Date.parse(row.dueAt)) return { kind: 'due', dueAt: row.dueAt } as const;
      const used = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM attempt_starts WHERE assignment_id = $1 AND trainee_id = $2', [assignmentId, trainee.id]))[0]?.n ?? 0;
      if (used >= row.attemptsAllowed) return { kind: 'used-up', used, allowed: row.attemptsAllowed } as const;
      await record(tx);
      return { ok: row, used: used + 1 };
    });
  }

  /** For a trainee's own attempt: has the model call of its assignment been released? */
  async releasedForAttempt(attemptId: string): Promise<boolean> {
    const rows = await this.db.query<{ released: boolean }>(
      'SELECT g.released_at IS NOT NULL AS released FROM attempts a JOIN assignments g ON g.id = a.assignment_id WHERE a.id = $1',
      [attemptId],
    );
    return rows[0]?.released ?? false;
  }
}

class Taken extends Error {
  constructor(readonly scenarioId: string) {
    super(`an assignment of ${scenarioId} exists`);
  }
}
