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
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/**
 * Per scenario object (a version never changes; a new file is a new object): the reading
 * characters of each option, by node, choice and language, counted at its first use.
 */
const optionChars = new WeakMap<Scenario, Map<string, number>>();

function optionReadingChars(scenario: Scenario, nodeId: string, choiceId: string, language: 'zh-CN' | 'en'): number {
  let counts = optionChars.get(scenario);
  if (!counts) optionChars.set(scenario, (counts = new Map()));
  const key = `${language}\u0000${nodeId}\u0000${choiceId}`;
  let n = counts.get(key);
  if (n === undefined) counts.set(key, (n = readingChars(optionText(scenario, nodeId, choiceId, language))));
  return n;
}

/** The text of an option of a node as the trainee saw it. */
function optionText(scenario: Scenario, nodeId: string, choiceId: string, language: 'zh-CN' | 'en'): string {
  const node = scenario.nodes.find((n) => n.id === nodeId);
  const choice = node?.kind === 'decision' ? node.choices.find((c) => c.id === choiceId) : undefined;
  return choice?.text[language] ?? choice?.text.en ?? choice?.text['zh-CN'] ?? '';
}

/** Choices made faster than the reading floor: [step number, ms, floor, characters]. */
export function tooFastChoices(scenario: Scenario, steps: readonly AttemptStep[], result: CallResult, language: 'zh-CN' | 'en') {
  const chooses = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.type === 'choose');
  const fast: { step: number; ms: number; floor: number }[] = [];
  result.choices.forEach((review, k) => {
    const step = chooses[k];
    if (!step || step.s.type !== 'choose') return;
    // readingFloorMs over the options shown, their characters counted once per scenario.
    const floor = READING_FLOOR.baseMs + review.shown.reduce((n, id) => n + optionReadingChars(scenario, review.nodeId, id, language), 0) * READING_FLOOR.perCharMs[language];
    const ms = step.s.ms ?? 0;
    if (ms < floor) fast.push({ step: step.i + 1, ms, floor });
  });
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

/** The choices with their reply times: the same recording sent again has the same print. */
export function replayPrint(scenarioId: string, steps: readonly AttemptStep[]): string {
  const moves = steps.map((s) => (s.type === 'choose' ? `${s.choiceId}@${s.ms ?? ''}` : s.type === 'answer' ? `answer@${s.ring}` : 'silence'));
  return createHash('sha256').update(`${scenarioId}\u0000${moves.join('\u0000')}`).digest('hex');
}

/** The sequence of choices alone. */
export function choicePrint(scenarioId: string, steps: readonly AttemptStep[]): string {
  const moves = steps.map((s) => (s.type === 'choose' ? s.choiceId : s.type === 'silence' ? '~' : ''));
  return createHash('sha256').update(`${scenarioId}\u0000${moves.join('\u0000')}`).digest('hex');
}
