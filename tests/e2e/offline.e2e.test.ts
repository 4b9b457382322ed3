/**
 * Offline play in Debian's Chromium on the production build: a trainee opens the game once, the
 * network goes down (the browser offline and the server stopped), and a caller is played from
 * answer to debrief, voices and all, with the result kept on the device. Then a new version is
 * deployed: the menu offers it, and taking the offer reloads the page into it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { playSteps, stepsFromChoiceList, checkScenario } from '../../src/engine/index';
import { buildTraineePage, ROOT, serveStatic, type StaticServer } from './support/build';
import { debriefView, focusCard, menuView, openDesk, playCall, shoot, tap, waitForScene, type Desk } from './support/desk';

interface Offline {
  controlled: boolean;
  voices: string[];
  version: string | null;
  updateReady: boolean;
}

const offline = (page: Page) => page.evaluate(() => (window as unknown as { __holdTheLine: { offline: Offline | null } }).__holdTheLine.offline);

async function untilOffline(page: Page, test: (status: Offline) => boolean, timeout = 90_000): Promise<Offline> {
  await page.waitForFunction((source) => {
    const status = (window as unknown as { __holdTheLine: { offline: unknown } }).__holdTheLine.offline;
    return status !== null && (new Function('s', `return (${source})(s)`) as (s: unknown) => boolean)(status);
  }, test.toString(), { timeout, polling: 200 });
  return (await offline(page)) as Offline;
}

let desk: Desk | null = null;
const servers: StaticServer[] = [];

afterEach(async () => {
  await desk?.close();
  desk = null;
});

afterAll(async () => {
  for (const server of servers) await server.close().catch(() => undefined);
});

describe('offline play', () => {
  it('plays a caller to the debrief with the network down, once the game has been opened', { timeout: 240_000 }, async () => {
    const server = await serveStatic(inject('deskDist'));
    desk = await openDesk(server.url);
    const ready = await untilOffline(desk.page, (s) => s.controlled && s.voices.includes('en'));
    expect(ready.version).toMatch(/^[0-9a-f]{16}$/);

    // The network goes: the browser is offline and the server is gone.
    await desk.context.setOffline(true);
    await server.close();
    await desk.page.reload();
    await waitForScene(desk.page, 'Menu', 30_000);
    await shoot(desk.page, 'offline-01-menu');
    const menu = await menuView(desk.page);
    expect(menu?.cards.length).toBeGreaterThan(0);

    const plan = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', 'practice-call.plans.json'), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
    const best = plan.plans.find((p) => p.name === 'best');
    if (!best) throw new Error('no best plan for practice-call');
    const index = menu?.cards.findIndex((c) => c.id === 'practice-call') ?? -1;
    await focusCard(desk.page, index, 4);
    await desk.page.keyboard.press('Enter');
    await waitForScene(desk.page, 'Call');
    const answeredOn = await playCall(desk.page, best.ring, best.choices.map((choice) => ({ choice, by: 'number' as const })));
    await waitForScene(desk.page, 'Debrief', 30_000);
    await shoot(desk.page, 'offline-02-debrief');

    const { scenario } = checkScenario(readFileSync(join(ROOT, 'scenarios', 'practice-call.json'), 'utf8'), { structureOnly: true });
    if (!scenario) throw new Error('practice-call does not check');
    const { result } = playSteps(scenario, stepsFromChoiceList(best.choices, answeredOn));
    const shown = await debriefView(desk.page);
    expect(shown?.outcome).toBe(result?.outcome);
    expect(shown?.total).toBe(result?.total);

    // The result is kept on the device, waiting for the network.
    const stored = await desk.page.evaluate(() => JSON.parse(localStorage.getItem('hold-the-line.attempts') ?? 'null'));
    expect(stored?.records?.[0]?.attempt?.scenarioId ?? stored?.records?.[0]?.scenarioId).toBe('practice-call');
    // Nothing failed to load: every file the call needed came from the cache.
    expect(desk.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|net::ERR_|Failed to fetch/.test(e) || /\.(js|svg|mp3)/.test(e))).toEqual([]);
  });

  it('offers a newly deployed version on the menu, and taking it reloads into it', { timeout: 360_000 }, async () => {
    const dist = join(ROOT, 'test-results', 'update-dist');
    await buildTraineePage(dist);
    const server = await serveStatic(dist);
    servers.push(server);
    desk = await openDesk(server.url);
    const first = await untilOffline(desk.page, (s) => s.controlled && s.version !== null);
    const firstScript = await desk.page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src'));

    // A new version is deployed where the old one was (the same page, new hashes).
    await buildTraineePage(dist, [
      {
        name: 'next-version',
        transform(code: string, id: string) {
          return id.endsWith('src/game/main.ts') ? `${code}\n// the next version\nconsole.debug('next version');\n` : null;
        },
      },
    ]);
    await desk.page.reload();
    await waitForScene(desk.page, 'Menu', 30_000);
    // Chromium checks the worker's script when the old worker is idle: within about a minute.
    const waiting = await untilOffline(desk.page, (s) => s.updateReady, 180_000);
    expect(waiting.version).toBe(first.version);
    // Still the old version until the trainee says so.
    expect(await desk.page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src'))).toBe(firstScript);
    await waitForScene(desk.page, 'Menu');
    await shoot(desk.page, 'offline-03-update-offered');
    await tap(desk.page, 'menu:update');
    await desk.page.waitForFunction((old) => document.querySelector('script[type="module"]')?.getAttribute('src') !== old, firstScript, { timeout: 30_000 });
    await waitForScene(desk.page, 'Menu', 30_000);
    const next = await untilOffline(desk.page, (s) => s.controlled && s.version !== null && !s.updateReady);
    expect(next.version).not.toBe(first.version);
  });
});
