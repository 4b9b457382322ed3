/**
 * `npm run bench:engine [-- --rounds N] [-- --quick]`: the engine against a peer and a floor, on
 * generated scenarios with loops, flags and mood conditions (./generate-loops.ts) at 50, 300 and
 * 2,000 nodes. In one process, interleaved so that all meet the same load, and over N rounds
 * (default 3; min / median / max reported):
 * - random plays per second through the XState call machine (driven by its transition function, as
 *   the server's replay and the simulation run it, and in an actor, as the game runs it), through inkjs on the same graph
 *   converted to ink, through the call-logic functions alone, and a plain loop over the graph
 *   compiled to arrays (the floor), interleaved in slices. Every walk draws the same random numbers from the same seed and
 *   the first 1,000 plays of each size are checked to take the same path (choices, ending, mood);
 * - replays of recorded attempts per second: attempts recorded as the game records them (the
 *   attempt's seed, each choice's time and shown place), replayed and scored by `playSteps` with
 *   the seed, exactly what POST /api/attempts runs per submission (checked against the replay
 *   through the XState actor first);
 * - the checker warm (in this process) and as the first call in a fresh process, and
 *   `npm run scenario -- validate FILE` as a command.
 * Then once: the analysis of a generated scenario with about 5 million call states (in its own
 * process, its peak memory), and `npm run scenario -- simulate FILE --runs 100000` on the largest
 * shipped scenario. `--quick` skips those two.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analysisOf, checkScenario, playSteps, seededRandom, validateScenario, type AttemptStep, type Scenario } from '../src/engine/index';
import { generateLoopScenario } from './generate-loops';
import { compileInk, inkPlay, scenarioToInk, type WalkResult } from './ink';
import { replayThroughMachine } from '../src/engine/call/replay';
import { actorPlay, compileGraph, floorPlay, logicPlay, machinePlay, recordedAttempt } from './walks';

const args = process.argv.slice(2);
const ROUNDS = Math.max(1, Number(args[args.indexOf('--rounds') + 1] ?? 3) || 3);
const QUICK = args.includes('--quick');
/**
 * Time in the process's CPU time (user + system) rather than the wall clock: on a shared machine
 * the wall clock counts the other tenants' work too. `--wall` measures the wall clock instead. The
 * command lines and the simulation are always wall clock.
 */
const BY_CPU = !args.includes('--wall');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const SIZES = [50, 300, 2000];
const CHECKED_PLAYS = 1000;
/** A play stops after this many decisions (a play that loops this long is cut the same way everywhere). */
const MAX_DECISIONS = 1000;
/** Each measurement runs about this long on the machine (the slowest walk sets the count). */
const TARGET_SECONDS = 0.5;
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'htl-bench-'));

interface Size {
  nodes: number;
  file: string;
  text: string;
  scenario: Scenario;
  states: number;
  play: Record<Walk, (random: () => number) => unknown>;
  attempts: Recorded[];
  runs: number;
}
interface Recorded {
  steps: AttemptStep[];
  seed: string;
}
/** Attempts of a scenario as the game records them, with a seed each; the first 200 replayed through the XState actor too, to the same call. */
function recordAttempts(scenario: Scenario, count: number): Recorded[] {
  const attempts: Recorded[] = [];
  for (let i = 1; i <= count; i++) {
    const seed = `bench-seed-${i}`;
    attempts.push({ steps: recordedAttempt(scenario, seededRandom(i), seed, MAX_DECISIONS), seed });
  }
  for (const { steps, seed } of attempts.slice(0, 200)) {
    const played = playSteps(scenario, steps, { seed });
    const machine = replayThroughMachine(scenario, steps, { seed });
    if (!played.result || JSON.stringify(played.replay.context.call) !== JSON.stringify(machine.context.call)) throw new Error(`${scenario.id}: a recorded attempt replays differently through the actor`);
  }
  return attempts;
}
function replay(scenario: Scenario, attempt: Recorded): void {
  if (!playSteps(scenario, attempt.steps, { seed: attempt.seed }).result) throw new Error(`a recorded attempt of ${scenario.id} did not replay`);
}
const WALKS = ['machine', 'actor', 'ink', 'logic', 'floor'] as const;
type Walk = (typeof WALKS)[number];
type Measure = Walk | 'replay' | 'checker' | 'checkerFirst' | 'command';
const results = new Map<string, number[]>();
const record = (size: number, measure: Measure, value: number) => {
  const key = `${size}:${measure}`;
  results.set(key, [...(results.get(key) ?? []), value]);
};

