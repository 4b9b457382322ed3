import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analysisOf, playSteps, scenarioSchema, stepsFromChoiceList } from '../../src/engine/index';

const scenario = scenarioSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8')));
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

  it('measures each dimension against the model call and averages the bars with equal weights', () => {
    const result = play(['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-curt']);
    expect(result.dimensions.find((d) => d.id === 'courtesy')).toMatchObject({ raw: 3, model: 4, weight: 1, percent: 75, counted: true });
    expect(result.dimensions.find((d) => d.id === 'closing')).toMatchObject({ raw: 1, model: 4, percent: 25 });
    // (75 + 100 + 100 + 25) / 4
    expect(result.total).toBe(75);
    expect(result.modelScores).toEqual({ courtesy: 4, listening: 2, resolution: 3, closing: 4 });
  });

  it('keeps negative points: a repeated mistake keeps costing', () => {
    const once = play(['greet-standard', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-standard']);
    const twice = play(['greet-standard', 'ask-lookup-silent', 'number-fast', 'close-ask-more', 'bye-standard']);
    expect(once.dimensions.find((d) => d.id === 'resolution')).toMatchObject({ raw: -1, percent: -33.3 });
    expect(twice.dimensions.find((d) => d.id === 'listening')).toMatchObject({ raw: -1, percent: -50 });
    expect(twice.total).toBeLessThan(once.total);
    // courtesy 75, listening 100, resolution -33.3, closing 100; then courtesy 50 and listening -50
    expect(once.total).toBe(60.4);
    expect(twice.total).toBe(16.7);
  });

  it('weighs dimensions as the scenario says, shown in the result', () => {
    const raw = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8'));
    raw.scoring = { weights: { closing: 3 } };
    const weighted = scenarioSchema.parse(raw);
    const { result } = playSteps(weighted, stepsFromChoiceList(['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-curt']));
    expect(result?.weights).toEqual({ closing: 3, courtesy: 1, listening: 1, resolution: 1 });
    // (75 + 100 + 100 + 3 × 25) / 6
    expect(result?.total).toBe(58.3);
  });

  it('fails a call that breaks a critical rule, whatever its points, and says which', () => {
    const raw = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8'));
    // Reading the number and promising a same-day appointment: full points, but beyond any agent's authority.
    const give = raw.nodes.find((n: { id: string }) => n.id === 'give-number');
    give.choices.push({ ...give.choices[2], id: 'number-promise', kind: 'say', rules: { kept: ['concrete-help'], broken: ['no-overpromise'] } });
    const promising = scenarioSchema.parse(raw);
    expect(analysisOf(promising).bestPath?.choices).toEqual(BEST);
    const { result } = playSteps(promising, stepsFromChoiceList(['greet-standard', 'ask-confirm', 'number-promise', 'close-ask-more', 'bye-standard']));
    expect(result).toMatchObject({ outcome: 'resolved', total: 100, passed: false });
    expect(result?.criticalBreaches).toEqual([{ ruleId: 'no-overpromise', nodeId: 'give-number', choiceId: 'number-promise' }]);
    expect(result?.failReasons[0]).toEqual({ kind: 'critical', ruleId: 'no-overpromise', nodeId: 'give-number', choiceId: 'number-promise' });
  });

  it('fails a call the agent hung up, whatever the points', () => {
    const raw = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8'));
    const bye = raw.nodes.find((n: { id: string }) => n.id === 'goodbye');
    bye.choices[2].scores = { closing: 2, courtesy: 1 };
    const generous = scenarioSchema.parse(raw);
    const { result } = playSteps(generous, stepsFromChoiceList(['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-hang-up']));
    expect(result?.outcome).toBe('agent-hung-up');
    expect(result?.total).toBe(100);
    expect(result?.passed).toBe(false);
    expect(result?.failReasons.map((r) => r.kind)).toEqual(['critical', 'outcome']);
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
    // As shown: the words first, then the desk actions.
    expect(replay.problem?.offered).toEqual(['ask-confirm', 'ask-rush', 'ask-lookup-silent']);
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
