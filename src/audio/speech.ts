/**
 * The optional setting that lets the browser's own speech synthesis read caller lines, where it has
 * a voice for the language (zh-CN or English). Pitch and rate follow the caller; rate and pitch
 * rise with the mood, as the recorded takes do.
 */
import type { SynthesisProfile, VoiceLanguage } from './manifest';

/** The part of `window.speechSynthesis` used here. */
export interface SpeechSynthesisLike {
  getVoices(): { lang: string; name: string; default?: boolean }[];
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
}

export type UtteranceFactory = (text: string) => SpeechSynthesisUtterance;

function matches(voiceLang: string, lang: VoiceLanguage): boolean {
  const tag = voiceLang.toLowerCase().replace('_', '-');
  return lang === 'zh-CN' ? tag === 'zh-cn' || tag === 'zh' || tag.startsWith('zh-hans') || tag === 'cmn-cn' : tag === 'en' || tag.startsWith('en-');
}

export class SpeechVoice {
  constructor(
    private readonly synthesis: SpeechSynthesisLike | null,
    private readonly utterance: UtteranceFactory | null,
  ) {}

  /** Whether the browser has a voice for this language (voices can appear after page load). */
  available(lang: VoiceLanguage): boolean {
    if (!this.synthesis || !this.utterance) return false;
    return this.synthesis.getVoices().some((v) => matches(v.lang, lang));
  }

  /** Speaks a line; `onEnd` runs when it finishes, fails or is cancelled. Returns false if it cannot. */
  say(text: string, lang: VoiceLanguage, profile: SynthesisProfile, mood: number, onEnd: () => void): boolean {
    if (!this.synthesis || !this.utterance) return false;
    const voice = this.synthesis.getVoices().find((v) => matches(v.lang, lang) && v.default) ?? this.synthesis.getVoices().find((v) => matches(v.lang, lang));
    if (!voice) return false;
    const heat = Math.min(1, Math.max(0, mood / 100));
    const utterance = this.utterance(text);
    utterance.lang = lang;
    utterance.voice = voice as SpeechSynthesisVoice;
    utterance.pitch = Math.min(2, profile.pitch * (1 + 0.15 * heat));
    utterance.rate = Math.min(10, profile.rate * (1 + 0.2 * heat));
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      onEnd();
    };
    utterance.onend = finish;
    utterance.onerror = finish;
    this.synthesis.cancel();
    this.synthesis.speak(utterance);
    return true;
  }

  cancel(): void {
    this.synthesis?.cancel();
  }
}
