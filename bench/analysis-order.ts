/**
 * `node --import tsx --expose-gc bench/analysis-order.ts [NODES FLAGS ROUNDS]`: what the order of the
 * call states in memory costs the analysis's solver, on the generated scenario of
 * `bench/analysis-child.ts` (default 1,552 nodes, 7 kept flags: 5,152,703 call states).
 *
 * Builds the state graph once (breadth first, as the analysis numbers its states) and prints how far
 * each edge reaches in that numbering (a histogram of target − source, by powers of two) and the
 * share of states whose edges all lead to states already solved after k passes from the last state
 * down (what a solver without Tarjan's walk could settle). Then times the solver (`solve`, CPU ms)
 * on the graph as built and on the same graph renumbered in the solver's own depth-first order
 * (each state's edges in order from the first root), alternating, ROUNDS times each: the second is
 * what a walk reading its memory in order would cost, the renumbering itself not counted.
 */
import { checkScenario, type Scenario } from '../src/engine/index';
import { buildStateGraph, STATE_DECISION, STATE_ENDING, type StateGraph } from '../src/engine/analysis/state-graph';
import { edgeClasses, testedFlags } from '../src/engine/analysis/explore';
import { solve, type SolveInput } from '../src/engine/analysis/longest';
import { answer, initialState, silenceEffect } from '../src/engine/call/logic';
import { criticalRules } from '../src/engine/format/rulebook';
import { OUTCOMES, startMoods } from '../src/engine/format/schema';
import { defaultRulebook } from '../src/engine/rulebook-data';
import { generateLoopScenario } from './generate-loops';

const size = Number(process.argv[2] ?? 1552);
const persistent = Number(process.argv[3] ?? 7);
const rounds = Number(process.argv[4] ?? 5);
const checked = checkScenario(generateLoopScenario(size, { persistentFlags: persistent }), { structureOnly: true });
if (!checked.scenario) throw new Error(checked.diagnostics.map((d) => d.message).join('\n'));
const scenario = checked.scenario;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// The roots as the analysis makes them (every starting anger, on time and late).
const rootMoods: number[] = [];
for (const mood of startMoods(scenario)) for (const ring of [1, scenario.timing.answerWithinRings + 1]) rootMoods.push(answer(scenario, { ...initialState(scenario), mood, startMood: mood }, ring, 0).mood);
let t = cpuMs();
const g = buildStateGraph(scenario, testedFlags(scenario), { rootMoods, stateLimit: 100_000_000 });
console.log(`${size} nodes, ${persistent} kept flags: ${g.count.toLocaleString('en')} states, ${g.edgeTo.length.toLocaleString('en')} edges, ${g.flagSets.length.toLocaleString('en')} flag sets; built in ${Math.round(cpuMs() - t)} ms of CPU`);

// How far edges reach in the breadth-first numbering.
const reach = new Map<number, number>();
let backward = 0;
for (let s = 0; s < g.count; s++) {
  for (let e = g.edgeStart[s] as number; e < (g.edgeStart[s + 1] as number); e++) {
    const d = (g.edgeTo[e] as number) - s;
    if (d < 0) backward++;
    const bucket = d === 0 ? 0 : Math.sign(d) * Math.ceil(Math.log2(Math.abs(d) + 1));
    reach.set(bucket, (reach.get(bucket) ?? 0) + 1);
  }
}
const share = (n: number) => `${((100 * n) / g.edgeTo.length).toFixed(1)}%`;
console.log(`edges to a state found earlier: ${share(backward)}; target − source by powers of two (±k: up to 2^k states away, shares of 1% or more):`);
console.log(
  [...reach]
    .sort((a, b) => a[0] - b[0])
    .filter(([, n]) => n >= g.edgeTo.length / 100)
    .map(([b, n]) => `${b > 0 ? '+' : ''}${b}: ${share(n)}`)
    .join(', '),
);

// States settled by passes from the last state down, without finding the components.
const settled = new Uint8Array(g.count);
let total = 0;
const passes: string[] = [];
for (let pass = 1; pass <= 10; pass++) {
  let now = 0;
  for (let s = g.count - 1; s >= 0; s--) {
    if (settled[s] === 1) continue;
    let ready = true;
    for (let e = g.edgeStart[s] as number; e < (g.edgeStart[s + 1] as number) && ready; e++) ready = settled[g.edgeTo[e] as number] === 1;
    if (ready) {
      settled[s] = 1;
      now++;
    }
  }
  total += now;
  passes.push(`${((100 * total) / g.count).toFixed(1)}%`);
  if (now === 0) break;
}
console.log(`states whose edges all lead to settled states, after each pass from the last state down: ${passes.join(', ')} (the rest lead into a loop)`);

