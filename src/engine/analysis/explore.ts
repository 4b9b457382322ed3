/**
 * Analyses a scenario by walking every state a call can be in (node, mood, tested flags), with the
 * same step functions the machine uses. Gives reachability, traps, loops that gain points, the
 * maximum per dimension and the model call: the numbers scoring compares against, never written by
 * hand in a file.
 *
 * Best values are longest paths in the state graph (./longest). A loop whose points add up to more
 * than zero would make them endless, so such a loop is reported (`gainfulLoops`) rather than walked;
 * every other loop gains nothing and is never worth taking.
 */
import { baseMood, OUTCOMES, startMoods, type Scenario } from '../format/schema';
import { answer, initialState, silenceEffect } from '../call/logic';
import { criticalRules } from '../format/rulebook';
import { defaultRulebook } from '../rulebook-data';
import { EPSILON, NO_POINTS, NONE, solve } from './longest';
import { buildStateGraph, nodeOf, stateGrowth, STATE_DECISION, STATE_ENDING, type StateGraph as CallStates, type StateGrowth } from './state-graph';

/** Call states the analysis explores before it gives up (HTL041). */
export const DEFAULT_STATE_LIMIT = 5_000_000;

export interface BestPath {
  /** Choice ids from pick-up to the ending (answering on the first ring). */
  choices: string[];
  endingId: string;
  outcome: string;
  scores: Record<string, number>;
}

/** A loop of the call in which a play gains points each time round (a checker error). */
export interface GainfulLoop {
  /** The dimension that grows without end. */
  dimension: string;
  /** Choice ids round the loop, in order; null stands for a silence. */
  choices: (string | null)[];
  /** Points gained in that dimension each time round. */
  gain: number;
}

export interface Analysis {
  /** Highest raw score any complete play can reach, per dimension used by the scenario (0 at least). */
  maxScores: Record<string, number>;
  /** The weight of each dimension in the total: the scenario's, else 1 (dimensions the call scores). */
  weights: Record<string, number>;
  /** The model call from the lowest starting anger (see `models`). */
  bestPath: BestPath | null;
  /**
   * The model call for each starting anger: the play of choices alone, answered on time, with the
   * most weighted points among plays that end resolved or escalated and break no critical rule.
   * Null where no such play exists.
   */
  models: Record<number, BestPath | null>;
  /**
   * For each decision that can lead to a pass, the choices that keep the model call's value from
   * where the call first reaches it (the options a model trainee would pick there).
   */
  bestChoices: Map<string, string[]>;
  /** Loops that gain points each time round; maxima and the model call are not valid while any exists. */
  gainfulLoops: GainfulLoop[];
  reachableNodes: Set<string>;
  /** Choice ids offered in at least one reachable state; branch keys `node#i` taken at least once. */
  offeredChoiceIds: Set<string>;
  takenBranches: Set<string>;
  /** Decision nodes where some reachable state offers no choice at all. */
  emptyDecisions: Set<string>;
  /** Nodes where a reachable state cannot reach any ending by the agent's choices. */
  trappedNodes: Set<string>;
  /** Nodes the call reached that do not exist, or caller nodes with nowhere to go. */
  brokenNodes: Set<string>;
  reachableEndings: Set<string>;
  stateCount: number;
  complete: boolean;
  /** When the analysis gave up: what multiplies the states (for the trainer's message). */
  growth?: StateGrowth;
}

export interface AnalysisOptions {
  stateLimit?: number;
  /** Rule ids whose breach fails a call; the shipped rulebook's critical rules by default. */
  criticalRules?: ReadonlySet<string>;
}

export function testedFlags(scenario: Scenario): Set<string> {
  const tested = new Set<string>();
  const add = (when: { flags?: string[]; notFlags?: string[] } | undefined) => {
    if (when?.flags) for (const f of when.flags) tested.add(f);
    if (when?.notFlags) for (const f of when.notFlags) tested.add(f);
  };
  for (const node of scenario.nodes) {
    if (node.kind === 'decision') for (const c of node.choices) add(c.when);
    if (node.kind === 'caller' && node.branches) for (const b of node.branches) add(b.when);
  }
  return tested;
}

