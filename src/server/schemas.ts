/**
 * What the API accepts and what it answers, as zod schemas: every request is parsed with one, and
 * every answer is checked against one before it leaves. The dashboard and the game's client import
 * the types only.
 */
import { z } from 'zod';
import { nameProblem } from './names';

const localised = z.object({ 'zh-CN': z.string().optional(), en: z.string().optional() });

/**
 * A person's name as typed: trimmed, NFC, no control, invisible or text-direction characters
 * (src/server/names.ts). Shown as text, never as HTML.
 */
export const personName = z
  .string()
  .max(400, 'a name has at most 60 characters')
  .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'a name is needed')
      .max(60, 'a name has at most 60 characters')
      .superRefine((s, ctx) => {
        const problem = nameProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  );

export const joinCode = z
  .string()
  .transform((s) => s.trim().toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Z0-9]{4,32}$/, 'a join code is 4 to 32 letters and digits'));

export const joinBody = z.object({ name: personName, code: joinCode }).strict();
export const loginBody = z.object({ name: personName, password: z.string().min(1, 'a password is needed').max(200) }).strict();
export const setupBody = z
  .object({ token: z.string().min(10).max(100), name: personName, password: z.string().min(10, 'a password has at least 10 characters').max(200) })
  .strict();
export const cohortBody = z.object({ name: personName }).strict();

export const idParam = z.coerce.number().int().positive().max(2 ** 31 - 1);
export const uuidParam = z.uuid();

export const reportQuery = z
  .object({
    cohort: idParam,
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    scenario: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).max(80).optional(),
    /** The language of caller titles in the CSV. */
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict();
/** Paging of lists and exports: `after` is the cursor a page's next link carries; `limit` 0 asks for everything (streamed). */
export const MAX_PAGE = 10_000;
const page = {
  after: z
    .string()
    .regex(/^\d{1,17}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'after is the cursor from a next or more link')
    .optional(),
  limit: z.coerce.number().int().min(0).max(MAX_PAGE, `a page holds at most ${MAX_PAGE}; 0 asks for everything`).optional(),
};
export const traineeQuery = reportQuery.omit({ cohort: true, lang: true }).extend(page);
export const pageQuery = z.object(page).strict();
export const xapiQuery = reportQuery.omit({ lang: true }).extend(page);

// Answers

export const errorAnswer = z.object({ error: z.string() });

export const scenarioListAnswer = z.object({
  scenarios: z.array(
    z.object({
      id: z.string(),
      revision: z.number(),
      hash: z.string(),
      title: localised,
      difficulty: z.number(),
      passMark: z.number(),
      // The trainee's menu reads the live list (issue 17): what a card shows, and which voices to play.
      summary: localised.optional(),
      /** A hash of the caller file's text, as the page's build has it (src/dev/menu-plugin.ts). */
      fileHash: z.string().nullable().optional(),
      caller: z.object({ name: localised, portrait: z.string() }).optional(),
      /** The version of the caller's voices this server has (null: none); see src/server/routes/catalog.ts. */
      voices: z.string().nullable().optional(),
    }),
  ),
});

export const joinAnswer = z.object({
  token: z.string(),
  trainee: z.object({ id: z.number(), name: z.string() }),
  cohort: z.object({ id: z.number(), name: z.string() }),
});
export const meAnswer = joinAnswer.omit({ token: true });

const dimensionScore = z.object({ id: z.string(), raw: z.number(), max: z.number(), percent: z.number() });
export const scoredResult = z.object({
  outcome: z.string(),
  passed: z.boolean(),
  total: z.number(),
  dimensions: z.record(z.string(), z.number()),
});

export const attemptAnswer = z.object({
  attemptId: z.uuid(),
  /** False when this attempt id was already stored: the earlier result stands. */
  stored: z.boolean(),
  result: scoredResult,
});

export const attemptSummary = z.object({
  id: z.string(),
  traineeId: z.number(),
  traineeName: z.string(),
  scenarioId: z.string(),
  scenarioRevision: z.number(),
  language: z.string(),
  startedAt: z.string(),
  receivedAt: z.string(),
  outcome: z.string(),
  passed: z.boolean(),
  total: z.number(),
  dimensions: z.record(z.string(), z.number()),
  durationMs: z.number(),
  mode: z.enum(['practice', 'assessment']),
  /** False: played without a server start; its dates are when the server received it. */
  timedByServer: z.boolean(),
  /** The start the device claimed (untimed attempts). */
  claimedStartedAt: z.string().nullable(),
  /** For the lead: what looks wrong with this attempt, and why (src/server/vouch.ts). */
  flags: z.array(z.object({ kind: z.string(), reason: z.string() })),
});
/** A page of attempts; `next` is the link to the following page, null on the last. */
export const attemptListAnswer = z.object({ attempts: z.array(attemptSummary), next: z.string().nullable() });

const debriefEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), at: z.number(), ring: z.number(), late: z.boolean() }),
  z.object({ kind: z.literal('caller'), at: z.number(), lineId: z.string(), text: localised, narration: z.boolean() }),
  z.object({
    kind: z.literal('agent'),
    at: z.number(),
    choiceId: z.string(),
    choiceKind: z.string(),
    text: localised,
    feedback: localised,
    kept: z.array(z.string()),
    broken: z.array(z.string()),
    scores: z.record(z.string(), z.number()),
    moodBefore: z.number(),
    moodAfter: z.number(),
    /** The options in the order the trainee saw them, and the place chosen (from 1). */
    shown: z.array(z.string()),
    position: z.number(),
    /** The text of each option shown, in that order. */
    shownText: z.array(localised),
    /** Critical rules this choice broke (the call fails for them). */
    critical: z.array(z.string()),
  }),
  z.object({ kind: z.literal('silence'), at: z.number(), moodAfter: z.number() }),
  z.object({ kind: z.literal('hold'), at: z.number(), seconds: z.number() }),
  z.object({ kind: z.literal('mood-limit'), at: z.number() }),
  z.object({ kind: z.literal('end'), at: z.number(), outcome: z.string(), title: localised.nullable(), summary: localised.nullable() }),
]);

