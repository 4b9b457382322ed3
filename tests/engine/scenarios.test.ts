import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisOf, checkScenario, defaultRulebook, playSteps, readPlans, scenarioSchema, transcriptKeys, type Scenario } from '../../src/engine/index';
import { plansFileFor, readText, scenarioFiles } from './scenario-files';

const files = scenarioFiles();

describe('the rulebook', () => {
  it('covers every rule of PRODUCT.md, each in a known dimension and citing a document', () => {
    const rulebook = defaultRulebook();
    const product = readText(new URL('../../../shared/docs/PRODUCT.md', import.meta.url).pathname);
    const productRules = [...product.matchAll(/^\| ([a-z-]+) \| .* \| (\d{3}(?:, \d{3})*) \|$/gm)].map((m) => m[1]);
    expect(productRules.length).toBeGreaterThanOrEqual(20);
    // The greeting's words have their own rule, split from answer-fast (pick-up time only).
    expect(rulebook.rules.map((r) => r.id).sort()).toEqual([...productRules, 'greeting'].sort());
    expect(rulebook.dimensions.map((d) => d.id).sort()).toEqual(['closing', 'compliance', 'composure', 'courtesy', 'empathy', 'listening', 'resolution']);
    for (const rule of rulebook.rules) expect(rule.sources.length, rule.id).toBeGreaterThan(0);
  });

  it('marks the cardinal rules of PRODUCT.md critical: hanging up first, provoking, over-promising, judging the person, the four nevers', () => {
    const critical = defaultRulebook().rules.filter((r) => r.critical).map((r) => r.id);
    expect(critical).toEqual(expect.arrayContaining(['never-hang-up-first', 'never-provoke', 'no-overpromise', 'issue-not-person', 'four-nevers']));
  });

  it('holds stock phrases in both languages for the guessability audit', () => {
    const phrases = defaultRulebook().stockPhrases;
    expect(phrases?.['zh-CN'].length).toBeGreaterThan(5);
    expect(phrases?.en.length).toBeGreaterThan(5);
  });
});


describe.each(files.map((f) => [basename(f), f]))('scenario %s', (_name, file) => {
  const { diagnostics, scenario } = checkScenario(readText(file));

  it('validates with no error and no warning: none of the audit\'s naive strategies passes it', () => {
    expect(diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([]);
  });

  it('has its id as its file name, at least three outcomes, and every ending reachable', () => {
    const s = scenario as Scenario;
    expect(`${s.id}.json`).toBe(basename(file));
    const endings = s.nodes.filter((n) => n.kind === 'ending');
    expect(new Set(endings.map((n) => (n.kind === 'ending' ? n.outcome : ''))).size).toBeGreaterThanOrEqual(3);
    const analysis = analysisOf(s);
    for (const ending of endings) expect(analysis.reachableEndings.has(ending.id), `ending ${ending.id}`).toBe(true);
  });

  it('offers at least three options at every decision', () => {
    for (const node of (scenario as Scenario).nodes) if (node.kind === 'decision') expect(node.choices.length, node.id).toBeGreaterThanOrEqual(3);
  });

  const plansFile = scenario ? plansFileFor(scenario.id) : null;
  const plans = plansFile ? readPlans(JSON.parse(readText(plansFile))).plans : [];

  it('has golden plans: the best, the worst and a middling one', () => {
    expect(plans.map((p) => p.name)).toEqual(expect.arrayContaining(['best', 'worst', 'middling']));
  });

  it.each(plans.map((p) => [p.name, p]))('replays golden plan "%s" to its expected transcript, outcome and scores', (_plan, plan) => {
    const s = scenario ?? scenarioSchema.parse(JSON.parse(readText(file)));
    const steps = [{ type: 'answer' as const, ring: plan.ring }, ...plan.choices.map((c) => (c === '~' ? { type: 'silence' as const } : { type: 'choose' as const, choiceId: c }))];
    const { replay, result } = playSteps(s, steps);
    expect(replay.problem).toBeNull();
    expect(result).not.toBeNull();
    expect(transcriptKeys(replay.context.call.transcript)).toEqual(plan.expect.transcript);
    expect(result?.outcome).toBe(plan.expect.outcome);
    expect(result?.passed).toBe(plan.expect.passed);
    expect(result?.total).toBe(plan.expect.total);
    expect(Object.fromEntries(result?.dimensions.map((d) => [d.id, d.percent]) ?? [])).toEqual(plan.expect.dimensions);
  });

  it('best plan follows the analysed best path', () => {
    const best = plans.find((p) => p.name === 'best');
    expect(best?.choices).toEqual(analysisOf(scenario as Scenario).bestPath?.choices);
  });
});