/** The dimensions a call scores: those some choice gives points in. */
export function usedDimensions(scenario: Scenario): string[] {
  const used = new Set<string>();
  for (const node of scenario.nodes) {
    if (node.kind !== 'decision') continue;
    for (const choice of node.choices) {
      const scores = choice.scores;
      if (scores) for (const d in scores) if ((scores[d] ?? 0) > 0) used.add(d);
    }
  }
  return [...used].sort();
}

/** Each scored dimension's weight in the total: the scenario's `scoring.weights`, else 1. */
export function dimensionWeights(scenario: Scenario): Record<string, number> {
  const weights: Record<string, number> = {};
  const given = scenario.scoring?.weights ?? {};
  for (const d of usedDimensions(scenario)) weights[d] = given[d] ?? 1;
  return weights;
}

function passableOutcome(outcome: string | undefined): boolean {
  return outcome !== undefined && OUTCOMES[outcome as keyof typeof OUTCOMES]?.passable === true;
}

export function analyseScenario(scenario: Scenario, options: AnalysisOptions | number = {}): Analysis {
  return analyseWithGraph(scenario, options).analysis;
}

/** An analysis with the state graph it walked, for work that walks it again (the checker's audit). */
export interface AnalysedCall {
  analysis: Analysis;
  graph: CallStates;
  /** The state a call answered on time from the base starting anger stops in first. */
  onTimeRoot: number;
}

/**
 * What the solver knows of each edge class (each choice of the state graph, then silence): its
 * points per used dimension (`points[dimension * classes + class]`), its weighted worth, whether
 * the model call may take it (no cardinal rule broken, not silence) and whether it is a move.
 */
export function edgeClasses(
  scenario: Scenario,
  choices: CallStates['choices'],
  quiet: ReturnType<typeof silenceEffect>,
  critical: ReadonlySet<string>,
): { dimensions: string[]; points: Int32Array; worth: Float64Array; usable: Uint8Array; moves: Uint8Array } {
  const silenceClass = choices.length;
  const classes = silenceClass + 1;
  const weights = dimensionWeights(scenario);
  const dimensions = usedDimensions(scenario);
  const points = new Int32Array(dimensions.length * classes);
  const worth = new Float64Array(classes);
  const usable = new Uint8Array(classes);
  const moves = new Uint8Array(classes);
  for (let c = 0; c < classes; c++) {
    const silence = c === silenceClass;
    const delta = silence ? quiet.scores : (choices[c]?.scores ?? {});
    let total = 0;
    dimensions.forEach((d, i) => {
      points[i * classes + c] = delta[d] ?? 0;
      total += (weights[d] ?? 0) * (delta[d] ?? 0);
    });
    worth[c] = total;
    const broken = silence ? quiet.rules.broken : choices[c]?.rules?.broken;
    usable[c] = !silence && !(broken ?? []).some((r) => critical.has(r)) ? 1 : 0;
    moves[c] = silence ? 0 : 1;
  }
  return { dimensions, points, worth, usable, moves };
}

