/**
 * The call's state graph stored compactly, for the analysis: a state is (node, mood, tested flags),
 * kept as two numbers — node and mood packed in one (`node << 7 | mood`), and the id of its set of
 * tested flags — side by side in one typed array. States are looked up in one small hash table per
 * node (the tables of the few dozen nodes the walk is at stay in the processor's cache), whose
 * slots hold the flag set and mood beside the id. Flag sets are bit masks (32 flags a
 * word), interned: each distinct set has one id, and the set a choice leads to is worked out once
 * per set and choice.
 * Edges are stored per state, in order, as the target state and the choice (or a silence). Memory
 * and time grow linearly with the states; no object is made per state or per edge.
 *
 * The walk is the one the call logic defines (`route`, `moveOnChoice`, `moveOnSilence`), compiled:
 * conditions, effects and targets become arrays indexed by node and choice, so that exploring a
 * state allocates nothing.
 */
import type { Choice, Condition, Scenario } from '../format/schema';
import { clampMood, silenceEffect } from '../call/logic';

const MAX_AUTO_STEPS = 1000;
/** Bits of the packed key that hold the mood (0 … 100). */
const MOOD_BITS = 7;
const MOOD_MASK = (1 << MOOD_BITS) - 1;
/** Node indexes must fit the packed key's other bits. */
const MAX_NODE_INDEX = 2 ** (31 - MOOD_BITS) - 1;

/** A node's look-up table before its first state, and the slots of its first table. */
const EMPTY_TABLE = new Int32Array(2); // one empty slot, never written: the first state grows it
const FIRST_SLOTS = 16;
/** Numbers in one block of the tables' memory (8 MB). */
const BLOCK = 1 << 21;
/** Flag sets are packed with the mood in one 32-bit number: at most this many. */
const MAX_FLAG_SETS = 2 ** (31 - MOOD_BITS);
const slotOf = (key: number, mask: number) => {
  const h = Math.imul(key ^ (key >>> 15), 0x2c1b3c6d);
  const g = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (g ^ (g >>> 15)) & mask;
};

export const STATE_DECISION = 0;
export const STATE_ENDING = 1;
export const STATE_BROKEN = 2;

export interface StateGraphOptions {
  /** Moods the call can be in once answered (each starting anger, on time and late): one root each. */
  rootMoods: readonly number[];
  /** Decision states at or beyond this id are not expanded, and the graph is incomplete. */
  stateLimit: number;
}

