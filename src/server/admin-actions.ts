/**
 * What an admin or a lead may change (issue 15), in one place for the dashboard's routes, the admin
 * CLI on the database and the CLI through the running server's admin channel: each action checks
 * who asks, refuses in words, and writes one line to the admin log (never a password or a token).
 */
import { randomBytes } from 'node:crypto';
import { CODE_ALPHABET, hashPassword, newJoinCode } from './auth';
import { nameSkeleton } from './names';
import type { LeadSession, Repository } from './repository';
import { AdminRepository, type LeadListed, type LogEntry, type TraineeListed } from './repository/admin';

export class AdminError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** Who acts: a lead in the dashboard, or the machine's owner at the CLI (who may do what an admin may). */
export type Actor = { via: 'dashboard'; lead: LeadSession } | { via: 'cli'; user: string };

const actorName = (a: Actor) => (a.via === 'dashboard' ? a.lead.name : `CLI (${a.user})`);
const actorId = (a: Actor) => (a.via === 'dashboard' ? a.lead.id : null);

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 200;

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD) throw new AdminError(400, `a password needs at least ${MIN_PASSWORD} characters`);
  if (password.length > MAX_PASSWORD) throw new AdminError(400, `a password has at most ${MAX_PASSWORD} characters`);
  return password;
}

/** A password to read out or copy once: 16 letters and digits without look-alikes (about 79 bits), in groups of four. */
export function temporaryPassword(): string {
  let out = '';
  while (out.length < 16) for (const byte of randomBytes(32)) if (byte < 248 && out.length < 16) out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  return out.match(/.{4}/g)!.join('-');
}

export class AdminActions {
  readonly store: AdminRepository;

  constructor(readonly repository: Repository) {
    this.store = new AdminRepository(repository);
  }

  private requireAdmin(actor: Actor): void {
    if (actor.via === 'dashboard' && !actor.lead.isAdmin) throw new AdminError(403, 'only an admin lead may manage leads');
  }

  private async record(actor: Actor, action: string, target: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.store.log({ actorId: actorId(actor), actor: actorName(actor), via: actor.via, action, target, detail });
    // The server's own log: the action and ids only, names stay in the database.
    console.log(`admin: ${action} by ${actor.via === 'dashboard' ? `lead ${actor.lead.id}` : 'the CLI'}`);
  }

  private async leadOrFail(id: number): Promise<LeadListed> {
    const lead = await this.store.lead(id);
    if (!lead) throw new AdminError(404, `no lead ${id}`);
    return lead;
  }

  async leadByName(name: string): Promise<LeadListed> {
    const lead = (await this.store.leads()).find((l) => l.name === name);
    if (!lead) throw new AdminError(404, `no lead called “${name}”`);
    return lead;
  }

  // Leads: admins only

  async listLeads(actor: Actor): Promise<LeadListed[]> {
    this.requireAdmin(actor);
    return this.store.leads();
  }

  /** Without a password: one is made and given back once; the lead chooses their own at the first login. */
  async addLead(actor: Actor, input: { name: string; isAdmin: boolean; isTrainer: boolean; password?: string }): Promise<{ lead: LeadListed; temporaryPassword: string | null }> {
    this.requireAdmin(actor);
    const temporary = input.password === undefined || input.password === '';
    const password = temporary ? temporaryPassword() : checkPassword(input.password!);
    const id = await this.store.addLead(input.name, await hashPassword(password), { isAdmin: input.isAdmin, isTrainer: input.isTrainer, temporary }, nameSkeleton);
    if (typeof id !== 'number') {
      throw new AdminError(409, id.taken === input.name ? `a lead called “${input.name}” exists` : `“${input.name}” looks too much like the lead “${id.taken}”; choose a name that tells them apart`);
    }
    const lead = await this.leadOrFail(id);
    await this.record(actor, 'add-lead', lead.name, { leadId: id, isAdmin: lead.isAdmin, isTrainer: lead.isTrainer });
    return { lead, temporaryPassword: temporary ? password : null };
  }

  /** A new password for another lead (or the CLI's for anyone): their sessions end. Without one given, a temporary one. */
  async resetPassword(actor: Actor, leadId: number, given?: string): Promise<{ lead: LeadListed; temporaryPassword: string | null }> {
    this.requireAdmin(actor);
    const lead = await this.leadOrFail(leadId);
    if (actor.via === 'dashboard' && actor.lead.id === leadId) throw new AdminError(400, 'change your own password under “Your password”, with your current one');
    const temporary = given === undefined || given === '';
    const password = temporary ? temporaryPassword() : checkPassword(given!);
    const hash = await hashPassword(password);
    if (temporary) await this.store.resetPassword(leadId, hash);
    else await this.repository.setLeadPassword(lead.name, hash);
    await this.record(actor, 'reset-password', lead.name, { leadId, temporary });
    return { lead: (await this.store.lead(leadId)) ?? lead, temporaryPassword: temporary ? password : null };
  }

  async setRoles(actor: Actor, leadId: number, roles: { isAdmin: boolean; isTrainer: boolean }): Promise<LeadListed> {
    this.requireAdmin(actor);
    const lead = await this.leadOrFail(leadId);
    const done = await this.store.setRoles(leadId, roles);
    if (done === 'not-found') throw new AdminError(404, `no lead ${leadId}`);
    if (done === 'last-admin') throw new AdminError(409, `${lead.name} is the only admin; make another lead an admin first`);
    await this.record(actor, 'set-roles', lead.name, { leadId, ...roles });
    return (await this.store.lead(leadId))!;
  }

