/**
 * Every option in sight, on every screen: at each screen size, in both languages, every decision
 * of every caller is laid out on the desk with each set of options it can offer at once (every
 * reachable state walked; a set that another contains is left out). Each option's box must lie
 * inside the screen and inside the list's visible area, and at its centre and four inner corners
 * the option itself must be what is drawn on top and what a click reaches (asked of the game).
 * The test hook's `look` lays each decision out on the desk that is up, by the code that lays out
 * each new decision of a call, so no call is played and no scene restarted for it. Then a real
 * click (a tap on touch screens): at each size one decision of every caller is started as a call
 * and one of its options clicked at its centre, which must choose that option; across the sizes
 * each caller is clicked in both languages and on different decisions and places.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkScenario, type Scenario } from '../../src/engine/index';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { reachableOffers } from './support/offers';
import { openDesk, playCall, shoot, tap, waitForCall, waitForScene, type Desk } from './support/desk';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Visit {
  scenario: string;
  node: string;
  choices: string[];
  /** Characters of option text in each language: the heaviest decision gets a screenshot. */
  weight: Record<'en' | 'zh-CN', number>;
}

function scenarios(): Scenario[] {
  return readdirSync(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => {
      const { scenario } = checkScenario(readFileSync(join(ROOT, 'scenarios', f), 'utf8'), { structureOnly: true });
      if (!scenario) throw new Error(`${f} does not check`);
      return scenario;
    })
    .filter((s) => (s as { status?: string }).status !== 'draft');
}

function visits(): Visit[] {
  const out: Visit[] = [];
  for (const scenario of scenarios()) {
    const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
    for (const offer of reachableOffers(scenario)) {
      const node = nodes.get(offer.node);
      if (node?.kind !== 'decision') continue;
      const weight = { en: 0, 'zh-CN': 0 };
      for (const c of node.choices.filter((c) => offer.choices.includes(c.id))) {
        weight.en += c.text.en?.length ?? 0;
        weight['zh-CN'] += c.text['zh-CN']?.length ?? 0;
      }
      out.push({ scenario: scenario.id, node: node.id, choices: offer.choices, weight });
    }
  }
  return out;
}

const SIZES = [
  { name: '1280x720', width: 1280, height: 720, touch: false },
  { name: '1366x768', width: 1366, height: 768, touch: false },
  { name: '1920x1080', width: 1920, height: 1080, touch: false },
  { name: '390x844', width: 390, height: 844, touch: true },
  { name: '844x390', width: 844, height: 390, touch: true },
] as const;

const LANGUAGES = ['en', 'zh-CN'] as const;

type HookWindow = {
  __holdTheLine: {
    drive: {
      startCall(o: { scenarioId: string; startAt: string; language: string; offer: string[] }): Promise<void>;
      look(o: { scenarioId: string; startAt: string; language: string; offer: string[] }): Promise<void>;
    } | null;
    call(): unknown;
    targets(): Record<string, Box>;
    pick(x: number, y: number): { interactive: string | null; drawn: string | null } | null;
  };
};

interface Seen {
  viewport: { width: number; height: number };
  area: Box | null;
  options: { id: string; box: Box | null; points: { x: number; y: number; canvas: boolean; interactive: string | null; drawn: string | null }[] }[];
}

/**
 * In the page, for each decision in turn: the desk at that decision (a look, or a new call with
 * `call`), every option's box, the list's visible area, and the game's answer at five points of each.
 */
