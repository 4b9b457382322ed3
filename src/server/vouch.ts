/**
 * What the server can vouch for in an attempt, and what it flags for the lead.
 *
 * Server starts. `POST /api/attempts/start` gives the attempt its id, its seed and the server's
 * start time. The seed is an HMAC of (attempt id, trainee, caller, mode, start time) under a
 * secret kept in the database (one for every app server on it): when the attempt comes back, the
 * server recomputes it and so knows — without a read — that it started this attempt, for this
 * trainee, at that time, in that mode. The attempt id is the table's key: one result per start.
 * An attempt whose seed does not verify (played offline, or forged) is stored all the same, dated
 * when the server received it, and flagged "not timed by the server".
 *
 * Flags (stored with the attempt, each with its reason):
 *  - untimed: no server start; the date is the server's receipt, the client's claimed start is kept.
 *  - quicker-than-the-call: the server received it sooner after its start than the call lasts.
 *  - too-fast: a choice made faster than a person can read the options shown (READING_FLOOR).
 *  - replayed: the same choices with the same reply times, to the millisecond, as an attempt
 *    stored before (any trainee) — a recording sent again, not a person playing.
 *  - same-choices: an assessment with the same sequence of choices as another trainee's attempt
 *    on the same caller.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { AttemptMode, AttemptStep, CallResult, Scenario } from '../engine/index';

export interface AttemptFlag {
  kind: 'untimed' | 'quicker-than-the-call' | 'too-fast' | 'replayed' | 'same-choices';
  reason: string;
}

export interface StartFields {
  attemptId: string;
  traineeId: number;
  scenarioId: string;
  mode: AttemptMode;
  /** ISO time, as the server gave it. */
  startedAt: string;
}

/** The seed of a server start: 32 base64url characters (192 bits) of HMAC-SHA256. */
export function startSeed(secret: string, f: StartFields): string {
  const startedAt = new Date(Date.parse(f.startedAt)).toISOString();
  return createHmac('sha256', secret).update([f.attemptId, f.traineeId, f.scenarioId, f.mode, startedAt].join('\u0000')).digest('base64url').slice(0, 32);
}

