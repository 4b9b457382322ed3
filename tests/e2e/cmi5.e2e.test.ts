/**
 * Issue 15's cmi5 launch, end to end in Chromium. The test plays the company's LMS:
 *
 * - it downloads the course package from the real app (GET /api/cmi5/course.zip as a lead), unzips
 *   it and reads each AU (id, url, moveOn, masteryScore) from cmi5.xml;
 * - a small HTTP server is the LMS: it issues the session's auth token at the `fetch` URL (POST
 *   only, one use only), and is the xAPI endpoint the AU talks to: it answers the LaunchData state
 *   document it wrote for the registration, and passes statements on to a real LRS (Learning
 *   Locker's xapi-statements, in memory, tests/server/real-lrs.ts), refusing any request without
 *   the token;
 * - it stores its own `launched` statement in the LRS, builds the launch URL from the AU's url and
 *   opens it in Chromium (the production build of the game on a static server).
 *
 * The game plays the caller the AU names straight away; the LRS then holds launched, initialized,
 * passed or failed, completed, terminated, in that order, each with the cmi5 context (category,
 * registration, session id) and valid per @learninglocker/xapi-validation. A second use of the
 * token is refused and the game says so on screen. The usual start never loads the cmi5 library.
 * Screenshots of the debrief with its "Return to your course" button, in English and Chinese.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import validateStatement from '@learninglocker/xapi-validation';
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Service } from '../../src/server/service';
import { courseStructureProblems, parseXml, type XmlElement } from '../server/cmi5-structure';
import { addLead, login, testService } from '../server/helpers';
import { startRealLrs, type RealLrs } from '../server/real-lrs';
import { unzip } from '../server/unzip';
import { ROOT, serveStatic, type StaticServer } from './support/build';
import { debriefView, openDesk, playCall, shoot, tap, waitForScene, type Desk, type Move } from './support/desk';

const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const SESSION_ID = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
const LRS_AUTH = `Basic ${Buffer.from('lms:lms secret').toString('base64')}`;
const VERB = (id: string) => id.slice(id.lastIndexOf('/') + 1);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = any;

interface Au {
  id: string;
  url: string;
  moveOn: string;
  masteryScore: number;
}

let server: StaticServer;
let service: Service;
let lrs: RealLrs;
let lms: Lms;
let aus: Au[] = [];
const desks: Desk[] = [];

/** The LMS of the test: tokens at /fetch/ID, an xAPI endpoint at /xapi, a course page at /course. */
interface Lms {
  url: string;
  /** Launches an AU: the launched statement and LaunchData stored; the launch URL. */
  launch(au: Au, options?: { launchMode?: 'Normal' | 'Browse' | 'Review'; language?: string }): Promise<{ url: string; registration: string; sessionId: string; actor: Statement; fetch: string }>;
  requests: string[];
  close(): Promise<void>;
}

