/**
 * `npm run bench:analysis [-- --rounds N] [-- --sections S --flags K] [-- --quick]`: the checker and
 * the analysis alone, without the walks of `bench:engine` (which reports the same checker rows among
 * its others).
 *
 * - On the generated scenarios with loops, flags and mood conditions (./generate-loops.ts) at 50,
 *   300 and 2,000 nodes, each round: the analysis alone and the whole checker (`validateScenario`:
 *   reading, schema, checks, analysis, audit) warm in this process, by CPU time (median of 3); the
 *   checker as the first call in a fresh process (./checker-first.ts, CPU time and wall clock); and
 *   `npm run scenario -- validate FILE` as a trainer types it (wall clock, and the CPU time of the
 *   whole process tree from /usr/bin/time when it is there).
 * - Once per round, in a process of its own (./analysis-child.ts) so that its peak memory is its
 *   own: the analysis of a generated scenario of S sections of ten nodes whose first K sections
 *   keep their flag to the end (default 155 and 7: 1,552 nodes, 5,152,703 call states), wall clock,
 *   CPU time and peak RSS. `--quick` skips it. With `--before`, each round also runs the same in
 *   the analysis as of commit 1e02757 (tests/engine/analysis-before/), alternating which goes first.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseScenario, checkScenario, validateScenario, type Scenario } from '../src/engine/index';
import { generateLoopScenario } from './generate-loops';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const ROUNDS = option('--rounds', 3);
const SECTIONS = option('--sections', 155);
const FLAGS = option('--flags', 7);
const QUICK = args.includes('--quick');
const BEFORE = args.includes('--before');
const SIZES = [50, 300, 2000];
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'htl-analysis-bench-'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const spread = (values: readonly number[]) => {
  if (values.length === 0) return '—';
  const s = [...values].sort((a, b) => a - b);
  return `${fmt(s[0] as number)} / ${fmt(median(s))} / ${fmt(s[s.length - 1] as number)}`;
};

interface Size {
  nodes: number;
  file: string;
  text: string;
  scenario: Scenario;
  states: number;
}
const sizes: Size[] = SIZES.map((nodes) => {
  const text = JSON.stringify(generateLoopScenario(nodes));
  const file = join(work, `loops-${nodes}.json`);
  writeFileSync(file, text);
  const checked = checkScenario(text);
  if (!checked.scenario) throw new Error(`the generated ${nodes}-node scenario does not check: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  return { nodes, file, text, scenario: checked.scenario, states: analyseScenario(checked.scenario).stateCount };
});

const results = new Map<string, number[]>();
const record = (key: string, value: number) => results.set(key, [...(results.get(key) ?? []), value]);

function warm(size: Size): void {
  const analysis: number[] = [];
  const checker: number[] = [];
  for (let i = 0; i < 3; i++) {
    let t = cpuMs();
    analyseScenario(size.scenario);
    analysis.push(cpuMs() - t);
    t = cpuMs();
    validateScenario(size.text);
    checker.push(cpuMs() - t);
  }
  record(`${size.nodes}:analysis`, median(analysis));
  record(`${size.nodes}:checker`, median(checker));
}

function first(size: Size): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/checker-first.ts'), size.file], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`checker child failed: ${child.stderr}`);
  const out = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { firstMs: number; firstCpuMs: number; errors: string[] };
  if (out.errors.length) throw new Error(`checker found errors: ${out.errors.join('; ')}`);
  record(`${size.nodes}:firstCpu`, out.firstCpuMs);
  record(`${size.nodes}:firstWall`, out.firstMs);
}

function command(size: Size): void {
  const argv = ['npm', 'run', '--silent', 'scenario', '--', 'validate', size.file];
  const t = performance.now();
  const child = TIME ? spawnSync(TIME, ['-f', 'HTL-TIME %U %S', ...argv], { cwd: root, encoding: 'utf8' }) : spawnSync(argv[0] as string, argv.slice(1), { cwd: root, encoding: 'utf8' });
  record(`${size.nodes}:commandWall`, performance.now() - t);
  if (child.status !== 0) throw new Error(`validate failed: ${child.stdout}${child.stderr}`);
  const times = /HTL-TIME ([\d.]+) ([\d.]+)/.exec(child.stderr);
  if (times) record(`${size.nodes}:commandCpu`, (Number(times[1]) + Number(times[2])) * 1000);
}

interface Big {
  ms: number;
  cpuMs: number;
  states: number;
  complete: boolean;
  rssBeforeMb: number;
  peakRssMb: number;
}
const big: Big[] = [];
const bigBefore: Big[] = [];
function bigAnalysis(round: number): void {
  const nodes = SECTIONS * 10 + 2;
  const runs: Array<[Big[], string[]]> = [[big, []]];
  if (BEFORE) runs.splice(round % 2, 0, [bigBefore, ['before']]);
  for (const [into, extra] of runs) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'bench/analysis-child.ts'), String(nodes), String(FLAGS), '100000000', ...extra], { cwd: root, encoding: 'utf8', timeout: 900_000 });
    if (child.status !== 0) {
      console.log(`analysis child did not finish: ${child.signal ?? `exit ${child.status}`} ${child.stderr.split('\n').find((l) => /heap|memory|Error/i.test(l)) ?? ''}`);
      continue;
    }
    into.push(JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Big);
  }
}

console.log(`Node ${process.version}; ${ROUNDS} rounds; min / median / max over the rounds; in-process times by CPU time\n`);
for (const size of sizes) console.log(`${size.nodes} nodes: ${(size.text.length / 1024).toFixed(0)} KB, ${size.states.toLocaleString('en')} call states`);
for (let round = 0; round < ROUNDS; round++) {
  for (const size of sizes) {
    // Rotate the order each round so that no measure always follows the same one.
    const order = [warm, first, command];
    const shift = round % order.length;
    for (const measure of [...order.slice(shift), ...order.slice(0, shift)]) measure(size);
  }
  if (!QUICK) bigAnalysis(round);
  process.stdout.write(`round ${round + 1} of ${ROUNDS} done\n`);
}

const rows: Array<[string, string, string]> = [
  ['analysis alone (`analyseScenario`), warm, ms of CPU', 'analysis', ''],
  ['checker warm (`validateScenario`), ms of CPU', 'checker', '< 300 at 2,000'],
  ['checker, first call in a fresh process, ms of CPU', 'firstCpu', '< 600 at 2,000'],
  ['checker, first call in a fresh process, ms wall clock', 'firstWall', ''],
  ['`npm run scenario -- validate FILE`, ms wall clock', 'commandWall', '< 1,000'],
  ['`npm run scenario -- validate FILE`, ms of CPU (whole process tree)', 'commandCpu', ''],
];
console.log(`\n| what | ${sizes.map((s) => `${s.nodes.toLocaleString('en')} nodes (${s.states.toLocaleString('en')} states)`).join(' | ')} | target |`);
console.log(`|---|${sizes.map(() => '---|').join('')}---|`);
for (const [label, key, target] of rows) console.log(`| ${label} | ${sizes.map((s) => spread(results.get(`${s.nodes}:${key}`) ?? [])).join(' | ')} | ${target} |`);
if (big.length > 0) {
  const b = big[0] as Big;
  console.log(`\nanalysis of a generated ${(SECTIONS * 10 + 2).toLocaleString('en')}-node scenario, the first ${FLAGS} sections keeping their flag (bench/analysis-child.ts ${SECTIONS * 10 + 2} ${FLAGS}), ${b.states.toLocaleString('en')} call states${b.complete ? '' : ' (incomplete)'}, ${big.length} runs:`);
  const line = (runs: Big[]) => `CPU ${spread(runs.map((r) => r.cpuMs / 1000))} s; wall clock ${spread(runs.map((r) => r.ms / 1000))} s; peak RSS ${spread(runs.map((r) => r.peakRssMb))} MB (the process held ${spread(runs.map((r) => r.rssBeforeMb))} MB before the analysis)`;
  console.log(`  ${line(big)} (target: 5 million states < 2 s, < 500 MB)`);
  if (bigBefore.length > 0) console.log(`  before (commit 1e02757), alternating with it: ${line(bigBefore)}`);
}
rmSync(work, { recursive: true, force: true });
