/**
 * Administration (issue 15): an admin adds, removes and resets leads and sets their roles; a lead
 * renames, merges and removes the trainees of their own cohorts. Each action, each refusal, and
 * the attacker's tries: a lead on another lead's trainee, a non-admin on the admin routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, PASSWORD, testService } from './helpers';

let service: Service;
let admin: string;
let other: string;
let otherId: number;

async function submit(token: string, scenario: string, choices?: string[]) {
  const r = await call(service.app, 'POST', '/api/attempts', { body: makeAttempt(service, scenario, choices), token });
  expect(r.status, r.text).toBe(201);
  return r.json.result as { total: number; passed: boolean };
}

const loginWith = async (name: string, password: string) => call(service.app, 'POST', '/api/login', { body: { name, password } });
const cookieOf = (r: { headers: Headers }) => r.headers.get('set-cookie')!.split(';')[0]!;

beforeAll(async () => {
  service = await testService({ limits: { login: { burst: 1000, perSecond: 100 }, loginDelay: { free: 1000, firstSeconds: 1, maxSeconds: 1 } } });
  await addLead(service, 'Ada Admin');
  otherId = await addLead(service, 'Olly Other');
  admin = await login(service, 'Ada Admin');
  other = await login(service, 'Olly Other');
}, 180_000);
afterAll(async () => service?.close());

describe('an admin and the leads', () => {
  it('adds a lead with a one-time temporary password that must be replaced before anything else', async () => {
    const added = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'Nina New', isTrainer: true }, cookie: admin });
    expect(added.status, added.text).toBe(201);
    expect(added.json.lead).toMatchObject({ name: 'Nina New', isAdmin: false, isTrainer: true, passwordTemporary: true });
    const temporary: string = added.json.temporaryPassword;
    expect(temporary).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

    const first = await loginWith('Nina New', temporary);
    expect(first.status).toBe(200);
    expect(first.json.lead.mustChangePassword).toBe(true);
    const cookie = cookieOf(first);
    expect((await call(service.app, 'GET', '/api/cohorts', { cookie })).status).toBe(403);
    expect((await call(service.app, 'GET', '/api/session', { cookie })).json.lead.mustChangePassword).toBe(true);
    const wrong = await call(service.app, 'POST', '/api/password', { body: { current: 'not it at all', password: 'nina’s own password' }, cookie });
    expect(wrong.status).toBe(403);
    const changed = await call(service.app, 'POST', '/api/password', { body: { current: temporary, password: 'nina’s own password' }, cookie });
    expect(changed.status, changed.text).toBe(200);
    expect((await call(service.app, 'GET', '/api/cohorts', { cookie })).status).toBe(200);
    expect((await loginWith('Nina New', temporary)).status).toBe(401);
    expect((await loginWith('Nina New', 'nina’s own password')).status).toBe(200);
  });

  it('refuses a lead name that is taken or looks like one, as joining does', async () => {
    const same = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'Olly Other' }, cookie: admin });
    expect(same.status).toBe(409);
    const like = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'O1ly  0ther' }, cookie: admin });
    expect(like.status).toBe(409);
    expect(like.json.error).toContain('Olly Other');
    const hidden = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'Eve\u202Egnirts' }, cookie: admin });
    expect(hidden.status).toBe(400);
    expect(hidden.json.error).toMatch(/invisible or text-direction/);
  });

  it('resets a password: a temporary one shown once, and the lead’s sessions end', async () => {
    const before = await login(service, 'Olly Other');
    expect((await call(service.app, 'GET', '/api/cohorts', { cookie: before })).status).toBe(200);
    const reset = await call(service.app, 'POST', `/api/admin/leads/${otherId}/password`, { cookie: admin });
    expect(reset.status, reset.text).toBe(200);
    expect((await call(service.app, 'GET', '/api/session', { cookie: before })).status).toBe(401);
    expect((await loginWith('Olly Other', PASSWORD)).status).toBe(401);
    const after = await loginWith('Olly Other', reset.json.temporaryPassword);
    expect(after.json.lead.mustChangePassword).toBe(true);
    const changed = await call(service.app, 'POST', '/api/password', { body: { current: reset.json.temporaryPassword, password: PASSWORD }, cookie: cookieOf(after) });
    expect(changed.status, changed.text).toBe(200);
    other = cookieOf(after);
    const self = await call(service.app, 'POST', `/api/admin/leads/${(await call(service.app, 'GET', '/api/session', { cookie: admin })).json.lead.id}/password`, { cookie: admin });
    expect(self.status).toBe(400);
  });

  it('never leaves the install without an admin', async () => {
    const adaId = (await call(service.app, 'GET', '/api/session', { cookie: admin })).json.lead.id;
    const demote = await call(service.app, 'PUT', `/api/admin/leads/${adaId}/roles`, { body: { isAdmin: false, isTrainer: true }, cookie: admin });
    expect(demote.status).toBe(409);
    expect(demote.json.error).toMatch(/only admin/);
    const removeSelf = await call(service.app, 'DELETE', `/api/admin/leads/${adaId}`, { cookie: admin });
    expect(removeSelf.status).toBe(409);
    // With a second admin, Ada may step down.
    expect((await call(service.app, 'PUT', `/api/admin/leads/${otherId}/roles`, { body: { isAdmin: true, isTrainer: false }, cookie: admin })).status).toBe(200);
    expect((await call(service.app, 'PUT', `/api/admin/leads/${adaId}/roles`, { body: { isAdmin: false, isTrainer: true }, cookie: admin })).status).toBe(200);
    expect((await call(service.app, 'GET', '/api/session', { cookie: admin })).json.lead).toMatchObject({ isAdmin: false, isTrainer: true });
    expect((await call(service.app, 'GET', '/api/admin/leads', { cookie: admin })).status).toBe(403);
    expect((await call(service.app, 'PUT', `/api/admin/leads/${adaId}/roles`, { body: { isAdmin: true, isTrainer: true }, cookie: other })).status).toBe(200);
    expect((await call(service.app, 'PUT', `/api/admin/leads/${otherId}/roles`, { body: { isAdmin: false, isTrainer: false }, cookie: admin })).status).toBe(200);
  });

  it('removes a lead only with their cohorts moved or deleted, said outright', async () => {
    const added = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'Leaving Lee' }, cookie: admin });
    const leeId = added.json.lead.id;
    const lee = cookieOf(await loginWith('Leaving Lee', added.json.temporaryPassword));
    await call(service.app, 'POST', '/api/password', { body: { current: added.json.temporaryPassword, password: PASSWORD }, cookie: lee });
    const cohort = await newCohort(service, lee, 'Lee’s group');
    const trainee = await join(service, cohort.code, 'Tess');
    await submit(trainee.token, 'practice-call');

    const bare = await call(service.app, 'DELETE', `/api/admin/leads/${leeId}`, { cookie: admin });
    expect(bare.status).toBe(409);
    expect(bare.json.error).toMatch(/1 cohort\(s\) with 1 trainee\(s\) and 1 attempt\(s\)/);
    const both = await call(service.app, 'DELETE', `/api/admin/leads/${leeId}`, { body: { moveCohortsTo: otherId, deleteCohorts: true }, cookie: admin });
    expect(both.status).toBe(400);
    const moved = await call(service.app, 'DELETE', `/api/admin/leads/${leeId}`, { body: { moveCohortsTo: otherId }, cookie: admin });
    expect(moved.status, moved.text).toBe(200);
    expect((await call(service.app, 'GET', '/api/session', { cookie: lee })).status).toBe(401);
    const cohorts = await call(service.app, 'GET', '/api/cohorts', { cookie: other });
    expect(cohorts.json.cohorts.map((c: { name: string }) => c.name)).toContain('Lee’s group');
    expect((await call(service.app, 'GET', `/api/report?cohort=${cohort.id}`, { cookie: other })).json.cells).toHaveLength(1);

    const gone = await call(service.app, 'POST', '/api/admin/leads', { body: { name: 'Short Stay' }, cookie: admin });
    const deleted = await call(service.app, 'DELETE', `/api/admin/leads/${gone.json.lead.id}`, { cookie: admin });
    expect(deleted.status, deleted.text).toBe(200);
  });

  it('refuses every admin route to a lead who is not an admin', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/leads'],
      ['POST', '/api/admin/leads', { name: 'Sneaky' }],
      ['PUT', `/api/admin/leads/${otherId}/roles`, { isAdmin: true, isTrainer: true }],
      ['POST', `/api/admin/leads/1/password`],
      ['DELETE', `/api/admin/leads/1`],
      ['GET', '/api/admin/log'],
    ];
    for (const [method, path, body] of routes) {
      const r = await call(service.app, method, path, { cookie: other, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path}`).toBe(403);
      const anonymous = await call(service.app, method, path, body ? { body } : {});
      expect(anonymous.status, `${method} ${path} without a session`).toBe(401);
    }
    expect((await call(service.app, 'GET', '/api/session', { cookie: other })).json.lead.isAdmin).toBe(false);
    expect((await service.repository.findLeadByName('Sneaky'))).toBeNull();
  });
});

describe('a lead and their trainees', () => {
  let cohort: { id: number; code: string };
  let othersCohort: { id: number; code: string };
  let li: { token: string; id: number };
  let liAgain: { token: string; id: number };
  let stranger: { token: string; id: number };

  beforeAll(async () => {
    cohort = await newCohort(service, admin, 'Morning');
    othersCohort = await newCohort(service, other, 'Evening');
    li = await join(service, cohort.code, 'Li Na');
    liAgain = await join(service, cohort.code, 'Li Na 2');
    stranger = await join(service, othersCohort.code, 'Sam');
    await submit(li.token, 'practice-call', ['greet-wei', 'ask-confirm', 'number-fast', 'close-ask-more', 'bye-curt']);
    await submit(li.token, 'practice-call');
    await submit(liAgain.token, 'practice-call');
    await submit(liAgain.token, 'water-cutoff');
    await submit(stranger.token, 'practice-call');
  }, 120_000);

  it('lists the trainees of their own cohorts with their attempts', async () => {
    const r = await call(service.app, 'GET', '/api/trainees', { cookie: admin });
    const mine = r.json.trainees.filter((t: { cohortId: number }) => t.cohortId === cohort.id);
    expect(mine.map((t: { name: string; attempts: number }) => [t.name, t.attempts])).toEqual([
      ['Li Na', 2],
      ['Li Na 2', 2],
    ]);
    expect(r.json.trainees.map((t: { name: string }) => t.name)).not.toContain('Sam');
  });

  it('renames a trainee through the join’s name checks', async () => {
    const like = await call(service.app, 'PATCH', `/api/trainees/${liAgain.id}`, { body: { name: 'li-na' }, cookie: admin });
    expect(like.status).toBe(409);
    expect(like.json.error).toContain('“Li Na”');
    const bad = await call(service.app, 'PATCH', `/api/trainees/${liAgain.id}`, { body: { name: 'Li\u200bNa' }, cookie: admin });
    expect(bad.status).toBe(400);
    const ok = await call(service.app, 'PATCH', `/api/trainees/${liAgain.id}`, { body: { name: '  Li   Na (phone) ' }, cookie: admin });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.trainee.name).toBe('Li Na (phone)');
    expect((await call(service.app, 'GET', '/api/me', { token: liAgain.token })).json.trainee.name).toBe('Li Na (phone)');
  });

  it('merges two records of one person: attempts moved, summaries rebuilt, both devices still send', async () => {
    const before = (await call(service.app, 'GET', `/api/report?cohort=${cohort.id}`, { cookie: admin })).json;
    expect(before.trainees).toHaveLength(2);
    const merged = await call(service.app, 'POST', `/api/trainees/${li.id}/merge`, { body: { from: liAgain.id }, cookie: admin });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.json).toMatchObject({ moved: 2, trainee: { id: li.id, name: 'Li Na', attempts: 4 } });
    const after = (await call(service.app, 'GET', `/api/report?cohort=${cohort.id}`, { cookie: admin })).json;
    expect(after.trainees.map((t: { name: string }) => t.name)).toEqual(['Li Na']);
    const practice = after.cells.find((c: { scenarioId: string }) => c.scenarioId === 'practice-call');
    expect(practice).toMatchObject({ traineeId: li.id, attempts: 3, best: 100, passed: true });
    expect(after.cells.find((c: { scenarioId: string }) => c.scenarioId === 'water-cutoff')).toMatchObject({ traineeId: li.id, attempts: 1 });
    // The phone that joined as the second record now sends as Li Na.
    expect((await call(service.app, 'GET', '/api/me', { token: liAgain.token })).json.trainee).toEqual({ id: li.id, name: 'Li Na' });
    await submit(liAgain.token, 'water-cutoff');
    const list = await call(service.app, 'GET', `/api/trainees/${li.id}/attempts`, { cookie: admin });
    expect(list.json.attempts).toHaveLength(5);
    expect((await call(service.app, 'GET', '/api/me/attempts', { token: li.token })).json.attempts).toHaveLength(5);
  });

  it('refuses merges across cohorts, of a record with itself, and of another lead’s trainee', async () => {
    const own2 = await newCohort(service, admin, 'Afternoon');
    const pat = await join(service, own2.code, 'Pat');
    expect((await call(service.app, 'POST', `/api/trainees/${li.id}/merge`, { body: { from: pat.id }, cookie: admin })).status).toBe(409);
    expect((await call(service.app, 'POST', `/api/trainees/${li.id}/merge`, { body: { from: li.id }, cookie: admin })).status).toBe(400);
    const theft = await call(service.app, 'POST', `/api/trainees/${li.id}/merge`, { body: { from: stranger.id }, cookie: admin });
    expect(theft.status).toBe(404);
    expect(theft.text).not.toContain('Sam');
  });

  it('cannot rename, merge, remove or list another lead’s trainees', async () => {
    const rename = await call(service.app, 'PATCH', `/api/trainees/${stranger.id}`, { body: { name: 'Owned' }, cookie: admin });
    expect(rename.status).toBe(404);
    const merge = await call(service.app, 'POST', `/api/trainees/${stranger.id}/merge`, { body: { from: li.id }, cookie: other });
    expect(merge.status).toBe(404);
    const remove = await call(service.app, 'DELETE', `/api/trainees/${stranger.id}?attempts=1`, { cookie: admin });
    expect(remove.status).toBe(404);
    const fromOther = await call(service.app, 'DELETE', `/api/trainees/${li.id}?attempts=5`, { cookie: other });
    expect(fromOther.status).toBe(404);
    expect((await call(service.app, 'GET', '/api/me', { token: stranger.token })).json.trainee.name).toBe('Sam');
    expect((await call(service.app, 'GET', '/api/me', { token: li.token })).status).toBe(200);
    // A trainee's token opens none of it.
    expect((await call(service.app, 'PATCH', `/api/trainees/${li.id}`, { body: { name: 'Me' }, token: li.token })).status).toBe(401);
    expect((await call(service.app, 'GET', '/api/trainees', { token: li.token })).status).toBe(401);
    // Nor does a cross-site form post with the lead's cookie.
    const crossSite = await call(service.app, 'PATCH', `/api/trainees/${li.id}`, { body: { name: 'Pwned' }, cookie: admin, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
  });

  it('removes a trainee with the number of attempts the lead confirmed, not one more', async () => {
    const count = (await call(service.app, 'GET', '/api/trainees', { cookie: admin })).json.trainees.find((t: { id: number }) => t.id === li.id).attempts;
    expect(count).toBe(5);
    expect((await call(service.app, 'DELETE', `/api/trainees/${li.id}`, { cookie: admin })).status).toBe(400);
    await submit(li.token, 'practice-call');
    const stale = await call(service.app, 'DELETE', `/api/trainees/${li.id}?attempts=${count}`, { cookie: admin });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatch(/now has 6 attempt\(s\), not 5/);
    const removed = await call(service.app, 'DELETE', `/api/trainees/${li.id}?attempts=6`, { cookie: admin });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json.removed).toBe(6);
    expect((await call(service.app, 'GET', '/api/me', { token: li.token })).status).toBe(401);
    expect((await call(service.app, 'GET', '/api/me', { token: liAgain.token })).status).toBe(401);
    expect((await call(service.app, 'GET', `/api/report?cohort=${cohort.id}`, { cookie: admin })).json.cells).toEqual([]);
  });

  it('logs every action with who and what, never a password or a token', async () => {
    const log = await call(service.app, 'GET', '/api/admin/log', { cookie: admin });
    expect(log.status).toBe(200);
    const actions = log.json.entries.map((e: { action: string }) => e.action);
    for (const action of ['add-lead', 'reset-password', 'set-roles', 'remove-lead', 'rename-trainee', 'merge-trainees', 'remove-trainee', 'change-own-password']) expect(actions).toContain(action);
    const merge = log.json.entries.find((e: { action: string }) => e.action === 'merge-trainees');
    expect(merge).toMatchObject({ actor: 'Ada Admin', via: 'dashboard', target: 'Li Na', detail: { removedName: 'Li Na (phone)', moved: 2 } });
    const text = log.text;
    expect(text).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('nina’s own password');
    expect(text).not.toContain(li.token);
    expect(text).not.toMatch(/scrypt\$/);
  });
});
