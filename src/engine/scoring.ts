/** Turns a finished call into the trainee's result: scores per dimension, pass or fail, feedback. */
import type { Analysis } from './analysis/explore';
import type { CallState } from './call/logic';
import { nodeIndex } from './call/logic';
import { OUTCOMES, type ChoiceKind, type Localised, type Outcome, type Scenario } from './format/schema';

export interface DimensionScore {
  id: string;
  raw: number;
  max: number;
  /** clamp(raw / max, 0, 1) as a percentage with one decimal. */
  percent: number;
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
}

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
  finalMood: number;
  durationMs: number;
  bestPath: string[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function scoreDimensions(analysis: Analysis, scores: Record<string, number>): { dimensions: DimensionScore[]; total: number } {
  const dimensions: DimensionScore[] = [];
  let got = 0;
  let possible = 0;
  for (const [id, max] of Object.entries(analysis.maxScores)) {
    const raw = scores[id] ?? 0;
    const clamped = Math.max(0, Math.min(raw, max));
    dimensions.push({ id, raw, max, percent: max > 0 ? round1((clamped / max) * 100) : 0 });
    got += clamped;
    possible += max;
  }
  return { dimensions, total: possible > 0 ? round1((got / possible) * 100) : 0 };
}

export function scoreCall(scenario: Scenario, analysis: Analysis, state: CallState): CallResult {
  const index = nodeIndex(scenario);
  const end = [...state.transcript].reverse().find((e) => e.kind === 'end');
  const outcome = (end?.kind === 'end' ? end.outcome : 'caller-hung-up') as Outcome;
  const { dimensions, total } = scoreDimensions(analysis, state.scores);
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
    });
  }
  const passed = OUTCOMES[outcome]?.passable === true && total >= scenario.passMark;
  const last = state.transcript[state.transcript.length - 1];
  return {
    scenarioId: scenario.id,
    revision: scenario.revision,
    outcome,
    endingId: end?.kind === 'end' && end.nodeId ? end.nodeId : null,
    passed,
    passMark: scenario.passMark,
    total,
    dimensions,
    choices,
    silences,
    answerRing,
    kept: state.kept,
    broken: state.broken,
    finalMood: state.mood,
    durationMs: last ? last.at : 0,
    bestPath: analysis.bestPath?.choices ?? [],
  };
}
