/**
 * Chinese text takes full-width punctuation (，。：；？！（）). These rules find the ASCII marks a
 * Chinese text should not have: the scenario checker's HTL050 and the interface's string tables
 * (tests/game/i18n-punctuation.test.ts) use the same ones.
 */

/** ASCII , : ; ? ! ( ) next to a Chinese character (or a full-width mark). */
export const ASCII_IN_CHINESE = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef][,:;?!()]|[,:;?!()][\u3400-\u9fff]/;

const CJK = /[\u3400-\u9fff]/;

export interface PunctuationSlip {
  /** Where in the text the ASCII mark is. */
  index: number;
  mark: string;
  /** A few characters either side, for the message. */
  excerpt: string;
}

function slip(text: string, index: number): PunctuationSlip {
  return { index, mark: text[index] ?? '', excerpt: text.slice(Math.max(0, index - 6), index + 8) };
}

/** The first ASCII mark next to a Chinese character, or null (the rule of HTL050). */
export function asciiPunctuationInChinese(text: string): PunctuationSlip | null {
  const match = ASCII_IN_CHINESE.exec(text);
  if (!match) return null;
  // The match starts on the Chinese character when the mark follows it.
  const at = /[,:;?!()]/.test(match[0][0] ?? '') ? match.index : match.index + 1;
  return slip(text, at);
}

/**
 * Every ASCII , : ; ? ! ( ) in a sentence of the interface written in Chinese, not only those next
 * to a Chinese character ("数字键 1–5,↑↓" has its comma between a digit and an arrow). Left alone:
 * `{placeholders}`, a comma or colon between digits (1,000, 10:30) and a colon before "//" (a URL).
 * A text without Chinese characters (a key name, "Hold the Line") is not a Chinese sentence.
 */
export function asciiPunctuationInChineseUi(text: string): PunctuationSlip[] {
  if (!CJK.test(text)) return [];
  const out: PunctuationSlip[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (depth > 0 || !',:;?!()'.includes(ch)) continue;
    const before = text[i - 1] ?? '';
    const after = text[i + 1] ?? '';
    const digits = /\d/.test(before) && /\d/.test(after);
    if ((ch === ',' || ch === ':') && digits) continue;
    if (ch === ':' && after === '/') continue;
    out.push(slip(text, i));
  }
  return out;
}
