/**
 * Longest paths to an ending in a call's state graph, held as flat arrays (edges grouped by the
 * state they leave). A loop whose points add up to more than zero makes a longest path endless; it
 * is found and returned instead. Strongly connected components are solved sinks first; inside a
 * component a queue-based relaxation (longest-path Bellman–Ford) runs until nothing improves, so the
 * values do not depend on the order in which states were found.
 */

export const NONE = Number.NEGATIVE_INFINITY;
export const EPSILON = 1e-9;

export interface StateGraph {
  states: number;
  /** Edges of state s are first[s] … first[s + 1] - 1. */
  first: Int32Array;
  from: Int32Array;
  to: Int32Array;
  /** Edges into state s are byTarget[intoFirst[s] … intoFirst[s + 1] - 1]. */
  intoFirst: Int32Array;
  byTarget: Int32Array;
  /** Strongly connected component of each state; components are numbered sinks first. */
  component: Int32Array;
  /** States of component c are members[memberFirst[c] … memberFirst[c + 1] - 1]. */
  memberFirst: Int32Array;
  members: Int32Array;
}

/** Builds the graph's reverse lists and its components from its edges grouped by state. */
export function buildGraph(states: number, first: Int32Array, to: Int32Array): StateGraph {
  const edges = first[states] as number;
  const from = new Int32Array(edges);
  const into = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) {
    for (let e = first[s] as number, end = first[s + 1] as number; e < end; e++) {
      from[e] = s;
      const t = to[e] as number;
      into[t + 1] = (into[t + 1] as number) + 1;
    }
  }
  for (let s = 0; s < states; s++) into[s + 1] = (into[s + 1] as number) + (into[s] as number);
  const fill = into.slice(0, states);
  const byTarget = new Int32Array(edges);
  for (let e = 0; e < edges; e++) {
    const t = to[e] as number;
    byTarget[fill[t] as number] = e;
    fill[t] = (fill[t] as number) + 1;
  }
  const { component, memberFirst, members } = stronglyConnected(states, first, to);
  return { states, first, from, to, intoFirst: into, byTarget, component, memberFirst, members };
}

/** Tarjan's algorithm without recursion; components come out sinks first. */
function stronglyConnected(n: number, first: Int32Array, to: Int32Array): { component: Int32Array; memberFirst: Int32Array; members: Int32Array } {
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callState = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let depth = 0;
  // Components come out whole and in order: their states are appended to one list.
  const members = new Int32Array(n);
  const memberFirst = new Int32Array(n + 1);
  let components = 0;
  let placed = 0;
  let counter = 0;
  for (let start = 0; start < n; start++) {
    if (order[start] !== -1) continue;
    callState[0] = start;
    callEdge[0] = first[start] as number;
    depth = 1;
    order[start] = low[start] = counter++;
    stack[stackTop++] = start;
    onStack[start] = 1;
    while (depth > 0) {
      const v = callState[depth - 1] as number;
      const e = callEdge[depth - 1] as number;
      if (e < (first[v + 1] as number)) {
        callEdge[depth - 1] = e + 1;
        const w = to[e] as number;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack[stackTop++] = w;
          onStack[w] = 1;
          callState[depth] = w;
          callEdge[depth] = first[w] as number;
          depth++;
        } else if (onStack[w] === 1 && (order[w] as number) < (low[v] as number)) low[v] = order[w] as number;
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = callState[depth - 1] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
      if (low[v] === order[v]) {
        const id = components++;
        memberFirst[id] = placed;
        for (;;) {
          const w = stack[--stackTop] as number;
          onStack[w] = 0;
          component[w] = id;
          members[placed++] = w;
          if (w === v) break;
        }
      }
    }
  }
  memberFirst[components] = placed;
  return { component, memberFirst: memberFirst.subarray(0, components + 1), members };
}

export interface Solved {
  /** Best sum of edge values from each state to an accepted ending (NONE: none reachable). */
  value: Float64Array;
  /** The edges round a loop that gains each time, if there is one (the values are then not final). */
  loop: number[] | null;
}

