/**
 * The cohort analytics' SQL (migration 011): every read goes through the aggregates the attempt
 * triggers keep, or through an index, never through a cohort's whole history. Each read takes the
 * lead's id and checks the cohort is theirs first: another lead's cohort reads as none.
 */
import type { Db, SqlValue } from '../db';
import type { Bucket } from '../analytics';
import type { AttemptFlag } from '../vouch';

export type HeatBy = 'best' | 'latest' | 'average';

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

  /** Pass rates per caller: sums over the trainees' rows (trainees × callers rows). */
  async callers(cohortId: number, scenarioId: string | null): Promise<CallerFigures[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT scenario_id, sum(attempts) AS attempts, sum(passed) AS passed, sum(analysed) AS analysed, sum(flagged) AS flagged,
         count(*) FILTER (WHERE attempts > 0) AS trainees, count(*) FILTER (WHERE passed > 0) AS trainees_passed
       FROM analytics_callers WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
       GROUP BY scenario_id HAVING sum(attempts) > 0 ORDER BY scenario_id`,
      [cohortId, scenarioId],
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
  async rules(cohortId: number, scenarioId: string | null): Promise<RuleFigures[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT rule_id, sum(attempts) AS attempts, count(DISTINCT trainee_id) FILTER (WHERE attempts > 0) AS trainees
       FROM analytics_rules WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
       GROUP BY rule_id HAVING sum(attempts) > 0 ORDER BY sum(attempts) DESC, rule_id`,
      [cohortId, scenarioId],
    );
    return rows.map((r) => ({ ruleId: String(r.rule_id), attempts: n(r.attempts), trainees: n(r.trainees) }));
  }

  /** The time histograms of a cohort: node '' is the whole call (server-timed), others are decisions. */
  async times(cohortId: number, scenarioId: string | null, wholeCalls: boolean): Promise<Map<string, Map<string, Bucket[]>>> {
    const rows = await this.db.query<{ scenario_id: string; node_id: string; bucket_ms: number; n: number }>(
      `SELECT scenario_id, node_id, bucket_ms, n::int AS n FROM analytics_times
       WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND (node_id = '') = $3 AND n > 0
       ORDER BY scenario_id, node_id, bucket_ms`,
      [cohortId, scenarioId, wholeCalls],
    );
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

  async flagCounts(cohortId: number, scenarioId: string | null): Promise<{ kind: string; attempts: number }[]> {
    const rows = await this.db.query<{ kind: string; n: unknown }>(
      `SELECT kind, sum(n) AS n FROM analytics_flags WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text)
       GROUP BY kind HAVING sum(n) > 0 ORDER BY sum(n) DESC, kind`,
      [cohortId, scenarioId],
    );
    return rows.map((r) => ({ kind: r.kind, attempts: n(r.n) }));
  }

  /** The latest flagged attempts, newest first (the partial index attempts_flagged). */
  async flagged(cohortId: number, scenarioId: string | null, limit: number): Promise<FlaggedAttempt[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT a.id::text AS id, a.trainee_id, t.name, a.scenario_id, a.started_at, a.timed_by_server, a.flags
       FROM attempts a JOIN trainees t ON t.id = a.trainee_id
       WHERE a.cohort_id = $1 AND a.flags <> '[]'::jsonb AND ($2::text IS NULL OR a.scenario_id = $2::text)
       ORDER BY a.started_at DESC, a.id DESC LIMIT $3`,
      [cohortId, scenarioId, limit],
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
  async choices(cohortId: number, scenarioId: string): Promise<{ counts: { nodeId: string; choiceId: string; chosen: number; trainees: number }[]; traineesAt: Map<string, number> }> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT node_id, choice_id, sum(chosen) AS chosen, count(*) FILTER (WHERE chosen > 0) AS trainees
       FROM analytics_choices WHERE cohort_id = $1 AND scenario_id = $2 GROUP BY node_id, choice_id`,
      [cohortId, scenarioId],
    );
    const at = await this.db.query<Record<string, unknown>>(
      `SELECT node_id, count(DISTINCT trainee_id) AS trainees FROM analytics_choices
       WHERE cohort_id = $1 AND scenario_id = $2 AND chosen > 0 GROUP BY node_id`,
      [cohortId, scenarioId],
    );
    return {
      counts: rows.map((r) => ({ nodeId: String(r.node_id), choiceId: String(r.choice_id), chosen: n(r.chosen), trainees: n(r.trainees) })),
      traineesAt: new Map(at.map((r) => [String(r.node_id), n(r.trainees)])),
    };
  }

  /**
   * Mean score per trainee and skill over the callers they played, each caller counted by the
   * trainee's best score in the skill, the latest call's, or the average of all their calls.
   */
  async heat(cohortId: number, scenarioId: string | null, by: HeatBy): Promise<{ traineeId: number; dimension: string; percent: number; calls: number }[]> {
    const params: SqlValue[] = [cohortId, scenarioId];
    const sql =
      by === 'latest'
        ? `SELECT s.trainee_id, d.key AS dimension, avg(d.value::float8) AS percent, count(*) AS calls
           FROM attempt_summaries s, jsonb_each_text(s.last_dimensions) d
           WHERE s.cohort_id = $1 AND ($2::text IS NULL OR s.scenario_id = $2::text) GROUP BY 1, 2`
        : `SELECT trainee_id, dimension, avg(${by === 'best' ? 'best' : 'total / n'}) AS percent, count(*) AS calls
           FROM analytics_dimensions WHERE cohort_id = $1 AND ($2::text IS NULL OR scenario_id = $2::text) AND n > 0 GROUP BY 1, 2`;
    const rows = await this.db.query<Record<string, unknown>>(`${sql} ORDER BY 1, 2`, params);
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
