/**
 * Cohort analytics: what each attempt contributes (the rules it broke, its decisions with their
 * reply times) and how the aggregates (migration 011; folded in the background since 017) become figures — percentiles
 * from the time histograms, rules in their own words, the decision shares on a caller's graph.
 */
import type { AttemptStep, CallResult, Localised, Scenario } from '../engine/index';
import { analysisOf, defaultRulebook, playSteps } from '../engine/index';
import type { AnalyticsRepository } from './repository/analytics';
import { layoutGraph } from '../preview/graph-layout';

/** One decision of an attempt: the node, the option chosen (by id: the order shown differs per attempt), the reply time the device recorded. */
export interface DecisionFact {
  node: string;
  choice: string;
  ms?: number;
}

/** What an attempt adds to the analytics, from the server's own replay. */
export function attemptFacts(result: CallResult, steps: readonly AttemptStep[]): { brokenRules: string[]; decisions: DecisionFact[] } {
  const chooses = steps.filter((s) => s.type === 'choose');
  const decisions = result.choices.map((review, k): DecisionFact => {
    const step = chooses[k];
    const ms = step?.type === 'choose' ? step.ms : undefined;
    return ms === undefined ? { node: review.nodeId, choice: review.choiceId } : { node: review.nodeId, choice: review.choiceId, ms };
  });
  return { brokenRules: [...new Set(result.broken)], decisions };
}

/** A histogram's bucket: its name in ms (the geometric middle of its range) and how many values fell in it. */
export interface Bucket {
  ms: number;
  n: number;
}