  async removeLead(actor: Actor, leadId: number, cohorts: { moveTo?: number | undefined; deleteCohorts?: boolean | undefined }): Promise<{ removed: LeadListed }> {
    this.requireAdmin(actor);
    const lead = await this.leadOrFail(leadId);
    const done = await this.store.removeLead(leadId, cohorts);
    if (done === 'not-found') throw new AdminError(404, `no lead ${leadId}`);
    if (done === 'last-admin') throw new AdminError(409, `${lead.name} is the only admin; make another lead an admin first`);
    if (done === 'same-lead') throw new AdminError(400, 'the cohorts cannot move to the lead being removed');
    if (done === 'no-such-target') throw new AdminError(404, `no lead ${cohorts.moveTo} to take the cohorts`);
    if (done === 'has-cohorts') {
      throw new AdminError(
        409,
        `${lead.name} has ${lead.cohorts} cohort(s) with ${lead.trainees} trainee(s) and ${lead.attempts} attempt(s): move them to another lead, or confirm that they are deleted too`,
      );
    }
    if (typeof done === 'object') throw new AdminError(409, `the other lead already has a cohort called “${done.nameTaken}”; rename one first`);
    await this.record(actor, 'remove-lead', lead.name, { leadId, cohorts: lead.cohorts, trainees: lead.trainees, attempts: lead.attempts, ...(cohorts.moveTo !== undefined ? { movedTo: cohorts.moveTo } : { deleted: lead.cohorts > 0 }) });
    return { removed: lead };
  }

  /** The CLI's add-cohort, for any lead. */
  async addCohort(actor: Actor, leadId: number, name: string): Promise<{ id: number; code: string }> {
    this.requireAdmin(actor);
    const lead = await this.leadOrFail(leadId);
    const code = newJoinCode();
    const id = await this.repository.createCohort(leadId, name, code);
    if (id === 'name-taken') throw new AdminError(409, `${lead.name} already has a cohort called “${name}”`);
    await this.record(actor, 'add-cohort', name, { leadId, cohortId: id });
    return { id, code };
  }

  async recentLog(actor: Actor, limit = 100): Promise<LogEntry[]> {
    this.requireAdmin(actor);
    return this.store.recentLog(limit);
  }

  // Trainees: a lead, of their own cohorts only

  async trainees(lead: LeadSession): Promise<TraineeListed[]> {
    return this.store.trainees(lead.id);
  }

  private async ownTrainee(lead: LeadSession, traineeId: number): Promise<TraineeListed> {
    const found = await this.store.trainee(lead.id, traineeId);
    if (!found) throw new AdminError(404, `no trainee ${traineeId} in a cohort of yours`);
    return found;
  }

  /** `name` has been through the join's normalisation (schemas.personName); here the look-alike check. */
  async renameTrainee(actor: Actor & { via: 'dashboard' }, traineeId: number, name: string): Promise<TraineeListed> {
    const before = await this.ownTrainee(actor.lead, traineeId);
    const done = await this.store.renameTrainee(actor.lead.id, traineeId, name, nameSkeleton(name));
    if (done === 'not-found') throw new AdminError(404, `no trainee ${traineeId} in a cohort of yours`);
    if (typeof done === 'object') {
      throw new AdminError(
        409,
        done.taken === name ? `someone called “${name}” is already in ${before.cohortName}` : `“${name}” looks too much like “${done.taken}”, who is already in ${before.cohortName}`,
      );
    }
    await this.record(actor, 'rename-trainee', name, { traineeId, cohortId: before.cohortId, from: before.name, to: name });
    return this.ownTrainee(actor.lead, traineeId);
  }

  async mergeTrainees(actor: Actor & { via: 'dashboard' }, keepId: number, dropId: number): Promise<{ trainee: TraineeListed; moved: number }> {
    if (keepId === dropId) throw new AdminError(400, 'choose two different trainees to merge');
    const keep = await this.ownTrainee(actor.lead, keepId);
    const drop = await this.ownTrainee(actor.lead, dropId);
    const done = await this.store.mergeTrainees(actor.lead.id, keepId, dropId);
    if (done === 'not-found') throw new AdminError(404, 'one of the two trainees is no longer in a cohort of yours');
    if (done === 'other-cohort') throw new AdminError(409, `${keep.name} is in ${keep.cohortName} and ${drop.name} in ${drop.cohortName}: only records in one cohort can be merged`);
    await this.record(actor, 'merge-trainees', keep.name, { keptId: keepId, removedId: dropId, removedName: drop.name, cohortId: keep.cohortId, moved: done.moved });
    return { trainee: await this.ownTrainee(actor.lead, keepId), moved: done.moved };
  }

  async removeTrainee(actor: Actor & { via: 'dashboard' }, traineeId: number, confirmedAttempts: number): Promise<{ removed: number }> {
    const before = await this.ownTrainee(actor.lead, traineeId);
    const done = await this.store.removeTrainee(actor.lead.id, traineeId, confirmedAttempts);
    if (done === 'not-found') throw new AdminError(404, `no trainee ${traineeId} in a cohort of yours`);
    if ('attemptsNow' in done) throw new AdminError(409, `${before.name} now has ${done.attemptsNow} attempt(s), not ${confirmedAttempts}; confirm again`);
    await this.record(actor, 'remove-trainee', before.name, { traineeId, cohortId: before.cohortId, attempts: done.removed });
    return done;
  }
}
