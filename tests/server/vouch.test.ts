/**
 * The too-fast check and the two prints, held to their definitions: `tooFastChoices` counts each
 * option's characters from a table built once per scenario, and the prints hash a text built in a
 * loop, so here they are compared with the plain reading of vouch.ts's rules (readingFloorMs over
 * the texts of the options shown; SHA-256 of the moves joined by U+0000) on random plays of every
 * shipped caller, in both languages, with reply times on both sides of the floor.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { analysisOf, playSteps, randomPlay, seededRandom, stepsFromChoiceList, type AttemptStep, type Scenario } from '../../src/engine/index';
import { loadScenarioFilesOnce } from '../../src/server/scenarios';
import { SCENARIOS_DIR } from '../../src/server/service';
import { choicePrint, readingFloorMs, replayPrint, tooFastChoices } from '../../src/server/vouch';

const scenarios = loadScenarioFilesOnce(SCENARIOS_DIR).entries.map((e) => e.scenario);

/** The option's text as the trainee saw it (the other language when one is missing). */
function optionText(scenario: Scenario, nodeId: string, choiceId: string, language: 'zh-CN' | 'en'): string {
  const node = scenario.nodes.find((n) => n.id === nodeId);
  const choice = node?.kind === 'decision' ? node.choices.find((c) => c.id === choiceId) : undefined;
  return choice?.text[language] ?? choice?.text.en ?? choice?.text['zh-CN'] ?? '';
}

const print = (scenarioId: string, moves: string[]) => createHash('sha256').update(`${scenarioId}\u0000${moves.join('\u0000')}`).digest('hex');

/** Random finished plays of a caller, each choice's reply time drawn from 0–6 s. */
function plays(scenario: Scenario, count: number, seed: number): AttemptStep[][] {
  const random = seededRandom(seed);
  const analysis = analysisOf(scenario);
  const out: AttemptStep[][] = [];
  for (let tries = 0; out.length < count && tries < count * 5; tries++) {
    const steps = stepsFromChoiceList(randomPlay(scenario, analysis, random, 0.1, 0).choices).map((s) => (s.type === 'choose' ? { ...s, ms: Math.floor(random() * 6000) } : s));
    if (playSteps(scenario, steps).result) out.push(steps);
  }
  return out;
}

describe('the too-fast check', () => {
  it('finds exactly the choices under readingFloorMs of the options shown, in both languages, on every caller', () => {
    expect(scenarios.length).toBeGreaterThan(3);
    let flagged = 0;
    let unflagged = 0;
    for (const [n, scenario] of scenarios.entries()) {
      for (const steps of plays(scenario, 40, n + 1)) {
        const result = playSteps(scenario, steps).result!;
        for (const language of ['zh-CN', 'en'] as const) {
          const chooses = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.type === 'choose');
          const expected = result.choices.flatMap((review, k) => {
            const { s, i } = chooses[k]!;
            const floor = readingFloorMs(review.shown.map((id) => optionText(scenario, review.nodeId, id, language)), language);
            const ms = s.type === 'choose' ? (s.ms ?? 0) : 0;
            return ms < floor ? [{ step: i + 1, ms, floor }] : [];
          });
          const found = tooFastChoices(scenario, steps, result, language);
          expect(found).toEqual(expected);
          flagged += found.length;
          unflagged += result.choices.length - found.length;
        }
      }
    }
    // Both sides of the floor were exercised.
    expect(flagged).toBeGreaterThan(100);
    expect(unflagged).toBeGreaterThan(100);
  });
});

describe('the prints', () => {
  it('are SHA-256 of the caller and the moves joined by U+0000', () => {
    for (const [n, scenario] of scenarios.entries()) {
      for (const steps of plays(scenario, 10, 100 + n)) {
        const moves = steps.map((s) => (s.type === 'choose' ? `${s.choiceId}@${s.ms ?? ''}` : s.type === 'answer' ? `answer@${s.ring}` : 'silence'));
        const choices = steps.map((s) => (s.type === 'choose' ? s.choiceId : s.type === 'silence' ? '~' : ''));
        expect(replayPrint(scenario.id, steps)).toBe(print(scenario.id, moves));
        expect(choicePrint(scenario.id, steps)).toBe(print(scenario.id, choices));
      }
    }
    const few: AttemptStep[] = [{ type: 'answer', ring: 2 }, { type: 'choose', choiceId: '问候' }, { type: 'silence' }];
    expect(replayPrint('来电', few)).toBe(print('来电', ['answer@2', '问候@', 'silence']));
    expect(choicePrint('来电', few)).toBe(print('来电', ['', '问候', '~']));
    expect(replayPrint('x', [])).toBe(print('x', []));
    expect(choicePrint('x', [])).toBe(print('x', []));
  });
});
