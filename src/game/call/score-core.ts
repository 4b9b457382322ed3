/** Scoring shared by the worker and the main-thread fallback. */
import { analysisOf, checkScenario, playSteps, scenarioHash, scoreCall, type Scenario } from '../../engine/index';
import type { ScoreRequest, Scored } from './scoring';

const parsed = new WeakMap<object, Scenario>();
let lastText: { text: string; scenario: Scenario } | null = null;

/** The scenario as the engine parses it (defaults filled in), from file text or a parsed value. */
export function scenarioFrom(value: unknown): Scenario {
  if (typeof value === 'string') {
    if (lastText?.text === value) return lastText.scenario;
    const scenario = checked(value);
    lastText = { text: value, scenario };
    return scenario;
  }
  if (typeof value !== 'object' || value === null) throw new Error('no scenario');
  let scenario = parsed.get(value);
  if (!scenario) {
    scenario = checked(value);
    parsed.set(value, scenario);
  }
  return scenario;
}

function checked(value: unknown): Scenario {
  const { scenario, diagnostics } = checkScenario(value, { structureOnly: true });
  if (!scenario) throw new Error(diagnostics[0]?.message ?? 'the scenario does not check');
  return scenario;
}

export function hashOf(value: unknown): string {
  return scenarioHash(scenarioFrom(value));
}

export function prepare(value: unknown): string {
  const scenario = scenarioFrom(value);
  analysisOf(scenario);
  return scenarioHash(scenario);
}

export function score(value: unknown, request: ScoreRequest): Scored {
  const scenario = scenarioFrom(value);
  if (request.replay) {
    const { result, replay } = playSteps(scenario, request.steps, request.seed ? { seed: request.seed } : {});
    if (result) return { result, replayed: true, problem: null };
    const problem = replay.problem?.message ?? 'the replayed call did not end';
    return { result: scoreCall(scenario, analysisOf(scenario), request.live), replayed: false, problem };
  }
  return { result: scoreCall(scenario, analysisOf(scenario), request.live), replayed: false, problem: null };
}
