/**
 * Assignments (issue 15): a lead assigns callers to a cohort with a due date, a number of attempts
 * allowed and a mode (practice or assessment); lists, edits and removes them; after the due date
 * may release the model call of an assessment. Trainees list their own cohort's assignments, with
 * their attempts used, done and passed.
 *
 * What the server enforces (the client's word is a claim; every date is the server's clock):
 *  - an assessment is started only by the server, from an assignment of the trainee's own cohort
 *    (POST /api/attempts/start with assignmentId; `startForAssignment` below);
 *  - each start counts; a start beyond the attempts allowed is refused (403);
 *  - from the due date on, a new start is refused (403). A call started before it is accepted if the
 *    server has it within ASSIGNMENT_GRACE_MINUTES after the due date; one received later, or after
 *    the model call was released, is stored (nothing is lost) but flagged late / after-release for
 *    the lead and not counted as done or passed;
 *  - the model call of an assessment attempt reaches its trainee only once the lead has released it
 *    (GET /api/attempts/:id; the submission's answer never carries it).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { Queryable } from '../db';
import { ASSIGNMENT_GRACE_MINUTES, type LeadSession, type TraineeRow } from '../repository';
import { AssignmentStore, type AssignmentRow, type StartRefusal } from '../repository/assignments';
import type { ScenarioCatalogue } from '../scenarios';

export { ASSIGNMENT_GRACE_MINUTES };

/** A due date at most this far ahead. */
export const MAX_DUE_DAYS = 366;
export const MAX_ATTEMPTS_ALLOWED = 20;
/** Callers in one request. */
export const MAX_CALLERS = 50;

const scenarioId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a caller id is lower-case letters, digits, dots and hyphens').max(80);
const mode = z.enum(['practice', 'assessment'], { error: 'mode is practice or assessment' });
const dueAt = z.iso.datetime({ offset: true, error: 'dueAt is a date and time with its offset, e.g. 2026-12-15T17:00:00+08:00' });
const attemptsAllowed = z
  .number({ error: 'attemptsAllowed is a whole number' })
  .int('attemptsAllowed is a whole number')
  .min(1, 'attemptsAllowed is at least 1')
  .max(MAX_ATTEMPTS_ALLOWED, `attemptsAllowed is at most ${MAX_ATTEMPTS_ALLOWED}`);

export const assignmentBody = z
  .object({
    scenarioIds: z.array(scenarioId).min(1, 'scenarioIds names at least one caller').max(MAX_CALLERS, `at most ${MAX_CALLERS} callers at once`),
    mode,
    dueAt,
    attemptsAllowed,
  })
  .strict();
export const assignmentChanges = z
  .object({ mode: mode.optional(), dueAt: dueAt.optional(), attemptsAllowed: attemptsAllowed.optional() })
  .strict()
  .refine((x) => x.mode !== undefined || x.dueAt !== undefined || x.attemptsAllowed !== undefined, 'send at least one of mode, dueAt, attemptsAllowed');

const localised = z.object({ 'zh-CN': z.string().optional(), en: z.string().optional() });
const progress = {
  attemptsUsed: z.number(),
  done: z.boolean(),
  passed: z.boolean(),
  best: z.number().nullable(),
  lastAt: z.string().nullable(),
};
const assignmentFields = {
  id: z.number(),
  cohortId: z.number(),
  scenarioId: z.string(),
  title: localised,
  mode,
  dueAt: z.string(),
  attemptsAllowed: z.number(),
  releasedAt: z.string().nullable(),
  createdAt: z.string(),
};
export const leadAssignment = z.object({
  ...assignmentFields,
  trainees: z.array(z.object({ traineeId: z.number(), name: z.string(), ...progress })),
});
export const leadAssignmentsAnswer = z.object({
  /** The server's clock, so the page compares due dates with it and not with the device's. */
  now: z.string(),
  /** The base of the join links (PUBLIC_URL). */
  publicUrl: z.string(),
  assignments: z.array(leadAssignment),
});
export const traineeAssignment = z.object({
  ...assignmentFields,
  ...progress,
  /** A new attempt may be started now; otherwise `closed` says why. */
  open: z.boolean(),
  closed: z.enum(['due', 'used-up', 'released']).nullable(),
  /** The model call of this assessment has been released. */
  released: z.boolean(),
});
export const traineeAssignmentsAnswer = z.object({ now: z.string(), assignments: z.array(traineeAssignment) });
export const createdAssignmentsAnswer = z.object({ assignments: z.array(z.object(assignmentFields)) });

