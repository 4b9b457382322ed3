/**
 * `npm run bench:engine`: random play-throughs per second through the XState call machine, the same
 * walk done by a plain loop over the scenario (the floor), their ratio, 100,000 machine plays of the
 * largest scenario, and the checker on a generated 2,000-node scenario.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { analysisOf, checkScenario, seededRandom, validateScenario, type Scenario } from '../src/engine/index';
import { simulateParallel } from '../src/cli/parallel-simulate';
import { randomPlay } from '../src/engine/analysis/simulate';
import { answer, choose, enterNode, initialState, nodeIndex, offeredChoices, silence } from '../src/engine/call/logic';
import { generateScenario } from './generate-scenario';

// The checker is measured first, before loading the scenarios warms its code, so that the first
// call is a cold one; then warm, as in an editor or dev server that checks the file on every save.
const CHECKER_WARM_UP = 5;
const generated = JSON.stringify(generateScenario(2000));
const generatedNodes = (JSON.parse(generated) as { nodes: unknown[] }).nodes.length;
let t = performance.now();
const coldDiagnostics = validateScenario(generated).length;
const coldMs = performance.now() - t;
for (let i = 0; i < CHECKER_WARM_UP; i++) validateScenario(generated);
const checkerTimes: number[] = [];
for (let i = 0; i < 25; i++) {
  t = performance.now();
  validateScenario(generated);
  checkerTimes.push(performance.now() - t);
}

const dir = new URL('../scenarios/', import.meta.url).pathname;
const scenarios = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .map((f) => checkScenario(readFileSync(join(dir, f), 'utf8')).scenario)
  .filter((s): s is Scenario => s !== null);
const largest = scenarios.reduce((a, b) => (b.nodes.length > a.nodes.length ? b : a));
const analysis = analysisOf(largest);

/** The floor: the same random walk with the same step functions, no actor, no clock. */
function plainPlay(scenario: Scenario, random: () => number): string {
  const index = nodeIndex(scenario);
  let state = answer(scenario, initialState(scenario), 1 + Math.floor(random() * scenario.timing.answerWithinRings), 0);
  let arrival = enterNode(scenario, index, state, scenario.start, 0);
  for (let guard = 0; guard < 2000; guard++) {
    const node = arrival.node;
    if (!node || node.kind === 'ending') return node?.outcome ?? 'broken';
    state = arrival.state;
    const offered = offeredChoices(node, state);
    const step = offered.length === 0 || random() < 0.05 ? silence(scenario, state, node, 0) : choose(scenario, state, node, offered[Math.floor(random() * offered.length)]!, 0);
    arrival = step.next === node.id ? { state: step.state, node, speakingSeconds: 0 } : enterNode(scenario, index, step.state, step.next, 0);
  }
  return 'unfinished';
}

function rate(label: string, runs: number, play: (random: () => number) => unknown): number {
  const random = seededRandom(42);
  for (let i = 0; i < Math.min(500, runs); i++) play(random); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) play(random);
  const seconds = (performance.now() - t0) / 1000;
  const perSecond = runs / seconds;
  console.log(`${label.padEnd(44)} ${runs.toLocaleString('en')} plays in ${seconds.toFixed(2)} s = ${Math.round(perSecond).toLocaleString('en')} plays/s`);
  return perSecond;
}

console.log(`Node ${process.version}; largest scenario "${largest.id}" (${largest.nodes.length} nodes, ${analysis.stateCount} call states)\n`);
const machine = rate('XState machine (randomPlay)', 20_000, (r) => randomPlay(largest, analysis, r));
const plain = rate('plain loop over the JSON (floor)', 20_000, (r) => plainPlay(largest, r));
console.log(`ratio machine / floor: ${(plain / machine).toFixed(1)}× slower\n`);

const t0 = performance.now();
const report = await simulateParallel(largest, { runs: 100_000, seed: 7 });
const fullSeconds = (performance.now() - t0) / 1000;
console.log(`100,000 machine plays of "${largest.id}" (simulate, ${availableParallelism()} worker threads): ${fullSeconds.toFixed(1)} s (target: well under 60 s); ${report.passed} passed, nodes never visited: ${report.unvisitedNodes.length}\n`);

const sorted = [...checkerTimes].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
console.log(
  `checker on a generated ${generatedNodes}-node scenario (${(generated.length / 1024).toFixed(0)} KB), warm: median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${(sorted[0] ?? Number.NaN).toFixed(1)} ms over ${sorted.length} runs after ${CHECKER_WARM_UP} warm-up runs (target: median < 100 ms)`,
);
console.log(`  first call in this process (compiling the checker's code as it goes): ${coldMs.toFixed(1)} ms; ${coldDiagnostics} diagnostics`);
