/**
 * The trainer studio in Chromium, on the dev server over a copy of the scenarios folder: from an
 * empty studio and without typing JSON, a trainer builds a bilingual caller with three decisions and
 * three endings (cards added on the graph, options connected by dragging and in the form, rules by
 * their words, points per dimension, a ticket's tier), fixes a diagnostic by clicking it, undoes and
 * redoes, saves a draft the trainees do not see, plays it in the real desk to the debrief, publishes
 * it and finds it on a trainee's menu. The saved file validates in the CLI and round-trips unchanged.
 * Screenshots in both languages at 1280×800 and 1920×1080 go to test-results/screenshots/studio-*.png.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/scenario';
import { scenarioText } from '../../src/engine/format/layout';
import { ROOT } from './support/build';
import { menuView, openDesk, playCall, SHOTS, waitForScene, type Desk } from './support/desk';

/** Inside the project (Vite watches it, unlike test-results/), removed afterwards; .gitignore'd. */
const WORK = join(ROOT, 'tests', 'e2e', 'studio-work');
const SCENARIOS = join(WORK, 'scenarios');
const ID = 'broadband-down';
const FILE = join(SCENARIOS, `${ID}.json`);

let server: ViteDevServer;
let url: string;
let studio: Desk;

/** The trainee's menu reads the copy instead of scenarios/. */
const copiedCallers = {
  name: 'studio-e2e-callers',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!id.endsWith('src/game/catalog.ts')) return null;
    return code.replaceAll('../../scenarios/', '../../tests/e2e/studio-work/scenarios/');
  },
};

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cpSync(join(ROOT, 'scenarios'), SCENARIOS, { recursive: true });
  process.env.HTL_SCENARIOS_DIR = SCENARIOS;
  const { createServer } = await import('vite');
  server = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    cacheDir: join(ROOT, 'node_modules', '.vite-studio-e2e'),
    server: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [copiedCallers],
  });
  await server.listen();
  url = server.resolvedUrls?.local[0] ?? '';
  studio = await openDesk(`${url}studio.html`, { before: async () => undefined, viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await studio.page.waitForSelector('#empty-new', { timeout: 60_000 });
}, 240_000);

afterAll(async () => {
  await studio?.close();
  await server?.close();
  delete process.env.HTL_SCENARIOS_DIR;
  rmSync(WORK, { recursive: true, force: true });
  rmSync(join(ROOT, 'node_modules', '.vite-studio-e2e'), { recursive: true, force: true });
});

const field = (page: Page, path: string) => page.locator(`#form [data-path="${path}"]`);

async function fill(page: Page, path: string, text: string) {
  await field(page, path).fill(text);
}

async function bilingual(page: Page, path: string, zh: string, en: string) {
  await fill(page, `${path}.zh-CN`, zh);
  await fill(page, `${path}.en`, en);
}

const studioText = (page: Page) => page.evaluate(() => (window as unknown as { __studio: { text(): string | null } }).__studio.text());
const doc = async (page: Page) => JSON.parse((await studioText(page)) ?? 'null') as { nodes: { id: string; kind: string; choices?: { id: string; next: string }[] }[]; status?: string; start: string; layout?: Record<string, { x: number; y: number }> };

/** Waits until the whole check (in the worker) has caught up with the page. */
async function checked(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __studio: { checked(): boolean } }).__studio.checked(), null, { timeout: 30_000 });
}

/** Clicks a card, first tidying the graph into view when the card is off the canvas (as a trainer would). */
async function selectCard(page: Page, id: string) {
  const title = page.locator(`.card[data-node-id="${id}"] .card-title`);
  const box = await title.boundingBox();
  const canvas = await page.locator('.graph-canvas').boundingBox();
  if (!box || !canvas || box.x < canvas.x || box.y < canvas.y || box.x + box.width > canvas.x + canvas.width || box.y + box.height > canvas.y + canvas.height) await page.click('#tidy');
  await title.click();
}

/** Drags from an option's dot to another card, as a trainer connects them. */
async function connect(page: Page, from: string, port: number, to: string) {
  // The graph is drawn again when a check comes back: read the places once it has settled.
  await checked(page);
  await page.waitForTimeout(100);
  const dot = await page.locator(`.card[data-node-id="${from}"] [data-port="${port}"]`).boundingBox();
  const target = await page.locator(`.card[data-node-id="${to}"] .card-box`).boundingBox();
  if (!dot || !target) {
    await page.screenshot({ path: join(SHOTS, `studio-failed-connect.png`) });
    throw new Error(`cannot see ${from}:${port} or ${to}`);
  }
  await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
  await page.mouse.down();
  await page.mouse.move((dot.x + target.x) / 2, (dot.y + target.y) / 2, { steps: 4 });
  await page.mouse.move(target.x + target.width / 2, target.y + 12, { steps: 4 });
  await page.mouse.up();
}

