/**
 * Who each caller sounds like. The scenario names a voice key (`caller.voice`); this table turns it
 * into espeak-ng settings, so the gamer, the old lady, the drunk and the abuser never sound alike.
 */
import type { MoodBand, SynthesisProfile, VoiceLanguage } from '../../src/audio/manifest';

export interface VoiceProfile {
  /** espeak-ng variant (`+f2`, `+grandma`…): formants, breath, roughness. */
  variant: string;
  /** espeak-ng pitch, 0–99 (50 is the voice's normal). */
  pitch: number;
  /** Speaking rate as a share of the language's normal rate. */
  rate: number;
  /** Extra silence between words, in 10 ms units (espeak-ng -g): slow, deliberate or slurred speech. */
  wordGap: number;
  /** Drunken pitch wobble, in cents (0 for none). */
  wobbleCents: number;
  /** The browser speech-synthesis equivalent, for the trainee who picks it. */
  synthesis: SynthesisProfile;
  /** One line of who this is, for the generated docs. */
  who: string;
}

/** espeak-ng voices per language; Mandarin reads its dictionary's pinyin as pinyin, not English. */
export const ESPEAK_VOICE: Record<VoiceLanguage, string> = { 'zh-CN': 'cmn-latn-pinyin', en: 'en-gb' };

/** Words per minute at rate 1. Mandarin is counted in syllables, so it needs a higher figure. */
export const BASE_WPM: Record<VoiceLanguage, number> = { 'zh-CN': 250, en: 165 };

export const VOICES: Record<string, VoiceProfile> = {
  practice: { variant: 'f2', pitch: 60, rate: 1.05, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 1.15, rate: 1.05 }, who: 'polite woman in a hurry' },
  gamer: { variant: 'm3', pitch: 56, rate: 1.15, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 1.05, rate: 1.2 }, who: 'brash young man, fast' },
  charge: { variant: 'm1', pitch: 42, rate: 0.95, wordGap: 1, wobbleCents: 0, synthesis: { pitch: 0.9, rate: 0.95 }, who: 'middle-aged man worried about his bill' },
  abuser: { variant: 'm7', pitch: 30, rate: 1.1, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 0.7, rate: 1.15 }, who: 'rough low man, loud' },
  elderly: { variant: 'grandma', pitch: 66, rate: 0.8, wordGap: 3, wobbleCents: 0, synthesis: { pitch: 1.3, rate: 0.8 }, who: 'lonely old lady, slow' },
  drunk: { variant: 'm2', pitch: 38, rate: 0.85, wordGap: 4, wobbleCents: 45, synthesis: { pitch: 0.8, rate: 0.8 }, who: 'drunk man, slurred and wobbling' },
  timetable: { variant: 'm5', pitch: 48, rate: 1.0, wordGap: 1, wobbleCents: 0, synthesis: { pitch: 1.0, rate: 1.0 }, who: 'precise man checking every train' },
  resident: { variant: 'm4', pitch: 40, rate: 1.08, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 0.85, rate: 1.1 }, who: 'angry man in his fifties, clipped' },
  manner: { variant: 'grandpa', pitch: 40, rate: 0.9, wordGap: 2, wobbleCents: 0, synthesis: { pitch: 0.85, rate: 0.9 }, who: 'retired teacher in his sixties, measured and stern' },
  claim: { variant: 'f3', pitch: 46, rate: 1.08, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 1.0, rate: 1.05 }, who: 'bakery owner in her forties, brisk and businesslike' },
  parcel: { variant: 'f5', pitch: 64, rate: 1.15, wordGap: 0, wobbleCents: 0, synthesis: { pitch: 1.2, rate: 1.15 }, who: 'young office worker, a woman, talks fast and jumps about' },
};

/** An unknown voice key still gets a voice (and a warning), so a new caller is never silent. */
export const FALLBACK_VOICE = 'practice';

/** How a mood band changes the delivery: the heated take is faster, higher, louder and pushed. */
export const BAND_DELIVERY: Record<MoodBand, { rate: number; pitch: number; amplitude: number; loudnessOffset: number }> = {
  calm: { rate: 1, pitch: 0, amplitude: 100, loudnessOffset: 0 },
  heated: { rate: 1.15, pitch: 8, amplitude: 160, loudnessOffset: 3 },
};

export function voiceProfile(key: string): { profile: VoiceProfile; known: boolean } {
  const profile = VOICES[key];
  if (profile) return { profile, known: true };
  return { profile: VOICES[FALLBACK_VOICE] as VoiceProfile, known: false };
}
