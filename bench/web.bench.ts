/**
 * `npm run bench:web`: builds the trainee's page for production, prints the JavaScript the page
 * loads before the menu (gzipped; budget 450 KB), and the time from navigation to an interactive
 * menu in headless Chromium, median of 5, against a bare Phaser page built and measured the same way
 * in the same run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildTraineePage, ROOT, serveStatic } from '../tests/e2e/support/build';
import { CHROMIUM_ARGS } from '../tests/e2e/support/desk';

const BUDGET_KB = 450;
const RUNS = 5;
const GAME_DIST = join(ROOT, 'test-results', 'bench-web', 'game');
const BARE_ROOT = join(ROOT, 'test-results', 'bench-web', 'bare-src');
const BARE_DIST = join(ROOT, 'test-results', 'bench-web', 'bare');
const GAME_MARK = 'hold-the-line:menu-interactive';
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
    performance.mark('${BARE_MARK}');
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

async function timeToMark(url: string, mark: string): Promise<number> {
  const profile = mkdtempSync(join(tmpdir(), 'htl-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 720 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const handle = await page.waitForFunction((name) => performance.getEntriesByName(name)[0]?.startTime ?? null, mark, { timeout: 60_000 });
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

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
  const bareTimes: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so both pages meet the same machine load.
      bareTimes.push(await timeToMark(bare.url, BARE_MARK));
      gameTimes.push(await timeToMark(game.url, GAME_MARK));
    }
  } finally {
    await game.close();
    await bare.close();
  }
  const g = median(gameTimes);
  const b = median(bareTimes);
  console.log(`\nNavigation to an interactive menu, headless Chromium, median of ${RUNS} (fresh profile each run):`);
  console.log(`  bare Phaser page   ${b.toFixed(0).padStart(6)} ms   runs ${bareTimes.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`  trainee page       ${g.toFixed(0).padStart(6)} ms   runs ${gameTimes.map((t) => t.toFixed(0)).join(', ')}`);
  console.log(`  ratio              ${(g / b).toFixed(2).padStart(6)} ×`);
  if (total > BUDGET_KB) process.exitCode = 1;
}

await main();
