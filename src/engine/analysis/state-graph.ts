/**
 * The call's state graph stored compactly, for the analysis: a state is (node, mood, tested flags),
 * kept as numbers in typed arrays; flag sets are interned (each distinct set of tested flags has one
 * id, and the set a choice leads to is looked up once per set and choice); states are found in an
 * open-addressing hash table of state ids; edges are stored per state, in order, as the target
 * state and the choice (or a run of silences). Memory and time grow linearly with the states.
 *
 * The walk is the one the call logic defines (`route`, `moveOnChoice`, `moveOnSilence`), compiled:
 * conditions, effects and targets become arrays indexed by node and choice, so that exploring a
 * state allocates nothing.
 */
import type { Choice, Condition, Scenario } from '../format/schema';
import { clampMood, silenceEffect } from '../call/logic';

const MAX_AUTO_STEPS = 1000;

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(Math.ceil(this.data.length * 1.5) + 16);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The list at its length, copied, so that the spare capacity can be collected. */
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Conditions compiled: flags by index into the tested flags, mood bounds. */
interface CompiledCondition {
  need: Int32Array;
  needNot: Int32Array;
  moodMin: number;
  moodMax: number;
}
const ALWAYS: CompiledCondition = { need: new Int32Array(0), needNot: new Int32Array(0), moodMin: -Infinity, moodMax: Infinity };

export const STATE_DECISION = 0;
export const STATE_ENDING = 1;
export const STATE_BROKEN = 2;

export interface StateGraphOptions {
  /** Moods the call can be in once answered (each starting anger, on time and late): one root each. */
  rootMoods: readonly number[];
  /** Decision states beyond this many are not expanded, and the graph is incomplete. */
  stateLimit: number;
}

export interface StateGraph {
  count: number;
  /** Per state: index into `ids` (a scenario node, or a missing id for a broken state). */
  node: Int32Array;
  mood: Uint8Array;
  flagSet: Int32Array;
  kind: Uint8Array;
  /** Edges of state s are edgeStart[s] … edgeStart[s + 1] - 1 (states never expanded have none). */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  /** A choice's index into `choices`, or `choices.length` for a silence. */
  edgeClass: Int32Array;
  /** Node ids by index: the scenario's nodes (first of each id), then missing ids the walk met. */
  ids: string[];
  /** Choices by global index. */
  choices: Choice[];
  /** The outcome of each node index that is an ending (undefined otherwise). */
  outcomes: Array<string | undefined>;
  roots: number[];
  /** Flag ids (tested flags, sorted) of each interned flag set. */
  flagSets: string[][];
  reachableNodes: Set<string>;
  offeredChoiceIds: Set<string>;
  takenBranches: Set<string>;
  emptyDecisions: Set<string>;
  brokenNodes: Set<string>;
  complete: boolean;
}