async function visitAll(desk: Desk, language: string, decisions: readonly Visit[], call = false): Promise<Seen[]> {
  return desk.page.evaluate(
    async ({ language, decisions, call }) => {
      const hook = (window as unknown as HookWindow).__holdTheLine;
      const out: Seen[] = [];
      for (const d of decisions) {
        const options = { scenarioId: d.scenario, startAt: d.node, language, offer: [...d.choices] };
        if (call) await hook.drive?.startCall(options);
        else await hook.drive?.look(options);
        const targets = hook.targets();
        const canvas = document.querySelector('canvas');
        out.push({
          viewport: { width: window.innerWidth, height: window.innerHeight },
          area: targets.choices ?? null,
          options: d.choices.map((id) => {
            const box = targets[`choice:${id}`] ?? null;
            if (!box) return { id, box, points: [] };
            const inset = Math.min(10, box.width / 4, box.height / 4);
            const points = [
              [box.x + box.width / 2, box.y + box.height / 2],
              [box.x + inset, box.y + inset],
              [box.x + box.width - inset, box.y + inset],
              [box.x + inset, box.y + box.height - inset],
              [box.x + box.width - inset, box.y + box.height - inset],
            ].map(([x, y]) => ({ x: x as number, y: y as number, canvas: document.elementFromPoint(x as number, y as number) === canvas, ...(hook.pick(x as number, y as number) ?? { interactive: null, drawn: null }) }));
            return { id, box, points };
          }),
        });
      }
      return out;
    },
    { language, decisions, call },
  );
}

const inside = (box: Box, area: Box, slack = 0.5) => box.x >= area.x - slack && box.y >= area.y - slack && box.x + box.width <= area.x + area.width + slack && box.y + box.height <= area.y + area.height + slack;

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

