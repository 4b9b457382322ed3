/**
 * An attempt: what a trainee did in one call, in a versioned format kept in the browser and sent
 * to the server. It holds the steps, never trusted scores: the server replays the steps itself.
 */
import { z } from 'zod';

export const ATTEMPT_FORMAT_VERSION = 1 as const;

export const attemptStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('answer'), ring: z.number().int().min(1).max(50) }).strict(),
  z.object({ type: z.literal('choose'), choiceId: z.string().min(1).max(80), ms: z.number().int().min(0).max(600_000).optional() }).strict(),
  z.object({ type: z.literal('silence') }).strict(),
]);

export const attemptSchema = z
  .object({
    format: z.literal(ATTEMPT_FORMAT_VERSION),
    /** Made by the client (crypto.randomUUID); the same attempt sent twice is stored once. */
    attemptId: z.uuid(),
    scenarioId: z.string().min(1).max(80),
    scenarioRevision: z.number().int().min(1),
    /** scenarioHash() of the scenario the trainee played. */
    scenarioHash: z.string().regex(/^[0-9a-f]{64}$/),
    startedAt: z.iso.datetime(),
    language: z.enum(['zh-CN', 'en']),
    steps: z.array(attemptStepSchema).min(1).max(500),
  })
  .strict();

export type Attempt = z.infer<typeof attemptSchema>;
export type AttemptStepRecord = z.infer<typeof attemptStepSchema>;
