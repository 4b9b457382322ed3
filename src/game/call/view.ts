/**
 * What the desk shows, computed from the call machine's snapshot: pure functions, no Phaser, so
 * the scenes only draw and the rules stay in the engine.
 */
import type { TranscriptEntry } from '../../engine/call/logic';
import type { CallPhase } from '../../engine/call/machine';
import type { Choice, ChoiceKind, Line, Localised, Scenario, Timing } from '../../engine/format/schema';
import type { PortraitMood } from '../assets';

/** Where the call stands, as the desk shows it (the engine's `callPhase`). */
export type Phase = CallPhase;

/** The portrait's expression: thresholds are fractions of the caller's own breaking point. */
export function moodBand(mood: number, moodLimit: number): PortraitMood {
  const ratio = moodLimit > 0 ? mood / moodLimit : 0;
  if (ratio < 0.4) return 'calm';
  if (ratio < 0.7) return 'annoyed';
  return 'angry';
}

export interface ChoiceView {
  id: string;
  kind: ChoiceKind;
  text: Localised;
  tier?: string;
  /** 1-based number shown on the button and pressed on the keyboard (1–9). */
  number: number;
}

/**
 * The options as the trainee sees them, given in the engine's order for this attempt's seed (the
 * words shuffled, the desk actions after them: `CallSession.shown()`), numbered in that order,
 * which the keys follow. The engine's value code stays in the call's own chunk, not the start-up one.
 */
export function choiceViews(shown: readonly Choice[]): ChoiceView[] {
  return shown.map((choice: Choice, index) => ({
    id: choice.id,
    kind: choice.kind,
    text: choice.text,
    ...(choice.tier ? { tier: choice.tier } : {}),
    number: index + 1,
  }));
}

export type TranscriptItem =
  | { kind: 'caller'; key: string; text: Localised; narration: boolean; lineId: string; at: number }
  | { kind: 'agent'; key: string; text: Localised; choiceKind: ChoiceKind; at: number }
  | { kind: 'note'; key: string; note: 'answered' | 'answered-late' | 'silence' | 'hold' | 'mood-limit' | 'ended'; value?: number; at: number };

/** Every line the caller can say by its id, each variant under its own id (captions, voice). */
export function lineIndex(scenario: Scenario): Map<string, Line> {
  const index = new Map<string, Line>();
  const add = (line: Line) => {
    if (!index.has(line.id)) index.set(line.id, line);
    for (const variant of line.variants ?? []) if (!index.has(variant.id)) index.set(variant.id, { ...line, ...variant, variants: undefined });
  };
  for (const node of scenario.nodes) {
    for (const line of node.lines ?? []) add(line);
    if (node.kind === 'decision' && node.silenceLine) add(node.silenceLine);
  }
  const silence = scenario.timing.silence?.line;
  if (silence) add(silence);
  return index;
}

export function choiceIndex(scenario: Scenario): Map<string, Choice> {
  const index = new Map<string, Choice>();
  for (const node of scenario.nodes) if (node.kind === 'decision') for (const choice of node.choices) index.set(`${node.id}/${choice.id}`, choice);
  return index;
}

/**
 * The transcript as the trainee sees it at `elapsedMs`: the machine records a caller's lines when
 * the caller starts speaking, each stamped with when it will be heard, so later lines wait their turn.
 * `revealAll` shows everything (the trainee skipped ahead).
 */
export function transcriptAt(
  entries: readonly TranscriptEntry[],
  lines: Map<string, Line>,
  choices: Map<string, Choice>,
  elapsedMs: number,
  revealAll: boolean,
): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  entries.forEach((entry, i) => {
    const key = `${i}`;
    if (!revealAll && entry.at > elapsedMs) return;
    switch (entry.kind) {
      case 'caller': {
        const line = lines.get(entry.lineId);
        if (line) items.push({ kind: 'caller', key, text: line.text, narration: entry.narration, lineId: entry.lineId, at: entry.at });
        return;
      }
      case 'agent': {
        const choice = choices.get(`${entry.nodeId}/${entry.choiceId}`);
        if (choice) items.push({ kind: 'agent', key, text: choice.text, choiceKind: choice.kind, at: entry.at });
        return;
      }
      case 'answer':
        items.push({ kind: 'note', key, note: entry.late ? 'answered-late' : 'answered', value: entry.ring, at: entry.at });
        return;
      case 'silence':
        items.push({ kind: 'note', key, note: 'silence', at: entry.at });
        return;
      case 'hold':
        items.push({ kind: 'note', key, note: 'hold', value: entry.seconds, at: entry.at });
        return;
      case 'mood-limit':
        items.push({ kind: 'note', key, note: 'mood-limit', at: entry.at });
        return;
      case 'end':
        items.push({ kind: 'note', key, note: 'ended', at: entry.at });
        return;
      default:
        return;
    }
  });
  return items;
}

/** The time-compressed desk clock, HH:MM, or null when the scenario has none. */
export function deskClock(timing: Pick<Timing, 'clock'>, answeredAtMs: number | null, elapsedMs: number): string | null {
  const clock = timing.clock;
  if (!clock) return null;
  const [h, m] = clock.start.split(':').map(Number) as [number, number];
  const callSeconds = answeredAtMs === null ? 0 : Math.max(0, (elapsedMs - answeredAtMs) / 1000) * clock.speed;
  const minutes = (h * 60 + m + Math.floor(callSeconds / 60)) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function answeredAt(entries: readonly TranscriptEntry[]): number | null {
  const entry = entries.find((e) => e.kind === 'answer');
  return entry ? entry.at : null;
}
