/**
 * The committed audio against the scenarios as they are now: every spoken caller line has a take in
 * each language it has text in (and in each mood band some play reaches), no take names a line
 * that is not there, every file exists at its recorded size, and a scenario fits its budget.
 * When a scenario changes, these fail until `npm run assets:audio` has been run; except that a
 * caller whose voices have not been made yet (no voices at all, or new lines without a take) is
 * reported and its checks skipped, not failed: the game reads such lines with the browser's speech
 * synthesis and says the recording is missing (src/audio/call-audio.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESK_SOUND_IDS, MOOD_BAND_IDS, VOICE_LANGUAGES, clipFor, type VoiceManifest } from '../../src/audio/manifest';
import { AUDIO_DIR, VOICES_DIR, voiceSourceHash } from '../../scripts/make-audio/build';
import { readDeskManifest, readVoiceManifests } from '../../scripts/make-audio/check';
import { SCENARIO_BUDGET_BYTES } from '../../scripts/make-audio/levels';
import { planLines, readScenarios, spokenLines } from '../../scripts/make-audio/lines';

const root = join(import.meta.dirname, '../..');
const scenarios = readScenarios(join(root, 'scenarios')).flatMap((entry) => (entry.scenario ? [entry.scenario] : []));
const manifests = readVoiceManifests(root);
const manifestFor = (id: string): VoiceManifest | undefined => manifests.find((m) => m.scenarioId === id);
const regenerate = 'run `npm run assets:audio` (needs espeak-ng and sox)';

describe('the desk', () => {
  it('has every desk sound, in a file that exists at the size the manifest says', () => {
    const desk = readDeskManifest(root);
    expect(Object.keys(desk.sounds).sort()).toEqual([...DESK_SOUND_IDS].sort());
    const file = join(root, AUDIO_DIR, desk.file);
    expect(existsSync(file), `${file} is missing; ${regenerate}`).toBe(true);
    expect(statSync(file).size).toBe(desk.bytes);
  });
});

/** The spoken lines of a scenario that have no take in the manifest, "line (language[, band])". */
function linesWithoutTakes(scenario: (typeof scenarios)[number], manifest: VoiceManifest | undefined): string[] {
  const missing: string[] = [];
  for (const line of planLines(scenario)) {
    for (const lang of VOICE_LANGUAGES) {
      if (!line.line.text[lang]?.trim()) continue;
      const clips = manifest?.languages[lang].clips[line.id];
      if (!clipFor(clips, 0)) missing.push(`${line.id} (${lang})`);
      for (const band of line.bands) if (clips && !clips[band]) missing.push(`${line.id} (${lang}, ${band})`);
    }
  }
  return missing;
}

describe.each(scenarios.map((s) => [s.id, s] as const))('caller voices of %s', (id, scenario) => {
  const manifest = manifestFor(id);
  const missing = linesWithoutTakes(scenario, manifest);
  // Not made yet: no voices at all, or voices made before lines were added. Reported, not failed.
  const notMadeYet = manifest === undefined || (manifest.sourceHash !== voiceSourceHash(scenario) && missing.length > 0);
  const note = `the voices of ${id} are not made yet; the game reads these lines with the browser's speech synthesis until you ${regenerate}: ${missing.join(', ')}`;
  const unlessNotMade = (skip: (note: string) => void) => {
    if (!notMadeYet) return;
    console.warn(note);
    skip(note);
  };

  it('has a voice manifest made from this version of the scenario', (context) => {
    unlessNotMade((n) => context.skip(n));
    expect(manifest, `no assets/audio/voices/${id}.json; ${regenerate}`).toBeDefined();
    expect(manifest?.voice).toBe(scenario.caller.voice);
    expect(manifest?.sourceHash, `the audio of ${id} was made from an older version of it; ${regenerate}`).toBe(voiceSourceHash(scenario));
  });

  it('has a take for every spoken line in every language it has text in, in every mood band it is heard in', (context) => {
    unlessNotMade((n) => context.skip(n));
    expect(missing, `lines without audio; ${regenerate}`).toEqual([]);
  });

  it('has no take for a line that is not spoken in the scenario (narration included)', () => {
    const spoken = new Set(spokenLines(scenario).map((l) => l.id));
    const orphans = VOICE_LANGUAGES.flatMap((lang) => Object.keys(manifest?.languages[lang].clips ?? {}).filter((lineId) => !spoken.has(lineId)).map((lineId) => `${lineId} (${lang})`));
    expect(orphans, `audio entries naming no spoken line; ${regenerate}`).toEqual([]);
  });

  it('has its files, at the recorded sizes, within the 2 MB budget for both languages together', (context) => {
    if (manifest === undefined) unlessNotMade((n) => context.skip(n));
    let total = 0;
    for (const lang of VOICE_LANGUAGES) {
      const track = manifest?.languages[lang];
      const file = join(root, VOICES_DIR, track?.file ?? `${id}.${lang}.mp3`);
      expect(existsSync(file), `${file} is missing; ${regenerate}`).toBe(true);
      expect(statSync(file).size).toBe(track?.bytes);
      total += statSync(file).size;
    }
    expect(total).toBeLessThanOrEqual(SCENARIO_BUDGET_BYTES);
  });

  it('lays its takes out without overlap, with silence between them', () => {
    for (const lang of VOICE_LANGUAGES) {
      const windows = Object.values(manifest?.languages[lang].clips ?? {})
        .flatMap((clips) => MOOD_BAND_IDS.flatMap((band) => (clips[band] ? [clips[band]] : [])))
        .sort((a, b) => a[0] - b[0]);
      windows.forEach((window, i) => {
        expect(window[1]).toBeGreaterThan(0);
        const next = windows[i + 1];
        if (next) expect(window[0] + window[1]).toBeLessThanOrEqual(next[0]);
      });
    }
  });
});

describe('the voices folder', () => {
  it('holds audio only for scenarios that exist', () => {
    const ids = new Set(readScenarios(join(root, 'scenarios')).map((entry) => entry.scenario?.id ?? entry.file.replace(/^.*\/|\.json$/g, '')));
    const stray = manifests.map((m) => m.scenarioId).filter((id) => !ids.has(id));
    expect(stray, `voices for scenarios that are gone; ${regenerate}`).toEqual([]);
  });

  it('keeps the manifests in the format the game reads', () => {
    for (const manifest of manifests) {
      expect(manifest.formatVersion).toBe(1);
      expect(JSON.parse(readFileSync(join(root, VOICES_DIR, `${manifest.scenarioId}.json`), 'utf8'))).toEqual(manifest);
      expect(manifest.synthesis.pitch).toBeGreaterThan(0);
    }
  });
});
