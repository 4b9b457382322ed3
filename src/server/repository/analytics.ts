/**
 * The cohort analytics' SQL (migrations 011, 013, 015, 017). Without a date range every read goes
 * through the aggregates (added up by the fold, migration 017, plus the few attempts it has not
 * reached yet, which each read adds itself), or through an index, never through a cohort's whole
 * history. With a date range (server dates: `started_at`, the server's start of the call or its
 * receipt) the reads add the day summaries of the whole UTC days the range holds to the attempts of
 * its partial days at either end (./days.ts): the same figures as counting every call of the range.
 * The routes check the cohort is the lead's first (ownedCohort).
 */
import type { Db, SqlValue } from '../db';
import { daysIn, edgeAttempts, splitParams, splitRange } from './days';
import type { Bucket } from '../analytics';
import type { AttemptFlag } from '../vouch';

export type HeatBy = 'best' | 'latest' | 'average';

/** What a read covers: one cohort, optionally one caller and a range of server dates [from, to). */
export interface Scope {
  cohortId: number;
  scenarioId: string | null;
  from: string | null;
  to: string | null;
  /** False: a dated read counts every call of the range from the attempts, no day summary (the tests compare the two). */
  summaries?: boolean;
}

const dated = (q: Scope) => q.from !== null || q.to !== null;
/** $1 cohort, $2 caller, $3 from, $4 to: the attempts of the scope, as `a`. */
const ATTEMPTS_IN = `a.cohort_id = $1 AND ($2::text IS NULL OR a.scenario_id = $2::text)
  AND ($3::timestamptz IS NULL OR a.started_at >= $3::timestamptz) AND ($4::timestamptz IS NULL OR a.started_at < $4::timestamptz)`;
const scopeParams = (q: Scope): SqlValue[] => [q.cohortId, q.scenarioId, q.from, q.to];
/** Undated: $1 cohort, $2 caller. Dated: then the day split's parameters from $3 (./days.ts). */
const readParams = (q: Scope): SqlValue[] => (dated(q) ? [q.cohortId, q.scenarioId, ...splitParams(splitRange(q.from, q.to, q.summaries !== false))] : [q.cohortId, q.scenarioId]);
/** The whole days of the scope in a day table (no alias). */
const DAYS = `cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND ${daysIn(3)}`;
/** The attempts of the scope's partial days, to alias. */
const EDGES = edgeAttempts('a.cohort_id = $1 AND ($2::text IS NULL OR a.scenario_id = $2::text)', 3);
/**
 * The attempts of the scope that the fold has not added to the aggregates yet (analytics_pending,
 * migration 017), to alias: every read adds them, in the same statement, so its figures hold every
 * stored attempt whatever the fold has reached. Few: the server folds every second or so. Each
 * attempt by its key (OFFSET 0 keeps the subquery a nested loop over the primary key).
 */
const QUEUED = `(SELECT a.* FROM analytics_pending p CROSS JOIN LATERAL (SELECT * FROM attempts x WHERE x.id = p.attempt_id OFFSET 0) a
  WHERE p.cohort_id = $1 AND a.cohort_id = $1 AND ($2::text IS NULL OR a.scenario_id = $2::text))`;
/** Dated: the queued attempts of the scope's whole days (those the day tables answer for). */
const QUEUED_DAYS = `(SELECT a.* FROM analytics_pending p CROSS JOIN LATERAL (SELECT * FROM attempts x WHERE x.id = p.attempt_id OFFSET 0) a
  WHERE p.cohort_id = $1 AND a.cohort_id = $1 AND ($2::text IS NULL OR a.scenario_id = $2::text)
    AND summary_day(a.started_at) >= $3::date AND summary_day(a.started_at) < $4::date)`;

export interface CallerFigures {
  scenarioId: string;
  attempts: number;
  passed: number;
  /** Attempts with their rules and decisions recorded (all but some stored before migration 011). */
  analysed: number;
  flagged: number;
  trainees: number;
  traineesPassed: number;
}

export interface RuleFigures {
  ruleId: string;
  /** Attempts that broke it. */
  attempts: number;
  trainees: number;
}

export interface FlaggedAttempt {
  id: string;
  traineeId: number;
  traineeName: string;
  scenarioId: string;
  startedAt: string;
  timedByServer: boolean;
  flags: AttemptFlag[];
}

