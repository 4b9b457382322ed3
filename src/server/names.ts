/**
 * People's names on the dashboard: what may be in one, and when two look alike.
 *
 * Refused outright: control characters, and every character that shows nothing or reorders text —
 * format characters (Unicode category Cf: zero-width space and joiners, the bidirectional marks,
 * embeddings, overrides and isolates, the soft hyphen, word joiner, BOM), the Hangul fillers, the
 * combining grapheme joiner, variation selectors, the Mongolian free variation selectors, private-use
 * and unassigned code points.
 *
 * The skeleton of a name — two names with the same skeleton look alike in a cohort:
 *  1. NFKC (full-width ＡＢＣ → ABC, ligatures, superscripts, compatibility forms);
 *  2. case folded (toLowerCase, ß → ss, final ς → σ);
 *  3. decomposed (NFD) with every combining mark removed (é → e, Å → a);
 *  4. spaces, dots, hyphens, apostrophes and underscores removed ("Li Na" = "Li-Na" = "LiNa");
 *  5. a small confusables map: Cyrillic and Greek letters that look Latin (а е о р с у х і ј ѕ һ ԁ
 *     ԛ ԝ, α β ε ι κ ν ο ρ τ υ χ), digits that pass for letters (0 → o, 1 → l), i and l as one
 *     letter (capital I and small l look the same in sans-serif), and the sequences rn → m,
 *     vv → w, cl → d.
 * It does not cover the whole of Unicode's confusables.txt (Armenian, Cherokee, mathematical
 * alphanumerics beyond what NFKC folds, …) nor simplified/traditional Chinese pairs (张/張 are
 * different skeletons).
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// Combining characters (the grapheme joiner, variation selectors) go outside the character class.
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cn}\u115f\u1160\u3164\uffa0\u2800]|\u034f|\p{Variation_Selector}/u;

/** Why this (NFC) name cannot be used, or null. */
export function nameProblem(name: string): string | null {
  if (CONTROL.test(name)) return 'a name cannot hold control characters';
  const hidden = INVISIBLE.exec(name);
  if (hidden) {
    const code = hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `a name cannot hold invisible or text-direction characters (U+${code} at place ${[...name.slice(0, hidden.index)].length + 1})`;
  }
  return null;
}

const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'l', ї: 'l', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ь: 'b',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', μ: 'u', γ: 'y',
  // Latin look-alikes and digits
  // Capital I and small l are one stroke in most sans-serif fonts; after case folding that is i and l.
  i: 'l', ı: 'l', ɡ: 'g', ɑ: 'a', ʟ: 'l', '0': 'o', '1': 'l', '|': 'l',
};
const SEQUENCES: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

export function nameSkeleton(name: string): string {
  let s = name.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
  s = s.normalize('NFD').replace(/\p{M}/gu, '');
  s = s.replace(new RegExp(INVISIBLE.source, 'gu'), '').replace(/[\s._\-'’‘`·・]/gu, '');
  s = [...s].map((ch) => CONFUSABLES[ch] ?? ch).join('');
  for (const [pattern, to] of SEQUENCES) s = s.replace(pattern, to);
  return s.normalize('NFC');
}