export function buildStateGraph(scenario: Scenario, tested: ReadonlySet<string>, options: StateGraphOptions): StateGraph {
  // ---- compile the scenario ----
  const ids: string[] = [];
  const at = new Map<string, number>();
  for (const n of scenario.nodes) {
    if (!at.has(n.id)) {
      at.set(n.id, ids.length);
      ids.push(n.id);
    }
  }
  const nodeCount = ids.length;
  const byIndex: Scenario['nodes'] = [];
  for (const n of scenario.nodes) if (byIndex.length < ids.length && ids[byIndex.length] === n.id) byIndex.push(n);
  const indexOf = (id: string): number => {
    let i = at.get(id);
    if (i === undefined) {
      i = ids.length;
      ids.push(id);
      at.set(id, i);
    }
    return i;
  };
  const testedList = [...tested].sort();
  const flagAt = new Map(testedList.map((f, i) => [f, i]));
  const compile = (when: Condition | undefined): CompiledCondition => {
    if (!when) return ALWAYS;
    return {
      need: Int32Array.from((when.flags ?? []).map((f) => flagAt.get(f) ?? -1)),
      needNot: Int32Array.from((when.notFlags ?? []).map((f) => flagAt.get(f) ?? -1)),
      moodMin: when.moodMin ?? -Infinity,
      moodMax: when.moodMax ?? Infinity,
    };
  };
  // kind per node index: 0 caller, 1 decision, 2 ending; missing ids are added later (kind 3).
  const nodeKind: number[] = byIndex.map((n) => (n.kind === 'caller' ? 0 : n.kind === 'decision' ? 1 : 2));
  const outcomes: Array<string | undefined> = byIndex.map((n) => (n.kind === 'ending' ? n.outcome : undefined));
  const branchConds: CompiledCondition[][] = byIndex.map((n) => (n.kind === 'caller' ? (n.branches ?? []).map((b) => compile(b.when)) : []));
  const branchNext: number[][] = byIndex.map((n) => (n.kind === 'caller' ? (n.branches ?? []).map((b) => indexOf(b.next)) : []));
  const callerNext: number[] = byIndex.map((n) => (n.kind === 'caller' && n.next !== undefined ? indexOf(n.next) : -1));
  const choices: StateGraph['choices'] = [];
  const choiceFirst: number[] = [];
  const choiceCond: CompiledCondition[] = [];
  const choiceMood: number[] = [];
  const choiceNext: number[] = [];
  const choiceSet: Int32Array[] = [];
  const choiceUnset: Int32Array[] = [];
  const silenceNext: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    choiceFirst.push(choices.length);
    const n = byIndex[i]!;
    silenceNext.push(n.kind === 'decision' ? (n.silenceNext !== undefined ? indexOf(n.silenceNext) : i) : -1);
    if (n.kind !== 'decision') continue;
    for (const c of n.choices) {
      choices.push(c);
      choiceCond.push(compile(c.when));
      choiceMood.push(c.mood ?? 0);
      choiceNext.push(indexOf(c.next));
      // Set and unset, restricted to the tested flags (the others cannot change the future).
      choiceSet.push(Int32Array.from((c.set ?? []).flatMap((f) => (flagAt.has(f) ? [flagAt.get(f)!] : []))));
      choiceUnset.push(Int32Array.from((c.unset ?? []).flatMap((f) => (flagAt.has(f) ? [flagAt.get(f)!] : []))));
    }
  }
  choiceFirst.push(choices.length);
  const limit = scenario.caller.moodLimit;
  const onLimit = indexOf(scenario.caller.onMoodLimit);
  const start = indexOf(scenario.start);
  const silenceMood = silenceEffect(scenario).mood;
  const silenceClass = choices.length;
  const kindOf = (i: number) => (i < nodeCount ? (nodeKind[i] as number) : 3);

  // ---- interned flag sets ----
  const flagSets: string[][] = [[]];
  const members: Uint8Array[] = [new Uint8Array(testedList.length)];
  const setIds = new Map<string, number>([['', 0]]);
  const transitions = new Map<number, number>();
  const choiceCount = Math.max(1, choices.length);
  /** The flag set a choice leads to from set `s`. */
  const nextSet = (s: number, c: number): number => {
    const set = choiceSet[c] as Int32Array;
    const unset = choiceUnset[c] as Int32Array;
    if (set.length === 0 && unset.length === 0) return s;
    const key = s * choiceCount + c;
    const known = transitions.get(key);
    if (known !== undefined) return known;
    const m = (members[s] as Uint8Array).slice();
    for (const f of set) m[f] = 1;
    for (const f of unset) m[f] = 0;
    const list: number[] = [];
    for (let f = 0; f < m.length; f++) if (m[f]) list.push(f);
    const k = list.join(',');
    let id = setIds.get(k);
    if (id === undefined) {
      id = flagSets.length;
      setIds.set(k, id);
      flagSets.push(list.map((f) => testedList[f] as string));
      members.push(m);
    }
    transitions.set(key, id);
    return id;
  };
  const holds = (condition: CompiledCondition, mood: number, s: number): boolean => {
    if (condition === ALWAYS) return true;
    if (mood < condition.moodMin || mood > condition.moodMax) return false;
    const m = members[s] as Uint8Array;
    for (const f of condition.need) if (f < 0 || !m[f]) return false;
    for (const f of condition.needNot) if (f >= 0 && m[f]) return false;
    return true;
  };

  // ---- states ----
  let capacity = 1024;
  let stateNode = new Int32Array(capacity);
  let stateMood = new Uint8Array(capacity);
  let stateSet = new Int32Array(capacity);
  let stateKind = new Uint8Array(capacity);
  let count = 0;
  let tableBits = 12;
  let table = new Int32Array(1 << tableBits).fill(-1);
  const hash = (node: number, mood: number, set: number) => (Math.imul(node, 0x9e3779b1) ^ Math.imul(mood + 1, 0x85ebca6b) ^ Math.imul(set + 7, 0xc2b2ae35)) >>> (32 - tableBits);
  const grow = () => {
    capacity = Math.ceil(capacity * 1.5);
    const n = new Int32Array(capacity);
    n.set(stateNode);
    stateNode = n;
    const m = new Uint8Array(capacity);
    m.set(stateMood);
    stateMood = m;
    const s = new Int32Array(capacity);
    s.set(stateSet);
    stateSet = s;
    const k = new Uint8Array(capacity);
    k.set(stateKind);
    stateKind = k;
  };
  const rehash = () => {
    tableBits++;
    table = new Int32Array(1 << tableBits).fill(-1);
    const mask = (1 << tableBits) - 1;
    for (let i = 0; i < count; i++) {
      let h = hash(stateNode[i] as number, stateMood[i] as number, stateSet[i] as number);
      while (table[h] !== -1) h = (h + 1) & mask;
      table[h] = i;
    }
  };
  const queue = new IntList(1024);
  let complete = true;
  const intern = (node: number, mood: number, set: number, kind: number): number => {
    const mask = (1 << tableBits) - 1;
    let h = hash(node, mood, set);
    for (;;) {
      const i = table[h] as number;
      if (i === -1) break;
      if (stateNode[i] === node && stateMood[i] === mood && stateSet[i] === set) return i;
      h = (h + 1) & mask;
    }
    const id = count++;
    if (id === capacity) grow();
    stateNode[id] = node;
    stateMood[id] = mood;
    stateSet[id] = set;
    stateKind[id] = kind;
    table[h] = id;
    if (count * 2 > 1 << tableBits) rehash();
    if (kind === STATE_DECISION) {
      if (count > options.stateLimit) complete = false;
      else queue.push(id);
    }
    return id;
  };

  // ---- what the walk reached ----
  const reached = new Uint8Array(nodeCount);
  const branchTaken: Uint8Array[] = byIndex.map((n) => new Uint8Array(n.kind === 'caller' ? (n.branches?.length ?? 0) + 1 : 0));
  const broken = new Set<number>();
  const offered = new Uint8Array(choices.length);
  const empty = new Uint8Array(nodeCount);

  /** Moves into a node, following caller nodes, and returns the state the call stops in. */
  const arrive = (mood: number, set: number, to: number): number => {
    let id = to;
    let last = to;
    for (let guard = 0; guard < MAX_AUTO_STEPS; guard++) {
      last = id;
      const kind = kindOf(id);
      if (kind === 3) break;
      reached[id] = 1;
      if (kind !== 0) return intern(id, mood, set, kind === 1 ? STATE_DECISION : STATE_ENDING);
      const conds = branchConds[id] as CompiledCondition[];
      let branch = -1;
      for (let b = 0; b < conds.length; b++) {
        if (holds(conds[b] as CompiledCondition, mood, set)) {
          branch = b;
          break;
        }
      }
      (branchTaken[id] as Uint8Array)[branch >= 0 ? branch : conds.length] = 1;
      const next = branch >= 0 ? ((branchNext[id] as number[])[branch] as number) : (callerNext[id] as number);
      if (next < 0) break; // a caller node with nowhere to go: broken here
      id = next;
    }
    broken.add(last);
    return intern(last, mood, set, STATE_BROKEN);
  };

  const roots = options.rootMoods.map((mood) => arrive(mood, 0, start));
  const edgeStart = new IntList(1024);
  const edgeTo = new IntList(4096);
  const edgeClass = new IntList(4096);
  for (let q = 0; q < queue.length; q++) {
    const self = queue.data[q] as number;
    // States are expanded in the order they were queued, which is their id order among decisions.
    while (edgeStart.length <= self) edgeStart.push(edgeTo.length);
    const node = stateNode[self] as number;
    const mood = stateMood[self] as number;
    const set = stateSet[self] as number;
    let any = false;
    for (let c = choiceFirst[node] as number, end = choiceFirst[node + 1] as number; c < end; c++) {
      if (!holds(choiceCond[c] as CompiledCondition, mood, set)) continue;
      any = true;
      offered[c] = 1;
      const m = clampMood(mood + (choiceMood[c] as number));
      const to = arrive(m, nextSet(set, c), m >= limit ? onLimit : (choiceNext[c] as number));
      edgeTo.push(to);
      edgeClass.push(c);
    }
    if (!any) empty[node] = 1;
    // Silence: the caller waits at this decision (a state of its own, one angrier) or moves on.
    const m = clampMood(mood + silenceMood);
    const next = m >= limit ? onLimit : (silenceNext[node] as number);
    edgeTo.push(next === node ? intern(node, m, set, STATE_DECISION) : arrive(m, set, next));
    edgeClass.push(silenceClass);
  }
  while (edgeStart.length <= count) edgeStart.push(edgeTo.length);

  const reachableNodes = new Set<string>();
  reached.forEach((r, i) => r && reachableNodes.add(ids[i] as string));
  const takenBranches = new Set<string>();
  branchTaken.forEach((taken, i) => {
    for (let b = 0; b < taken.length; b++) if (taken[b]) takenBranches.add(b === taken.length - 1 ? `${ids[i]}#next` : `${ids[i]}#${b}`);
  });
  const offeredChoiceIds = new Set<string>();
  offered.forEach((o, c) => o && offeredChoiceIds.add((choices[c] as { id: string }).id));
  const emptyDecisions = new Set<string>();
  empty.forEach((e, i) => e && emptyDecisions.add(ids[i] as string));
  const brokenNodes = new Set<string>([...broken].map((i) => ids[i] as string));
  return {
    count,
    node: stateNode.slice(0, count),
    mood: stateMood.slice(0, count),
    flagSet: stateSet.slice(0, count),
    kind: stateKind.slice(0, count),
    edgeStart: edgeStart.trimmed(),
    edgeTo: edgeTo.trimmed(),
    edgeClass: edgeClass.trimmed(),
    ids,
    choices,
    outcomes,
    roots,
    flagSets,
    reachableNodes,
    offeredChoiceIds,
    takenBranches,
    emptyDecisions,
    brokenNodes,
    complete,
  };
}