export interface StateGraph {
  count: number;
  /** Per state, two numbers: `node << 7 | mood` (node: index into `ids`), then the flag set's id. */
  keys: Int32Array;
  kind: Uint8Array;
  /** Edges of state s are edgeStart[s] … edgeStart[s + 1] - 1 (states never expanded have none). */
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  /** A choice's index into `choices`, or `choices.length` for a silence (16 bits when they fit). */
  edgeClass: EdgeClasses;
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

export const nodeOf = (g: StateGraph, s: number): number => (g.keys[2 * s] as number) >>> MOOD_BITS;
export const moodOf = (g: StateGraph, s: number): number => (g.keys[2 * s] as number) & MOOD_MASK;
export const flagSetOf = (g: StateGraph, s: number): number => g.keys[2 * s + 1] as number;

export type EdgeClasses = Uint16Array | Int32Array;

/** A growable list of edge classes: 16 bits each while the classes fit, else 32. */
class ClassList {
  data: EdgeClasses;
  length = 0;
  constructor(capacity: number, classes: number) {
    this.data = classes <= 0xffff ? new Uint16Array(capacity) : new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const size = Math.ceil(this.data.length * 1.5);
      const next = this.data instanceof Uint16Array ? new Uint16Array(size) : new Int32Array(size);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): EdgeClasses {
    return this.data.subarray(0, this.length);
  }
}

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The list at its length (a view: no copy, which at 20 million edges would double the peak memory). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Many small hash tables, one per index (a node, a choice), from a key (a number of 31 bits) to a
 * value: the walk uses a few dozen at a time, which stay in the processor's cache where one table
 * of everything would not. A slot holds two numbers, the key and the value + 1 (0: an empty slot);
 * a table is kept at most 70% full and doubles, placing only its own keys again, when it is not.
 * The tables are cut from a few large blocks and a table let go is used again by the next that
 * grows to its size, so that their memory is a few blocks, returned whole once the walk is done
 * (thousands of small arrays freed one by one stay with the process).
 */
class Tables {
  private readonly tables: Int32Array[];
  private readonly used: Int32Array;
  private blocks: Int32Array[] = [];
  private room = 0;
  /** Tables let go, by the log2 of their length. */
  private spare: Int32Array[][] = [];
  constructor(count: number) {
    this.tables = Array.from({ length: count }, () => EMPTY_TABLE);
    this.used = new Int32Array(count);
  }
  /** A table of `length` numbers, all 0. */
  private take(length: number): Int32Array {
    const sized = this.spare[Math.log2(length)];
    const again = sized?.pop();
    if (again) return again.fill(0);
    if (length > BLOCK) return new Int32Array(length);
    if (this.room < length) {
      this.blocks.push(new Int32Array(BLOCK));
      this.room = BLOCK;
    }
    const block = this.blocks[this.blocks.length - 1] as Int32Array;
    this.room -= length;
    return block.subarray(this.room, this.room + length);
  }
  private give(table: Int32Array): void {
    if (table === EMPTY_TABLE) return;
    const k = Math.log2(table.length);
    (this.spare[k] ??= []).push(table);
  }
  /** The value of `key` in table `i`, or -1. */
  get(i: number, key: number): number {
    const table = this.tables[i] as Int32Array;
    const mask = (table.length >>> 1) - 1;
    for (let h = slotOf(key, mask); ; h = (h + 1) & mask) {
      const v = table[2 * h + 1] as number;
      if (v === 0) return -1;
      if (table[2 * h] === key) return v - 1;
    }
  }
  /** Stores a key that table `i` does not hold. */
  add(i: number, key: number, value: number): void {
    let table = this.tables[i] as Int32Array;
    const used = (this.used[i] as number) + 1;
    this.used[i] = used;
    if (used * 10 > (table.length >>> 1) * 7) table = this.grow(i);
    const mask = (table.length >>> 1) - 1;
    let h = slotOf(key, mask);
    while (table[2 * h + 1] !== 0) h = (h + 1) & mask;
    table[2 * h] = key;
    table[2 * h + 1] = value + 1;
  }
  /** Lets every table go. */
  clear(): void {
    this.tables.fill(EMPTY_TABLE);
    this.blocks = [];
    this.spare = [];
  }
  private grow(i: number): Int32Array {
    const old = this.tables[i] as Int32Array;
    const slots = old === EMPTY_TABLE ? FIRST_SLOTS : old.length; // twice the slots: two numbers a slot
    const next = this.take(2 * slots);
    const mask = slots - 1;
    for (let h = 0; h < old.length; h += 2) {
      const v = old[h + 1] as number;
      if (v === 0) continue;
      const key = old[h] as number;
      let at = slotOf(key, mask);
      while (next[2 * at + 1] !== 0) at = (at + 1) & mask;
      next[2 * at] = key;
      next[2 * at + 1] = v;
    }
    this.give(old);
    this.tables[i] = next;
    return next;
  }
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
  /** Words of 32 flags in a flag set's mask. */
  const words = Math.max(1, Math.ceil(testedList.length / 32));

