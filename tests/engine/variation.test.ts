import { readFileSync } from 'node:fs';
import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { analysisOf, callMachine, optionOrder, playSteps, scenarioSchema, shownChoicesOf, spokenLine, startMood, type AttemptStep, type Scenario } from '../../src/engine/index';

const raw = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8'));
const scenario = scenarioSchema.parse(raw);
const ask = scenario.nodes.find((n) => n.id === 'ask');
if (ask?.kind !== 'decision') throw new Error('no ask');

/** A copy of the sample with line variants and a range of starting anger. */
function varied(): Scenario {
  const copy = structuredClone(raw);
  const askNode = copy.nodes.find((n: { id: string }) => n.id === 'ask');
  askNode.lines[0].variants = [
    { id: 'practice.ask.2', text: { 'zh-CN': '您好，麻烦查一下市第一医院的预约电话，我赶时间。', en: 'Hello, could you find the City No. 1 Hospital appointment number? I am in a hurry.' } },
    { id: 'practice.ask.3', text: { 'zh-CN': '喂，我要市第一医院预约挂号的电话，快一点啊。', en: 'Hi, I need the City No. 1 Hospital booking number, quickly please.' } },
  ];
  copy.caller.mood = { min: 10, max: 30 };
  return scenarioSchema.parse(copy);
}

/** Plays the best path as a trainee who reads the options shown and answers by their place. */
function playByPosition(s: Scenario, seed: string, wanted: readonly string[]): { steps: AttemptStep[]; orders: string[][]; lines: string[] } {
  const clock = new SimulatedClock();
  const actor = createActor(callMachine, { input: { scenario: s, now: () => clock.now(), seed }, clock });
  actor.start();
  actor.send({ type: 'agent.answer' });
  const steps: AttemptStep[] = [{ type: 'answer', ring: 1 }];
  const orders: string[][] = [];
  for (const id of wanted) {
    actor.send({ type: 'agent.skip' });
    const shown = shownChoicesOf(actor.getSnapshot().context).map((c) => c.id);
    orders.push(shown);
    steps.push({ type: 'choose', choiceId: id, ms: 2000, position: shown.indexOf(id) + 1 });
    clock.increment(2000);
    actor.send({ type: 'agent.choose', choiceId: id });
  }
  const lines = actor.getSnapshot().context.call.transcript.flatMap((e) => (e.kind === 'caller' ? [e.lineId] : []));
  actor.stop();
  return { steps, orders, lines };
}

const BEST = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];

describe('option order', () => {
  it('is the file order without a seed, with the desk actions after the words', () => {
    expect(optionOrder(null, ask, 0, ask.choices).map((c) => c.id)).toEqual(['ask-confirm', 'ask-rush', 'ask-lookup-silent']);
  });

  it('is the same for the same seed, decision and visit, and differs between seeds', () => {
    const greet = scenario.nodes.find((n) => n.id === 'greet');
    if (greet?.kind !== 'decision') throw new Error('no greet');
    const a = optionOrder('seed-aaaa-1', greet, 0, greet.choices).map((c) => c.id);
    expect(optionOrder('seed-aaaa-1', greet, 0, greet.choices).map((c) => c.id)).toEqual(a);
    const orders = new Set(Array.from({ length: 40 }, (_, i) => optionOrder(`seed-${i}-xyz`, greet, 0, greet.choices).map((c) => c.id).join(',')));
    // Three options have six orders; forty seeds meet all of them.
    expect(orders.size).toBe(6);
  });

  it('puts each option first about equally often', () => {
    const greet = scenario.nodes.find((n) => n.id === 'greet');
    if (greet?.kind !== 'decision') throw new Error('no greet');
    const first = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const id = optionOrder(`attempt-${i}`, greet, 0, greet.choices)[0]?.id ?? '';
      first.set(id, (first.get(id) ?? 0) + 1);
    }
    for (const count of first.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it('keeps actions in their fixed bar whatever the seed', () => {
    for (let i = 0; i < 20; i++) expect(optionOrder(`s-${i}-abcdef`, ask, 0, ask.choices).at(-1)?.id).toBe('ask-lookup-silent');
  });
});

describe('an attempt with a seed', () => {
  it('records the place of each choice and replays to the same result; a wrong place is refused', () => {
    const s = varied();
    const { steps } = playByPosition(s, 'replay-seed-01', BEST);
    const first = playSteps(s, steps, { seed: 'replay-seed-01' });
    expect(first.replay.problem).toBeNull();
    expect(first.result?.choices.map((c) => c.position)).toEqual(steps.flatMap((st) => (st.type === 'choose' ? [st.position] : [])));
    expect(first.result?.choices[1]?.shown).toHaveLength(3);
    expect(playSteps(s, steps, { seed: 'replay-seed-01' }).result).toEqual(first.result);
    // The same places under another seed name other options.
    let refused = 0;
    for (let i = 0; i < 10; i++) if (playSteps(s, steps, { seed: `other-seed-${i}` }).replay.problem?.message.match(/was not shown at position/)) refused++;
    expect(refused).toBeGreaterThan(5);
  });

  it('shows two attempts different orders', () => {
    const s = varied();
    const a = playByPosition(s, 'attempt-one-111', BEST).orders;
    const b = playByPosition(s, 'attempt-two-222', BEST).orders;
    expect(a).not.toEqual(b);
  });

  it('draws the wording of a line from its variants, each with its own id, and replays it', () => {
    const s = varied();
    const said = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { lines } = playByPosition(s, `wording-${i}-abc`, BEST);
      const askLine = lines.find((id) => id.startsWith('practice.ask.'));
      said.add(askLine ?? '');
      const node = s.nodes.find((n) => n.id === 'ask');
      expect(spokenLine(s, node, askLine ?? '')?.text.en).toBeTruthy();
    }
    expect([...said].sort()).toEqual(['practice.ask.1', 'practice.ask.2', 'practice.ask.3']);
  });

  it('starts the caller at an anger drawn from the range, scored against the model call for that anger', () => {
    const s = varied();
    const moods = new Set(Array.from({ length: 200 }, (_, i) => startMood(s, `mood-${i}-seed`)));
    expect(Math.min(...moods)).toBe(10);
    expect(Math.max(...moods)).toBe(30);
    expect(moods.size).toBeGreaterThan(15);
    const analysis = analysisOf(s);
    expect(Object.keys(analysis.models).map(Number).sort((x, y) => x - y)).toEqual(Array.from({ length: 21 }, (_, i) => 10 + i));
    const { steps } = playByPosition(s, 'mood-77-seed', BEST);
    const { result } = playSteps(s, steps, { seed: 'mood-77-seed' });
    expect(result?.startMood).toBe(startMood(s, 'mood-77-seed'));
    expect(result).toMatchObject({ total: 100, passed: true });
  });

  it('does not vary without a seed: the CLI and golden plans see the file', () => {
    const s = varied();
    const { result, replay } = playSteps(s, [{ type: 'answer', ring: 1 }, ...BEST.map((c): AttemptStep => ({ type: 'choose', choiceId: c }))]);
    expect(result?.startMood).toBe(10);
    expect(replay.context.call.transcript.some((e) => e.kind === 'caller' && e.lineId === 'practice.ask.1')).toBe(true);
  });
});
