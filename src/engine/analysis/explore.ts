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
import { baseMood, OUTCOMES, startMoods, type DecisionNode, type EndingNode, type Scenario } from '../format/schema';
import { answer, initialState, moveOnChoice, moveOnSilence, nodeIndex, offeredChoices, route, silenceEffect } from '../call/logic';
import { criticalRules } from '../format/rulebook';
import { defaultRulebook } from '../rulebook-data';
import { buildGraph, EPSILON, longestPaths, NONE, type StateGraph } from './longest';

export const DEFAULT_STATE_LIMIT = 200_000;

/** An edge of the state graph: the agent's choice, or silence (`choiceId` null), with its points. */
interface Edge {
  choiceId: string | null;
  to: number;
  delta: Readonly<Record<string, number>>;
  /** The choice breaks a critical rule: a call that takes it fails. */
  critical: boolean;
}

/** A call state reduced to what decides its future: where it stands, the mood, and the tested flags. */
interface StateInfo {
  nodeId: string | null;
  mood: number;
  /** Flags some condition tests, sorted. */
  flags: string[];
  kind: 'decision' | 'ending' | 'broken';
  outcome?: string;
  edges: Edge[];
}

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
}

export interface AnalysisOptions {
  stateLimit?: number;
  /** Rule ids whose breach fails a call; the shipped rulebook's critical rules by default. */
  criticalRules?: ReadonlySet<string>;
}

function stateKey(nodeId: string, mood: number, flags: readonly string[]): string {
  return flags.length === 0 ? `${nodeId}|${mood}|` : `${nodeId}|${mood}|${flags.join(',')}`;
}

const NO_FLAGS: string[] = [];

