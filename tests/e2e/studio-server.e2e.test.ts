/**
 * Publishing on `npm start` (issue 17), in Chromium: the results service serves the built trainee
 * page (as src/server/main.ts does) over its own copy of a scenarios folder, with the real voice
 * maker. A trainer saves a new caller through the studio's routes: as a draft no trainee sees it;
 * published, it is on the trainee's menu at the next load, with no new build and no restart. Its
 * voices are made behind the save (espeak-ng and sox, where this machine has them), and the game
 * plays them from the server; the trainee plays the caller to the debrief and the server scores it.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newScenarioTemplate } from '../../src/cli/template';
import { analysisOf, checkScenario } from '../../src/engine/index';
import type { Service } from '../../src/server/service';
import { VoiceMaker } from '../../src/server/studio-voices';
import type { VoiceStatus } from '../../src/shared/studio-contract';
import { missingTools } from '../../scripts/make-audio/tools';
import { call, leadPasswordHash, login, testService } from '../server/helpers';
import { ROOT } from './support/build';
import { menuView, openDesk, playCall, SHOTS, tap, waitForScene, type Desk } from './support/desk';

const ID = 'published-on-the-server';
let root: string;
let service: Service;
let http: ServerType;
let url: string;
let trainer: string;
const tools = missingTools();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'htl-studio-server-e2e-'));
  const dir = join(root, 'scenarios');
  mkdirSync(dir);
  // Two shipped callers: the menu stays one page.
  for (const file of ['practice-call.json', 'drunk-caller.json']) cpSync(join(ROOT, 'scenarios', file), join(dir, file));
  const dist = inject('deskDist');
  const files = serveStatic({ root: dist });
  const voices = new VoiceMaker({ root, scenariosDir: dir, cacheDir: join(ROOT, 'node_modules', '.cache', 'hold-the-line-audio'), jobs: 1, log: () => undefined });
  service = await testService({ scenariosDir: dir, voices, staticFiles: files });
  await service.repository.createLead('trainer', await leadPasswordHash(), { isTrainer: true });
  trainer = await login(service, 'trainer');
  http = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((done) => http.once('listening', () => done()));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((done) => http?.close(() => done()));
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

const caller = (status: 'draft' | 'published') => ({ ...newScenarioTemplate(ID), status });

/** The server's list of callers answered: watched for from before the page is (re)loaded. */
const listAnswered = (page: Page) => page.waitForResponse((r) => new URL(r.url()).pathname === '/api/scenarios', { timeout: 60_000 });

/** The menu's callers once the page has loaded: `load` (re)loads it. */
async function menuIds(desk: Desk, load: () => Promise<unknown> = () => desk.page.reload()): Promise<string[]> {
  const answered = listAnswered(desk.page);
  await load();
  return menuIdsAfter(desk, answered);
}

async function menuIdsAfter(desk: Desk, answered: Promise<unknown>): Promise<string[]> {
  await waitForScene(desk.page, 'Menu', 60_000);
  // The live list arrives after the menu is up: wait until the server has answered and the menu
  // has drawn itself again from it.
  await answered;
  await desk.page.waitForTimeout(500);
  await waitForScene(desk.page, 'Menu', 30_000);
  return ((await menuView(desk.page))?.cards ?? []).map((c) => c.id);
}

describe('publishing on the results service (npm start)', () => {
  it('a draft stays off the trainees\' menu; published, it is there at the next load, and plays with its new voices', { timeout: 600_000 }, async () => {
    let answered: Promise<unknown> = Promise.resolve();
    const desk = await openDesk(`${url}?audio-log`, {
      before: async (page) => {
        answered = listAnswered(page);
      },
    });
    try {
      const first = await menuIdsAfter(desk, answered);
      expect(first).toContain('practice-call');
      // The page was built with every shipped caller; the server offers two: the menu follows the server.
      expect(first.sort()).toEqual(['drunk-caller', 'practice-call']);

      const draft = await call(service.app, 'PUT', `/api/studio/scenarios/${ID}`, { cookie: trainer, raw: JSON.stringify(caller('draft')) });
      expect(draft.status).toBe(200);
      expect(await menuIds(desk)).not.toContain(ID);

      const published = await call(service.app, 'PUT', `/api/studio/scenarios/${ID}`, { cookie: trainer, raw: JSON.stringify(caller('published')) });
      expect(published.status).toBe(200);
      expect(published.json.status).toBe('published');
      expect(await menuIds(desk)).toContain(ID);
      await desk.page.screenshot({ path: join(SHOTS, 'studio-server-menu.png') });

      // The voices, made behind the save.
      let status: VoiceStatus = published.json.voices as VoiceStatus;
      if (tools.length === 0) {
        for (let i = 0; i < 600 && (status.state === 'queued' || status.state === 'making'); i++) {
          await new Promise((done) => setTimeout(done, 500));
          status = (await call(service.app, 'GET', `/api/studio/scenarios/${ID}/voices`, { cookie: trainer })).json as VoiceStatus;
        }
        expect(status.state, JSON.stringify(status)).toBe('ready');
      } else {
        expect(status).toEqual({ state: 'off', missing: tools });
      }

      // Played by the trainee to the debrief: the file and (where made) the voices from the server.
      const requested: string[] = [];
      desk.page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      expect(await menuIds(desk)).toContain(ID);
      await tap(desk.page, `card:${ID}`);
      await waitForScene(desk.page, 'Call', 60_000);
      expect(requested).toContain(`/api/scenarios/${ID}`);
      const scenario = checkScenario(caller('published'), { structureOnly: true }).scenario!;
      const best = analysisOf(scenario).bestPath?.choices ?? [];
      expect(best.length).toBeGreaterThan(0);
      await playCall(desk.page, 1, best.map((choice) => ({ choice })));
      await waitForScene(desk.page, 'Debrief', 60_000);
      await desk.page.screenshot({ path: join(SHOTS, 'studio-server-debrief.png') });
      if (tools.length === 0) {
        expect(requested).toContain(`/api/scenarios/${ID}/voices`);
        expect(requested.some((p) => p === `/api/scenarios/${ID}/voices/en.mp3`)).toBe(true);
        const played = await desk.page.evaluate(() => (window.__holdTheLineAudioLog ?? []).map((e) => e.type));
        expect(played).not.toContain('missing');
      }
      expect(desk.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    } finally {
      await desk.close();
    }
  });
});
