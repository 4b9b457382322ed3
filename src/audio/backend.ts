/**
 * The part of Howler the audio module uses, as structural types: the real `howler` module fits
 * them, and so does the fake the unit tests drive.
 */

export type SpriteMap = Record<string, [number, number] | [number, number, boolean]>;

export type HowlEvent = 'load' | 'loaderror' | 'playerror' | 'play' | 'end' | 'stop' | 'fade';

export interface HowlOptionsLike {
  src: string[];
  sprite?: SpriteMap;
  volume?: number;
  preload?: boolean;
  html5?: boolean;
  format?: string[];
  onloaderror?: (soundId: number, error: unknown) => void;
  onplayerror?: (soundId: number, error: unknown) => void;
}

export interface HowlLike {
  play(sprite?: string | number): number;
  stop(id?: number): this;
  fade(from: number, to: number, duration: number, id?: number): this;
  volume(volume: number, id: number): this;
  rate(rate: number, id?: number): this;
  loop(loop: boolean, id?: number): this;
  playing(id?: number): boolean;
  state(): 'unloaded' | 'loading' | 'loaded';
  once(event: HowlEvent, callback: (soundId: number) => void, id?: number): this;
  off(event: HowlEvent, callback?: (soundId: number) => void, id?: number): this;
  unload(): null;
}

export interface HowlerGlobalLike {
  volume(volume: number): unknown;
  mute(muted: boolean): unknown;
}

export interface HowlerModule {
  Howl: new (options: HowlOptionsLike) => HowlLike;
  Howler: HowlerGlobalLike;
}
