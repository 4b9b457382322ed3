/**
 * The game's audio: Howler behind a small module. `createGameAudio()` wires the real pieces
 * (localStorage, Howler loaded on the first gesture, the built audio files, speech synthesis);
 * scenes use the returned CallAudio through the game's sound port.
 */
import type { HowlerModule } from './backend';
import { CallAudio, type AudioEvent } from './call-audio';
import { deskManifest, deskUrl, loadVoices } from './assets';
import { SettingsStore } from './settings';
import { SpeechVoice } from './speech';
import { onFirstGesture } from './unlock';

export { CallAudio, UI_CUES, type AudioEvent, type UiCue } from './call-audio';
export { AUDIO_SETTINGS_KEY, type AudioSettings, type SpeechSource } from './settings';
export type { VoiceLanguage } from './manifest';
export { lineTexts } from './line-texts';
export { howlerSoundPort } from './howler-sound-port';

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const loadHowler = async (): Promise<HowlerModule> => {
  const { Howl, Howler } = await import('howler');
  return { Howl, Howler };
};

declare global {
  interface Window {
    /** What the audio played, when the page was opened with `?audio-log` (end-to-end tests). */
    __holdTheLineAudioLog?: (AudioEvent & { at: number })[];
    /** The audio module itself, with `?audio-log`: its settings (mute, voice) for the tests to flip. */
    __holdTheLineAudio?: CallAudio;
  }
}

export function createGameAudio(): CallAudio {
  const synthesis = typeof speechSynthesis === 'undefined' ? null : speechSynthesis;
  const utterance = typeof SpeechSynthesisUtterance === 'undefined' ? null : (text: string) => new SpeechSynthesisUtterance(text);
  const audio = new CallAudio({
    howler: loadHowler,
    desk: { manifest: deskManifest, url: deskUrl() },
    voices: loadVoices,
    settings: new SettingsStore(browserStorage()),
    speech: new SpeechVoice(synthesis, utterance),
  });
  if (typeof window !== 'undefined') {
    if (new URLSearchParams(window.location.search).has('audio-log')) {
      const log: (AudioEvent & { at: number })[] = [];
      window.__holdTheLineAudioLog = log;
      window.__holdTheLineAudio = audio;
      audio.onEvent((event) => log.push({ ...event, at: Math.round(performance.now()) }));
    }
    onFirstGesture(window, () => void audio.unlock());
  }
  return audio;
}
