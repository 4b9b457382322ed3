import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analysisOf, playSteps, scenarioSchema, stepsFromChoiceList } from '../../src/engine/index';

const scenario = scenarioSchema.parse(JSON.parse(readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8')));
const play = (choices: string[], ring = 1) => {
  const { result, replay } = playSteps(scenario, stepsFromChoiceList(choices, ring));
  if (!result) throw new Error(JSON.stringify(replay.problem));
  return result;
};
const BEST = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];

describe('scoring', () => {
  it('finds the maximum per dimension from the graph', () => {
    expect(analysisOf(scenario).maxScores).toEqual({ closing: 4, courtesy: 4, listening: 2, resolution: 3 });
  });

  it('gives the best path 100% and a pass', () => {
    expect(analysisOf(scenario).bestPath?.choices).toEqual(BEST);
    const result = play(BEST);
    expect(result).toMatchObject({ outcome: 'resolved', passed: true, total: 100 });
    expect(result.dimensions.every((d) => d.percent === 100)).toBe(true);
  });

  it('normalises each dimension and clamps negative raw scores at zero', () => {
    const result = play(['greet-wei', 'ask-lookup-silent', 'number-fast', 'close-ask-more', 'bye-curt']);
    const courtesy = result.dimensions.find((d) => d.id === 'courtesy');
    expect(courtesy).toMatchObject({ raw: -3, max: 4, percent: 0 });
    const closing = result.dimensions.find((d) => d.id === 'closing');
    expect(closing).toMatchObject({ raw: 1, max: 4, percent: 25 });
    expect(result.total).toBe(Math.round((1 / 13) * 1000) / 10);
    expect(result.passed).toBe(false);
  });

  it('fails a call the agent hung up, whatever the points', () => {
    const raw = JSON.parse(readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8'));
    const bye = raw.nodes.find((n: { id: string }) => n.id === 'goodbye');
    bye.choices[2].scores = { closing: 2, courtesy: 1 };
    const generous = scenarioSchema.parse(raw);
    const { result } = playSteps(generous, stepsFromChoiceList(['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-hang-up']));
    expect(result?.outcome).toBe('agent-hung-up');
    expect(result?.total).toBe(100);
    expect(result?.passed).toBe(false);
  });

  it('gives each choice its feedback and the rules it kept or broke', () => {
    const result = play(['greet-wei', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard']);
    expect(result.choices[0]).toMatchObject({ choiceId: 'greet-wei', broken: ['courteous-words', 'answer-fast'] });
    expect(result.choices[0]?.feedback.en).toMatch(/rude/);
    expect(result.bestPath).toEqual(BEST);
  });

  it('gives the same result for the same steps every time', () => {
    const a = play(['greet-standard', '~', 'ask-confirm', 'number-fast', 'close-chat', 'bye-curt'], 2);
    const b = play(['greet-standard', '~', 'ask-confirm', 'number-fast', 'close-chat', 'bye-curt'], 2);
    expect(a).toEqual(b);
  });

  it('refuses a sequence that is impossible, naming what was on offer', () => {
    const { replay, result } = playSteps(scenario, stepsFromChoiceList(['greet-standard', 'bye-standard']));
    expect(result).toBeNull();
    expect(replay.problem?.message).toMatch(/not on offer/);
    expect(replay.problem?.offered).toEqual(['ask-confirm', 'ask-lookup-silent', 'ask-rush']);
  });

  it('refuses a reply slower than the reply timer', () => {
    const { replay } = playSteps(scenario, [{ type: 'answer', ring: 1 }, { type: 'choose', choiceId: 'greet-standard', ms: 25_000 }]);
    expect(replay.problem?.message).toMatch(/reply time/);
  });
});

describe('graph analysis on a long call', () => {
  it('solves a chain of 20,000 decisions without running out of stack, with maxima the chain implies', async () => {
    const { generateScenario } = await import('../../bench/generate-scenario');
    const { analyseScenario } = await import('../../src/engine/analysis/explore');
    const long = scenarioSchema.parse(generateScenario(20_000));
    const analysis = analyseScenario(long);
    expect(analysis.complete).toBe(true);
    // Every decision offers one courtesy point (a) and one listening point (b); b skips a decision.
    const decisions = long.nodes.filter((n) => n.kind === 'decision').length;
    expect(analysis.maxScores.courtesy).toBe(decisions);
    expect(analysis.bestPath?.choices.length).toBe(decisions);
    expect(analysis.bestPath?.outcome).toBe('resolved');
  });
});
