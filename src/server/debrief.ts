/**
 * The annotated transcript of a stored attempt: its steps replayed through the engine on the exact
 * scenario version it was played on, with every line's text and every choice's feedback and rules,
 * as the trainee's debrief showed them.
 */
import { defaultRulebook, playSteps, spokenLine, type AttemptStep, type CallResult, type ChoiceKind, type ChoiceReview, type Localised, type Scenario } from '../engine/index';

export type DebriefEntry =
  | { kind: 'answer'; at: number; ring: number; late: boolean }
  | { kind: 'caller'; at: number; lineId: string; text: Localised; narration: boolean }
  | ({ kind: 'agent'; choiceKind: ChoiceKind; shownText: Localised[]; critical: string[] } & Omit<ChoiceReview, 'kind' | 'nodeId'>)
  | { kind: 'silence'; at: number; moodAfter: number }
  | { kind: 'hold'; at: number; seconds: number }
  | { kind: 'mood-limit'; at: number }
  | { kind: 'end'; at: number; outcome: string; title: Localised | null; summary: Localised | null };

export interface Debrief {
  result: Pick<CallResult, 'outcome' | 'passed' | 'passMark' | 'total' | 'dimensions' | 'kept' | 'broken' | 'finalMood' | 'durationMs' | 'failReasons'> & { bestPath?: string[] };
  transcript: DebriefEntry[];
  rules: Record<string, Localised>;
}

export function buildDebrief(scenario: Scenario, steps: readonly AttemptStep[], seed: string | null = null): Debrief | null {
  const { replay, result } = playSteps(scenario, steps, seed !== null ? { seed } : {});
  if (!result) return null;
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
  const reviews = [...result.choices];
  const choiceText = new Map(scenario.nodes.flatMap((n) => (n.kind === 'decision' ? n.choices.map((c) => [`${n.id}\u0000${c.id}`, c.text] as const) : [])));
  const transcript: DebriefEntry[] = [];
  for (const entry of replay.context.call.transcript) {
    switch (entry.kind) {
      case 'answer':
        transcript.push({ kind: 'answer', at: entry.at, ring: entry.ring, late: entry.late });
        break;
      case 'caller': {
        transcript.push({ kind: 'caller', at: entry.at, lineId: entry.lineId, text: spokenLine(scenario, nodes.get(entry.nodeId), entry.lineId)?.text ?? {}, narration: entry.narration });
        break;
      }
      case 'agent': {
        const review = reviews.shift();
        if (!review) break;
        transcript.push({
          kind: 'agent',
          at: entry.at,
          choiceId: review.choiceId,
          choiceKind: review.kind,
          text: review.text,
          feedback: review.feedback,
          kept: review.kept,
          broken: review.broken,
          scores: review.scores,
          moodBefore: review.moodBefore,
          moodAfter: review.moodAfter,
          shown: review.shown,
          position: review.position,
          shownText: review.shown.map((id) => choiceText.get(`${review.nodeId}\u0000${id}`) ?? {}),
          critical: result.criticalBreaches.filter((b) => b.nodeId === review.nodeId && b.choiceId === review.choiceId).map((b) => b.ruleId),
        });
        break;
      }
      case 'silence':
        transcript.push({ kind: 'silence', at: entry.at, moodAfter: entry.moodAfter });
        break;
      case 'hold':
        transcript.push({ kind: 'hold', at: entry.at, seconds: entry.seconds });
        break;
      case 'mood-limit':
        transcript.push({ kind: 'mood-limit', at: entry.at });
        break;
      case 'end': {
        const node = nodes.get(entry.nodeId);
        const ending = node?.kind === 'ending' ? node : null;
        transcript.push({ kind: 'end', at: entry.at, outcome: entry.outcome, title: ending?.title ?? null, summary: ending?.summary ?? null });
        break;
      }
      default:
        break;
    }
  }
  const cited = new Set([...result.kept, ...result.broken, ...result.choices.flatMap((c) => [...c.kept, ...c.broken]), ...result.criticalBreaches.map((b) => b.ruleId)]);
  const rules = Object.fromEntries(defaultRulebook().rules.filter((r) => cited.has(r.id)).map((r) => [r.id, r.text]));
  const { outcome, passed, passMark, total, dimensions, kept, broken, finalMood, durationMs, bestPath, failReasons } = result;
  return { result: { outcome, passed, passMark, total, dimensions, kept, broken, finalMood, durationMs, bestPath, failReasons }, transcript, rules };
}
