/**
 * The analysis gives the same results as before its speed work: `./analysis-before/` is the
 * analysis as of commit 1e02757 (the state graph, its walk and its solver), kept unchanged as the
 * reference. On the shipped callers, the generated scenarios with loops, flags and mood conditions,
 * small random scenarios and analyses cut short by the state limit, the state graph (every state,
 * edge and flag set, in the same order) and every result of the analysis must be equal.
 */
import { describe, expect, it } from 'vitest';
import { checkScenario, seededRandom, type Scenario } from '../../src/engine/index';
import { analyseWithGraph, type AnalysisOptions } from '../../src/engine/analysis/explore';
import { analyseWithGraph as analyseBefore } from './analysis-before/explore';
import { generateLoopScenario } from '../../bench/generate-loops';
import { randomScenario } from './random-scenario';
import { readText, scenarioFiles } from './scenario-files';

function expectSame(scenario: Scenario, options: AnalysisOptions = {}, label = scenario.id): number {
  const now = analyseWithGraph(scenario, options);
  const before = analyseBefore(scenario, options);
  const g = now.graph;
  const b = before.graph;
  expect(g.count, `${label}: states`).toBe(b.count);
  expect(g.complete, `${label}: complete`).toBe(b.complete);
  // Typed arrays compared whole (a first difference is reported by its index).
  for (const field of ['keys', 'kind', 'edgeStart', 'edgeTo', 'edgeClass'] as const) {
    const x = g[field];
    const y = b[field];
    expect(x.length, `${label}: ${field}.length`).toBe(y.length);
    let first = -1;
    for (let i = 0; i < x.length && first < 0; i++) if (x[i] !== y[i]) first = i;
    expect(first, `${label}: ${field} differs first at`).toBe(-1);
  }
  expect(g.roots, `${label}: roots`).toEqual(b.roots);
  expect(g.flagSets, `${label}: flag sets`).toEqual(b.flagSets);
  expect(g.ids, `${label}: ids`).toEqual(b.ids);
  expect(now.onTimeRoot, `${label}: root`).toBe(before.onTimeRoot);
  expect(now.analysis, `${label}: analysis`).toEqual(before.analysis);
  return g.count;
}

describe('the analysis, against itself before the speed work (commit 1e02757)', () => {
  it('on every shipped caller and the guessable sample', { timeout: 120_000 }, () => {
    const files = [...scenarioFiles(), new URL('../fixtures/sample-call.json', import.meta.url).pathname];
    for (const file of files) expectSame(checkScenario(readText(file), { structureOnly: true }).scenario as Scenario, {}, file);
  });

  it('on the generated scenarios with loops, flags and mood conditions', { timeout: 120_000 }, () => {
    for (const size of [50, 300, 2000]) expectSame(checkScenario(generateLoopScenario(size), { structureOnly: true }).scenario as Scenario);
    for (const [size, flags] of [[52, 3], [122, 5], [202, 6]] as const) {
      const scenario = checkScenario(generateLoopScenario(size, { persistentFlags: flags }), { structureOnly: true }).scenario as Scenario;
      expect(expectSame(scenario, {}, `${size} nodes, ${flags} kept flags`)).toBeGreaterThan(1000);
    }
  });

  it('when the state limit cuts the analysis short (HTL041 and what multiplies the states)', { timeout: 60_000 }, () => {
    const scenario = checkScenario(generateLoopScenario(122, { persistentFlags: 5 }), { structureOnly: true }).scenario as Scenario;
    for (const stateLimit of [1, 50, 2000, 20_000]) expectSame(scenario, { stateLimit }, `limit ${stateLimit}`);
  });

  it('on 250 small random scenarios (loops that gain points, traps, broken nodes, empty decisions)', { timeout: 120_000 }, () => {
    const random = seededRandom(20261130);
    for (let n = 0; n < 250; n++) expectSame(randomScenario(random, n), n % 5 === 0 ? { stateLimit: 40 } : {});
  });
});