export function isServerStart(secret: string, f: StartFields, seed: string | undefined): boolean {
  if (!seed || Number.isNaN(Date.parse(f.startedAt))) return false;
  const expected = Buffer.from(startSeed(secret, f));
  const given = Buffer.from(seed);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The shortest time in which a person can read a decision's options and pick one:
 *   floor = 300 ms + characters × (20 ms for Chinese, 6 ms for English)
 * over the text of every option shown (whitespace not counted). 20 ms a character is 3,000
 * Chinese characters a minute and 6 ms about 2,000 English words a minute: several times the
 * fastest skimming, so a choice under the floor was not read. The 300 ms is the click.
 */
export const READING_FLOOR = { baseMs: 300, perCharMs: { 'zh-CN': 20, en: 6 } } as const;

export function readingFloorMs(optionTexts: readonly string[], language: 'zh-CN' | 'en'): number {
  const chars = optionTexts.reduce((n, text) => n + readingChars(text), 0);
  return READING_FLOOR.baseMs + chars * READING_FLOOR.perCharMs[language];
}

/** The characters of a text that count for reading: code points, whitespace not counted. */
const readingChars = (text: string): number => [...text.replace(/\s+/g, '')].length;

/** Reading characters of each option of a decision node, by choice id: [zh-CN, en]. */
type OptionChars = Map<string, readonly [number, number]>;

/**
 * Per scenario object (a version never changes; a new file is a new object): the reading characters
 * of every option, by node and choice, in both languages, counted once at the scenario's first
 * submission. The check then adds numbers from two map look-ups per option shown (it built and
 * hashed a string key per option at every submission: 10 µs of a bench submission's CPU).
 */
const optionChars = new WeakMap<Scenario, Map<string, OptionChars>>();

function readingTable(scenario: Scenario): Map<string, OptionChars> {
  let table = optionChars.get(scenario);
  if (table) return table;
  table = new Map();
  for (const node of scenario.nodes) {
    if (node.kind !== 'decision') continue;
    const choices: OptionChars = new Map();
    // The text of an option as the trainee saw it, in each language (the other language, else nothing, when one is missing).
    for (const choice of node.choices) choices.set(choice.id, [readingChars(choice.text['zh-CN'] ?? choice.text.en ?? ''), readingChars(choice.text.en ?? choice.text['zh-CN'] ?? '')]);
    table.set(node.id, choices);
  }
  optionChars.set(scenario, table);
  return table;
}

/** Choices made faster than the reading floor: the step's number (from 1), its ms and the floor. */
export function tooFastChoices(scenario: Scenario, steps: readonly AttemptStep[], result: CallResult, language: 'zh-CN' | 'en') {
  const table = readingTable(scenario);
  const lang = language === 'en' ? 1 : 0;
  const perChar = READING_FLOOR.perCharMs[language];
  const fast: { step: number; ms: number; floor: number }[] = [];
  // The k-th choice of the result is the k-th `choose` step.
  let at = 0;
  for (const review of result.choices) {
    while (at < steps.length && steps[at]!.type !== 'choose') at++;
    const step = steps[at];
    if (step?.type !== 'choose') break;
    // readingFloorMs over the options shown, their characters counted once per scenario.
    const node = table.get(review.nodeId);
    let chars = 0;
    for (const id of review.shown) chars += node?.get(id)?.[lang] ?? 0;
    const floor = READING_FLOOR.baseMs + chars * perChar;
    const ms = step.ms ?? 0;
    if (ms < floor) fast.push({ step: at + 1, ms, floor });
    at++;
  }
  return fast;
}

export interface FlagInput {
  scenario: Scenario;
  steps: readonly AttemptStep[];
  result: CallResult;
  language: 'zh-CN' | 'en';
  /** Null when the attempt had no server start. */
  serverElapsedMs: number | null;
  claimedStartedAt: string;
}

/** The flags the server can set before the insert; replayed / same-choices are found by the insert. */
export function attemptFlags(input: FlagInput): AttemptFlag[] {
  const flags: AttemptFlag[] = [];
  if (input.serverElapsedMs === null) {
    flags.push({ kind: 'untimed', reason: `not timed by the server: played without a server start (offline?); dated when the server received it; the device said it started ${input.claimedStartedAt}` });
  } else if (input.serverElapsedMs + 2_000 < input.result.durationMs) {
    flags.push({
      kind: 'quicker-than-the-call',
      reason: `the server received it ${(input.serverElapsedMs / 1000).toFixed(1)} s after starting it, but the call itself lasts ${(input.result.durationMs / 1000).toFixed(1)} s`,
    });
  }
  const fast = tooFastChoices(input.scenario, input.steps, input.result, input.language);
  if (fast.length > 0) {
    const shown = fast
      .slice(0, 3)
      .map((f) => `step ${f.step}: ${f.ms} ms, reading takes at least ${f.floor} ms`)
      .join('; ');
    flags.push({ kind: 'too-fast', reason: `${fast.length} of ${input.result.choices.length} choices faster than the options can be read (${shown}${fast.length > 3 ? '; …' : ''})` });
  }
  return flags;
}

/**
 * The choices with their reply times: the same recording sent again has the same print.
 * SHA-256, in hex, of the caller's id and each step's move, joined by U+0000 (one-shot
 * `crypto.hash`: no Hash object per print).
 */
export function replayPrint(scenarioId: string, steps: readonly AttemptStep[]): string {
  let text = scenarioId;
  for (const s of steps) text += `\u0000${s.type === 'choose' ? `${s.choiceId}@${s.ms ?? ''}` : s.type === 'answer' ? `answer@${s.ring}` : 'silence'}`;
  return hash('sha256', steps.length === 0 ? `${text}\u0000` : text, 'hex');
}

/** The sequence of choices alone. */
export function choicePrint(scenarioId: string, steps: readonly AttemptStep[]): string {
  let text = scenarioId;
  for (const s of steps) text += `\u0000${s.type === 'choose' ? s.choiceId : s.type === 'silence' ? '~' : ''}`;
  return hash('sha256', steps.length === 0 ? `${text}\u0000` : text, 'hex');
}