/**
 * What the edges are worth: each edge has a class (a choice, or silence), and each class a value
 * and whether a path may use it. A few numbers per choice instead of arrays as long as the edges.
 */
export interface EdgeWeights {
  /** The class of each edge. */
  edgeClass: Int32Array;
  value: Float64Array;
  usable: Uint8Array;
}

/**
 * The highest sum of edge values over usable edges from every state to a state with `accept[s]`
 * 1; `terminal[s]` 1 marks states with no way on (endings and broken states).
 */
export function longestPaths(graph: StateGraph, weights: EdgeWeights, accept: Uint8Array, terminal: Uint8Array): Solved {
  const { states, first, to, from, intoFirst, byTarget, component, memberFirst, members } = graph;
  const { edgeClass, value, usable } = weights;
  const best = new Float64Array(states).fill(NONE);
  const via = new Int32Array(states).fill(-1);
  /** Edges inside the component on the best path found so far from each state. */
  const length = new Int32Array(states);
  const inQueue = new Uint8Array(states);
  let work = new Int32Array(16);
  const components = memberFirst.length - 1;
  for (let ci = 0; ci < components; ci++) {
    const groupStart = memberFirst[ci] as number;
    const groupEnd = memberFirst[ci + 1] as number;
    const groupSize = groupEnd - groupStart;
    let internal = false;
    // Values through edges that leave the component are final already.
    for (let g = groupStart; g < groupEnd; g++) {
      const s = members[g] as number;
      if (terminal[s] === 1) {
        best[s] = accept[s] === 1 ? 0 : NONE;
        continue;
      }
      for (let e = first[s] as number, end = first[s + 1] as number; e < end; e++) {
        const c = edgeClass[e] as number;
        if (usable[c] !== 1) continue;
        const t = to[e] as number;
        if (component[t] === ci) {
          internal = true;
          continue;
        }
        const rest = best[t] as number;
        if (rest === NONE) continue;
        const candidate = (value[c] as number) + rest;
        if (candidate > (best[s] as number) + EPSILON) {
          best[s] = candidate;
          via[s] = e;
        }
      }
    }
    if (!internal) continue;
    // Inside the component a state's value can rise when a state it leads to rises.
    if (work.length < groupSize * 2) work = new Int32Array(groupSize * 2);
    let head = 0;
    let tail = 0;
    const size = work.length;
    for (let g = groupStart; g < groupEnd; g++) {
      const s = members[g] as number;
      if ((best[s] as number) === NONE) continue;
      work[tail++ % size] = s;
      inQueue[s] = 1;
    }
    while (head !== tail) {
      const t = work[head++ % size] as number;
      inQueue[t] = 0;
      for (let k = intoFirst[t] as number, end = intoFirst[t + 1] as number; k < end; k++) {
        const e = byTarget[k] as number;
        const s = from[e] as number;
        const c = edgeClass[e] as number;
        if (usable[c] !== 1 || component[s] !== ci) continue;
        const candidate = (value[c] as number) + (best[t] as number);
        if (candidate <= (best[s] as number) + EPSILON) continue;
        best[s] = candidate;
        via[s] = e;
        length[s] = (length[t] as number) + 1;
        // A best path with as many edges inside the component as it has states repeats a state.
        if ((length[s] as number) >= groupSize) return { value: best, loop: traceLoop(graph, via, s) };
        if (inQueue[s] === 0) {
          inQueue[s] = 1;
          work[tail++ % size] = s;
        }
      }
    }
  }
  return { value: best, loop: null };
}

/** Follows the best edges from a state that kept improving until they come round: the loop. */
function traceLoop(graph: StateGraph, via: Int32Array, start: number): number[] {
  const seen = new Map<number, number>();
  const path: number[] = [];
  let at = start;
  while (!seen.has(at) && via[at] !== -1) {
    seen.set(at, path.length);
    const e = via[at] as number;
    path.push(e);
    at = graph.to[e] as number;
  }
  return seen.has(at) ? path.slice(seen.get(at)) : path;
}
