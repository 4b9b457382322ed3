/**
 * The guessability audit's random player walks the analysis's state graph in the checker and steps
 * the call logic in the CLI: with the same seed both must make the same plays, so the same number
 * must pass, on the shipped callers, on generated scenarios with loops, flags and mood, and on
 * small random scenarios (many of which a random player passes often).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditScenario, checkScenario, defaultRulebook, seededRandom, type Scenario } from '../../src/engine/index';
import { analyseWithGraph } from '../../src/engine/analysis/explore';
import { generateLoopScenario } from '../../bench/generate-loops';
import { randomScenario } from './random-scenario';
import { readText, scenarioFiles } from './scenario-files';

const rulebook = defaultRulebook();

function bothWays(scenario: Scenario, plays: number, seed: number) {
  const { analysis, graph, onTimeRoot } = analyseWithGraph(scenario);
  expect(graph.complete).toBe(true);
  const onGraph = auditScenario(scenario, analysis, rulebook, { randomPlays: plays, seed, graph: { calls: graph, root: onTimeRoot } });
  const byLogic = auditScenario(scenario, analysis, rulebook, { randomPlays: plays, seed });
  return { onGraph, byLogic };
}

describe("the audit's random player on the state graph", () => {
  it('passes exactly the plays the call logic passes, on every shipped caller and the guessable sample', () => {
    const files = [...scenarioFiles(), new URL('../fixtures/sample-call.json', import.meta.url).pathname];
    for (const file of files) {
      const scenario = checkScenario(readText(file), { structureOnly: true }).scenario as Scenario;
      const { onGraph, byLogic } = bothWays(scenario, 2000, 7);
      expect(onGraph, file).toEqual(byLogic);
    }
    const sample = checkScenario(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8'), { structureOnly: true }).scenario as Scenario;
    expect(bothWays(sample, 2000, 1).onGraph.random.passed).toBeGreaterThan(0);
  });

  it('on generated scenarios with loops, flags and mood conditions', () => {
    for (const size of [50, 300]) {
      const scenario = checkScenario(generateLoopScenario(size, { persistentFlags: 2 }), { structureOnly: true }).scenario as Scenario;
      const { onGraph, byLogic } = bothWays(scenario, 500, size);
      expect(onGraph.random).toEqual(byLogic.random);
    }
  });

  it('on 300 small random scenarios, where random players often pass, stop in loops or reach broken nodes', () => {
    const random = seededRandom(20261130);
    let passing = 0;
    for (let n = 0; n < 300; n++) {
      const scenario = randomScenario(random, n);
      const { onGraph, byLogic } = bothWays(scenario, 200, n + 1);
      expect(onGraph.random, scenario.id).toEqual(byLogic.random);
      if (onGraph.random.passed > 0) passing++;
    }
    expect(passing).toBeGreaterThan(30);
  });
});
