/**
 * What makes two attempts at one caller differ: the order of the options, the caller's wording and
 * his starting anger, all drawn from the attempt's seed. Every draw is a pure function of the seed
 * and of where the call stands, so a replay of the same steps with the same seed sees the same call.
 * Without a seed (the CLI, golden plans) nothing varies: the file's order, the first wording, the
 * lowest starting anger.
 */
import { seededRandom } from '../analysis/simulate';
import { baseMood, type Choice, type DecisionNode, type Line, type LineVariant, type Scenario } from '../format/schema';

/** An attempt's seed: letters, digits, "-" and "_", 8 to 64 of them. */
export const SEED_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Choice kinds that stay in the desk's fixed action bar, after the words, in the file's order. */
export function isAction(choice: Pick<Choice, 'kind'>): boolean {
  return choice.kind !== 'say';
}

/** FNV-1a over a text's UTF-16 code units, then a separator, so ("ab","c") and ("a","bc") differ. */
function eat(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 0x1f;
  return Math.imul(h, 0x01000193);
}

/** A 32-bit hash of the seed and the keys (FNV-1a over UTF-16 code units, then a final mix). */
function hash(seed: string, keys: readonly (string | number)[]): number {
  let h = eat(0x811c9dc5, seed);
  for (const key of keys) h = eat(h, String(key));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A random source for one draw: the engine's seeded generator, seeded by the seed and the keys. */
export function drawRandom(seed: string, ...keys: (string | number)[]): () => number {
  return seededRandom(hash(seed, keys));
}

/**
 * The options of a decision in the order the trainee sees them: the words shuffled (Fisher–Yates)
 * for this seed, this decision and this visit to it, then the actions in the file's order.
 */
export function optionOrder<C extends Pick<Choice, 'id' | 'kind'>>(seed: string | null, node: Pick<DecisionNode, 'id'>, visit: number, offered: readonly C[]): C[] {
  const words: C[] = [];
  const actions: C[] = [];
  for (const c of offered) (isAction(c) ? actions : words).push(c);
  if (seed !== null && words.length > 1) {
    const random = drawRandom(seed, 'order', node.id, visit);
    for (let i = words.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const held = words[i] as C;
      words[i] = words[j] as C;
      words[j] = held;
    }
  }
  for (const c of actions) words.push(c);
  return words;
}

/** Which wording of a line is said here: the line itself or one of its variants. */
export function lineVariant(seed: string | null, line: Line, salt: number): Line | LineVariant {
  const variants = line.variants;
  if (seed === null || !variants || variants.length === 0) return line;
  const pick = Math.floor(drawRandom(seed, 'line', line.id, salt)() * (variants.length + 1));
  return pick === 0 ? line : (variants[pick - 1] ?? line);
}

/** The caller's anger at the start of this attempt: drawn from the scenario's range. */
export function startMood(scenario: Pick<Scenario, 'caller'>, seed: string | null): number {
  const mood = scenario.caller.mood;
  if (seed === null || typeof mood === 'number' || mood.min === mood.max) return baseMood(scenario);
  // The draw picks one of `startMoods(scenario)`, the whole numbers from the lower bound to the
  // upper: counted here instead of listed, as every call starts with this draw.
  const low = Math.min(mood.min, mood.max);
  const count = Math.max(mood.min, mood.max) - low + 1;
  return low + Math.floor(drawRandom(seed, 'mood')() * count);
}

/** A fresh seed for an attempt, from the platform's cryptographic random source. */
export function newSeed(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
