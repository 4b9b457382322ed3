/**
 * The cohort analytics' SQL (migrations 011, 013). Without a date range every read goes through the
 * aggregates the attempt triggers keep, or through an index, never through a cohort's whole
 * history. With a date range (server dates: `started_at`, the server's start of the call or its
 * receipt) the reads count the attempts of the range themselves, through attempts_cohort_started
 * (cohort_id, started_at, id), as the report's dated cells do: the cost follows the range's size.
 * The routes check the cohort is the lead's first (ownedCohort).
 */
import type { Db, SqlValue } from '../db';
import type { Bucket } from '../analytics';
import type { AttemptFlag } from '../vouch';

export type HeatBy = 'best' | 'latest' | 'average';

/** What a read covers: one cohort, optionally one caller and a range of server dates [from, to). */
export interface Scope {
  cohortId: number;
  scenarioId: string | null;
  from: string | null;
  to: string | null;
}

const dated = (q: Scope) => q.from !== null || q.to !== null;
/** $1 cohort, $2 caller, $3 from, $4 to: the attempts of the scope, as `a`. */
const ATTEMPTS_IN = `a.cohort_id = $1 AND ($2::text IS NULL OR a.scenario_id = $2::text)
  AND ($3::timestamptz IS NULL OR a.started_at >= $3::timestamptz) AND ($4::timestamptz IS NULL OR a.started_at < $4::timestamptz)`;
