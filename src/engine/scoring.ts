/** Turns a finished call into the trainee's result: scores per dimension, pass or fail, feedback. */
import type { Analysis } from './analysis/explore';
import type { CallState, TranscriptEntry } from './call/logic';
import { DEFAULT_LATE_ANSWER, nodeIndex, silenceEffect } from './call/logic';
import { criticalRules, type Rulebook } from './format/rulebook';
import { defaultRulebook } from './rulebook-data';
import { OUTCOMES, type ChoiceKind, type Localised, type Outcome, type Scenario } from './format/schema';

export interface DimensionScore {
  id: string;
  raw: number;
  /** The model call's points in this dimension: what the bar is measured against. */
  model: number;
  /** The most any play can reach in this dimension. */
  max: number;
  /** Its weight in the total. */
  weight: number;
  /** raw ÷ model as a percentage with one decimal, at most 100; below zero when the points are. */
  percent: number;
  /** Whether it counts in the total (the model call earns points in it). */
  counted: boolean;
}

export interface ChoiceReview {
  nodeId: string;
  choiceId: string;
  kind: ChoiceKind;
  text: Localised;
  feedback: Localised;
  kept: string[];
  broken: string[];
  scores: Record<string, number>;
  moodBefore: number;
  moodAfter: number;
  at: number;
  /** The options in the order the trainee saw them. */
  shown: string[];
  /** The place of the chosen option in that list, from 1. */
  position: number;
}

/** A critical rule broken during the call: the call fails whatever its points. */
export interface CriticalBreach {
  ruleId: string;
  nodeId: string;
  /** The choice that broke it; null for a silence or the answer. */
  choiceId: string | null;
}

/** Why a call did not pass, most serious first. */
export type FailReason =
  | { kind: 'critical'; ruleId: string; nodeId: string; choiceId: string | null }
  | { kind: 'outcome'; outcome: Outcome }
  | { kind: 'score'; total: number; passMark: number };

export interface CallResult {
  scenarioId: string;
  revision: number;
  outcome: Outcome;
  endingId: string | null;
  passed: boolean;
  passMark: number;
  total: number;
  dimensions: DimensionScore[];
  choices: ChoiceReview[];
  silences: number;
  answerRing: number;
  kept: string[];
  broken: string[];
  criticalBreaches: CriticalBreach[];
  failReasons: FailReason[];
  finalMood: number;
  startMood: number;
  seed: string | null;
  durationMs: number;
  /** The model call's choices for this starting anger. */
  bestPath: string[];
  weights: Record<string, number>;
  modelScores: Record<string, number>;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The bars and the total. Each dimension's bar is the trainee's points over the model call's (at
 * most 100%, negative points kept); the total is the weighted mean of the bars of the dimensions the
 * model call earns points in, from 0 to 100.
 */
export function scoreDimensions(analysis: Analysis, scores: Record<string, number>, model: Record<string, number> = analysis.bestPath?.scores ?? {}): { dimensions: DimensionScore[]; total: number } {
  const dimensions: DimensionScore[] = [];
  let sum = 0;
  let weights = 0;
  for (const [id, max] of Object.entries(analysis.maxScores)) {
    const raw = scores[id] ?? 0;
    const against = model[id] ?? 0;
    const weight = analysis.weights[id] ?? 1;
    const counted = against > 0 && weight > 0;
    // A dimension the model call earns nothing in is measured against the most any play reaches.
    const base = against > 0 ? against : max;
    const bar = base > 0 ? Math.min(raw / base, 1) : raw < 0 ? -1 : 1;
    dimensions.push({ id, raw, model: against, max, weight, percent: round1(bar * 100), counted });
    if (counted) {
      sum += weight * bar;
      weights += weight;
    }
  }
  const total = weights > 0 ? Math.max(0, Math.min(100, round1((sum / weights) * 100))) : 0;
  return { dimensions, total };
}

