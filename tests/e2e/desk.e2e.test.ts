/**
 * The trainee's desk end to end, in Debian's Chromium on the production build: whole calls played
 * by keyboard and by touch, the debrief checked against the CLI's scoring of the same choices, the
 * reply timer's cost, the language switch, history after a reload, and no console errors.
 * Screenshots of every scene go to test-results/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScenario, playSteps, stepsFromChoiceList, type Scenario } from '../../src/engine/index';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { debriefView, focusCard, liveText, menuView, openDesk, overflow, playCall, shoot, tap, waitForCall, waitForScene, untilReplyAwaited, type Desk, type Move } from './support/desk';

function scenario(id: string): Scenario {
  const { scenario: parsed } = checkScenario(readFileSync(join(ROOT, 'scenarios', `${id}.json`), 'utf8'), { structureOnly: true });
  if (!parsed) throw new Error(`${id} does not check`);
  return parsed;
}

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  const found = file.plans.find((p) => p.name === name);
  if (!found) throw new Error(`no plan ${name} for ${id}`);
  return found;
}

/**
 * What `npm run scenario -- play FILE --choices ... --ring N` reports for the same choices, played
 * with the attempt's seed (the caller's starting anger, the order of the options and the wording).
 */
function cli(id: string, choices: readonly string[], ring: number, seed: string | null) {
  const { result, replay } = playSteps(scenario(id), stepsFromChoiceList([...choices], ring), seed ? { seed } : {});
  if (!result) throw new Error(`the CLI could not play ${choices.join(',')} (seed ${seed}): ${replay.problem?.message}`);
  return result;
}

/**
 * A golden plan is written for the file's lowest starting anger (no seed). The desk draws the
 * caller's starting anger from the attempt's seed, and a hotter caller reaches his limit sooner: a
 * worst path can end a choice or two early. The plan's choices as far as the call goes for this
 * seed and answering ring, as the engine plays them.
 */
function planForSeed(id: string, choices: readonly string[], ring: number, seed: string | null): string[] {
  for (let n = 1; n <= choices.length; n++) {
    const { result } = playSteps(scenario(id), stepsFromChoiceList(choices.slice(0, n), ring), seed ? { seed } : {});
    if (result) return choices.slice(0, n);
  }
  return [...choices];
}

async function pickCaller(desk: Desk, id: string): Promise<void> {
  const menu = await menuView(desk.page);
  const index = menu?.cards.findIndex((c) => c.id === id) ?? -1;
  expect(index, `${id} is on the menu`).toBeGreaterThanOrEqual(0);
  const onScreen = () => desk.page.evaluate((name) => Boolean((window as unknown as { __holdTheLine: { targets(): Record<string, unknown> } }).__holdTheLine.targets()[name]), `card:${id}`);
  if (await onScreen()) {
    // On the first page: by keyboard, from the first card.
    await focusCard(desk.page, index, 4);
    await desk.page.keyboard.press('Enter');
  } else {
    // The menu holds more callers than a page: turn to the caller's page, then click its card.
    for (let turns = 0; turns < 5 && !(await onScreen()); turns++) {
      await desk.page.keyboard.press('PageDown');
      await desk.page.waitForTimeout(400);
    }
    await tap(desk.page, `card:${id}`);
  }
  await waitForScene(desk.page, 'Call');
}

async function expectDebriefMatchesCli(desk: Desk, id: string, choices: readonly string[], ring: number): Promise<void> {
  await waitForScene(desk.page, 'Debrief', 30_000);
  const shown = await debriefView(desk.page);
  // A trainee's attempt carries a seed: the CLI plays the same choices with it.
  expect(shown?.seed).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  const expected = cli(id, choices, ring, shown?.seed ?? null);
  expect(shown?.outcome).toBe(expected.outcome);
  expect(shown?.total).toBe(expected.total);
  expect(shown?.passed).toBe(expected.passed);
  expect(shown?.dimensions).toEqual(Object.fromEntries(expected.dimensions.map((d) => [d.id, d.percent])));
  // What a screen reader hears is the same result.
  expect(await liveText(desk.page)).toContain(`${expected.total}%`);
}

let server: StaticServer;
let desk: Desk | null = null;

beforeAll(async () => {
  server = await serveStatic(inject('deskDist'));
});

afterAll(async () => {
  await server?.close();
});

afterEach(async () => {
  const errors = desk?.errors ?? [];
  await desk?.close();
  desk = null;
  expect(errors, 'console errors').toEqual([]);
});

