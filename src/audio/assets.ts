/**
 * Where the generated audio lives once Vite has built the game: the desk's sprite travels with the
 * game; each scenario's manifest is its own chunk, fetched when that scenario starts, and its MP3s
 * are fetched by Howler then too.
 */
import deskJson from '../../assets/audio/desk.json';
import type { LineTexts, VoiceSource } from './call-audio';
import { lineTexts } from './line-texts';
import { liveSource } from './live-sources';
import { VOICE_LANGUAGES, type DeskManifest, type VoiceLanguage, type VoiceManifest } from './manifest';

const fileUrls = import.meta.glob<string>('/assets/audio/**/*.mp3', { query: '?url', import: 'default', eager: true });
const voiceManifests = import.meta.glob<VoiceManifest>('/assets/audio/voices/*.json', { import: 'default' });
// Only for speech synthesis: a scenario's lines, fetched when the trainee has chosen it.
const scenarioLines = import.meta.glob<unknown>(['/scenarios/*.json', '!/scenarios/*.schema.json'], { import: 'default' });

export const deskManifest = deskJson as DeskManifest;

function fileUrl(path: string): string {
  const url = fileUrls[path];
  if (!url) throw new Error(`audio file ${path} is not in the build; run npm run assets:audio`);
  return url;
}

export const deskUrl = (): string => fileUrl(`/assets/audio/${deskManifest.file}`);

/**
 * A caller's voices: the page's own, unless the server's live list says it has other ones (made by
 * the trainer studio since the page was built; src/server/studio-voices.ts) or the caller changed
 * since, when they come from the server (and are kept offline by the service worker).
 */
export async function loadVoices(scenarioId: string): Promise<VoiceSource | null> {
  const load = voiceManifests[`/assets/audio/voices/${scenarioId}.json`];
  const built = load ? await load() : null;
  const live = liveSource(scenarioId);
  const own = (): VoiceSource | null => (built && !live?.changed ? builtSource(built) : null);
  if (!live || live.voices === null || live.voices === built?.sourceHash) return own();
  const version = encodeURIComponent(live.voices);
  const base = `/api/scenarios/${encodeURIComponent(scenarioId)}/voices`;
  try {
    const response = await fetch(`${base}?v=${version}`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const manifest = (await response.json()) as VoiceManifest;
    const urls = {} as Record<VoiceLanguage, string>;
    for (const lang of VOICE_LANGUAGES) urls[lang] = `${base}/${lang}.mp3?v=${version}`;
    return { manifest, urls };
  } catch {
    return own();
  }
}

function builtSource(manifest: VoiceManifest): VoiceSource {
  const urls = {} as Record<VoiceLanguage, string>;
  for (const lang of VOICE_LANGUAGES) urls[lang] = fileUrl(`/assets/audio/voices/${manifest.languages[lang].file}`);
  return { manifest, urls };
}

/** The caption texts of a scenario (its file is named by its id), for speech synthesis. */
export async function loadLineTexts(scenarioId: string): Promise<LineTexts> {
  const live = liveSource(scenarioId);
  if (live?.changed) return lineTexts(JSON.parse(await live.text()) as unknown);
  const load = scenarioLines[`/scenarios/${scenarioId}.json`];
  return load ? lineTexts(await load()) : new Map();
}
