/**
 * Scenario format v1: the single source of truth. The TypeScript types, the runtime checker and
 * the published JSON Schema (`scenarios/scenario.schema.json`) all come from these definitions.
 */
import { z } from 'zod';

export const FORMAT_VERSION = 1 as const;
export const SUPPORTED_FORMAT_VERSIONS = [FORMAT_VERSION] as const;

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What the call can come to; only `resolved` and `escalated` can pass. */
export const OUTCOMES = {
  resolved: { passable: true },
  escalated: { passable: true },
  'supervisor-demanded': { passable: false },
  complaint: { passable: false },
  'caller-hung-up': { passable: false },
  'agent-hung-up': { passable: false },
  unanswered: { passable: false },
} as const;
export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_IDS = Object.keys(OUTCOMES) as Outcome[];

/** What the agent does: words (`say`) or an action the desk shows as a button. */
export const CHOICE_KINDS = ['say', 'hold', 'lookup', 'sms', 'ticket', 'transfer', 'escalate', 'hang-up'] as const;
export type ChoiceKind = (typeof CHOICE_KINDS)[number];

/** The standard flow of document 003: 接听 → 询问 → 致歉/理解 → 处理依据 → 其他问题 → 致谢 → 再见. */
export const FLOW_STEPS = ['greet', 'ask', 'apologise', 'basis', 'anything-else', 'thanks', 'goodbye'] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

/** Complaint tiers of document 003 (`complaint-tiers`). */
export const TICKET_TIERS = ['ordinary', 'serious', 'compensation', 'batch', 'unjustified'] as const;
export type TicketTier = (typeof TICKET_TIERS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'ids use lower-case letters, digits, "-" and "."')
  .max(80);

/** A text in every language the product speaks. A missing language is reported by the checker. */
export const localisedSchema = z
  .object({
    'zh-CN': z.string().optional().meta({ description: 'Simplified Chinese text' }),
    en: z.string().optional().meta({ description: 'English text' }),
  })
  .strict()
  .meta({ description: 'A text in zh-CN and en' });
export type Localised = z.infer<typeof localisedSchema>;

// An object whose every field is a score: an equivalent JSON Schema to a record, and a third of the
// parsing time on a large file (zod's records test each key against a number pattern).
const dimensionScores = z
  .object({})
  .catchall(z.number().int().min(-20).max(20))
  .meta({ description: 'Points per rubric dimension id (see scenarios/rulebook/dimensions.json)' });

export const conditionSchema = z
  .object({
    flags: z.array(id).optional().meta({ description: 'Every one of these flags is set' }),
    notFlags: z.array(id).optional().meta({ description: 'None of these flags is set' }),
    moodMin: z.number().int().min(0).max(100).optional().meta({ description: 'Caller anger is at least this' }),
    moodMax: z.number().int().min(0).max(100).optional().meta({ description: 'Caller anger is at most this' }),
  })
  .strict()
  .meta({ description: 'Holds when every field given holds' });
export type Condition = z.infer<typeof conditionSchema>;

const lineSecondsField = z.number().min(0.5).max(60).optional().meta({ description: 'How long the line takes to say; estimated from its length when absent' });

export const lineVariantSchema = z
  .object({
    id: id.meta({ description: 'Stable id of this variant, used for captions, translation and voice' }),
    text: localisedSchema,
    seconds: lineSecondsField,
  })
  .strict()
  .meta({ description: 'Another way the caller says the same line; each attempt draws one from its seed' });
export type LineVariant = z.infer<typeof lineVariantSchema>;

export const lineSchema = z
  .object({
    id: id.meta({ description: 'Stable line id, used for captions, translation and voice' }),
    text: localisedSchema,
    narration: z.boolean().optional().meta({ description: 'A stage direction shown in the transcript, not spoken' }),
    seconds: lineSecondsField,
    variants: z.array(lineVariantSchema).max(8).optional().meta({ description: 'Other ways of saying this line; an attempt says the line or one of these, drawn from its seed' }),
  })
  .strict();
export type Line = z.infer<typeof lineSchema>;