function prepare(nodes: number): Size {
  const text = JSON.stringify(generateLoopScenario(nodes));
  const file = join(work, `loops-${nodes}.json`);
  writeFileSync(file, text);
  const checked = checkScenario(text);
  if (!checked.scenario) throw new Error(`the generated ${nodes}-node scenario does not check: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const scenario = checked.scenario;
  const story = compileInk(scenarioToInk(scenario));
  const graph = compileGraph(scenario);
  const flags = new Uint8Array(graph.flagCount);
  const scores = new Float64Array(graph.dimensions);
  const offered = new Int32Array(64);
  const rings = scenario.timing.answerWithinRings;
  const play: Size['play'] = {
    machine: (r) => machinePlay(scenario, r, MAX_DECISIONS),
    actor: (r) => actorPlay(scenario, r, MAX_DECISIONS),
    ink: (r) => inkPlay(story, scenario, r, MAX_DECISIONS),
    logic: (r) => logicPlay(scenario, r, MAX_DECISIONS),
    floor: (r) => floorPlay(graph, flags, scores, offered, r, MAX_DECISIONS, rings),
  };
  // The same seed must give the same path through all four.
  let decisions = 0;
  for (let seed = 1; seed <= CHECKED_PLAYS; seed++) {
    const m = machinePlay(scenario, seededRandom(seed), MAX_DECISIONS);
    decisions += m.choices.length;
    for (const walk of ['actor', 'ink', 'logic', 'floor'] as const) {
      const other = play[walk](seededRandom(seed)) as WalkResult;
      if (other.choices.join() !== m.choices.join() || other.ending !== m.ending || other.mood !== m.mood) {
        throw new Error(`${nodes} nodes, seed ${seed}: ${walk} took another path than the machine:\n machine ${m.ending} mood ${m.mood}: ${m.choices.join(',')}\n ${walk} ${other.ending} mood ${other.mood}: ${other.choices.join(',')}`);
      }
    }
  }
  // Warm everything up, and size the runs so that the slowest walk takes about TARGET_SECONDS.
  let slowest = 0;
  for (const walk of WALKS) {
    const t = performance.now();
    for (let seed = 1; seed <= 200; seed++) play[walk](seededRandom(seed));
    slowest = Math.max(slowest, (performance.now() - t) / 200);
  }
  const attempts = recordAttempts(scenario, CHECKED_PLAYS);
  for (const attempt of attempts.slice(0, 200)) replay(scenario, attempt);
  const runs = Math.max(50, Math.round((TARGET_SECONDS * 1000) / slowest));
  const states = analysisOf(scenario).stateCount;
  console.log(`${nodes} nodes: ${(text.length / 1024).toFixed(0)} KB, ${states.toLocaleString('en')} call states, ${(decisions / CHECKED_PLAYS).toFixed(1)} decisions a play; ${CHECKED_PLAYS} plays checked: machine, actor, inkjs, call logic and floor took the same paths; ${runs} plays a measurement`);
  return { nodes, file, text, scenario, states, play, attempts, runs };
}

/**
 * Plays per second of the four walks and replays per second, over seeds 1…runs (the same plays for
 * every walk), interleaved in slices of a tenth of the runs so that a change of the machine's load
 * meets all of them alike.
 */
function interleaved(size: Size, round: number): Record<Walk | 'replay', number> {
  const order: Array<Walk | 'replay'> = [...WALKS, 'replay'];
  const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
  const ms: Record<Walk | 'replay', number> = { machine: 0, actor: 0, ink: 0, logic: 0, floor: 0, replay: 0 };
  const cpu: Record<Walk | 'replay', number> = { machine: 0, actor: 0, ink: 0, logic: 0, floor: 0, replay: 0 };
  const slice = Math.max(1, Math.ceil(size.runs / 10));
  for (let from = 1; from <= size.runs; from += slice) {
    const to = Math.min(size.runs, from + slice - 1);
    for (const what of rotated) {
      const t = performance.now();
      const c = cpuMs();
      if (what === 'replay') {
        for (let seed = from; seed <= to; seed++) replay(size.scenario, size.attempts[(seed - 1) % size.attempts.length] as Recorded);
      } else {
        const play = size.play[what];
        for (let seed = from; seed <= to; seed++) play(seededRandom(seed));
      }
      ms[what] += performance.now() - t;
      cpu[what] += cpuMs() - c;
    }
  }
  const rate = (what: Walk | 'replay') => size.runs / ((BY_CPU ? cpu[what] : ms[what]) / 1000);
  return { machine: rate('machine'), actor: rate('actor'), ink: rate('ink'), logic: rate('logic'), floor: rate('floor'), replay: rate('replay') };
}

function replaysPerSecond(scenario: Scenario, attempts: readonly Recorded[]): number {
  const clock = BY_CPU ? cpuMs : () => performance.now();
  const t = clock();
  for (const attempt of attempts) replay(scenario, attempt);
  return attempts.length / ((clock() - t) / 1000);
}

function checkerWarmMs(size: Size): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = BY_CPU ? cpuMs() : performance.now();
    validateScenario(size.text);
    times.push((BY_CPU ? cpuMs() : performance.now()) - t);
  }
  return median(times);
}

function checkerFirstMs(size: Size): number {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/checker-first.ts'), size.file], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`checker child failed: ${child.stderr}`);
  const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { firstMs: number; firstCpuMs: number; errors: string[] };
  if (out.errors.length) throw new Error(`checker found errors: ${out.errors.join('; ')}`);
  return BY_CPU ? out.firstCpuMs : out.firstMs;
}

/** `npm run scenario -- validate FILE` as a trainer types it, wall clock. */
function commandMs(size: Size): number {
  const t = performance.now();
  const child = spawnSync('npm', ['run', 'scenario', '--', 'validate', size.file], { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (child.status !== 0) throw new Error(`validate failed: ${child.stdout}${child.stderr}`);
  return ms;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
function spread(values: readonly number[]): string {
  if (values.length === 0) return '—';
  const s = [...values].sort((a, b) => a - b);
  return `${fmt(s[0] as number)} / ${fmt(median(s))} / ${fmt(s[s.length - 1] as number)}`;
}

/** The machine's load average (1, 5 and 15 minutes), printed beside the figures: they depend on it. */
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Node ${process.version}; ${ROUNDS} rounds; figures are min / median / max over the rounds; ${BY_CPU ? 'rates and in-process times by CPU time (--wall for the wall clock)' : 'wall clock'}; load average ${load()}\n`);
const sizes = SIZES.map(prepare);

// The server's work per submission on a real caller: replays of plays of the largest shipped scenario.
const shippedDir = join(root, 'scenarios');
const shipped = readdirSync(shippedDir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .map((f) => ({ file: join('scenarios', f), scenario: checkScenario(readFileSync(join(shippedDir, f), 'utf8')).scenario }))
  .filter((s): s is { file: string; scenario: Scenario } => s.scenario !== null)
  .reduce((a, b) => (b.scenario.nodes.length > a.scenario.nodes.length ? b : a));
const shippedAttempts = recordAttempts(shipped.scenario, 2000);
replaysPerSecond(shipped.scenario, shippedAttempts.slice(0, 300));
const shippedDecisions = shippedAttempts.reduce((a, s) => a + s.steps.length - 1, 0) / shippedAttempts.length;
const shippedReplays: number[] = [];
console.log(`largest shipped scenario: ${shipped.file}, ${shipped.scenario.nodes.length} nodes, ${shippedDecisions.toFixed(1)} decisions a play\n`);

for (let round = 0; round < ROUNDS; round++) {
  for (const size of sizes) {
    // Rotate the order each round so that no measure always follows the same one.
    const order = ['walks', 'checker', 'checkerFirst', 'command'] as const;
    const shift = round % order.length;
    for (const measure of [...order.slice(shift), ...order.slice(0, shift)]) {
      if (measure === 'checker') record(size.nodes, measure, checkerWarmMs(size));
      else if (measure === 'checkerFirst') record(size.nodes, measure, checkerFirstMs(size));
      else if (measure === 'command') record(size.nodes, measure, commandMs(size));
      else for (const [what, rate] of Object.entries(interleaved(size, round))) record(size.nodes, what as Measure, rate);
    }
  }
  shippedReplays.push(replaysPerSecond(shipped.scenario, shippedAttempts));
  process.stdout.write(`round ${round + 1} of ${ROUNDS} done (load average ${load()})\n`);
}

const get = (size: number, m: Measure) => results.get(`${size}:${m}`) ?? [];
const ratio = (size: number, a: Measure, b: Measure) => get(size, a).map((v, i) => v / (get(size, b)[i] ?? Number.NaN));
const rows: Array<[string, (n: number) => string, string]> = [
  ['XState machine by its transition function (server replay, simulate), plays/s', (n) => spread(get(n, 'machine')), ''],
  ['XState machine in an actor (the game), plays/s', (n) => spread(get(n, 'actor')), ''],
  ['inkjs 2.4 on the same graph, plays/s', (n) => spread(get(n, 'ink')), ''],
  ['call-logic walk (no actor), plays/s', (n) => spread(get(n, 'logic')), ''],
  ['plain loop over the graph (floor), plays/s', (n) => spread(get(n, 'floor')), ''],
  ['machine ÷ inkjs', (n) => spread(ratio(n, 'machine', 'ink')), '≥ 3 at 2,000'],
  ['machine ÷ call-logic walk', (n) => spread(ratio(n, 'machine', 'logic')), '≥ 0.5'],
  ['actor ÷ inkjs', (n) => spread(ratio(n, 'actor', 'ink')), ''],
  ['floor ÷ machine', (n) => spread(ratio(n, 'floor', 'machine')), ''],
  ['replays of recorded attempts (playSteps with the seed, as POST /api/attempts), /s', (n) => spread(get(n, 'replay')), '≥ 20,000'],
  ['checker warm (validateScenario), ms', (n) => spread(get(n, 'checker')), '< 300 at 2,000'],
  ['checker first call in a fresh process, ms', (n) => spread(get(n, 'checkerFirst')), '< 600 at 2,000'],
  ['`npm run scenario -- validate FILE`, ms', (n) => spread(get(n, 'command')), '< 1,000'],
];
const header = `| what | ${sizes.map((s) => `${s.nodes} nodes (${s.states.toLocaleString('en')} states)`).join(' | ')} | target |`;
console.log(`\n${header}\n|---|${sizes.map(() => '---|').join('')}---|`);
for (const [label, cell, target] of rows) console.log(`| ${label} | ${sizes.map((s) => cell(s.nodes)).join(' | ')} | ${target} |`);
console.log(`\nreplays of recorded attempts of ${shipped.file} (${shipped.scenario.nodes.length} nodes, ${shippedDecisions.toFixed(1)} decisions a play), playSteps with the seed as POST /api/attempts: ${spread(shippedReplays)} per second (target: ≥ 20,000 on one core)`);

if (!QUICK) {
  console.log('');
  // 155 sections of ten nodes, the first 7 keeping their flag to the end: about 5 million call states.
  const analysisChild = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'bench/analysis-child.ts'), '1552', '7', '6000000'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  const label = 'analysis of a generated 1,552-node scenario with 7 flags kept to the end (child process)';
  if (analysisChild.status === 0) {
    const a = JSON.parse(analysisChild.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; cpuMs: number; states: number; complete: boolean; rssBeforeMb: number; peakRssMb: number };
    console.log(`${label}: ${a.states.toLocaleString('en')} call states${a.complete ? '' : ' (stopped at the limit)'} in ${fmt(a.ms)} ms wall, ${fmt(a.cpuMs)} ms CPU; peak RSS ${fmt(a.peakRssMb)} MB (${fmt(a.rssBeforeMb)} MB before it) (target: 5 million states < 2 s, < 500 MB)`);
  } else {
    console.log(`${label}: did not finish (${analysisChild.signal === 'SIGTERM' ? 'over 600 s' : `exit ${analysisChild.status}: ${analysisChild.stderr.split('\n').find((l) => /heap|memory|Error/i.test(l)) ?? ''}`}) (target: < 2 s, < 500 MB)`);
  }
  // Wall clock, and the CPU time of the command and its worker threads (from /usr/bin/time when there is one).
  const simArgs = ['run', 'scenario', '--', 'simulate', shipped.file, '--runs', '100000'];
  const timed = existsSync('/usr/bin/time');
  const t = performance.now();
  const sim = timed ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'npm', ...simArgs], { cwd: root, encoding: 'utf8' }) : spawnSync('npm', simArgs, { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(sim.stderr ?? '');
  const cpuText = cpu ? `, ${(Number(cpu[1]) + Number(cpu[2])).toFixed(1)} s of CPU over both cores` : '';
  console.log(`\`npm run scenario -- simulate ${shipped.file} --runs 100000\` (the largest shipped caller): ${sim.status === 0 ? `${seconds.toFixed(1)} s wall clock${cpuText}` : `failed: ${sim.stderr}`} (target: < 10 s on 2 cores)`);
}
rmSync(work, { recursive: true, force: true });