export const attemptDetailAnswer = z.object({
  attempt: attemptSummary,
  scenario: z.object({ id: z.string(), revision: z.number(), title: localised }),
  debrief: z.object({
    result: z.object({
      outcome: z.string(),
      passed: z.boolean(),
      passMark: z.number(),
      total: z.number(),
      dimensions: z.array(dimensionScore),
      kept: z.array(z.string()),
      broken: z.array(z.string()),
      finalMood: z.number(),
      durationMs: z.number(),
      /** The model call: never sent to a trainee for an assessment. */
      bestPath: z.array(z.string()).optional(),
      /** Why the call did not pass, most serious first. */
      failReasons: z.array(
        z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('critical'), ruleId: z.string(), nodeId: z.string(), choiceId: z.string().nullable() }),
          z.object({ kind: z.literal('outcome'), outcome: z.string() }),
          z.object({ kind: z.literal('score'), total: z.number(), passMark: z.number() }),
        ]),
      ),
    }),
    transcript: z.array(debriefEntry),
    rules: z.record(z.string(), localised),
  }),
});

export const startBody = z
  .object({
    scenarioId: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).max(80),
    mode: z.enum(['practice', 'assessment']).default('practice'),
    /** The assignment this call is for (src/server/routes/assignments.ts); an assessment needs one. */
    assignmentId: z.number().int().positive().max(2 ** 31 - 1).optional(),
  })
  .strict();
/** A call the server started: send the attempt with this id, seed, start time and mode. */
export const startAnswer = z.object({
  attemptId: z.uuid(),
  /** The assignment it counts against, and the attempts of it used with this one. */
  assignmentId: z.number().nullable().optional(),
  attemptsUsed: z.number().optional(),
  seed: z.string(),
  startedAt: z.string(),
  mode: z.enum(['practice', 'assessment']),
  scenarioId: z.string(),
  scenarioRevision: z.number(),
  scenarioHash: z.string(),
});
export type StartAnswer = z.infer<typeof startAnswer>;

/** The lead's roles (migration 007) travel with every session answer; mustChangePassword: an admin set it. */
export const sessionLead = z.object({ id: z.number(), name: z.string(), isAdmin: z.boolean(), isTrainer: z.boolean(), mustChangePassword: z.boolean() });
export const sessionAnswer = z.object({ lead: sessionLead });
export type SessionLead = z.infer<typeof sessionLead>;
export const setupStateAnswer = z.object({ setupNeeded: z.boolean() });

export const cohortAnswer = z.object({
  id: z.number(),
  name: z.string(),
  createdAt: z.string(),
  trainees: z.number(),
  attempts: z.number(),
  codes: z.array(z.object({ code: z.string(), createdAt: z.string(), expiresAt: z.string() })),
});
export const cohortListAnswer = z.object({ cohorts: z.array(cohortAnswer) });
export const codeAnswer = z.object({ code: z.string() });

export const reportAnswer = z.object({
  cohort: z.object({ id: z.number(), name: z.string() }),
  filter: z.object({ from: z.string().nullable(), to: z.string().nullable(), scenario: z.string().nullable() }),
  scenarios: z.array(z.object({ id: z.string(), title: localised })),
  dimensions: z.array(z.object({ id: z.string(), name: localised })),
  trainees: z.array(z.object({ id: z.number(), name: z.string(), joinedAt: z.string() })),
  cells: z.array(
    z.object({ traineeId: z.number(), scenarioId: z.string(), attempts: z.number(), best: z.number(), last: z.number(), passed: z.boolean(), lastAt: z.string() }),
  ),
  heat: z.array(z.object({ traineeId: z.number(), dimension: z.string(), percent: z.number(), calls: z.number() })),
});

export const traineeAttemptsAnswer = z.object({
  trainee: z.object({ id: z.number(), name: z.string(), cohortId: z.number() }),
  attempts: z.array(attemptSummary),
  next: z.string().nullable(),
});

export type JoinAnswer = z.infer<typeof joinAnswer>;
export type AttemptAnswer = z.infer<typeof attemptAnswer>;
export type AttemptSummary = z.infer<typeof attemptSummary>;
export type AttemptDetailAnswer = z.infer<typeof attemptDetailAnswer>;
export type CohortAnswer = z.infer<typeof cohortAnswer>;
export type ReportAnswer = z.infer<typeof reportAnswer>;
export type TraineeAttemptsAnswer = z.infer<typeof traineeAttemptsAnswer>;
export type ScenarioListAnswer = z.infer<typeof scenarioListAnswer>;