const ruleRefs = z
  .object({
    kept: z.array(z.string()).optional().meta({ description: 'Rule ids this choice keeps' }),
    broken: z.array(z.string()).optional().meta({ description: 'Rule ids this choice breaks' }),
  })
  .strict();

export const choiceSchema = z
  .object({
    id: id.meta({ description: 'Stable choice id, unique in the scenario' }),
    kind: z.enum(CHOICE_KINDS).default('say').meta({ description: 'Words (say) or a desk action' }),
    text: localisedSchema.meta({ description: 'What the agent says, or the action label' }),
    next: id.meta({ description: 'The node the call goes to' }),
    when: conditionSchema.optional().meta({ description: 'Offer this choice only when the condition holds' }),
    mood: z.number().int().min(-100).max(100).optional().meta({ description: 'Change in caller anger (positive = angrier)' }),
    scores: dimensionScores.optional(),
    set: z.array(id).optional().meta({ description: 'Flags this choice sets' }),
    unset: z.array(id).optional().meta({ description: 'Flags this choice clears' }),
    rules: ruleRefs.optional(),
    feedback: localisedSchema.meta({ description: 'What the debrief says about this choice' }),
    step: z.enum(FLOW_STEPS).optional().meta({ description: 'The standard-flow step this choice fulfils' }),
    tier: z.enum(TICKET_TIERS).optional().meta({ description: 'For a ticket: the complaint tier it is logged in' }),
    holdSeconds: z.number().min(1).max(600).optional().meta({ description: 'For a hold: how long the caller waits' }),
  })
  .strict();
export type Choice = z.infer<typeof choiceSchema>;

const branchSchema = z.object({ when: conditionSchema, next: id }).strict();

export const callerNodeSchema = z
  .object({
    id,
    kind: z.literal('caller').meta({ description: 'The caller speaks, then the call moves on by itself' }),
    lines: z.array(lineSchema).min(1),
    branches: z.array(branchSchema).optional().meta({ description: 'First branch whose condition holds wins; else `next`' }),
    next: id.optional(),
  })
  .strict();

export const decisionNodeSchema = z
  .object({
    id,
    kind: z.literal('decision').meta({ description: 'The agent must choose; the reply timer runs' }),
    lines: z.array(lineSchema).optional().meta({ description: 'What the caller says before the agent chooses' }),
    prompt: localisedSchema.optional().meta({ description: 'A hint for the trainee, shown above the choices' }),
    replySeconds: z.number().min(3).max(300).optional().meta({ description: 'Overrides timing.replySeconds here' }),
    silenceNext: id.optional().meta({ description: 'Where silence leads from here; by default the caller waits' }),
    silenceLine: lineSchema.optional().meta({ description: 'What the caller says into a silence here; overrides timing.silence.line' }),
    choices: z.array(choiceSchema),
  })
  .strict();

export const endingNodeSchema = z
  .object({
    id,
    kind: z.literal('ending'),
    outcome: z.enum(OUTCOME_IDS as [Outcome, ...Outcome[]]),
    lines: z.array(lineSchema).optional().meta({ description: 'Last words of the caller' }),
    title: localisedSchema,
    summary: localisedSchema.meta({ description: 'What happened and why, for the debrief' }),
  })
  .strict();

export const nodeSchema = z.discriminatedUnion('kind', [callerNodeSchema, decisionNodeSchema, endingNodeSchema]);
export type ScenarioNode = z.infer<typeof nodeSchema>;
export type CallerNode = z.infer<typeof callerNodeSchema>;
export type DecisionNode = z.infer<typeof decisionNodeSchema>;
export type EndingNode = z.infer<typeof endingNodeSchema>;

const effectSchema = z
  .object({
    mood: z.number().int().min(-100).max(100).optional(),
    scores: dimensionScores.optional(),
    rules: ruleRefs.optional(),
  })
  .strict();

