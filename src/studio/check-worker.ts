/**
 * The studio's checker off the page's thread: the whole check (the play analysis and the
 * guessability audit take up to a second on a large caller), the model call and the random plays.
 */
import { analysisOf, auditScenario, checkScenario, defaultRulebook, simulate } from '../engine/index';
import type { CheckAnswer, CheckRequest } from './checking';

const rulebook = defaultRulebook();

function answer(request: CheckRequest): CheckAnswer {
  const { diagnostics, scenario } = checkScenario(request.doc, { rulebook });
  if (!scenario) return { id: request.id, type: request.type, diagnostics, model: null, randomPass: null, simulation: null };
  const analysis = analysisOf(scenario);
  const model = analysis.bestPath ? { choices: analysis.bestPath.choices, outcome: analysis.bestPath.outcome } : null;
  if (request.type === 'simulate') {
    const report = simulate(scenario, analysis, { runs: request.runs, seed: 1 });
    return { id: request.id, type: 'simulate', diagnostics, model, randomPass: null, simulation: { runs: report.runs, passed: report.passed } };
  }
  const audit = analysis.complete && analysis.bestPath ? auditScenario(scenario, analysis, rulebook) : null;
  return { id: request.id, type: 'check', diagnostics, model, randomPass: audit ? { rate: audit.random.passRate, plays: audit.random.plays } : null, simulation: null };
}

self.onmessage = (event: MessageEvent<CheckRequest>) => {
  try {
    self.postMessage(answer(event.data));
  } catch (error) {
    self.postMessage({ id: event.data.id, type: event.data.type, failed: error instanceof Error ? error.message : String(error) });
  }
};
