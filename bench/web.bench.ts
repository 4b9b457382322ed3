/**
 * `npm run bench:web [-- --runs N]`: builds the trainee's page for production, prints the JavaScript
 * the page loads before the menu (gzipped; budget 450 KB), and the time from navigation to an
 * interactive menu in headless Chromium (a fresh profile each load, so every load is cold: no HTTP
 * cache, no service worker), against a bare Phaser page built and measured the same way, the two
 * loads interleaved so both meet the same machine. Min, median and max of N loads each (default 27,
 * at least 5: on this 2-core machine a median of 9 loads moved from 1.05x to 1.36x between runs a
 * minute apart, one of 27 from 1.02x to 1.23x); the target is a median ratio of at most 1.3. Also the time to the complete menu
 * (every portrait on the first page and the trainee's history drawn), which the trainee sees fill in.
 *
 * "Interactive" is the same moment on both pages: the end of the first frame Phaser draws after the
 * scene's create() has wired its input (the game's POST_RENDER), so what a scene does in create()
 * after wiring its input, and the cost of drawing what it made, count as well.
 *
 * `--cpu` also traces each load (Chromium's trace, `devtools.timeline`) and prints the CPU time the
 * page's main thread and the GPU process's main thread (software WebGL here) spent from navigation
 * to that mark: less swayed by other work on a loaded machine than the wall-clock time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildTraineePage, ROOT, serveStatic } from '../tests/e2e/support/build';
import { CHROMIUM_ARGS } from '../tests/e2e/support/desk';

const BUDGET_KB = 450;
const runsArg = process.argv.indexOf('--runs');
const RUNS = Math.max(5, runsArg >= 0 ? Number(process.argv[runsArg + 1]) || 27 : 27);
const CPU = process.argv.includes('--cpu');
const TARGET_RATIO = 1.3;
const GAME_DIST = join(ROOT, 'test-results', 'bench-web', 'game');
const BARE_ROOT = join(ROOT, 'test-results', 'bench-web', 'bare-src');
const BARE_DIST = join(ROOT, 'test-results', 'bench-web', 'bare');
const GAME_MARK = 'hold-the-line:menu-interactive';
const GAME_COMPLETE_MARK = 'hold-the-line:menu-complete';
const BARE_MARK = 'bare-phaser:interactive';

/** The scripts index.html loads up front: the entry and what it preloads. */
function initialScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const urls = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] as string);
  return [...new Set(urls)];
}

