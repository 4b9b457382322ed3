/**
 * The game's sound end to end, in Chromium with autoplay allowed, measured at the speakers: the
 * page's AudioContext output runs through an analyser the test owns, and every buffer the page
 * starts is recorded. The trainee picks the practice call, the phone rings (and is heard) while it
 * rings, the caller's line plays to its end, mute silences the output, and the console stays clean.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskManifest, VoiceManifest } from '../../src/audio/manifest';

const root = join(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCENARIO = 'practice-call';
const desk = JSON.parse(readFileSync(join(root, 'assets/audio/desk.json'), 'utf8')) as DeskManifest;
const voices = JSON.parse(readFileSync(join(root, `assets/audio/voices/${SCENARIO}.json`), 'utf8')) as VoiceManifest;
/** Output peak above this is sound; at or under the floor (about -60 dBFS) is silence. */
const HEARD = 0.02;
const SILENT = 0.001;
/**
 * Each reading covers the last 32768 samples (about 0.7 s), so readings cover the output without
 * gaps even when a busy machine delays the page's timers; a reading at t speaks for [t - 0.7 s, t].
 */
const READING_MS = 750;

interface Tap {
  /** Page times at which an AudioContext was made, and of the first user gesture. */
  contexts: number[];
  firstGesture: number | null;
  starts: { t: number; offset: number; duration: number }[];
  levels: { t: number; peak: number }[];
}
type LogEvent = { type: string; sound?: string; key?: string; id?: number; at: number };

