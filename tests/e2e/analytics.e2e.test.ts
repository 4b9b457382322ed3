/**
 * The lead's cohort analytics in Debian's Chromium against the real app (issue 15). Two trainees
 * play the warm-up through the API with server starts: Ann passes, Bo fails by hanging up on the
 * caller and answers every decision in 100 ms. The lead sees the pass rates, the rules most broken
 * in their own words, the decision shares on the caller's graph and in its table, and Bo's call
 * flagged with its reason; the heat map switches to best and back by keyboard; a date range empties
 * every view, which says the range; the transcript says
 * rules in words and "anger" as the game says it; CSV downloads; screenshots at 1280×800 and 390×844 in both languages.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analysisOf, defaultRulebook, type Attempt, type AttemptStep } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { startDashboardServer } from '../server/dashboard-server';
import { addLead, call, join as joinCohort, login, makeAttempt, newCohort, PASSWORD, testService } from '../server/helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(import.meta.dirname, '../../test-results/screenshots/analytics');
const ROOMY = { login: { burst: 1000, perSecond: 1000 }, join: { burst: 1000, perSecond: 1000 }, submit: { burst: 1000, perSecond: 1000 }, start: { burst: 1000, perSecond: 1000 } };
const rule = (id: string) => defaultRulebook().rules.find((r) => r.id === id)!.text;

const BO = ['greet-wei', 'ask-again', 'number-promise', 'close-hang-up'];
const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
let service: Service;
let web: { url: string; close(): Promise<void> };
let context: BrowserContext;
let page: Page;
let profile: string;
const errors: string[] = [];

/** A call the server starts; it receives the steps `elapsed` ms later by its clock. */
async function play(token: string, scenarioId: string, choices: readonly string[], ms: number, elapsed = 240_000) {
  const s = await call(service.app, 'POST', '/api/attempts/start', { body: { scenarioId, mode: 'practice' }, token });
  expect(s.status).toBe(201);
  clock.t += elapsed;
  const steps = [{ type: 'answer', ring: 1 }, ...choices.map((c): AttemptStep => ({ type: 'choose', choiceId: c, ms }))] as Attempt['steps'];
  const attempt = { ...makeAttempt(service, scenarioId), format: 2, attemptId: s.json.attemptId, seed: s.json.seed, startedAt: s.json.startedAt, mode: 'practice', language: 'en', steps } as Attempt;
  const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
  expect(r.status).toBe(201);
  return r.json.result as { passed: boolean };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
  service = await testService({ limits: ROOMY, now: () => clock.t });
  await addLead(service, 'Analytics Lead');
  const cookie = await login(service, 'Analytics Lead');
  const cohort = await newCohort(service, cookie, 'Spring intake');
  const ann = await joinCohort(service, cohort.code, 'Ann');
  const bo = await joinCohort(service, cohort.code, 'Bo');
  const best = (id: string) => analysisOf(service.catalogue.current.get(id)!.scenario).bestPath!.choices;
  expect((await play(ann.token, 'practice-call', best('practice-call'), 12_000)).passed).toBe(true);
  expect((await play(ann.token, 'lonely-elderly', best('lonely-elderly'), 15_000, 600_000)).passed).toBe(true);
  expect((await play(bo.token, 'practice-call', BO, 100)).passed).toBe(false);
  web = await startDashboardServer(service);
  profile = mkdtempSync(join(tmpdir(), 'htl-analytics-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => errors.push(String(error)));
  // The page asks for the session before logging in: that 401 is expected, any other error is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await web?.close();
  await service?.close();
});

async function shoot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.locator('#decisions').screenshot({ path: join(SHOTS, `${name}-decisions.png`) });
}