/** Keeps the flags some condition tests, sorted: flags set only for the record cannot change the future. */
function leanFlags(flags: readonly string[], tested: ReadonlySet<string>): string[] {
  if (flags.length === 0 || tested.size === 0) return NO_FLAGS;
  const kept = flags.filter((f) => tested.has(f));
  return kept.length > 1 ? kept.sort() : kept;
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
  const opts: AnalysisOptions = typeof options === 'number' ? { stateLimit: options } : options;
  const stateLimit = opts.stateLimit ?? DEFAULT_STATE_LIMIT;
  const critical = opts.criticalRules ?? criticalRules(defaultRulebook());
  const index = nodeIndex(scenario);
  const tested = testedFlags(scenario);
  const quiet = silenceEffect(scenario);
  const silenceCritical = (quiet.rules.broken ?? []).some((r) => critical.has(r));
  const states: StateInfo[] = [];
  const ids = new Map<string, number>();
  const reachableNodes = new Set<string>();
  const offeredChoiceIds = new Set<string>();
  const takenBranches = new Set<string>();
  const brokenNodes = new Set<string>();
  const emptyDecisions = new Set<string>();
  const queue: number[] = [];
  let complete = true;

  const intern = (nodeId: string, mood: number, flags: string[], node: DecisionNode | EndingNode | null): number => {
    const k = stateKey(nodeId, mood, flags);
    const existing = ids.get(k);
    if (existing !== undefined) return existing;
    const kind = node === null ? 'broken' : node.kind === 'ending' ? 'ending' : 'decision';
    const info: StateInfo = { nodeId, mood, flags, kind, edges: [] };
    if (node?.kind === 'ending') info.outcome = node.outcome;
    const id = states.length;
    states.push(info);
    ids.set(k, id);
    if (kind === 'decision') {
      if (states.length > stateLimit) complete = false;
      else queue.push(id);
    }
    return id;
  };

  // Where entering a node leads depends only on the node, the mood and the tested flags.
  const arrivals = new Map<string, number>();
  /** Moves into a node, following caller nodes; records visits, branches and broken references. */
  const arrive = (mood: number, flags: string[], nodeId: string): number => {
    const arrivalKey = stateKey(nodeId, mood, flags);
    const known = arrivals.get(arrivalKey);
    if (known !== undefined) return known;
    const { passed, stop, lastId } = route(index, { mood, flags }, nodeId);
    for (const { node, branch } of passed) {
      reachableNodes.add(node.id);
      takenBranches.add(branch >= 0 ? `${node.id}#${branch}` : `${node.id}#next`);
    }
    let to: number;
    if (stop === null) {
      brokenNodes.add(lastId);
      to = intern(lastId, mood, flags, null);
    } else {
      reachableNodes.add(stop.id);
      to = intern(stop.id, mood, flags, stop);
    }
    arrivals.set(arrivalKey, to);
    return to;
  };

  // Every starting anger, answered on time and late (a late answer angers the caller, which can
  // open other paths where a condition tests the mood).
  interface Root {
    state: number;
    delta: Readonly<Record<string, number>>;
    onTime: boolean;
    mood: number;
  }
  const roots: Root[] = [];
  for (const mood of startMoods(scenario)) {
    const start = { ...initialState(scenario), mood, startMood: mood };
    for (const ring of [1, scenario.timing.answerWithinRings + 1]) {
      const answered = answer(scenario, start, ring, 0);
      roots.push({ state: arrive(answered.mood, NO_FLAGS, scenario.start), delta: answered.scores, onTime: ring === 1, mood });
    }
  }

  for (let q = 0; q < queue.length; q++) {
    const self = queue[q] ?? -1;
    const info = states[self];
    if (!info || info.nodeId === null) continue;
    const node = index.get(info.nodeId) as DecisionNode;
    const offered = offeredChoices(node, info);
    if (offered.length === 0) emptyDecisions.add(node.id);
    for (const choice of offered) {
      offeredChoiceIds.add(choice.id);
      const move = moveOnChoice(scenario, info, choice);
      const breaks = (choice.rules?.broken ?? []).some((r) => critical.has(r));
      info.edges.push({ choiceId: choice.id, to: arrive(move.mood, leanFlags(move.flags, tested), move.next), delta: choice.scores ?? {}, critical: breaks });
    }
    const move = moveOnSilence(scenario, info, node);
    const to = move.next === node.id ? intern(node.id, move.mood, info.flags, node) : arrive(move.mood, info.flags, move.next);
    info.edges.push({ choiceId: null, to, delta: quiet.scores, critical: silenceCritical });
  }

  const reachableEndings = new Set<string>();
  for (const s of states) if (s.kind === 'ending' && s.nodeId) reachableEndings.add(s.nodeId);
  const trappedNodes = complete ? findTraps(states) : new Set<string>();

  const weights = dimensionWeights(scenario);
  const dimensions = usedDimensions(scenario);
  // On an incomplete analysis the values are lower bounds: unexplored states lead nowhere.
  const graph = buildGraph(states.map((info) => info.edges.map((e) => e.to)));
  const edges: Edge[] = states.flatMap((info) => info.edges);
  const terminal = new Uint8Array(states.length);
  const anyEnding = new Uint8Array(states.length);
  const passable = new Uint8Array(states.length);
  states.forEach((info, s) => {
    terminal[s] = info.kind === 'decision' ? 0 : 1;
    anyEnding[s] = info.kind === 'ending' ? 1 : 0;
    passable[s] = info.kind === 'ending' && passableOutcome(info.outcome) ? 1 : 0;
  });
  const everyEdge = new Uint8Array(edges.length).fill(1);
  const gainfulLoops: GainfulLoop[] = [];
  const maxScores: Record<string, number> = {};
  for (const d of dimensions) {
    const points = new Float64Array(edges.length);
    edges.forEach((e, k) => {
      points[k] = e.delta[d] ?? 0;
    });
    const solved = longestPaths(graph, points, everyEdge, anyEnding, terminal);
    if (solved.loop) gainfulLoops.push({ dimension: d, choices: solved.loop.map((e) => (edges[e] as Edge).choiceId), gain: solved.loop.reduce((sum, e) => sum + (points[e] as number), 0) });
    let best = 0;
    for (const root of roots) {
      const rest = solved.value[root.state] as number;
      if (rest !== NONE) best = Math.max(best, (root.delta[d] ?? 0) + rest);
    }
    maxScores[d] = best;
  }

  const models: Record<number, BestPath | null> = {};
  const bestChoices = new Map<string, string[]>();
  if (gainfulLoops.length === 0) {
    const worth = new Float64Array(edges.length);
    const usable = new Uint8Array(edges.length);
    edges.forEach((e, k) => {
      let total = 0;
      for (const d of dimensions) total += (weights[d] ?? 0) * (e.delta[d] ?? 0);
      worth[k] = total;
      usable[k] = e.choiceId !== null && !e.critical ? 1 : 0;
    });
    const { value } = longestPaths(graph, worth, usable, passable, terminal);
    /** Whether edge e (leaving state s) keeps the best value from s. */
    const tight = (e: number, s: number) => usable[e] === 1 && (value[graph.to[e] as number] as number) !== NONE && Math.abs((worth[e] as number) + (value[graph.to[e] as number] as number) - (value[s] as number)) <= EPSILON;
    for (const root of roots) if (root.onTime) models[root.mood] = modelPath(states, edges, graph, tight, root.state);
    states.forEach((info, s) => {
      if (info.kind !== 'decision' || info.nodeId === null || value[s] === NONE || bestChoices.has(info.nodeId)) return;
      const keep: string[] = [];
      for (let e = graph.first[s] as number; e < (graph.first[s + 1] as number); e++) if (tight(e, s)) keep.push((edges[e] as Edge).choiceId as string);
      bestChoices.set(info.nodeId, keep);
    });
  }

  return {
    maxScores,
    weights,
    bestPath: models[baseMood(scenario)] ?? null,
    models,
    bestChoices,
    gainfulLoops,
    reachableNodes,
    offeredChoiceIds,
    takenBranches,
    emptyDecisions,
    trappedNodes,
    brokenNodes,
    reachableEndings,
    stateCount: states.length,
    complete,
  };
}

