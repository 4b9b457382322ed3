/**
 * Voices made on save (issue 17): a trainer's save starts the making of the caller's voices in the
 * background and answers at once; one make at a time, a caller saved again while it waits is made
 * once more from its newest file; the status endpoint says how far it is; a server without the voice
 * tools says so. The live catalogue then offers the new voices to the game (GET /api/scenarios and
 * /api/scenarios/ID/voices…), with the takes of changed lines left out until they are made, and
 * never a draft. Last, the real maker (espeak-ng and sox, where this machine has them) on a small caller.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spokenLinesOf } from '../../src/audio/line-texts';
import { VOICE_LANGUAGES, type VoiceManifest } from '../../src/audio/manifest';
import { newScenarioTemplate } from '../../src/cli/template';
import { scenarioText } from '../../src/engine/format/layout';
import type { Service } from '../../src/server/service';
import { changedLines, VoiceMaker, type MakeVoices } from '../../src/server/studio-voices';
import { missingTools } from '../../scripts/make-audio/tools';
import { call, leadPasswordHash, login, testService } from './helpers';

const SHIPPED = join(__dirname, '../../scenarios');
const practice = () => JSON.parse(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8')) as Record<string, unknown> & { nodes: { lines?: { text: Record<string, string> }[] }[] };

/** A maker that writes a manifest and sprites as the real one would name them, when the test lets it. */
function fakeMaker(root: string) {
  const made: string[] = [];
  const gates: Array<() => void> = [];
  let fail: string | null = null;
  const make: MakeVoices = async (options) => {
    const id = options.only[0] as string;
    made.push(id);
    const file = join(options.scenariosDir, `${id}.json`);
    const scenario = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const lines = spokenLinesOf(scenario);
    options.onProgress(0, lines.length * 2);
    await new Promise<void>((done) => gates.push(done));
    if (fail) throw new Error(fail);
    options.onProgress(lines.length, lines.length * 2);
    const dir = join(root, 'assets', 'audio', 'voices');
    mkdirSync(dir, { recursive: true });
    const languages = Object.fromEntries(
      VOICE_LANGUAGES.map((lang) => {
        writeFileSync(join(dir, `${id}.${lang}.mp3`), `mp3 of ${id} ${lang} #${made.length}`);
        return [lang, { file: `${id}.${lang}.mp3`, bytes: 10, clips: Object.fromEntries(lines.map((l, i) => [l.id, { calm: [i * 1000, 900] }])) }];
      }),
    );
    const manifest = { formatVersion: 1, scenarioId: id, voice: 'x', synthesis: { pitch: 1, rate: 1 }, sourceHash: `made-${made.length}`, languages };
    writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    options.onProgress(lines.length * 2, lines.length * 2);
    return { scenarios: [{ scenarioId: id, takes: lines.length * 2 }], skipped: [] };
  };
  return {
    make,
    made,
    /** Lets the oldest waiting make finish. */
    release: () => gates.shift()?.(),
    waiting: () => gates.length,
    failNext: (message: string | null) => (fail = message),
  };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((done) => setTimeout(done, 5));
  expect(until()).toBe(true);
};

