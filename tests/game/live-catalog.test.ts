/**
 * The menu's live list (issue 17), against the results service itself: the server's callers replace
 * the page's own list, a caller the page was built with keeps its built-in file and voices, a caller
 * published since the build (or changed since) is fetched from the server with its voices, a draft is
 * never offered, and without a server (an HTML answer, no network) the built-in list stands.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadLineTexts, loadVoices } from '../../src/audio/assets';
import { liveSource } from '../../src/audio/live-sources';
import { scenarioText } from '../../src/engine/format/layout';
import { catalog, refreshCatalog } from '../../src/game/catalog';
import type { Service } from '../../src/server/service';
import { VoiceMaker } from '../../src/server/studio-voices';
import { testService } from '../server/helpers';

const SHIPPED = join(__dirname, '../../scenarios');
let root: string;
let service: Service;
/** fetch, answered by the service in this process. */
const served: typeof fetch = async (input, init) => service.app.request(`http://localhost${String(input)}`, init as RequestInit);

const practice = () => JSON.parse(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'htl-live-catalog-'));
  const dir = join(root, 'scenarios');
  mkdirSync(dir);
  // The server has two of the shipped callers, one changed, and two the page was not built with.
  cpSync(join(SHIPPED, 'practice-call.json'), join(dir, 'practice-call.json'));
  const drunk = JSON.parse(readFileSync(join(SHIPPED, 'drunk-caller.json'), 'utf8')) as { title: Record<string, string> };
  drunk.title.en = 'The drunk caller, changed on the server';
  writeFileSync(join(dir, 'drunk-caller.json'), scenarioText(drunk));
  writeFileSync(join(dir, 'published-later.json'), scenarioText({ ...practice(), id: 'published-later', status: 'published' }));
  writeFileSync(join(dir, 'still-a-draft.json'), scenarioText({ ...practice(), id: 'still-a-draft', status: 'draft' }));
  // Voices for the new caller, as the studio's maker leaves them.
  const voices = join(root, 'assets', 'audio', 'voices');
  mkdirSync(voices, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../assets/audio/voices/practice-call.json'), 'utf8')) as { scenarioId: string; sourceHash: string; languages: Record<string, { file: string }> };
  manifest.scenarioId = 'published-later';
  manifest.sourceHash = 'made-by-the-studio';
  for (const lang of ['zh-CN', 'en']) {
    manifest.languages[lang]!.file = `published-later.${lang}.mp3`;
    writeFileSync(join(voices, `published-later.${lang}.mp3`), 'mp3');
  }
  writeFileSync(join(voices, 'published-later.json'), JSON.stringify(manifest));
  service = await testService({ scenariosDir: dir, voices: new VoiceMaker({ root, scenariosDir: dir, enabled: false }) });
}, 120_000);

afterAll(async () => {
  vi.unstubAllGlobals();
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the live list of callers', () => {
  it('stands on the built-in list when no server answers', async () => {
    const built = catalog().map((e) => e.id);
    expect(built).toContain('gamer-complainant');
    const page = async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
    expect(await refreshCatalog(page)).toBe(false);
    expect(await refreshCatalog(async () => Promise.reject(new TypeError('offline')))).toBe(false);
    expect(await refreshCatalog(async () => new Response('{"error":"x"}', { status: 500, headers: { 'content-type': 'application/json' } }))).toBe(false);
    expect(catalog().map((e) => e.id)).toEqual(built);
  });

  it('takes the server\'s list: new callers on, drafts and callers it lacks off, the warm-up first', async () => {
    const builtPractice = catalog().find((e) => e.id === 'practice-call');
    expect(await refreshCatalog(served)).toBe(true);
    const ids = catalog().map((e) => e.id);
    expect(new Set(ids)).toEqual(new Set(['practice-call', 'drunk-caller', 'published-later']));
    expect(ids[0]).toBe('practice-call');
    // Unchanged since the build: the built-in file, the built-in voices.
    expect(catalog().find((e) => e.id === 'practice-call')?.load).toBe(builtPractice?.load);
    expect(liveSource('practice-call')?.changed).toBe(false);
    // Changed on the server: its words from the server.
    expect(catalog().find((e) => e.id === 'drunk-caller')?.title.en).toBe('The drunk caller, changed on the server');
    expect(liveSource('drunk-caller')?.changed).toBe(true);
    // Asked again with nothing changed: the menu need not be drawn again.
    expect(await refreshCatalog(served)).toBe(false);
  });

  it('fetches a caller the page was not built with from the server, and its voices and words', async () => {
    const entry = catalog().find((e) => e.id === 'published-later');
    expect(entry).toMatchObject({ portrait: 'practice', title: practice().title });
    const text = await entry!.load();
    expect(JSON.parse(text).id).toBe('published-later');
    vi.stubGlobal('fetch', served);
    const voices = await loadVoices('published-later');
    expect(voices?.manifest.sourceHash).toBe('made-by-the-studio');
    expect(voices?.urls.en).toBe('/api/scenarios/published-later/voices/en.mp3?v=made-by-the-studio');
    expect((await served(voices!.urls.en)).status).toBe(200);
    expect((await loadLineTexts('published-later')).size).toBeGreaterThan(0);
    // The changed caller has no voices on this server: the built-in ones would say the old words.
    expect(await loadVoices('drunk-caller')).toBeNull();
    // The unchanged one keeps the page's own.
    expect((await loadVoices('practice-call'))?.urls.en).toMatch(/practice-call\.en/);
  });
});
