/**
 * The menu with twenty callers, in Debian's Chromium, at the five screen sizes of issue 16 and in
 * both languages: every page's cards, settings and pager inside the screen and apart, no text over
 * other text or out of its box, every caller on exactly one page, and the hint line in the trainee's
 * way of working (touch hints on a phone, keys on a desktop); a draft among the files is not
 * offered. Screenshots of every page go to
 * test-results/screenshots/menu-*.png.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTraineePage, ROOT, serveStatic, type StaticServer } from './support/build';
import { menuView, openDesk, shoot, tap, waitForScene, type MenuView } from './support/desk';

const CALLERS = join(ROOT, 'test-results', 'menu-callers');
const DIST = join(ROOT, 'test-results', 'menu-dist');
const COUNT = 20;

/** The eight real callers and twelve more made from them (new ids, the same long texts). */
function writeCallers(): string[] {
  rmSync(CALLERS, { recursive: true, force: true });
  mkdirSync(CALLERS, { recursive: true });
  const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const file = files[i % files.length] as string;
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios', file), 'utf8')) as { id: string; title: Record<string, string> };
    if (i >= files.length) {
      scenario.id = `${scenario.id}-${Math.floor(i / files.length) + 1}`;
      scenario.title = { en: `${scenario.title.en} (${Math.floor(i / files.length) + 1})`, 'zh-CN': `${scenario.title['zh-CN']}(${Math.floor(i / files.length) + 1})` };
    }
    ids.push(scenario.id);
    writeFileSync(join(CALLERS, `${scenario.id}.json`), JSON.stringify(scenario));
  }
  // And a draft, which never reaches the trainees' menu (the twenty are all it shows).
  const draft = JSON.parse(readFileSync(join(ROOT, 'scenarios', files[0] as string), 'utf8')) as { id: string; status?: string };
  writeFileSync(join(CALLERS, 'a-draft.json'), JSON.stringify({ ...draft, id: 'a-draft', status: 'draft' }));
  return ids;
}

/** Points the menu's catalogue at the twenty files instead of scenarios/. */
const twentyCallers = {
  name: 'twenty-callers',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!id.endsWith('src/game/catalog.ts')) return null;
    return code.replaceAll('../../scenarios/', '../../test-results/menu-callers/');
  },
};

type Box = { x: number; y: number; width: number; height: number };
const targets = (page: Page) => page.evaluate(() => (window as unknown as { __holdTheLine: { targets(): Record<string, Box> } }).__holdTheLine.targets());
const overlaps = (page: Page) => page.evaluate(() => (window as unknown as { __holdTheLine: { overlaps(): string[] } }).__holdTheLine.overlaps());
const overlap = (a: Box, b: Box) => a.x + a.width - 0.5 > b.x && b.x + b.width - 0.5 > a.x && a.y + a.height - 0.5 > b.y && b.y + b.height - 0.5 > a.y;

const SIZES = [
  { width: 1280, height: 720, touch: false },
  { width: 1366, height: 768, touch: false },
  { width: 1920, height: 1080, touch: false },
  { width: 390, height: 844, touch: true },
  { width: 844, height: 390, touch: true },
] as const;

let server: StaticServer;
let ids: string[];

beforeAll(async () => {
  ids = writeCallers();
  await buildTraineePage(DIST, [twentyCallers]);
  server = await serveStatic(DIST);
});

afterAll(async () => {
  await server?.close();
  rmSync(CALLERS, { recursive: true, force: true });
});

describe('the menu with twenty callers', () => {
  for (const size of SIZES) {
    for (const locale of ['en-US', 'zh-CN']) {
      it(`${size.width}×${size.height} ${locale}: every page fits, nothing overlaps, every caller once`, async () => {
        const desk = await openDesk(server.url, { viewport: { width: size.width, height: size.height }, locale, touch: size.touch });
        try {
          let menu = (await menuView(desk.page)) as (MenuView & { page: number; pages: number; onPage: string[]; hint: string }) | null;
          expect(menu?.cards).toHaveLength(COUNT);
          expect(menu?.language).toBe(locale === 'en-US' ? 'en' : 'zh-CN');
          expect(menu?.hint).toBe(size.touch ? 'touch' : 'keys');
          const pages = menu?.pages ?? 0;
          expect(pages).toBeGreaterThan(1);
          const seen: string[] = [];
          for (let p = 0; p < pages; p++) {
            expect(menu?.page).toBe(p);
            seen.push(...(menu?.onPage ?? []));
            const shown = await targets(desk.page);
            const names = Object.keys(shown);
            expect(names.filter((n) => n.startsWith('card:'))).toHaveLength(menu?.onPage.length ?? -1);
            expect(names).toEqual(expect.arrayContaining(['page:prev', 'page:next', 'setting:language', 'menu:hint']));
            for (const name of names) {
              const box = shown[name] as Box;
              expect(box.x, `${name} left`).toBeGreaterThanOrEqual(-0.5);
              expect(box.y, `${name} top`).toBeGreaterThanOrEqual(-0.5);
              expect(box.x + box.width, `${name} right`).toBeLessThanOrEqual(size.width + 0.5);
              expect(box.y + box.height, `${name} bottom`).toBeLessThanOrEqual(size.height + 0.5);
              for (const other of names) if (other > name) expect(overlap(box, shown[other] as Box), `${name} over ${other}`).toBe(false);
            }
            expect(await overlaps(desk.page), 'text over text').toEqual([]);
            // The results panel is a page element over the canvas's bottom left: nothing of the menu under it.
            const panel = await desk.page.evaluate(() => {
              const box = document.querySelector('.htl-results')?.getBoundingClientRect();
              return box && box.width > 0 ? { x: box.x, y: box.y, width: box.width, height: box.height } : null;
            });
            expect(panel, 'the results panel is shown on the menu').not.toBeNull();
            for (const name of names) expect(overlap(panel as Box, shown[name] as Box), `the results panel over ${name}`).toBe(false);
            // Let the portraits arrive before the picture is taken (the cards work without them).
            await desk.page.waitForTimeout(p === 0 ? 1500 : 300);
            await shoot(desk.page, `menu-${size.width}x${size.height}-${locale}-page${p + 1}`);
            if (p < pages - 1) {
              await tap(desk.page, 'page:next', size.touch);
              await desk.page.waitForFunction((want) => (window as unknown as { __holdTheLine: { menu: { page: number } | null } }).__holdTheLine.menu?.page === want, p + 1);
              await waitForScene(desk.page, 'Menu');
              menu = (await menuView(desk.page)) as typeof menu;
            }
          }
          expect(seen.sort()).toEqual([...ids].sort());
          if (size.width === 1280 && locale === 'en-US') {
            // A menu standing still is not drawn again at every frame (src/game/ui/frame-gate.ts):
            // the game steps on, and at most a frame a second is drawn.
            const frames = () => desk.page.evaluate(() => (window as unknown as { __holdTheLine: { frames: { drawn: number; skipped: number } } }).__holdTheLine.frames);
            const before = await frames();
            await desk.page.waitForTimeout(2000);
            const after = await frames();
            expect(after.skipped - before.skipped, 'steps without a new picture').toBeGreaterThan(0);
            expect(after.drawn - before.drawn, 'frames drawn in 2 s of a still menu').toBeLessThanOrEqual(3);
          }
          expect(desk.errors).toEqual([]);
        } finally {
          await desk.close();
        }
      });
    }
  }
});
