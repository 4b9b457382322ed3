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
  /** States of each component. */
  members: Int32Array[];
}

/** Builds the flat graph and its components from per-state target lists. */
export function buildGraph(targets: readonly (readonly number[])[]): StateGraph {
  const states = targets.length;
  const first = new Int32Array(states + 1);
  let edges = 0;
  for (let s = 0; s < states; s++) {
    first[s] = edges;
    edges += (targets[s] as readonly number[]).length;
  }
  first[states] = edges;
  const from = new Int32Array(edges);
  const to = new Int32Array(edges);
  const into = new Int32Array(states + 1);
  for (let s = 0, e = 0; s < states; s++) {
    for (const t of targets[s] as readonly number[]) {
      from[e] = s;
      to[e] = t;
      into[t + 1] = (into[t + 1] as number) + 1;
      e++;
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
  const { component, members } = stronglyConnected(states, first, to);
  return { states, first, from, to, intoFirst: into, byTarget, component, members };
}

/** Tarjan's algorithm without recursion; components come out sinks first. */
function stronglyConnected(n: number, first: Int32Array, to: Int32Array): { component: Int32Array; members: Int32Array[] } {
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n);
  const stack = new Int32Array(n);
  let stackTop = 0;
  const callState = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let depth = 0;
  const members: Int32Array[] = [];
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
        const id = members.length;
        let size = 0;
        for (let i = stackTop - 1; ; i--) {
          size++;
          if (stack[i] === v) break;
        }
        const group = new Int32Array(size);
        for (let i = 0; i < size; i++) {
          const w = stack[--stackTop] as number;
          onStack[w] = 0;
          component[w] = id;
          group[i] = w;
        }
        members.push(group);
      }
    }
  }
  return { component, members };
}

export interface Solved {
  /** Best sum of edge values from each state to an accepted ending (NONE: none reachable). */
  value: Float64Array;
  /** The edges round a loop that gains each time, if there is one (the values are then not final). */
  loop: number[] | null;
}

/**
 * The highest sum of `edgeValue` over usable edges (`usable[e]` is 1) from every state to a state
 * with `accept[s]` 1; `terminal[s]` 1 marks states with no way on (endings and broken states).
 */
export function longestPaths(graph: StateGraph, edgeValue: Float64Array, usable: Uint8Array, accept: Uint8Array, terminal: Uint8Array): Solved {
  const { states, first, to, from, intoFirst, byTarget, component, members } = graph;
  const best = new Float64Array(states).fill(NONE);
  const via = new Int32Array(states).fill(-1);
  /** Edges inside the component on the best path found so far from each state. */
  const length = new Int32Array(states);
  const inQueue = new Uint8Array(states);
  let work = new Int32Array(16);
  for (let ci = 0; ci < members.length; ci++) {
    const group = members[ci] as Int32Array;
    let internal = false;
    // Values through edges that leave the component are final already.
    for (const s of group) {
      if (terminal[s] === 1) {
        best[s] = accept[s] === 1 ? 0 : NONE;
        continue;
      }
      for (let e = first[s] as number; e < (first[s + 1] as number); e++) {
        if (usable[e] !== 1) continue;
        const t = to[e] as number;
        if (component[t] === ci) {
          internal = true;
          continue;
        }
        const rest = best[t] as number;
        if (rest === NONE) continue;
        const candidate = (edgeValue[e] as number) + rest;
        if (candidate > (best[s] as number) + EPSILON) {
          best[s] = candidate;
          via[s] = e;
        }
      }
    }
    if (!internal) continue;
    // Inside the component a state's value can rise when a state it leads to rises.
    if (work.length < group.length * 2) work = new Int32Array(group.length * 2);
    let head = 0;
    let tail = 0;
    const size = work.length;
    for (const s of group) {
      if ((best[s] as number) === NONE) continue;
      work[tail++ % size] = s;
      inQueue[s] = 1;
    }
    while (head !== tail) {
      const t = work[head++ % size] as number;
      inQueue[t] = 0;
      for (let k = intoFirst[t] as number; k < (intoFirst[t + 1] as number); k++) {
        const e = byTarget[k] as number;
        const s = from[e] as number;
        if (usable[e] !== 1 || component[s] !== ci) continue;
        const candidate = (edgeValue[e] as number) + (best[t] as number);
        if (candidate <= (best[s] as number) + EPSILON) continue;
        best[s] = candidate;
        via[s] = e;
        length[s] = (length[t] as number) + 1;
        // A best path with as many edges inside the component as it has states repeats a state.
        if ((length[s] as number) >= group.length) return { value: best, loop: traceLoop(graph, via, s) };
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
