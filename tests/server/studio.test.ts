/**
 * The trainer studio's routes on the results service: only a lead with the trainer role writes
 * callers; an attacker's path, text that is not JSON and a caller with errors are refused over HTTP;
 * a saved caller is in the server's list at once, and a plan goes beside its file.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioText } from '../../src/engine/format/layout';
import { mountStudioRoutes } from '../../src/server/routes/studio';
import type { Service } from '../../src/server/service';
import { addLead, call, leadPasswordHash, login, testService } from './helpers';

const SHIPPED = join(__dirname, '../../scenarios');
let root: string;
let dir: string;
let service: Service;
let cookie: string;
/** The same routes as the service mounts, behind a lead who has the trainer role. */
let trainerApp: Hono;

const practice = () => JSON.parse(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'htl-studio-server-'));
  dir = join(root, 'scenarios');
  mkdirSync(dir);
  cpSync(join(SHIPPED, 'practice-call.json'), join(dir, 'practice-call.json'));
  service = await testService({ scenariosDir: dir });
  // The first lead of an install has every role; the second, a plain lead, has none.
  await addLead(service, 'owner');
  await addLead(service, 'lead');
  cookie = await login(service, 'lead');
  trainerApp = new Hono();
  mountStudioRoutes(trainerApp as never, {
    repository: service.repository,
    catalogue: service.catalogue,
    scenariosDir: dir,
    lead: async (c, next) => {
      c.set('lead', { id: 1, name: 'trainer', isAdmin: false, isTrainer: true, passwordTemporary: false });
      await next();
    },
    isTrainer: () => true,
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

const put = (path: string, body: string) => trainerApp.request(`http://localhost/api/studio/scenarios/${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

describe('the studio routes of the results service', () => {
  it('refuse anyone but a signed-in lead with the trainer role', async () => {
    expect((await call(service.app, 'GET', '/api/studio/scenarios')).status).toBe(401);
    const lead = await call(service.app, 'GET', '/api/studio/scenarios', { cookie });
    expect(lead.status).toBe(403);
    expect(lead.json.error).toMatch(/trainer role/);
    expect((await call(service.app, 'PUT', '/api/studio/scenarios/practice-call', { cookie, raw: JSON.stringify(practice()) })).status).toBe(403);
  });

  it('let a trainer save through the service itself, and the caller is on its list of scenarios at once', async () => {
    await service.repository.createLead('trainer', await leadPasswordHash(), { isTrainer: true });
    const trainer = await login(service, 'trainer');
    const listed = await call(service.app, 'GET', '/api/studio/scenarios', { cookie: trainer });
    expect(listed.status).toBe(200);
    expect(listed.json.callers.map((c: { id: string }) => c.id)).toEqual(['practice-call']);
    const caller = { ...practice(), id: 'served-caller', status: 'published' };
    const saved = await call(service.app, 'PUT', '/api/studio/scenarios/served-caller', { cookie: trainer, raw: JSON.stringify(caller) });
    expect(saved.status).toBe(200);
    expect(readFileSync(join(dir, 'served-caller.json'), 'utf8')).toBe(scenarioText(caller));
    const scenarios = await call(service.app, 'GET', '/api/scenarios');
    expect(scenarios.json.scenarios.map((s: { id: string }) => s.id)).toContain('served-caller');
    expect((await call(service.app, 'PUT', '/api/studio/scenarios/..%2F..%2Fx', { cookie: trainer, raw: JSON.stringify({ ...caller, id: '../../x' }) })).status).toBe(400);
    expect(existsSync(join(root, '..', 'x.json'))).toBe(false);
  });

  it('refuse an attacker\'s path, text that is not JSON and a caller with errors, writing nothing', async () => {
    const before = readdirSync(root).sort();
    for (const path of ['..%2F..%2Fx', '..%2Fx', '%2E%2E', 'a%2Fb', 'x.json', 'UPPER']) {
      const response = await put(path, JSON.stringify({ ...practice(), id: decodeURIComponent(path) }));
      expect([400, 404], path).toContain(response.status);
    }
    // A path with real slashes matches no studio route at all.
    expect((await put('../../x', '{}')).status).toBe(404);
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(root, '..', 'x.json'))).toBe(false);

    const notJson = await put('practice-call', '{"formatVersion": 1,');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const broken = await put('practice-call', JSON.stringify({ ...practice(), start: 'nowhere' }));
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toContain('HTL030');
    expect(readFileSync(join(dir, 'practice-call.json'), 'utf8')).toBe(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8'));
  });

  it('saves a new caller as a draft in the stable layout, lists it, serves it and scores it from now on', async () => {
    const draft = { ...practice(), id: 'studio-draft', status: 'draft' };
    const saved = await put('studio-draft', JSON.stringify(draft));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ file: 'scenarios/studio-draft.json', status: 'draft' });
    expect(readFileSync(join(dir, 'studio-draft.json'), 'utf8')).toBe(scenarioText(draft));
    const list = (await (await trainerApp.request('http://localhost/api/studio/scenarios')).json()) as { callers: { id: string; status: string }[] };
    expect(list.callers).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'studio-draft', status: 'draft' })]));
    expect(await (await trainerApp.request('http://localhost/api/studio/scenarios/studio-draft')).text()).toBe(scenarioText(draft));
    expect(service.catalogue.current.get('studio-draft')?.scenario.status).toBe('draft');
  });

  it('saves a golden plan beside the caller', async () => {
    const plan = { name: 'best', ring: 1, choices: ['greet-standard'], expect: { outcome: 'resolved', passed: true, total: 100, dimensions: {}, transcript: [] } };
    const response = await trainerApp.request('http://localhost/api/studio/scenarios/practice-call/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plan }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ file: 'plans/practice-call.plans.json' });
    expect(JSON.parse(readFileSync(join(dir, 'plans', 'practice-call.plans.json'), 'utf8')).plans[0].name).toBe('best');
    const bad = await trainerApp.request('http://localhost/api/studio/scenarios/practice-call/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plan: { name: 'x' } }) });
    expect(bad.status).toBe(400);
  });
});
