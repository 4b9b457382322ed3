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
