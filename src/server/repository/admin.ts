/**
 * Administration's SQL (issue 15): leads and their roles, passwords an admin sets, trainees renamed,
 * merged and removed, and the admin log. Every trainee statement takes the acting lead's id and
 * joins through `cohorts.lead_id`, as the rest of the repository does: a lead can only change a
 * trainee of a cohort they own, whatever id a request names.
 */
import type { Queryable } from '../db';
import type { LeadSession, Repository } from '../repository';

export interface LeadListed extends LeadSession {
  createdAt: string;
  cohorts: number;
  trainees: number;
  attempts: number;
}

export interface TraineeListed {
  id: number;
  name: string;
  cohortId: number;
  cohortName: string;
  joinedAt: string;
  attempts: number;
  lastAt: string | null;
}

export interface LogEntry {
  id: number;
  at: string;
  actor: string;
  via: 'dashboard' | 'cli';
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface NewLogEntry {
  actorId: number | null;
  actor: string;
  via: 'dashboard' | 'cli';
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/** The per-trainee-per-caller summaries (migration 002) rebuilt from a trainee's attempts. */
const RESUMMARISE = `INSERT INTO attempt_summaries (trainee_id, scenario_id, cohort_id, attempts, best, passed, last_id, last_started_at, last_total, last_dimensions)
  SELECT DISTINCT ON (a.trainee_id, a.scenario_id) a.trainee_id, a.scenario_id, a.cohort_id,
    count(*) OVER w, max(a.total) OVER w, bool_or(a.passed) OVER w, a.id, a.started_at, a.total, a.dimensions
  FROM attempts a WHERE a.trainee_id = $1
  WINDOW w AS (PARTITION BY a.trainee_id, a.scenario_id)
  ORDER BY a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC`;

export class AdminRepository {
  constructor(private readonly repository: Repository) {}

  private get db() {
    return this.repository.db;
  }

  // Leads

  async leads(): Promise<LeadListed[]> {
    const rows = await this.db.query<{
      id: number;
      name: string;
      is_admin: boolean;
      is_trainer: boolean;
      password_temporary: boolean;
      created_at: Date | string;
      cohorts: number;
      trainees: number;
      attempts: number;
    }>(
      `SELECT l.id::int AS id, l.name, l.is_admin, l.is_trainer, l.password_temporary, l.created_at,
         (SELECT count(*)::int FROM cohorts c WHERE c.lead_id = l.id) AS cohorts,
         (SELECT count(*)::int FROM trainees t JOIN cohorts c ON c.id = t.cohort_id WHERE c.lead_id = l.id) AS trainees,
         (SELECT coalesce(sum(s.attempts), 0)::int FROM attempt_summaries s JOIN cohorts c ON c.id = s.cohort_id WHERE c.lead_id = l.id) AS attempts
       FROM leads l ORDER BY l.created_at, l.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      isAdmin: r.is_admin,
      isTrainer: r.is_trainer,
      passwordTemporary: r.password_temporary,
      createdAt: iso(r.created_at),
      cohorts: r.cohorts,
      trainees: r.trainees,
      attempts: r.attempts,
    }));
  }

  async lead(id: number): Promise<LeadListed | null> {
    return (await this.leads()).find((l) => l.id === id) ?? null;
  }

  /** A new lead, unless the name is taken or looks like a lead's already there (`skeleton`: src/server/names.ts). */
  async addLead(
    name: string,
    passwordHash: string,
    roles: { isAdmin: boolean; isTrainer: boolean; temporary: boolean },
    skeleton: (name: string) => string,
  ): Promise<number | { taken: string }> {
    return this.db.transaction(async (tx) => {
      // Leads are few: their names are compared here, in one transaction that holds the table.
      await tx.query('LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE');
      const names = await tx.query<{ name: string }>('SELECT name FROM leads');
      const key = skeleton(name);
      const like = names.find((n) => n.name === name || skeleton(n.name) === key);
      if (like) return { taken: like.name };
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO leads (name, password_hash, is_admin, is_trainer, password_temporary)
         SELECT $1, $2, $3 OR NOT EXISTS (SELECT 1 FROM leads), $4 OR NOT EXISTS (SELECT 1 FROM leads), $5 RETURNING id::int AS id`,
        [name, passwordHash, roles.isAdmin, roles.isTrainer, roles.temporary],
      );
      return rows[0]!.id;
    });
  }

  /** The admins' rows, locked until the transaction ends: two admins demoting each other at once cannot leave none. */
  private async lockedAdmins(tx: Queryable): Promise<number[]> {
    const rows = await tx.query<{ id: number }>('SELECT id::int AS id FROM leads WHERE is_admin ORDER BY id FOR UPDATE');
    return rows.map((r) => r.id);
  }

