/**
 * The trainee's results reach the team: in Chromium on the production build, with the results API
 * answered by the real app in-process (routed by the page, no second server). A trainee joins from a
 * `?join=CODE` link, plays a call, and the debrief's "Saved on this device" becomes "Sent to your
 * team" once the server has stored the attempt; offline it stays "saved", and it turns "sent" when
 * the browser is back online, without a reload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { addLead, login, newCohort, testService } from '../server/helpers';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { debriefView, focusCard, menuView, openDesk, playCall, shoot, waitForScene, type Desk, type Move } from './support/desk';

let server: StaticServer;
let service: Service;
let code: string;
let desk: Desk | null = null;
const net = { online: true };

beforeAll(async () => {
  server = await serveStatic(inject('deskDist'));
  service = await testService();
  await addLead(service, 'Team Lead');
  code = (await newCohort(service, await login(service, 'Team Lead'), 'Desk cohort')).code;
}, 240_000);

afterAll(async () => {
  await server?.close();
  await service?.close();
});

afterEach(async () => {
  await desk?.close();
  desk = null;
});

/** /api/* answered by the in-process app, or failing like a network that is down. */
async function routeApi(page: Page): Promise<void> {
  await page.route('**/api/**', async (route: Route) => {
    if (!net.online) return route.abort('internetdisconnected');
    const request = route.request();
    const response = await service.app.request(request.url(), { method: request.method(), headers: await request.allHeaders(), body: request.postData() ?? undefined });
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
}

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  return file.plans.find((p) => p.name === name)!;
}

async function joinAndPlay(name: string): Promise<Desk> {
  const opened = await openDesk(`${server.url}?join=${code}`, { before: routeApi });
  await waitForScene(opened.page, 'Menu', 30_000);
  await opened.page.locator('.htl-results input[name=name]').fill(name);
  await opened.page.locator('.htl-results form button[type=submit]').click();
  await opened.page.locator('.htl-results .badge', { hasText: name }).waitFor();
  const menu = await menuView(opened.page);
  const index = menu?.cards.findIndex((c) => c.id === 'practice-call') ?? -1;
  await focusCard(opened.page, index, 4);
  await opened.page.keyboard.press('Enter');
  await waitForScene(opened.page, 'Call');
  const { ring, choices } = plan('practice-call', 'best');
  await playCall(opened.page, ring, choices.map((choice): Move => ({ choice, by: 'number' })));
  await waitForScene(opened.page, 'Debrief', 30_000);
  return opened;
}

const stored = async (name: string) =>
  (await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE t.name = $1', [name]))[0]!.n;

describe('the debrief', () => {
  it('says "Sent to your team" once the server has the attempt', async () => {
    net.online = true;
    desk = await joinAndPlay('Desk Trainee');
    await expect.poll(async () => (await debriefView(desk!.page))?.saved, { timeout: 20_000 }).toBe('✓ Sent to your team');
    expect(await stored('Desk Trainee')).toBe(1);
    await shoot(desk.page, '30-debrief-sent');
  });

  // Two whole calls: 130 s on a loaded two-core machine (load average 27).
  it('says "Saved on this device" while offline, and "Sent to your team" when the browser is back online', { timeout: 240_000 }, async () => {
    desk = await joinAndPlay('Offline Trainee');
    await expect.poll(async () => (await debriefView(desk!.page))?.saved, { timeout: 20_000 }).toBe('✓ Sent to your team');
    net.online = false;
    // The call above was sent as it ended; play another one offline.
    await desk.page.keyboard.press('Enter'); // "Try again"
    await waitForScene(desk.page, 'Call');
    const { ring, choices } = plan('practice-call', 'best');
    await playCall(desk.page, ring, choices.map((choice): Move => ({ choice, by: 'number' })));
    await waitForScene(desk.page, 'Debrief', 30_000);
    await desk.page.waitForTimeout(1500);
    expect((await debriefView(desk.page))?.saved).toBe('✓ Saved on this device');
    await shoot(desk.page, '31-debrief-saved-offline');
    expect(await stored('Offline Trainee')).toBe(1);
    net.online = true;
    await desk.context.setOffline(true);
    await desk.context.setOffline(false); // the page hears "online"
    await expect.poll(async () => (await debriefView(desk!.page))?.saved, { timeout: 10_000 }).toBe('✓ Sent to your team');
    expect(await stored('Offline Trainee')).toBe(2);
  });
});
