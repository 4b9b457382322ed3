/**
 * The LRS outbox (migration 008): the SQL behind src/server/lrs.ts. A trigger queues every stored
 * attempt; a sender claims due rows with a lease (`FOR UPDATE SKIP LOCKED`, so two app servers on one
 * PostgreSQL never claim the same row at once, and a row whose server stopped is claimed again once
 * its lease ran out), and deletes a row only after the LRS acknowledged its statement.
 */
import type { Db } from '../db';
import { LISTED_COLUMNS, toListed, type AttemptDbRow, type ListedAttempt } from '../repository';

export interface ClaimedStatement {
  attempt: ListedAttempt;
  cohortName: string;
  tries: number;
}

export interface OutboxStatus {
  queued: number;
  /** Rows that failed at least once and wait for their next try. */
  failing: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export class LrsOutbox {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` due rows for `server` until `leaseMs` from now and returns their attempts
   * (oldest first). `tries` counts this try.
   */
  async claim(server: string, limit: number, leaseMs: number): Promise<ClaimedStatement[]> {
    const claimed = await this.db.query<{ attempt_id: string; tries: number }>(
      `UPDATE lrs_outbox o SET lease_until = now() + $3 * interval '1 millisecond', leased_by = $1, tries = o.tries + 1, last_tried_at = now()
       WHERE o.attempt_id IN (
         SELECT attempt_id FROM lrs_outbox
         WHERE next_at <= now() AND (lease_until IS NULL OR lease_until < now())
         ORDER BY enqueued_at, attempt_id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING o.attempt_id::text AS attempt_id, o.tries`,
      [server, limit, leaseMs],
    );
    if (!claimed.length) return [];
    const tries = new Map(claimed.map((r) => [r.attempt_id, r.tries]));
    const ids = claimed.map((r) => r.attempt_id);
    const rows = await this.db.query<Omit<AttemptDbRow, 'steps'> & { cohort_name: string }>(
      `SELECT ${LISTED_COLUMNS}, c.name AS cohort_name FROM attempts a JOIN trainees t ON t.id = a.trainee_id JOIN cohorts c ON c.id = a.cohort_id
       WHERE a.id = ANY($1::uuid[]) ORDER BY a.received_at, a.id`,
      [`{${ids.join(',')}}`],
    );
    return rows.map((row) => ({ attempt: toListed(row), cohortName: row.cohort_name, tries: tries.get(row.id) ?? 1 }));
  }

  /** The LRS has these: off the queue (only rows this server still holds the lease of). */
  async done(server: string, attemptIds: readonly string[]): Promise<void> {
    if (!attemptIds.length) return;
    await this.db.query(`DELETE FROM lrs_outbox WHERE attempt_id = ANY($1::uuid[]) AND leased_by = $2`, [`{${attemptIds.join(',')}}`, server]);
  }

  /** Not acknowledged: free the lease, keep the row, try again after `retryInMs`. */
  async failed(server: string, attemptIds: readonly string[], error: string, retryInMs: number): Promise<void> {
    if (!attemptIds.length) return;
    await this.db.query(
      `UPDATE lrs_outbox SET lease_until = NULL, leased_by = NULL, last_error = $3, next_at = now() + $4 * interval '1 millisecond'
       WHERE attempt_id = ANY($1::uuid[]) AND leased_by = $2`,
      [`{${attemptIds.join(',')}}`, server, error.slice(0, 500), Math.round(retryInMs)],
    );
  }

  async status(): Promise<OutboxStatus> {
    const [row] = await this.db.query<{ queued: string | number; failing: string | number; last_error: string | null; last_at: Date | string | null }>(
      `SELECT count(*) AS queued, count(*) FILTER (WHERE last_error IS NOT NULL) AS failing,
         (SELECT last_error FROM lrs_outbox WHERE last_error IS NOT NULL ORDER BY last_tried_at DESC NULLS LAST LIMIT 1) AS last_error,
         (SELECT last_tried_at FROM lrs_outbox WHERE last_error IS NOT NULL ORDER BY last_tried_at DESC NULLS LAST LIMIT 1) AS last_at
       FROM lrs_outbox`,
    );
    const at = row?.last_at ?? null;
    return {
      queued: Number(row?.queued ?? 0),
      failing: Number(row?.failing ?? 0),
      lastError: row?.last_error ?? null,
      lastErrorAt: at === null ? null : new Date(at).toISOString(),
    };
  }
}