  async setRoles(leadId: number, roles: { isAdmin: boolean; isTrainer: boolean }): Promise<'ok' | 'not-found' | 'last-admin'> {
    return this.db.transaction(async (tx) => {
      const admins = await this.lockedAdmins(tx);
      if (!roles.isAdmin && admins.length === 1 && admins[0] === leadId) return 'last-admin' as const;
      const rows = await tx.query('UPDATE leads SET is_admin = $2, is_trainer = $3 WHERE id = $1 RETURNING id', [leadId, roles.isAdmin, roles.isTrainer]);
      return rows.length ? ('ok' as const) : ('not-found' as const);
    });
  }

  /**
   * Removes a lead. Their cohorts (with trainees and attempts) go to `moveTo`, or are deleted with
   * them when `deleteCohorts`; a lead who has cohorts is not removed without one of the two.
   */
  async removeLead(
    leadId: number,
    cohorts: { moveTo?: number | undefined; deleteCohorts?: boolean | undefined },
  ): Promise<'ok' | 'not-found' | 'last-admin' | 'has-cohorts' | 'same-lead' | 'no-such-target' | { nameTaken: string }> {
    return this.db.transaction(async (tx) => {
      const admins = await this.lockedAdmins(tx);
      const found = await tx.query<{ id: number }>('SELECT id::int AS id FROM leads WHERE id = $1 FOR UPDATE', [leadId]);
      if (!found.length) return 'not-found' as const;
      if (admins.length === 1 && admins[0] === leadId) return 'last-admin' as const;
      const owned = await tx.query<{ id: number; name: string }>('SELECT id::int AS id, name FROM cohorts WHERE lead_id = $1', [leadId]);
      if (owned.length && cohorts.moveTo !== undefined) {
        if (cohorts.moveTo === leadId) return 'same-lead' as const;
        const target = await tx.query('SELECT 1 FROM leads WHERE id = $1', [cohorts.moveTo]);
        if (!target.length) return 'no-such-target' as const;
        const clash = await tx.query<{ name: string }>(
          'SELECT c.name FROM cohorts c WHERE c.lead_id = $1 AND c.name IN (SELECT name FROM cohorts WHERE lead_id = $2) LIMIT 1',
          [cohorts.moveTo, leadId],
        );
        if (clash[0]) return { nameTaken: clash[0].name };
        await tx.query('UPDATE cohorts SET lead_id = $2 WHERE lead_id = $1', [leadId, cohorts.moveTo]);
      } else if (owned.length && !cohorts.deleteCohorts) {
        return 'has-cohorts' as const;
      }
      await tx.query('DELETE FROM leads WHERE id = $1', [leadId]);
      return 'ok' as const;
    });
  }