/** States from which no ending can be reached by the agent's choices (silence does not count). */
function findTraps(states: StateInfo[]): Set<string> {
  const reverse: number[][] = states.map(() => []);
  states.forEach((s, i) => {
    for (const e of s.edges) if (e.choiceId !== null) reverse[e.to]?.push(i);
  });
  const canEnd = new Array<boolean>(states.length).fill(false);
  const stack: number[] = [];
  states.forEach((s, i) => {
    if (s.kind === 'ending') {
      canEnd[i] = true;
      stack.push(i);
    }
  });
  while (stack.length > 0) {
    const i = stack.pop() as number;
    for (const j of reverse[i] ?? []) {
      if (!canEnd[j]) {
        canEnd[j] = true;
        stack.push(j);
      }
    }
  }
  const traps = new Set<string>();
  states.forEach((s, i) => {
    if (!canEnd[i] && s.kind === 'decision' && s.nodeId) traps.add(s.nodeId);
  });
  return traps;
}

/**
 * The model call from a root: among the edges that keep the best value, the fewest decisions to an
 * accepted ending (breadth first, choices in the file's order), so loops that gain nothing are
 * never walked.
 */
function modelPath(states: StateInfo[], edges: Edge[], graph: StateGraph, tight: (e: number, s: number) => boolean, root: number): BestPath | null {
  const parent = new Map<number, number>();
  const frontier = [root];
  const seen = new Set([root]);
  let found = -1;
  for (let head = 0; head < frontier.length; head++) {
    const at = frontier[head] as number;
    if ((states[at] as StateInfo).kind === 'ending') {
      found = at;
      break;
    }
    for (let e = graph.first[at] as number; e < (graph.first[at + 1] as number); e++) {
      const next = graph.to[e] as number;
      if (seen.has(next) || !tight(e, at)) continue;
      seen.add(next);
      parent.set(next, e);
      frontier.push(next);
    }
  }
  if (found < 0) return null;
  const path: Edge[] = [];
  for (let at = found; at !== root; ) {
    const e = parent.get(at);
    if (e === undefined) return null;
    path.push(edges[e] as Edge);
    at = graph.from[e] as number;
  }
  path.reverse();
  const scores: Record<string, number> = {};
  for (const e of path) for (const [d, v] of Object.entries(e.delta)) scores[d] = (scores[d] ?? 0) + v;
  const end = states[found] as StateInfo;
  return { choices: path.map((e) => e.choiceId as string), endingId: end.nodeId ?? '', outcome: end.outcome ?? '', scores };
}