export const timingSchema = z
  .object({
    ringSeconds: z.number().min(0.5).max(10).default(2.5).meta({ description: 'Length of one ring' }),
    answerWithinRings: z.number().int().min(1).max(10).default(3).meta({ description: 'Answering after this ring breaks answer-fast' }),
    giveUpAfterRings: z.number().int().min(2).max(20).default(8).meta({ description: 'The caller hangs up unanswered after this many rings' }),
    lateAnswer: effectSchema.optional().meta({ description: 'What a late answer does' }),
    replySeconds: z.number().min(3).max(300).default(20).meta({ description: 'Seconds allowed for each reply' }),
    silence: effectSchema
      .extend({ line: lineSchema.optional().meta({ description: 'What the caller says into the silence' }) })
      .optional()
      .meta({ description: 'What letting the reply timer run out does' }),
    clock: z
      .object({
        start: z.string().regex(/^\d{2}:\d{2}$/).meta({ description: 'Desk clock at pick-up, HH:MM' }),
        speed: z.number().min(1).max(600).meta({ description: 'Call seconds per second of play' }),
      })
      .strict()
      .optional()
      .meta({ description: 'A time-compressed desk clock' }),
  })
  .strict();
export type Timing = z.infer<typeof timingSchema>;

export const callerSchema = z
  .object({
    name: localisedSchema,
    persona: localisedSchema.meta({ description: 'Who the caller is, for the trainee and the voice actor' }),
    portrait: id.meta({ description: 'Portrait key; the game draws this caller with it' }),
    voice: id.meta({ description: 'Voice key; the audio script picks pitch and rate with it' }),
    mood: z
      .union([
        z.number().int().min(0).max(100),
        z
          .object({ min: z.number().int().min(0).max(100), max: z.number().int().min(0).max(100) })
          .strict()
          .meta({ description: 'A range: each attempt starts at an anger drawn from min to max' }),
      ])
      .meta({ description: 'Anger at the start, 0 calm to 100 furious; a number, or a range { min, max } drawn per attempt' }),
    moodLimit: z.number().int().min(1).max(100).default(100).meta({ description: 'Anger at which the caller breaks off' }),
    onMoodLimit: id.meta({ description: 'The node the call goes to when anger reaches moodLimit' }),
  })
  .strict();

export const SCENARIO_STATUSES = ['draft', 'published'] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];

export const scoringSchema = z
  .object({
    weights: z
      .object({})
      .catchall(z.number().min(0).max(10))
      .optional()
      .meta({ description: 'Weight of each rubric dimension in the total (default 1 for every dimension the call scores)' }),
  })
  .strict()
  .meta({ description: 'How the total is made from the dimensions' });

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    formatVersion: z.literal(FORMAT_VERSION).meta({ description: 'Scenario format version; 1' }),
    id: id.meta({ description: 'Scenario id, unique across scenarios/' }),
    revision: z.number().int().min(1).default(1).meta({ description: 'Bump when the call changes' }),
    title: localisedSchema,
    summary: localisedSchema,
    source: z.string().min(1).meta({ description: 'The training document the call comes from' }),
    difficulty: z.number().int().min(1).max(5),
    status: z.enum(SCENARIO_STATUSES).default('published').meta({ description: 'A draft never appears on the trainees\' menu; publishing makes it appear' }),
    passMark: z.number().min(0).max(100).meta({ description: 'Percent needed to pass' }),
    scoring: scoringSchema.optional(),
    caller: callerSchema,
    timing: timingSchema.prefault({}),
    start: id.meta({ description: 'The first node after the agent answers' }),
    nodes: z.array(nodeSchema).min(1),
    layout: z
      .record(id, z.object({ x: z.number(), y: z.number() }).strict())
      .optional()
      .meta({ description: 'Where the trainer studio draws each node\'s card (its top-left corner on the canvas, by node id), kept as the trainer placed them; the game ignores it' }),
  })
  .strict()
  .meta({ title: 'Hold the Line scenario', description: 'A scripted difficult call for trainees' });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The lowest anger a call of this scenario can start at (the CLI's and the golden plans' start). */
export function baseMood(scenario: Pick<Scenario, 'caller'>): number {
  const mood = scenario.caller.mood;
  return typeof mood === 'number' ? mood : Math.min(mood.min, mood.max);
}

/** Every anger a call of this scenario can start at. */
export function startMoods(scenario: Pick<Scenario, 'caller'>): number[] {
  const mood = scenario.caller.mood;
  if (typeof mood === 'number') return [mood];
  const low = Math.min(mood.min, mood.max);
  const high = Math.max(mood.min, mood.max);
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}