/** Critical rules broken by the call's choices and silences, in order. */
export function criticalBreaches(scenario: Scenario, state: CallState, critical: ReadonlySet<string>): CriticalBreach[] {
  if (critical.size === 0) return [];
  const index = nodeIndex(scenario);
  const breaches: CriticalBreach[] = [];
  const silenceBroken = silenceEffect(scenario).rules.broken ?? [];
  for (const entry of state.transcript) {
    if (entry.kind === 'agent') {
      const node = index.get(entry.nodeId);
      const choice = node?.kind === 'decision' ? node.choices.find((c) => c.id === entry.choiceId) : undefined;
      for (const ruleId of choice?.rules?.broken ?? []) if (critical.has(ruleId)) breaches.push({ ruleId, nodeId: entry.nodeId, choiceId: entry.choiceId });
    } else if (entry.kind === 'silence') {
      for (const ruleId of silenceBroken) if (critical.has(ruleId)) breaches.push({ ruleId, nodeId: entry.nodeId, choiceId: null });
    } else if (entry.kind === 'answer' && entry.late) {
      const broken = scenario.timing.lateAnswer?.rules?.broken ?? DEFAULT_LATE_ANSWER.rules.broken;
      for (const ruleId of broken) if (critical.has(ruleId)) breaches.push({ ruleId, nodeId: scenario.start, choiceId: null });
    }
  }
  return breaches;
}

const criticals = new WeakMap<Rulebook, ReadonlySet<string>>();

/** The rulebook's critical rules, worked out once per rulebook object. */
function criticalOf(rulebook: Rulebook): ReadonlySet<string> {
  let critical = criticals.get(rulebook);
  if (!critical) {
    critical = criticalRules(rulebook);
    criticals.set(rulebook, critical);
  }
  return critical;
}

export function scoreCall(scenario: Scenario, analysis: Analysis, state: CallState, rulebook: Rulebook = defaultRulebook()): CallResult {
  const index = nodeIndex(scenario);
  const transcript = state.transcript;
  let end: TranscriptEntry | undefined;
  for (let i = transcript.length - 1; i >= 0 && !end; i--) if (transcript[i]?.kind === 'end') end = transcript[i];
  const outcome = (end?.kind === 'end' ? end.outcome : 'caller-hung-up') as Outcome;
  const model = analysis.models[state.startMood] ?? analysis.bestPath;
  const { dimensions, total } = scoreDimensions(analysis, state.scores, model?.scores ?? {});
  const choices: ChoiceReview[] = [];
  let silences = 0;
  let answerRing = 0;
  for (const entry of state.transcript) {
    if (entry.kind === 'silence') silences++;
    if (entry.kind === 'answer') answerRing = entry.ring;
    if (entry.kind !== 'agent') continue;
    const node = index.get(entry.nodeId);
    const choice = node?.kind === 'decision' ? node.choices.find((c) => c.id === entry.choiceId) : undefined;
    if (!choice) continue;
    choices.push({
      nodeId: entry.nodeId,
      choiceId: choice.id,
      kind: choice.kind,
      text: choice.text,
      feedback: choice.feedback,
      kept: choice.rules?.kept ?? [],
      broken: choice.rules?.broken ?? [],
      scores: choice.scores ?? {},
      moodBefore: entry.moodBefore,
      moodAfter: entry.moodAfter,
      at: entry.at,
      shown: entry.shown,
      position: entry.position,
    });
  }
  const breaches = criticalBreaches(scenario, state, criticalOf(rulebook));
  const failReasons: FailReason[] = breaches.map((b) => ({ kind: 'critical', ...b }));
  if (OUTCOMES[outcome]?.passable !== true) failReasons.push({ kind: 'outcome', outcome });
  if (total < scenario.passMark) failReasons.push({ kind: 'score', total, passMark: scenario.passMark });
  const last = state.transcript[state.transcript.length - 1];
  return {
    scenarioId: scenario.id,
    revision: scenario.revision,
    outcome,
    endingId: end?.kind === 'end' && end.nodeId ? end.nodeId : null,
    passed: failReasons.length === 0,
    passMark: scenario.passMark,
    total,
    dimensions,
    choices,
    silences,
    answerRing,
    kept: state.kept,
    broken: state.broken,
    criticalBreaches: breaches,
    failReasons,
    finalMood: state.mood,
    startMood: state.startMood,
    seed: state.seed,
    durationMs: last ? last.at : 0,
    bestPath: model?.choices ?? [],
    weights: analysis.weights,
    modelScores: model?.scores ?? {},
  };
}
