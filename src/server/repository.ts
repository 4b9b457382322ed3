/**
 * Every SQL statement the service runs, with parameters only. Lead-facing reads take the lead's id
 * and join through `cohorts.lead_id`, so a lead can never read a cohort they do not own, whatever
 * id a request names.
 */
import type { Db, Queryable, SqlValue } from './db';
import type { DecisionFact } from './analytics';
import type { AttemptFlag } from './vouch';
import { daysIn, edgeAttempts, splitParams, splitRange } from './repository/days';

/** A lead as a session sees them: migration 007's roles, and whether an admin set their password. */
export interface LeadSession {
  id: number;
  name: string;
  isAdmin: boolean;
  isTrainer: boolean;
  /** An admin set this password (a new lead, a reset): the lead chooses their own before anything else. */
  passwordTemporary: boolean;
}

export interface LeadRow extends LeadSession {
  passwordHash: string;
}

interface LeadDbRow {
  id: number;
  name: string;
  is_admin: boolean;
  is_trainer: boolean;
  password_temporary: boolean;
}
const LEAD_COLUMNS = 'id::int AS id, name, is_admin, is_trainer, password_temporary';
const toLead = (r: LeadDbRow): LeadSession => ({ id: r.id, name: r.name, isAdmin: r.is_admin, isTrainer: r.is_trainer, passwordTemporary: r.password_temporary });

export interface CohortSummary {
  id: number;
  name: string;
  createdAt: string;
  trainees: number;
  attempts: number;
  codes: { code: string; createdAt: string; expiresAt: string }[];
}

export interface TraineeRow {
  id: number;
  name: string;
  cohortId: number;
  cohortName: string;
}

export interface NewAttempt {
  id: string;
  traineeId: number;
  cohortId: number;
  scenarioId: string;
  scenarioHash: string;
  scenarioRevision: number;
  language: string;
  startedAt: string;
  steps: unknown;
  /** The seed the call was played with; null for attempts made before seeds. */
  seed: string | null;
  mode: 'practice' | 'assessment';
  outcome: string;
  passed: boolean;
  total: number;
  /** Percent per dimension the scenario scores. */
  dimensions: Record<string, number>;
  durationMs: number;
  /** Migration 004: false for an attempt played without a server start (then dated at receipt). */
  timedByServer?: boolean;
  /** The start the client claimed, kept beside the server's dates. */
  claimedStartedAt?: string | null;
  /** src/server/vouch.ts: the choices with their reply times, and the choices alone. */
  replayPrint?: string | null;
  choicePrint?: string | null;
  /** What the lead should look at; the insert adds replayed / same-choices. */
  flags?: AttemptFlag[];
  /**
   * When the server received it, by the app's clock (default: the database's): the insert links a
   * vouched attempt to the assignment its start was made for, and flags one received after the
   * assignment's due date and grace, or after its model call was released (migration 006).
   */
  receivedAt?: string;
  /** Migration 011 (src/server/analytics.ts): the rules broken, each once, and the decisions in order, for the cohort analytics. */
  brokenRules?: string[] | null;
  decisions?: DecisionFact[] | null;
}

export interface StoredAttempt extends NewAttempt {
  receivedAt: string;
  traineeName: string;
  timedByServer: boolean;
  claimedStartedAt: string | null;
  flags: AttemptFlag[];
}

/** An attempt in a list or an export: everything but the steps. */
export type ListedAttempt = Omit<StoredAttempt, 'steps'>;
/** What an xAPI statement is made of (src/server/xapi.ts): all an export reads of an attempt. */
export type ExportedAttempt = Pick<
  ListedAttempt,
  'id' | 'traineeId' | 'traineeName' | 'scenarioId' | 'scenarioHash' | 'scenarioRevision' | 'language' | 'startedAt' | 'outcome' | 'passed' | 'total' | 'dimensions' | 'durationMs'
>;

export interface PageRequest {
  /** The cursor a previous page ended with. */
  after?: string | undefined;
  /** At most this many; undefined for all (streamed in chunks). */
  limit?: number | undefined;
  /** Rows per database query (tests make it small to cross chunk boundaries). */
  chunk?: number | undefined;
}

/** What a page generator returns when it is done: the cursor of the next page, or null at the end. */
export interface PageEnd {
  next: string | null;
}

export interface AttemptFilter {
  from?: string | undefined;
  to?: string | undefined;
  scenarioId?: string | undefined;
}

export interface ReportCell {
  traineeId: number;
  scenarioId: string;
  attempts: number;
  best: number;
  last: number;
  passed: boolean;
  lastAt: string;
}

export interface Report {
  cohortName: string;
  trainees: { id: number; name: string; joinedAt: string }[];
  cells: ReportCell[];
  /** Mean percent per dimension over each trainee's latest attempt on each caller. */
  heat: { traineeId: number; dimension: string; percent: number; calls: number }[];
}

/** The report as the database builds it (json_build_object): ids may come back as numbers or strings, dates as text. */
interface ReportJson {
  cohortName: string;
  trainees: { id: number | string; name: string; joinedAt: string }[];
  cells: (Omit<ReportCell, 'traineeId'> & { traineeId: number | string; lastDimensions: unknown })[];
}

/**
 * The heat map from the cells: per trainee and dimension, the mean of the latest attempt's percent
 * on each caller that scores it, to one decimal (half away from zero, as PostgreSQL's round), and
 * how many callers it averages. Done here rather than in SQL: a few thousand numbers, where the
 * database's grouping of jsonb_each_text rows cost 20 ms of the report at 100,000 attempts.
 */
function heatOf(cells: readonly { traineeId: number; lastDimensions: Record<string, number> }[]): Report['heat'] {
  const byTrainee = new Map<number, Map<string, { sum: number; calls: number }>>();
  for (const cell of cells) {
    let dims = byTrainee.get(cell.traineeId);
    if (!dims) byTrainee.set(cell.traineeId, (dims = new Map()));
    const last = cell.lastDimensions ?? {};
    for (const dimension in last) {
      const entry = dims.get(dimension);
      if (entry) {
        entry.sum += Number(last[dimension]);
        entry.calls += 1;
      } else dims.set(dimension, { sum: Number(last[dimension]), calls: 1 });
    }
  }
  const heat: Report['heat'] = [];
  for (const traineeId of [...byTrainee.keys()].sort((a, b) => a - b)) {
    const dims = byTrainee.get(traineeId)!;
    for (const dimension of [...dims.keys()].sort()) {
      const { sum, calls } = dims.get(dimension)!;
      heat.push({ traineeId, dimension, percent: roundTenth(sum / calls), calls });
    }
  }
  return heat;
}

