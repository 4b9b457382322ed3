/**
 * Analyses a scenario by walking every state a call can be in (node, mood, flags), with the same
 * step functions the machine uses. Gives reachability, traps, the best path and the maximum score
 * per dimension: the numbers scoring normalises against, never written by hand in a file.
 */
import { OUTCOMES, type DecisionNode, type Scenario, type ScenarioNode } from '../format/schema';
import { answer, choose, conditionHolds, enterNode, initialState, nodeIndex, offeredChoices, silence, type CallState } from '../call/logic';

export const DEFAULT_STATE_LIMIT = 200_000;

/** An edge of the state graph: the agent's choice, or silence (`choiceId` null). */
interface Edge {
  choiceId: string | null;
  to: number;
  delta: Record<string, number>;
}

interface StateInfo {
  key: string;
  nodeId: string | null;
  mood: number;
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

function key(nodeId: string | null, state: CallState, tested: ReadonlySet<string>): string {
  const flags = state.flags.length === 0 ? '' : state.flags.filter((f) => tested.has(f)).sort().join(',');
  return `${nodeId ?? '∅'}|${state.mood}|${flags}`;
}

function scoreDelta(before: CallState, after: CallState): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [d, v] of Object.entries(after.scores)) {
    const diff = v - (before.scores[d] ?? 0);
    if (diff !== 0) delta[d] = diff;
  }
  return delta;
}

/**
 * A call state stripped of what cannot change the future: its history, and flags that no condition
 * ever tests. Without the second, every flag a scenario sets for the record would multiply the
 * states to walk.
 */
function lean(state: CallState, testedFlags: ReadonlySet<string>): CallState {
  return { ...state, flags: state.flags.filter((f) => testedFlags.has(f)), transcript: [], scores: {}, kept: [], broken: [], steps: [] };
}

/** The state after as many silences as it takes to reach the mood limit, from one silence's effect. */
function silenceUntilLimit(scenario: Scenario, before: CallState, afterOne: CallState): { state: CallState; next: string; holdSeconds: number } {
  const step = afterOne.mood - before.mood;
  const times = step > 0 ? Math.ceil((scenario.caller.moodLimit - before.mood) / step) : 1;
  const scores: Record<string, number> = { ...before.scores };
  for (const [d, v] of Object.entries(afterOne.scores)) scores[d] = (before.scores[d] ?? 0) + (v - (before.scores[d] ?? 0)) * times;
  const mood = Math.min(100, before.mood + step * times);
  return { state: { ...afterOne, mood, scores }, next: mood >= scenario.caller.moodLimit ? scenario.caller.onMoodLimit : '', holdSeconds: 0 };
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
    for (const f of [...(when?.flags ?? []), ...(when?.notFlags ?? [])]) tested.add(f);
  };
  for (const node of scenario.nodes) {
    if (node.kind === 'decision') for (const c of node.choices) add(c.when);
    if (node.kind === 'caller') for (const b of node.branches ?? []) add(b.when);
  }
  return tested;
}