function gzipKb(dist: string, url: string): number {
  return gzipSync(readFileSync(join(dist, url.replace(/^\//, ''))), { level: 9 }).length / 1024;
}

/** A page with Phaser and one scene drawing one line of text: the floor for any Phaser game. */
async function buildBarePage(): Promise<void> {
  rmSync(BARE_ROOT, { recursive: true, force: true });
  mkdirSync(BARE_ROOT, { recursive: true });
  writeFileSync(join(BARE_ROOT, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body style="margin:0;background:#0e1726"><div id="game" style="position:fixed;inset:0"></div><script type="module" src="./main.ts"></script></body></html>\n');
  writeFileSync(
    join(BARE_ROOT, 'main.ts'),
    `import * as Phaser from 'phaser';
class Bare extends Phaser.Scene {
  constructor() { super('Bare'); }
  create() {
    this.add.text(640, 360, 'Ready', { fontFamily: 'sans-serif', fontSize: '32px' }).setOrigin(0.5);
    this.input.keyboard?.on('keydown', () => undefined);
    // Interactive: the first frame drawn with the input wired, as the menu marks it.
    this.game.events.once(Phaser.Core.Events.POST_RENDER, () => performance.mark('${BARE_MARK}'));
  }
}
new Phaser.Game({ type: Phaser.AUTO, parent: 'game', scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH, width: 1280, height: 720 }, scene: [Bare], banner: false, audio: { noAudio: true } });
`,
  );
  const { build } = await import('vite');
  await build({
    root: BARE_ROOT,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: BARE_DIST,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { output: { manualChunks: (id: string) => (id.includes('node_modules/phaser') ? 'phaser' : undefined) } },
    },
  });
}

/** CPU time (ms) of the page's main thread and of the GPU process's main thread from navigation to the first mark. */
interface CpuTimes {
  main: number;
  gpu: number;
}
const cpuTimes = new Map<string, CpuTimes[]>();

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** Sums the thread time of each top-level task that began between navigation and the mark. */
function cpuUntil(trace: Buffer, mark: string, markAt: number): CpuTimes {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const at = events.find((e) => e.name === mark);
  if (!at) throw new Error(`the trace has no mark ${mark}`);
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const start = at.ts - markAt * 1000;
  const times = { main: 0, gpu: 0 };
  for (const e of events) {
    if (e.ph !== 'X' || (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask') || e.ts < start || e.ts > at.ts) continue;
    const took = (e.tdur ?? e.dur ?? 0) / 1000;
    if (e.pid === at.pid && e.tid === at.tid) times.main += took;
    else if (threadNames.get(`${e.pid}:${e.tid}`) === 'CrGpuMain') times.gpu += took;
  }
  return times;
}

/** Navigates a fresh browser profile to `url` and returns when each mark was set, in ms from navigation. */
async function timeToMarks(url: string, marks: string[]): Promise<number[]> {
  if (CPU) return tracedTimeToMarks(url, marks);
  const profile = mkdtempSync(join(tmpdir(), 'htl-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 720 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    return await waitForMarks(page, marks);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function waitForMarks(page: import('playwright-core').Page, marks: string[]): Promise<number[]> {
  const handle = await page.waitForFunction((names) => {
    const times = names.map((name) => performance.getEntriesByName(name)[0]?.startTime ?? null);
    return times.every((t) => t !== null) ? times : null;
  }, marks, { timeout: 60_000 });
  return (await handle.jsonValue()) as number[];
}

/** The same with a trace: a browser of its own (as cold: a new profile, no cache, no worker) traced from navigation. */
async function tracedTimeToMarks(url: string, marks: string[]): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel', 'blink.user_timing'] });
    await page.goto(url);
    const times = await waitForMarks(page, marks);
    const trace = await browser.stopTracing();
    const mark = marks[0] as string;
    cpuTimes.set(url, [...(cpuTimes.get(url) ?? []), cpuUntil(trace, mark, times[0] as number)]);
    return times;
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const spread = (xs: number[]) => `min ${Math.min(...xs).toFixed(0).padStart(5)}   median ${median(xs).toFixed(0).padStart(5)}   max ${Math.max(...xs).toFixed(0).padStart(5)} ms`;

async function main(): Promise<void> {
  console.log('Building the trainee page and a bare Phaser page for production…');
  await buildTraineePage(GAME_DIST);
  await buildBarePage();

  const scripts = initialScripts(GAME_DIST);
  console.log('\nInitial JavaScript of the trainee page (gzip -9):');
  let total = 0;
  for (const url of scripts) {
    const kb = gzipKb(GAME_DIST, url);
    total += kb;
    console.log(`  ${url.padEnd(40)} ${kb.toFixed(1).padStart(7)} KB`);
  }
  const bareTotal = initialScripts(BARE_DIST).reduce((sum, url) => sum + gzipKb(BARE_DIST, url), 0);
  console.log(`  ${'total'.padEnd(40)} ${total.toFixed(1).padStart(7)} KB  (budget ${BUDGET_KB} KB: ${total <= BUDGET_KB ? 'within' : 'OVER'}; bare Phaser page ${bareTotal.toFixed(1)} KB)`);

  const game = await serveStatic(GAME_DIST);
  const bare = await serveStatic(BARE_DIST);
  const gameTimes: number[] = [];
  const completeTimes: number[] = [];
  const bareTimes: number[] = [];
  const ratios: number[] = [];
  try {
    // One load of each first, not counted: the machine's disk cache then holds Chromium for both.
    await timeToMarks(bare.url, [BARE_MARK]);
    await timeToMarks(game.url, [GAME_MARK]);
    for (let i = 0; i < RUNS; i++) {
      // Interleaved (which goes first alternates), so both pages meet the same machine load.
      const order = i % 2 === 0 ? ['bare', 'game'] : ['game', 'bare'];
      const times: Record<string, number> = {};
      for (const which of order) {
        if (which === 'bare') times.bare = ((await timeToMarks(bare.url, [BARE_MARK]))[0] as number);
        else {
          const [interactive, complete] = await timeToMarks(game.url, [GAME_MARK, GAME_COMPLETE_MARK]);
          times.game = interactive as number;
          completeTimes.push(complete as number);
        }
      }
      bareTimes.push(times.bare as number);
      gameTimes.push(times.game as number);
      ratios.push((times.game as number) / (times.bare as number));
    }
  } finally {
    await game.close();
    await bare.close();
  }
  // The first (uncounted) load of each page is not in the CPU figures either.
  const counted = (url: string) => (cpuTimes.get(url) ?? []).slice(1);
  const ratio = median(gameTimes) / median(bareTimes);
  console.log(`\nNavigation to an interactive menu, headless Chromium, ${RUNS} cold loads each, interleaved:`);
  console.log(`  bare Phaser page          ${spread(bareTimes)}   runs ${bareTimes.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`  trainee page, interactive ${spread(gameTimes)}   runs ${gameTimes.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`  trainee page, complete    ${spread(completeTimes)}   runs ${completeTimes.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`  ratio of the medians      ${ratio.toFixed(2)} ×  (target ≤ ${TARGET_RATIO}; per pair: min ${Math.min(...ratios).toFixed(2)}, median ${median(ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`);
  if (CPU) {
    const ms = (xs: number[]) => `min ${Math.min(...xs).toFixed(0).padStart(4)}   median ${median(xs).toFixed(0).padStart(4)}   max ${Math.max(...xs).toFixed(0).padStart(4)} ms`;
    const bareCpu = counted(bare.url);
    const gameCpu = counted(game.url);
    console.log(`\nCPU time from navigation to the same mark (thread time of Chromium's tasks, from its trace):`);
    console.log(`  bare Phaser page, main thread   ${ms(bareCpu.map((c) => c.main))}   GPU process ${ms(bareCpu.map((c) => c.gpu))}`);
    console.log(`  trainee page, main thread       ${ms(gameCpu.map((c) => c.main))}   GPU process ${ms(gameCpu.map((c) => c.gpu))}`);
    console.log(`  ratio of the medians, main      ${(median(gameCpu.map((c) => c.main)) / median(bareCpu.map((c) => c.main))).toFixed(2)} ×`);
  }
  if (total > BUDGET_KB || ratio > TARGET_RATIO) process.exitCode = 1;
}

await main();