/** To one decimal, half away from zero, without binary surprises (72.25 → 72.3). */
const roundTenth = (x: number): number => Math.sign(x) * Math.round(Number((Math.abs(x) * 10).toPrecision(12))) / 10;

export interface ScenarioVersionRow {
  hash: string;
  scenarioId: string;
  revision: number;
  body: unknown;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const json = (value: unknown): string => JSON.stringify(value);
/** pg returns jsonb parsed; keep the same shape whichever driver gave it. */
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const filterSql = (first: number) =>
  `($${first}::timestamptz IS NULL OR a.started_at >= $${first}::timestamptz)
   AND ($${first + 1}::timestamptz IS NULL OR a.started_at < $${first + 1}::timestamptz)
   AND ($${first + 2}::text IS NULL OR a.scenario_id = $${first + 2}::text)`;
const filterParams = (f: AttemptFilter): SqlValue[] => [f.from ?? null, f.to ?? null, f.scenarioId ?? null];

/** Lists and exports leave out the steps (the transcript): they are the bulk of a row and nobody reads them there. */
export const LISTED_COLUMNS = `a.id, a.trainee_id, a.cohort_id, a.scenario_id, a.scenario_hash, a.scenario_revision, a.language,
  a.started_at, a.received_at, a.seed, a.mode, a.outcome, a.passed, a.total, a.dimensions, a.duration_ms, t.name AS trainee_name,
  a.timed_by_server, a.claimed_started_at, a.flags`;
/** An export's columns (ExportedAttempt): on PGlite a page of these costs a fifth less than of LISTED_COLUMNS. */
const EXPORTED_COLUMNS = `a.id, a.trainee_id, a.scenario_id, a.scenario_hash, a.scenario_revision, a.language, a.started_at,
  a.outcome, a.passed, a.total, a.dimensions, a.duration_ms, t.name AS trainee_name`;
/** Rows per query of a list or an export: each query stays short, so submissions run between them. */
const LIST_CHUNK = 250;

const ATTEMPT_COLUMNS = `a.id, a.trainee_id, a.cohort_id, a.scenario_id, a.scenario_hash, a.scenario_revision, a.language,
  a.started_at, a.received_at, a.steps, a.seed, a.mode, a.outcome, a.passed, a.total, a.dimensions, a.duration_ms, t.name AS trainee_name,
  a.timed_by_server, a.claimed_started_at, a.flags`;

export interface AttemptDbRow {
  id: string;
  trainee_id: number | string;
  cohort_id: number | string;
  scenario_id: string;
  scenario_hash: string;
  scenario_revision: number;
  language: string;
  started_at: Date | string;
  received_at: Date | string;
  steps: unknown;
  seed: string | null;
  mode: string;
  outcome: string;
  passed: boolean;
  total: number;
  dimensions: unknown;
  duration_ms: number;
  trainee_name: string;
  timed_by_server: boolean;
  claimed_started_at: Date | string | null;
  flags: unknown;
}

type ExportedDbRow = Pick<
  AttemptDbRow,
  'id' | 'trainee_id' | 'scenario_id' | 'scenario_hash' | 'scenario_revision' | 'language' | 'started_at' | 'outcome' | 'passed' | 'total' | 'dimensions' | 'duration_ms' | 'trainee_name'
>;

function toExported(row: ExportedDbRow): ExportedAttempt {
  return {
    id: row.id,
    traineeId: Number(row.trainee_id),
    traineeName: row.trainee_name,
    scenarioId: row.scenario_id,
    scenarioHash: row.scenario_hash,
    scenarioRevision: row.scenario_revision,
    language: row.language,
    startedAt: iso(row.started_at),
    outcome: row.outcome,
    passed: row.passed,
    total: row.total,
    dimensions: parsed<Record<string, number>>(row.dimensions),
    durationMs: row.duration_ms,
  };
}

export function toListed(row: Omit<AttemptDbRow, 'steps'>): ListedAttempt {
  return {
    id: row.id,
    traineeId: Number(row.trainee_id),
    cohortId: Number(row.cohort_id),
    scenarioId: row.scenario_id,
    scenarioHash: row.scenario_hash,
    scenarioRevision: row.scenario_revision,
    language: row.language,
    startedAt: iso(row.started_at),
    receivedAt: iso(row.received_at),
    seed: row.seed,
    mode: row.mode === 'assessment' ? 'assessment' : 'practice',
    outcome: row.outcome,
    passed: row.passed,
    total: row.total,
    dimensions: parsed<Record<string, number>>(row.dimensions),
    durationMs: row.duration_ms,
    traineeName: row.trainee_name,
    timedByServer: row.timed_by_server,
    claimedStartedAt: row.claimed_started_at === null ? null : iso(row.claimed_started_at),
    flags: parsed<AttemptFlag[]>(row.flags),
  };
}

/** A cohort's attempts, for a lead who owns the cohort ($1 cohort, $2 lead, $3… the filter). */
const COHORT_ATTEMPTS = `FROM attempts a JOIN trainees t ON t.id = a.trainee_id JOIN cohorts c ON c.id = a.cohort_id
  WHERE a.cohort_id = $1 AND c.lead_id = $2 AND ${filterSql(3)}`;

/** Where a page ends: (started_at in microseconds since 1970, id). Opaque to clients. */
interface Cursor {
  micros: string;
  id: string;
}
const CURSOR = /^(\d{1,17})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const isCursor = (text: string): boolean => CURSOR.test(text);
const cursorOf = (c: Cursor): string => `${c.micros}.${c.id}`;
function parseCursor(text: string): Cursor {
  const m = CURSOR.exec(text);
  if (!m) throw new Error(`not a page cursor: ${text.slice(0, 80)}`);
  return { micros: m[1]!, id: m[2]! };
}

async function collect<T>(items: AsyncGenerator<T, unknown>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function toAttempt(row: AttemptDbRow): StoredAttempt {
  return { ...toListed(row), steps: parsed(row.steps) };
}

/** An attempt started before the due date is counted if the server has it within this many minutes after it. */
export const ASSIGNMENT_GRACE_MINUTES = 30;

/**
 * The flags the insert itself finds (src/server/vouch.ts): a recording sent again (the same choices
 * and reply times as an attempt already stored), and an assessment with another trainee's choices.
 * Each reads the earliest such attempt as the first entry of the print's index (in that order since
 * migration 019), and its trainee's name by key only when there is one: joined to the trainees
 * before the limit, the plan sorted the matches and hashed them for every row inserted.
 */
const FOUND_FLAGS = `v.flags
  || coalesce((SELECT jsonb_build_array(jsonb_build_object('kind', 'replayed', 'reason',
        format('the same choices with the same reply times, to the millisecond, as attempt %s by %s received %s', o.id,
          (SELECT ot.name FROM trainees ot WHERE ot.id = o.trainee_id), to_char(o.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'))))
      FROM attempts o WHERE o.replay_print = v.replay_print ORDER BY o.received_at, o.id LIMIT 1), '[]'::jsonb)
  || CASE WHEN v.mode = 'assessment' THEN coalesce((SELECT jsonb_build_array(jsonb_build_object('kind', 'same-choices', 'reason',
        format('the same sequence of choices as attempt %s by %s', o.id, (SELECT ot.name FROM trainees ot WHERE ot.id = o.trainee_id))))
      FROM attempts o WHERE o.choice_print = v.choice_print AND o.trainee_id <> v.trainee_id ORDER BY o.received_at, o.id LIMIT 1), '[]'::jsonb)
    ELSE '[]'::jsonb END
  || CASE
    WHEN g.id IS NULL THEN '[]'::jsonb
    WHEN g.released_at IS NOT NULL AND v.received > g.released_at THEN jsonb_build_array(jsonb_build_object('kind', 'after-release', 'reason',
        format('received %s, after the model call of this assessment was released (%s): not counted for the assignment',
          to_char(v.received AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), to_char(g.released_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'))))
    WHEN v.received > g.due_at + interval '${ASSIGNMENT_GRACE_MINUTES} minutes' THEN jsonb_build_array(jsonb_build_object('kind', 'late', 'reason',
        format('received %s, more than ${ASSIGNMENT_GRACE_MINUTES} minutes after the assignment was due (%s): not counted for the assignment',
          to_char(v.received AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), to_char(g.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'))))
    ELSE '[]'::jsonb END`;

/**
 * Advisory locks (the two-key form, first key this) that an insert of attempts takes, one per caller
 * of its attempts and in ascending order, before it writes a row: see `insertAttempts`.
 */
const CALLER_LOCK_SPACE = 0x4854_4c01; // "HTL" 1

/** A caller's lock key: a 32-bit FNV-1a hash of its id (two callers sharing one only wait for each other). */
export function callerLockKey(scenarioId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < scenarioId.length; i++) {
    h ^= scenarioId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The insert of any number of attempts, one fixed text: the rows come as one jsonb array
 * (`jsonb_to_recordset`), so PostgreSQL parses and plans it once per connection (a named prepared
 * statement) instead of a new text, with 24 parameters a row, for every size of group.
 *
 * Before it writes a row it takes a transaction advisory lock per caller of its attempts, in
 * ascending order (the one-time filter below runs before the first row). Every row the insert's
 * triggers lock (the summaries per trainee and caller, the analytics of migration 011 per cohort
 * and caller) belongs to one caller, so two inserts that could lock the same rows in different
 * orders, and deadlock, queue on the first caller they share instead: several writers of one
 * server (BatchWriter's lanes) and the writers of other servers on the same database.
 */
const INSERT_ATTEMPTS = `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at,
       steps, outcome, passed, total, dimensions, duration_ms, seed, mode, timed_by_server, claimed_started_at, replay_print, choice_print, flags, assignment_id,
       broken_rules, decisions)
     SELECT v.id, v.trainee_id, v.cohort_id, v.scenario_id, v.scenario_hash, v.scenario_revision, v.language, v.started_at,
       v.steps, v.outcome, v.passed, v.total, v.dimensions, v.duration_ms, v.seed, v.mode, v.timed_by_server, v.claimed_started_at, v.replay_print, v.choice_print,
       ${FOUND_FLAGS}, g.id, CASE WHEN v.broken_rules IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(v.broken_rules)) END, v.decisions
     FROM (SELECT r.*, coalesce(r.received_at, now()) AS received
       FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, trainee_id bigint, cohort_id bigint, scenario_id text, scenario_hash text, scenario_revision int,
         language text, started_at timestamptz, steps jsonb, outcome text, passed boolean, total float8, dimensions jsonb, duration_ms int, seed text, mode text,
         timed_by_server boolean, claimed_started_at timestamptz, replay_print text, choice_print text, flags jsonb, received_at timestamptz,
         broken_rules jsonb, decisions jsonb)) AS v
     -- The assignment of the attempt's own server start (a vouched attempt only: its seed proves the start).
     LEFT JOIN attempt_starts st ON st.id = v.id AND st.trainee_id = v.trainee_id AND v.timed_by_server AND st.mode = v.mode AND st.scenario_id = v.scenario_id
     LEFT JOIN assignments g ON g.id = st.assignment_id
     WHERE (SELECT count(pg_advisory_xact_lock(${CALLER_LOCK_SPACE}, k.key)) FROM unnest($2::int[]) WITH ORDINALITY AS k (key, n)) >= 0
     ON CONFLICT (id) DO NOTHING RETURNING id::text AS id`;

/**
 * One statement for any number of attempts; the ids it stored (not those already there).
 * `callerLocks`: PostgreSQL (other servers, other writers); PGlite has one writer, this one.
 */
async function insertAttempts(db: Queryable, attempts: readonly NewAttempt[], callerLocks: boolean): Promise<Set<string>> {
  const rows = attempts.map((a) => ({
    id: a.id,
    trainee_id: a.traineeId,
    cohort_id: a.cohortId,
    scenario_id: a.scenarioId,
    scenario_hash: a.scenarioHash,
    scenario_revision: a.scenarioRevision,
    language: a.language,
    started_at: a.startedAt,
    steps: a.steps,
    outcome: a.outcome,
    passed: a.passed,
    total: a.total,
    dimensions: a.dimensions,
    duration_ms: a.durationMs,
    seed: a.seed,
    mode: a.mode,
    timed_by_server: a.timedByServer ?? false,
    claimed_started_at: a.claimedStartedAt ?? null,
    replay_print: a.replayPrint ?? null,
    choice_print: a.choicePrint ?? null,
    flags: a.flags ?? [],
    received_at: a.receivedAt ?? null,
    broken_rules: a.brokenRules ?? null,
    decisions: a.decisions ?? null,
  }));
  const keys = callerLocks ? [...new Set(attempts.map((a) => callerLockKey(a.scenarioId)))].sort((x, y) => x - y) : [];
  const stored = await db.query<{ id: string }>(INSERT_ATTEMPTS, [json(rows), `{${keys.join(',')}}`], { prepared: 'htl_insert_attempts' });
  return new Set(stored.map((r) => r.id));
}

const TOKEN_CACHE_MS = 30_000;
const TOKEN_CACHE_SIZE = 50_000;

/** Most attempts in one statement: well under PostgreSQL's 65,535 parameters. */
const MAX_BATCH = 200;

interface Pending {
  attempt: NewAttempt;
  resolve: (outcome: 'stored' | 'exists') => void;
  reject: (error: unknown) => void;
}

/** One writer: its own queue, at most one statement in flight. */
interface Lane {
  queue: Pending[];
  writing: boolean;
}

/**
 * Group commit for attempts: while one write is under way, new attempts wait and then go together
 * in the next. Each caller's promise settles after its statement has committed. If a batch fails
 * (one bad row fails the statement), its attempts are written one by one, so only the bad one fails.
 *
 * With `lanes` > 1 (PostgreSQL) that many statements can be in flight at once, one per lane, on
 * connections of their own: while one waits for its commit to reach the disk, the next executes.
 * Each caller (scenario) is given to one lane, the callers spread over the lanes in turn as they
 * first arrive: the rows two lanes' statements lock are then never the same (see `insertAttempts`),
 * and attempts of one caller are written in the order they came, as with one writer (so the insert's
 * checks for a recording sent again, which compare with attempts of the same caller, see every
 * earlier one).
 */
export class BatchWriter {
  private readonly lanes: Lane[];
  private readonly laneOf = new Map<string, Lane>();
  /**
   * For tests and the bench: statements run, attempts written, the largest group, the most
   * statements in flight at once, and groups that failed and were written one by one (a bad row,
   * or a deadlock, which the callers' locks are there to prevent).
   */
  readonly stats = { statements: 0, attempts: 0, largest: 0, inFlightMost: 0, failedGroups: 0 };
  private inFlight = 0;
  private lastAdded = -Infinity;

  constructor(
    private readonly db: Queryable,
    lanes = 1,
    /** Take the callers' advisory locks (PostgreSQL; see `insertAttempts`). */
    private readonly callerLocks = true,
  ) {
    if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`the attempt writers must be a whole number from 1, got ${lanes}`);
    this.lanes = Array.from({ length: lanes }, () => ({ queue: [], writing: false }));
  }

  get size(): number {
    return this.lanes.length;
  }

  /** Whether an attempt is waiting or being written, or one came in the last `withinMs` ms. */
  busy(withinMs: number): boolean {
    return this.inFlight > 0 || performance.now() - this.lastAdded < withinMs;
  }

  /** Whether a statement is in flight or attempts are waiting for one, right now. */
  writing(): boolean {
    return this.inFlight > 0 || this.lanes.some((lane) => lane.queue.length > 0);
  }

  add(attempt: NewAttempt): Promise<'stored' | 'exists'> {
    this.lastAdded = performance.now();
    return new Promise((resolve, reject) => {
      const lane = this.lane(attempt.scenarioId);
      lane.queue.push({ attempt, resolve, reject });
      if (!lane.writing) void this.drain(lane);
    });
  }

  private lane(scenarioId: string): Lane {
    if (this.lanes.length === 1) return this.lanes[0]!;
    let lane = this.laneOf.get(scenarioId);
    if (!lane) {
      // Callers are the catalogue's (the route checks them first), so this map stays small; past
      // that size a hash picks the lane.
      lane = this.lanes[this.laneOf.size % this.lanes.length]!;
      if (this.laneOf.size < 10_000) this.laneOf.set(scenarioId, lane);
      else lane = this.lanes[(callerLockKey(scenarioId) >>> 0) % this.lanes.length]!;
    }
    return lane;
  }

  private async drain(lane: Lane): Promise<void> {
    lane.writing = true;
    try {
      while (lane.queue.length) {
        const batch = lane.queue.splice(0, MAX_BATCH);
        // The same id twice in one statement: the first is written, the others are "exists" once it is.
        const first = new Map<string, Pending>();
        const repeats: Pending[] = [];
        for (const p of batch) {
          if (first.has(p.attempt.id)) repeats.push(p);
          else first.set(p.attempt.id, p);
        }
        const unique = [...first.values()];
        this.stats.statements++;
        this.stats.attempts += unique.length;
        this.stats.largest = Math.max(this.stats.largest, unique.length);
        const failed = new Map<string, unknown>();
        this.inFlight++;
        this.stats.inFlightMost = Math.max(this.stats.inFlightMost, this.inFlight);
        try {
          const stored = await insertAttempts(this.db, unique.map((p) => p.attempt), this.callerLocks).finally(() => this.inFlight--);
          for (const p of unique) p.resolve(stored.has(p.attempt.id) ? 'stored' : 'exists');
        } catch (error) {
          // One bad row fails the statement: write them one by one so that only the bad one fails.
          if (unique.length > 1) this.stats.failedGroups++;
          for (const p of unique) {
            try {
              const stored = unique.length === 1 ? Promise.reject(error) : insertAttempts(this.db, [p.attempt], this.callerLocks);
              p.resolve((await stored).has(p.attempt.id) ? 'stored' : 'exists');
            } catch (single) {
              failed.set(p.attempt.id, single);
              p.reject(single);
            }
          }
        }
        for (const p of repeats) {
          if (failed.has(p.attempt.id)) p.reject(failed.get(p.attempt.id));
          else p.resolve('exists');
        }
      }
    } finally {
      lane.writing = false;
    }
  }
}

/**
 * Attempt writers on PostgreSQL unless ATTEMPT_WRITERS (or the option) says otherwise; PGlite has
 * one (it runs one statement at a time). One by default: an insert statement costs about 2.6 ms of
 * CPU (server and backend) whatever its size, with its triggers, plus about 0.6 ms per attempt
 * (bench:server's attempts, PostgreSQL 15 on this 2-core machine), so when the database shares the
 * server's cores, the bigger groups of one writer do more per CPU second than several smaller ones
 * in parallel (bench:server at 50 trainees, load ~20: 4 writers made groups of 1.4 attempts and
 * stored half as many a second as one). More writers pay where the database has cores of its own
 * and a commit's wait for the disk, not CPU, is what holds the writer.
 */
export const DEFAULT_POSTGRES_WRITERS = 1;

export class Repository {
  private readonly writer: BatchWriter;

  /** `writers`: attempt insert statements in flight at once (BatchWriter's lanes); PGlite always one. */
  constructor(
    readonly db: Db,
    writers: number = DEFAULT_POSTGRES_WRITERS,
  ) {
    this.writer = new BatchWriter(db, db.kind === 'postgres' ? writers : 1, db.kind === 'postgres');
    this.tokensTrusted = db.kind === 'pglite';
  }

  /** How the attempt writer grouped its statements (the bench prints it). */
  get writerStats() {
    return this.writer.stats;
  }

  /** Whether submissions are being stored: one is being written, or one came in the last `withinMs` ms. */
  storingAttempts(withinMs = 250): boolean {
    return this.writer.busy(withinMs);
  }

  /** Whether the attempt writer has a statement in flight or attempts waiting, right now. */
  writingAttempts(): boolean {
    return this.writer.writing();
  }

  /** Attempt insert statements that can be in flight at once. */
  get writers(): number {
    return this.writer.size;
  }

  // Leads and their sessions

  /**
   * The first lead of an install is always an admin and a trainer (setup, the CLI's first add-lead),
   * whatever `roles` says, so there is never an install without an admin.
   */
  async createLead(name: string, passwordHash: string, roles: { isAdmin?: boolean; isTrainer?: boolean; temporary?: boolean } = {}): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO leads (name, password_hash, is_admin, is_trainer, password_temporary)
       SELECT $1, $2, $3 OR NOT EXISTS (SELECT 1 FROM leads), $4 OR NOT EXISTS (SELECT 1 FROM leads), $5
       RETURNING id::int AS id`,
      [name, passwordHash, roles.isAdmin ?? false, roles.isTrainer ?? false, roles.temporary ?? false],
    );
    return rows[0]!.id;
  }

  /** `temporary`: an admin chose it, so the lead must choose their own at the next login. */
  async setLeadPassword(name: string, passwordHash: string, temporary = false): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: number }>('UPDATE leads SET password_hash = $2, password_temporary = $3 WHERE name = $1 RETURNING id::int AS id', [
        name,
        passwordHash,
        temporary,
      ]);
      // A new password ends every session the old one opened.
      if (rows[0]) await tx.query('DELETE FROM lead_sessions WHERE lead_id = $1', [rows[0].id]);
      return rows.length > 0;
    });
  }

  async findLeadByName(name: string): Promise<LeadRow | null> {
    const rows = await this.db.query<LeadDbRow & { password_hash: string }>(`SELECT ${LEAD_COLUMNS}, password_hash FROM leads WHERE name = $1`, [name]);
    const row = rows[0];
    return row ? { ...toLead(row), passwordHash: row.password_hash } : null;
  }

  async listLeads(): Promise<(LeadSession & { createdAt: string; cohorts: number })[]> {
    const rows = await this.db.query<LeadDbRow & { created_at: Date; cohorts: number }>(
      `SELECT l.id::int AS id, l.name, l.is_admin, l.is_trainer, l.password_temporary, l.created_at, count(c.id)::int AS cohorts
       FROM leads l LEFT JOIN cohorts c ON c.lead_id = l.id GROUP BY l.id ORDER BY l.name`,
    );
    return rows.map((r) => ({ ...toLead(r), createdAt: iso(r.created_at), cohorts: r.cohorts }));
  }

  async countLeads(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM leads');
    return rows[0]?.n ?? 0;
  }

  async removeLead(name: string): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>('DELETE FROM leads WHERE name = $1 RETURNING id::int AS id', [name]);
    return rows.length > 0;
  }

  async createSession(tokenHash: string, leadId: number, expiresAt: Date): Promise<void> {
    await this.db.query('INSERT INTO lead_sessions (token_hash, lead_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, leadId, expiresAt.toISOString()]);
  }

  async findSessionLead(tokenHash: string): Promise<LeadSession | null> {
    const rows = await this.db.query<LeadDbRow>(
      `SELECT l.id::int AS id, l.name, l.is_admin, l.is_trainer, l.password_temporary FROM lead_sessions s JOIN leads l ON l.id = s.lead_id
       WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ? toLead(rows[0]) : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM lead_sessions WHERE token_hash = $1 OR expires_at <= now()', [tokenHash]);
  }

  // Cohorts and join codes

  async createCohort(leadId: number, name: string, code: string): Promise<number | 'name-taken'> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: number }>(
        'INSERT INTO cohorts (lead_id, name) VALUES ($1, $2) ON CONFLICT (lead_id, name) DO NOTHING RETURNING id::int AS id',
        [leadId, name],
      );
      const id = rows[0]?.id;
      if (id === undefined) return 'name-taken' as const;
      await tx.query('INSERT INTO join_codes (code, cohort_id) VALUES ($1, $2)', [code, id]);
      return id;
    });
  }

  async listCohorts(leadId: number): Promise<CohortSummary[]> {
    const cohorts = await this.db.query<{ id: number; name: string; created_at: Date; trainees: number; attempts: number }>(
      `SELECT c.id::int AS id, c.name, c.created_at,
         (SELECT count(*)::int FROM trainees t WHERE t.cohort_id = c.id) AS trainees,
         (SELECT coalesce(sum(s.attempts), 0)::int FROM attempt_summaries s WHERE s.cohort_id = c.id) AS attempts
       FROM cohorts c WHERE c.lead_id = $1 ORDER BY c.created_at, c.id`,
      [leadId],
    );
    const codes = await this.db.query<{ cohort_id: number; code: string; created_at: Date; expires_at: Date }>(
      `SELECT j.cohort_id::int AS cohort_id, j.code, j.created_at, j.expires_at FROM join_codes j JOIN cohorts c ON c.id = j.cohort_id
       WHERE c.lead_id = $1 AND j.revoked_at IS NULL AND j.expires_at > now() ORDER BY j.created_at`,
      [leadId],
    );
    return cohorts.map((c) => ({
      id: c.id,
      name: c.name,
      createdAt: iso(c.created_at),
      trainees: c.trainees,
      attempts: c.attempts,
      codes: codes.filter((j) => j.cohort_id === c.id).map((j) => ({ code: j.code, createdAt: iso(j.created_at), expiresAt: iso(j.expires_at) })),
    }));
  }

  async ownsCohort(leadId: number, cohortId: number): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM cohorts WHERE id = $1 AND lead_id = $2', [cohortId, leadId]);
    return rows.length > 0;
  }

  async cohortName(leadId: number, cohortId: number): Promise<string | null> {
    const rows = await this.db.query<{ name: string }>('SELECT name FROM cohorts WHERE id = $1 AND lead_id = $2', [cohortId, leadId]);
    return rows[0]?.name ?? null;
  }

  async addJoinCode(leadId: number, cohortId: number, code: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO join_codes (code, cohort_id) SELECT $1, c.id FROM cohorts c WHERE c.id = $2 AND c.lead_id = $3 RETURNING code`,
      [code, cohortId, leadId],
    );
    return rows.length > 0;
  }

  async revokeJoinCode(leadId: number, cohortId: number, code: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE join_codes j SET revoked_at = now() FROM cohorts c
       WHERE j.code = $1 AND j.cohort_id = $2 AND c.id = j.cohort_id AND c.lead_id = $3 AND j.revoked_at IS NULL RETURNING j.code`,
      [code, cohortId, leadId],
    );
    return rows.length > 0;
  }

  // Trainees

  /**
   * A trainee joins with an open, unexpired code. `nameKey` is the name's skeleton: a name that looks
   * like someone's already in the cohort is refused with that person's name.
   */
  async joinCohort(code: string, name: string, tokenHash: string, nameKey: string = name): Promise<TraineeRow | 'bad-code' | { taken: string }> {
    return this.db.transaction(async (tx) => {
      const cohorts = await tx.query<{ id: number; name: string }>(
        `SELECT c.id::int AS id, c.name FROM join_codes j JOIN cohorts c ON c.id = j.cohort_id
         WHERE j.code = $1 AND j.revoked_at IS NULL AND j.expires_at > now()`,
        [code],
      );
      const cohort = cohorts[0];
      if (!cohort) return 'bad-code' as const;
      const rows = await tx.query<{ id: number }>(
        'INSERT INTO trainees (cohort_id, name, token_hash, name_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id::int AS id',
        [cohort.id, name, tokenHash, nameKey],
      );
      const id = rows[0]?.id;
      if (id === undefined) {
        const other = await tx.query<{ name: string }>('SELECT name FROM trainees WHERE cohort_id = $1 AND (name = $2 OR name_key = $3) LIMIT 1', [cohort.id, name, nameKey]);
        return { taken: other[0]?.name ?? name };
      }
      return { id, name, cohortId: cohort.id, cohortName: cohort.name };
    });
  }

  /** Trainees from before migration 002 get their name's skeleton; a legacy look-alike keeps its own. */
  async fillNameKeys(skeleton: (name: string) => string): Promise<number> {
    const rows = await this.db.query<{ id: number; cohort_id: number; name: string }>('SELECT id::int AS id, cohort_id::int AS cohort_id, name FROM trainees WHERE name_key IS NULL ORDER BY id');
    for (const row of rows) {
      const key = skeleton(row.name);
      const done = await this.db.query(
        `UPDATE trainees SET name_key = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM trainees o WHERE o.cohort_id = $3 AND o.name_key = $2) RETURNING id`,
        [row.id, key, row.cohort_id],
      );
      if (done.length === 0) await this.db.query('UPDATE trainees SET name_key = $2 WHERE id = $1', [row.id, `${key}#${row.id}`]);
    }
    return rows.length;
  }

  /** A start the server gave (POST /api/attempts/start); the attempt that follows carries its id. */
  async recordAttemptStart(
    start: { id: string; traineeId: number; scenarioId: string; seed: string; mode: string; startedAt: string; assignmentId?: number | null },
    tx: Queryable = this.db,
  ): Promise<void> {
    await tx.query('INSERT INTO attempt_starts (id, trainee_id, scenario_id, seed, mode, started_at, assignment_id) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      start.id,
      start.traineeId,
      start.scenarioId,
      start.seed,
      start.mode,
      start.startedAt,
      start.assignmentId ?? null,
    ]);
  }

  /** A secret every app server on this database shares, made by whichever asks first. */
  async serverSecret(name: string, fresh: () => string): Promise<string> {
    await this.db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, fresh()]);
    const rows = await this.db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
    return rows[0]!.value;
  }

  /** A write the health check makes: fails when the database cannot write. */
  async healthWrite(): Promise<void> {
    await this.db.query('INSERT INTO health_checks (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = now()');
  }

  /**
   * The trainee a token belongs to. A token found is remembered for TOKEN_CACHE_MS, so that a
   * submission's only database round trip is its insert. A trainee removed, merged or renamed is
   * forgotten at once: by this server's own administration, and on PostgreSQL by every server on
   * the database through the notification migration 013's triggers send (watchTokens). While a
   * PostgreSQL server does not hear them (the listening connection lost), it remembers nothing.
   */
  async findTraineeByToken(tokenHash: string): Promise<TraineeRow | null> {
    const cached = this.tokensTrusted ? this.tokens.get(tokenHash) : undefined;
    if (cached && cached.until > Date.now()) return cached.row;
    const epoch = this.tokenEpoch;
    const row = await this.lookUpToken(tokenHash);
    // Not remembered when a trainee was forgotten while it was read: the row may be from before.
    if (row && this.tokensTrusted && epoch === this.tokenEpoch) {
      if (this.tokens.size >= TOKEN_CACHE_SIZE) this.tokens.clear();
      this.tokens.set(tokenHash, { row, until: Date.now() + TOKEN_CACHE_MS });
    } else this.tokens.delete(tokenHash);
    return row;
  }

  private readonly tokens = new Map<string, { row: TraineeRow; until: number }>();
  /** Counts the forgetting, so that a lookup that overlapped one is not remembered. */
  private tokenEpoch = 0;
  /** PGlite: one server, which forgets by itself. PostgreSQL: only while watchTokens hears the others. */
  private tokensTrusted: boolean;
  private stopWatching: (() => Promise<void>) | null = null;

  /** A trainee renamed, merged into another or removed (administration): their cached tokens go. */
  forgetTrainee(traineeId: number): void {
    this.tokenEpoch++;
    for (const [hash, entry] of this.tokens) if (entry.row.id === traineeId) this.tokens.delete(hash);
  }

  private forgetAllTokens(): void {
    this.tokenEpoch++;
    this.tokens.clear();
  }

  /**
   * PostgreSQL: listens for the trainees that other servers on the database (and this one) remove,
   * merge or rename (migration 013) and forgets their tokens as the notification arrives, so a
   * removal is effective on every server at once rather than after TOKEN_CACHE_MS. Until it
   * listens, and whenever it stops, tokens are read from the database every time.
   */
  async watchTokens(): Promise<void> {
    if (!this.db.listen || this.stopWatching) return;
    this.stopWatching = await this.db.listen('htl_trainee_tokens', {
      message: (payload) => (/^\d+$/.test(payload) ? this.forgetTrainee(Number(payload)) : this.forgetAllTokens()),
      ready: () => {
        this.forgetAllTokens();
        this.tokensTrusted = true;
      },
      lost: () => {
        this.tokensTrusted = false;
        this.forgetAllTokens();
      },
    });
  }

  async stopWatchingTokens(): Promise<void> {
    const stop = this.stopWatching;
    this.stopWatching = null;
    this.tokensTrusted = this.db.kind === 'pglite';
    await stop?.();
  }

  /** The trainee's own token, or one of a record merged into theirs (migration 007). */
  private async lookUpToken(tokenHash: string): Promise<TraineeRow | null> {
    const rows = await this.db.query<{ id: number; name: string; cohort_id: number; cohort_name: string }>(
      `SELECT t.id::int AS id, t.name, t.cohort_id::int AS cohort_id, c.name AS cohort_name
       FROM trainees t JOIN cohorts c ON c.id = t.cohort_id
       WHERE t.id = coalesce((SELECT id FROM trainees WHERE token_hash = $1), (SELECT trainee_id FROM trainee_token_aliases WHERE token_hash = $1))`,
      [tokenHash],
    );
    const row = rows[0];
    return row ? { id: row.id, name: row.name, cohortId: row.cohort_id, cohortName: row.cohort_name } : null;
  }

  async traineeForLead(leadId: number, traineeId: number): Promise<TraineeRow | null> {
    const rows = await this.db.query<{ id: number; name: string; cohort_id: number; cohort_name: string }>(
      `SELECT t.id::int AS id, t.name, t.cohort_id::int AS cohort_id, c.name AS cohort_name
       FROM trainees t JOIN cohorts c ON c.id = t.cohort_id WHERE t.id = $1 AND c.lead_id = $2`,
      [traineeId, leadId],
    );
    const row = rows[0];
    return row ? { id: row.id, name: row.name, cohortId: row.cohort_id, cohortName: row.cohort_name } : null;
  }

  // Scenario versions

  async saveScenarioVersion(hash: string, scenarioId: string, revision: number, title: unknown, body: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO scenario_versions (hash, scenario_id, revision, title, body) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
       ON CONFLICT (hash) DO NOTHING`,
      [hash, scenarioId, revision, json(title), json(body)],
    );
  }

  async getScenarioVersion(hash: string): Promise<ScenarioVersionRow | null> {
    const rows = await this.db.query<{ hash: string; scenario_id: string; revision: number; body: unknown }>(
      'SELECT hash, scenario_id, revision, body FROM scenario_versions WHERE hash = $1',
      [hash],
    );
    const row = rows[0];
    return row ? { hash: row.hash, scenarioId: row.scenario_id, revision: row.revision, body: parsed(row.body) } : null;
  }

  async scenarioTitles(): Promise<Map<string, unknown>> {
    const rows = await this.db.query<{ scenario_id: string; title: unknown }>(
      'SELECT DISTINCT ON (scenario_id) scenario_id, title FROM scenario_versions ORDER BY scenario_id, revision DESC, first_seen DESC',
    );
    return new Map(rows.map((r) => [r.scenario_id, parsed(r.title)]));
  }

  // Attempts

  /**
   * Stores the attempt unless its id is already there; says which happened, once it is committed.
   * Attempts that arrive while a write is under way go in the next one, together: one multi-row
   * statement, one commit (group commit), so the database's per-statement and per-commit cost is
   * shared when many trainees send at once, and a lone attempt is written at once.
   */
  insertAttempt(a: NewAttempt, tx?: Queryable): Promise<'stored' | 'exists'> {
    if (tx) return insertAttempts(tx, [a], this.db.kind === 'postgres').then((stored) => (stored.has(a.id) ? 'stored' : 'exists'));
    return this.writer.add(a);
  }

  async getAttempt(id: string): Promise<StoredAttempt | null> {
    const rows = await this.db.query<AttemptDbRow>(`SELECT ${ATTEMPT_COLUMNS} FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE a.id = $1`, [id]);
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async getAttemptForLead(leadId: number, id: string): Promise<StoredAttempt | null> {
    const rows = await this.db.query<AttemptDbRow>(
      `SELECT ${ATTEMPT_COLUMNS} FROM attempts a JOIN trainees t ON t.id = a.trainee_id JOIN cohorts c ON c.id = a.cohort_id
       WHERE a.id = $1 AND c.lead_id = $2`,
      [id, leadId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  async getAttemptForTrainee(traineeId: number, id: string): Promise<StoredAttempt | null> {
    const rows = await this.db.query<AttemptDbRow>(
      `SELECT ${ATTEMPT_COLUMNS} FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE a.id = $1 AND a.trainee_id = $2`,
      [id, traineeId],
    );
    return rows[0] ? toAttempt(rows[0]) : null;
  }

  /**
   * A trainee's attempts, oldest first, one page at a time: keyset paging on (started_at, id), so a
   * page deep in a long history costs what the first one does. Yields rows as the database gives
   * them in chunks; never holds the whole list.
   */
  traineeAttempts(traineeId: number, filter: AttemptFilter, page: PageRequest = {}): AsyncGenerator<ListedAttempt, PageEnd> {
    return this.pages(
      LISTED_COLUMNS,
      toListed,
      `FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE a.trainee_id = $1 AND ${filterSql(2)}`,
      [traineeId, ...filterParams(filter)],
      page,
    );
  }

  /** A cohort's attempts for a lead who owns it, oldest first; paged and chunked as above. */
  cohortAttempts(leadId: number, cohortId: number, filter: AttemptFilter, page: PageRequest = {}): AsyncGenerator<ListedAttempt, PageEnd> {
    return this.pages(LISTED_COLUMNS, toListed, COHORT_ATTEMPTS, [cohortId, leadId, ...filterParams(filter)], page);
  }

  /** The same rows as cohortAttempts, only what their xAPI statements need (the export). */
  cohortStatements(leadId: number, cohortId: number, filter: AttemptFilter, page: PageRequest = {}): AsyncGenerator<ExportedAttempt, PageEnd> {
    return this.pages(EXPORTED_COLUMNS, toExported, COHORT_ATTEMPTS, [cohortId, leadId, ...filterParams(filter)], page);
  }

  /** Whole lists, for callers that want an array (tests, small histories). */
  async listTraineeAttempts(traineeId: number, filter: AttemptFilter, page: PageRequest = {}): Promise<ListedAttempt[]> {
    return collect(this.traineeAttempts(traineeId, filter, page));
  }

  async listCohortAttempts(leadId: number, cohortId: number, filter: AttemptFilter, page: PageRequest = {}): Promise<ListedAttempt[]> {
    return collect(this.cohortAttempts(leadId, cohortId, filter, page));
  }

  private async *pages<Row extends { id: string }, T>(columns: string, map: (row: Row) => T, from: string, params: SqlValue[], page: PageRequest): AsyncGenerator<T, PageEnd> {
    const limit = page.limit ?? null;
    const chunkSize = page.chunk ?? LIST_CHUNK;
    let after = page.after ? parseCursor(page.after) : null;
    let sent = 0;
    const n = params.length;
    for (;;) {
      // One more row than the page needs tells whether there is a next page.
      const want = limit === null ? chunkSize : Math.min(chunkSize, limit - sent + 1);
      const rows = await this.db.query<Row & { key_us: string }>(
        `SELECT ${columns}, (extract(epoch FROM a.started_at) * 1000000)::bigint::text AS key_us ${from}
         AND ($${n + 1}::bigint IS NULL OR (a.started_at, a.id) > ('epoch'::timestamptz + $${n + 1}::bigint * interval '1 microsecond', $${n + 2}::uuid))
         ORDER BY a.started_at, a.id LIMIT $${n + 3}`,
        [...params, after?.micros ?? null, after?.id ?? null, want],
      );
      for (const row of rows) {
        if (limit !== null && sent === limit) return { next: after ? cursorOf(after) : null };
        yield map(row);
        sent++;
        after = { micros: row.key_us, id: row.id };
      }
      if (rows.length < want) return { next: null };
    }
  }
  async countAttempts(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts');
    return rows[0]?.n ?? 0;
  }

  /**
   * The dashboard's report for one cohort the lead owns; null when the lead does not own it. Without a
   * date range it reads the per-trainee-per-caller summaries the insert trigger keeps (migrations):
   * about trainees × callers rows, whatever the history's length. A date range reads the day
   * summaries of the whole UTC days it holds (migration 015) and the attempts of its partial days at
   * either end, through the (cohort_id, started_at, id) index; `summaries: false` reads every
   * attempt of the range instead (the tests compare the two).
   */
  async report(leadId: number, cohortId: number, filter: AttemptFilter, options: { summaries?: boolean } = {}): Promise<Report | null> {
    const dated = filter.from !== undefined || filter.to !== undefined;
    // One round trip: ownership, the trainees and the cells in one statement; the heat map from the cells.
    // A date range: the day summaries of its whole UTC days and the attempts of its partial days (repository/days.ts).
    const cellsSql = dated
      ? `SELECT trainee_id, scenario_id, sum(attempts)::int AS attempts, max(best)::float8 AS best,
           (array_agg(last ORDER BY at DESC, id DESC))[1]::float8 AS last,
           (array_agg(dims ORDER BY at DESC, id DESC))[1] AS last_dimensions,
           bool_or(passed) AS passed, max(at) AS last_at
         FROM (SELECT s.trainee_id, s.scenario_id, s.attempts, s.best, s.last_total AS last, s.last_dimensions AS dims, s.passed > 0 AS passed, s.last_started_at AS at, s.last_id AS id
             FROM summary_days s, owner WHERE s.cohort_id = owner.id AND ($3::text IS NULL OR s.scenario_id = $3::text) AND ${daysIn(4)}
           UNION ALL
           SELECT a.trainee_id, a.scenario_id, 1, a.total, a.total, a.dimensions, a.passed, a.started_at, a.id
             FROM ${edgeAttempts('a.cohort_id = $1 AND ($3::text IS NULL OR a.scenario_id = $3::text)', 4)} a) x
         GROUP BY trainee_id, scenario_id`
      : `SELECT s.trainee_id, s.scenario_id, s.attempts, s.best, s.last_total AS last, s.last_dimensions, s.passed, s.last_started_at AS last_at
         FROM attempt_summaries s, owner
         WHERE s.cohort_id = owner.id AND ($3::text IS NULL OR s.scenario_id = $3::text)`;
    const rows = await this.db.query<{ report: ReportJson | string | null }>(
      `WITH owner AS (SELECT id, name FROM cohorts WHERE id = $1 AND lead_id = $2),
       cells AS (${cellsSql})
       SELECT CASE WHEN EXISTS (SELECT 1 FROM owner) THEN json_build_object(
         'cohortName', (SELECT name FROM owner),
         'trainees', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'joinedAt', t.created_at) ORDER BY t.name, t.id), '[]')
                      FROM trainees t, owner WHERE t.cohort_id = owner.id),
         'cells', (SELECT coalesce(json_agg(json_build_object('traineeId', c.trainee_id, 'scenarioId', c.scenario_id, 'attempts', c.attempts,
                      'best', c.best, 'last', c.last, 'passed', c.passed, 'lastAt', c.last_at, 'lastDimensions', c.last_dimensions) ORDER BY c.trainee_id, c.scenario_id), '[]') FROM cells c)
       ) END AS report`,
      [cohortId, leadId, filter.scenarioId ?? null, ...(dated ? splitParams(splitRange(filter.from ?? null, filter.to ?? null, options.summaries !== false)) : [])],
    );
    const report = parsed<ReportJson | null>(rows[0]?.report ?? null);
    if (!report) return null;
    const cells = report.cells.map(({ lastDimensions, ...c }) => ({ ...c, traineeId: Number(c.traineeId), lastAt: iso(c.lastAt), lastDimensions: parsed<Record<string, number>>(lastDimensions) }));
    return {
      cohortName: report.cohortName,
      trainees: report.trainees.map((t) => ({ id: Number(t.id), name: t.name, joinedAt: iso(t.joinedAt) })),
      cells: cells.map(({ lastDimensions: _, ...c }) => c),
      heat: heatOf(cells),
    };
  }
}
