/**
 * Administration in the dashboard, in Chromium against the real app (issue 15): an admin adds a
 * lead and resets a password (a one-time temporary password, which the lead must replace at their
 * first login), and a lead renames (by keyboard) and merges trainees, the merge's confirmation
 * naming how many calls move. Screenshots at 1280×800 and 390×844 in English and Chinese.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { startDashboardServer } from '../server/dashboard-server';
import { addLead, call, join as joinCohort, login, makeAttempt, newCohort, PASSWORD, testService } from '../server/helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(import.meta.dirname, '../../test-results/screenshots');
const POOR = ['greet-wei', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-curt'];

let service: Service;
let web: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;
const errors: string[] = [];

async function submit(token: string, choices?: string[]) {
  expect((await call(service.app, 'POST', '/api/attempts', { body: makeAttempt(service, 'practice-call', choices), token })).status).toBe(201);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  service = await testService();
  await addLead(service, 'Ada Admin');
  const cohort = await newCohort(service, await login(service, 'Ada Admin'), 'Morning shift');
  const li = await joinCohort(service, cohort.code, 'Li Na');
  const phone = await joinCohort(service, cohort.code, 'lina phone');
  const wang = await joinCohort(service, cohort.code, '王芳');
  await submit(li.token, POOR);
  await submit(li.token);
  await submit(phone.token);
  await submit(wang.token);
  web = await startDashboardServer(service);
  profile = mkdtempSync(join(tmpdir(), 'htl-admin-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
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

const shoot = (name: string) => page.screenshot({ path: join(SHOTS, `admin-${name}.png`), fullPage: true });

it('an admin adds a lead and resets a password; a lead renames and merges trainees', async () => {
  await page.goto(`${web.url}/dashboard.html`);
  await page.getByLabel('Name').fill('Ada Admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Administration' }).click();
  await page.locator('table.leads-admin').waitFor();

  // Add a lead: a temporary password, shown once.
  await page.locator('input[name=lead-name]').fill('Ben Lead');
  await page.getByRole('checkbox', { name: 'Trainer' }).last().check();
  await page.getByRole('button', { name: 'Add lead' }).click();
  const secret = page.locator('code.temporary-password');
  await secret.waitFor();
  const first = (await secret.textContent())!;
  expect(first).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  expect(await page.locator('table.leads-admin tbody tr', { hasText: 'Ben Lead' }).textContent()).toMatch(/temporary password not yet changed/);
  await shoot('lead-added-1280-en');

  // Reset Ben's password: confirmed, a new temporary one, the first no longer opens.
  const ben = page.locator('table.leads-admin tbody tr', { hasText: 'Ben Lead' });
  await ben.getByRole('button', { name: 'Reset password' }).click();
  expect(await page.locator('.admin-confirm').textContent()).toMatch(/Reset the password of “Ben Lead”/);
  await page.locator('.admin-confirm button.danger').click();
  await expect.poll(async () => secret.textContent()).not.toBe(first);
  const second = (await secret.textContent())!;
  expect((await call(service.app, 'POST', '/api/login', { body: { name: 'Ben Lead', password: first } })).status).toBe(401);
  expect((await call(service.app, 'POST', '/api/login', { body: { name: 'Ben Lead', password: second } })).json.lead.mustChangePassword).toBe(true);

  // Rename by keyboard: focus Rename, Enter, type, Enter.
  const phoneRow = page.locator('table.trainees-admin tbody tr', { hasText: 'lina phone' });
  await phoneRow.getByRole('button', { name: 'Rename' }).focus();
  await page.keyboard.press('Enter');
  const input = page.locator('input[name=trainee-name]');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('trainee-name');
  await input.fill('');
  await page.keyboard.type('Li Na (phone)');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.admin-notice').textContent()).toMatch(/Renamed to “Li Na \(phone\)”/);
  // A look-alike of another trainee is refused, as joining is.
  await page.locator('table.trainees-admin tbody tr', { hasText: '王芳' }).getByRole('button', { name: 'Rename' }).click();
  await page.locator('input[name=trainee-name]').fill('LiNa');
  await page.locator('input[name=trainee-name]').press('Enter');
  await expect.poll(() => page.locator('.admin-notice.error').textContent()).toMatch(/looks too much like another trainee/);
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Merge by keyboard: Li Na keeps; the confirmation names the calls that move.
  const liRow = page.locator('table.trainees-admin tbody tr').filter({ has: page.locator('.admin-name', { hasText: /^Li Na$/ }) });
  await liRow.getByRole('button', { name: 'Merge…' }).focus();
  await page.keyboard.press('Enter');
  const select = page.locator('select[name=merge-from]');
  await select.selectOption({ label: 'Li Na (phone) · 1' });
  await shoot('merge-choose-1280-en');
  await page.getByRole('button', { name: 'Next' }).click();
  const confirm = page.locator('.admin-confirm');
  expect(await confirm.textContent()).toMatch(/Merge “Li Na \(phone\)” \(1 call\) into “Li Na”\?/);
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Merge');
  await shoot('merge-confirm-1280-en');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.admin-notice').textContent()).toMatch(/“Li Na \(phone\)” merged into “Li Na”: 1 call moved/);
  expect(await page.locator('table.trainees-admin tbody tr').count()).toBe(2);
  expect(await liRow.locator('td.num').textContent()).toBe('3');
  // Removing asks with the number of calls.
  await page.locator('table.trainees-admin tbody tr', { hasText: '王芳' }).getByRole('button', { name: 'Remove' }).click();
  expect(await page.locator('.admin-confirm').textContent()).toMatch(/Remove “王芳” and delete 1 call\?/);
  await shoot('remove-confirm-1280-en');
  // Escape backs out, and the focus returns to the Remove button.
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.admin-confirm').count()).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Remove');
  expect(await page.locator('table.trainees-admin tbody tr').count()).toBe(2);

  // The report agrees: one Li Na with three calls.
  const report = await call(service.app, 'GET', `/api/report?cohort=${(await service.repository.listCohorts((await service.repository.findLeadByName('Ada Admin'))!.id))[0]!.id}`, { cookie: await login(service, 'Ada Admin') });
  expect(report.json.trainees.map((t: { name: string }) => t.name)).toEqual(['Li Na', '王芳']);
  expect(report.json.cells.find((c: { traineeId: number }) => c.traineeId === report.json.trainees[0].id).attempts).toBe(3);

  // Both sizes, both languages.
  await shoot('page-1280-en');
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot('page-390-en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('button', { name: '返回成绩' }).waitFor();
  await shoot('page-390-zh');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('table.trainees-admin tbody tr', { hasText: '王芳' }).getByRole('button', { name: '移除' }).click();
  expect(await page.locator('.admin-confirm').textContent()).toMatch(/移除“王芳”并删除其 1 通电话记录？/);
  await shoot('page-1280-zh');
  await page.getByRole('button', { name: '取消' }).click();
  await page.getByRole('button', { name: 'English' }).click();

  // Ben's first login: only the password form until he chooses his own.
  const benContext = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const benPage = await benContext.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    benPage.on('pageerror', (error) => errors.push(String(error)));
    await benPage.goto(`${web.url}/dashboard.html`);
    await benPage.getByLabel('姓名').fill('Ben Lead');
    await benPage.getByLabel('密码').fill(second);
    await benPage.getByRole('button', { name: '登录' }).click();
    await benPage.getByText('你的密码是管理员设置的').waitFor();
    expect(await benPage.locator('aside.cohorts').count()).toBe(0);
    await benPage.screenshot({ path: join(SHOTS, 'admin-forced-password-390-zh.png'), fullPage: true });
    await benPage.getByLabel('当前密码').fill(second);
    await benPage.getByLabel('新密码（至少 10 个字符）').fill('ben’s own password');
    await benPage.getByLabel('再次输入新密码').fill('ben’s own password');
    await benPage.getByRole('button', { name: '修改密码' }).click();
    await benPage.locator('aside.cohorts').waitFor();
    expect((await call(service.app, 'POST', '/api/login', { body: { name: 'Ben Lead', password: 'ben’s own password' } })).json.lead.mustChangePassword).toBe(false);
    // Ben is no admin: his administration page has trainees and his password, no leads.
    await benPage.getByRole('button', { name: '管理' }).click();
    await benPage.locator('#tr-title').waitFor();
    expect(await benPage.locator('table.leads-admin').count()).toBe(0);
  } finally {
    await benContext.close();
  }
  expect(errors).toEqual([]);
}, 300_000);