export type LeadAssignment = z.infer<typeof leadAssignment>;
export type LeadAssignmentsAnswer = z.infer<typeof leadAssignmentsAnswer>;
export type TraineeAssignment = z.infer<typeof traineeAssignment>;
export type TraineeAssignmentsAnswer = z.infer<typeof traineeAssignmentsAnswer>;

type Env = { Variables: { lead: LeadSession; trainee: TraineeRow } };

/** What app.ts hands over: its own helpers, so errors, parsing and auth read the same everywhere. */
export interface AssignmentRouteDeps {
  store: AssignmentStore;
  catalogue: ScenarioCatalogue;
  now: () => number;
  publicUrl: string;
  lead: MiddlewareHandler<Env>;
  trainee: MiddlewareHandler<Env>;
  small: MiddlewareHandler;
  readJson: <T extends z.ZodType>(c: Context, schema: T) => Promise<z.output<T>>;
  parse: <T extends z.ZodType>(schema: T, value: unknown, what: string) => z.output<T>;
  send: <T extends z.ZodType>(c: Context, schema: T, value: z.input<T>, status?: ContentfulStatusCode) => Response;
}

const fail = (status: ContentfulStatusCode, message: string): never => {
  throw new HTTPException(status, { message });
};
const idParam = z.coerce.number().int().positive().max(2 ** 31 - 1);
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** A due date as the lead sent it, checked against the server's clock. */
function checkDue(due: string, now: number): string {
  const at = Date.parse(due);
  if (at <= now) fail(400, `dueAt: ${due} is not in the future by the server’s clock (now ${new Date(now).toISOString()})`);
  if (at > now + MAX_DUE_DAYS * 86_400_000) fail(400, `dueAt: ${due} is more than ${MAX_DUE_DAYS} days ahead`);
  return new Date(at).toISOString();
}

export function mountAssignmentRoutes(app: Hono<Env>, deps: AssignmentRouteDeps): void {
  const { store, catalogue, now, lead, trainee, small, readJson, parse, send } = deps;
  const titled = <T extends AssignmentRow>(row: T) => ({ ...row, title: catalogue.title(row.scenarioId) ?? { en: row.scenarioId } });
  const leadId = (c: Context<Env>) => c.get('lead').id;

  // Leads

  app.get('/api/cohorts/:id/assignments', lead, async (c) => {
    const cohortId = parse(idParam, c.req.param('id'), 'the cohort id is not valid');
    const list = await store.listForLead(leadId(c), cohortId);
    if (!list) return fail(404, `no cohort ${cohortId} of yours`);
    return send(c, leadAssignmentsAnswer, { now: new Date(now()).toISOString(), publicUrl: deps.publicUrl, assignments: list.map(titled) });
  });

  app.post('/api/cohorts/:id/assignments', small, lead, async (c) => {
    const cohortId = parse(idParam, c.req.param('id'), 'the cohort id is not valid');
    const body = await readJson(c, assignmentBody);
    const due = checkDue(body.dueAt, now());
    const unknown = body.scenarioIds.filter((id) => !catalogue.current.has(id));
    if (unknown.length) fail(400, `scenarioIds: ${unknown.map((id) => `“${id}”`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a caller this server knows`);
    const twice = body.scenarioIds.find((id, i) => body.scenarioIds.indexOf(id) !== i);
    if (twice) fail(400, `scenarioIds: “${twice}” is named twice`);
    const made = await store.create(
      leadId(c),
      cohortId,
      body.scenarioIds.map((scenarioId) => ({ scenarioId, mode: body.mode, dueAt: due, attemptsAllowed: body.attemptsAllowed })),
      new Date(now()).toISOString(),
    );
    if (made === null) return fail(404, `no cohort ${cohortId} of yours`);
    if ('taken' in made) return fail(409, `scenarioIds: “${made.taken}” is already assigned to this cohort as ${body.mode}; edit that assignment instead`);
    return send(c, createdAssignmentsAnswer, { assignments: made.map(titled) }, 201);
  });

  app.patch('/api/assignments/:id', small, lead, async (c) => {
    const id = parse(idParam, c.req.param('id'), 'the assignment id is not valid');
    const body = await readJson(c, assignmentChanges);
    const changes = { ...body, ...(body.dueAt !== undefined ? { dueAt: checkDue(body.dueAt, now()) } : {}) };
    const done = await store.update(leadId(c), id, changes);
    if (done === null) return fail(404, `no assignment ${id} of yours`);
    if ('started' in done) return fail(409, `mode: ${done.started} ${done.started === 1 ? 'attempt has' : 'attempts have'} already been started in this mode; remove the assignment and assign again instead`);
    if ('taken' in done) return fail(409, `mode: “${done.taken}” is already assigned to this cohort as ${body.mode}`);
    return send(c, z.object(assignmentFields), titled(done));
  });

  app.delete('/api/assignments/:id', lead, async (c) => {
    const id = parse(idParam, c.req.param('id'), 'the assignment id is not valid');
    if (!(await store.remove(leadId(c), id))) return fail(404, `no assignment ${id} of yours`);
    return c.json({ ok: true });
  });

  app.post('/api/assignments/:id/release', lead, async (c) => {
    const id = parse(idParam, c.req.param('id'), 'the assignment id is not valid');
    const row = await store.forLead(leadId(c), id);
    if (!row) return fail(404, `no assignment ${id} of yours`);
    if (row.mode !== 'assessment') return fail(409, 'only an assessment’s model call is held back; a practice assignment shows it already');
    const at = now();
    if (at < Date.parse(row.dueAt)) return fail(409, `the model call can be released once the assessment is due (${utc(row.dueAt)}); it is ${utc(new Date(at).toISOString())} now`);
    const released = await store.release(leadId(c), id, new Date(at).toISOString());
    return send(c, z.object(assignmentFields), titled(released!));
  });

  // Trainees

  app.get('/api/assignments', trainee, async (c) => {
    const me = c.get('trainee');
    const at = now();
    const list = await store.listForTrainee(me.id, me.cohortId);
    return send(c, traineeAssignmentsAnswer, {
      now: new Date(at).toISOString(),
      assignments: list.map((a) => {
        const closed = a.releasedAt ? ('released' as const) : at >= Date.parse(a.dueAt) ? ('due' as const) : a.attemptsUsed >= a.attemptsAllowed ? ('used-up' as const) : null;
        return { ...titled(a), open: closed === null, closed, released: a.releasedAt !== null };
      }),
    });
  });
}

