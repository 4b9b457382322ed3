/**
 * The levels every sound is made to, and the ranges the tests hold the committed files to.
 * Loudness in LUFS (BS.1770 integrated), peaks in dBFS measured on the decoded MP3.
 */
import type { DeskSound, MoodBand } from '../../src/audio/manifest';

/** No decoded sample may come closer to full scale than this (MP3 adds a little overshoot). */
export const PEAK_CEILING_DB = -1;
/** What the generator limits to before encoding, leaving room for that overshoot. */
export const PEAK_TARGET_DB = -3;

/** Caller voices: the heated take is louder on purpose; every other difference is evened out. */
export const VOICE_LOUDNESS: Record<MoodBand, number> = { calm: -20, heated: -17 };

/**
 * The desk. `null` loudness: a click too short for loudness to mean anything; its peak is checked.
 * The ambience sits far under the voice: it is the room, not a sound to listen to.
 */
export const DESK_LOUDNESS: Record<DeskSound, number | null> = {
  ring: -18,
  'pick-up': null,
  'hang-up': null,
  'hold-music': -24,
  ambience: -40,
  'ui-choice': -26,
  'ui-good': -24,
  'ui-bad': -24,
  'ui-pass': -22,
  'ui-fail': -22,
};

/** Peak window for clicks, whose loudness is not measured. */
export const CLICK_PEAK_RANGE_DB: readonly [number, number] = [-12, PEAK_CEILING_DB];

/** How far a decoded file may sit from its target loudness. */
export const LOUDNESS_TOLERANCE_LU = 2;

/** Budget per scenario, both languages together (the game loads one language at a time). */
export const SCENARIO_BUDGET_BYTES = 2 * 1024 * 1024;

/** Encoding: mono MP3, decoded by every major browser; telephone speech needs little. */
export const VOICE_RATE_HZ = 16_000;
export const VOICE_KBPS = 24;
/** The lowest rate a long call is allowed to drop to (LAME keeps the 3.4 kHz band at 16 kbps). */
export const VOICE_MIN_KBPS = 16;
export const DESK_RATE_HZ = 22_050;
export const DESK_KBPS = 48;

/** Silence between clips in a sprite, longer than the MP3 coder's delay so windows never overlap. */
export const SPRITE_GAP_MS = 200;
/** Extra silence each sprite window keeps after its clip, covering the decoder's delay. */
export const SPRITE_TAIL_MS = 100;
