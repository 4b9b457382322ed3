/**
 * The trainer's preview page in Chromium: a broken file shows its diagnostics; a good one plays in
 * the real call desk to the end; the play saved as a golden test plan replays in the CLI with the
 * same result.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/scenario';
import { transcriptKeys, type CallResult, type TranscriptEntry } from '../../src/engine/index';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { openDesk, playCall, SHOTS, waitForScene, type Desk } from './support/desk';

const DIST = join(ROOT, 'test-results', 'preview-dist');
const BEST = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];
let server: StaticServer;
let desk: Desk;

async function buildPreviewPage(): Promise<void> {
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: DIST, emptyOutDir: true },
    plugins: [
      {
        name: 'preview-page-only',
        enforce: 'post',
        config(config) {
          config.build ??= {};
          config.build.rollupOptions ??= {};
          config.build.rollupOptions.input = { preview: join(ROOT, 'preview.html') };
        },
      },
    ],
  });
}

beforeAll(async () => {
  await buildPreviewPage();
  server = await serveStatic(DIST);
  desk = await openDesk(`${server.url}preview.html`, { before: async () => undefined, viewport: { width: 1280, height: 900 } });
  await desk.page.waitForSelector('#drop');
});

afterAll(async () => {
  await desk?.close();
  await server?.close();
});

describe('the preview page', () => {
  it('lists a broken file\'s diagnostics with codes, paths, positions and hints', async () => {
    await desk.page.setInputFiles('#file', join(ROOT, 'tests/fixtures/bad/missing-node.json'));
    await desk.page.waitForSelector('table.diagnostics');
    const rows = await desk.page.$$eval('table.diagnostics tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(['HTL030', 'HTL035']));
    const missing = rows.find((r) => r[1] === 'HTL030');
    expect(missing?.[3]).toBe('$.nodes[0].choices[0].next');
    expect(missing?.[2]).toMatch(/^\d+:\d+$/);
    expect(missing?.[4]).toMatch(/"nowhere".*Hint:/);
    // A broken file offers nothing to play.
    expect(await desk.page.$('#play-button')).toBeNull();
    await desk.page.screenshot({ path: join(SHOTS, 'preview-diagnostics.png'), fullPage: true });
  });

  it('draws the graph of a good file with its best path highlighted', async () => {
    await desk.page.setInputFiles('#file', join(ROOT, 'scenarios/practice-call.json'));
    await desk.page.waitForSelector('#play-button');
    expect(await desk.page.textContent('#diagnostics')).toMatch(/0 error\(s\), 0 warning\(s\)/);
    expect(await desk.page.$$eval('#graph g.node', (nodes) => nodes.length)).toBe(9);
    expect(await desk.page.$$eval('#graph line.taken', (lines) => lines.length)).toBe(BEST.length);
  });

  it('simulates the file and shows the report', async () => {
    await desk.page.fill('#runs', '300');
    await desk.page.click('#simulate-button');
    await desk.page.waitForSelector('#simulation-report');
    const report = (await desk.page.getAttribute('#simulation-report', 'srcdoc')) ?? '';
    expect(report).toContain('300 random plays');
    expect(report).toContain('<h2>Outcomes</h2>');
  });

  it('plays the file in the call desk to the end, and the saved plan replays in the CLI with the same result', async () => {
    const page = desk.page;
    await page.click('#play-button');
    await waitForScene(page, 'Call', 60_000);
    await page.screenshot({ path: join(SHOTS, 'preview-desk.png') });
    await playCall(page, 1, BEST.map((choice) => ({ choice })));
    await page.waitForSelector('#last-play', { timeout: 60_000 });
    expect(await page.textContent('#last-play')).toMatch(/resolved, 100%, passed/);
    await page.screenshot({ path: join(SHOTS, 'preview-after-play.png'), fullPage: true });

    page.once('dialog', (dialog) => void dialog.accept('from-preview'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-plan')]);
    const dir = mkdtempSync(join(tmpdir(), 'preview-plan-'));
    const file = join(dir, 'practice-call.plans.json');
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { plans: Array<{ name: string; ring: number; choices: string[]; expect: { outcome: string; total: number; passed: boolean; dimensions: Record<string, number>; transcript: string[] } }> };
    const plan = saved.plans[0];
    expect(plan).toMatchObject({ name: 'from-preview', choices: BEST, expect: { outcome: 'resolved', total: 100, passed: true } });

    const out: string[] = [];
    const code = await run(['play', 'scenarios/practice-call.json', '--choices', plan?.choices.join(',') ?? '', '--ring', String(plan?.ring ?? 1), '--json'], (l) => out.push(l), () => undefined);
    expect(code).toBe(0);
    const cli = JSON.parse(out.join('\n')) as { result: CallResult; transcript: TranscriptEntry[] };
    expect({ outcome: cli.result.outcome, passed: cli.result.passed, total: cli.result.total }).toEqual({ outcome: plan?.expect.outcome, passed: plan?.expect.passed, total: plan?.expect.total });
    expect(Object.fromEntries(cli.result.dimensions.map((d) => [d.id, d.percent]))).toEqual(plan?.expect.dimensions);
    expect(transcriptKeys(cli.transcript)).toEqual(plan?.expect.transcript);
    writeFileSync(join(dir, 'ok'), '');
    expect(desk.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });
});
