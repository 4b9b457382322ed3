/**
 * Where the generated audio lives once Vite has built the game: the desk's sprite travels with the
 * game; each scenario's manifest is its own chunk, fetched when that scenario starts, and its MP3s
 * are fetched by Howler then too.
 */
import deskJson from '../../assets/audio/desk.json';
import type { LineTexts, VoiceSource } from './call-audio';
import { lineTexts } from './line-texts';
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

export async function loadVoices(scenarioId: string): Promise<VoiceSource | null> {
  const load = voiceManifests[`/assets/audio/voices/${scenarioId}.json`];
  if (!load) return null;
  const manifest = await load();
  const urls = {} as Record<VoiceLanguage, string>;
  for (const lang of VOICE_LANGUAGES) urls[lang] = fileUrl(`/assets/audio/voices/${manifest.languages[lang].file}`);
  return { manifest, urls };
}

/** The caption texts of a scenario (its file is named by its id), for speech synthesis. */
export async function loadLineTexts(scenarioId: string): Promise<LineTexts> {
  const load = scenarioLines[`/scenarios/${scenarioId}.json`];
  return load ? lineTexts(await load()) : new Map();
}
