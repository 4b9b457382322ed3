/**
 * The game's sound port (src/game/sound-port.ts), played by Howler through CallAudio. The game
 * plugs it in with `setSoundPort(howlerSoundPort(createGameAudio()))`.
 */
import type { SoundPort } from '../game/sound-port';
import type { CallAudio, LineTexts } from './call-audio';
import { isVoiceLanguage } from './call-audio';
import type { VoiceLanguage } from './manifest';
import { loadLineTexts } from './assets';

export interface SoundPortOptions {
  /** The language the trainee reads in: its voices load first when a scenario is prepared. */
  language?: () => VoiceLanguage;
  /** Caption texts of a scenario's lines, for speech synthesis (loaded only when it is chosen). */
  texts?: (scenarioId: string) => Promise<LineTexts>;
}

export function howlerSoundPort(audio: CallAudio, options: SoundPortOptions = {}): SoundPort {
  const language = options.language ?? (() => 'zh-CN' as VoiceLanguage);
  const texts = options.texts ?? loadLineTexts;
  return {
    async prepare(scenarioId) {
      // The texts are wanted for speech synthesis: the trainee's choice, or a line with no recorded take yet.
      const lines = await texts(scenarioId).catch(() => new Map());
      await audio.scenario(scenarioId, language(), lines);
    },
    ring: () => audio.ring(),
    pickUp: () => audio.pickUp(),
    hangUp: () => audio.hangUp(),
    line(lineId, lang, mood) {
      if (isVoiceLanguage(lang)) audio.speak(lineId, lang, mood);
    },
    stopLine: () => audio.stopLine(),
    hold: (on) => audio.hold(on),
    ui: (kind) => audio.ui(kind),
    setVolume: (volume) => audio.setVolume(volume),
    setVoices: (on) => audio.setVoice(on),
    onMissingVoice: (listener) => audio.onEvent((event) => {
      if (event.type === 'missing') listener(event.key, event.synthesised);
    }),
  };
}
