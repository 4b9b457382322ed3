/**
 * The admin CLI's commands (`npm run admin -- …`) as requests that run the same way on the database
 * (no server running) and inside the running server (through its admin channel, admin-channel.ts):
 * the answer is the lines to print.
 */
import { z } from 'zod';
import { AdminActions, AdminError, type Actor } from './admin-actions';
import { personName } from './schemas';

const password = z.string().max(200).optional();

export const cliRequest = z.discriminatedUnion('command', [
  z.object({ command: z.literal('add-lead'), name: personName, password, isAdmin: z.boolean().default(false), isTrainer: z.boolean().default(false) }).strict(),
  z.object({ command: z.literal('set-password'), name: personName, password: z.string().min(1).max(200) }).strict(),
  z.object({ command: z.literal('reset-password'), name: personName }).strict(),
  z.object({ command: z.literal('set-roles'), name: personName, isAdmin: z.boolean().optional(), isTrainer: z.boolean().optional() }).strict(),
  z.object({ command: z.literal('remove-lead'), name: personName, moveTo: personName.optional(), deleteCohorts: z.boolean().default(false) }).strict(),
  z.object({ command: z.literal('list-leads') }).strict(),
  z.object({ command: z.literal('add-cohort'), lead: personName, name: personName }).strict(),
  z.object({ command: z.literal('log'), limit: z.number().int().min(1).max(1000).default(30) }).strict(),
]);
export type CliRequest = z.input<typeof cliRequest>;

const roles = (l: { isAdmin: boolean; isTrainer: boolean }) => [l.isAdmin ? 'admin' : '', l.isTrainer ? 'trainer' : ''].filter(Boolean).join(', ') || 'lead';

/** Runs one request as the machine's owner `user`; an AdminError's words come back as the error. */
export async function runCliCommand(actions: AdminActions, raw: unknown, user: string): Promise<string[]> {
  const parsed = cliRequest.safeParse(raw);
  if (!parsed.success) throw new AdminError(400, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  const request = parsed.data;
  const actor: Actor = { via: 'cli', user };
  switch (request.command) {
    case 'add-lead': {
      const { lead, temporaryPassword } = await actions.addLead(actor, { name: request.name, isAdmin: request.isAdmin, isTrainer: request.isTrainer, password: request.password });
      return [
        `Lead “${lead.name}” added (${roles(lead)}). Log in at /dashboard.html.`,
        ...(temporaryPassword ? [`Temporary password (shown once; they choose their own at the first login): ${temporaryPassword}`] : []),
      ];
    }
    case 'set-password': {
      const lead = await actions.leadByName(request.name);
      await actions.resetPassword(actor, lead.id, request.password);
      return [`Password of “${lead.name}” changed; their sessions were ended.`];
    }
    case 'reset-password': {
      const lead = await actions.leadByName(request.name);
      const { temporaryPassword } = await actions.resetPassword(actor, lead.id);
      return [`Password of “${lead.name}” reset; their sessions were ended.`, `Temporary password (shown once; they choose their own at the next login): ${temporaryPassword}`];
    }
    case 'set-roles': {
      const lead = await actions.leadByName(request.name);
      const after = await actions.setRoles(actor, lead.id, { isAdmin: request.isAdmin ?? lead.isAdmin, isTrainer: request.isTrainer ?? lead.isTrainer });
      return [`“${after.name}”: ${roles(after)}.`];
    }
    case 'remove-lead': {
      const lead = await actions.leadByName(request.name);
      const moveTo = request.moveTo ? (await actions.leadByName(request.moveTo)).id : undefined;
      try {
        await actions.removeLead(actor, lead.id, { moveTo, deleteCohorts: request.deleteCohorts });
      } catch (error) {
        if (error instanceof AdminError && error.status === 409 && /cohort\(s\)/.test(error.message)) {
          throw new AdminError(409, `${error.message.replace(/: move them.*/, '')}: add --move-to LEAD to give them to another lead, or --delete-cohorts to delete them`);
        }
        throw error;
      }
      return [moveTo ? `Lead “${lead.name}” removed; their cohorts now belong to “${request.moveTo}”.` : `Lead “${lead.name}” removed${lead.cohorts ? ', with their cohorts, trainees and attempts' : ''}.`];
    }
    case 'list-leads': {
      const leads = await actions.listLeads(actor);
      if (!leads.length) return ['No leads yet: npm run admin -- add-lead NAME'];
      return leads.map((l) => `${l.name}\t${roles(l)}\t${l.cohorts} cohort(s)\t${l.trainees} trainee(s)\tsince ${l.createdAt.slice(0, 10)}${l.passwordTemporary ? '\t(temporary password)' : ''}`);
    }
    case 'add-cohort': {
      const lead = await actions.leadByName(request.lead);
      const { id, code } = await actions.addCohort(actor, lead.id, request.name);
      return [`Cohort “${request.name}” (id ${id}) for ${lead.name}. Join code: ${code}`];
    }
    case 'log': {
      const entries = await actions.recentLog(actor, request.limit);
      if (!entries.length) return ['Nothing logged yet.'];
      return entries.map((e) => `${e.at.slice(0, 19).replace('T', ' ')} UTC\t${e.actor} (${e.via})\t${e.action}\t${e.target}\t${JSON.stringify(e.detail)}`);
    }
  }
}