async function startLms(lrsUrl: string): Promise<Lms> {
  const tokens = new Map<string, { token: string | null; used: boolean }>();
  const valid = new Set<string>();
  const states = new Map<string, string>();
  const preferences = new Map<string, string>();
  const requests: string[] = [];
  let base = '';
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => resolve(Buffer.concat(parts)));
    });
  const cors = (res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Experience-API-Version');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'X-Experience-API-Version, ETag');
  };
  const stateKey = (q: URLSearchParams) => `${q.get('activityId')}|${q.get('agent')}|${q.get('registration')}|${q.get('stateId')}`;
  const http: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${req.method} ${url.pathname}`);
    cors(res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (url.pathname.startsWith('/fetch/')) {
      // cmi5 8.2: POST only; the token once; a second call is an error (code 1, "already in use").
      const entry = tokens.get(url.pathname.slice('/fetch/'.length));
      if (req.method !== 'POST') return void res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ 'error-code': '3', 'error-text': 'POST only' }));
      if (!entry) return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ 'error-code': '2', 'error-text': 'unknown' }));
      if (entry.used) return void res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ 'error-code': '1', 'error-text': 'Already in use' }));
      entry.used = true;
      const token = Buffer.from(`au:${randomUUID()}`).toString('base64');
      valid.add(token);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ 'auth-token': token }));
    }
    if (url.pathname === '/course') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>LMS course</title><h1>Back in the LMS</h1>');
    if (!url.pathname.startsWith('/xapi/')) return void res.writeHead(404).end();
    const auth = (req.headers.authorization ?? '').replace(/^Basic /, '');
    if (!valid.has(auth)) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no valid token' }));
    const resource = url.pathname.slice('/xapi/'.length);
    if (resource === 'activities/state') {
      const doc = states.get(stateKey(url.searchParams));
      if (req.method === 'GET') return void (doc ? res.writeHead(200, { 'content-type': 'application/json' }).end(doc) : res.writeHead(404).end());
      states.set(stateKey(url.searchParams), (await body(req)).toString());
      return void res.writeHead(204).end();
    }
    if (resource === 'agents/profile' && req.method === 'GET' && url.searchParams.get('profileId') === 'cmi5LearnerPreferences') {
      // The learner's preferences the LMS keeps (cmi5 11.0): the language the game should speak.
      const language = preferences.get(url.searchParams.get('agent') ?? '') ?? 'en-US';
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ languagePreference: language, audioPreference: 'on' }));
    }
    if (resource === 'statements') {
      const data = req.method === 'GET' ? undefined : new Uint8Array(await body(req));
      const answer = await fetch(`${lrsUrl}/statements${url.search}`, { method: req.method, headers: { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3', Authorization: LRS_AUTH }, ...(data ? { body: data } : {}) });
      const text = await answer.text();
      return void res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'X-Experience-API-Version': '1.0.3' }).end(text);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    async launch(au, options = {}) {
      const registration = randomUUID();
      const sessionId = randomUUID();
      const tokenId = randomUUID();
      tokens.set(tokenId, { token: null, used: false });
      const actor = { objectType: 'Agent', name: 'Li Na', account: { homePage: 'https://lms.example.com', name: 'learner-7' } };
      const launchMode = options.launchMode ?? 'Normal';
      preferences.set(JSON.stringify(actor), options.language ?? 'en-US');
      const contextTemplate = { contextActivities: { grouping: [{ objectType: 'Activity', id: au.id }] }, extensions: { [SESSION_ID]: sessionId } };
      const launchData = { contextTemplate, launchMode, launchMethod: 'AnyWindow', moveOn: au.moveOn, masteryScore: au.masteryScore, returnURL: `${base}/course` };
      states.set(`${au.id}|${JSON.stringify(actor)}|${registration}|LMS.LaunchData`, JSON.stringify(launchData));
      // The LMS's own statement before the launch (cmi5 9.3.1, "launched").
      const launched = {
        id: randomUUID(),
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'en-US': 'Launched' } },
        object: { objectType: 'Activity', id: au.id },
        context: {
          registration,
          contextActivities: { ...contextTemplate.contextActivities, category: [{ objectType: 'Activity', id: CMI5_CATEGORY }] },
          extensions: { ...contextTemplate.extensions, 'https://w3id.org/xapi/cmi5/context/extensions/launchmode': launchMode, 'https://w3id.org/xapi/cmi5/context/extensions/launchurl': au.url, 'https://w3id.org/xapi/cmi5/context/extensions/moveon': au.moveOn },
        },
        timestamp: new Date().toISOString(),
      };
      const stored = await fetch(`${lrsUrl}/statements`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3', Authorization: LRS_AUTH }, body: JSON.stringify(launched) });
      expect(stored.status, await stored.clone().text()).toBe(200);
      const fetchUrl = `${base}/fetch/${tokenId}`;
      const params = new URLSearchParams({ endpoint: `${base}/xapi/`, fetch: fetchUrl, registration, activityId: au.id, actor: JSON.stringify(actor) });
      return { url: `${au.url}&${params.toString()}`, registration, sessionId, actor, fetch: fetchUrl };
    },
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}

/** The registration's statements as the LRS stored them, oldest first. */
async function statementsOf(registration: string): Promise<Statement[]> {
  const r = await fetch(`${lrs.url}/statements?registration=${registration}&ascending=true&limit=100`, { headers: { 'X-Experience-API-Version': '1.0.3', Authorization: LRS_AUTH } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { statements: Statement[] }).statements;
}

function plan(id: string, name: string): { ring: number; choices: string[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'plans', `${id}.plans.json`), 'utf8')) as { plans: { name: string; ring: number; choices: string[] }[] };
  return file.plans.find((p) => p.name === name)!;
}

/** /api/* answered by the in-process app (the trainee's own results, as on any call). */
async function routeApi(page: Page): Promise<void> {
  await page.route('**/api/**', async (route: Route) => {
    const request = route.request();
    const response = await service.app.request(request.url(), { method: request.method(), headers: await request.allHeaders(), body: request.postData() ?? undefined });
    await route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
  });
}

const cmi5State = (page: Page) => page.evaluate(() => (window as unknown as { __holdTheLine: { cmi5: { phase: string; sent: string[]; error: string | null } | null } }).__holdTheLine.cmi5);

/** The file of the build that holds the cmi5 library. */
function cmi5Chunk(): string {
  const dir = join(inject('deskDist'), 'assets');
  const found = readdirSync(dir).filter((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('Unable to construct, no `fetch` parameter'));
  expect(found, 'one chunk holds @xapi/cmi5').toHaveLength(1);
  return found[0]!;
}

beforeAll(async () => {
  server = await serveStatic(inject('deskDist'));
  // The package's launch URLs point at the game, as PUBLIC_URL says.
  service = await testService({ publicUrl: server.url });
  await addLead(service, 'Course Lead');
  const cookie = await login(service, 'Course Lead');
  const zip = await service.app.request('http://localhost/api/cmi5/course.zip', { headers: { cookie } });
  expect(zip.status).toBe(200);
  const xml = unzip(Buffer.from(await zip.arrayBuffer())).get('cmi5.xml')!.toString('utf8');
  const root = parseXml(xml);
  expect(courseStructureProblems(root)).toEqual([]);
  const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);
  aus = root.children.filter((c) => c.name === 'au').map((au) => ({ id: au.attributes.id!, url: child(au, 'url')!.text, moveOn: au.attributes.moveOn!, masteryScore: Number(au.attributes.masteryScore) }));
  lrs = await startRealLrs();
  lms = await startLms(lrs.url);
}, 240_000);

afterEach(async () => {
  while (desks.length) await desks.pop()!.close();
});

afterAll(async () => {
  await lms?.close();
  await lrs?.close();
  await server?.close();
  await service?.close();
});

/** Opens a launch URL, plays `planName` on the caller, waits for the course to have it all. */
async function playLaunch(au: Au, planName: string, locale: string, size = { width: 1280, height: 800 }, language = locale) {
  const launch = await lms.launch(au, { language });
  const chunkRequests: string[] = [];
  const desk = await openDesk(launch.url, {
    locale,
    viewport: size,
    before: async (page) => {
      page.on('request', (r) => chunkRequests.push(new URL(r.url()).pathname));
      await routeApi(page);
    },
  });
  desks.push(desk);
  const page = desk.page;
  // Straight to the call: no menu pick.
  await waitForScene(page, 'Call', 40_000);
  const scenarioId = new URL(au.url).searchParams.get('cmi5')!;
  const p = plan(scenarioId, planName);
  await playCall(page, p.ring, p.choices.map((choice): Move => ({ choice, by: 'number' })));
  await waitForScene(page, 'Debrief', 60_000);
  await expect.poll(async () => (await cmi5State(page))?.phase, { timeout: 30_000 }).toBe('terminated');
  return { desk, page, launch, chunkRequests };
}

function checkCmi5Statements(statements: Statement[], launch: { registration: string; sessionId: string; actor: Statement }, au: Au, verdict: 'passed' | 'failed') {
  expect(statements.map((s) => VERB(s.verb.id))).toEqual(['launched', 'initialized', verdict, 'completed', 'terminated']);
  for (const s of statements) {
    expect(() => validateStatement(s), `${VERB(s.verb.id)} valid`).not.toThrow();
    expect(s.actor).toMatchObject({ account: launch.actor.account });
    expect(s.object.id).toBe(au.id);
    expect(s.context.registration).toBe(launch.registration);
    expect(s.context.extensions[SESSION_ID]).toBe(launch.sessionId);
    expect(s.context.contextActivities.category.map((c: Statement) => c.id)).toContain(CMI5_CATEGORY);
    // The LMS's context template is carried (its grouping names the AU).
    expect(s.context.contextActivities.grouping.map((g: Statement) => g.id)).toEqual([au.id]);
  }
  const [, , result, completed, terminated] = statements;
  expect(result.context.contextActivities.category.map((c: Statement) => c.id)).toEqual(expect.arrayContaining([CMI5_CATEGORY, MOVEON_CATEGORY]));
  expect(result.result.success).toBe(verdict === 'passed');
  expect(result.result.score.scaled).toBeGreaterThanOrEqual(0);
  expect(result.result.score.scaled).toBeLessThanOrEqual(1);
  expect(result.result.score.scaled).toBeCloseTo(result.result.score.raw / 100, 6);
  expect(result.context.extensions[MASTERY]).toBe(au.masteryScore);
  if (verdict === 'passed') expect(result.result.score.scaled).toBeGreaterThanOrEqual(au.masteryScore);
  expect(completed.result.completion).toBe(true);
  expect(terminated.result.duration).toMatch(/^PT/);
  return result.result.score.scaled as number;
}

describe('a cmi5 launch from the company LMS', () => {
  it('plays the caller the AU names and sends initialized, passed, completed, terminated to the LRS; the usual start never loads cmi5', async () => {
    const au = aus.find((a) => a.url.includes('cmi5=practice-call'))!;
    expect(au).toMatchObject({ moveOn: 'Passed' });
    const { page, launch, chunkRequests, desk } = await playLaunch(au, 'best', 'en-US');
    const chunk = cmi5Chunk();
    expect(chunkRequests.some((p) => p.endsWith(chunk)), 'the launch loads the cmi5 chunk').toBe(true);
    const debrief = (await debriefView(page)) as unknown as { passed: boolean; total: number; course: string; returnToCourse: boolean };
    expect(debrief.passed).toBe(true);
    expect(debrief.returnToCourse).toBe(true);
    const statements = await statementsOf(launch.registration);
    const scaled = checkCmi5Statements(statements, launch, au, 'passed');
    expect(scaled).toBeCloseTo(debrief.total / 100, 6);
    expect(debrief.course).toBe(`✓ Sent to your course: Passed (${debrief.total}%, mastery score ${au.masteryScore * 100}%)`);
    await shoot(page, 'cmi5-debrief-en');
    expect(desk.errors.filter((e) => !/favicon/.test(e))).toEqual([]);

    // The token is for one use: the LMS refuses it again, and a reload of the launch says so on screen.
    const again = await fetch(launch.fetch, { method: 'POST' });
    expect(again.status).toBe(403);
    await page.reload();
    await expect.poll(async () => (await cmi5State(page))?.phase, { timeout: 30_000 }).toBe('failed');
    await waitForScene(page, 'Menu');
    expect((await cmi5State(page))!.error).toMatch(/^the course’s sign-in link did not work .*\(HTTP 403\)$/);
    expect(await statementsOf(launch.registration)).toHaveLength(5);

    // Return to your course: to the LMS's returnURL, after terminated.
    const fresh = await playLaunch(au, 'best', 'en-US');
    await tap(fresh.page, 'another');
    await fresh.page.waitForURL(`${lms.url}/course`, { timeout: 20_000 });
    expect(await fresh.page.textContent('h1')).toBe('Back in the LMS');
    expect((await statementsOf(fresh.launch.registration)).map((s) => VERB(s.verb.id))).toEqual(['launched', 'initialized', 'passed', 'completed', 'terminated']);

    // The usual start: the menu, and no request for the cmi5 chunk.
    const plainRequests: string[] = [];
    const plain = await openDesk(server.url, { before: async (p) => void p.on('request', (r) => plainRequests.push(new URL(r.url()).pathname)) });
    desks.push(plain);
    await waitForScene(plain.page, 'Menu');
    await plain.page.waitForTimeout(1500);
    expect(plainRequests.filter((p) => p.endsWith('.js')).length).toBeGreaterThan(0);
    expect(plainRequests.filter((p) => p.endsWith(chunk))).toEqual([]);
    expect(await cmi5State(plain.page)).toBeNull();
  }, 300_000);

  it('speaks the language the LMS keeps for the learner, and sends failed with the mastery score from LaunchData', async () => {
    const au = aus.find((a) => a.url.includes('cmi5=practice-call'))!;
    // An English browser; the learner's preference in the LMS is Chinese.
    const { page, launch } = await playLaunch(au, 'worst', 'en-US', undefined, 'zh-CN');
    const debrief = (await debriefView(page)) as unknown as { passed: boolean; total: number; course: string };
    expect(debrief.passed).toBe(false);
    checkCmi5Statements(await statementsOf(launch.registration), launch, au, 'failed');
    expect(debrief.course).toBe(`✓ 已发送到课程：未通过（${debrief.total}%，掌握分数线 ${au.masteryScore * 100}%）`);
    await shoot(page, 'cmi5-debrief-zh');
    const phone = await playLaunch(au, 'best', 'zh-CN', { width: 390, height: 844 });
    await shoot(phone.page, 'cmi5-debrief-zh-phone');
  }, 300_000);
});
