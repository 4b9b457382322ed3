import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePlan } from '../../src/dev/trainer-plugin';

function tempRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'trainer-'));
  mkdirSync(join(root, 'scenarios', 'plans'), { recursive: true });
  cpSync('scenarios/practice-call.json', join(root, 'scenarios', 'practice-call.json'));
  return root;
}
const plan = (name: string, total: number) => ({ name, ring: 1, choices: ['greet-standard'], expect: { outcome: 'resolved', passed: true, total, dimensions: {}, transcript: [] } });

describe('saving a play as a golden plan from the preview page (dev server)', () => {
  it('merges into the scenario\'s plans file, replacing a plan of the same name', () => {
    const root = tempRepo();
    mergePlan(root, 'practice-call', plan('best', 90));
    mergePlan(root, 'practice-call', plan('worst', 10));
    mergePlan(root, 'practice-call', plan('best', 100));
    const saved = JSON.parse(readFileSync(join(root, 'scenarios/plans/practice-call.plans.json'), 'utf8')) as { plans: Array<{ name: string; expect: { total: number } }> };
    expect(saved.plans.map((p) => [p.name, p.expect.total])).toEqual([
      ['worst', 10],
      ['best', 100],
    ]);
  });

  it('refuses a path-like scenario id, an unknown scenario and a malformed plan', () => {
    const root = tempRepo();
    expect(() => mergePlan(root, '../etc', plan('x', 1))).toThrow(/lower-case/);
    expect(() => mergePlan(root, 'nobody', plan('x', 1))).toThrow(/no scenario file/);
    expect(() => mergePlan(root, 'practice-call', { name: 'x' })).toThrow();
  });
});

describe('live reload of a broken scenario on the dev server', () => {
  it('serves a half-written file as an empty menu entry instead of breaking the page', async () => {
    const { guardedScenarioSource } = await import('../../src/dev/trainer-plugin');
    const good = readFileSync('scenarios/practice-call.json', 'utf8');
    expect(guardedScenarioSource('x.json', good)).toBe(good);
    expect(JSON.parse(guardedScenarioSource('x.json', good.replace('"revision": 2,', '"revision": 2,,')))).toEqual({ id: null, title: null, summary: null, difficulty: null, caller: null });
  });

  it('lists the checker\'s diagnostics for every scenario file with a problem, and none for good ones', async () => {
    const { scenarioProblems } = await import('../../src/dev/trainer-plugin');
    const root = tempRepo();
    expect(scenarioProblems(root)).toEqual([]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, 'scenarios', 'broken.json'), '{ "formatVersion": 1,, }');
    const problems = scenarioProblems(root);
    expect(problems.map((p) => p.file)).toEqual(['scenarios/broken.json']);
    expect(problems[0]?.diagnostics[0]).toMatchObject({ code: 'HTL001', line: 1 });
  });
});
