/**
 * Best values to an ending in a call's state graph, all in one depth-first pass: the most points
 * per dimension any play can still earn from each state, the model call's weighted worth, and
 * whether the agent's choices alone can still end the call (traps).
 *
 * The pass is Tarjan's strongly connected components (Pearce's variant: one index per state). When
 * the walk meets an edge into a state whose component is already complete, that state's values are
 * final, so the edge is folded into the values straight away; an edge into a state still open is an
 * edge inside a component. When a component completes, its states have seen every edge that leaves
 * it, and only a component with edges inside it (a loop) needs more: there a queue-based relaxation
 * (longest-path Bellman–Ford) over its inner edges runs until nothing improves, so the values do not
 * depend on the order in which states were found (a component of two states, the usual loop of a
 * call, is settled directly: see `settlePair`). A loop whose points add up to more than zero makes
 * a longest path endless; it is found (a best path with more inner edges than the component has
 * states repeats one) and returned instead. Nothing is kept per edge beyond the graph itself.
 */
import { STATE_DECISION, STATE_ENDING, type EdgeClasses } from './state-graph';

/** No ending reachable (for the model's worth). */
export const NONE = Number.NEGATIVE_INFINITY;
/** No ending reachable (for the integer points of a dimension). */
export const NO_POINTS = -0x80000000;
export const EPSILON = 1e-9;

export interface SolveInput {
  count: number;
  kind: Uint8Array;
  edgeStart: Int32Array;
  edgeTo: Int32Array;
  edgeClass: EdgeClasses;
  /** Per state: 1 for an ending the model call may end in. */
  passable: Uint8Array;
  /** Integer points of each class, per dimension: points[d * classes + c]. */
  points: Int32Array;
  dimensions: number;
  /** The model's worth of each class, and whether the model call may take it. */
  worth: Float64Array;
  usable: Uint8Array;
  /** Classes that count as the agent's moves for the trap check (every class but silence). */
  moves: Uint8Array;
}

export interface Solved {
  /** The most points still to earn in dimension d from state s: values[s * dimensions + d] (NO_POINTS: no ending). */
  values: Int32Array;
  /** Per dimension: the edges round a loop that gains each time, or null (the dimension's values are then not final). */
  loops: Array<number[] | null>;
  /** The best weighted worth still to earn on usable edges to a passable ending (NONE: none). */
  model: Float64Array;
  /** Whether the model's relaxation met a loop that gains (only possible when a dimension has one). */
  modelLoop: boolean;
  /** 1 where the agent's choices can still reach an ending. */
  canEnd: Uint8Array;
  /**
   * A number per state, 0 or more, free for the caller's own ends once the values are solved (the
   * walk's component numbers): an array the size of the states not allocated again.
   */
  free: Int32Array;
}

/** A growable Int32Array used as a stack. */
class Stack {
  data = new Int32Array(1024);
  top = 0;
  push(v: number): void {
    if (this.top === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.top++] = v;
  }
}

const OPEN = 1;
const DONE = 2;
const ROOT = 4;
const INNER = 8;