/** The solver's input as `analyseWithGraph` makes it. */
function inputOf(sc: Scenario, calls: StateGraph): SolveInput {
  const { dimensions, points, worth, usable, moves } = edgeClasses(sc, calls.choices, silenceEffect(sc), criticalRules(defaultRulebook()));
  const D = dimensions.length;
  const passable = new Uint8Array(calls.count);
  for (let s = 0; s < calls.count; s++) {
    if (calls.kind[s] !== STATE_ENDING) continue;
    const outcome = calls.outcomes[(calls.keys[2 * s] as number) >>> 7];
    passable[s] = OUTCOMES[outcome as keyof typeof OUTCOMES]?.passable === true ? 1 : 0;
  }
  return { count: calls.count, kind: calls.kind, edgeStart: calls.edgeStart, edgeTo: calls.edgeTo, edgeClass: calls.edgeClass, passable, points, dimensions: D, worth, usable, moves };
}

// The same graph in the solver's depth-first order: state i is the i-th the walk visits.
const asBuilt = inputOf(scenario, g);
t = cpuMs();
const order = new Int32Array(g.count);
const place = new Int32Array(g.count).fill(-1);
const stackState = new Int32Array(g.count);
const stackEdge = new Int32Array(g.count);
let visited = 0;
for (let root = 0; root < g.count; root++) {
  if ((place[root] as number) >= 0) continue;
  let top = 0;
  place[root] = visited;
  order[visited++] = root;
  stackState[top] = root;
  stackEdge[top++] = g.edgeStart[root] as number;
  while (top > 0) {
    const v = stackState[top - 1] as number;
    const e = stackEdge[top - 1] as number;
    if (e >= (g.edgeStart[v + 1] as number)) {
      top--;
      continue;
    }
    stackEdge[top - 1] = e + 1;
    const w = g.edgeTo[e] as number;
    if ((place[w] as number) >= 0) continue;
    place[w] = visited;
    order[visited++] = w;
    stackState[top] = w;
    stackEdge[top++] = g.edgeStart[w] as number;
  }
}
const edgeStart = new Int32Array(g.count + 1);
const edgeTo = new Int32Array(g.edgeTo.length);
const edgeClass = g.edgeClass instanceof Uint16Array ? new Uint16Array(g.edgeClass.length) : new Int32Array(g.edgeClass.length);
const kind = new Uint8Array(g.count);
const passable = new Uint8Array(g.count);
let m = 0;
for (let i = 0; i < g.count; i++) {
  const s = order[i] as number;
  edgeStart[i] = m;
  kind[i] = g.kind[s] as number;
  passable[i] = asBuilt.passable[s] as number;
  for (let e = g.edgeStart[s] as number; e < (g.edgeStart[s + 1] as number); e++) {
    edgeTo[m] = place[g.edgeTo[e] as number] as number;
    edgeClass[m++] = g.edgeClass[e] as number;
  }
}
edgeStart[g.count] = m;
const inOrder: SolveInput = { ...asBuilt, kind, passable, edgeStart, edgeTo, edgeClass };
console.log(`renumbered in the solver's order in ${Math.round(cpuMs() - t)} ms of CPU (not counted below)`);

const times: Record<string, number[]> = { built: [], ordered: [] };
let decisions = 0;
for (let s = 0; s < g.count; s++) if (g.kind[s] === STATE_DECISION) decisions++;
for (let round = 0; round < rounds; round++) {
  const runs: Array<[string, SolveInput, Int32Array | null]> = [
    ['built', asBuilt, null],
    ['ordered', inOrder, place],
  ];
  if (round % 2 === 1) runs.reverse();
  for (const [name, input, map] of runs) {
    global.gc?.();
    t = cpuMs();
    const solved = solve(input);
    times[name]?.push(Math.round(cpuMs() - t));
    // The same values either way: the first decision state's worth, read through the renumbering.
    const first = map ? (map[0] as number) : 0;
    if (round === 0) console.log(`${name}: model worth of state 0 ${solved.model[first]}, ${decisions.toLocaleString('en')} decision states`);
  }
}
console.log(`solver, ms of CPU, ${rounds} rounds alternating: as built (breadth first) ${times.built?.join(' / ')}; in its own depth-first order ${times.ordered?.join(' / ')}`);