if (!existsSync(CHROMIUM)) console.warn(`tests/audio/audio.e2e.test.ts skipped: no ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('sound in the game, end to end', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await createServer({
      root,
      logLevel: 'error',
      // Its own dependency cache, so other browser tests starting Vite at the same time cannot race it.
      cacheDir: join(root, 'node_modules/.vite-audio-e2e'),
      optimizeDeps: { include: ['phaser', 'howler'] },
      // No watcher and no HMR: an edit elsewhere in the repository must not reload the page mid-call.
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    });
    await server.listen();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || /AudioContext|autoplay/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() => {
      const tap: Tap = { contexts: [], firstGesture: null, starts: [], levels: [] };
      (window as unknown as { __tap: Tap }).__tap = tap;
      for (const type of ['pointerdown', 'keydown', 'touchend', 'click']) {
        window.addEventListener(type, () => (tap.firstGesture ??= performance.now()), { capture: true, once: true });
      }
      const Original = window.AudioContext;
      // Every context the page makes sends its output through our analyser to the speakers.
      window.AudioContext = class extends Original {
        constructor(options?: AudioContextOptions) {
          super(options);
          tap.contexts.push(performance.now());
          const analyser = super.createAnalyser();
          analyser.fftSize = 32768;
          analyser.connect(super.destination);
          Object.defineProperty(this, 'destination', { get: () => analyser });
          const buffer = new Float32Array(analyser.fftSize);
          const timer = setInterval(() => {
            if (this.state === 'closed') return clearInterval(timer);
            analyser.getFloatTimeDomainData(buffer);
            let peak = 0;
            for (const v of buffer) peak = Math.max(peak, Math.abs(v));
            tap.levels.push({ t: performance.now(), peak });
          }, 100);
        }
      };
      const start = AudioBufferSourceNode.prototype.start;
      AudioBufferSourceNode.prototype.start = function (when?: number, offset?: number, duration?: number) {
        tap.starts.push({ t: performance.now(), offset: offset ?? 0, duration: duration ?? 0 });
        return start.call(this, when, offset, duration);
      };
    });
    const url = server.resolvedUrls?.local[0] ?? '';
    await page.goto(`${url}?audio-log`);
    await page.waitForFunction(() => {
      const hook = (window as unknown as { __holdTheLine?: { scene: string | null; targets(): Record<string, unknown> } }).__holdTheLine;
      return hook?.scene === 'Menu' && Boolean(hook.targets()['card:practice-call']);
    }, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const tap = (): Promise<Tap> => page.evaluate(() => (window as unknown as { __tap: Tap }).__tap);
  const log = (): Promise<LogEvent[]> => page.evaluate(() => (window as unknown as { __holdTheLineAudioLog?: LogEvent[] }).__holdTheLineAudioLog ?? []);
  async function tapTarget(name: string): Promise<void> {
    const box = await page.waitForFunction((n) => (window as unknown as { __holdTheLine: { targets(): Record<string, { x: number; y: number; width: number; height: number }> } }).__holdTheLine.targets()[n] ?? null, name, { timeout: 30_000 });
    const { x, y, width, height } = (await box.jsonValue()) as { x: number; y: number; width: number; height: number };
    await page.mouse.click(x + width / 2, y + height / 2);
  }

  /** Loudest output heard between two page times. */
  const loudest = (levels: Tap['levels'], from: number, to: number): number => Math.max(0, ...levels.filter((l) => l.t >= from && l.t <= to + READING_MS).map((l) => l.peak));

  it('rings, audibly, once per ring while the phone rings', async () => {
    // Picking the caller is the first gesture: audio starts here, and not before. An AudioContext
    // made before a gesture is what browsers without the autoplay flag warn about.
    expect((await log()).filter((e) => e.type === 'unlocked')).toHaveLength(0);
    expect((await tap()).contexts).toEqual([]);
    await tapTarget(`card:${SCENARIO}`);
    await page.waitForFunction(() => ((window as unknown as { __holdTheLine: { call(): { rings: number } | null } }).__holdTheLine.call()?.rings ?? 0) >= 2, undefined, { timeout: 30_000 });
    await page.waitForTimeout(600);
    // The log and the engine's ring count, read at one moment.
    const { events, state } = await page.evaluate(() => ({
      events: (window as unknown as { __holdTheLineAudioLog: LogEvent[] }).__holdTheLineAudioLog,
      state: (window as unknown as { __holdTheLine: { call(): { phase: string; rings: number } | null } }).__holdTheLine.call(),
    }));
    expect(events.some((e) => e.type === 'unlocked')).toBe(true);
    const { contexts, firstGesture } = await tap();
    expect(contexts.length).toBeGreaterThan(0);
    expect(Math.min(...contexts)).toBeGreaterThanOrEqual(firstGesture ?? Infinity);
    const rings = events.filter((e) => e.type === 'play' && e.sound === 'ring');
    expect(state?.phase).toBe('ringing');
    expect(rings.length).toBe(state?.rings);
    // The ring's sprite window was started on the output, and it was heard.
    const ringStart = desk.sounds.ring[0] / 1000;
    const started = (await tap()).starts.filter((s) => Math.abs(s.offset - ringStart) < 0.002);
    expect(started.length).toBe(rings.length);
    const levels = (await tap()).levels;
    const firstRing = started[0]?.t ?? 0;
    expect(loudest(levels, firstRing, firstRing + 1000)).toBeGreaterThan(HEARD);
  }, 60_000);

  it('picks up, and plays a caller line to its end, heard over the quiet room', async () => {
    await tapTarget('answer');
    await page.waitForFunction(() => (window as unknown as { __holdTheLine: { call(): { phase: string } | null } }).__holdTheLine.call()?.phase === 'awaiting', undefined, { timeout: 30_000 });
    const ringsBefore = (await log()).filter((e) => e.type === 'play' && e.sound === 'ring').length;
    await tapTarget('choice:greet-standard');
    const lineId = 'practice.ask.1';
    const played = await page.waitForFunction(
      (id) => ((window as unknown as { __holdTheLineAudioLog: LogEvent[] }).__holdTheLineAudioLog ?? []).find((e) => e.type === 'play' && e.sound === 'line' && e.key?.startsWith(`${id}@`)) ?? null,
      lineId,
      { timeout: 30_000 },
    );
    const play = (await played.jsonValue()) as LogEvent;
    const ended = await page.waitForFunction(
      (id) => ((window as unknown as { __holdTheLineAudioLog: LogEvent[] }).__holdTheLineAudioLog ?? []).find((e) => e.type === 'end' && e.id === id) ?? null,
      play.id,
      { timeout: 30_000 },
    );
    const end = (await ended.jsonValue()) as LogEvent;
    const events = await log();
    expect(events.some((e) => e.type === 'play' && e.sound === 'pick-up')).toBe(true);
    expect(events.filter((e) => e.type === 'play' && e.sound === 'ring').length).toBe(ringsBefore);
    // It is the take the manifest names for this line, in the language in use, and it ran its length.
    const band = play.key?.split('@')[1] as 'calm' | 'heated';
    const windows = [voices.languages.en.clips[lineId]?.[band], voices.languages['zh-CN'].clips[lineId]?.[band]];
    const lineStart = (await tap()).starts.find((s) => windows.some((w) => w && Math.abs(s.offset - w[0] / 1000) < 0.002 && Math.abs(s.duration - w[1] / 1000) < 0.002));
    expect(lineStart, 'the line’s sprite window was started').toBeDefined();
    expect(end.at - play.at).toBeGreaterThan((lineStart?.duration ?? 0) * 1000 - 150);
    const levels = (await tap()).levels;
    const voice = loudest(levels, play.at + 200, end.at - READING_MS);
    expect(voice).toBeGreaterThan(HEARD);
    // The room ducks under the voice and comes back after it.
    const ducks = events.filter((e) => e.type === 'duck');
    expect(ducks.map((e) => (e as unknown as { ducked: boolean }).ducked).slice(-2)).toEqual([true, false]);
  }, 60_000);

  it('mute silences everything at the output, and the setting is kept for the next visit', async () => {
    await page.evaluate(() => (window as unknown as { __holdTheLineAudio: { setMuted(m: boolean): void } }).__holdTheLineAudio.setMuted(true));
    const mutedAt = await page.evaluate(() => performance.now());
    await tapTarget('choice:ask-confirm');
    await page.waitForTimeout(2500);
    const levels = (await tap()).levels;
    const afterMute = levels.filter((l) => l.t > mutedAt + READING_MS);
    expect(afterMute.length).toBeGreaterThan(2);
    expect(Math.max(...afterMute.map((l) => l.peak))).toBeLessThanOrEqual(SILENT);
    // Something was playing all along (the room at least): it is the output that is silent.
    expect((await log()).some((e) => e.type === 'play' && e.sound === 'ambience')).toBe(true);
    const stored = await page.evaluate(() => localStorage.getItem('hold-the-line.audio.v1'));
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ muted: true });
    await page.evaluate(() => (window as unknown as { __holdTheLineAudio: { setMuted(m: boolean): void } }).__holdTheLineAudio.setMuted(false));
    const unmutedAt = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1500);
    expect(loudest((await tap()).levels, unmutedAt + READING_MS, unmutedAt + 1500)).toBeGreaterThan(SILENT);
  }, 60_000);

  it('leaves no error and no autoplay warning in the console', () => {
    expect(problems).toEqual([]);
  });
});