export function analyseWithGraph(scenario: Scenario, options: AnalysisOptions | number = {}): AnalysedCall {
  const opts: AnalysisOptions = typeof options === 'number' ? { stateLimit: options } : options;
  const stateLimit = opts.stateLimit ?? DEFAULT_STATE_LIMIT;
  const critical = opts.criticalRules ?? criticalRules(defaultRulebook());
  const quiet = silenceEffect(scenario);

  // Every starting anger, answered on time and late (a late answer angers the caller, which can
  // open other paths where a condition tests the mood).
  interface Root {
    state: number;
    delta: Readonly<Record<string, number>>;
    onTime: boolean;
    mood: number;
  }
  const rootMoods: number[] = [];
  const rootInfo: Omit<Root, 'state'>[] = [];
  for (const mood of startMoods(scenario)) {
    for (const ring of [1, scenario.timing.answerWithinRings + 1]) {
      const answered = answer(scenario, { ...initialState(scenario), mood, startMood: mood }, ring, 0);
      rootMoods.push(answered.mood);
      rootInfo.push({ delta: answered.scores, onTime: ring === 1, mood });
    }
  }
  const calls = buildStateGraph(scenario, testedFlags(scenario), { rootMoods, stateLimit });
  const roots: Root[] = rootInfo.map((info, i) => ({ ...info, state: calls.roots[i] as number }));
  const { count, kind, edgeStart, edgeTo, edgeClass, choices } = calls;
  const nodeId = (s: number) => calls.ids[nodeOf(calls, s)] as string;

  // Edge classes: each choice, then silence.
  const silenceClass = choices.length;
  const classes = silenceClass + 1;
  const deltaOf = (c: number): Readonly<Record<string, number>> => (c === silenceClass ? quiet.scores : (choices[c]?.scores ?? {}));
  const choiceOf = (c: number): string | null => (c === silenceClass ? null : (choices[c]?.id ?? null));

  const passable = new Uint8Array(count);
  const passableNode = Uint8Array.from(calls.outcomes, (o) => (passableOutcome(o) ? 1 : 0));
  const endingReached = new Uint8Array(calls.ids.length);
  for (let s = 0; s < count; s++) {
    if (kind[s] !== STATE_ENDING) continue;
    const n = nodeOf(calls, s);
    endingReached[n] = 1;
    passable[s] = passableNode[n] as number;
  }
  const reachableEndings = new Set<string>();
  endingReached.forEach((r, n) => r && reachableEndings.add(calls.ids[n] as string));

  const { dimensions, points, worth, usable, moves } = edgeClasses(scenario, choices, quiet, critical);
  const D = dimensions.length;
  // On an incomplete analysis the values are lower bounds: unexplored states lead nowhere.
  const solved = solve({ count, kind, edgeStart, edgeTo, edgeClass, passable, points, dimensions: D, worth, usable, moves });

  const trappedNodes = new Set<string>();
  if (calls.complete) {
    const trapped = new Uint8Array(calls.ids.length);
    for (let s = 0; s < count; s++) if (solved.canEnd[s] === 0 && kind[s] === STATE_DECISION) trapped[nodeOf(calls, s)] = 1;
    trapped.forEach((t, n) => t && trappedNodes.add(calls.ids[n] as string));
  }

  const gainfulLoops: GainfulLoop[] = [];
  const maxScores: Record<string, number> = {};
  dimensions.forEach((d, i) => {
    const loop = solved.loops[i];
    if (loop) gainfulLoops.push({ dimension: d, choices: loop.map((e) => choiceOf(edgeClass[e] as number)), gain: loop.reduce((sum, e) => sum + (points[i * classes + (edgeClass[e] as number)] as number), 0) });
    let best = 0;
    for (const root of roots) {
      const rest = solved.values[root.state * D + i] as number;
      if (rest !== NO_POINTS) best = Math.max(best, (root.delta[d] ?? 0) + rest);
    }
    maxScores[d] = best;
  });

  const models: Record<number, BestPath | null> = {};
  const bestChoices = new Map<string, string[]>();
  if (gainfulLoops.length === 0 && !solved.modelLoop) {
    const value = solved.model;
    /** Whether edge e (leaving state s) keeps the best value from s. */
    const tight = (e: number, s: number) => {
      const c = edgeClass[e] as number;
      const rest = value[edgeTo[e] as number] as number;
      return usable[c] === 1 && rest !== NONE && Math.abs((worth[c] as number) + rest - (value[s] as number)) <= EPSILON;
    };
    const search = new ModelSearch(solved.free);
    for (const root of roots) if (root.onTime) models[root.mood] = search.path(calls, tight, deltaOf, choiceOf, root.state);
    const seen = new Uint8Array(calls.ids.length);
    for (let s = 0; s < count; s++) {
      if (kind[s] !== STATE_DECISION || value[s] === NONE) continue;
      const n = nodeOf(calls, s);
      if (seen[n] === 1) continue;
      seen[n] = 1;
      const keep: string[] = [];
      for (let e = edgeStart[s] as number; e < (edgeStart[s + 1] as number); e++) if (tight(e, s)) keep.push(choiceOf(edgeClass[e] as number) as string);
      bestChoices.set(nodeId(s), keep);
    }
  }

  const analysis: Analysis = {
    maxScores,
    weights: dimensionWeights(scenario),
    bestPath: models[baseMood(scenario)] ?? null,
    models,
    bestChoices,
    gainfulLoops,
    reachableNodes: calls.reachableNodes,
    offeredChoiceIds: calls.offeredChoiceIds,
    takenBranches: calls.takenBranches,
    emptyDecisions: calls.emptyDecisions,
    trappedNodes,
    brokenNodes: calls.brokenNodes,
    reachableEndings,
    stateCount: count,
    complete: calls.complete,
    ...(calls.complete ? {} : { growth: stateGrowth(calls, scenario) }),
  };
  const onTimeRoot = roots.find((r) => r.onTime && r.mood === baseMood(scenario))?.state ?? (roots[0]?.state as number);
  return { analysis, graph: calls, onTimeRoot };
}

