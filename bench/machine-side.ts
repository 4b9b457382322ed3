/**
 * `node --import tsx bench/machine-side.ts [--base DIR] [--procs N] [--rounds N]`: the call machine's
 * two #14 figures side by side with another checkout of the project (`--base`: a directory with its
 * own `src/` and `bench/`, e.g. `git archive <commit> src bench scenarios | tar -x -C DIR` with a
 * `node_modules` link), in child processes that alternate between the two so that both meet the
 * same load. Each child, by CPU time:
 * - replays of 2,000 attempts of `wrong-charge` recorded as the game records them (the seed, each
 *   choice's time and shown place), `playSteps` with the seed as POST /api/attempts: 12 rounds, the
 *   median of rounds 3–12, per second;
 * - random plays of the generated 2,000-node scenario with loops through the machine driven by its
 *   transition function and through the call-logic walk, interleaved in slices of 30 plays, 300
 *   plays a round, 6 rounds: the median of machine ÷ walk.
 * Each child also prints a digest of the first 200 replays' results and of the first 100 machine
 * plays: the two checkouts must give the same calls.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? (args[at + 1] as string) : fallback;
};
const here = fileURLToPath(new URL('..', import.meta.url));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function child(root: string, what: string): Promise<void> {
  const engine = (await import(join(root, 'src/engine/index.ts'))) as typeof import('../src/engine/index');
  const walks = (await import(join(root, 'bench/walks.ts'))) as typeof import('./walks');
  const loops = (await import(join(root, 'bench/generate-loops.ts'))) as typeof import('./generate-loops');
  const out: Record<string, number | string> = {};
  if (what === 'replay' || what === 'both') {
    const scenario = engine.checkScenario(readFileSync(join(root, 'scenarios/wrong-charge.json'), 'utf8')).scenario;
    if (!scenario) throw new Error('wrong-charge does not check');
    const attempts = Array.from({ length: 2000 }, (_, i) => ({ seed: `bench-seed-${i + 1}`, steps: walks.recordedAttempt(scenario, engine.seededRandom(i + 1), `bench-seed-${i + 1}`, 1000) }));
    const digest = createHash('sha256');
    for (const a of attempts.slice(0, 200)) digest.update(JSON.stringify(engine.playSteps(scenario, a.steps, { seed: a.seed }).result));
    out.replayDigest = digest.digest('hex').slice(0, 12);
    const rates: number[] = [];
    for (let round = 0; round < 12; round++) {
      const t = cpuMs();
      for (const a of attempts) if (!engine.playSteps(scenario, a.steps, { seed: a.seed }).result) throw new Error('a replay failed');
      rates.push(attempts.length / ((cpuMs() - t) / 1000));
    }
    out.replays = Math.round(median(rates.slice(2)));
  }
  if (what === 'walk' || what === 'both') {
    const checked = engine.checkScenario(JSON.stringify(loops.generateLoopScenario(2000)));
    if (!checked.scenario) throw new Error('the generated scenario does not check');
    const scenario = checked.scenario;
    const digest = createHash('sha256');
    for (let seed = 1; seed <= 100; seed++) digest.update(JSON.stringify(walks.machinePlay(scenario, engine.seededRandom(seed), 1000)));
    out.walkDigest = digest.digest('hex').slice(0, 12);
    for (let seed = 1; seed <= 100; seed++) walks.logicPlay(scenario, engine.seededRandom(seed), 1000);
    const ratios: number[] = [];
    const machineRates: number[] = [];
    const logicRates: number[] = [];
    for (let round = 0; round < 6; round++) {
      let machine = 0;
      let logic = 0;
      for (let from = 1; from <= 300; from += 30) {
        let t = cpuMs();
        for (let seed = from; seed < from + 30; seed++) walks.machinePlay(scenario, engine.seededRandom(seed), 1000);
        machine += cpuMs() - t;
        t = cpuMs();
        for (let seed = from; seed < from + 30; seed++) walks.logicPlay(scenario, engine.seededRandom(seed), 1000);
        logic += cpuMs() - t;
      }
      ratios.push(logic / machine);
      machineRates.push(300 / (machine / 1000));
      logicRates.push(300 / (logic / 1000));
    }
    out.ratio = Number(median(ratios).toFixed(3));
    out.machine = Math.round(median(machineRates));
    out.logic = Math.round(median(logicRates));
  }
  console.log(JSON.stringify(out));
}

function parent(): void {
  const base = opt('--base', '');
  const procs = Number(opt('--procs', '3'));
  const what = opt('--what', 'both');
  const roots = base ? [base, here] : [here];
  const file = fileURLToPath(import.meta.url);
  const results = new Map<string, Array<Record<string, number | string>>>();
  for (let p = 0; p < procs; p++) {
    const order = p % 2 ? [...roots].reverse() : roots;
    for (const root of order) {
      const load = loadavg()[0]?.toFixed(1);
      const run = spawnSync(process.execPath, ['--import', 'tsx', file, '--child', root, what], { cwd: root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`child ${root} failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string>;
      r.load = load ?? '';
      results.set(root, [...(results.get(root) ?? []), r]);
      console.log(`${root === here ? 'this ' : 'base '} ${JSON.stringify(r)}`);
    }
  }
  for (const [root, runs] of results) {
    const of = (key: string) => runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    const parts = ['replays', 'ratio', 'machine', 'logic'].filter((k) => of(k).length > 0).map((k) => `${k} ${of(k).join(' / ')} (median ${median(of(k))})`);
    console.log(`${root === here ? 'this' : 'base'} (${root}): ${parts.join('; ')}`);
  }
}

if (args[0] === '--child') await child(args[1] as string, args[2] as string);
else parent();
