/**
 * Administration's routes (issue 15), mounted by app.ts. Every route passes the lead session
 * middleware; the lead routes act on the lead's own cohorts only (the SQL joins through
 * cohorts.lead_id), the /api/admin/ routes refuse a lead who is not an admin (AdminActions).
 *
 *   GET    /api/admin/leads                 leads with their roles and what they hold
 *   POST   /api/admin/leads                 { name, isAdmin, isTrainer } → the lead and a one-time temporary password
 *   PUT    /api/admin/leads/:id/roles       { isAdmin, isTrainer }
 *   POST   /api/admin/leads/:id/password    a temporary password, shown once; the lead's sessions end
 *   DELETE /api/admin/leads/:id             { moveCohortsTo } or { deleteCohorts: true } when they have cohorts
 *   GET    /api/admin/log                   the latest 100 admin actions
 *   POST   /api/password                    { current, password }: the lead's own (also after a temporary one)
 *   GET    /api/trainees                    the trainees of the lead's cohorts, with their attempt counts
 *   PATCH  /api/trainees/:id                { name }
 *   POST   /api/trainees/:id/merge          { from }: that record's attempts move here and it goes
 *   DELETE /api/trainees/:id?attempts=N     the trainee and their N attempts (N as the lead confirmed it)
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { AdminActions, AdminError, type Actor } from '../admin-actions';
import * as A from '../admin-schemas';
import { hashPassword, tokenHash, verifyPassword } from '../auth';
import type { LeadSession, Repository } from '../repository';
import { idParam } from '../schemas';

export interface AdminRouteDeps {
  repository: Repository;
  /** app.ts's lead-session middleware: sets `lead`, or answers 401. */
  lead: MiddlewareHandler;
  sessionCookie: string;
  readJson: <T extends z.ZodType>(c: Context, schema: T) => Promise<z.output<T>>;
  parse: <T extends z.ZodType>(schema: T, value: unknown, what: string) => z.output<T>;
  send: <T extends z.ZodType>(c: Context, schema: T, value: z.input<T>, status?: 200 | 201) => Response;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function adminRoutes(app: Hono<any>, deps: AdminRouteDeps): AdminActions {
  const { readJson, parse, send } = deps;
  const small = bodyLimit({ maxSize: 4 * 1024, onError: (c) => c.json({ error: 'the body is over 4096 bytes' }, 413) });
  const lead: MiddlewareHandler = async (c, next) => {
    const answer = await small(c, async () => {
      await deps.lead(c, next);
    });
    return answer ?? undefined;
  };
  const actions = new AdminActions(deps.repository);
  const me = (c: Context): LeadSession => c.get('lead') as LeadSession;
  const actor = (c: Context): Actor & { via: 'dashboard' } => ({ via: 'dashboard', lead: me(c) });
  const id = (c: Context, what: string) => parse(idParam, c.req.param('id'), `the ${what} id is not valid`);
  /** AdminError → its status and words, as the rest of the API answers. */
  const act = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AdminError) throw new HTTPException(error.status, { message: error.message });
      throw error;
    }
  };

  app.get('/api/admin/leads', lead, async (c) => send(c, A.leadsAnswer, { leads: await act(() => actions.listLeads(actor(c))) }));

  app.post('/api/admin/leads', lead, async (c) => {
    const body = await readJson(c, A.addLeadBody);
    return send(c, A.leadAnswer, await act(() => actions.addLead(actor(c), body)), 201);
  });

  app.put('/api/admin/leads/:id/roles', lead, async (c) => {
    const leadId = id(c, 'lead');
    const body = await readJson(c, A.leadRoles);
    return send(c, A.leadAnswer, { lead: await act(() => actions.setRoles(actor(c), leadId, body)), temporaryPassword: null });
  });

  app.post('/api/admin/leads/:id/password', lead, async (c) => {
    const leadId = id(c, 'lead');
    return send(c, A.leadAnswer, await act(() => actions.resetPassword(actor(c), leadId)));
  });

  app.delete('/api/admin/leads/:id', lead, async (c) => {
    const leadId = id(c, 'lead');
    const body = c.req.header('content-type') ? await readJson(c, A.removeLeadBody) : {};
    await act(() => actions.removeLead(actor(c), leadId, { moveTo: body.moveCohortsTo, deleteCohorts: body.deleteCohorts }));
    return c.json({ ok: true });
  });

  app.get('/api/admin/log', lead, async (c) => send(c, A.logAnswer, { entries: await act(() => actions.recentLog(actor(c))) }));

  // Any lead: their own password. The session in use stays; every other one ends.
  app.post('/api/password', lead, async (c) => {
    const body = await readJson(c, A.ownPasswordBody);
    const who = me(c);
    const hash = await actions.store.passwordHash(who.id);
    if (!hash || !(await verifyPassword(body.current, hash))) throw new HTTPException(403, { message: 'your current password is not right' });
    if (body.current === body.password) throw new HTTPException(400, { message: 'choose a password other than the current one' });
    await actions.store.changeOwnPassword(who.id, await hashPassword(body.password), tokenHash(getCookie(c, deps.sessionCookie) ?? ''));
    await actions.store.log({ actorId: who.id, actor: who.name, via: 'dashboard', action: 'change-own-password', target: who.name });
    return c.json({ ok: true });
  });

  app.get('/api/trainees', lead, async (c) => send(c, A.traineesAnswer, { trainees: await actions.trainees(me(c)) }));

  app.patch('/api/trainees/:id', lead, async (c) => {
    const traineeId = id(c, 'trainee');
    const body = await readJson(c, A.renameBody);
    return send(c, A.traineeAnswer, { trainee: await act(() => actions.renameTrainee(actor(c), traineeId, body.name)) });
  });

  app.post('/api/trainees/:id/merge', lead, async (c) => {
    const keepId = id(c, 'trainee');
    const body = await readJson(c, A.mergeBody);
    return send(c, A.mergeAnswer, await act(() => actions.mergeTrainees(actor(c), keepId, body.from)));
  });

  app.delete('/api/trainees/:id', lead, async (c) => {
    const traineeId = id(c, 'trainee');
    const query = parse(A.removeTraineeQuery, c.req.query(), 'say how many attempts you confirm are deleted (?attempts=N)');
    return send(c, A.removedTraineeAnswer, await act(() => actions.removeTrainee(actor(c), traineeId, query.attempts)));
  });

  return actions;
}
