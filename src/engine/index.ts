/**
 * The engine's public face. Everything here runs unchanged in the browser, Node (CLI, server) and
 * tests: no Phaser, Howler or DOM.
 */
import { analyseScenario, type Analysis } from './analysis/explore';
import { replayCall, type AttemptStep, type Replay, type ReplayOptions } from './call/replay';
import type { Scenario } from './format/schema';
import { scoreCall, type CallResult } from './scoring';

export * from './format/schema';
export type { Dimension, Rule, Rulebook } from './format/rulebook';
export { criticalRules, parseRulebook, rulebookSchema, type StockPhrases } from './format/rulebook';
export { defaultRulebook } from './rulebook-data';
export { checkScenario, validateScenario, MAX_SCENARIO_BYTES, type CheckOptions, type CheckResult } from './check/validate';
export { DIAGNOSTIC_CODES, hasErrors, type Diagnostic, type DiagnosticCode, type Severity } from './check/diagnostics';
export { analyseScenario, dimensionWeights, usedDimensions, type Analysis, type AnalysisOptions, type BestPath, type GainfulLoop } from './analysis/explore';
export { auditScenario, type AuditReport, type StrategyResult } from './analysis/audit';
export { callMachine, callPhase, replySeconds, shownChoicesOf, stillSpeaking, type CallContext, type CallEvent, type CallInput, type CallMachine, type CallPhase } from './call/machine';
export { CallRun } from './call/run';
export { conditionHolds, offeredChoices, lineSeconds, shownChoices, spokenLine, silenceLineAt, type CallState, type TranscriptEntry } from './call/logic';
export { isAction, lineVariant, newSeed, optionOrder, SEED_PATTERN, startMood } from './call/variation';
export { replayCall, stepsFromChoiceList, type AttemptStep, type Replay, type ReplayOptions, type ReplayProblem } from './call/replay';
export { criticalBreaches, scoreCall, scoreDimensions, type CallResult, type ChoiceReview, type CriticalBreach, type DimensionScore, type FailReason } from './scoring';

export { attemptSchema, attemptSeed, attemptStepSchema, ATTEMPT_FORMAT_VERSION, ATTEMPT_FORMAT_VERSIONS, ATTEMPT_MODES, type Attempt, type AttemptMode } from './attempt';
export { canonicalJson, scenarioHash, sha256Hex } from './hash';
export { simulate, randomPlay, seededRandom, type SimulationReport } from './analysis/simulate';
export { mermaidGraph } from './analysis/graph';
export { planFromResult, planSchema, plansFileSchema, readPlans, transcriptKeys, type Plan, type PlansFile } from './plans';

const analyses = new WeakMap<Scenario, Analysis>();

/** The analysis of a scenario, computed once per scenario object. */
export function analysisOf(scenario: Scenario): Analysis {
  let analysis = analyses.get(scenario);
  if (!analysis) {
    analysis = analyseScenario(scenario);
    analyses.set(scenario, analysis);
  }
  return analysis;
}

export interface PlayOutcome {
  replay: Replay;
  /** Null when the steps could not all be taken or the call did not end. */
  result: CallResult | null;
}

/** Replays steps (with the attempt's seed, if any) and scores the call: what the CLI, the server and the debrief agree on. */
export function playSteps(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): PlayOutcome {
  const replay = replayCall(scenario, steps, options);
  if (replay.problem || !replay.ended) return { replay, result: null };
  return { replay, result: scoreCall(scenario, analysisOf(scenario), replay.context.call) };
}
