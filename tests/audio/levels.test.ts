/**
 * Listening with numbers: every committed MP3 decodes (with sox, as a browser would), every
 * sprite window lies inside its file, and each window's peak and loudness are within the range
 * set in scripts/make-audio/levels.ts. Skips, saying why, only where sox is not installed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESK_SOUND_IDS, MOOD_BAND_IDS } from '../../src/audio/manifest';
import { AUDIO_DIR, VOICES_DIR } from '../../scripts/make-audio/build';
import { measureDesk, measureVoices, readDeskManifest, readVoiceManifests } from '../../scripts/make-audio/check';
import { decode, soxAvailable, type Samples } from '../../scripts/make-audio/measure';

const root = join(import.meta.dirname, '../..');
const EDGE_MS = 40;
/** About -50 dBFS. */
const SILENCE = 0.003;

function edgePeak(samples: Samples, fromMs: number, toMs: number): number {
  const from = Math.max(0, Math.floor((fromMs / 1000) * samples.rate));
  const to = Math.min(samples.data.length, Math.ceil((toMs / 1000) * samples.rate));
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples.data[i] as number));
  return peak;
}
const hasSox = soxAvailable();
if (!hasSox) console.warn('tests/audio/levels.test.ts skipped: sox is not installed (apt-get install -y sox libsox-fmt-all)');

describe.skipIf(!hasSox)('audio levels, measured with sox', () => {
  it('has a sox that reads MP3', () => {
    const formats = execFileSync('sox', ['-h'], { encoding: 'utf8' });
    expect(/AUDIO FILE FORMATS:.*\bmp3\b/.test(formats), 'sox cannot read MP3: apt-get install -y libsox-fmt-all').toBe(true);
  });

  it('decodes the desk sprite, with every window inside the file', async () => {
    const desk = readDeskManifest(root);
    const samples = await decode(join(root, AUDIO_DIR, desk.file));
    const seconds = samples.data.length / samples.rate;
    for (const id of DESK_SOUND_IDS) {
      const [start, duration] = desk.sounds[id];
      expect(start + duration, id).toBeLessThanOrEqual(seconds * 1000);
    }
  });

  it('keeps every desk sound at its level, without clipping', async () => {
    const levels = await measureDesk(root);
    expect(levels.filter((l) => l.problems.length > 0).map((l) => `${l.key}: ${l.problems.join('; ')}`)).toEqual([]);
    // The room sits well under the caller, and the ring is the loudest thing on the desk.
    const loudness = Object.fromEntries(levels.map((l) => [l.key, l.loudness]));
    expect(loudness.ambience).toBeLessThan((loudness['hold-music'] as number) - 10);
    expect(loudness.ring).toBeGreaterThan(loudness['ui-good'] as number);
  }, 60_000);

  it.each(readVoiceManifests(root).map((m) => [m.scenarioId, m] as const))('decodes the voices of %s and keeps every take at its level', async (_id, manifest) => {
    for (const track of Object.values(manifest.languages)) {
      const samples = await decode(join(root, VOICES_DIR, track.file));
      const end = (samples.data.length / samples.rate) * 1000;
      const cut: string[] = [];
      for (const [lineId, clips] of Object.entries(track.clips)) {
        for (const band of MOOD_BAND_IDS) {
          const window = clips[band];
          if (!window) continue;
          expect(window[0] + window[1]).toBeLessThanOrEqual(end);
          // Just outside the window there is only the silence between takes: no take is cut short.
          if (edgePeak(samples, window[0] - EDGE_MS, window[0]) > SILENCE || edgePeak(samples, window[0] + window[1], window[0] + window[1] + EDGE_MS) > SILENCE) cut.push(`${lineId}@${band}`);
        }
      }
      expect(cut, `${track.file}: windows that cut a take`).toEqual([]);
    }
    const levels = await measureVoices(manifest, root);
    expect(levels.filter((l) => l.problems.length > 0).map((l) => `${l.file} ${l.key}: ${l.problems.join('; ')}`)).toEqual([]);
    // Heated takes are louder than calm ones on purpose; within a band, lines are evened out.
    const mean = (band: string) => {
      const values = levels.filter((l) => l.key.endsWith(`@${band}`)).map((l) => l.loudness);
      return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    };
    const [calm, heated] = [mean('calm'), mean('heated')];
    if (calm !== null && heated !== null) expect(heated - calm).toBeGreaterThan(2);
  }, 120_000);
});
