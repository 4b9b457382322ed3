/**
 * An attempt: what a trainee did in one call, in a versioned format kept in the browser and sent
 * to the server. It holds the steps, never trusted scores: the server replays the steps itself.
 */
import { z } from 'zod';
import { SEED_PATTERN } from './call/variation';

/** Format 2 adds the seed (option order, wording, starting anger), the mode and chosen positions. */
export const ATTEMPT_FORMAT_VERSION = 2 as const;
export const ATTEMPT_FORMAT_VERSIONS = [1, 2] as const;

export const ATTEMPT_MODES = ['practice', 'assessment'] as const;
export type AttemptMode = (typeof ATTEMPT_MODES)[number];

export const attemptStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('answer'), ring: z.number().int().min(1).max(50) }).strict(),
  z
    .object({
      type: z.literal('choose'),
      choiceId: z.string().min(1).max(80),
      ms: z.number().int().min(0).max(600_000).optional(),
      /** Where the option stood in the list the trainee saw, from 1; the replay checks it. */
      position: z.number().int().min(1).max(50).optional(),
    })
    .strict(),
  z.object({ type: z.literal('silence') }).strict(),
]);

const attemptFields = {
  /** Made by the client (crypto.randomUUID), or given by the server that started the attempt; the same attempt sent twice is stored once. */
  attemptId: z.uuid(),
  scenarioId: z.string().min(1).max(80),
  scenarioRevision: z.number().int().min(1),
  /** scenarioHash() of the scenario the trainee played. */
  scenarioHash: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.iso.datetime(),
  language: z.enum(['zh-CN', 'en']),
  steps: z.array(attemptStepSchema).min(1).max(500),
};

export const attemptSchema = z.discriminatedUnion('format', [
  /** Before seeds: the call did not vary, and no position was recorded. */
  z.object({ format: z.literal(1), ...attemptFields }).strict(),
  z
    .object({
      format: z.literal(2),
      ...attemptFields,
      seed: z.string().regex(SEED_PATTERN, 'a seed is 8 to 64 letters, digits, "-" or "_"'),
      mode: z.enum(ATTEMPT_MODES).default('practice'),
    })
    .strict(),
]);

export type Attempt = z.infer<typeof attemptSchema>;
export type AttemptStepRecord = z.infer<typeof attemptStepSchema>;

/** The seed an attempt was played with; none for format 1. */
export function attemptSeed(attempt: Attempt): string | undefined {
  return attempt.format === 2 ? attempt.seed : undefined;
}
