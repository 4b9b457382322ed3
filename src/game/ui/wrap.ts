/**
 * Line breaking for mixed Chinese and English text. Phaser's own wrap only breaks at spaces, so a
 * Chinese sentence would run off the panel. Here any CJK character is a break opportunity, Latin
 * words stay whole (unless longer than the line), and the usual Chinese rules apply: closing
 * punctuation never starts a line, opening punctuation never ends one.
 */

const CJK = /[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
/** May not start a line. */
const CLOSING = new Set('，。、；：？！）」』】》〉”’…—,.;:?!)]}%·~'.split(''));
/** May not end a line. */
const OPENING = new Set('（「『【《〈“‘([{'.split(''));

export type Measure = (text: string) => number;

/** Splits a paragraph into unbreakable pieces, each carrying its trailing spaces. */
export function segments(paragraph: string): string[] {
  const pieces: string[] = [];
  let word = '';
  const flush = () => {
    if (word) pieces.push(word);
    word = '';
  };
  for (const ch of paragraph) {
    if (ch === ' ') {
      word += ch;
      flush();
    } else if (CJK.test(ch)) {
      flush();
      pieces.push(ch);
    } else {
      // A Latin character after a trailing space starts a new word; after CJK too.
      word += ch;
    }
  }
  flush();
  // Glue punctuation to its neighbours so the rules above hold at every break.
  const glued: string[] = [];
  for (const piece of pieces) {
    const first = piece[0] ?? '';
    const previous = glued[glued.length - 1];
    if (previous !== undefined && (CLOSING.has(first) || OPENING.has(previous[previous.length - 1] ?? ''))) glued[glued.length - 1] = previous + piece;
    else glued.push(piece);
  }
  return glued;
}

function breakLongPiece(piece: string, width: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of piece) {
    if (line && measure(line + ch) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Wraps text to `width` pixels; explicit newlines are kept. Never returns a line wider than width
 * unless one character is. With `limit`, stops once it has more than `limit` lines (the first
 * `limit` are as without it): text to be cut to a few lines is not measured to its end.
 */
export function wrapLines(text: string, width: number, measure: Measure, limit = Infinity): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const piece of segments(paragraph)) {
      if (out.length > limit) return out;
      const candidate = line + piece;
      if (measure(candidate.trimEnd()) <= width) {
        line = candidate;
        continue;
      }
      if (line) out.push(line.trimEnd());
      if (measure(piece.trimEnd()) > width) {
        const parts = breakLongPiece(piece.trimEnd(), width, measure);
        out.push(...parts.slice(0, -1));
        line = parts[parts.length - 1] ?? '';
        if (piece.endsWith(' ')) line += ' ';
      } else {
        line = piece;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Cuts wrapped lines to `maxLines`, ending the last with an ellipsis that still fits the width. */
export function clampLines(lines: string[], maxLines: number | undefined, measure: (s: string) => number, width: number): string[] {
  if (!maxLines || lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] ?? '';
  while (last && measure(`${last}…`) > width) last = Array.from(last).slice(0, -1).join('');
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}