export function solve(input: SolveInput): Solved {
  const { count, kind, edgeStart, edgeTo, edgeClass, passable, points, dimensions: D, worth, usable, moves } = input;
  const classes = usable.length;
  const values = new Int32Array(count * D).fill(NO_POINTS);
  const model = new Float64Array(count).fill(NONE);
  const canEnd = new Uint8Array(count);
  const loops: Array<number[] | null> = new Array<number[] | null>(D).fill(null);
  let modelLoop = false;
  // Pearce: rindex is the visiting order while a state is open, then its component's number.
  const rindex = new Int32Array(count);
  const mark = new Uint8Array(count);
  const callState = new Stack();
  const callEdge = new Stack();
  const open = new Stack();
  let index = 1;
  let component = count - 1;
  // Per-component scratch, grown to the largest component with inner edges.
  const scratch = new Scratch();
  let members = new Int32Array(16);
  const pair = new PairScratch(D);

  /** Sets a state's values when it is first visited: an ending's are 0, a broken state's none. */
  const begin = (s: number) => {
    mark[s] = OPEN | ROOT;
    rindex[s] = index++;
    const k = kind[s] as number;
    if (k === STATE_DECISION) return;
    if (k === STATE_ENDING) {
      values.fill(0, s * D, s * D + D);
      canEnd[s] = 1;
    }
    if (passable[s] === 1) model[s] = 0;
  };
  /** Folds an edge into a complete component into the values of the state it leaves. */
  const fold = (s: number, t: number, c: number) => {
    const base = s * D;
    const from = t * D;
    for (let d = 0; d < D; d++) {
      const rest = values[from + d] as number;
      if (rest === NO_POINTS) continue;
      const candidate = (points[d * classes + c] as number) + rest;
      if (candidate > (values[base + d] as number)) values[base + d] = candidate;
    }
    if (usable[c] === 1) {
      const rest = model[t] as number;
      if (rest !== NONE) {
        const candidate = (worth[c] as number) + rest;
        if (candidate > (model[s] as number) + EPSILON) model[s] = candidate;
      }
    }
    if (moves[c] === 1 && canEnd[t] === 1) canEnd[s] = 1;
  };

  for (let startAt = 0; startAt < count; startAt++) {
    if (mark[startAt] !== 0) continue;
    begin(startAt);
    callState.push(startAt);
    callEdge.push(edgeStart[startAt] as number);
    while (callState.top > 0) {
      const v = callState.data[callState.top - 1] as number;
      const e = callEdge.data[callEdge.top - 1] as number;
      if (e < (edgeStart[v + 1] as number)) {
        const w = edgeTo[e] as number;
        if (mark[w] === 0) {
          // Visit w first; this edge is taken up again when the walk comes back.
          begin(w);
          callState.push(w);
          callEdge.push(edgeStart[w] as number);
          continue;
        }
        callEdge.data[callEdge.top - 1] = e + 1;
        if ((mark[w] as number) & DONE) fold(v, w, edgeClass[e] as number);
        else {
          mark[v] = (mark[v] as number) | INNER;
          if ((rindex[w] as number) < (rindex[v] as number)) {
            rindex[v] = rindex[w] as number;
            mark[v] = (mark[v] as number) & ~ROOT;
          }
        }
        continue;
      }
      // v is finished: it joins the open stack, or closes its component.
      callState.top--;
      callEdge.top--;
      if (((mark[v] as number) & ROOT) === 0) {
        open.push(v);
        continue;
      }
      index--;
      let size = 0;
      let inner = ((mark[v] as number) & INNER) !== 0;
      while (open.top > 0 && (rindex[v] as number) <= (rindex[open.data[open.top - 1] as number] as number)) {
        const w = open.data[--open.top] as number;
        rindex[w] = component;
        mark[w] = DONE;
        index--;
        if (size === members.length) {
          const grown = new Int32Array(members.length * 2);
          grown.set(members);
          members = grown;
        }
        members[size++] = w;
        inner = true;
      }
      rindex[v] = component;
      mark[v] = DONE;
      if (size === members.length) {
        const grown = new Int32Array(members.length * 2);
        grown.set(members);
        members = grown;
      }
      members[size++] = v;
      // Most loops of a call are two states (one choice there, another back): those are settled
      // directly where they can be; the others, and any loop that gains, are relaxed.
      if (inner && !(size === 2 && settlePair(input, members[0] as number, members[1] as number, pair, values, model, canEnd, loops)) && relaxComponent(input, members, size, rindex, scratch, values, model, canEnd, loops)) modelLoop = true;
      component--;
      // Back in the state that called v: the edge to v is folded now that v's component is done.
      if (callState.top > 0) {
        const u = callState.data[callState.top - 1] as number;
        const ue = callEdge.data[callEdge.top - 1] as number;
        callEdge.data[callEdge.top - 1] = ue + 1;
        fold(u, v, edgeClass[ue] as number);
      }
    }
  }
  return { values, loops, model, modelLoop, canEnd, free: rindex };
}

