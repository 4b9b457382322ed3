/**
 * Analyses a scenario by walking every state a call can be in (node, mood, flags), with the same
 * step functions the machine uses. Gives reachability, traps, the best path and the maximum score
 * per dimension: the numbers scoring normalises against, never written by hand in a file.
 */
import { OUTCOMES, type DecisionNode, type EndingNode, type Scenario } from '../format/schema';
import { answer, initialState, moveOnChoice, moveOnSilence, nodeIndex, offeredChoices, route, silenceEffect } from '../call/logic';

export const DEFAULT_STATE_LIMIT = 200_000;

/** An edge of the state graph: the agent's choice, or silence (`choiceId` null), with its points. */
interface Edge {
  choiceId: string | null;
  to: number;
  delta: Readonly<Record<string, number>>;
  total: number;
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

export interface Analysis {
  /** Highest raw score any complete play can reach, per dimension used by the scenario. */
  maxScores: Record<string, number>;
  /** The play that maximises the total, among endings that can pass (else any ending). */
  bestPath: BestPath | null;
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

function sum(delta: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const d in delta) total += delta[d] ?? 0;
  return total;
}

function times(delta: Readonly<Record<string, number>>, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d in delta) out[d] = (delta[d] ?? 0) * n;
  return out;
}

/** Whether repeated silence can be followed straight to where it ends without losing anything. */
function canFastForwardSilence(scenario: Scenario): boolean {
  const effect = scenario.timing.silence;
  if ((effect?.mood ?? 10) <= 0) return false;
  if (Object.values(effect?.scores ?? {}).some((v) => v > 0)) return false;
  const testsMood = (when: { moodMin?: number; moodMax?: number } | undefined) => when?.moodMin !== undefined || when?.moodMax !== undefined;
  return !scenario.nodes.some((n) => (n.kind === 'decision' && n.choices.some((c) => testsMood(c.when))) || (n.kind === 'caller' && (n.branches ?? []).some((b) => testsMood(b.when))));
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

export function analyseScenario(scenario: Scenario, stateLimit = DEFAULT_STATE_LIMIT): Analysis {
  const index = nodeIndex(scenario);
  const tested = testedFlags(scenario);
  const fastSilence = canFastForwardSilence(scenario);
  const quiet = silenceEffect(scenario);
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

  const start = initialState(scenario);
  const onTime = answer(scenario, start, 1, 0);
  const roots = [arrive(onTime.mood, NO_FLAGS, scenario.start)];
  // A late answer only makes the caller angrier; that can open new paths only where a condition
  // tests mood, and the same test decides whether silence may be fast-forwarded.
  if (!fastSilence) roots.push(arrive(answer(scenario, start, scenario.timing.answerWithinRings + 1, 0).mood, NO_FLAGS, scenario.start));

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
      const delta = choice.scores ?? {};
      info.edges.push({ choiceId: choice.id, to: arrive(move.mood, leanFlags(move.flags, tested), move.next), delta, total: sum(delta) });
    }
    let move = moveOnSilence(scenario, info, node);
    let delta: Readonly<Record<string, number>> = quiet.scores;
    if (move.next === node.id && fastSilence) {
      // Nothing tests mood and silence only costs: a silent trainee matters only where the
      // silences end (the mood limit), not at each angrier copy of this decision.
      // The last of the n silences is the one that reaches the limit: step it as any other.
      const step = move.mood - info.mood;
      const n = step > 0 ? Math.ceil((scenario.caller.moodLimit - info.mood) / step) : 1;
      move = moveOnSilence(scenario, { mood: info.mood + step * (n - 1), flags: info.flags }, node);
      delta = times(quiet.scores, n);
    }
    const to = move.next === node.id ? intern(node.id, move.mood, info.flags, node) : arrive(move.mood, info.flags, move.next);
    if (to !== self) info.edges.push({ choiceId: null, to, delta, total: sum(delta) });
  }

  const reachableEndings = new Set<string>();
  for (const s of states) if (s.kind === 'ending' && s.nodeId) reachableEndings.add(s.nodeId);

  const root = roots[0] ?? 0;
  const trappedNodes = complete ? findTraps(states) : new Set<string>();
  const maxScores: Record<string, number> = {};
  for (const d of usedDimensions(scenario)) maxScores[d] = Math.max(0, bestSolver(states, (e) => e.delta[d] ?? 0, () => true)(root));
  const bestPath = findBestPath(states, root);

  return { maxScores, bestPath, reachableNodes, offeredChoiceIds, takenBranches, emptyDecisions, trappedNodes, brokenNodes, reachableEndings, stateCount: states.length, complete };
}

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

