/**
 * Golden test plans: a recorded play of a scenario with the transcript, outcome and scores it must
 * give. One parametrised test replays every plan in scenarios/plans/; trainers save plans from the
 * CLI or the preview page.
 */
import { z } from 'zod';
import type { TranscriptEntry } from './call/logic';
import type { CallResult } from './scoring';

export const planSchema = z
  .object({
    name: z.string().min(1),
    ring: z.number().int().min(1).default(1),
    choices: z.array(z.string()).meta({ description: 'Choice ids in order; "~" lets the reply timer run out' }),
    expect: z
      .object({
        outcome: z.string(),
        passed: z.boolean(),
        total: z.number(),
        dimensions: z.record(z.string(), z.number()),
        transcript: z.array(z.string()).meta({ description: 'caller:LINE, agent:CHOICE, silence, hold, end:OUTCOME' }),
      })
      .strict(),
  })
  .strict();
export type Plan = z.infer<typeof planSchema>;

export const plansFileSchema = z.object({ scenario: z.string(), plans: z.array(planSchema) }).strict();
export type PlansFile = z.infer<typeof plansFileSchema>;

export function readPlans(value: unknown): PlansFile {
  return plansFileSchema.parse(value);
}

/** The transcript as the compact list of ids a plan stores. */
export function transcriptKeys(transcript: readonly TranscriptEntry[]): string[] {
  return transcript.flatMap((e) => {
    switch (e.kind) {
      case 'caller':
        return [`caller:${e.lineId}`];
      case 'agent':
        return [`agent:${e.choiceId}`];
      case 'silence':
        return ['silence'];
      case 'hold':
        return ['hold'];
      case 'end':
        return [`end:${e.outcome}`];
      default:
        return [];
    }
  });
}

export function planFromResult(name: string, ring: number, choices: readonly string[], result: CallResult, transcript: readonly TranscriptEntry[]): Plan {
  return {
    name,
    ring,
    choices: [...choices],
    expect: {
      outcome: result.outcome,
      passed: result.passed,
      total: result.total,
      dimensions: Object.fromEntries(result.dimensions.map((d) => [d.id, d.percent])),
      transcript: transcriptKeys(transcript),
    },
  };
}
