/**
 * The audio manifests: what `npm run assets:audio` writes next to the sound files and what the audio
 * module reads. Plain data shared by the generator (Node), the game (browser) and the tests.
 */

export const AUDIO_MANIFEST_VERSION = 1 as const;

/** Languages the callers speak in; the same ids as the scenario format's. */
export const VOICE_LANGUAGES = ['zh-CN', 'en'] as const;
export type VoiceLanguage = (typeof VOICE_LANGUAGES)[number];

/**
 * How heated the caller sounds. A line is rendered once per band it can be heard in (the generator
 * walks the call's states to find out), so a line only the furious caller says has no calm take.
 */
export const MOOD_BANDS = {
  calm: { minMood: 0 },
  heated: { minMood: 60 },
} as const;
export type MoodBand = keyof typeof MOOD_BANDS;
export const MOOD_BAND_IDS = Object.keys(MOOD_BANDS) as MoodBand[];

export function moodBand(mood: number): MoodBand {
  return mood >= MOOD_BANDS.heated.minMood ? 'heated' : 'calm';
}

/** The desk's sounds: the phone, the line, the room and the interface. */
export const DESK_SOUNDS = {
  ring: { loop: false },
  'pick-up': { loop: false },
  'hang-up': { loop: false },
  'hold-music': { loop: true },
  ambience: { loop: true },
  'ui-choice': { loop: false },
  'ui-good': { loop: false },
  'ui-bad': { loop: false },
  'ui-pass': { loop: false },
  'ui-fail': { loop: false },
} as const;
export type DeskSound = keyof typeof DESK_SOUNDS;
export const DESK_SOUND_IDS = Object.keys(DESK_SOUNDS) as DeskSound[];

/** A Howler sprite window: start and length in milliseconds of the decoded file. */
export type SpriteWindow = [startMs: number, durationMs: number];

export interface DeskManifest {
  formatVersion: typeof AUDIO_MANIFEST_VERSION;
  /** File name relative to `assets/audio/`. */
  file: string;
  bytes: number;
  sounds: Record<DeskSound, SpriteWindow>;
}

/** Where a caller line sits in a language's sprite, per mood band it can be heard in. */
export type LineClips = Partial<Record<MoodBand, SpriteWindow>>;

export interface VoiceTrack {
  /** File name relative to `assets/audio/voices/`. */
  file: string;
  bytes: number;
  clips: Record<string, LineClips>;
}

/** Pitch and rate for the browser's own speech synthesis, when the trainee prefers it. */
export interface SynthesisProfile {
  /** 0–2, 1 normal (SpeechSynthesisUtterance.pitch). */
  pitch: number;
  /** 0.1–10, 1 normal (SpeechSynthesisUtterance.rate). */
  rate: number;
}

export interface VoiceManifest {
  formatVersion: typeof AUDIO_MANIFEST_VERSION;
  scenarioId: string;
  /** The caller's voice key (`caller.voice`). */
  voice: string;
  synthesis: SynthesisProfile;
  /** Hash of everything the audio was made from; a stale manifest shows here first. */
  sourceHash: string;
  languages: Record<VoiceLanguage, VoiceTrack>;
}

/** The clip to play for a line at a mood: the band's own take, else the nearest one there is. */
export function clipFor(clips: LineClips | undefined, mood: number): { band: MoodBand; window: SpriteWindow } | null {
  if (!clips) return null;
  const wanted = moodBand(mood);
  const order: MoodBand[] = wanted === 'heated' ? ['heated', 'calm'] : ['calm', 'heated'];
  for (const band of order) {
    const window = clips[band];
    if (window) return { band, window };
  }
  return null;
}

/** The Howler sprite key of a line's take. */
export function spriteKey(lineId: string, band: MoodBand): string {
  return `${lineId}@${band}`;
}
