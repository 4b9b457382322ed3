/**
 * Measures the committed audio as a browser gets it: every MP3 decoded by sox, every sprite window
 * measured for peak and loudness against the targets. The tests and `npm run assets:audio -- --levels`
 * both use it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DESK_SOUND_IDS, MOOD_BAND_IDS, type DeskManifest, type SpriteWindow, type VoiceManifest } from '../../src/audio/manifest';
import { AUDIO_DIR, DESK_MANIFEST, VOICES_DIR } from './build';
import { CLICK_PEAK_RANGE_DB, DESK_LOUDNESS, LOUDNESS_TOLERANCE_LU, PEAK_CEILING_DB, VOICE_LOUDNESS } from './levels';
import { decode, measure, type Levels } from './measure';

export interface WindowLevels extends Levels {
  file: string;
  key: string;
  /** Target loudness, or null where only the peak is checked. */
  target: number | null;
  problems: string[];
}

function judge(levels: Levels, target: number | null): string[] {
  const problems: string[] = [];
  if (!(levels.peakDb <= PEAK_CEILING_DB)) problems.push(`peak ${levels.peakDb.toFixed(1)} dBFS is over ${PEAK_CEILING_DB} dBFS`);
  if (target === null) {
    if (levels.peakDb < CLICK_PEAK_RANGE_DB[0]) problems.push(`peak ${levels.peakDb.toFixed(1)} dBFS is under ${CLICK_PEAK_RANGE_DB[0]} dBFS`);
  } else if (!(Math.abs(levels.loudness - target) <= LOUDNESS_TOLERANCE_LU)) {
    problems.push(`loudness ${levels.loudness.toFixed(1)} LUFS is not within ${LOUDNESS_TOLERANCE_LU} LU of ${target} LUFS`);
  }
  return problems;
}

async function windows(file: string, entries: { key: string; window: SpriteWindow; target: number | null }[]): Promise<WindowLevels[]> {
  const samples = await decode(file);
  const levels = measure(samples, entries.map((e) => e.window));
  return entries.map((entry, i) => {
    const measured = levels[i] as Levels;
    return { ...measured, file, key: entry.key, target: entry.target, problems: judge(measured, entry.target) };
  });
}

export function readDeskManifest(root: string): DeskManifest {
  return JSON.parse(readFileSync(join(root, DESK_MANIFEST), 'utf8')) as DeskManifest;
}

export function readVoiceManifests(root: string): VoiceManifest[] {
  const dir = join(root, VOICES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as VoiceManifest);
}

export async function measureDesk(root: string): Promise<WindowLevels[]> {
  const manifest = readDeskManifest(root);
  return windows(
    join(root, AUDIO_DIR, manifest.file),
    DESK_SOUND_IDS.map((key) => ({ key, window: manifest.sounds[key], target: DESK_LOUDNESS[key] })),
  );
}

export async function measureVoices(manifest: VoiceManifest, root: string): Promise<WindowLevels[]> {
  const results: WindowLevels[] = [];
  for (const [, track] of Object.entries(manifest.languages)) {
    const entries = Object.entries(track.clips).flatMap(([lineId, clips]) =>
      MOOD_BAND_IDS.flatMap((band) => {
        const window = clips[band];
        return window ? [{ key: `${lineId}@${band}`, window, target: VOICE_LOUDNESS[band] }] : [];
      }),
    );
    results.push(...(await windows(join(root, VOICES_DIR, track.file), entries)));
  }
  return results;
}

export function fileBytes(file: string): number {
  return statSync(file).size;
}