const NONE = Number.NEGATIVE_INFINITY;

/**
 * Highest sum of `value` over edges from a state to an ending accepted by `accept`. Each state is
 * solved once; an edge back into the current path is skipped, so loops never add points twice.
 * `choicesOnly` leaves out silence, for the path a trainee is shown. The walk keeps its own stack:
 * a long call must not overflow the JavaScript one.
 */
function bestSolver(states: StateInfo[], value: (edge: Edge) => number, accept: (s: StateInfo) => boolean, choicesOnly = false): (i: number) => number {
  const memo = new Float64Array(states.length).fill(Number.NaN);
  const onPath = new Uint8Array(states.length);
  /** The value of a state already known without walking it, or NaN. */
  const known = (i: number): number => {
    const s = states[i];
    if (!s || s.kind === 'broken') return NONE;
    if (s.kind === 'ending') return accept(s) ? 0 : NONE;
    return memo[i] ?? NONE;
  };
  const stateAt: number[] = [];
  const edgeAt: number[] = [];
  const bestAt: number[] = [];
  return (root: number): number => {
    const first = known(root);
    if (!Number.isNaN(first)) return first;
    stateAt.push(root);
    edgeAt.push(0);
    bestAt.push(NONE);
    onPath[root] = 1;
    let result = NONE;
    while (stateAt.length > 0) {
      const top = stateAt.length - 1;
      const i = stateAt[top] as number;
      const edges = (states[i] as StateInfo).edges;
      const k = edgeAt[top] as number;
      if (k < edges.length) {
        edgeAt[top] = k + 1;
        const e = edges[k] as Edge;
        if ((choicesOnly && e.choiceId === null) || onPath[e.to] === 1) continue;
        const rest = known(e.to);
        if (Number.isNaN(rest)) {
          stateAt.push(e.to);
          edgeAt.push(0);
          bestAt.push(NONE);
          onPath[e.to] = 1;
        } else if (rest !== NONE) bestAt[top] = Math.max(bestAt[top] as number, value(e) + rest);
        continue;
      }
      // Every edge of this state is done: it is solved; hand its value to the edge that led here.
      const best = bestAt[top] as number;
      memo[i] = best;
      onPath[i] = 0;
      stateAt.pop();
      edgeAt.pop();
      bestAt.pop();
      if (top === 0) result = best;
      else if (best !== NONE) {
        const parent = top - 1;
        const via = (states[stateAt[parent] as number] as StateInfo).edges[(edgeAt[parent] as number) - 1] as Edge;
        bestAt[parent] = Math.max(bestAt[parent] as number, value(via) + best);
      }
    }
    return result;
  };
}

function findBestPath(states: StateInfo[], root: number): BestPath | null {
  const total = (e: Edge) => e.total;
  const passable = (s: StateInfo) => s.outcome !== undefined && OUTCOMES[s.outcome as keyof typeof OUTCOMES]?.passable === true;
  const accept = bestSolver(states, total, passable)(root) !== NONE ? passable : () => true;
  // Walk greedily along edges whose value plus the best rest equals the best from here.
  const solve = bestSolver(states, total, accept, true);
  if (solve(root) === NONE) return null;
  const choices: string[] = [];
  const scores: Record<string, number> = {};
  let at = root;
  const seen = new Set<number>();
  for (;;) {
    const s = states[at];
    if (!s) return null;
    if (s.kind === 'ending') return { choices, endingId: s.nodeId ?? '', outcome: s.outcome ?? '', scores };
    seen.add(at);
    const here = solve(at);
    const edge = s.edges.find((e) => {
      if (e.choiceId === null || seen.has(e.to)) return false;
      const rest = solve(e.to);
      return rest !== NONE && e.total + rest === here;
    });
    if (!edge || edge.choiceId === null) return null;
    choices.push(edge.choiceId);
    for (const [d, v] of Object.entries(edge.delta)) scores[d] = (scores[d] ?? 0) + v;
    at = edge.to;
  }
}
