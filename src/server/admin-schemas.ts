/** Administration's requests and answers (issue 15): zod schemas like schemas.ts; the dashboard imports the types. */
import { z } from 'zod';
import { personName } from './schemas';

export const leadRoles = z.object({ isAdmin: z.boolean(), isTrainer: z.boolean() }).strict();
export const addLeadBody = z.object({ name: personName, isAdmin: z.boolean().default(false), isTrainer: z.boolean().default(false) }).strict();
/** A lead with cohorts is removed only with them moved to another lead or deleted, said outright. */
export const removeLeadBody = z
  .object({ moveCohortsTo: z.number().int().positive().optional(), deleteCohorts: z.literal(true).optional() })
  .strict()
  .refine((b) => !(b.moveCohortsTo !== undefined && b.deleteCohorts), 'either move the cohorts or delete them, not both');
export const ownPasswordBody = z
  .object({ current: z.string().min(1, 'your current password is needed').max(200), password: z.string().min(10, 'a password has at least 10 characters').max(200) })
  .strict();
export const renameBody = z.object({ name: personName }).strict();
export const mergeBody = z.object({ from: z.number().int().positive() }).strict();
export const removeTraineeQuery = z.object({ attempts: z.coerce.number().int().min(0).max(10_000_000) }).strict();

export const leadListed = z.object({
  id: z.number(),
  name: z.string(),
  isAdmin: z.boolean(),
  isTrainer: z.boolean(),
  passwordTemporary: z.boolean(),
  createdAt: z.string(),
  cohorts: z.number(),
  trainees: z.number(),
  attempts: z.number(),
});
export const leadsAnswer = z.object({ leads: z.array(leadListed) });
export const leadAnswer = z.object({ lead: leadListed, temporaryPassword: z.string().nullable() });
export const traineeListed = z.object({
  id: z.number(),
  name: z.string(),
  cohortId: z.number(),
  cohortName: z.string(),
  joinedAt: z.string(),
  attempts: z.number(),
  lastAt: z.string().nullable(),
});
export const traineesAnswer = z.object({ trainees: z.array(traineeListed) });
export const traineeAnswer = z.object({ trainee: traineeListed });
export const mergeAnswer = z.object({ trainee: traineeListed, moved: z.number() });
export const removedTraineeAnswer = z.object({ removed: z.number() });
export const logAnswer = z.object({
  entries: z.array(
    z.object({ id: z.number(), at: z.string(), actor: z.string(), via: z.enum(['dashboard', 'cli']), action: z.string(), target: z.string(), detail: z.record(z.string(), z.unknown()) }),
  ),
});

export type LeadListedAnswer = z.infer<typeof leadListed>;
export type TraineeListedAnswer = z.infer<typeof traineeListed>;
export type LogAnswer = z.infer<typeof logAnswer>;