describe('the call desk', () => {
  it('shows the menu before its art has arrived, then lists every scenario file', async () => {
    let release: () => void = () => undefined;
    const artHeld = new Promise<void>((done) => {
      release = done;
    });
    desk = await openDesk(server.url, {
      before: (page) =>
        page.route('**/*.svg', async (route) => {
          // No picture arrives until the menu has been seen to work without them.
          await artHeld;
          await route.continue();
        }),
    });
    await waitForScene(desk.page, 'Menu', 30_000);
    await shoot(desk.page, '01-menu-before-art');
    const { targets } = await desk.page.evaluate(() => ({ targets: Object.keys((window as unknown as { __holdTheLine: { targets(): Record<string, unknown> } }).__holdTheLine.targets()) }));
    expect(targets).toContain('card:practice-call');
    release();
    await desk.page.waitForTimeout(1500);
    await desk.page.unroute('**/*.svg');
    const menu = await menuView(desk.page);
    const { readdirSync } = await import('node:fs');
    const ids = readdirSync(join(ROOT, 'scenarios'))
      .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
      .map((f) => JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')) as { id: string; status?: string })
      .filter((s) => s.status !== 'draft')
      .map((s) => s.id);
    expect(menu?.cards.map((c) => c.id).sort()).toEqual(ids.sort());
    expect(menu?.cards[0]?.id).toBe('practice-call');
    await shoot(desk.page, '02-menu-en');
  });

  it('plays the practice call on its best path by keyboard alone, and the debrief scores it as the CLI does', async () => {
    desk = await openDesk(server.url);
    const { ring, choices } = plan('practice-call', 'best');
    await pickCaller(desk, 'practice-call');
    await shoot(desk.page, '03-call-ringing');
    const moves: Move[] = choices.map((choice, i) => ({ choice, by: i % 2 === 0 ? 'number' : 'arrows' }));
    const answeredOn = await playCall(desk.page, ring, moves, {
      onDecision: async (n) => {
        if (n === 2) await shoot(desk!.page, '04-call-choices');
      },
    });
    // Still within the rings that keep answer-fast: this is the best path.
    expect(answeredOn).toBeLessThanOrEqual(scenario('practice-call').timing.answerWithinRings);
    await expectDebriefMatchesCli(desk, 'practice-call', choices, answeredOn);
    await desk.page.waitForTimeout(800);
    await shoot(desk.page, '05-debrief-best');

    // The attempt is kept: after a reload the menu shows the best score.
    await desk.page.reload();
    await waitForScene(desk.page, 'Menu');
    const card = (await menuView(desk.page))?.cards.find((c) => c.id === 'practice-call');
    expect(card).toMatchObject({ best: 100, attempts: 1, passed: true });
    const stored = await desk.page.evaluate(() => JSON.parse(localStorage.getItem('hold-the-line.attempts') ?? 'null'));
    expect(stored.format).toBe(1);
    expect(stored.records[0].attempt.format).toBe(2);
    expect(stored.records[0].attempt.steps).toEqual([{ type: 'answer', ring: answeredOn }, ...choices.map((choiceId) => ({ type: 'choose', choiceId, ms: expect.any(Number), position: expect.any(Number) }))]);
    expect(stored.records[0].attempt.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    await shoot(desk.page, '06-menu-history');
  });

  it('plays the wrong-charge call on its worst path and matches the CLI', async () => {
    desk = await openDesk(server.url);
    const { ring, choices } = plan('wrong-charge', 'worst');
    await pickCaller(desk, 'wrong-charge');
    // How far the worst path goes depends on the caller's starting anger, drawn from the seed.
    let played: string[] = [];
    // This one by mouse: each option clicked where it is drawn.
    const answeredOn = await playCall(
      desk.page,
      ring,
      (answered, call) => {
        played = planForSeed('wrong-charge', choices, answered, call.seed);
        return played.map((choice) => ({ choice, by: 'tap' as const }));
      },
      {
        onDecision: async (n) => {
          if (n === played.length - 1) await shoot(desk!.page, '07-call-angry');
        },
      },
    );
    console.log(`wrong-charge worst path: ${played.length} of ${choices.length} choices at this seed's starting anger`);
    // Whatever his starting anger, the worst path ends with him demanding a supervisor.
    expect(played.length).toBeGreaterThanOrEqual(choices.length - 1);
    await expectDebriefMatchesCli(desk, 'wrong-charge', played, answeredOn);
    expect((await debriefView(desk.page))?.outcome).toBe('supervisor-demanded');
    await desk.page.waitForTimeout(800);
    await shoot(desk.page, '08-debrief-worst');
  });

  it('lets the reply timer run out, at the cost the scenario sets', { timeout: 180_000 }, async () => {
    desk = await openDesk(server.url);
    const practice = scenario('practice-call');
    const silence = practice.timing.silence;
    expect(silence?.mood).toBeGreaterThan(0);
    const { choices } = plan('practice-call', 'best');
    await pickCaller(desk, 'practice-call');
    await waitForCall(desk.page, (c) => c.rings >= 1);
    await desk.page.keyboard.press('Enter');
    const before = await untilReplyAwaited(desk.page, false);
    const answeredOn = (before.recorded[0] as { ring: number }).ring;
    expect(before.replyLeftMs).toBeGreaterThan((practice.timing.replySeconds - 2) * 1000);
    // Say nothing: the timer runs out after replySeconds.
    const started = Date.now();
    const after = await waitForCall(desk.page, (c) => c.silences === 1, (practice.timing.replySeconds + 10) * 1000);
    expect(Date.now() - started).toBeGreaterThan((practice.timing.replySeconds - 2) * 1000);
    expect(after.mood - before.mood).toBe(silence?.mood);
    for (const [dimension, points] of Object.entries(silence?.scores ?? {})) expect((after.scores[dimension] ?? 0) - (before.scores[dimension] ?? 0)).toBe(points);
    // The desk says it on its next frame after the machine's silence: wait for it as a listener would.
    await expect.poll(() => liveText(desk!.page), { timeout: 5_000 }).toContain('the reply timer ran out');
    await shoot(desk.page, '09-call-after-silence');
    for (const choice of choices) {
      const call = await untilReplyAwaited(desk.page, false);
      await desk.page.keyboard.press(String(call.offered.indexOf(choice) + 1));
      await waitForCall(desk.page, (c) => c.phase !== 'awaiting' || c.nodeId !== call.nodeId);
    }
    await expectDebriefMatchesCli(desk, 'practice-call', ['~', ...choices], answeredOn);
  });

  it('turns to an upright phone mid-call and the call goes on', async () => {
    desk = await openDesk(server.url);
    const { ring, choices } = plan('practice-call', 'best');
    await pickCaller(desk, 'practice-call');
    const answeredOn = await playCall(desk.page, ring, choices.map((choice) => ({ choice })), {
      onDecision: async (n) => {
        if (n !== 2) return;
        await desk!.page.setViewportSize({ width: 390, height: 844 });
        await desk!.page.waitForFunction(() => window.innerHeight > window.innerWidth);
        await waitForScene(desk!.page, 'Call');
        await desk!.page.waitForTimeout(500);
        await shoot(desk!.page, '20-call-turned-portrait');
      },
    });
    await expectDebriefMatchesCli(desk, 'practice-call', choices, answeredOn);
  });

  it('runs the desk clock at the scenario\'s speed', async () => {
    desk = await openDesk(server.url);
    const abuser = scenario('hour-long-abuser');
    const clock = abuser.timing.clock;
    expect(clock).toBeDefined();
    await pickCaller(desk, 'hour-long-abuser');
    const ringing = await waitForCall(desk.page, (c) => c.rings >= 1);
    expect(ringing.clock).toBe(clock?.start);
    await desk.page.keyboard.press('Enter');
    await untilReplyAwaited(desk.page, false);
    const toMinutes = (hhmm: string | null) => (hhmm ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) : NaN);
    const before = Date.now();
    const first = toMinutes((await waitForCall(desk.page, () => true)).clock);
    await desk.page.waitForTimeout(6000);
    const later = await waitForCall(desk.page, () => true);
    const elapsedCallMinutes = ((Date.now() - before) / 1000) * (clock?.speed ?? 1) / 60;
    expect(toMinutes(later.clock) - first).toBeGreaterThanOrEqual(Math.floor(elapsedCallMinutes) - 1);
    expect(toMinutes(later.clock) - first).toBeLessThanOrEqual(Math.ceil(elapsedCallMinutes) + 1);
    await shoot(desk.page, '18-call-desk-clock');
  });

  it('lets an unanswered phone ring out, keeps that result, and offers a retry', async () => {
    desk = await openDesk(server.url);
    const practice = scenario('practice-call');
    await pickCaller(desk, 'practice-call');
    await waitForScene(desk.page, 'Debrief', (practice.timing.giveUpAfterRings * practice.timing.ringSeconds + 15) * 1000);
    expect(await debriefView(desk.page)).toMatchObject({ outcome: 'unanswered', passed: false, total: 0, choices: [] });
    await shoot(desk.page, '19-debrief-unanswered');
    // Retry has the focus: Enter rings the same caller again.
    await desk.page.keyboard.press('Enter');
    await waitForScene(desk.page, 'Call');
    await waitForCall(desk.page, (c) => c.phase === 'ringing');
    await desk.page.keyboard.press('Escape');
    await desk.page.keyboard.press('Escape');
    await waitForScene(desk.page, 'Menu');
    expect((await menuView(desk.page))?.cards.find((c) => c.id === 'practice-call')).toMatchObject({ attempts: 1, best: 0, passed: false });
  });

  it('switches the language and remembers it after a reload', async () => {
    desk = await openDesk(server.url, { locale: 'en-US' });
    expect((await menuView(desk.page))?.language).toBe('en');
    // Focus starts on the first caller; the first Tab shows it, Shift+Tab walks back to the settings.
    await desk.page.keyboard.press('Tab');
    for (let i = 0; i < 5; i++) await desk.page.keyboard.press('Shift+Tab');
    await desk.page.keyboard.press('Enter');
    await desk.page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await waitForScene(desk.page, 'Menu');
    expect((await menuView(desk.page))?.language).toBe('zh-CN');
    expect(await liveText(desk.page)).toContain('选择来电者');
    await shoot(desk.page, '10-menu-zh');
    await desk.page.reload();
    await waitForScene(desk.page, 'Menu');
    expect((await menuView(desk.page))?.language).toBe('zh-CN');
    expect(await desk.page.title()).toContain('稳住');

    // Reduced motion, also by keyboard: language, volume, voices, captions, motion.
    await desk.page.keyboard.press('Tab');
    for (let i = 0; i < 5; i++) await desk.page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 4; i++) await desk.page.keyboard.press('Tab');
    await desk.page.keyboard.press('Enter');
    await desk.page.waitForFunction(() => JSON.parse(localStorage.getItem('hold-the-line.settings') ?? '{}').reducedMotion === true);
    await waitForScene(desk.page, 'Menu');
    await pickCaller(desk, 'practice-call');
    const { choices } = plan('practice-call', 'worst');
    let most = 0;
    await playCall(desk.page, 1, choices.slice(0, 2).map((choice) => ({ choice })), {
      onDecision: async (_n, call) => {
        most = Math.max(most, call.tweens);
      },
    });
    const after = await untilReplyAwaited(desk.page, false);
    expect(Math.max(most, after.tweens), 'animations under reduced motion').toBe(0);
    // Esc twice leaves the call, unscored, back to the same caller's card.
    await desk.page.keyboard.press('Escape');
    await desk.page.keyboard.press('Escape');
    await waitForScene(desk.page, 'Menu');
    expect((await menuView(desk.page))?.cards.find((c) => c.id === 'practice-call')?.attempts).toBe(0);
  });

  for (const [language, locale] of [['en', 'en-GB'], ['zh-CN', 'zh-CN']] as const) {
    it(`wraps the longest options and feedback without overflow (${language}), defaulting to the browser's language`, { timeout: 180_000 }, async () => {
      desk = await openDesk(server.url, { locale });
      expect((await menuView(desk.page))?.language).toBe(language);
      // The water cut-off holds the longest option text and much of the longest feedback.
      const { ring, choices } = plan('water-cutoff', 'best');
      await pickCaller(desk, 'water-cutoff');
      const answeredOn = await playCall(desk.page, ring, choices.map((choice) => ({ choice })), {
        onDecision: async (_n, call) => {
          if (call.offered.includes('fe-explain')) await shoot(desk!.page, `11-call-longest-${language}`);
          else expect(await overflow(desk!.page)).toEqual([]);
        },
      });
      expect(await liveText(desk.page)).toContain(language === 'en' ? 'Your options' : '你的选项');
      await expectDebriefMatchesCli(desk, 'water-cutoff', choices, answeredOn);
      await desk.page.waitForTimeout(800);
      await shoot(desk.page, `12-debrief-longest-${language}`);
      // Down the whole review: every annotated choice drawn inside its box.
      for (let i = 0; i < 6; i++) await desk.page.keyboard.press('PageDown');
      await desk.page.waitForTimeout(300);
      await shoot(desk.page, `13-debrief-scrolled-${language}`);
    });
  }

  it('plays on an upright phone by touch', async () => {
    desk = await openDesk(server.url, { viewport: { width: 390, height: 844 }, touch: true });
    await shoot(desk.page, '14-phone-menu');
    const { ring, choices } = plan('practice-call', 'middling');
    await tap(desk.page, 'card:practice-call', true);
    await waitForScene(desk.page, 'Call');
    await shoot(desk.page, '15-phone-ringing');
    const answeredOn = await playCall(desk.page, ring, choices.map((choice) => ({ choice, by: 'tap' })), {
      touch: true,
      onDecision: async (n) => {
        if (n === 1) await shoot(desk!.page, '16-phone-call');
      },
    });
    await expectDebriefMatchesCli(desk, 'practice-call', choices, answeredOn);
    await desk.page.waitForTimeout(800);
    await shoot(desk.page, '17-phone-debrief');
    await tap(desk.page, 'another', true);
    await waitForScene(desk.page, 'Menu');
  });
});
