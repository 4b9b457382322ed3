/**
 * Driving the desk in Debian's Chromium: one browser per test file, a fresh context (its own
 * storage, service workers and cache, as a new profile has) per desk, console errors collected, and
 * the moves a trainee makes (keys, taps) with waits on what the page shows.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from './build';

export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The desks' Chromium draws WebGL without multisampling. Without a GPU (--disable-gpu: SwiftShader)
 * a call's frame costs most of a core, and every key a test presses waits for the next frame; 4×
 * multisampling is over half of that cost (a call drew 1.6–1.9× the frames without it, load 21).
 * It smooths only the edges of shapes (rounded corners, circles): nothing a test reads (boxes,
 * hit tests, texts, the call's state) depends on it. The bench (bench/web.bench.ts) keeps
 * CHROMIUM_ARGS as they are: its start-up figures are taken as a trainee's browser draws.
 */
export const DESK_ARGS = [...CHROMIUM_ARGS, '--webgl-antialiasing-mode=none'];

let shared: Promise<Browser> | null = null;

/**
 * The test file's Chromium, started by the first desk and closed after the file (support/setup.ts).
 * Starting Chromium costs a second or more of a loaded machine; a context is a fraction of that and
 * shares nothing with the contexts before it (no storage, cookies, service workers or cache).
 */
export function sharedBrowser(): Promise<Browser> {
  if (shared) return shared;
  const launching = chromium.launch({ executablePath: '/usr/bin/chromium', args: DESK_ARGS });
  shared = launching;
  // A browser that crashed or failed to start is started again by the next desk.
  launching.then(
    (browser) => browser.on('disconnected', () => {
      if (shared === launching) shared = null;
    }),
    () => {
      if (shared === launching) shared = null;
    },
  );
  return launching;
}

export async function closeSharedBrowser(): Promise<void> {
  const closing = shared;
  shared = null;
  await (await closing?.catch(() => null))?.close();
}

export interface Desk {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export interface DeskOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  touch?: boolean;
  /** Runs before the page is opened (to route requests); the menu is then not waited for. */
  before?: (page: Page) => Promise<unknown>;
}

export async function openDesk(url: string, options: DeskOptions = {}): Promise<Desk> {
  const browser = await sharedBrowser();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    locale: options.locale ?? 'en-US',
    hasTouch: options.touch ?? false,
    isMobile: options.touch ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  // Name what failed to load: the console only says "404".
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  await options.before?.(page);
  await page.goto(url);
  if (!options.before) await waitForScene(page, 'Menu');
  return {
    context,
    page,
    errors,
    close: () => context.close(),
  };
}