/** What multiplies the states of a call: for a trainer whose call is too large to analyse. */
export interface StateGrowth {
  /** Decision and ending nodes the walk reached. */
  nodes: number;
  /** Distinct moods a reached node is found in, on average. */
  moodsPerNode: number;
  /** Distinct sets of tested flags met. */
  flagSets: number;
  /** Tested flags, most dividing first: the share of states in which each is set. */
  flags: Array<{ flag: string; share: number }>;
  /** Ids of nodes whose choices or branches test the mood. */
  moodTests: string[];
}

export function stateGrowth(g: StateGraph, scenario: Scenario): StateGrowth {
  const { count, node, mood, flagSet } = g;
  const seen = new Uint8Array(g.ids.length * 101);
  const nodes = new Uint8Array(g.ids.length);
  let pairs = 0;
  const perSet = new Float64Array(g.flagSets.length);
  for (let s = 0; s < count; s++) {
    const n = node[s] as number;
    nodes[n] = 1;
    const k = n * 101 + (mood[s] as number);
    if (!seen[k]) {
      seen[k] = 1;
      pairs++;
    }
    perSet[flagSet[s] as number]! += 1;
  }
  const reached = nodes.reduce((a, b) => a + b, 0);
  const share = new Map<string, number>();
  g.flagSets.forEach((set, i) => {
    for (const f of set) share.set(f, (share.get(f) ?? 0) + (perSet[i] as number));
  });
  const flags = [...share].map(([flag, n]) => ({ flag, share: count ? n / count : 0 }));
  // A flag set in half the states doubles them; one set in almost none or almost all barely counts.
  flags.sort((a, b) => Math.min(b.share, 1 - b.share) - Math.min(a.share, 1 - a.share) || a.flag.localeCompare(b.flag));
  const testsMood = (when: Condition | undefined) => when?.moodMin !== undefined || when?.moodMax !== undefined;
  const moodTests = scenario.nodes.filter((n) => (n.kind === 'decision' && n.choices.some((c) => testsMood(c.when))) || (n.kind === 'caller' && (n.branches ?? []).some((b) => testsMood(b.when)))).map((n) => n.id);
  return { nodes: reached, moodsPerNode: reached ? pairs / reached : 0, flagSets: g.flagSets.length, flags, moodTests };
}