describe('the voice maker', () => {
  it('names the lines whose words changed, and all of them for another voice', () => {
    const before = practice();
    const after = structuredClone(before);
    const line = after.nodes.flatMap((n) => n.lines ?? [])[0] as { id: string; text: Record<string, string> };
    line.text.en = 'Something else entirely.';
    expect([...changedLines(before, after)]).toEqual([line.id]);
    expect(changedLines(before, before).size).toBe(0);
    const revoiced = { ...structuredClone(before), caller: { ...(before.caller as object), voice: 'gamer' } };
    expect(changedLines(before, revoiced).size).toBe(spokenLinesOf(before).length);
    expect(changedLines(null, before).size).toBe(spokenLinesOf(before).length);
  });

  it('makes one caller at a time, once more for a save while it waits, and reports how far it is', async () => {
    const root = mkdtempSync(join(tmpdir(), 'htl-voices-'));
    try {
      const dir = join(root, 'scenarios');
      mkdirSync(dir);
      for (const id of ['one', 'two']) writeFileSync(join(dir, `${id}.json`), scenarioText({ ...practice(), id }));
      const fake = fakeMaker(root);
      const maker = new VoiceMaker({ root, make: fake.make, missingTools: () => [], log: () => undefined });
      expect(maker.status('one')).toEqual({ state: 'idle' });
      expect(maker.saved('one', null, practice()).state).toBe('making');
      await settle(() => fake.waiting() === 1);
      expect(maker.status('one')).toEqual({ state: 'making', done: 0, total: spokenLinesOf(practice()).length * 2 });
      // Saved twice more while it is made, and another caller once: each waits, and is made once.
      maker.saved('one', practice(), practice());
      maker.saved('one', practice(), practice());
      maker.saved('two', null, practice());
      expect(maker.status('two')).toEqual({ state: 'queued' });
      expect(maker.status('one').state).toBe('making');
      fake.release();
      // In the order they were saved: "one" again (from its newest file), then "two".
      await settle(() => fake.made.length === 2);
      expect(fake.made).toEqual(['one', 'one']);
      expect(maker.status('two')).toEqual({ state: 'queued' });
      fake.release();
      await settle(() => fake.made.length === 3);
      expect(maker.status('one').state).toBe('ready');
      fake.release();
      await maker.whenIdle();
      expect(fake.made).toEqual(['one', 'one', 'two']);
      expect(maker.status('one')).toEqual({ state: 'ready', takes: spokenLinesOf(practice()).length * 2 });
      expect(maker.live('one')?.version).toBe('made-2');

      // A make that fails says why, and the save that started it had long been answered.
      fake.failNext('sox: no MP3 writer');
      maker.saved('two', practice(), practice());
      await settle(() => fake.waiting() === 1);
      fake.release();
      await maker.whenIdle();
      expect(maker.status('two')).toEqual({ state: 'failed', error: 'sox: no MP3 writer' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says "off" with what is missing on a server without the tools, and makes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'htl-voices-'));
    try {
      const fake = fakeMaker(root);
      const maker = new VoiceMaker({ root, make: fake.make, missingTools: () => ['espeak-ng'], log: () => undefined });
      expect(maker.saved('one', null, practice())).toEqual({ state: 'off', missing: ['espeak-ng'] });
      expect(maker.status('one')).toEqual({ state: 'off', missing: ['espeak-ng'] });
      expect(new VoiceMaker({ root, make: fake.make, enabled: false }).status('one')).toEqual({ state: 'off', missing: [] });
      await maker.whenIdle();
      expect(fake.made).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('voices through the results service', () => {
  let root: string;
  let service: Service;
  let trainer: string;
  let fake: ReturnType<typeof fakeMaker>;
  let maker: VoiceMaker;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'htl-voices-service-'));
    const dir = join(root, 'scenarios');
    mkdirSync(dir);
    cpSync(join(SHIPPED, 'practice-call.json'), join(dir, 'practice-call.json'));
    fake = fakeMaker(root);
    maker = new VoiceMaker({ root, scenariosDir: dir, make: fake.make, missingTools: () => [], log: () => undefined });
    service = await testService({ scenariosDir: dir, voices: maker });
    await service.repository.createLead('trainer', await leadPasswordHash(), { isTrainer: true });
    trainer = await login(service, 'trainer');
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers a save at once, makes the voices behind it, and the status endpoint follows', async () => {
    const caller = { ...practice(), id: 'voiced-caller', status: 'published' };
    const saved = await call(service.app, 'PUT', '/api/studio/scenarios/voiced-caller', { cookie: trainer, raw: JSON.stringify(caller) });
    expect(saved.status).toBe(200);
    expect(saved.json.voices.state).toMatch(/^(queued|making)$/);
    expect(fake.made).toEqual(['voiced-caller']);
    const total = spokenLinesOf(caller).length * 2;
    await settle(() => fake.waiting() === 1);
    const making = await call(service.app, 'GET', '/api/studio/scenarios/voiced-caller/voices', { cookie: trainer });
    expect(making.json).toEqual({ state: 'making', done: 0, total });
    // Before its voices exist the game is told there are none (it reads the lines with the browser's voice).
    const before = await call(service.app, 'GET', '/api/scenarios');
    expect(before.json.scenarios.find((s: { id: string }) => s.id === 'voiced-caller')).toMatchObject({ voices: null, caller: { portrait: expect.any(String) }, summary: expect.any(Object) });
    expect((await call(service.app, 'GET', '/api/scenarios/voiced-caller/voices')).status).toBe(404);
    fake.release();
    await maker.whenIdle();
    expect((await call(service.app, 'GET', '/api/studio/scenarios/voiced-caller/voices', { cookie: trainer })).json).toEqual({ state: 'ready', takes: total });

    // The game's view: the list names the voices' version, the manifest and the sprites are served.
    const list = await call(service.app, 'GET', '/api/scenarios');
    expect(list.json.scenarios.find((s: { id: string }) => s.id === 'voiced-caller').voices).toBe('made-1');
    const manifest = await call(service.app, 'GET', '/api/scenarios/voiced-caller/voices');
    expect(manifest.status).toBe(200);
    expect(manifest.json.version).toBe('made-1');
    expect(Object.keys((manifest.json as VoiceManifest).languages.en.clips)).toEqual(spokenLinesOf(caller).map((l) => l.id));
    const sprite = await service.app.request('http://localhost/api/scenarios/voiced-caller/voices/en.mp3');
    expect(sprite.status).toBe(200);
    expect(sprite.headers.get('content-type')).toBe('audio/mpeg');
    expect(await sprite.text()).toBe('mp3 of voiced-caller en #1');
    for (const bad of ['fr.mp3', 'en.wav', '..%2Fen.mp3']) expect((await service.app.request(`http://localhost/api/scenarios/voiced-caller/voices/${bad}`)).status).toBe(404);
    // The whole caller, for a page that was built without it.
    const whole = await call(service.app, 'GET', '/api/scenarios/voiced-caller');
    expect(whole.status).toBe(200);
    expect(whole.json.id).toBe('voiced-caller');
  });

  it('leaves a changed line\'s old take out until its voice is made again', async () => {
    const caller = JSON.parse(readFileSync(join(root, 'scenarios', 'voiced-caller.json'), 'utf8')) as ReturnType<typeof practice>;
    const line = caller.nodes.flatMap((n) => n.lines ?? [])[0] as { id: string; text: Record<string, string> };
    line.text.en = 'A new first line, not yet voiced.';
    const saved = await call(service.app, 'PUT', '/api/studio/scenarios/voiced-caller', { cookie: trainer, raw: JSON.stringify(caller) });
    expect(saved.status).toBe(200);
    const version = (await call(service.app, 'GET', '/api/scenarios')).json.scenarios.find((s: { id: string }) => s.id === 'voiced-caller').voices as string;
    expect(version).toMatch(/^made-1-[0-9a-f]{8}$/);
    const manifest = (await call(service.app, 'GET', '/api/scenarios/voiced-caller/voices')).json as VoiceManifest & { version: string };
    expect(manifest.version).toBe(version);
    for (const lang of VOICE_LANGUAGES) {
      expect(manifest.languages[lang].clips[line.id]).toBeUndefined();
      expect(Object.keys(manifest.languages[lang].clips)).toHaveLength(spokenLinesOf(caller).length - 1);
    }
    await settle(() => fake.waiting() === 1);
    fake.release();
    await maker.whenIdle();
    expect((await call(service.app, 'GET', '/api/scenarios/voiced-caller/voices')).json.version).toBe('made-2');
  });

  it('tells the trainee\'s page it served that a live list is here to ask for (a static host does not)', async () => {
    expect((await service.app.request('http://localhost/')).headers.get('set-cookie')).toMatch(/^htl_live_callers=1; Path=\//);
    expect((await service.app.request('http://localhost/index.html')).headers.get('set-cookie')).toMatch(/htl_live_callers=1/);
    expect((await service.app.request('http://localhost/dashboard.html')).headers.get('set-cookie')).toBeNull();
  });

  it('never offers a draft, nor its voices, and refuses the status to anyone but a trainer', async () => {
    const draft = { ...practice(), id: 'voiced-draft', status: 'draft' };
    expect((await call(service.app, 'PUT', '/api/studio/scenarios/voiced-draft', { cookie: trainer, raw: JSON.stringify(draft) })).status).toBe(200);
    await settle(() => fake.waiting() === 1);
    fake.release();
    await maker.whenIdle();
    expect(existsSync(join(root, 'assets', 'audio', 'voices', 'voiced-draft.json'))).toBe(true);
    expect((await call(service.app, 'GET', '/api/scenarios')).json.scenarios.map((s: { id: string }) => s.id)).not.toContain('voiced-draft');
    for (const path of ['/api/scenarios/voiced-draft', '/api/scenarios/voiced-draft/voices', '/api/scenarios/voiced-draft/voices/en.mp3']) expect((await call(service.app, 'GET', path)).status).toBe(404);
    expect((await call(service.app, 'GET', '/api/studio/scenarios/voiced-draft/voices')).status).toBe(401);
    expect((await call(service.app, 'GET', '/api/studio/scenarios/NOT..OK/voices', { cookie: trainer })).status).toBe(400);
  });
});

const tools = missingTools();
describe.skipIf(tools.length > 0)('the real voice maker (espeak-ng and sox)', () => {
  it('makes the voices of a new caller into ROOT/assets/audio/voices, reporting progress', { timeout: 600_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'htl-voices-real-'));
    try {
      const dir = join(root, 'scenarios');
      mkdirSync(dir);
      const caller = newScenarioTemplate('real-voices');
      writeFileSync(join(dir, 'real-voices.json'), scenarioText(caller));
      const cacheDir = join(__dirname, '../../node_modules/.cache/hold-the-line-audio');
      const maker = new VoiceMaker({ root, cacheDir, jobs: 1, log: () => undefined });
      const seen: string[] = [];
      expect(maker.saved('real-voices', null, caller).state).toMatch(/^(queued|making)$/);
      const timer = setInterval(() => seen.push(JSON.stringify(maker.status('real-voices'))), 50);
      await maker.whenIdle();
      clearInterval(timer);
      const status = maker.status('real-voices');
      expect(status.state, JSON.stringify(status)).toBe('ready');
      expect(seen.some((s) => /"making","done":\d+,"total":[1-9]/.test(s))).toBe(true);
      const manifest = JSON.parse(readFileSync(join(root, 'assets', 'audio', 'voices', 'real-voices.json'), 'utf8')) as VoiceManifest;
      for (const lang of VOICE_LANGUAGES) {
        expect(existsSync(join(root, 'assets', 'audio', 'voices', `real-voices.${lang}.mp3`))).toBe(true);
        expect(Object.keys(manifest.languages[lang].clips).sort()).toEqual(spokenLinesOf(caller).map((l) => l.id).sort());
      }
      // The desk's sounds are not the studio's to make.
      expect(existsSync(join(root, 'assets', 'audio', 'desk.mp3'))).toBe(false);
      expect(maker.live('real-voices')?.version).toBe(manifest.sourceHash);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