export async function waitForScene(page: Page, scene: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction((name) => (window as unknown as { __holdTheLine?: { scene: string | null } }).__holdTheLine?.scene === name, scene, { timeout });
  // The menu has drawn when it has read the trainee's history.
  if (scene === 'Menu') await page.waitForFunction(() => (window as unknown as { __holdTheLine?: { menu: unknown } }).__holdTheLine?.menu != null, null, { timeout });
  // One more frame, so the scene has drawn.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

export interface CallView {
  phase: 'ringing' | 'speaking' | 'awaiting' | 'hold' | 'ended';
  nodeId: string | null;
  rings: number;
  mood: number;
  scores: Record<string, number>;
  steps: string[];
  offered: string[];
  silences: number;
  replyLeftMs: number | null;
  tweens: number;
  clock: string | null;
  recorded: unknown[];
  seed: string | null;
  mode: 'practice' | 'assessment';
}

export interface MenuView {
  language: string;
  cards: { id: string; best: number | null; attempts: number; passed: boolean }[];
}

export interface DebriefView {
  outcome: string;
  passed: boolean;
  total: number;
  dimensions: Record<string, number>;
  choices: string[];
  /** The line under the buttons: saved on this device, or sent to the team. */
  saved: string;
  /** Each step's options as the trainee saw them and the place chosen (from 1). */
  shown?: { shown: string[]; position: number }[];
  critical?: string[];
  weights?: Record<string, number>;
  seed?: string | null;
  mode?: 'practice' | 'assessment';
  modelCallShown?: boolean;
}

type HookWindow = { __holdTheLine: { call(): unknown; menu: unknown; debrief: unknown; targets(): Record<string, { x: number; y: number; width: number; height: number }> } };

export const callView = (page: Page) => page.evaluate(() => (window as unknown as HookWindow).__holdTheLine.call() as CallView | null);
export const menuView = (page: Page) => page.evaluate(() => (window as unknown as HookWindow).__holdTheLine.menu as MenuView | null);
export const debriefView = (page: Page) => page.evaluate(() => (window as unknown as HookWindow).__holdTheLine.debrief as DebriefView | null);
export const liveText = (page: Page) => page.evaluate(() => document.getElementById('live')?.textContent ?? '');

/** Polls the call until `test` holds. */
export async function waitForCall(page: Page, test: (call: CallView) => boolean, timeout = 30_000): Promise<CallView> {
  const until = Date.now() + timeout;
  for (;;) {
    const call = await callView(page);
    if (call && test(call)) return call;
    if (Date.now() > until) throw new Error(`timed out waiting on the call; last state ${JSON.stringify(call)}`);
    await page.waitForTimeout(50);
  }
}

export async function tap(page: Page, target: string, touch = false): Promise<void> {
  const box = await page.evaluate((name) => (window as unknown as HookWindow).__holdTheLine.targets()[name] ?? null, target);
  if (!box) throw new Error(`no target "${target}" on screen`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  if (touch) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

/** Saves a screenshot, after checking that no text on screen runs out of its box. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  expect(await overflow(page), `text overflowing in ${name}`).toEqual([]);
}

export const overflow = (page: Page) => page.evaluate(() => (window as unknown as { __holdTheLine: { overflow(): string[] } }).__holdTheLine.overflow());

/** Moves the keyboard focus from the first caller card to card `index` of a grid `columns` wide. */
export async function focusCard(page: Page, index: number, columns: number): Promise<void> {
  // Focus rests on the first card; the first key press only shows it.
  await page.keyboard.press('Tab');
  for (let i = 0; i < Math.floor(index / columns); i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < index % columns; i++) await page.keyboard.press('ArrowRight');
}

export type Move = { choice: string; by?: 'number' | 'arrows' | 'tap' } | { silence: true };

/**
 * Waits for the options, skipping the caller's speech (or a hold) once each time it starts. The
 * reply is awaited from the moment the speech ends (the machine's clock), and an assessment's
 * options are drawn at the desk's next frame: the driver, like a trainee, waits until they are drawn.
 */
export async function untilReplyAwaited(page: Page, touch: boolean, timeout = 60_000): Promise<CallView> {
  const until = Date.now() + timeout;
  for (;;) {
    const call = await callView(page);
    if (call?.phase === 'awaiting' && call.offered.length > 0) return call;
    if (call?.phase === 'ended') throw new Error(`the call ended before the next reply (at ${call.nodeId})`);
    if (call && (call.phase === 'speaking' || call.phase === 'hold')) {
      if (touch) await tap(page, 'skip', true).catch(() => undefined);
      else await page.keyboard.press('Space');
      await page.waitForTimeout(150);
    } else await page.waitForTimeout(50);
    if (Date.now() > until) throw new Error(`timed out waiting for the options; last state ${JSON.stringify(call)}`);
  }
}

/**
 * Plays a call to its end as a trainee would: answer on `ring`, then each move in turn, skipping
 * the caller's speech with Space (or waiting it out when tapping). Returns the ring the call was
 * answered on. `moves` may be worked out once the call is answered, from the ring it was answered
 * on and the call's state (its seed sets the caller's starting anger, so how far a plan goes).
 */
export async function playCall(
  page: Page,
  ring: number,
  planned: readonly Move[] | ((answeredOn: number, call: CallView) => readonly Move[]),
  options: { touch?: boolean; onDecision?: (n: number, call: CallView) => Promise<void> } = {},
): Promise<number> {
  await waitForCall(page, (c) => c.phase === 'ringing' && c.rings >= ring, 40_000);
  if (options.touch) await tap(page, 'answer', true);
  else await page.keyboard.press('Enter');
  const answered = await waitForCall(page, (c) => c.phase !== 'ringing');
  // The ring the desk heard the answer on: a slow frame can make it one later than pressed.
  const answeredOn = (answered.recorded[0] as { ring: number }).ring;
  const moves = typeof planned === 'function' ? planned(answeredOn, answered) : planned;
  let n = 0;
  for (const move of moves) {
    const call = await untilReplyAwaited(page, options.touch ?? false);
    await options.onDecision?.(n++, call);
    if ('silence' in move) {
      const silences = call.silences;
      await waitForCall(page, (c) => c.silences > silences, 310_000);
      continue;
    }
    const index = call.offered.indexOf(move.choice);
    // The steps the desk recorded say how the call got here (a choice's time and shown place tell a
    // stray key from a reply), should a move meet a call that went another way.
    if (index < 0) throw new Error(`"${move.choice}" is not offered at ${call.nodeId}: ${call.offered.join(', ')}; recorded since the answer: ${JSON.stringify(call.recorded.slice(1))}`);
    const before = (call.recorded as unknown[]).length;
    if (move.by === 'tap') await tap(page, `choice:${move.choice}`, options.touch ?? false);
    else if (move.by === 'arrows') {
      // Focus sits on the first option; walk down to this one and press Enter.
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
    } else await page.keyboard.press(String(index + 1));
    await waitForCall(page, (c) => (c.recorded as unknown[]).length > before);
  }
  return answeredOn;
}