  /** A password an admin set: every session of the lead ends, and they choose their own at the next login. */
  async resetPassword(leadId: number, passwordHash: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query('UPDATE leads SET password_hash = $2, password_temporary = true WHERE id = $1 RETURNING id', [leadId, passwordHash]);
      if (rows.length) await tx.query('DELETE FROM lead_sessions WHERE lead_id = $1', [leadId]);
      return rows.length > 0;
    });
  }

  /** The lead's own new password: their other sessions end, the one they are using stays. */
  async changeOwnPassword(leadId: number, passwordHash: string, keepSession: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE leads SET password_hash = $2, password_temporary = false WHERE id = $1', [leadId, passwordHash]);
      await tx.query('DELETE FROM lead_sessions WHERE lead_id = $1 AND token_hash <> $2', [leadId, keepSession]);
    });
  }

  async passwordHash(leadId: number): Promise<string | null> {
    const rows = await this.db.query<{ password_hash: string }>('SELECT password_hash FROM leads WHERE id = $1', [leadId]);
    return rows[0]?.password_hash ?? null;
  }

  // Trainees of the lead's own cohorts

  async trainees(leadId: number): Promise<TraineeListed[]> {
    const rows = await this.db.query<{
      id: number;
      name: string;
      cohort_id: number;
      cohort_name: string;
      created_at: Date | string;
      attempts: number;
      last_at: Date | string | null;
    }>(
      `SELECT t.id::int AS id, t.name, t.cohort_id::int AS cohort_id, c.name AS cohort_name, t.created_at,
         coalesce(sum(s.attempts), 0)::int AS attempts, max(s.last_started_at) AS last_at
       FROM trainees t JOIN cohorts c ON c.id = t.cohort_id LEFT JOIN attempt_summaries s ON s.trainee_id = t.id
       WHERE c.lead_id = $1 GROUP BY t.id, c.id ORDER BY c.created_at, c.id, t.name, t.id`,
      [leadId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      cohortId: r.cohort_id,
      cohortName: r.cohort_name,
      joinedAt: iso(r.created_at),
      attempts: r.attempts,
      lastAt: r.last_at === null ? null : iso(r.last_at),
    }));
  }

  async trainee(leadId: number, traineeId: number): Promise<TraineeListed | null> {
    return (await this.trainees(leadId)).find((t) => t.id === traineeId) ?? null;
  }

  /** A new name, unless another trainee of the cohort has it or one that looks like it. */
  async renameTrainee(leadId: number, traineeId: number, name: string, nameKey: string): Promise<'ok' | 'not-found' | { taken: string }> {
    return this.db.transaction(async (tx) => {
      const own = await tx.query<{ cohort_id: number }>(
        'SELECT t.cohort_id::int AS cohort_id FROM trainees t JOIN cohorts c ON c.id = t.cohort_id WHERE t.id = $1 AND c.lead_id = $2 FOR UPDATE OF t',
        [traineeId, leadId],
      );
      const cohortId = own[0]?.cohort_id;
      if (cohortId === undefined) return 'not-found' as const;
      const other = await tx.query<{ name: string }>('SELECT name FROM trainees WHERE cohort_id = $1 AND id <> $2 AND (name = $3 OR name_key = $4) LIMIT 1', [
        cohortId,
        traineeId,
        name,
        nameKey,
      ]);
      if (other[0]) return { taken: other[0].name };
      await tx.query('UPDATE trainees SET name = $2, name_key = $3 WHERE id = $1', [traineeId, name, nameKey]);
      this.repository.forgetTrainee(traineeId);
      return 'ok' as const;
    });
  }

  /**
   * Two records of one person become `keepId`: the other's attempts and starts move to it, both
   * records' summaries are rebuilt from the attempts, the other's device token (and any it had from
   * earlier merges) now opens `keepId`, and the other record is deleted. Both must be in one cohort
   * of the lead's.
   */
  async mergeTrainees(leadId: number, keepId: number, dropId: number): Promise<{ moved: number } | 'not-found' | 'other-cohort'> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: number; cohort_id: number; token_hash: string }>(
        `SELECT t.id::int AS id, t.cohort_id::int AS cohort_id, t.token_hash FROM trainees t JOIN cohorts c ON c.id = t.cohort_id
         WHERE t.id IN ($1, $2) AND c.lead_id = $3 ORDER BY t.id FOR UPDATE OF t`,
        [keepId, dropId, leadId],
      );
      const keep = rows.find((r) => r.id === keepId);
      const drop = rows.find((r) => r.id === dropId);
      if (!keep || !drop) return 'not-found' as const;
      if (keep.cohort_id !== drop.cohort_id) return 'other-cohort' as const;
      const moved = await tx.query('UPDATE attempts SET trainee_id = $1 WHERE trainee_id = $2 RETURNING id', [keepId, dropId]);
      await tx.query('UPDATE attempt_starts SET trainee_id = $1 WHERE trainee_id = $2', [keepId, dropId]);
      await tx.query('DELETE FROM attempt_summaries WHERE trainee_id IN ($1, $2)', [keepId, dropId]);
      await tx.query(RESUMMARISE, [keepId]);
      await tx.query('UPDATE trainee_token_aliases SET trainee_id = $1 WHERE trainee_id = $2', [keepId, dropId]);
      await tx.query('INSERT INTO trainee_token_aliases (token_hash, trainee_id) VALUES ($1, $2)', [drop.token_hash, keepId]);
      await tx.query('DELETE FROM trainees WHERE id = $1', [dropId]);
      this.repository.forgetTrainee(dropId);
      return { moved: moved.length };
    });
  }

  /**
   * Deletes the trainee with their attempts, if they still have `expectedAttempts` (what the lead
   * confirmed): an attempt that arrived meanwhile makes the lead confirm again.
   */
  async removeTrainee(leadId: number, traineeId: number, expectedAttempts: number): Promise<{ removed: number } | 'not-found' | { attemptsNow: number }> {
    return this.db.transaction(async (tx) => {
      const own = await tx.query<{ id: number }>(
        'SELECT t.id::int AS id FROM trainees t JOIN cohorts c ON c.id = t.cohort_id WHERE t.id = $1 AND c.lead_id = $2 FOR UPDATE OF t',
        [traineeId, leadId],
      );
      if (!own.length) return 'not-found' as const;
      const count = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts WHERE trainee_id = $1', [traineeId]);
      const n = count[0]?.n ?? 0;
      if (n !== expectedAttempts) return { attemptsNow: n };
      await tx.query('DELETE FROM trainees WHERE id = $1', [traineeId]);
      this.repository.forgetTrainee(traineeId);
      return { removed: n };
    });
  }

  // The admin log

  async log(entry: NewLogEntry): Promise<void> {
    await this.db.query('INSERT INTO admin_log (actor_id, actor, via, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
      entry.actorId,
      entry.actor,
      entry.via,
      entry.action,
      entry.target,
      JSON.stringify(entry.detail ?? {}),
    ]);
  }

  async recentLog(limit: number): Promise<LogEntry[]> {
    const rows = await this.db.query<{ id: number; at: Date | string; actor: string; via: 'dashboard' | 'cli'; action: string; target: string; detail: unknown }>(
      'SELECT id::int AS id, at, actor, via, action, target, detail FROM admin_log ORDER BY at DESC, id DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({ id: r.id, at: iso(r.at), actor: r.actor, via: r.via, action: r.action, target: r.target, detail: parsed<Record<string, unknown>>(r.detail) }));
  }
}