describe('every option in sight', () => {
  const all = visits();

  const callers = [...new Set(all.map((d) => d.scenario))];

  for (const [sizeIndex, size] of SIZES.entries()) {
    it(`at ${size.name}: every option of every decision is on screen, uncovered, and takes a click`, { timeout: 300_000 }, async () => {
      const started = performance.now();
      desk = await openDesk(server.url, { viewport: { width: size.width, height: size.height }, touch: size.touch });
      // Into a call the ordinary way; the driver lives on the desk.
      await tap(desk.page, 'card:practice-call', size.touch);
      await waitForScene(desk.page, 'Call');
      await desk.page.waitForFunction(() => (window as unknown as HookWindow).__holdTheLine.drive !== null);
      const problems: string[] = [];
      const check = (where: string, seen: Seen) => {
        const screen = { x: 0, y: 0, ...seen.viewport };
        if (!seen.area) problems.push(`${where}: no option list on screen`);
        for (const option of seen.options) {
          const name = `choice:${option.id}`;
          if (!option.box) {
            problems.push(`${where}: ${option.id} is not drawn`);
            continue;
          }
          if (!inside(option.box, screen)) problems.push(`${where}: ${option.id} ${JSON.stringify(option.box)} runs off the screen ${JSON.stringify(screen)}`);
          if (seen.area && !inside(option.box, seen.area)) problems.push(`${where}: ${option.id} ${JSON.stringify(option.box)} is not all in the list's visible area ${JSON.stringify(seen.area)} (scrolling needed)`);
          for (const p of option.points) {
            if (!p.canvas) problems.push(`${where}: at (${Math.round(p.x)}, ${Math.round(p.y)}) of ${option.id} the page has something over the game`);
            if (p.drawn !== name) problems.push(`${where}: at (${Math.round(p.x)}, ${Math.round(p.y)}) of ${option.id} the game draws ${p.drawn} on top`);
            if (p.interactive !== name) problems.push(`${where}: a click at (${Math.round(p.x)}, ${Math.round(p.y)}) of ${option.id} reaches ${p.interactive}`);
          }
        }
      };

      // Every decision, by looks on one desk per language.
      let looked = 0;
      for (const language of LANGUAGES) {
        const first = all[0] as Visit;
        // A call in this language puts up the desk that the looks use.
        await visitAll(desk, language, [first], true);
        const seen = await visitAll(desk, language, all);
        seen.forEach((s, i) => check(`${all[i]?.scenario}/${all[i]?.node} (${language})`, s));
        looked += seen.length;
        const heaviest = all.reduce((a, b) => (b.weight[language] > a.weight[language] ? b : a));
        await visitAll(desk, language, [heaviest]);
        await shoot(desk.page, `30-options-${size.name}-${language}`);
        console.log(`${size.name} ${language}: ${seen.length} decisions looked at by ${Math.round(performance.now() - started)} ms`);
      }

      // Real clicks: one decision of every caller, started as a call; a different decision, option
      // and language at each size.
      let clicked = 0;
      for (const [callerIndex, caller] of callers.entries()) {
        const language = LANGUAGES[(callerIndex + sizeIndex) % LANGUAGES.length] as (typeof LANGUAGES)[number];
        const decisions = all.filter((d) => d.scenario === caller);
        const decision = decisions[(sizeIndex * 7 + callerIndex) % decisions.length] as Visit;
        const where = `${decision.scenario}/${decision.node} (${language})`;
        const [seen] = await visitAll(desk, language, [decision], true);
        if (!seen) continue;
        check(where, seen);
        const target = seen.options[(sizeIndex + callerIndex) % seen.options.length];
        if (!target?.box) {
          problems.push(`${where}: nothing to click`);
          continue;
        }
        const x = target.box.x + target.box.width / 2;
        const y = target.box.y + target.box.height / 2;
        if (size.touch) await desk.page.touchscreen.tap(x, y);
        else await desk.page.mouse.click(x, y);
        const chosen = await waitForCall(desk.page, (c) => c.recorded.some((s) => (s as { type: string }).type === 'choose'), 10_000)
          .then((c) => (c.recorded as { type: string; choiceId?: string }[]).find((s) => s.type === 'choose')?.choiceId ?? null)
          .catch(() => null);
        if (chosen !== target.id) problems.push(`${where}: a ${size.touch ? 'tap' : 'click'} at the centre of ${target.id} chose ${chosen ?? 'nothing'}`);
        else clicked++;
      }
      console.log(`${size.name}: ${looked} decisions looked at, ${clicked} clicked, in ${Math.round(performance.now() - started)} ms`);
      expect(problems.length === 0 ? [] : [`${problems.length} problems; the first:`, ...problems.slice(0, 60)]).toEqual([]);
      expect(looked).toBe(all.length * LANGUAGES.length);
      expect(clicked).toBe(callers.length);
    });
  }

  it('on an upright phone: the ringing screen fills the phone, and the debrief\'s saved note keeps clear of its buttons', async () => {
    desk = await openDesk(server.url, { viewport: { width: 390, height: 844 }, touch: true });
    await tap(desk.page, 'card:practice-call', true);
    await waitForScene(desk.page, 'Call');
    await waitForCall(desk.page, (c) => c.phase === 'ringing' && c.rings >= 1);
    await desk.page.waitForTimeout(300);
    await shoot(desk.page, '31-phone-ringing');
    const answer = (await targets(desk))['answer'];
    // The answer button sits in the lower half, under the thumb, not under a top-heavy block.
    expect(answer && answer.y + answer.height / 2).toBeGreaterThan(844 * 0.5);
    const { ring, choices } = plan('practice-call', 'best');
    await playCall(desk.page, ring, choices.map((choice) => ({ choice, by: 'tap' as const })), { touch: true });
    await waitForScene(desk.page, 'Debrief', 30_000);
    await desk.page.waitForTimeout(800);
    await shoot(desk.page, '32-phone-debrief');
    const boxes = await targets(desk);
    const saved = boxes['saved'];
    const another = boxes['another'];
    expect(saved && another).toBeTruthy();
    if (!saved || !another) return;
    const apart = saved.x + saved.width <= another.x || another.x + another.width <= saved.x || saved.y + saved.height <= another.y || another.y + another.height <= saved.y;
    expect(apart, `"Saved" ${JSON.stringify(saved)} and "Another caller" ${JSON.stringify(another)} overlap`).toBe(true);
    const centre = await desk.page.evaluate(({ x, y }) => (window as unknown as HookWindow).__holdTheLine.pick(x, y), { x: another.x + another.width / 2, y: another.y + another.height / 2 });
    expect(centre).toEqual({ interactive: 'another', drawn: 'another' });
  });
});

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  const found = file.plans.find((p) => p.name === name);
  if (!found) throw new Error(`no plan ${name} for ${id}`);
  return found;
}

const targets = (desk: Desk) => desk.page.evaluate(() => (window as unknown as HookWindow).__holdTheLine.targets());
