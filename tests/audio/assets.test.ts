/**
 * The game finds the generated audio through Vite: the desk sprite, and every scenario's voice
 * manifest and files, by the ids the game knows the scenarios by.
 */
import { describe, expect, it } from 'vitest';
import { deskManifest, deskUrl, loadVoices } from '../../src/audio/assets';
import { readVoiceManifests } from '../../scripts/make-audio/check';
import { join } from 'node:path';

const ids = readVoiceManifests(join(import.meta.dirname, '../..')).map((m) => m.scenarioId);

describe('audio assets in the build', () => {
  it('resolves the desk sprite', () => {
    expect(deskManifest.file).toBe('desk.mp3');
    expect(deskUrl()).toMatch(/desk.*\.mp3/);
  });

  it.each(ids)('loads the voices of %s with a URL per language', async (id) => {
    const voices = await loadVoices(id);
    expect(voices?.manifest.scenarioId).toBe(id);
    expect(voices?.urls['zh-CN']).toMatch(new RegExp(`${id}\\.zh-CN.*\\.mp3`));
    expect(voices?.urls.en).toMatch(new RegExp(`${id}\\.en.*\\.mp3`));
  });

  it('has no voices for a scenario it does not know', async () => {
    expect(await loadVoices('no-such-caller')).toBeNull();
  });
});

describe('caption texts for speech synthesis', () => {
  it('reads the spoken lines of a scenario, narration left out, the silence line in', async () => {
    const { loadLineTexts } = await import('../../src/audio/assets');
    const texts = await loadLineTexts('practice-call');
    expect(texts.get('practice.ask.1')?.['zh-CN']).toMatch(/医院/);
    expect(texts.get('practice.silence')?.en).toBeTruthy();
    expect(await loadLineTexts('no-such-caller')).toEqual(new Map());
  });
});
