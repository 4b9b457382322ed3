/**
 * Issue 15's assessment, end to end in Chromium: a lead assigns two callers as an assessment on the
 * dashboard and copies the cohort's join link; two trainees open the link (the game asks only their
 * name), see their assignments first on the menu, and start the assessment from there: the server
 * starts each call (its seed, id and clock), the debrief shows no model call; one passes, one fails;
 * the lead's dashboard shows both results. Screenshots of the dashboard's assignments and of the
 * menu with assignments at 1280×800 and 390×844, in English and Chinese.
 *
 * The game is the production build on a static server; its /api/* is answered by the real app
 * in-process (routed by the page); the dashboard is served by Vite with the same app behind /api/*.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { startDashboardServer } from '../server/dashboard-server';
import { addLead, login, newCohort, PASSWORD, testService } from '../server/helpers';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { CHROMIUM_ARGS, debriefView, menuView, openDesk, playCall, SHOTS, shoot, tap, waitForCall, waitForScene, type Desk, type Move } from './support/desk';

const LEAD = 'Assess Lead';
let server: StaticServer;
let service: Service;
let web: { url: string; close(): Promise<void> };
let lead: { context: BrowserContext; page: Page; profile: string; errors: string[] };
let link = '';
const desks: Desk[] = [];

type MenuWithAssignments = { assignments?: { id: number; scenarioId: string; mode: string; attemptsUsed: number; attemptsAllowed: number; done: boolean; passed: boolean; open: boolean }[] };

beforeAll(async () => {
  server = await serveStatic(inject('deskDist'));
  // The join links point at the game's address, as PUBLIC_URL says.
  service = await testService({ publicUrl: server.url });
  await addLead(service, LEAD);
  await newCohort(service, await login(service, LEAD), 'Night shift');
  web = await startDashboardServer(service);
  const profile = mkdtempSync(join(tmpdir(), 'htl-assess-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  lead = { context, page, profile, errors };
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterEach(async () => {
  while (desks.length) await desks.pop()!.close();
});

afterAll(async () => {
  await lead?.context.close();
  if (lead?.profile) rmSync(lead.profile, { recursive: true, force: true });
  await web?.close();
  await server?.close();
  await service?.close();
});

/** /api/* answered by the in-process app. */
async function routeApi(page: Page): Promise<void> {
  await page.route('**/api/**', async (route: Route) => {
    const request = route.request();
    const response = await service.app.request(request.url(), { method: request.method(), headers: await request.allHeaders(), body: request.postData() ?? undefined });
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
}

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  return file.plans.find((p) => p.name === name)!;
}

const assignmentsOnMenu = async (page: Page) => ((await menuView(page)) as MenuWithAssignments | null)?.assignments ?? [];

/** The dashboard's page at a size, in a language (its switch), scrolled to the assignments; a full-page picture. */
async function shootDashboard(name: string, size: { width: number; height: number }, lang: 'en' | 'zh-CN') {
  const page = lead.page;
  await page.setViewportSize(size);
  const switchTo = page.locator('header.top button[lang]');
  if ((await switchTo.getAttribute('lang')) === lang) await switchTo.click();
  await page.locator(`html[lang="${lang}"]`).waitFor();
  if (size.width > 800) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  else {
    // A phone's page is long: its top (the join link and QR code) and the assignments, each as seen.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `${name}-top.png`) });
    await page.evaluate(() => document.getElementById('assignments')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }
  // Nothing wider than the page on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${name}: the page scrolls sideways`).toBe(true);
}

/** A trainee opens the join link, types their name (nothing else is asked), and lands on the menu with their assignments. */
async function joinByLink(name: string, viewport = { width: 1280, height: 800 }): Promise<Desk> {
  const desk = await openDesk(link, { before: routeApi, viewport });
  desks.push(desk);
  await waitForScene(desk.page, 'Menu', 30_000);
  const form = desk.page.locator('.htl-results form');
  await form.waitFor();
  expect(await form.locator('input[name=code]').count(), 'the code field is not asked for').toBe(0);
  expect(await form.textContent()).toContain(link.split('join=')[1]!);
  // The name field has the focus: typing goes straight in.
  expect(await desk.page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
  await desk.page.keyboard.type(name);
  await desk.page.keyboard.press('Enter');
  await desk.page
    .locator('.htl-results .badge', { hasText: name })
    .waitFor({ timeout: 10_000 })
    .catch(async (error: unknown) => {
      throw new Error(`not joined: the panel says “${await desk.page.locator('.htl-results').textContent()}” (${String(error)})`);
    });
  await expect.poll(async () => (await assignmentsOnMenu(desk.page)).length, { timeout: 15_000 }).toBe(2);
  await desk.page.waitForTimeout(300);
  return desk;
}

async function takeAssessment(desk: Desk, planName: 'best' | 'worst') {
  const page = desk.page;
  const first = (await assignmentsOnMenu(page)).find((a) => a.scenarioId === 'practice-call')!;
  expect(first).toMatchObject({ mode: 'assessment', attemptsUsed: 0, attemptsAllowed: 3, open: true });
  await tap(page, `assignment:${first.id}`);
  await waitForScene(page, 'Call', 30_000);
  const ringing = await waitForCall(page, (c) => c.phase === 'ringing');
  expect(ringing.mode).toBe('assessment');
  // The server's seed: 32 base64url characters of its HMAC (a seed made on the device looks otherwise).
  expect(ringing.seed).toMatch(/^[A-Za-z0-9_-]{32}$/);
  const { ring, choices } = plan('practice-call', planName);
  await playCall(page, ring, choices.map((choice): Move => ({ choice, by: 'number' })));
  await waitForScene(page, 'Debrief', 60_000);
  const debrief = await debriefView(page);
  expect(debrief?.mode).toBe('assessment');
  expect(debrief?.modelCallShown).toBe(false);
  expect(debrief?.passed).toBe(planName === 'best');
  await expect.poll(async () => (await debriefView(page))?.saved, { timeout: 20_000 }).toBe('✓ Sent to your team');
  return ringing.seed!;
}

describe('an assessment', () => {
  it('is assigned by the lead, who copies the join link and shows its QR code', async () => {
    const page = lead.page;
    await page.goto(`${web.url}/dashboard.html`);
    await page.getByLabel('Name').fill(LEAD);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#assignments').waitFor();
    expect(await page.locator('#assignments').textContent()).toContain('Nothing assigned to this cohort yet.');
    // The dashboard speaks the game's words.
    expect(await page.locator('.codes').textContent()).toContain('“Join your team”');
    expect(await page.locator('.codes button.link').first().textContent()).toBe('Revoke');

    const form = page.locator('form.new-assignment');
    // Nothing ticked: the form says so and sends nothing.
    await form.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Tick at least one caller.');
    await form.locator('input[value="practice-call"]').check();
    await form.locator('input[value="wrong-charge"]').check();
    await form.getByLabel('Mode').selectOption('assessment');
    await form.getByLabel('Attempts allowed').fill('3');
    await form.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => page.locator('li.assignment.assessment').count()).toBe(2);
    expect(await page.locator('li.assignment').first().textContent()).toMatch(/Assessment.*Due .*3 attempts allowed.*0 of 0 passed · 0 done/);

    // The join link, copied with its button, is PUBLIC_URL/?join=CODE.
    const code = (await page.locator('code.join-code').first().textContent())!;
    await page.locator('button.copy').first().click();
    await expect.poll(() => page.locator('button.copy').first().textContent()).toBe('✓ Copied');
    link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${server.url.replace(/\/$/, '')}/?join=${code}`);
    await page.getByRole('button', { name: 'QR code' }).click();
    const qr = page.locator('svg.qr');
    await qr.waitFor();
    expect(await qr.getAttribute('aria-label')).toBe(`QR code of the join link ${link}`);
    await page.screenshot({ path: join(SHOTS, 'assess-01-dashboard-assigned-1280.png'), fullPage: true });
    expect(lead.errors).toEqual([]);
  });

  it('shows on the menu first, in both languages, at both sizes, for a trainee who opened the link', async () => {
    expect(link, 'the first test copied the link').not.toBe('');
    const wide = await joinByLink('Menu Wide');
    await shoot(wide.page, 'assess-10-menu-en-1280');
    await tap(wide.page, 'setting:language');
    await waitForScene(wide.page, 'Menu');
    await expect.poll(async () => (await assignmentsOnMenu(wide.page)).length).toBe(2);
    await shoot(wide.page, 'assess-11-menu-zh-1280');
    const phone = await joinByLink('Menu Phone', { width: 390, height: 844 });
    await shoot(phone.page, 'assess-12-menu-en-390');
    await tap(phone.page, 'setting:language');
    await waitForScene(phone.page, 'Menu');
    await expect.poll(async () => (await assignmentsOnMenu(phone.page)).length).toBe(2);
    await shoot(phone.page, 'assess-13-menu-zh-390');
    for (const desk of [wide, phone]) expect(desk.errors).toEqual([]);
  });

  it('is started by the server for two trainees who joined by the link: one passes, one fails, and the lead sees both', { timeout: 400_000 }, async () => {
    const ann = await joinByLink('Ann Lee');
    const annSeed = await takeAssessment(ann, 'best');
    // Back on the menu, the assignment says passed, 1 of 3 used.
    await tap(ann.page, 'another');
    await waitForScene(ann.page, 'Menu');
    await expect.poll(async () => (await assignmentsOnMenu(ann.page)).find((a) => a.scenarioId === 'practice-call'), { timeout: 15_000 }).toMatchObject({ attemptsUsed: 1, done: true, passed: true });
    await shoot(ann.page, 'assess-14-menu-after-pass-en-1280');

    const bo = await joinByLink('Bo Chen', { width: 390, height: 844 });
    const boSeed = await takeAssessment(bo, 'worst');
    expect(boSeed).not.toBe(annSeed);

    // Stored as the server started them: timed by it, in assessment mode, counted for the assignment.
    const rows = await service.db.query<{ name: string; passed: boolean; timed_by_server: boolean; mode: string; assignment_id: string | null; seed: string }>(
      'SELECT t.name, a.passed, a.timed_by_server, a.mode, a.assignment_id::text, a.seed FROM attempts a JOIN trainees t ON t.id = a.trainee_id ORDER BY t.name',
    );
    expect(rows.map((r) => [r.name, r.passed, r.timed_by_server, r.mode, r.assignment_id !== null])).toEqual([
      ['Ann Lee', true, true, 'assessment', true],
      ['Bo Chen', false, true, 'assessment', true],
    ]);
    expect(rows.map((r) => r.seed)).toEqual([annSeed, boSeed]);

    // The lead's dashboard: both results, in the assignment and in the table.
    const page = lead.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const item = page.locator('li.assignment[data-scenario="practice-call"]');
    await expect.poll(() => item.locator('.progress').textContent()).toBe('1 of 4 passed · 2 done');
    const row = (name: string) => item.locator('tr', { hasText: name });
    expect(await row('Ann Lee').textContent()).toMatch(/1\/3.*✓ passed.*best 100%/);
    expect(await row('Bo Chen').textContent()).toMatch(/1\/3.*✗ not passed.*best 0%/);
    expect(await row('Menu Wide').textContent()).toMatch(/0\/3.*not done/);
    expect(await page.locator('table.results tbody tr', { hasText: 'Ann Lee' }).locator('td.pass').count()).toBe(1);
    expect(await page.locator('table.results tbody tr', { hasText: 'Bo Chen' }).locator('td.fail').count()).toBe(1);
    await shootDashboard('assess-20-dashboard-en-1280', { width: 1280, height: 800 }, 'en');
    await shootDashboard('assess-21-dashboard-zh-1280', { width: 1280, height: 800 }, 'zh-CN');
    await shootDashboard('assess-22-dashboard-zh-390', { width: 390, height: 844 }, 'zh-CN');
    await shootDashboard('assess-23-dashboard-en-390', { width: 390, height: 844 }, 'en');
    expect(lead.errors).toEqual([]);
    for (const desk of [ann, bo]) expect(desk.errors).toEqual([]);
  });
});
