/**
 * Issue 15's assessment, end to end in Chromium: a lead assigns two callers as an assessment on the
 * dashboard and copies the cohort's join link; two trainees open the link (the game asks only their
 * name), see their assignments first on the menu, and start the assessment from there: the server
 * starts each call (its seed, id and clock), the debrief shows no model call; one passes at a
 * human pace, one fails answering faster than anyone reads; the lead's dashboard shows both
 * results, and its analytics the pass rate per caller, the rules the cohort broke in their words,
 * the decision shares on the caller's graph and in its table, and the quick call flagged with its
 * reason, in English and Chinese. Screenshots of the dashboard's assignments and analytics and of
 * the menu with assignments at 1280×800 and 390×844, in English and Chinese.
 *
 * The game is the production build on a static server; its /api/* is answered by the real app
 * in-process (routed by the page); the dashboard is served by Vite with the same app behind /api/*.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultRulebook } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { readingFloorMs } from '../../src/server/vouch';
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

/** The analytics as a lead sees them: the top of the group (pass rates, rules) and the decisions card with its graph. */
async function shootAnalytics(name: string) {
  const page = lead.page;
  await page.evaluate(() => document.querySelector('.analytics-group')?.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  await page.locator('#flags').screenshot({ path: join(SHOTS, `${name}-flags.png`) });
  await page.locator('#decisions').screenshot({ path: join(SHOTS, `${name}-decisions.png`) });
}

/** The warm-up's decisions with their options in the file's order (the dashboard's letters). */
function scenarioDecisions() {
  return service.catalogue.current.get('practice-call')!.scenario.nodes.flatMap((n) => (n.kind === 'decision' ? [n] : []));
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

/**
 * `best` is played at a person's pace (each reply after the time its options take to read, in
 * either language, and a little more); `worst` as fast as the keys go, which the server flags.
 */
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
  const scenario = service.catalogue.current.get('practice-call')!.scenario;
  const readTime = async (_n: number, call: { nodeId: string | null; offered: string[] }) => {
    const node = scenario.nodes.find((x) => x.id === call.nodeId);
    if (node?.kind !== 'decision') return;
    const texts = (lang: 'en' | 'zh-CN') => call.offered.map((id) => node.choices.find((c) => c.id === id)?.text[lang] ?? '');
    await page.waitForTimeout(Math.max(readingFloorMs(texts('en'), 'en'), readingFloorMs(texts('zh-CN'), 'zh-CN')) + 300);
  };
  await playCall(page, ring, choices.map((choice): Move => ({ choice, by: 'number' })), planName === 'best' ? { onDecision: readTime } : {});
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
    expect(await wide.page.locator('.htl-results .badge').textContent()).toContain('all results sent to your team');
    await tap(wide.page, 'setting:language');
    await waitForScene(wide.page, 'Menu');
    await expect.poll(async () => (await assignmentsOnMenu(wide.page)).length).toBe(2);
    // The results panel over the menu switches language with it.
    await expect.poll(() => wide.page.locator('.htl-results .badge').textContent()).toContain('成绩已全部发送给团队');
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
    const rows = await service.db.query<{ name: string; passed: boolean; timed_by_server: boolean; mode: string; assignment_id: string | null; seed: string; flags: { kind: string }[]; broken_rules: string[] }>(
      'SELECT t.name, a.passed, a.timed_by_server, a.mode, a.assignment_id::text, a.seed, a.flags, a.broken_rules FROM attempts a JOIN trainees t ON t.id = a.trainee_id ORDER BY t.name',
    );
    // Ann at a person's pace is not flagged; Bo, answering faster than the options can be read, is.
    expect(rows.map((r) => r.flags.map((f) => f.kind))).toEqual([[], ['too-fast']]);
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

    // The cohort's analytics below: the pass rate per caller (a bar and its figures): 1 of 2 calls, 1 of 2 trainees.
    expect(await page.locator('#analytics-range').textContent()).toBe('Calls of every date.');
    const practiceTitle = service.catalogue.title('practice-call')!.en!;
    const rate = page.locator('table.pass-rates tbody tr', { has: page.locator('th', { hasText: practiceTitle }) });
    expect((await rate.locator('td').allTextContents()).slice(0, 4)).toEqual(['50%', '1 / 2', '2', '1 / 2']);
    expect(await rate.locator('.share-bar > span').getAttribute('style')).toMatch(/^width:50\.0%/);
    // Wrong-charge was assigned but nobody has played it yet: no row.
    expect(await page.locator('table.pass-rates tbody tr').count()).toBe(1);

    // The rules broken most, in the rule's words (never its id), each by Bo's 1 of the 2 calls.
    const words = (id: string) => defaultRulebook().rules.find((r) => r.id === id)!.text;
    const broken = [...new Set(rows.flatMap((r) => r.broken_rules))].sort();
    expect(rows[1]!.broken_rules.length).toBeGreaterThan(0);
    const ruleRows = page.locator('table.rules tbody tr');
    expect(await ruleRows.count()).toBe(broken.length);
    for (const id of broken) {
      const ruleRow = ruleRows.filter({ hasText: words(id).en! });
      expect(await ruleRow.count(), id).toBe(1);
      const calls = rows.filter((r) => r.broken_rules.includes(id)).length;
      expect((await ruleRow.locator('td').allTextContents()).slice(0, 2), id).toEqual([`${calls * 50}%`, `${calls} / 2`]);
    }
    expect(await page.locator('table.rules').textContent()).not.toMatch(new RegExp(broken.join('|')));

    // The decision shares, on the warm-up's graph and in its table: at each decision Ann's and Bo's choices.
    await page.locator('#decisions-caller').selectOption('practice-call');
    await page.locator('#decisions table.decisions').waitFor();
    const graph = page.locator('svg.decision-graph');
    const table = page.locator('table.decisions');
    const paths = ['best', 'worst'].map((name) => plan('practice-call', name).choices);
    const decisionNodes = scenarioDecisions();
    for (const node of decisionNodes) {
      const chosen = paths.flatMap((choices) => choices.filter((c) => node.choices.some((x) => x.id === c)));
      if (chosen.length === 0) continue;
      for (const option of node.choices) {
        const times = chosen.filter((c) => c === option.id).length;
        const share = `${Math.round((times / chosen.length) * 100)}%`;
        const letter = 'ABCDEFGH'[node.choices.indexOf(option)];
        expect(await graph.locator(`text.share[data-choice="${option.id}"]`).textContent(), option.id).toBe(node.choices.length > 6 ? share : `${letter} ${share}`);
        expect((await table.locator(`tr[data-choice="${option.id}"] td`).allTextContents()).slice(0, 2), option.id).toEqual([String(times), share]);
      }
    }
    expect(await table.locator('tr.model .badge.model').count()).toBeGreaterThan(0);

    // Bo's call is flagged, with its reason in words; Ann's is not.
    const flagged = page.locator('table.flagged tbody tr');
    expect(await flagged.count()).toBe(1);
    expect(await flagged.locator('th').textContent()).toBe('Bo Chen');
    expect(await flagged.locator('li[data-kind="too-fast"]').textContent()).toMatch(/^Choices faster than reading: \d+ of \d+ choices faster than the options can be read: step \d+ in \d+ ms \(reading takes at least \d+ ms\)/);
    expect(await page.locator('.flag-counts li').allTextContents()).toEqual(['Choices faster than reading: 1']);

    await shootDashboard('assess-20-dashboard-en-1280', { width: 1280, height: 800 }, 'en');
    await shootAnalytics('assess-30-analytics-en-1280');
    await shootDashboard('assess-21-dashboard-zh-1280', { width: 1280, height: 800 }, 'zh-CN');
    // The same in Chinese: the captions, the rules' Chinese words and the reason.
    expect(await page.locator('table.pass-rates caption').textContent()).toBe('各来电的通过率');
    const practiceZh = service.catalogue.title('practice-call')!['zh-CN']!;
    const rateZh = page.locator('table.pass-rates tbody tr', { has: page.locator('th', { hasText: practiceZh }) });
    expect((await rateZh.locator('td').allTextContents()).slice(0, 4)).toEqual(['50%', '1 / 2', '2', '1 / 2']);
    for (const id of broken) expect(await page.locator('table.rules tbody th').filter({ hasText: words(id)['zh-CN']! }).count(), id).toBe(1);
    expect(await flagged.locator('li[data-kind="too-fast"]').textContent()).toMatch(/^选择快于阅读：\d+ 次选择中有 \d+ 次快于读完选项所需的时间/);
    expect(await page.locator('#analytics-range').textContent()).toBe('涵盖全部日期的通话。');
    await shootAnalytics('assess-31-analytics-zh-1280');
    await shootDashboard('assess-22-dashboard-zh-390', { width: 390, height: 844 }, 'zh-CN');
    await shootAnalytics('assess-32-analytics-zh-390');
    await shootDashboard('assess-23-dashboard-en-390', { width: 390, height: 844 }, 'en');
    await shootAnalytics('assess-33-analytics-en-390');
    expect(lead.errors).toEqual([]);
    for (const desk of [ann, bo]) expect(desk.errors).toEqual([]);
  });
});