const n = (v: unknown): number => Number(v ?? 0);
const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export class AnalyticsRepository {
  constructor(private readonly db: Db) {}

  /** The cohort's name when the lead owns it, else null. */
  async ownedCohort(leadId: number, cohortId: number): Promise<string | null> {
    const rows = await this.db.query<{ name: string }>('SELECT name FROM cohorts WHERE id = $1 AND lead_id = $2', [cohortId, leadId]);
    return rows[0]?.name ?? null;
  }

  /** When the cohort's first call started (ms since 1970; the index on cohort and start), or null. */
  async firstCall(cohortId: number): Promise<number | null> {
    const rows = await this.db.query<{ at: unknown }>('SELECT min(started_at) AS at FROM attempts WHERE cohort_id = $1', [cohortId]);
    const at = rows[0]?.at;
    return at === null || at === undefined ? null : (at instanceof Date ? at : new Date(String(at))).getTime();
  }

  /** Pass rates per caller: sums over the trainees' rows (trainees × callers rows), or the range's attempts. */
  async callers(q: Scope): Promise<CallerFigures[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      dated(q)
        ? `SELECT scenario_id, sum(attempts) AS attempts, sum(passed) AS passed, sum(analysed) AS analysed, sum(flagged) AS flagged,
             count(DISTINCT trainee_id) AS trainees, count(DISTINCT trainee_id) FILTER (WHERE passed > 0) AS trainees_passed
           FROM (SELECT scenario_id, trainee_id, attempts, passed, analysed, flagged FROM summary_days WHERE ${DAYS}
             UNION ALL
             SELECT a.scenario_id, a.trainee_id, 1, a.passed::int, (a.decisions IS NOT NULL)::int, (a.flags <> '[]'::jsonb)::int FROM ${EDGES} a) x
           GROUP BY scenario_id ORDER BY scenario_id`
        : `SELECT scenario_id, sum(attempts) AS attempts, sum(passed) AS passed, sum(analysed) AS analysed, sum(flagged) AS flagged,
             count(*) FILTER (WHERE attempts > 0) AS trainees, count(*) FILTER (WHERE passed > 0) AS trainees_passed
           FROM (SELECT scenario_id, trainee_id, sum(attempts) AS attempts, sum(passed) AS passed, sum(analysed) AS analysed, sum(flagged) AS flagged
             FROM (SELECT scenario_id, trainee_id, attempts, passed, analysed, flagged FROM analytics_callers WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
               UNION ALL
               SELECT a.scenario_id, a.trainee_id, 1, a.passed::int, (a.decisions IS NOT NULL)::int, (a.flags <> '[]'::jsonb)::int FROM ${QUEUED} a) y
             GROUP BY 1, 2) x
           GROUP BY scenario_id HAVING sum(attempts) > 0 ORDER BY scenario_id`,
      readParams(q),
    );
    return rows.map((r) => ({
      scenarioId: String(r.scenario_id),
      attempts: n(r.attempts),
      passed: n(r.passed),
      analysed: n(r.analysed),
      flagged: n(r.flagged),
      trainees: n(r.trainees),
      traineesPassed: n(r.trainees_passed),
    }));
  }

  /** Attempts that broke each rule, most first; trainees counted once across callers. */
  async rules(q: Scope): Promise<RuleFigures[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      dated(q)
        ? `SELECT rule_id, sum(attempts) AS attempts, count(DISTINCT trainee_id) AS trainees
           FROM (SELECT rule_id, trainee_id, attempts FROM rule_days WHERE ${DAYS}
             UNION ALL
             SELECT r.rule_id, a.trainee_id, 1 FROM ${EDGES} a, unnest(a.broken_rules) AS r (rule_id)
             UNION ALL
             SELECT r.rule_id, a.trainee_id, 1 FROM ${QUEUED_DAYS} a, unnest(a.broken_rules) AS r (rule_id)) x
           GROUP BY rule_id ORDER BY sum(attempts) DESC, rule_id`
        : `SELECT rule_id, sum(attempts) AS attempts, count(DISTINCT trainee_id) FILTER (WHERE attempts > 0) AS trainees
           FROM (SELECT rule_id, trainee_id, attempts FROM analytics_rules WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
             UNION ALL
             SELECT r.rule_id, a.trainee_id, 1 FROM ${QUEUED} a, unnest(a.broken_rules) AS r (rule_id)) x
           GROUP BY rule_id HAVING sum(attempts) > 0 ORDER BY sum(attempts) DESC, rule_id`,
      readParams(q),
    );
    return rows.map((r) => ({ ruleId: String(r.rule_id), attempts: n(r.attempts), trainees: n(r.trainees) }));
  }

  /**
   * The time histograms of a cohort (log-scale buckets, analytics_bucket): node '' is the whole call
   * (server-timed), others are decisions.
   */
  async times(q: Scope, wholeCalls: boolean): Promise<Map<string, Map<string, Bucket[]>>> {
    const sql = !dated(q)
      ? `SELECT scenario_id, node_id, bucket_ms, sum(n)::int AS n
         FROM (SELECT scenario_id, node_id, bucket_ms, n FROM analytics_times
             WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND (node_id = '') = ${wholeCalls}
           UNION ALL
           ${
             wholeCalls
               ? `SELECT a.scenario_id, '', analytics_bucket(a.duration_ms), 1 FROM ${QUEUED} a WHERE a.timed_by_server`
               : `SELECT a.scenario_id, d ->> 'node', analytics_bucket((d ->> 'ms')::integer), 1 FROM ${QUEUED} a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms'`
           }) x
         GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 1, 2, 3`
      : wholeCalls
        ? `SELECT scenario_id, '' AS node_id, bucket_ms, sum(n)::int AS n
           FROM (SELECT scenario_id, bucket_ms, n FROM duration_days WHERE ${DAYS}
             UNION ALL
             SELECT a.scenario_id, analytics_bucket(a.duration_ms), 1 FROM ${EDGES} a WHERE a.timed_by_server
             UNION ALL
             SELECT a.scenario_id, analytics_bucket(a.duration_ms), 1 FROM ${QUEUED_DAYS} a WHERE a.timed_by_server) x
           GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 1, 2, 3`
        : `SELECT scenario_id, node_id, bucket_ms, sum(n)::int AS n
           FROM (SELECT scenario_id, node_id, bucket_ms, n FROM time_days WHERE ${DAYS}
             UNION ALL
             SELECT a.scenario_id, d ->> 'node', analytics_bucket((d ->> 'ms')::integer), 1 FROM ${EDGES} a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms'
             UNION ALL
             SELECT a.scenario_id, d ->> 'node', analytics_bucket((d ->> 'ms')::integer), 1 FROM ${QUEUED_DAYS} a, jsonb_array_elements(a.decisions) d WHERE d ? 'ms') x
           GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 1, 2, 3`;
    const rows = await this.db.query<{ scenario_id: string; node_id: string; bucket_ms: number; n: number }>(sql, readParams(q));
    const out = new Map<string, Map<string, Bucket[]>>();
    for (const r of rows) {
      const byNode = out.get(r.scenario_id) ?? new Map<string, Bucket[]>();
      const list = byNode.get(r.node_id) ?? [];
      list.push({ ms: n(r.bucket_ms), n: n(r.n) });
      byNode.set(r.node_id, list);
      out.set(r.scenario_id, byNode);
    }
    return out;
  }

  async flagCounts(q: Scope): Promise<{ kind: string; attempts: number }[]> {
    const rows = await this.db.query<{ kind: string; n: unknown }>(
      dated(q)
        ? `SELECT kind, sum(n) AS n
           FROM (SELECT kind, n FROM flag_days WHERE ${DAYS}
             UNION ALL
             SELECT f ->> 'kind', 1 FROM ${EDGES} a, jsonb_array_elements(a.flags) f WHERE a.flags <> '[]'::jsonb
             UNION ALL
             SELECT f ->> 'kind', 1 FROM ${QUEUED_DAYS} a, jsonb_array_elements(a.flags) f WHERE a.flags <> '[]'::jsonb) x
           GROUP BY kind HAVING sum(n) > 0 ORDER BY sum(n) DESC, kind`
        : `SELECT kind, sum(n) AS n
           FROM (SELECT kind, n FROM analytics_flags WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
             UNION ALL
             SELECT f ->> 'kind', 1 FROM ${QUEUED} a, jsonb_array_elements(a.flags) f WHERE a.flags <> '[]'::jsonb) x
           GROUP BY kind HAVING sum(n) > 0 ORDER BY sum(n) DESC, kind`,
      readParams(q),
    );
    return rows.map((r) => ({ kind: r.kind, attempts: n(r.n) }));
  }

  /** The latest flagged attempts, newest first (the partial index attempts_flagged). */
  async flagged(q: Scope, limit: number): Promise<FlaggedAttempt[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT a.id::text AS id, a.trainee_id, t.name, a.scenario_id, a.started_at, a.timed_by_server, a.flags
       FROM attempts a JOIN trainees t ON t.id = a.trainee_id
       WHERE ${ATTEMPTS_IN} AND a.flags <> '[]'::jsonb
       ORDER BY a.started_at DESC, a.id DESC LIMIT $5`,
      [...scopeParams(q), limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      traineeId: n(r.trainee_id),
      traineeName: String(r.name),
      scenarioId: String(r.scenario_id),
      startedAt: iso(r.started_at),
      timedByServer: r.timed_by_server === true,
      flags: parsed<AttemptFlag[]>(r.flags),
    }));
  }

  /** Counts per option and trainee at each decision of one caller. */
  async choices(q: Scope & { scenarioId: string }): Promise<{ counts: { nodeId: string; choiceId: string; chosen: number; trainees: number }[]; traineesAt: Map<string, number> }> {
    // Per trainee, option (choice_id '' the decision as a whole: trainees who answered it) in one pass.
    const source = dated(q)
      ? `SELECT trainee_id, node_id, choice_id, chosen FROM choice_days WHERE ${DAYS}
         UNION ALL
         SELECT a.trainee_id, d ->> 'node', d ->> 'choice', 1 FROM ${EDGES} a, jsonb_array_elements(a.decisions) d
         UNION ALL
         SELECT a.trainee_id, d ->> 'node', d ->> 'choice', 1 FROM ${QUEUED_DAYS} a, jsonb_array_elements(a.decisions) d`
      : `SELECT trainee_id, node_id, choice_id, chosen FROM analytics_choices
         WHERE cohort_id = $1 AND scenario_id = $2::text AND chosen > 0
         UNION ALL
         SELECT a.trainee_id, d ->> 'node', d ->> 'choice', 1 FROM ${QUEUED} a, jsonb_array_elements(a.decisions) d`;
    const all = await this.db.query<Record<string, unknown>>(
      `SELECT node_id, choice_id, sum(chosen) AS chosen, count(DISTINCT trainee_id) AS trainees FROM (${source}) x
       GROUP BY GROUPING SETS ((node_id, choice_id), (node_id))`,
      readParams(q),
    );
    const rows = all.filter((r) => r.choice_id !== null);
    const at = all.filter((r) => r.choice_id === null);
    return {
      counts: rows.map((r) => ({ nodeId: String(r.node_id), choiceId: String(r.choice_id), chosen: n(r.chosen), trainees: n(r.trainees) })),
      traineesAt: new Map(at.map((r) => [String(r.node_id), n(r.trainees)])),
    };
  }

  /**
   * Mean score per trainee and skill over the callers they played, each caller counted by the
   * trainee's best score in the skill, the latest call's, or the average of all their calls.
   */
  async heat(q: Scope, by: HeatBy): Promise<{ traineeId: number; dimension: string; percent: number; calls: number }[]> {
    let sql: string;
    if (dated(q)) {
      // Per trainee, caller and skill over the range (whole days and partial days), then the mean over callers.
      sql =
        by === 'latest'
          ? `SELECT l.trainee_id, d.key AS dimension, avg(d.value::float8) AS percent, count(*) AS calls
             FROM (SELECT DISTINCT ON (trainee_id, scenario_id) trainee_id, scenario_id, dimensions FROM (
                 SELECT trainee_id, scenario_id, last_started_at AS at, last_id AS id, last_dimensions AS dimensions FROM summary_days WHERE ${DAYS}
                 UNION ALL
                 SELECT a.trainee_id, a.scenario_id, a.started_at, a.id, a.dimensions FROM ${EDGES} a) y
               ORDER BY trainee_id, scenario_id, at DESC, id DESC) l, jsonb_each_text(l.dimensions) d GROUP BY 1, 2`
          : `SELECT trainee_id, dimension, avg(v) AS percent, count(*) AS calls FROM (
               SELECT trainee_id, scenario_id, dimension, ${by === 'best' ? 'max(best)' : 'sum(total) / sum(n)'} AS v FROM (
                 SELECT trainee_id, scenario_id, dimension, total, n, best FROM dimension_days WHERE ${DAYS}
                 UNION ALL
                 SELECT a.trainee_id, a.scenario_id, d.key, d.value::float8, 1, d.value::float8 FROM ${EDGES} a, jsonb_each_text(a.dimensions) d
                 UNION ALL
                 SELECT a.trainee_id, a.scenario_id, d.key, d.value::float8, 1, d.value::float8 FROM ${QUEUED_DAYS} a, jsonb_each_text(a.dimensions) d) y
               GROUP BY 1, 2, 3) x GROUP BY 1, 2`;
    } else {
      sql =
        by === 'latest'
          ? `SELECT s.trainee_id, d.key AS dimension, avg(d.value::float8) AS percent, count(*) AS calls
             FROM attempt_summaries s, jsonb_each_text(s.last_dimensions) d
             WHERE s.cohort_id = $1 AND ($2::text IS NULL OR s.scenario_id = $2::text) GROUP BY 1, 2`
          : `SELECT trainee_id, dimension, avg(v) AS percent, count(*) AS calls FROM (
               SELECT trainee_id, scenario_id, dimension, ${by === 'best' ? 'max(best)' : 'sum(total) / sum(n)'} AS v FROM (
                 SELECT trainee_id, scenario_id, dimension, total, n, best FROM analytics_dimensions
                 WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND n > 0
                 UNION ALL
                 SELECT a.trainee_id, a.scenario_id, d.key, d.value::float8, 1, d.value::float8 FROM ${QUEUED} a, jsonb_each_text(a.dimensions) d) y
               GROUP BY 1, 2, 3) x GROUP BY 1, 2`;
    }
    const rows = await this.db.query<Record<string, unknown>>(`${sql} ORDER BY 1, 2`, readParams(q));
    return rows.map((r) => ({ traineeId: n(r.trainee_id), dimension: String(r.dimension), percent: Math.round(n(r.percent) * 10) / 10, calls: n(r.calls) }));
  }

  /**
   * Adds up to `maxRows` queued attempts to the aggregates (analytics_fold, migration 017): one
   * statement, so one transaction. How many it folded, or -1 when another fold (this server's or
   * another's on the same PostgreSQL) or a delete or update of attempts holds the fold's lock.
   */
  async fold(maxRows: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT analytics_fold($1::int) AS n', [maxRows], { prepared: 'htl_analytics_fold' });
    return n(rows[0]?.n);
  }

  /** Attempts stored and not yet folded into the aggregates. */
  async queued(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM analytics_pending');
    return n(rows[0]?.n);
  }

  /** Attempts stored before migration 011 whose rules and decisions are not recorded yet, a page at a time by id. */
  async attemptsWithoutFacts(afterId: string | null, limit: number): Promise<{ id: string; scenarioHash: string; steps: unknown; seed: string | null }[]> {
    const rows = await this.db.query<{ id: string; scenario_hash: string; steps: unknown; seed: string | null }>(
      `SELECT id::text AS id, scenario_hash, steps, seed FROM attempts WHERE decisions IS NULL AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, scenarioHash: r.scenario_hash, steps: parsed(r.steps), seed: r.seed }));
  }

  /** Records the rules and decisions of older attempts; the update trigger counts them. */
  async saveFacts(facts: readonly { id: string; brokenRules: string[]; decisions: unknown }[]): Promise<void> {
    if (facts.length === 0) return;
    await this.db.query(
      `UPDATE attempts a SET broken_rules = ARRAY(SELECT jsonb_array_elements_text(f.value -> 'rules')), decisions = f.value -> 'decisions'
       FROM jsonb_array_elements($1::jsonb) f WHERE a.id = (f.value ->> 'id')::uuid AND a.decisions IS NULL`,
      [JSON.stringify(facts.map((f) => ({ id: f.id, rules: f.brokenRules, decisions: f.decisions })))],
    );
  }
}
