/** Caption texts of a scenario's spoken lines, by line id: what speech synthesis reads. */
import type { Line, Scenario } from '../engine/format/schema';
import type { LineTexts } from './call-audio';
import { VOICE_LANGUAGES, type VoiceLanguage } from './manifest';

/** A scenario as its file holds it: only the lines are read. */
type LinesOf = Pick<Scenario, 'nodes'> & { timing?: { silence?: { line?: Line } } };

export function lineTexts(scenario: LinesOf): LineTexts {
  const texts: LineTexts = new Map();
  const lines = scenario.nodes.flatMap((node) => node.lines ?? []);
  const silence = scenario.timing?.silence?.line;
  for (const line of silence ? [...lines, silence] : lines) {
    if (line.narration) continue;
    const text: Partial<Record<VoiceLanguage, string>> = {};
    for (const lang of VOICE_LANGUAGES) if (line.text[lang]) text[lang] = line.text[lang];
    texts.set(line.id, text);
  }
  return texts;
}