export interface TimeFigures {
  /** Values counted. */
  n: number;
  median: number;
  p90: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least p of the values at or below it)
 * over a histogram sorted by bucket, as its bucket's name: the buckets are fixed on a log scale,
 * eight to a doubling, named by their geometric middle (migration 013's analytics_bucket), so the
 * figure is within 4.4% of the true percentile.
 */
export function percentile(buckets: readonly Bucket[], p: number): number | null {
  const total = buckets.reduce((sum, b) => sum + b.n, 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of buckets) {
    seen += b.n;
    if (seen >= rank) return b.ms;
  }
  return buckets[buckets.length - 1]!.ms;
}

export function timeFigures(buckets: readonly Bucket[]): TimeFigures | null {
  const sorted = buckets.filter((b) => b.n > 0).sort((a, b) => a.ms - b.ms);
  const n = sorted.reduce((sum, b) => sum + b.n, 0);
  if (n === 0) return null;
  return { n, median: percentile(sorted, 0.5)!, p90: percentile(sorted, 0.9)! };
}

/** Every rule's words and whether it is critical, from scenarios/rulebook/rules.json. */
export function ruleWords(): Map<string, { text: Localised; critical: boolean }> {
  return new Map(defaultRulebook().rules.map((r) => [r.id, { text: r.text, critical: r.critical === true }]));
}

export interface GraphNode {
  id: string;
  kind: 'caller' | 'decision' | 'ending';
  x: number;
  y: number;
  /** Decisions are numbered in the order of the layout (top to bottom, left to right), from 1. */
  number: number | null;
  /** What the caller says at the node (its first line); the ending's title. */
  text: Localised | null;
  outcome: string | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  choiceId: string | null;
  silence: boolean;
}

export interface CallerGraph {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The caller's graph as the trainer's preview lays it out, with decisions numbered and texts for labels. */
export function callerGraph(scenario: Scenario): CallerGraph {
  const layout = layoutGraph(scenario);
  const byId = new Map(scenario.nodes.map((n) => [n.id, n]));
  /** A decision without lines of its own is asked by the caller's last line before it. */
  const leadIn = (id: string) => {
    const from = layout.edges.map((e) => byId.get(e.from)).find((n) => n?.kind === 'caller' && (n.next === id || n.branches?.some((b) => b.next === id)));
    return from?.kind === 'caller' ? (from.lines.at(-1)?.text ?? null) : null;
  };
  let number = 0;
  const nodes = [...layout.nodes]
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((laid): GraphNode => {
      const node = byId.get(laid.id)!;
      const text = node.kind === 'ending' ? node.title : (node.lines?.[0]?.text ?? (node.kind === 'decision' ? leadIn(node.id) : null));
      return {
        id: laid.id,
        kind: laid.kind,
        x: laid.x,
        y: laid.y,
        number: node.kind === 'decision' ? ++number : null,
        text: text ?? null,
        outcome: node.kind === 'ending' ? node.outcome : null,
      };
    });
  return { width: layout.width, height: layout.height, nodes, edges: layout.edges };
}

export interface OptionRow {
  choiceId: string;
  text: Localised;
  kind: string;
  next: string;
  /** Times chosen, over all attempts. */
  chosen: number;
  /** chosen ÷ the times the decision was answered by a choice. */
  share: number;
  /** Trainees who chose it at least once. */
  trainees: number;
  /** chosen by the model call (the caller's best play). */
  model: boolean;
  /** Rules it breaks, by id (their words are in the answer's `rules`). */
  breaks: string[];
}

export interface DecisionRow {
  nodeId: string;
  number: number;
  text: Localised | null;
  /** Times the decision was answered by a choice. */
  answered: number;
  /** Trainees who answered it at least once. */
  trainees: number;
  time: TimeFigures | null;
  options: OptionRow[];
}

/**
 * The decisions of a caller with each option's count and share, in the order of the graph's
 * numbers; options in the file's order. Options chosen in an older version of the caller and no
 * longer in it are listed after the others, by id.
 */
export function decisionRows(
  scenario: Scenario,
  graph: CallerGraph,
  counts: readonly { nodeId: string; choiceId: string; chosen: number; trainees: number }[],
  traineesAt: ReadonlyMap<string, number>,
  times: ReadonlyMap<string, Bucket[]>,
): DecisionRow[] {
  const model = new Set(analysisOf(scenario).bestPath?.choices ?? []);
  const byNode = new Map<string, Map<string, { chosen: number; trainees: number }>>();
  for (const c of counts) {
    if (c.chosen <= 0) continue;
    const m = byNode.get(c.nodeId) ?? new Map<string, { chosen: number; trainees: number }>();
    m.set(c.choiceId, { chosen: c.chosen, trainees: c.trainees });
    byNode.set(c.nodeId, m);
  }
  const rows: DecisionRow[] = [];
  for (const laid of graph.nodes) {
    const node = scenario.nodes.find((n) => n.id === laid.id);
    if (!node || node.kind !== 'decision') continue;
    const got = byNode.get(node.id) ?? new Map<string, { chosen: number; trainees: number }>();
    const answered = [...got.values()].reduce((sum, c) => sum + c.chosen, 0);
    const options: OptionRow[] = node.choices.map((c) => {
      const n = got.get(c.id);
      return {
        choiceId: c.id,
        text: c.text,
        kind: c.kind ?? 'say',
        next: c.next,
        chosen: n?.chosen ?? 0,
        share: answered ? (n?.chosen ?? 0) / answered : 0,
        trainees: n?.trainees ?? 0,
        model: model.has(c.id),
        breaks: [...(c.rules?.broken ?? [])],
      };
    });
    const known = new Set(node.choices.map((c) => c.id));
    for (const [choiceId, n] of got) {
      if (!known.has(choiceId)) options.push({ choiceId, text: { en: choiceId, 'zh-CN': choiceId }, kind: 'retired', next: '', chosen: n.chosen, share: answered ? n.chosen / answered : 0, trainees: n.trainees, model: false, breaks: [] });
    }
    rows.push({ nodeId: node.id, number: laid.number ?? 0, text: laid.text, answered, trainees: traineesAt.get(node.id) ?? 0, time: timeFigures(times.get(node.id) ?? []), options });
  }
  return rows;
}

/**
 * Attempts stored before migration 011 have no rules or decisions recorded: replay them (in pages of
 * `chunk`, yielding to the event loop between pages so requests are served meanwhile) and record
 * them; the update trigger counts them in. An attempt whose caller version is gone stays out. It
 * stops between pages when `stopped()` says so (the server is closing); the next start goes on.
 * Returns how many were filled in.
 */
export async function fillAnalyticsFacts(
  store: { attemptsWithoutFacts: AnalyticsRepository['attemptsWithoutFacts']; saveFacts: AnalyticsRepository['saveFacts'] },
  scenarioOf: (hash: string) => Promise<Scenario | null>,
  options: { chunk?: number; stopped?: () => boolean } = {},
): Promise<number> {
  const chunk = options.chunk ?? 200;
  let after: string | null = null;
  let filled = 0;
  for (;;) {
    if (options.stopped?.()) return filled;
    const rows = await store.attemptsWithoutFacts(after, chunk);
    if (rows.length === 0) return filled;
    const facts: { id: string; brokenRules: string[]; decisions: DecisionFact[] }[] = [];
    for (const row of rows) {
      const scenario = await scenarioOf(row.scenarioHash);
      if (!scenario) continue;
      const { result } = playSteps(scenario, row.steps as AttemptStep[], row.seed ? { seed: row.seed } : {});
      if (result) facts.push({ id: row.id, ...attemptFacts(result, row.steps as AttemptStep[]) });
    }
    await store.saveFacts(facts);
    filled += facts.length;
    after = rows[rows.length - 1]!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface FoldOptions {
  /** How often the server folds what is queued (ms); 0: never by itself (tests fold with `foldNow`). */
  everyMs?: number;
  /**
   * Most attempts in one fold (one transaction); a fold that takes this many is followed by another
   * at once, unless `busy` says submissions are being stored.
   */
  chunk?: number;
  /**
   * Whether submissions are being stored right now. While they are, a turn folds one chunk and
   * leaves the rest to the next turn: on PGlite a fold holds the one thread the submissions' inserts
   * run on, and folding a backlog back to back took that thread from them (bench:server, PGlite,
   * 50 trainees: p99 91–97 ms against 65–78 ms before the fold existed). Reads stay exact whatever
   * is queued; the queue is folded in full once the submissions pause.
   */
  busy?: () => boolean;
  /**
   * Whether a fold now would make submissions wait: on PGlite, whose one thread runs the fold and
   * the inserts, while the attempt writer has a statement in flight or attempts queued. While
   * submissions are being stored, a turn folds only if this says no, else it leaves the queue to
   * a later turn. A fold of 50 held that thread 22–39 ms, and every submission waiting for it waited as
   * long: at one fold a second, two thirds of bench:server's steady submissions over 50 ms were
   * those behind a fold (README, Performance › Results service). Trainees at work leave the writer
   * idle nearly all the time, and the fold takes those moments; a writer that is never idle is a
   * server at capacity, where the fold waits for the submissions to pause.
   */
  holdsWriter?: () => boolean;
}

/**
 * Folds the attempts queued by the insert into the cohort analytics' aggregates (migration 017),
 * every `everyMs`, `chunk` at a time. The reads add what is still queued, so the fold's pace changes
 * what a read costs, never what it says. A fold is one transaction: a crash or an error leaves the
 * queue as it was, to be folded at the next turn. Several servers on one PostgreSQL each run one;
 * the database lets one fold at a time through and the others find nothing to do or the lock taken.
 */
export class AnalyticsFolder {
  readonly stats = { folds: 0, attempts: 0, busy: 0, deferred: 0, failures: 0, mostMs: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  private readonly everyMs: number;
  private readonly chunk: number;
  private readonly busy: () => boolean;
  private readonly holdsWriter: () => boolean;

  constructor(
    private readonly store: Pick<AnalyticsRepository, 'fold'>,
    options: FoldOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 1000;
    this.chunk = options.chunk ?? 1000;
    this.busy = options.busy ?? (() => false);
    this.holdsWriter = options.holdsWriter ?? (() => false);
  }

  start(): void {
    if (this.everyMs <= 0 || this.stopped) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.foldNow()
          .catch((error: unknown) => {
            this.stats.failures++;
            if (!this.stopped) console.error(`folding the analytics failed (it tries again): ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.everyMs);
      this.timer.unref();
    };
    tick();
  }

  /**
   * Folds until fewer than a chunk are left (or another fold holds the lock, or submissions are
   * being stored: then one chunk, and none while `holdsWriter` says a fold would make them wait);
   * how many it folded.
   */
  foldNow(): Promise<number> {
    if (this.running) return this.running;
    if (this.busy() && this.holdsWriter()) {
      this.stats.deferred++;
      return Promise.resolve(0);
    }
    this.running = (async () => {
      let total = 0;
      try {
        for (;;) {
          const started = performance.now();
          const folded = await this.store.fold(this.chunk);
          this.stats.mostMs = Math.max(this.stats.mostMs, performance.now() - started);
          if (folded < 0) {
            this.stats.busy++;
            return total;
          }
          this.stats.folds++;
          this.stats.attempts += folded;
          total += folded;
          if (folded < this.chunk || this.stopped || this.busy()) return total;
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for a fold under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