export function analyseScenario(scenario: Scenario, stateLimit = DEFAULT_STATE_LIMIT): Analysis {
  const index = nodeIndex(scenario);
  const tested = testedFlags(scenario);
  const fastSilence = canFastForwardSilence(scenario);
  const states: StateInfo[] = [];
  const ids = new Map<string, number>();
  const reachableNodes = new Set<string>();
  const offeredChoiceIds = new Set<string>();
  const takenBranches = new Set<string>();
  const brokenNodes = new Set<string>();
  const emptyDecisions = new Set<string>();
  const queue: { id: number; state: CallState }[] = [];
  let complete = true;

  const markVisited = (state: CallState) => {
    for (const entry of state.transcript) if (entry.kind === 'caller' || entry.kind === 'end') reachableNodes.add(entry.nodeId);
  };

  const intern = (full: CallState, node: ScenarioNode | null, missing: string | null): number => {
    const nodeId = node ? node.id : missing;
    const k = key(nodeId, full, tested);
    const existing = ids.get(k);
    if (existing !== undefined) return existing;
    const state = lean(full, tested);
    const kind = node === null ? 'broken' : node.kind === 'ending' ? 'ending' : 'decision';
    const info: StateInfo = { key: k, nodeId, mood: state.mood, flags: state.flags, kind, edges: [] };
    if (node?.kind === 'ending') info.outcome = node.outcome;
    const id = states.length;
    states.push(info);
    ids.set(k, id);
    if (kind === 'decision') {
      if (states.length > stateLimit) complete = false;
      else queue.push({ id, state });
    }
    return id;
  };

  /** Moves into a node, following caller nodes; records visits, branches and broken references. */
  // Where entering a node leads depends only on the node, the mood and the tested flags.
  const arrivals = new Map<string, number>();
  const arrive = (state: CallState, nodeId: string): number => {
    const arrivalKey = key(nodeId, state, tested);
    const known = arrivals.get(arrivalKey);
    if (known !== undefined) return known;
    const arrival = enterNode(scenario, index, { ...state, transcript: [] }, nodeId, 0);
    markVisited(arrival.state);
    recordBranches(arrival.state, nodeId);
    let to: number;
    if (arrival.node === null) {
      const where = lastNodeId(arrival.state, nodeId);
      brokenNodes.add(where);
      to = intern(arrival.state, null, where);
    } else {
      reachableNodes.add(arrival.node.id);
      to = intern(arrival.state, arrival.node, null);
    }
    arrivals.set(arrivalKey, to);
    return to;
  };

  const recordBranches = (state: CallState, firstId: string) => {
    // Re-walk the caller chain to note which branch each caller node took.
    let id: string | undefined = firstId;
    for (let guard = 0; id !== undefined && guard < 1000; guard++) {
      const node = index.get(id);
      if (!node || node.kind !== 'caller') return;
      const at = node.branches?.findIndex((b) => conditionHolds(b.when, state)) ?? -1;
      takenBranches.add(at >= 0 ? `${node.id}#${at}` : `${node.id}#next`);
      id = at >= 0 ? node.branches?.[at]?.next : node.next;
    }
  };

  const start = initialState(scenario);
  const onTime = answer(scenario, start, 1, 0);
  const roots = [arrive(onTime, scenario.start)];
  // A late answer only makes the caller angrier; that can open new paths only where a condition
  // tests mood, and the same test decides whether silence may be fast-forwarded.
  if (!fastSilence) roots.push(arrive(answer(scenario, start, scenario.timing.answerWithinRings + 1, 0), scenario.start));

  while (queue.length > 0) {
    const item = queue.shift();
    if (!item) break;
    const info = states[item.id];
    if (!info || info.nodeId === null) continue;
    const node = index.get(info.nodeId) as DecisionNode;
    const offered = offeredChoices(node, item.state);
    if (offered.length === 0) emptyDecisions.add(node.id);
    for (const choice of offered) {
      offeredChoiceIds.add(choice.id);
      const step = choose(scenario, item.state, node, choice, 0);
      const to = arrive(step.state, step.next);
      info.edges.push({ choiceId: choice.id, to, delta: scoreDelta(item.state, step.state) });
    }
    let quiet = silence(scenario, item.state, node, 0);
    if (quiet.next === node.id && fastSilence) {
      // Nothing tests mood and silence only costs: a silent trainee matters only where the
      // silences end (the mood limit), not at each angrier copy of this decision.
      quiet = silenceUntilLimit(scenario, item.state, quiet.state);
    }
    const to = quiet.next === node.id ? intern(quiet.state, node, null) : arrive(quiet.state, quiet.next);
    if (to !== item.id) info.edges.push({ choiceId: null, to, delta: scoreDelta(item.state, quiet.state) });
  }

  const reachableEndings = new Set<string>();
  for (const s of states) if (s.kind === 'ending' && s.nodeId) reachableEndings.add(s.nodeId);

  const trappedNodes = complete ? findTraps(states) : new Set<string>();
  const dimensions = usedDimensions(scenario);
  const maxScores: Record<string, number> = {};
  for (const d of dimensions) maxScores[d] = Math.max(0, bestValue(states, roots[0] ?? 0, (delta) => delta[d] ?? 0, () => true));
  const bestPath = findBestPath(states, roots[0] ?? 0);

  return { maxScores, bestPath, reachableNodes, offeredChoiceIds, takenBranches, emptyDecisions, trappedNodes, brokenNodes, reachableEndings, stateCount: states.length, complete };
}

function lastNodeId(state: CallState, fallback: string): string {
  for (let i = state.transcript.length - 1; i >= 0; i--) {
    const entry = state.transcript[i];
    if (entry && (entry.kind === 'caller' || entry.kind === 'end')) return entry.nodeId;
  }
  return fallback;
}

export function usedDimensions(scenario: Scenario): string[] {
  const used = new Set<string>();
  for (const node of scenario.nodes) {
    if (node.kind !== 'decision') continue;
    for (const choice of node.choices) for (const [d, v] of Object.entries(choice.scores ?? {})) if (v > 0) used.add(d);
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
 * `choicesOnly` leaves out silence, for the path a trainee is shown.
 */
function bestSolver(states: StateInfo[], value: (delta: Record<string, number>) => number, accept: (s: StateInfo) => boolean, choicesOnly = false): (i: number) => number {
  const memo = new Map<number, number>();
  const onPath = new Set<number>();
  const solve = (i: number): number => {
    const cached = memo.get(i);
    if (cached !== undefined) return cached;
    const s = states[i];
    if (!s) return NONE;
    if (s.kind === 'ending') return accept(s) ? 0 : NONE;
    if (s.kind === 'broken') return NONE;
    onPath.add(i);
    let best = NONE;
    for (const e of s.edges) {
      if ((choicesOnly && e.choiceId === null) || onPath.has(e.to)) continue;
      const rest = solve(e.to);
      if (rest !== NONE) best = Math.max(best, value(e.delta) + rest);
    }
    onPath.delete(i);
    memo.set(i, best);
    return best;
  };
  return solve;
}

function bestValue(states: StateInfo[], root: number, value: (delta: Record<string, number>) => number, accept: (s: StateInfo) => boolean): number {
  return bestSolver(states, value, accept)(root);
}

function findBestPath(states: StateInfo[], root: number): BestPath | null {
  const total = (delta: Record<string, number>) => Object.values(delta).reduce((a, b) => a + b, 0);
  const passable = (s: StateInfo) => s.outcome !== undefined && OUTCOMES[s.outcome as keyof typeof OUTCOMES]?.passable === true;
  const accept = bestValue(states, root, total, passable) !== NONE ? passable : () => true;
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
      return rest !== NONE && total(e.delta) + rest === here;
    });
    if (!edge || edge.choiceId === null) return null;
    choices.push(edge.choiceId);
    for (const [d, v] of Object.entries(edge.delta)) scores[d] = (scores[d] ?? 0) + v;
    at = edge.to;
  }
}