/** The classes of the inner edges of a two-state component, each way, in edge order; the new values. */
class PairScratch {
  ab: Int32Array<ArrayBuffer> = new Int32Array(8);
  ba: Int32Array<ArrayBuffer> = new Int32Array(8);
  next: Float64Array;
  constructor(dimensions: number) {
    this.next = new Float64Array(2 * (dimensions + 1));
  }
}

/**
 * A component of two states, a and b, with inner edges: where no loop through them gains, the
 * relaxation of `relaxInner` ends after one of them takes the best inner edge to the other (a path
 * round the loop and back gains nothing), so their values are found directly, in the same order of
 * edges and with the same tolerance as there. Returns false, having changed nothing, where this does
 * not hold (an edge from a state to itself, or both improving, or a second improvement: a loop that
 * gains), for `relaxComponent` to do. The edges each way are read once, their classes kept in order.
 */
function settlePair(input: SolveInput, a: number, b: number, scratch: PairScratch, values: Int32Array, model: Float64Array, canEnd: Uint8Array, loops: Array<number[] | null>): boolean {
  const { edgeStart, edgeTo, edgeClass, dimensions: D, moves } = input;
  let ab = scratch.ab;
  let ba = scratch.ba;
  let nab = 0;
  let nba = 0;
  for (let e = edgeStart[a] as number, end = edgeStart[a + 1] as number; e < end; e++) {
    const t = edgeTo[e] as number;
    if (t === a) return false;
    if (t !== b) continue;
    if (nab === ab.length) ab = scratch.ab = grown(ab);
    ab[nab++] = edgeClass[e] as number;
  }
  for (let e = edgeStart[b] as number, end = edgeStart[b + 1] as number; e < end; e++) {
    const t = edgeTo[e] as number;
    if (t === b) return false;
    if (t !== a) continue;
    if (nba === ba.length) ba = scratch.ba = grown(ba);
    ba[nba++] = edgeClass[e] as number;
  }
  const next = scratch.next;
  for (let d = 0; d <= D; d++) {
    const isModel = d === D;
    const none = isModel ? NONE : NO_POINTS;
    const va = isModel ? (model[a] as number) : (values[a * D + d] as number);
    const vb = isModel ? (model[b] as number) : (values[b * D + d] as number);
    let na = va;
    let nb = vb;
    if (isModel || loops[d] === null) {
      if (vb !== none) na = improve(input, d, ab, nab, va, vb);
      if (va !== none) nb = improve(input, d, ba, nba, vb, va);
      if (na !== va && nb !== vb) return false;
      // The state that improved must not improve the other in turn (a loop that gains).
      if (na !== va && improve(input, d, ba, nba, vb, na) !== vb) return false;
      if (nb !== vb && improve(input, d, ab, nab, va, nb) !== va) return false;
    }
    next[2 * d] = na;
    next[2 * d + 1] = nb;
  }
  for (let d = 0; d < D; d++) {
    values[a * D + d] = next[2 * d] as number;
    values[b * D + d] = next[2 * d + 1] as number;
  }
  model[a] = next[2 * D] as number;
  model[b] = next[2 * D + 1] as number;
  // Traps: one that can end lets the other end too, by an agent's move to it.
  if (canEnd[a] === 1 && canEnd[b] === 0) canEnd[b] = anyMove(moves, ba, nba);
  else if (canEnd[b] === 1 && canEnd[a] === 0) canEnd[a] = anyMove(moves, ab, nab);
  return true;
}

function grown(list: Int32Array): Int32Array<ArrayBuffer> {
  const next = new Int32Array(list.length * 2);
  next.set(list);
  return next;
}

/** 1 where one of the first n classes is an agent's move. */
function anyMove(moves: Uint8Array, classes: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) if (moves[classes[i] as number] === 1) return 1;
  return 0;
}