/**
 * The model call from a root: among the edges that keep the best value, the fewest decisions to an
 * accepted ending (breadth first, choices in the file's order), so loops that gain nothing are
 * never walked. A state's parent edge e is kept as -3 - e (the root's as -2) in the solver's free
 * number per state, which holds 0 or more until then: no array the size of the states is allocated
 * at the analysis's peak of memory. The parents and the queue are shared by the searches from every
 * root and reset after each.
 */
class ModelSearch {
  private frontier = new Int32Array(1024);
  constructor(private readonly parent: Int32Array) {}

  path(calls: CallStates, tight: (e: number, s: number) => boolean, deltaOf: (c: number) => Readonly<Record<string, number>>, choiceOf: (c: number) => string | null, root: number): BestPath | null {
    const { parent } = this;
    const { edgeStart, edgeTo } = calls;
    let frontier = this.frontier;
    let tail = 0;
    frontier[tail++] = root;
    const rootWas = parent[root] as number;
    parent[root] = -2;
    let found = -1;
    for (let head = 0; head < tail; head++) {
      const at = frontier[head] as number;
      if (calls.kind[at] === STATE_ENDING) {
        found = at;
        break;
      }
      for (let e = edgeStart[at] as number; e < (edgeStart[at + 1] as number); e++) {
        const next = edgeTo[e] as number;
        if ((parent[next] as number) < 0 || !tight(e, at)) continue;
        parent[next] = -3 - e;
        if (tail === frontier.length) {
          const grown = new Int32Array(frontier.length * 2);
          grown.set(frontier);
          frontier = this.frontier = grown;
        }
        frontier[tail++] = next;
      }
    }
    const path: number[] = [];
    for (let at = found; found >= 0 && at !== root; ) {
      const e = -3 - (parent[at] as number);
      if (e < 0) break;
      path.push(calls.edgeClass[e] as number);
      at = sourceOf(edgeStart, e);
    }
    for (let i = 0; i < tail; i++) parent[frontier[i] as number] = 0;
    parent[root] = rootWas;
    if (found < 0) return null;
    path.reverse();
    const scores: Record<string, number> = {};
    for (const c of path) for (const [d, v] of Object.entries(deltaOf(c))) scores[d] = (scores[d] ?? 0) + v;
    const end = nodeOf(calls, found);
    return { choices: path.map((c) => choiceOf(c) as string), endingId: calls.ids[end] ?? '', outcome: calls.outcomes[end] ?? '', scores };
  }
}

/** The state an edge leaves: the last state whose edges start at or before it (edgeStart only grows). */
function sourceOf(edgeStart: Int32Array, e: number): number {
  let low = 0;
  let high = edgeStart.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((edgeStart[mid] as number) <= e) low = mid;
    else high = mid - 1;
  }
  return low;
}
