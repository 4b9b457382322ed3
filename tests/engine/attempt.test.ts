import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attemptSchema, canonicalJson, scenarioHash, scenarioSchema } from '../../src/engine/index';

const text = readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8');

describe('attempts and scenario hashes', () => {
  it('hashes a scenario the same whatever the key order or spacing', () => {
    const a = scenarioSchema.parse(JSON.parse(text));
    const reordered = Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, unknown>).reverse());
    const b = scenarioSchema.parse(JSON.parse(JSON.stringify(reordered, null, 4)));
    expect(scenarioHash(a)).toBe(scenarioHash(b));
    expect(scenarioHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes the hash when a single point changes', () => {
    const a = scenarioSchema.parse(JSON.parse(text));
    const b = scenarioSchema.parse(JSON.parse(text.replace('"passMark": 85', '"passMark": 86')));
    expect(scenarioHash(a)).not.toBe(scenarioHash(b));
  });

  it('sorts keys in canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('accepts a well-formed attempt and refuses a forged score field', () => {
    const attempt = {
      format: 1,
      attemptId: '0b7e8f3c-2f5a-4c1e-9a53-6f1d2c3b4a59',
      scenarioId: 'practice-call',
      scenarioRevision: 1,
      scenarioHash: 'a'.repeat(64),
      startedAt: '2026-11-23T10:00:00.000Z',
      language: 'en',
      steps: [{ type: 'answer', ring: 1 }, { type: 'choose', choiceId: 'greet-standard', ms: 3000 }],
    };
    expect(attemptSchema.safeParse(attempt).success).toBe(true);
    expect(attemptSchema.safeParse({ ...attempt, total: 100 }).success).toBe(false);
    expect(attemptSchema.safeParse({ ...attempt, attemptId: 'x' }).success).toBe(false);
  });
});
