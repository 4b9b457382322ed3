import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialState, shownChoices, type TranscriptEntry } from '../../src/engine/call/logic';
import { callPhase, checkScenario, type Scenario } from '../../src/engine/index';
import { choiceIndex, choiceViews, deskClock, lineIndex, moodBand, transcriptAt } from '../../src/game/call/view';

const practice = checkScenario(readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8'), { structureOnly: true }).scenario as Scenario;

describe('what the desk shows', () => {
  it('names the phase from the machine state, and while the caller talks from the clock against the speech', () => {
    const at = (value: unknown, elapsed: number, status = 'active') => callPhase({ status, value, context: { speechEndsAt: 4000 } }, elapsed);
    expect(at('ringing', 0)).toBe('ringing');
    expect(at({ connected: 'talking' }, 3999)).toBe('speaking');
    expect(at({ connected: 'talking' }, 4000)).toBe('awaiting');
    expect(at({ connected: 'onHold' }, 9000)).toBe('hold');
    expect(at('ended', 0, 'done')).toBe('ended');
  });

  it('draws the portrait calm, annoyed or angry by how near the caller is to breaking off', () => {
    expect(moodBand(0, 100)).toBe('calm');
    expect(moodBand(39, 100)).toBe('calm');
    expect(moodBand(40, 100)).toBe('annoyed');
    expect(moodBand(69, 100)).toBe('annoyed');
    expect(moodBand(70, 100)).toBe('angry');
    expect(moodBand(35, 50)).toBe('angry');
  });

  it('numbers the options on offer in the scenario\'s order without a seed, 1 first', () => {
    const greet = practice.nodes.find((n) => n.kind === 'decision');
    if (greet?.kind !== 'decision') throw new Error('no decision');
    const choices = choiceViews(shownChoices(initialState(practice), greet));
    expect(choices.map((c) => c.number)).toEqual(choices.map((_, i) => i + 1));
    expect(choices.map((c) => c.id)).toEqual(greet.choices.filter((c) => !c.when).map((c) => c.id));
  });

  it('numbers the options in the order the seed shows them: the words shuffled, the desk actions after', () => {
    const decisions = practice.nodes.filter((n) => n.kind === 'decision');
    const orders = new Set<string>();
    for (const seed of ['seed-aaaaaaaa', 'seed-bbbbbbbb', 'seed-cccccccc', 'seed-dddddddd']) {
      for (const node of decisions) {
        if (node.kind !== 'decision') continue;
        const state = initialState(practice, seed);
        const choices = choiceViews(shownChoices(state, node));
        expect(choices.map((c) => c.id)).toEqual(shownChoices(state, node).map((c) => c.id));
        expect(choices.map((c) => c.number)).toEqual(choices.map((_, i) => i + 1));
        const firstAction = choices.findIndex((c) => c.kind !== 'say');
        if (firstAction >= 0) expect(choices.slice(firstAction).every((c) => c.kind !== 'say')).toBe(true);
        orders.add(`${node.id}:${choices.map((c) => c.id).join(',')}`);
      }
    }
    // Four seeds do not all show the same orders.
    expect(orders.size).toBeGreaterThan(decisions.length);
  });

  it('finds every wording of a line by its own id', () => {
    const lines = lineIndex(practice);
    for (const node of practice.nodes) for (const line of node.lines ?? []) for (const variant of line.variants ?? []) expect(lines.get(variant.id)?.text).toEqual(variant.text);
  });

  it('reveals caller lines only when they are heard, unless the trainee skipped ahead', () => {
    const lines = lineIndex(practice);
    const [first, second] = [...lines.keys()];
    const entries: TranscriptEntry[] = [
      { kind: 'answer', ring: 1, late: false, at: 100 },
      { kind: 'caller', nodeId: 'n', lineId: first as string, narration: false, at: 200 },
      { kind: 'caller', nodeId: 'n', lineId: second as string, narration: false, at: 3000 },
    ];
    expect(transcriptAt(entries, lines, choiceIndex(practice), 1000, false).map((i) => i.kind)).toEqual(['note', 'caller']);
    expect(transcriptAt(entries, lines, choiceIndex(practice), 1000, true)).toHaveLength(3);
  });

  it('runs the desk clock at the scenario\'s speed from pick-up', () => {
    const timing = { clock: { start: '21:40', speed: 20 } };
    expect(deskClock(timing, null, 50_000)).toBe('21:40');
    expect(deskClock(timing, 1000, 1000 + 60_000)).toBe('22:00');
    expect(deskClock({ clock: { start: '23:59', speed: 60 } }, 0, 2000)).toBe('00:01');
    expect(deskClock({}, 0, 1000)).toBeNull();
  });
});