const scopeParams = (q: Scope): SqlValue[] => [q.cohortId, q.scenarioId, q.from, q.to];

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
        ? `SELECT a.scenario_id, count(*) AS attempts, count(*) FILTER (WHERE a.passed) AS passed,
             count(*) FILTER (WHERE a.decisions IS NOT NULL) AS analysed, count(*) FILTER (WHERE a.flags <> '[]'::jsonb) AS flagged,
             count(DISTINCT a.trainee_id) AS trainees, count(DISTINCT a.trainee_id) FILTER (WHERE a.passed) AS trainees_passed
           FROM attempts a WHERE ${ATTEMPTS_IN} GROUP BY a.scenario_id ORDER BY a.scenario_id`
        : `SELECT scenario_id, sum(attempts) AS attempts, sum(passed) AS passed, sum(analysed) AS analysed, sum(flagged) AS flagged,
             count(*) FILTER (WHERE attempts > 0) AS trainees, count(*) FILTER (WHERE passed > 0) AS trainees_passed
           FROM analytics_callers WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL
           GROUP BY scenario_id HAVING sum(attempts) > 0 ORDER BY scenario_id`,
      scopeParams(q),
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
        ? `SELECT r.rule_id, count(*) AS attempts, count(DISTINCT a.trainee_id) AS trainees
           FROM attempts a, unnest(a.broken_rules) AS r (rule_id) WHERE ${ATTEMPTS_IN}
           GROUP BY r.rule_id ORDER BY count(*) DESC, r.rule_id`
        : `SELECT rule_id, sum(attempts) AS attempts, count(DISTINCT trainee_id) FILTER (WHERE attempts > 0) AS trainees
           FROM analytics_rules WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL
           GROUP BY rule_id HAVING sum(attempts) > 0 ORDER BY sum(attempts) DESC, rule_id`,
      scopeParams(q),
    );
    return rows.map((r) => ({ ruleId: String(r.rule_id), attempts: n(r.attempts), trainees: n(r.trainees) }));
  }

  /**
   * The time histograms of a cohort (log-scale buckets, analytics_bucket): node '' is the whole call
   * (server-timed), others are decisions.
   */
  async times(q: Scope, wholeCalls: boolean): Promise<Map<string, Map<string, Bucket[]>>> {
    const sql = !dated(q)
      ? `SELECT scenario_id, node_id, bucket_ms, n::int AS n FROM analytics_times
         WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL
           AND (node_id = '') = $5 AND n > 0
         ORDER BY scenario_id, node_id, bucket_ms`
      : wholeCalls
        ? `SELECT a.scenario_id, '' AS node_id, analytics_bucket(a.duration_ms) AS bucket_ms, count(*)::int AS n
           FROM attempts a WHERE ${ATTEMPTS_IN} AND a.timed_by_server AND $5 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
        : `SELECT a.scenario_id, d ->> 'node' AS node_id, analytics_bucket((d ->> 'ms')::integer) AS bucket_ms, count(*)::int AS n
           FROM attempts a, jsonb_array_elements(a.decisions) d WHERE ${ATTEMPTS_IN} AND d ? 'ms' AND NOT $5 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    const rows = await this.db.query<{ scenario_id: string; node_id: string; bucket_ms: number; n: number }>(sql, [...scopeParams(q), wholeCalls]);
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
        ? `SELECT f ->> 'kind' AS kind, count(*) AS n FROM attempts a, jsonb_array_elements(a.flags) f
           WHERE ${ATTEMPTS_IN} AND a.flags <> '[]'::jsonb GROUP BY 1 ORDER BY count(*) DESC, 1`
        : `SELECT kind, sum(n) AS n FROM analytics_flags WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
             AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL
           GROUP BY kind HAVING sum(n) > 0 ORDER BY sum(n) DESC, kind`,
      scopeParams(q),
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
      ? `SELECT a.trainee_id, d ->> 'node' AS node_id, d ->> 'choice' AS choice_id, count(*) AS chosen
         FROM attempts a, jsonb_array_elements(a.decisions) d WHERE ${ATTEMPTS_IN} GROUP BY 1, 2, 3`
      : `SELECT trainee_id, node_id, choice_id, chosen FROM analytics_choices
         WHERE cohort_id = $1 AND scenario_id = $2::text AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL AND chosen > 0`;
    const all = await this.db.query<Record<string, unknown>>(
      `SELECT node_id, choice_id, sum(chosen) AS chosen, count(DISTINCT trainee_id) AS trainees FROM (${source}) x
       GROUP BY GROUPING SETS ((node_id, choice_id), (node_id))`,
      scopeParams(q),
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
      // Per trainee, caller and skill over the range's attempts, then the mean over callers.
      const perCaller =
        by === 'latest'
          ? `SELECT DISTINCT ON (a.trainee_id, a.scenario_id) a.trainee_id, a.scenario_id, a.dimensions FROM attempts a WHERE ${ATTEMPTS_IN}
             ORDER BY a.trainee_id, a.scenario_id, a.started_at DESC, a.id DESC`
          : null;
      sql = perCaller
        ? `SELECT l.trainee_id, d.key AS dimension, avg(d.value::float8) AS percent, count(*) AS calls
           FROM (${perCaller}) l, jsonb_each_text(l.dimensions) d GROUP BY 1, 2`
        : `SELECT trainee_id, dimension, avg(v) AS percent, count(*) AS calls FROM (
             SELECT a.trainee_id, a.scenario_id, d.key AS dimension, ${by === 'best' ? 'max' : 'avg'}(d.value::float8) AS v
             FROM attempts a, jsonb_each_text(a.dimensions) d WHERE ${ATTEMPTS_IN} GROUP BY 1, 2, 3) x GROUP BY 1, 2`;
    } else {
      const undated = `AND $3::timestamptz IS NULL AND $4::timestamptz IS NULL`;
      sql =
        by === 'latest'
          ? `SELECT s.trainee_id, d.key AS dimension, avg(d.value::float8) AS percent, count(*) AS calls
             FROM attempt_summaries s, jsonb_each_text(s.last_dimensions) d
             WHERE s.cohort_id = $1 AND ($2::text IS NULL OR s.scenario_id = $2::text) ${undated} GROUP BY 1, 2`
          : `SELECT trainee_id, dimension, avg(${by === 'best' ? 'best' : 'total / n'}) AS percent, count(*) AS calls
             FROM analytics_dimensions WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) ${undated} AND n > 0 GROUP BY 1, 2`;
    }
    const rows = await this.db.query<Record<string, unknown>>(`${sql} ORDER BY 1, 2`, scopeParams(q));
    return rows.map((r) => ({ traineeId: n(r.trainee_id), dimension: String(r.dimension), percent: Math.round(n(r.percent) * 10) / 10, calls: n(r.calls) }));
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
