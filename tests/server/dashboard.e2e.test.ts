/**
 * The dashboard in Debian's Chromium against the real app: a lead logs in and sees a trainee's
 * submitted attempt in the table, the heat map and the transcript; a name typed as HTML stays text.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { startDashboardServer } from './dashboard-server';
import { addLead, call, join as joinCohort, login, makeAttempt, newCohort, PASSWORD, testService } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

let service: Service;
let web: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;
const errors: string[] = [];
let attemptId: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  service = await testService();
  await addLead(service, 'Browser Lead');
  const cookie = await login(service, 'Browser Lead');
  const cohort = await newCohort(service, cookie, 'E2E cohort');
  const trainee = await joinCohort(service, cohort.code, 'Mei Ling');
  const hostile = await joinCohort(service, cohort.code, HOSTILE);
  const attempt = makeAttempt(service, 'practice-call', undefined, { language: 'en' });
  attemptId = attempt.attemptId;
  expect((await call(service.app, 'POST', '/api/attempts', { body: attempt, token: trainee.token })).status).toBe(201);
  expect((await call(service.app, 'POST', '/api/attempts', { body: makeAttempt(service, 'practice-call', ['greet-wei', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-curt']), token: hostile.token })).status).toBe(201);
  web = await startDashboardServer(service);
  profile = mkdtempSync(join(tmpdir(), 'htl-dash-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => errors.push(String(error)));
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await web?.close();
  await service?.close();
});

it('logs in, shows the submitted attempt and opens its transcript', async () => {
  await page.goto(`${web.url}/dashboard.html`);
  await page.getByLabel('Name').fill('Browser Lead');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/do not match/);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('table.results');

  // The table: Mei Ling passed the warm-up with 100.
  const row = page.locator('table.results tbody tr', { hasText: 'Mei Ling' });
  const cell = row.locator('td.pass');
  await expect.poll(() => cell.count()).toBe(1);
  expect(await cell.textContent()).toMatch(/best 100.*last 100.*1×/);
  // The hostile name is shown as text, and nothing ran.
  expect(await page.locator('table.results tbody th').allTextContents()).toContain(HOSTILE);
  expect(await page.locator('table.results img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // The heat map has a row per trainee.
  expect(await page.locator('svg.heat-map .heat-name').count()).toBe(2);
  // The join code is on the page for the lead to hand out.
  expect(await page.locator('code.join-code').count()).toBe(1);
  await page.screenshot({ path: join(SHOTS, 'dashboard-cohort.png'), fullPage: true });

  // Drill down: the trainee's chart, then the attempt's transcript with the feedback behind the score.
  await row.getByRole('button', { name: 'Mei Ling' }).click();
  await page.waitForSelector('svg.progress-chart circle.dot');
  await page.locator('#trainee').getByRole('button', { name: 'Transcript', exact: true }).click();
  const transcript = page.locator('article.transcript');
  await transcript.waitFor();
  expect(await transcript.locator('.total').textContent()).toMatch(/100% \(pass mark 85%\)/);
  expect(await transcript.locator('.line.agent').count()).toBeGreaterThanOrEqual(5);
  expect(await transcript.locator('.rule.kept').count()).toBeGreaterThan(0);
  // Each decision lists the options in the order the trainee saw them, the one chosen marked.
  expect(await transcript.locator('.shown li.chosen').count()).toBe(await transcript.locator('.line.agent').count());
  await page.locator('#attempt').screenshot({ path: join(SHOTS, 'dashboard-transcript.png') });

  // The exports point at the lead's own cohort.
  const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(csv).toMatch(/^\/api\/report\.csv\?cohort=\d+/);
  const download = await page.evaluate(async (href) => (await fetch(href)).text(), csv!);
  expect(download).toContain('Mei Ling,practice-call');
  expect(errors).toEqual([]);
  expect(attemptId).toBeTruthy();
}, 180_000);