/** A state's value in dimension d (D: the model's worth) after its inner edges of the first n classes (in edge order) to a state whose value is `rest`. */
function improve(input: SolveInput, d: number, classes: Int32Array, n: number, value: number, rest: number): number {
  const { points, dimensions: D, worth, usable } = input;
  const count = usable.length;
  for (let i = 0; i < n; i++) {
    const c = classes[i] as number;
    if (d === D) {
      if (usable[c] !== 1) continue;
      const candidate = (worth[c] as number) + rest;
      if (candidate > value + EPSILON) value = candidate;
    } else {
      const candidate = (points[d * count + c] as number) + rest;
      if (candidate > value) value = candidate;
    }
  }
  return value;
}

/** Arrays for relaxing one component, grown to the largest met and reused. */
class Scratch {
  size = 0;
  edges = 0;
  intoFirst = new Int32Array(0);
  fill = new Int32Array(0);
  via = new Int32Array(0);
  length = new Int32Array(0);
  inQueue = new Uint8Array(0);
  work = new Int32Array(0);
  byTarget = new Int32Array(0);
  fromLocal = new Int32Array(0);
  forStates(size: number): void {
    if (size + 1 <= this.intoFirst.length) return;
    const n = Math.max(size + 1, this.intoFirst.length * 2, 64);
    this.intoFirst = new Int32Array(n);
    this.fill = new Int32Array(n);
    this.via = new Int32Array(n);
    this.length = new Int32Array(n);
    this.inQueue = new Uint8Array(n);
    this.work = new Int32Array(n + 1);
  }
  forEdges(edges: number): void {
    if (edges <= this.byTarget.length) return;
    const n = Math.max(edges, this.byTarget.length * 2, 64);
    this.byTarget = new Int32Array(n);
    this.fromLocal = new Int32Array(n);
  }
}

/**
 * A component with inner edges: each state has its values through the edges that leave it; now the
 * values rise along inner edges until nothing improves. While it runs, a member's `rindex` holds
 * -1 - its place among the members (every other state's is 0 or more). Returns whether the model's
 * worth met a gaining loop.
 */
function relaxComponent(input: SolveInput, members: Int32Array, size: number, rindex: Int32Array, scratch: Scratch, values: Int32Array, model: Float64Array, canEnd: Uint8Array, loops: Array<number[] | null>): boolean {
  const component = rindex[members[0] as number] as number;
  try {
    for (let i = 0; i < size; i++) rindex[members[i] as number] = -1 - i;
    return relaxInner(input, members, size, rindex, scratch, values, model, canEnd, loops);
  } finally {
    for (let i = 0; i < size; i++) rindex[members[i] as number] = component;
  }
}

