/**
 * What the desk asks of sound. The scenes call this port and nothing else; the default does
 * nothing, and the audio module plugs Howler in behind it with `setSoundPort`. Captions are always
 * drawn, so sound is never the only channel.
 */
import type { Language } from './i18n';

export type UiSound = 'choice' | 'good' | 'bad' | 'pass' | 'fail';

export interface SoundPort {
  /** A scenario was chosen: load its voices (may resolve later; the call does not wait). */
  prepare(scenarioId: string): Promise<void>;
  ring(): void;
  pickUp(): void;
  hangUp(): void;
  /** The caller says a line; `mood` lets the voice sound calmer or more heated. */
  line(lineId: string, language: Language, mood: number): void;
  /** Stop the caller mid-line (the trainee skipped, or the call ended). */
  stopLine(): void;
  hold(on: boolean): void;
  ui(kind: UiSound): void;
  /** 0 to 1. */
  setVolume(volume: number): void;
  /** Whether the callers' voices play (the desk's sounds do either way). */
  setVoices(on: boolean): void;
  /**
   * Tells `listener` of each caller line that has no recorded take yet (read by the browser's
   * speech synthesis when `synthesised`); returns the unsubscribe.
   */
  onMissingVoice?(listener: (lineId: string, synthesised: boolean) => void): () => void;
}

export const silentSoundPort: SoundPort = {
  prepare: async () => undefined,
  ring: () => undefined,
  pickUp: () => undefined,
  hangUp: () => undefined,
  line: () => undefined,
  stopLine: () => undefined,
  hold: () => undefined,
  ui: () => undefined,
  setVolume: () => undefined,
  setVoices: () => undefined,
};

let current: SoundPort = silentSoundPort;

export function setSoundPort(port: SoundPort): void {
  current = port;
}

export function sound(): SoundPort {
  return current;
}