interface Option {
  zh: string;
  en: string;
  feedbackZh: string;
  feedbackEn: string;
  next: string;
  scores?: Record<string, number>;
  kept?: string[];
  broken?: string[];
  kind?: string;
  tier?: string;
}

async function addOption(page: Page, node: number, k: number, o: Option) {
  await page.click('[data-action="add-option"]');
  const cp = `$.nodes[${node}].choices[${k}]`;
  if (o.kind) await field(page, `${cp}.kind`).selectOption(o.kind);
  if (o.tier) await field(page, `${cp}.tier`).selectOption(o.tier);
  await bilingual(page, `${cp}.text`, o.zh, o.en);
  await fill(page, `${cp}.feedback.zh-CN`, o.feedbackZh);
  if (o.feedbackEn) await fill(page, `${cp}.feedback.en`, o.feedbackEn);
  for (const [d, n] of Object.entries(o.scores ?? {})) await fill(page, `${cp}.scores.${d}`, String(n));
  for (const r of o.kept ?? []) await page.locator(`[data-rule="${r}"]`).selectOption('kept');
  for (const r of o.broken ?? []) await page.locator(`[data-rule="${r}"]`).selectOption('broken');
}

describe('the trainer studio', () => {
  it('builds a bilingual caller from an empty studio, fixes a diagnostic by clicking it, saves a draft, plays it to the debrief, publishes it, and a trainee finds it', { timeout: 480_000 }, async () => {
    const page = studio.page;
    await page.screenshot({ path: join(SHOTS, 'studio-empty-en-1280x800.png') });
    await page.click('#empty-new');
    await page.waitForSelector('.card');

    // Start from nothing: every card of the template goes.
    while ((await page.locator('.card').count()) > 0) {
      await selectCard(page, (await page.locator('.card').first().getAttribute('data-node-id'))!);
      await page.click('button.danger');
    }

    // The call's settings: nothing selected.
    await page.locator('.graph-canvas').click({ position: { x: 600, y: 300 } });
    await field(page, '$.id').fill(ID);
    await field(page, '$.id').press('Tab');
    await bilingual(page, '$.title', '“宽带又断了！”', '"My broadband is down again!"');
    await bilingual(page, '$.summary', '一位用户家里的宽带断了三天，打电话来催修。练习致歉、登记报修和承诺时限。', 'A customer whose broadband has been down for three days calls to chase the repair. Practise apologising, logging the fault and giving a time.');
    await bilingual(page, '$.caller.name', '陈女士', 'Ms Chen');
    await bilingual(page, '$.caller.persona', '在家办公的会计，宽带断了三天，很着急。', 'An accountant working from home whose broadband has been down for three days; anxious.');
    await page.locator('label.portrait', { hasText: 'parcel' }).click();
    await field(page, '$.caller.voice').selectOption('parcel');

    // Three decisions in a row, each added beside the one selected, and three endings.
    await page.click('[data-action="add-decision"]');
    await bilingual(page, '$.nodes[0].lines[0].text', '喂？我家宽带又断了！', 'Hello? My broadband is down again!');
    await page.click('[data-action="add-decision"]');
    await bilingual(page, '$.nodes[1].lines[0].text', '已经断了三天了，我在家上班的！', 'It has been down for three days, and I work from home!');
    await page.click('[data-action="add-decision"]');
    await bilingual(page, '$.nodes[2].lines[0].text', '那你们到底什么时候来修？', 'So when exactly are you coming to fix it?');
    await page.click('[data-action="add-ending"]');
    await bilingual(page, '$.nodes[3].title', '报修已登记', 'Repair logged');
    await bilingual(page, '$.nodes[3].summary', '你致歉、登记报修并给出上门时限，用户放心了。', 'You apologised, logged the fault and gave a time; the customer is reassured.');
    await selectCard(page, 'decision-3');
    await page.click('[data-action="add-ending"]');
    await field(page, '$.nodes[4].outcome').selectOption('caller-hung-up');
    await bilingual(page, '$.nodes[4].title', '用户挂断', 'The customer hung up');
    await bilingual(page, '$.nodes[4].summary', '用户觉得没人管，气得挂了电话。', 'The customer felt nobody cared and hung up angry.');
    await selectCard(page, 'decision-3');
    await page.click('[data-action="add-ending"]');
    await field(page, '$.nodes[5].outcome').selectOption('agent-hung-up');
    await bilingual(page, '$.nodes[5].title', '坐席先挂机', 'You hung up first');
    await bilingual(page, '$.nodes[5].summary', '客服永远不能先挂电话。', 'The agent must never hang up first.');

    // Where the call starts and where anger ends it.
    await page.locator('.graph-canvas').click({ position: { x: 20, y: 20 } });
    await field(page, '$.start').selectOption('decision');
    await field(page, '$.caller.onMoodLimit').selectOption('end-2');
    await fill(page, '$.caller.mood', '40');

    await selectCard(page, 'decision');
    await addOption(page, 0, 0, { zh: '您好，客服中心，我是小张。请问是哪个地址的宽带断了？', en: 'Hello, customer service, Zhang speaking. Which address has lost its broadband?', feedbackZh: '规范问候，再顺着用户的话询问。', feedbackEn: 'The standard greeting, then a question that follows the caller.', next: 'decision-2', scores: { courtesy: 2, listening: 1 }, kept: ['greeting'] });
    await addOption(page, 0, 1, { zh: '喂，什么事？说快点，我这边很忙。', en: 'Yeah, what is it? Be quick, I am busy here.', feedbackZh: '“喂”是不礼貌用语，还催促用户。', feedbackEn: '"Yeah" is rude, and it rushes the caller.', next: 'decision-2', scores: { courtesy: -2 }, broken: ['courteous-words'] });
    await addOption(page, 0, 2, { zh: '宽带断了您找装维师傅，不归我们管。', en: 'For a broken line call the engineers, it is not our job.', feedbackZh: '推诿会让用户更生气。', feedbackEn: 'Passing the buck makes the caller angrier.', next: 'end-2', scores: { resolution: -3 }, broken: ['agent-role'] });
    await page.click('#tidy');
    await connect(page, 'decision', 0, 'decision-2');
    await connect(page, 'decision', 1, 'decision-2');
    await connect(page, 'decision', 2, 'end-2');

    await selectCard(page, 'decision-2');
    await addOption(page, 1, 0, { zh: '非常抱歉，断网三天确实影响您工作，我马上帮您查线路。', en: 'I am very sorry; three days without a connection really hurts your work. Let me check the line now.', feedbackZh: '先致歉、表示理解，再说明要做什么。', feedbackEn: 'Apologise and show understanding first, then say what you will do.', next: 'decision-3', scores: { empathy: 2 }, kept: ['apologise-first'] });
    // The English feedback is left out here: the checker says so, and the trainer fixes it by clicking.
    await addOption(page, 1, 1, { zh: '才三天而已，您别着急嘛，很多用户都这样。', en: 'It is only three days, calm down, lots of people have the same problem.', feedbackZh: '轻描淡写会激怒用户。', feedbackEn: '', next: 'end-2', scores: { empathy: -2 }, broken: ['empathise'] });
    await addOption(page, 1, 2, { zh: '（挂断电话）', en: '(Hang up)', feedbackZh: '客服永远不能先挂电话。', feedbackEn: 'The agent must never hang up first.', next: 'end-3', kind: 'hang-up', scores: { composure: -3 }, broken: ['never-hang-up-first'] });
    await page.click('#tidy');
    await connect(page, 'decision-2', 0, 'decision-3');
    await connect(page, 'decision-2', 1, 'end-2');
    await connect(page, 'decision-2', 2, 'end-3');

    await selectCard(page, 'decision-3');
    await addOption(page, 2, 0, { zh: '我现在就为您登记报修，师傅会在24小时内上门，您看可以吗？', en: 'I am logging the fault for you now; an engineer will visit within 24 hours. Does that work for you?', feedbackZh: '登记工单并给出明确时限。', feedbackEn: 'Log a ticket and give a clear time.', next: 'end', kind: 'ticket', tier: 'ordinary', scores: { resolution: 3 }, kept: ['concrete-help'] });
    await addOption(page, 2, 1, { zh: '这个我也说不准，您就耐心等着吧，总会有人去的。', en: 'I cannot really say; just wait patiently, someone will come eventually.', feedbackZh: '没有时限的答复等于没有答复。', feedbackEn: 'An answer with no time is no answer.', next: 'end-2', scores: { resolution: -2 } });
    await addOption(page, 2, 2, { zh: '您先自己把路由器重启几次试试，不行再打来吧。', en: 'Try restarting your router a few times first, and call back if it still fails.', feedbackZh: '用户已经断网三天，推回给用户只会让他更不满。', feedbackEn: 'After three days down, pushing it back onto the customer only angers them.', next: 'end-2', scores: { resolution: -1 } });
    // Two of these by the form's "Leads to", one by dragging.
    await page.click('#form details.option[data-choice="1"] summary');
    await field(page, '$.nodes[2].choices[1].next').selectOption('end-2');
    await page.click('#form details.option[data-choice="2"] summary');
    await field(page, '$.nodes[2].choices[2].next').selectOption('end-2');
    await page.click('#tidy');
    await connect(page, 'decision-3', 0, 'end');

    // The missing English feedback is a diagnostic; clicking it selects the option and focuses the field.
    await checked(page);
    const missing = page.locator('button.diagnostic[data-code="HTL037"]').first();
    await expect.poll(() => missing.getAttribute('data-path')).toBe('$.nodes[1].choices[1].feedback.en');
    await page.screenshot({ path: join(SHOTS, 'studio-diagnostic-en-1280x800.png') });
    await missing.click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-path'))).toBe('$.nodes[1].choices[1].feedback.en');
    await page.keyboard.type('Playing it down infuriates the caller.');
    await checked(page);
    expect(await page.locator('button.diagnostic.error').count()).toBe(0);

    // Undo and redo, by keys and by buttons.
    const before = await studioText(page);
    await fill(page, '$.nodes[1].choices[1].feedback.zh-CN', '改错了');
    await page.locator('.graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await studioText(page)).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    expect(await studioText(page)).toContain('改错了');
    await page.click('#undo');
    expect(await studioText(page)).toBe(before);

    const built = await doc(page);
    expect(built.nodes.filter((n) => n.kind === 'decision')).toHaveLength(3);
    expect(built.nodes.filter((n) => n.kind === 'ending')).toHaveLength(3);
    expect(built.nodes.flatMap((n) => n.choices ?? []).map((c) => c.next)).toEqual(['decision-2', 'decision-2', 'end-2', 'decision-3', 'end-2', 'end-3', 'end', 'end-2', 'end-2']);
    await checked(page);
    expect(await page.locator('#random-pass').textContent()).toMatch(/Random choices pass/);
    await page.screenshot({ path: join(SHOTS, 'studio-built-en-1280x800.png') });

    // A card dragged to a place of the trainer's own: kept in the file's layout, one step of undo.
    await checked(page);
    const card = await page.locator('.card[data-node-id="end-3"] .card-title').boundingBox();
    if (!card) throw new Error('cannot see end-3');
    await page.mouse.move(card.x + 20, card.y + 5);
    await page.mouse.down();
    await page.mouse.move(card.x + 20, card.y + 60, { steps: 4 });
    await page.mouse.move(card.x + 20, card.y + 125, { steps: 4 });
    await page.mouse.up();
    const placed = (await doc(page)).layout?.['end-3'];
    expect(placed).toBeTruthy();
    const tidied = JSON.parse((await studioText(page)) ?? 'null') as { layout: Record<string, { x: number; y: number }> };
    expect(Object.keys(tidied.layout).sort()).toEqual(built.nodes.map((n) => n.id).sort());

    // Saved as a draft: on disk, checked by the CLI, not on a trainee's menu.
    await page.click('#save');
    await expect.poll(() => existsSync(FILE)).toBe(true);
    expect(JSON.parse(readFileSync(FILE, 'utf8')).status).toBe('draft');
    expect(readFileSync(FILE, 'utf8')).toBe(await studioText(page));
    const cli: string[] = [];
    expect(await run(['validate', FILE], (l) => cli.push(l), (l) => cli.push(l))).toBe(0);
    // Its voices are made behind the save (the dev server has espeak-ng and sox here), and the studio says how far.
    await expect.poll(() => page.textContent('#voice-status')).toMatch(/Voices: waiting|Making voices|Voices ready|No voice tools/);
    await page.screenshot({ path: join(SHOTS, 'studio-voices-en-1280x800.png') });

    // The preview page says the file is a draft.
    const preview = await openDesk(`${url}preview.html`, { before: async () => undefined, viewport: { width: 1280, height: 800 } });
    try {
      await preview.page.setInputFiles('#file', FILE);
      await preview.page.waitForSelector('#draft-badge', { timeout: 60_000 });
      expect(await preview.page.textContent('#draft-badge')).toMatch(/Draft: trainees do not see it/);
      await preview.page.screenshot({ path: join(SHOTS, 'studio-preview-draft-en.png') });
    } finally {
      await preview.close();
    }

    // Played in the real desk along the best answers, to the debrief.
    await page.click('#play-button');
    await waitForScene(page, 'Call', 60_000);
    await playCall(page, 1, [{ choice: 'decision-option-1' }, { choice: 'decision-2-option-1' }, { choice: 'decision-3-option-1' }]);
    await page.waitForSelector('dialog#debrief[open]', { timeout: 60_000 });
    expect(await page.textContent('#debrief-verdict')).toMatch(/^Passed · Total 100%/);
    await page.screenshot({ path: join(SHOTS, 'studio-debrief-en-1280x800.png') });
    await page.click('#debrief-close');
    expect(await page.textContent('#last-play')).toMatch(/Resolved, 100%, passed/);
    expect(await page.locator('path.edge.played').count()).toBe(3);

    // Published: the file says so, and a trainee's menu offers it.
    await page.click('#publish');
    await expect.poll(() => JSON.parse(readFileSync(FILE, 'utf8')).status).toBe('published');
    expect(await page.textContent('#caller-status')).toMatch(/Published/);
    const trainee = await openDesk(url, { viewport: { width: 1280, height: 720 }, before: async () => undefined });
    try {
      // The dev server compiles the game on its first visit: give it time.
      await waitForScene(trainee.page, 'Menu', 120_000);
      const menu = await menuView(trainee.page);
      expect(menu?.cards.map((c) => c.id)).toContain(ID);
    } finally {
      await trainee.close();
    }
    const published = readFileSync(FILE, 'utf8');
    expect(await run(['validate', FILE], () => undefined, () => undefined)).toBe(0);

    // Round trip: opened again from the list, the studio writes the very same file.
    await page.reload();
    await page.waitForSelector('#open-caller');
    await page.evaluate(() => sessionStorage.clear());
    await page.selectOption('#open-caller', ID);
    await page.waitForSelector('.card');
    expect(await studioText(page)).toBe(published);
    // The dragged card is where the trainer left it.
    const kept = (JSON.parse(published) as { layout: Record<string, { x: number; y: number }> }).layout['end-3'];
    expect(kept).toEqual(placed);
    expect(await page.locator('.card[data-node-id="end-3"]').getAttribute('transform')).toBe(`translate(${kept!.x} ${kept!.y})`);
    expect(scenarioText(JSON.parse(published))).toBe(published);
    expect(studio.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });

  for (const [locale, size] of [['zh-CN', { width: 1280, height: 800 }], ['en-US', { width: 1920, height: 1080 }], ['zh-CN', { width: 1920, height: 1080 }]] as const) {
    it(`shows the caller in ${locale} at ${size.width}×${size.height}, with its voices made`, { timeout: 300_000 }, async () => {
      const desk = await openDesk(`${url}studio.html`, { before: async () => undefined, viewport: size, locale });
      try {
        const page = desk.page;
        await page.waitForSelector('#open-caller:not([disabled])', { timeout: 60_000 });
        expect(await page.textContent('h1')).toBe(locale === 'zh-CN' ? '培训师工作室' : 'Trainer studio');
        await page.selectOption('#open-caller', ID);
        await page.waitForSelector('.card');
        await checked(page);
        await expect.poll(() => page.textContent('#voice-status'), { timeout: 240_000 }).toMatch(locale === 'zh-CN' ? /配音已生成/ : /Voices ready/);
        await selectCard(page, 'decision-2');
        await page.locator('details.option summary').first().click();
        await page.waitForSelector('details.option[open]');
        const name = `studio-${locale}-${size.width}x${size.height}`;
        await page.screenshot({ path: join(SHOTS, `${name}.png`) });
        // Nothing of the page runs off the screen sideways.
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide).toBeLessThanOrEqual(size.width);
        if (locale === 'zh-CN') {
          expect(await page.textContent('#checks')).toMatch(/检查结果/);
          expect(await page.textContent('#form')).toMatch(/坐席说的话或操作/);
        }
      } finally {
        await desk.close();
      }
    });
  }
});