function relaxInner(input: SolveInput, members: Int32Array, size: number, rindex: Int32Array, scratch: Scratch, values: Int32Array, model: Float64Array, canEnd: Uint8Array, loops: Array<number[] | null>): boolean {
  const { edgeStart, edgeTo, edgeClass, points, dimensions: D, worth, usable, moves } = input;
  const classes = usable.length;
  scratch.forStates(size);
  // The inner edges, grouped by the state they lead to (local numbering).
  const { intoFirst, fill, via, length, inQueue, work } = scratch;
  // Most components are a few states: plain loops, not fill(), which costs more per call than they do.
  for (let i = 0; i <= size; i++) intoFirst[i] = 0;
  let innerEdges = 0;
  for (let i = 0; i < size; i++) {
    const s = members[i] as number;
    for (let e = edgeStart[s] as number, end = edgeStart[s + 1] as number; e < end; e++) {
      const t = rindex[edgeTo[e] as number] as number;
      if (t >= 0) continue;
      innerEdges++;
      intoFirst[-t]!++;
    }
  }
  for (let i = 0; i < size; i++) intoFirst[i + 1]! += intoFirst[i] as number;
  for (let i = 0; i < size; i++) fill[i] = intoFirst[i] as number;
  scratch.forEdges(innerEdges);
  const { byTarget, fromLocal } = scratch;
  for (let i = 0; i < size; i++) {
    const s = members[i] as number;
    for (let e = edgeStart[s] as number, end = edgeStart[s + 1] as number; e < end; e++) {
      const t = rindex[edgeTo[e] as number] as number;
      if (t >= 0) continue;
      const at = fill[-1 - t]!++;
      byTarget[at] = e;
      fromLocal[at] = i;
    }
  }
  const ring = size + 1;
  for (let i = 0; i < size; i++) inQueue[i] = 0;
  let modelLoop = false;

  // Points per dimension (integers), then the model's worth (within EPSILON).
  for (let d = 0; d <= D; d++) {
    const isModel = d === D;
    if (!isModel && loops[d] !== null) continue;
    for (let i = 0; i < size; i++) {
      via[i] = -1;
      length[i] = 0;
    }
    let head = 0;
    let tail = 0;
    for (let i = 0; i < size; i++) {
      const s = members[i] as number;
      if (isModel ? model[s] === NONE : values[s * D + d] === NO_POINTS) continue;
      work[tail] = i;
      tail = (tail + 1) % ring;
      inQueue[i] = 1;
    }
    while (head !== tail) {
      const ti = work[head] as number;
      head = (head + 1) % ring;
      inQueue[ti] = 0;
      const t = members[ti] as number;
      const rest = isModel ? (model[t] as number) : (values[t * D + d] as number);
      for (let k = intoFirst[ti] as number, end = intoFirst[ti + 1] as number; k < end; k++) {
        const e = byTarget[k] as number;
        const c = edgeClass[e] as number;
        const si = fromLocal[k] as number;
        const s = members[si] as number;
        if (isModel) {
          if (usable[c] !== 1) continue;
          const candidate = (worth[c] as number) + rest;
          if (candidate <= (model[s] as number) + EPSILON) continue;
          model[s] = candidate;
        } else {
          const candidate = (points[d * classes + c] as number) + rest;
          if (candidate <= (values[s * D + d] as number)) continue;
          values[s * D + d] = candidate;
        }
        via[si] = e;
        length[si] = (length[ti] as number) + 1;
        // A best path with as many edges inside the component as it has states repeats a state.
        if ((length[si] as number) >= size) {
          if (isModel) modelLoop = true;
          else loops[d] = traceLoop(edgeTo, rindex, via, si, size);
          head = tail;
          break;
        }
        if (inQueue[si] === 0) {
          inQueue[si] = 1;
          work[tail] = si;
          tail = (tail + 1) % ring;
        }
      }
    }
    for (let i = 0; i < size; i++) inQueue[i] = 0;
  }

  // Traps: states of the component that reach one that can end, by the agent's moves inside it.
  let top = 0;
  for (let i = 0; i < size; i++) if (canEnd[members[i] as number] === 1) work[top++] = i;
  while (top > 0) {
    const ti = work[--top] as number;
    for (let k = intoFirst[ti] as number, end = intoFirst[ti + 1] as number; k < end; k++) {
      if (moves[edgeClass[byTarget[k] as number] as number] !== 1) continue;
      const si = fromLocal[k] as number;
      const s = members[si] as number;
      if (canEnd[s] === 1) continue;
      canEnd[s] = 1;
      work[top++] = si;
    }
  }
  return modelLoop;
}

/**
 * The loop: from a state whose best path kept improving, walk the best edges as many steps as the
 * component has states (which lands on the loop), then once round it.
 */
function traceLoop(edgeTo: Int32Array, rindex: Int32Array, via: Int32Array, start: number, size: number): number[] {
  const local = (s: number) => -1 - (rindex[s] as number);
  let at = start;
  for (let i = 0; i < size && via[at] !== -1; i++) at = local(edgeTo[via[at] as number] as number);
  const path: number[] = [];
  const first = at;
  for (let i = 0; i <= size && via[at] !== -1; i++) {
    const e = via[at] as number;
    path.push(e);
    at = local(edgeTo[e] as number);
    if (at === first) return path;
  }
  return path;
}
