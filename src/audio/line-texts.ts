/**
 * The caller lines of a scenario, wherever the format keeps them: node lines, a decision's silence
 * line, the scenario's silence line, and any place a later format version adds. A line is any
 * object with exactly a line's fields (id, text, and optionally narration and seconds), so a new
 * line-bearing field is voiced without a change here.
 */
import type { Line } from '../engine/format/schema';
import type { LineTexts } from './call-audio';
import { VOICE_LANGUAGES, type VoiceLanguage } from './manifest';

const LINE_FIELDS = new Set(['id', 'text', 'narration', 'seconds', 'variants']);

function isLine(value: object): value is Line {
  const record = value as Record<string, unknown>;
  return (
    typeof record.id === 'string' &&
    typeof record.text === 'object' &&
    record.text !== null &&
    !Array.isArray(record.text) &&
    Object.keys(record).every((key) => LINE_FIELDS.has(key))
  );
}

/** Every spoken line (narration left out) in document order, each id once; a line's variants follow it. */
export function spokenLinesOf(scenario: unknown): Line[] {
  const lines: Line[] = [];
  const seen = new Set<string>();
  const add = (line: Line) => {
    if (seen.has(line.id)) return;
    seen.add(line.id);
    lines.push(line);
  };
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) return value.forEach(walk);
    if (isLine(value)) {
      if (value.narration) return;
      add(value);
      for (const variant of value.variants ?? []) add({ id: variant.id, text: variant.text, ...(variant.seconds !== undefined ? { seconds: variant.seconds } : {}) });
      return;
    }
    Object.values(value).forEach(walk);
  };
  walk(scenario);
  return lines;
}

/** The line each variant id stands in for (a line stands for itself). */
export function baseLineIds(scenario: unknown): Map<string, string> {
  const base = new Map<string, string>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) return value.forEach(walk);
    if (isLine(value)) {
      base.set(value.id, value.id);
      for (const variant of value.variants ?? []) base.set(variant.id, value.id);
      return;
    }
    Object.values(value).forEach(walk);
  };
  walk(scenario);
  return base;
}

/** Caption texts of a scenario's spoken lines, by line id: what speech synthesis reads. */
export function lineTexts(scenario: unknown): LineTexts {
  const texts: LineTexts = new Map();
  for (const line of spokenLinesOf(scenario)) {
    const text: Partial<Record<VoiceLanguage, string>> = {};
    for (const lang of VOICE_LANGUAGES) if (line.text[lang]) text[lang] = line.text[lang];
    texts.set(line.id, text);
  }
  return texts;
}