  // Conditions, compiled to flat arrays: condition k tests masks need[k*words…] and not[k*words…].
  const condNeed = new IntList(64 * words);
  const condNot = new IntList(64 * words);
  const condMoodMin: number[] = [];
  const condMoodMax: number[] = [];
  const condFlags: boolean[] = [];
  /** -1: always holds. */
  const compile = (when: Condition | undefined): number => {
    if (!when || (!when.flags?.length && !when.notFlags?.length && when.moodMin === undefined && when.moodMax === undefined)) return -1;
    const need = new Int32Array(words);
    const not = new Int32Array(words);
    for (const f of when.flags ?? []) {
      const i = flagAt.get(f) as number;
      need[i >>> 5] = (need[i >>> 5] as number) | (1 << (i & 31));
    }
    for (const f of when.notFlags ?? []) {
      const i = flagAt.get(f) as number;
      not[i >>> 5] = (not[i >>> 5] as number) | (1 << (i & 31));
    }
    for (let w = 0; w < words; w++) {
      condNeed.push(need[w] as number);
      condNot.push(not[w] as number);
    }
    condMoodMin.push(when.moodMin ?? -1);
    condMoodMax.push(when.moodMax ?? 101);
    condFlags.push((when.flags?.length ?? 0) + (when.notFlags?.length ?? 0) > 0);
    return condMoodMin.length - 1;
  };
  // kind per node index: 0 caller, 1 decision, 2 ending; missing ids are added later (kind 3).
  const nodeKind: number[] = byIndex.map((n) => (n.kind === 'caller' ? 0 : n.kind === 'decision' ? 1 : 2));
  const outcomes: Array<string | undefined> = byIndex.map((n) => (n.kind === 'ending' ? n.outcome : undefined));
  const branchConds: number[][] = byIndex.map((n) => (n.kind === 'caller' ? (n.branches ?? []).map((b) => compile(b.when)) : []));
  const branchNext: number[][] = byIndex.map((n) => (n.kind === 'caller' ? (n.branches ?? []).map((b) => indexOf(b.next)) : []));
  const callerNext: number[] = byIndex.map((n) => (n.kind === 'caller' && n.next !== undefined ? indexOf(n.next) : -1));
  const choices: StateGraph['choices'] = [];
  const choiceFirstList: number[] = [];
  const choiceCondList: number[] = [];
  const choiceMoodList: number[] = [];
  const choiceNextList: number[] = [];
  const choiceSet: Int32Array[] = [];
  const choiceUnset: Int32Array[] = [];
  const silenceNextList: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    choiceFirstList.push(choices.length);
    const n = byIndex[i]!;
    silenceNextList.push(n.kind === 'decision' ? (n.silenceNext !== undefined ? indexOf(n.silenceNext) : i) : -1);
    if (n.kind !== 'decision') continue;
    for (const c of n.choices) {
      choices.push(c);
      choiceCondList.push(compile(c.when));
      choiceMoodList.push(c.mood ?? 0);
      choiceNextList.push(indexOf(c.next));
      // Set and unset, restricted to the tested flags (the others cannot change the future).
      choiceSet.push(Int32Array.from((c.set ?? []).flatMap((f) => (flagAt.has(f) ? [flagAt.get(f)!] : []))));
      choiceUnset.push(Int32Array.from((c.unset ?? []).flatMap((f) => (flagAt.has(f) ? [flagAt.get(f)!] : []))));
    }
  }
  choiceFirstList.push(choices.length);
  if (ids.length > MAX_NODE_INDEX) throw new Error(`a scenario of ${ids.length} nodes is more than the analysis can index`);
  const choiceFirst = Int32Array.from(choiceFirstList);
  const choiceCond = Int32Array.from(choiceCondList);
  const choiceMood = Int32Array.from(choiceMoodList);
  const choiceNext = Int32Array.from(choiceNextList);
  const choiceChanges = Uint8Array.from(choices.map((_, c) => ((choiceSet[c] as Int32Array).length + (choiceUnset[c] as Int32Array).length > 0 ? 1 : 0)));
  const silenceNext = Int32Array.from(silenceNextList);
  const need = condNeed.data;
  const not = condNot.data;
  const moodMin = Int32Array.from(condMoodMin);
  const moodMax = Int32Array.from(condMoodMax);
  /** Per condition: the one word of the flag masks its flags fall in (need1, not1), -1 for several, -2 for none. */
  const condWord = Int32Array.from(condFlags, (tests, k) => {
    if (!tests) return -2;
    let word = -1;
    for (let w = 0; w < words; w++) {
      if ((need[k * words + w] as number) === 0 && (not[k * words + w] as number) === 0) continue;
      if (word >= 0) return -1;
      word = w;
    }
    return word;
  });
  const need1 = Int32Array.from(condWord, (w, k) => (w >= 0 ? (need[k * words + w] as number) : 0));
  const not1 = Int32Array.from(condWord, (w, k) => (w >= 0 ? (not[k * words + w] as number) : 0));
  const limit = scenario.caller.moodLimit;
  const onLimit = indexOf(scenario.caller.onMoodLimit);
  const start = indexOf(scenario.start);
  const silenceMood = silenceEffect(scenario).mood;
  const silenceClass = choices.length;
  // Caller nodes' branches, flat: branches of node i are branchFirst[i] … branchFirst[i + 1] - 1.
  const branchFirst = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) branchFirst[i + 1] = (branchFirst[i] as number) + (branchConds[i] as number[]).length;
  const branchCond = Int32Array.from(branchConds.flat());
  const branchTo = Int32Array.from(branchNext.flat());
  const callerTo = Int32Array.from(callerNext);
  /** Kind per node index, missing ids (3) included once the compile is done. */
  const kindAt = Int32Array.from({ length: ids.length }, (_, i) => (i < nodeCount ? (nodeKind[i] as number) : 3));

  // ---- interned flag sets: set s's mask is masks[s*words … s*words + words - 1] ----
  // What a choice does to a mask, word by word: (mask | choiceOr) & choiceAnd (a flag both set and
  // unset ends unset, as in the call logic).
  const choiceOr = new Int32Array(choices.length * words);
  const choiceAnd = new Int32Array(choices.length * words).fill(-1);
  for (let c = 0; c < choices.length; c++) {
    for (const f of choiceSet[c] as Int32Array) choiceOr[c * words + (f >>> 5)]! |= 1 << (f & 31);
    for (const f of choiceUnset[c] as Int32Array) choiceAnd[c * words + (f >>> 5)]! &= ~(1 << (f & 31));
  }
  const flagSets: string[][] = [[]];
  let masks = new Int32Array(words * 64);
  /** The flag sets by mask: an open-addressing table of set id + 1 (0: empty), at most half full. */
  let setSlots = new Int32Array(64);
  const maskSlot = (at: Int32Array, base: number, mask: number): number => {
    let h = 0x9e3779b9;
    for (let w = 0; w < words; w++) h = Math.imul(h ^ (at[base + w] as number), 0x85ebca6b) ^ (h >>> 13);
    return slotOf(h & 0x7fffffff, mask);
  };
  const placeSet = (id: number): void => {
    const mask = setSlots.length - 1;
    let h = maskSlot(masks, id * words, mask);
    while (setSlots[h] !== 0) h = (h + 1) & mask;
    setSlots[h] = id + 1;
  };
  placeSet(0);
  const scratchMask = new Int32Array(words);
  /** Known transitions set → set, one table per choice. */
  const moves = new Tables(choices.length);
  /** The flag set a choice leads to from set `s`. */
  const nextSet = (s: number, c: number): number => {
    if (choiceChanges[c] === 0) return s;
    const known = moves.get(c, s);
    if (known >= 0) return known;
    const m = scratchMask;
    for (let w = 0; w < words; w++) m[w] = ((masks[s * words + w] as number) | (choiceOr[c * words + w] as number)) & (choiceAnd[c * words + w] as number);
    const mask = setSlots.length - 1;
    let h = maskSlot(m, 0, mask);
    let id = -1;
    for (; setSlots[h] !== 0; h = (h + 1) & mask) {
      const candidate = (setSlots[h] as number) - 1;
      let w = 0;
      while (w < words && masks[candidate * words + w] === m[w]) w++;
      if (w === words) {
        id = candidate;
        break;
      }
    }
    if (id < 0) {
      id = flagSets.length;
      flagSets.push(flagsOf(testedList, m));
      if ((id + 1) * words > masks.length) {
        const grown = new Int32Array(masks.length * 2);
        grown.set(masks);
        masks = grown;
      }
      masks.set(m, id * words);
      if (2 * flagSets.length > setSlots.length) {
        setSlots = new Int32Array(setSlots.length * 2);
        for (let t = 0; t < flagSets.length; t++) placeSet(t);
      } else setSlots[h] = id + 1;
    }
    moves.add(c, s, id);
    return id;
  };
  const holds = (k: number, mood: number, s: number): boolean => {
    if (k < 0) return true;
    if (mood < (moodMin[k] as number) || mood > (moodMax[k] as number)) return false;
    const w = condWord[k] as number;
    if (w === -2) return true;
    if (w >= 0) {
      const m = masks[s * words + w] as number;
      const n = need1[k] as number;
      return (m & n) === n && (m & (not1[k] as number)) === 0;
    }
    for (let w = 0, base = k * words, set = s * words; w < words; w++) {
      const m = masks[set + w] as number;
      const n = need[base + w] as number;
      if ((m & n) !== n || (m & (not[base + w] as number)) !== 0) return false;
    }
    return true;
  };

  // ---- states ----
  // One look-up table per node: the states at a node, by flag set and mood packed in one number
  // (`set << 7 | mood`). States near one another in the walk are at a few dozen nodes, whose tables
  // stay in the processor's cache where one table of every state would not. The state arrays grow
  // by half, so that a copy made while growing stays small.
  let capacity = 1 << 12;
  let keys = new Int32Array(capacity * 2);
  let stateKind = new Uint8Array(capacity);
  let count = 0;
  const tables = new Tables(ids.length);
  const grow = () => {
    capacity = Math.ceil(capacity * 1.5);
    const k = new Int32Array(capacity * 2);
    k.set(keys);
    keys = k;
    const kinds = new Uint8Array(capacity);
    kinds.set(stateKind);
    stateKind = kinds;
  };
  const intern = (node: number, mood: number, set: number, kind: number): number => {
    const key = (set << MOOD_BITS) | mood;
    const known = tables.get(node, key);
    if (known >= 0) return known;
    const id = count++;
    if (id === capacity) grow();
    keys[2 * id] = (node << MOOD_BITS) | mood;
    keys[2 * id + 1] = set;
    stateKind[id] = kind;
    tables.add(node, key, id);
    return id;
  };

  // ---- what the walk reached ----
  const reached = new Uint8Array(nodeCount);
  const branchTaken = new Uint8Array(branchFirst[nodeCount] as number);
  const nextTaken = new Uint8Array(nodeCount);
  const broken = new Set<number>();
  const offered = new Uint8Array(choices.length);
  const empty = new Uint8Array(nodeCount);

  /** Moves into a node, following caller nodes, and returns the state the call stops in. */
  const arrive = (mood: number, set: number, to: number): number => {
    let id = to;
    let last = to;
    for (let guard = 0; guard < MAX_AUTO_STEPS; guard++) {
      last = id;
      const kind = kindAt[id] as number;
      if (kind === 3) break;
      reached[id] = 1;
      if (kind !== 0) return intern(id, mood, set, kind === 1 ? STATE_DECISION : STATE_ENDING);
      let next = -1;
      let b = branchFirst[id] as number;
      for (const end = branchFirst[id + 1] as number; b < end; b++) {
        if (holds(branchCond[b] as number, mood, set)) {
          branchTaken[b] = 1;
          next = branchTo[b] as number;
          break;
        }
      }
      if (next < 0) {
        nextTaken[id] = 1;
        next = callerTo[id] as number;
      }
      if (next < 0) break; // a caller node with nowhere to go: broken here
      id = next;
    }
    broken.add(last);
    return intern(last, mood, set, STATE_BROKEN);
  };

  const roots = options.rootMoods.map((mood) => arrive(mood, 0, start));
  // States are expanded in id order (the order they were found: breadth first); each state's edges
  // follow the previous state's.
  let edgeStart = new Int32Array(capacity + 1);
  const edgeTo = new IntList(1 << 14);
  const edgeClass = new ClassList(1 << 14, choices.length + 1);
  const expandable = Math.min(options.stateLimit, 0x7fffffff);
  let s = 0;
  // A state expanded makes at most one new flag set a choice: stop before they outgrow the packing.
  let widest = 0;
  for (let i = 0; i < nodeCount; i++) widest = Math.max(widest, (choiceFirst[i + 1] as number) - (choiceFirst[i] as number));
  for (; s < count && s < expandable && flagSets.length + widest < MAX_FLAG_SETS; s++) {
    if (s >= edgeStart.length - 1) {
      const grown = new Int32Array(capacity + 1);
      grown.set(edgeStart);
      edgeStart = grown;
    }
    edgeStart[s] = edgeTo.length;
    if (stateKind[s] !== STATE_DECISION) continue;
    const nm = keys[2 * s] as number;
    const node = nm >>> MOOD_BITS;
    const mood = nm & MOOD_MASK;
    const set = keys[2 * s + 1] as number;
    let any = false;
    for (let c = choiceFirst[node] as number, end = choiceFirst[node + 1] as number; c < end; c++) {
      if (!holds(choiceCond[c] as number, mood, set)) continue;
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
  tables.clear(); // the look-up tables are not needed any more: let them go before the solver allocates
  moves.clear();
  let complete = true;
  for (let t = s; t < count; t++) if (stateKind[t] === STATE_DECISION) complete = false;
  if (edgeStart.length < count + 1) {
    const grown = new Int32Array(count + 1);
    grown.set(edgeStart.subarray(0, s));
    edgeStart = grown;
  }
  for (; s <= count; s++) edgeStart[s] = edgeTo.length;

  const reachableNodes = new Set<string>();
  reached.forEach((r, i) => r && reachableNodes.add(ids[i] as string));
  const takenBranches = new Set<string>();
  for (let i = 0; i < nodeCount; i++) {
    for (let b = branchFirst[i] as number; b < (branchFirst[i + 1] as number); b++) if (branchTaken[b]) takenBranches.add(`${ids[i]}#${b - (branchFirst[i] as number)}`);
    if (nextTaken[i]) takenBranches.add(`${ids[i]}#next`);
  }
  const offeredChoiceIds = new Set<string>();
  offered.forEach((o, c) => o && offeredChoiceIds.add((choices[c] as { id: string }).id));
  const emptyDecisions = new Set<string>();
  empty.forEach((e, i) => e && emptyDecisions.add(ids[i] as string));
  const brokenNodes = new Set<string>([...broken].map((i) => ids[i] as string));
  return {
    count,
    keys: keys.subarray(0, 2 * count),
    kind: stateKind.subarray(0, count),
    edgeStart: edgeStart.subarray(0, count + 1),
    edgeTo: edgeTo.view(),
    edgeClass: edgeClass.view(),
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

/**
 * The flags of a mask. (Not a closure inside the walk: a closure over a local makes every call of
 * the function that holds it allocate a context, millions of them.)
 */
function flagsOf(tested: readonly string[], mask: Int32Array): string[] {
  const flags: string[] = [];
  for (let f = 0; f < tested.length; f++) if (((mask[f >>> 5] as number) & (1 << (f & 31))) !== 0) flags.push(tested[f] as string);
  return flags;
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
  const { count, keys } = g;
  const seen = new Uint8Array(g.ids.length << MOOD_BITS);
  const nodes = new Uint8Array(g.ids.length);
  let pairs = 0;
  const perSet = new Float64Array(g.flagSets.length);
  for (let s = 0; s < count; s++) {
    const nm = keys[2 * s] as number;
    nodes[nm >>> MOOD_BITS] = 1;
    if (!seen[nm]) {
      seen[nm] = 1;
      pairs++;
    }
    perSet[keys[2 * s + 1] as number]! += 1;
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
