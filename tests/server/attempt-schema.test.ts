/**
 * The submission route validates attempts with zod's compiled form of the engine's attempt schema
 * (attemptBodySchema in src/server/app.ts). It must answer exactly as the schema does: the same
 * attempts accepted with the same values (the mode's default filled in), the same refused with the
 * same issues, which the route puts in its 400.
 */
import { describe, expect, it } from 'vitest';
import { attemptSchema } from '../../src/engine/index';
import { attemptBodySchema } from '../../src/server/app';

const valid = (format: 1 | 2): Record<string, unknown> => ({
  format,
  attemptId: '0b7f6d1e-3c5a-4f8e-9a2b-1c3d5e7f9a0b',
  scenarioId: 'wrong-charge',
  scenarioRevision: 3,
  scenarioHash: 'ab'.repeat(32),
  startedAt: '2026-11-30T03:04:05.678Z',
  language: 'zh-CN',
  steps: [{ type: 'answer', ring: 2 }, { type: 'choose', choiceId: 'greet', ms: 1500, position: 2 }, { type: 'silence' }, { type: 'choose', choiceId: 'close' }],
  ...(format === 2 ? { seed: 'abcDEF_123-xyz', mode: 'assessment' } : {}),
});

/** Each a change to a valid attempt: most make it invalid, some keep it valid. */
const changes: [string, (a: Record<string, unknown>) => void][] = [
  ['none', () => undefined],
  ['mode left out (default)', (a) => delete a.mode],
  ['extra key', (a) => (a.extra = 1)],
  ['format 3', (a) => (a.format = 3)],
  ['format as text', (a) => (a.format = '1')],
  ['no attempt id', (a) => delete a.attemptId],
  ['attempt id not a uuid', (a) => (a.attemptId = 'not-a-uuid')],
  ['attempt id upper case', (a) => (a.attemptId = String(a.attemptId).toUpperCase())],
  ['nil uuid', (a) => (a.attemptId = '00000000-0000-0000-0000-000000000000')],
  ['empty scenario id', (a) => (a.scenarioId = '')],
  ['long scenario id', (a) => (a.scenarioId = 'x'.repeat(81))],
  ['revision 0', (a) => (a.scenarioRevision = 0)],
  ['revision 1.5', (a) => (a.scenarioRevision = 1.5)],
  ['huge revision', (a) => (a.scenarioRevision = 2 ** 60)],
  ['short hash', (a) => (a.scenarioHash = 'ab')],
  ['upper-case hash', (a) => (a.scenarioHash = 'AB'.repeat(32))],
  ['date without Z', (a) => (a.startedAt = '2026-11-30T03:04:05')],
  ['date with offset', (a) => (a.startedAt = '2026-11-30T03:04:05+08:00')],
  ['30 February', (a) => (a.startedAt = '2026-02-30T03:04:05Z')],
  ['29 February of a leap year', (a) => (a.startedAt = '2028-02-29T03:04:05Z')],
  ['no seconds', (a) => (a.startedAt = '2026-11-30T03:04Z')],
  ['date a number', (a) => (a.startedAt = 0)],
  ['language fr', (a) => (a.language = 'fr')],
  ['no steps', (a) => (a.steps = [])],
  ['501 steps', (a) => (a.steps = Array.from({ length: 501 }, () => ({ type: 'silence' })))],
  ['500 steps', (a) => (a.steps = Array.from({ length: 500 }, () => ({ type: 'silence' })))],
  ['steps not a list', (a) => (a.steps = { 0: { type: 'silence' } })],
  ['unknown step', (a) => ((a.steps as unknown[])[1] = { type: 'hangup' })],
  ['step extra key', (a) => ((a.steps as unknown[])[2] = { type: 'silence', ms: 3 })],
  ['ring 0', (a) => ((a.steps as unknown[])[0] = { type: 'answer', ring: 0 })],
  ['ring 51', (a) => ((a.steps as unknown[])[0] = { type: 'answer', ring: 51 })],
  ['negative ms', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: 'greet', ms: -1 })],
  ['fractional ms', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: 'greet', ms: 1.5 })],
  ['ms too large', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: 'greet', ms: 600_001 })],
  ['position 0', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: 'greet', position: 0 })],
  ['empty choice id', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: '' })],
  ['choice id null', (a) => ((a.steps as unknown[])[1] = { type: 'choose', choiceId: null })],
  ['step null', (a) => ((a.steps as unknown[])[1] = null)],
  ['seed too short', (a) => (a.seed = 'abc')],
  ['seed with a space', (a) => (a.seed = 'abc defgh')],
  ['mode exam', (a) => (a.mode = 'exam')],
  ['several problems', (a) => ((a.attemptId = 1), (a.language = 'fr'), (a.steps = []))],
];

const outcome = (r: { success: boolean; data?: unknown; error?: { issues: unknown } }) => ({ success: r.success, data: r.data, issues: r.error?.issues });

describe('the compiled attempt schema', () => {
  for (const format of [1, 2] as const) {
    for (const [name, change] of changes) {
      it(`answers as the schema does, format ${format}: ${name}`, () => {
        const attempt = valid(format);
        change(attempt);
        const value = JSON.parse(JSON.stringify(attempt)) as unknown;
        expect(outcome(attemptBodySchema.safeParse(value))).toEqual(outcome(attemptSchema.safeParse(value)));
      });
    }
  }

  it('answers as the schema does for values that are not attempts', () => {
    for (const value of [null, 1, 'attempt', [], {}, { format: 1 }, { format: 2, steps: [] }]) {
      expect(outcome(attemptBodySchema.safeParse(value))).toEqual(outcome(attemptSchema.safeParse(value)));
    }
  });

  it('accepts a valid attempt and fills in the default mode', () => {
    const attempt = valid(2);
    delete attempt.mode;
    expect(attemptBodySchema.parse(attempt)).toMatchObject({ mode: 'practice' });
  });
});