it('shows the pass rates, the rules most broken in words, the decision shares and the flagged call', async () => {
  await page.goto(`${web.url}/dashboard.html`);
  await page.getByLabel('Name').fill('Analytics Lead');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('#decisions table.decisions');

  // Pass rate per caller: the warm-up 1 of 2 calls (50%), Mrs Zhou 1 of 1.
  const rates = page.locator('table.pass-rates');
  expect(await rates.locator('caption').textContent()).toBe('Pass rate per caller');
  const title = (id: string) => service.catalogue.title(id)!.en!;
  const warmUp = rates.locator('tbody tr', { has: page.locator('th', { hasText: title('practice-call') }) });
  expect((await warmUp.locator('td').allTextContents()).slice(0, 4)).toEqual(['50%', '1 / 2', '2', '1 / 2']);
  const zhou = rates.locator('tbody tr', { has: page.locator('th', { hasText: title('lonely-elderly') }) });
  expect((await zhou.locator('td').allTextContents()).slice(0, 4)).toEqual(['100%', '1 / 1', '1', '1 / 1']);

  // The rules most often broken, in their words: Bo broke five rules, each in 1 of the 3 calls.
  const rules = page.locator('table.rules tbody tr');
  expect(await rules.count()).toBe(5);
  const ruleTexts = await rules.locator('th').allTextContents();
  for (const id of ['no-overpromise', 'never-hang-up-first', 'courteous-words', 'confirm-understanding', 'standard-flow']) {
    expect(ruleTexts.some((x) => x.includes(rule(id).en!))).toBe(true);
  }
  expect((await page.locator('table.rules').textContent())!).not.toMatch(/no-overpromise|never-hang-up-first/);
  const critical = rules.filter({ hasText: rule('never-hang-up-first').en! });
  expect(await critical.locator('.badge.critical').count()).toBe(1);
  expect(await critical.locator('td').allTextContents()).toEqual(['33%', '1 / 3', '1']);

  // Flagged: Bo's call, with its reason in words.
  const flagged = page.locator('table.flagged tbody tr');
  expect(await flagged.count()).toBe(1);
  expect(await flagged.locator('th').textContent()).toBe('Bo');
  const reason = (await flagged.locator('li[data-kind="too-fast"]').textContent())!;
  expect(reason).toMatch(/^Choices faster than reading: 4 of 4 choices faster than the options can be read: step 2 in 100 ms \(reading takes at least \d+ ms\)/);
  expect(await page.locator('.flag-counts li').allTextContents()).toEqual(['Choices faster than reading: 1']);

  // The decisions of the warm-up on its graph: at the greeting half chose “wei”, half the standard greeting.
  const graph = page.locator('svg.decision-graph');
  expect(await graph.locator('g.node.decision').count()).toBe(5);
  expect(await graph.locator('text.share[data-choice="greet-wei"]').textContent()).toBe('A 50%');
  expect(await graph.locator('text.share[data-choice="greet-standard"]').textContent()).toBe('B 50%');
  expect(await graph.locator('text.share[data-choice="greet-short"]').textContent()).toBe('C 0%');
  // Thicker for the option chosen more: the hang-up (chosen once) against the one nobody took.
  const width = (choice: string) => graph.locator(`path[data-choice="${choice}"]`).getAttribute('stroke-width');
  expect(Number(await width('close-hang-up'))).toBeGreaterThan(Number(await width('close-done')));
  // …and the same in the table, options by their words.
  const table = page.locator('table.decisions');
  const wei = table.locator('tr[data-choice="greet-wei"]');
  const weiText = service.catalogue.current.get('practice-call')!.scenario.nodes.find((n) => n.id === 'greet')!;
  expect(weiText.kind).toBe('decision');
  if (weiText.kind === 'decision') expect(await wei.locator('th').textContent()).toContain(weiText.choices.find((c) => c.id === 'greet-wei')!.text.en);
  expect(await wei.locator('td').allTextContents()).toEqual(['1', '50%', '1 / 2']);
  expect(await table.locator('tr[data-choice="greet-standard"] .badge.model').count()).toBe(1);
  // Reply times in log-scale buckets (within 4.4%): 100 ms and 12 s read 0.1 s and 12.1 s.
  expect(await table.locator('th#decision-greet').textContent()).toMatch(/Decision 1.*answered 2 times by 2 trainees; reply time median 0\.1 s, 90th percentile 12\.1 s/);
  // By keyboard: Enter on a decision of the graph takes the focus to its rows in the table.
  await graph.locator('g.node.decision[data-node="give-number"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('decision-give-number');
  await shoot('en-1280');

  // CSV of the rules, in words.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#rules button.csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffRule,Share of calls,Calls that broke it,Trainees');
  expect(csv).toContain(rule('no-overpromise').en!);

  // The heat map by best: switched with the keyboard (Space), and read as a table.
  await page.locator('#heat-by-best').focus();
  await page.keyboard.press('Space');
  await expect.poll(() => page.locator('#heat-by-best').getAttribute('aria-pressed')).toBe('true');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('heat-by-best');
  await page.locator('#heat-view-table').click();
  const heat = page.locator('table.heat-table');
  await heat.waitFor();
  expect(await heat.locator('caption').textContent()).toBe('Skills of each trainee, each caller counted by: Best');
  expect(await heat.locator('tbody tr', { hasText: 'Ann' }).locator('td').allTextContents()).toSatisfy((cells: string[]) => cells.filter((c) => c !== '—').every((c) => c === '100%'));
  await page.locator('#heat-view-chart').click();
  await page.locator('#heat-by-latest').click();

  // The page's date range applies to every analytics view, which says it: from two days on, nothing.
  expect(await page.locator('#analytics-range').textContent()).toBe('Calls of every date.');
  const later = new Date(Date.now() + 2 * 86_400_000);
  const day = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}`;
  await page.getByLabel('From').fill(day);
  await expect.poll(() => page.locator('#analytics-range').textContent()).toBe(`Calls from ${later.toLocaleDateString('en-US', { dateStyle: 'medium' })} on, by the server’s dates.`);
  expect(await page.locator('#pass-rates').textContent()).toContain('No calls yet.');
  expect(await page.locator('#rules').textContent()).toContain('No rule broken yet.');
  expect(await page.locator('#flags').textContent()).toContain('Nothing flagged.');
  expect(await page.locator('#decisions').textContent()).toContain('Nobody in this cohort has played this caller yet.');
  await page.locator('#heat-by-best').click();
  await expect.poll(() => page.locator('#heat-by-best').getAttribute('aria-pressed')).toBe('true');
  // The heat map by best over the range: every trainee's cells empty.
  await expect.poll(async () => [...new Set(await page.locator('#heat svg text.heat-value').allTextContents())]).toEqual(['–']);
  await page.locator('#heat-by-latest').click();
  await page.getByLabel('From').fill('');
  await expect.poll(() => page.locator('#analytics-range').textContent()).toBe('Calls of every date.');
  await page.waitForSelector('#decisions table.decisions');

  // The flagged call's transcript: rules in their words, not ids; the caller's anger in the game's word.
  await flagged.getByRole('button', { name: 'Transcript' }).click();
  const transcript = page.locator('article.transcript');
  await transcript.waitFor();
  const said = (await transcript.textContent())!;
  expect(said).toContain(`Broke: ${rule('never-hang-up-first').en}`);
  expect(said).not.toMatch(/broke never-hang-up-first|\bmood\b/i);
  expect(said).toMatch(/anger \d+ → \d+/);
  expect(said).toMatch(/4 of 4 choices faster than the options can be read/);

  // A trainee's trend: Ann's scores over time, and the same calls as a table.
  await page.locator('table.results').getByRole('button', { name: 'Ann' }).click();
  await page.waitForSelector('svg.progress-chart circle.dot');
  expect(await page.locator('svg.progress-chart circle.dot').count()).toBe(2);
  expect(await page.locator('table.attempts caption').textContent()).toBe('Ann’s calls, newest first');
  expect(await page.locator('table.attempts tbody tr').count()).toBe(2);
}, 180_000);

it('reads in Chinese and on a phone', async () => {
  await page.locator('#heat-view-chart').click();
  await page.goto(`${web.url}/dashboard.html`);
  await page.waitForSelector('#decisions table.decisions');
  await page.getByRole('button', { name: '中文' }).click();
  await page.waitForSelector('text=各来电的通过率');
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(await page.locator('table.pass-rates caption').textContent()).toBe('各来电的通过率');
  const ruleTexts = await page.locator('table.rules tbody th').allTextContents();
  expect(ruleTexts.some((x) => x.includes(rule('no-overpromise')['zh-CN']!))).toBe(true);
  expect(await page.locator('table.flagged li[data-kind="too-fast"]').textContent()).toMatch(/^选择快于阅读：4 次选择中有 4 次快于读完选项所需的时间：第 2 步用时 100 毫秒/);
  expect(await page.locator('table.decisions th#decision-greet').textContent()).toMatch(/决策 1.*2 名学员共作答 2 次；回复用时中位数 0\.1 秒，第 90 百分位 12\.1 秒/);
  expect(await page.locator('#analytics-range').textContent()).toBe('涵盖全部日期的通话。');
  await shoot('zh-1280');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  // Nothing wider than the phone but the scrolling boxes (tables and charts scroll inside their cards).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(390);
  await shoot('zh-390');
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForSelector('text=Pass rate per caller');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shoot('en-390');
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(errors).toEqual([]);
}, 180_000);