/** Why a start for an assignment was refused, with the field named. */
function refusal(r: StartRefusal, assignmentId: number): never {
  switch (r.kind) {
    case 'not-found':
      return fail(404, `assignmentId: no assignment ${assignmentId} for your cohort`);
    case 'wrong-caller':
      return fail(400, `scenarioId: assignment ${assignmentId} is for caller “${r.scenarioId}”`);
    case 'wrong-mode':
      return fail(400, `mode: assignment ${assignmentId} is ${r.mode === 'assessment' ? 'an assessment' : 'practice'}`);
    case 'due':
      return fail(403, `assignment ${assignmentId} was due at ${utc(r.dueAt)} by the server’s clock: no new attempts after the due date`);
    case 'released':
      return fail(403, `assignment ${assignmentId} is closed: its model call was released at ${utc(r.releasedAt)}`);
    case 'used-up':
      return fail(403, `you have used ${r.used} of the ${r.allowed} attempts allowed for assignment ${assignmentId}`);
  }
}

/**
 * The assignment side of POST /api/attempts/start: an assessment must name an assignment; a start
 * for an assignment is checked and recorded in one locked transaction. Without one, `record` runs
 * on its own. Returns the attempts used with this start.
 */
export async function startForAssignment(
  store: AssignmentStore,
  me: TraineeRow,
  body: { scenarioId: string; mode: 'practice' | 'assessment'; assignmentId?: number | undefined },
  startedAt: string,
  record: (tx: Queryable | undefined, assignmentId: number | null) => Promise<void>,
): Promise<{ assignmentId: number | null; attemptsUsed?: number }> {
  if (body.assignmentId === undefined) {
    if (body.mode === 'assessment') fail(400, 'assignmentId: an assessment is started from an assignment of your cohort; send its id');
    await record(undefined, null);
    return { assignmentId: null };
  }
  const id = body.assignmentId;
  const result = await store.start(me, id, { scenarioId: body.scenarioId, mode: body.mode }, startedAt, (tx) => record(tx, id));
  if ('kind' in result) return refusal(result, id);
  return { assignmentId: id, attemptsUsed: result.used };
}
