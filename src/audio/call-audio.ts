/**
 * What the trainee hears during a call: the phone, the caller, the desk. Scenes call this through
 * the game's sound port; it knows nothing of the engine's states, only of sounds to start and stop.
 *
 * Nothing touches Howler before the trainee's first gesture: creating a Howl (or setting Howler's
 * volume) makes an AudioContext, and one made before a gesture is what browsers warn about.
 */
import type { HowlLike, HowlerModule, SpriteMap } from './backend';
import {
  DESK_SOUNDS,
  DESK_SOUND_IDS,
  MOOD_BAND_IDS,
  VOICE_LANGUAGES,
  clipFor,
  spriteKey,
  type DeskManifest,
  type DeskSound,
  type VoiceLanguage,
  type VoiceManifest,
} from './manifest';
import { clampVolume, type AudioSettings, type SettingsStore, type SpeechSource } from './settings';
import type { SpeechVoice } from './speech';

export const UI_CUES = ['choice', 'good', 'bad', 'pass', 'fail'] as const;
export type UiCue = (typeof UI_CUES)[number];

/** Volumes inside the mix (the master volume is the trainee's). */
export const MIX = {
  ambience: 0.9,
  /** The room under a speaking caller: about 12 dB down. */
  ambienceDucked: 0.22,
  holdMusic: 0.85,
  ring: 1,
  clicks: 0.9,
  ui: 0.8,
  /** Voice volume at mood 0; it rises to 1 at mood 100 on top of the heated take's own loudness. */
  voiceCalm: 0.85,
} as const;

export const FADE_MS = { duck: 150, unduck: 500, holdIn: 800, holdOut: 400, ambienceOut: 1500 } as const;

/** After hangUp, the click waits this long for the caller's last words, and this long after each. */
export const HANG_UP_MS = { settle: 300, afterLine: 700 } as const;

/** How long a line may wait for its language's file to load before it is dropped (captions carry it). */
export const LINE_LOAD_WAIT_MS = 2000;

/** What the module reports as it plays; the game's tests and debug views listen. */
export type AudioEvent =
  | { type: 'unlocked' }
  | { type: 'play'; sound: DeskSound | 'line'; key: string; id: number }
  | { type: 'end'; sound: DeskSound | 'line'; key: string; id: number }
  | { type: 'stop'; sound: DeskSound | 'line'; key: string; id: number }
  | { type: 'speak'; key: string }
  | { type: 'skip'; key: string; reason: string }
  /** A line with no recorded take yet (a new line, or a caller whose voices are not made): read by speech synthesis where the browser can. */
  | { type: 'missing'; key: string; synthesised: boolean }
  | { type: 'duck'; ducked: boolean }
  | { type: 'error'; message: string };

export interface VoiceSource {
  manifest: VoiceManifest;
  /** URL of each language's sprite file. */
  urls: Record<VoiceLanguage, string>;
}

export interface CallAudioDeps {
  /** Loads Howler; called once, after the first gesture. */
  howler: () => Promise<HowlerModule>;
  desk: { manifest: DeskManifest; url: string };
  /** Finds a scenario's voices; null when the scenario has none. */
  voices: (scenarioId: string) => Promise<VoiceSource | null>;
  settings: SettingsStore;
  speech?: SpeechVoice;
}

/** The caller lines' texts by id, for speech synthesis. */
export type LineTexts = Map<string, Partial<Record<VoiceLanguage, string>>>;

interface CurrentLine {
  key: string;
  id: number | null;
  howl: HowlLike | null;
  speaking: boolean;
}

interface VoiceTrackState {
  howl: HowlLike;
  loaded: Promise<boolean>;
}

export class CallAudio {
  private howler: HowlerModule | null = null;
  private unlocking: Promise<void> | null = null;
  private desk: HowlLike | null = null;
  private voice: VoiceSource | null = null;
  private voiceRequest: Promise<VoiceSource | null> = Promise.resolve(null);
  /** Whether this caller's voices are still being fetched, were found, or were never made. */
  private voiceState: 'loading' | 'loaded' | 'none' = 'none';
  private scenarioId: string | null = null;
  private texts: LineTexts = new Map();
  private readonly tracks = new Map<VoiceLanguage, VoiceTrackState>();
  private ambienceId: number | null = null;
  private ringId: number | null = null;
  private holdId: number | null = null;
  private line: CurrentLine | null = null;
  private ducked = false;
  private mood = 0;
  /** The language lines were last asked for: its file is the one to load first. */
  private language: VoiceLanguage = 'zh-CN';
  private lineSerial = 0;
  private hangingUp = false;
  private hangUpTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(event: AudioEvent) => void>();

  constructor(private readonly deps: CallAudioDeps) {
    deps.settings.subscribe((settings) => this.apply(settings));
  }

  get unlocked(): boolean {
    return this.howler !== null;
  }

  settings(): AudioSettings {
    return this.deps.settings.get();
  }

  onEvent(listener: (event: AudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AudioEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Called on the first user gesture: loads Howler, applies the settings, loads the desk. */
  unlock(): Promise<void> {
    this.unlocking ??= this.deps.howler().then(
      (howler) => {
        this.howler = howler;
        this.apply(this.deps.settings.get());
        const { manifest, url } = this.deps.desk;
        const sprite: SpriteMap = {};
        for (const id of DESK_SOUND_IDS) {
          const [start, duration] = manifest.sounds[id];
          sprite[id] = DESK_SOUNDS[id].loop ? [start, duration, true] : [start, duration];
        }
        this.desk = this.create(url, sprite).howl;
        if (this.voice) this.track(this.language);
        this.emit({ type: 'unlocked' });
      },
      (error: unknown) => this.emit({ type: 'error', message: `audio could not start: ${String(error)}` }),
    );
    return this.unlocking;
  }

  private create(url: string, sprite: SpriteMap): { howl: HowlLike; loaded: Promise<boolean> } {
    const Howl = (this.howler as HowlerModule).Howl;
    let settle: (ok: boolean) => void = () => undefined;
    const loaded = new Promise<boolean>((resolve) => (settle = resolve));
    const howl = new Howl({
      src: [url],
      format: ['mp3'],
      sprite,
      preload: true,
      onloaderror: (_id, error) => {
        this.emit({ type: 'error', message: `could not load ${url}: ${String(error)}` });
        settle(false);
      },
      onplayerror: (_id, error) => this.emit({ type: 'error', message: `could not play ${url}: ${String(error)}` }),
    });
    howl.once('load', () => settle(true));
    if (howl.state() === 'loaded') settle(true);
    return { howl, loaded };
  }

  /**
   * The call's scenario: its voices load now (the language in use first), so the first line is
   * ready when the phone is answered. `texts` feeds speech synthesis when the trainee chooses it.
   */
  scenario(scenarioId: string, lang: VoiceLanguage, texts: LineTexts = new Map()): Promise<void> {
    this.language = lang;
    this.texts = texts;
    if (this.scenarioId === scenarioId) {
      if (this.unlocked && this.voice) this.track(lang);
      return this.voiceRequest.then(() => undefined);
    }
    this.scenarioId = scenarioId;
    this.stopLine();
    for (const state of this.tracks.values()) state.howl.unload();
    this.tracks.clear();
    this.voice = null;
    this.voiceState = 'loading';
    this.voiceRequest = this.deps.voices(scenarioId).then(
      (voice) => {
        if (this.scenarioId !== scenarioId) return null;
        this.voice = voice;
        this.voiceState = voice ? 'loaded' : 'none';
        if (voice && this.unlocked) this.track(lang);
        return voice;
      },
      (error: unknown) => {
        this.emit({ type: 'error', message: `no voices for ${scenarioId}: ${String(error)}` });
        return null;
      },
    );
    return this.voiceRequest.then(() => undefined);
  }

  /** The sprite of a language, created on first use. */
  private track(lang: VoiceLanguage): VoiceTrackState | null {
    const existing = this.tracks.get(lang);
    if (existing) return existing;
    if (!this.voice || !this.howler) return null;
    const sprite: SpriteMap = {};
    for (const [lineId, clips] of Object.entries(this.voice.manifest.languages[lang].clips)) {
      for (const band of MOOD_BAND_IDS) {
        const window = clips[band];
        if (window) sprite[spriteKey(lineId, band)] = [window[0], window[1]];
      }
    }
    const created = this.create(this.voice.urls[lang], sprite);
    const state = { howl: created.howl, loaded: created.loaded };
    this.tracks.set(lang, state);
    return state;
  }

  /** The caller's anger, 0–100: picks the calm or heated take and lifts the voice as it rises. */
  setMood(mood: number): void {
    this.mood = Math.min(100, Math.max(0, mood));
  }

  private playDesk(sound: DeskSound, volume: number): number | null {
    if (!this.desk) return null;
    const id = this.desk.play(sound);
    this.desk.volume(volume, id);
    this.emit({ type: 'play', sound, key: sound, id });
    if (!DESK_SOUNDS[sound].loop) this.desk.once('end', () => this.emit({ type: 'end', sound, key: sound, id }), id);
    return id;
  }

  private stopDesk(sound: DeskSound, id: number | null): void {
    if (!this.desk || id === null) return;
    this.desk.stop(id);
    this.emit({ type: 'stop', sound, key: sound, id });
  }

  /** The room: starts with the first ring and runs through the call. */
  private startAmbience(): void {
    if (this.ambienceId !== null || !this.desk) return;
    this.ambienceId = this.playDesk('ambience', this.ducked ? MIX.ambienceDucked : MIX.ambience);
  }

  /** One ring of the phone, each time the engine counts one. */
  ring(): void {
    this.cancelHangUp();
    this.startAmbience();
    if (this.ringId !== null) this.stopDesk('ring', this.ringId);
    this.ringId = this.playDesk('ring', MIX.ring);
  }

  pickUp(): void {
    this.cancelHangUp();
    this.stopDesk('ring', this.ringId);
    this.ringId = null;
    this.startAmbience();
    this.playDesk('pick-up', MIX.clicks);
  }

  /** The call is over, whoever ended it: everything on the line stops and the room fades. */
  hangUp(): void {
    this.stopDesk('ring', this.ringId);
    this.ringId = null;
    this.hold(false);
    this.hangingUp = true;
    this.scheduleHangUp(HANG_UP_MS.settle);
  }

  /**
   * The line goes dead once the caller has had his last words: the engine ends the call as it
   * enters the ending, and the ending's lines are said after that. The click waits until no line
   * has played for a moment. (To cut the caller off, the scene calls stopLine first.)
   */
  private scheduleHangUp(ms: number): void {
    if (this.hangUpTimer !== null) clearTimeout(this.hangUpTimer);
    this.hangUpTimer = setTimeout(() => {
      this.hangUpTimer = null;
      if (this.line === null) this.finishHangUp();
    }, ms);
  }

  private cancelHangUp(): void {
    if (this.hangUpTimer !== null) clearTimeout(this.hangUpTimer);
    this.hangUpTimer = null;
    this.hangingUp = false;
  }

  private finishHangUp(): void {
    this.hangingUp = false;
    this.playDesk('hang-up', MIX.clicks);
    const ambience = this.ambienceId;
    if (ambience !== null && this.desk) {
      const desk = this.desk;
      desk.fade(this.ducked ? MIX.ambienceDucked : MIX.ambience, 0, FADE_MS.ambienceOut, ambience);
      desk.once('fade', () => this.stopDesk('ambience', ambience), ambience);
    }
    this.ambienceId = null;
    this.ducked = false;
  }

  /** Hold music in the handset while the caller is on hold. */
  hold(on: boolean): void {
    if (!this.desk) return;
    if (on && this.holdId === null) {
      this.stopLine();
      const id = this.playDesk('hold-music', 0);
      if (id !== null) this.desk.fade(0, MIX.holdMusic, FADE_MS.holdIn, id);
      this.holdId = id;
    } else if (!on && this.holdId !== null) {
      const id = this.holdId;
      const desk = this.desk;
      desk.fade(MIX.holdMusic, 0, FADE_MS.holdOut, id);
      desk.once('fade', () => this.stopDesk('hold-music', id), id);
      this.holdId = null;
    }
  }

  ui(cue: UiCue): void {
    this.playDesk(`ui-${cue}`, MIX.ui);
  }

  private duck(on: boolean): void {
    // A line starting or ending moves a pending hang-up on: it comes after the caller's last word.
    if (this.hangingUp) {
      if (on && this.hangUpTimer !== null) {
        clearTimeout(this.hangUpTimer);
        this.hangUpTimer = null;
      }
      if (!on) this.scheduleHangUp(HANG_UP_MS.afterLine);
    }
    if (this.ducked === on) return;
    this.ducked = on;
    this.emit({ type: 'duck', ducked: on });
    if (!this.desk || this.ambienceId === null) return;
    const [from, to] = on ? [MIX.ambience, MIX.ambienceDucked] : [MIX.ambienceDucked, MIX.ambience];
    this.desk.fade(from, to, on ? FADE_MS.duck : FADE_MS.unduck, this.ambienceId);
  }

  /**
   * A caller line. Plays the take for the caller's mood in the language asked for; stops a line
   * still playing (a caller does not talk over himself). Voice off, or no take: nothing plays and
   * the caption carries the line.
   */
  speak(lineId: string, lang: VoiceLanguage, mood: number = this.mood): void {
    this.setMood(mood);
    this.language = lang;
    // The room stays ducked from one line to the next; it comes back up only if nothing plays.
    this.stopLine(true);
    const settings = this.deps.settings.get();
    if (!settings.voice) return this.skip(lineId, 'voice off');
    if (settings.speech === 'synthesis' && !settings.muted && this.speakSynthesised(lineId, lang)) return;
    const clips = this.voice?.manifest.languages[lang].clips[lineId];
    const clip = clipFor(clips, this.mood);
    // No take was ever made for this line (a new line, or a caller whose voices are not made yet):
    // the browser's speech synthesis reads it, and the desk says the recorded voice is missing.
    if (!clip && (this.voiceState === 'none' || this.voiceState === 'loaded')) {
      const synthesised = !settings.muted && this.speakSynthesised(lineId, lang);
      this.emit({ type: 'missing', key: lineId, synthesised });
      if (!synthesised) this.skip(lineId, 'no recorded take for this line yet');
      return;
    }
    if (!this.unlocked) return this.skip(lineId, 'audio not unlocked yet');
    const track = clip ? this.track(lang) : null;
    if (!clip || !track) return this.skip(lineId, this.voice ? 'no take for this line' : 'no voices loaded');
    const key = spriteKey(lineId, clip.band);
    const serial = ++this.lineSerial;
    const line: CurrentLine = { key, id: null, howl: track.howl, speaking: false };
    this.line = line;
    this.duck(true);
    const start = (): void => {
      if (this.lineSerial !== serial || this.line !== line) return;
      const id = track.howl.play(key);
      line.id = id;
      track.howl.volume(this.voiceVolume(), id);
      this.emit({ type: 'play', sound: 'line', key, id });
      track.howl.once('end', () => {
        this.emit({ type: 'end', sound: 'line', key, id });
        if (this.line === line) {
          this.line = null;
          this.duck(false);
        }
      }, id);
    };
    if (track.howl.state() === 'loaded') return start();
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LINE_LOAD_WAIT_MS));
    void Promise.race([track.loaded, timeout]).then((ready) => {
      if (ready) return start();
      if (this.line === line) {
        this.line = null;
        this.skip(key, 'voices still loading');
      }
    });
  }

  private voiceVolume(): number {
    // The heated take is already louder; within a band the voice still rises a little with anger.
    const lift = (1 - MIX.voiceCalm) * (this.mood / 100);
    return clampVolume(MIX.voiceCalm + lift);
  }

  private speakSynthesised(lineId: string, lang: VoiceLanguage): boolean {
    const speech = this.deps.speech;
    const text = this.texts.get(lineId)?.[lang];
    if (!speech || !text || !speech.available(lang)) return false;
    const line: CurrentLine = { key: lineId, id: null, howl: null, speaking: true };
    const profile = this.voice?.manifest.synthesis ?? { pitch: 1, rate: 1 };
    this.line = line;
    this.duck(true);
    const started = speech.say(text, lang, profile, this.mood, () => {
      if (this.line === line) {
        this.line = null;
        this.duck(false);
      }
    });
    if (!started) {
      this.line = null;
      this.duck(false);
      return false;
    }
    this.emit({ type: 'speak', key: lineId });
    return true;
  }

  private skip(key: string, reason: string): void {
    this.duck(false);
    this.emit({ type: 'skip', key, reason });
  }

  /** Stops the caller mid-line (the call ended, or the trainee turned voices off). */
  stopLine(keepDucked = false): void {
    const line = this.line;
    if (!line) return;
    this.line = null;
    this.lineSerial++;
    if (line.speaking) this.deps.speech?.cancel();
    if (line.howl && line.id !== null) {
      line.howl.stop(line.id);
      this.emit({ type: 'stop', sound: 'line', key: line.key, id: line.id });
    }
    if (!keepDucked) this.duck(false);
  }

  setVolume(volume: number): void {
    this.deps.settings.update({ volume: clampVolume(volume) });
  }

  setMuted(muted: boolean): void {
    this.deps.settings.update({ muted });
  }

  setVoice(voice: boolean): void {
    this.deps.settings.update({ voice });
  }

  setSpeech(speech: SpeechSource): void {
    this.deps.settings.update({ speech });
  }

  /** Whether the browser could read lines itself in this language (for the settings panel). */
  synthesisAvailable(lang: VoiceLanguage): boolean {
    return this.deps.speech?.available(lang) ?? false;
  }

  private apply(settings: AudioSettings): void {
    if (!settings.voice) this.stopLine();
    if (settings.speech === 'recorded' && this.line?.speaking) this.stopLine();
    if (!this.howler) return;
    this.howler.Howler.volume(settings.volume);
    this.howler.Howler.mute(settings.muted);
    if (settings.muted) this.deps.speech?.cancel();
  }

  /** Everything stops and every file is let go (leaving the game). */
  dispose(): void {
    this.cancelHangUp();
    this.stopLine();
    for (const state of this.tracks.values()) state.howl.unload();
    this.tracks.clear();
    this.desk?.unload();
    this.desk = null;
    this.ambienceId = this.ringId = this.holdId = null;
  }
}

export const isVoiceLanguage = (lang: string): lang is VoiceLanguage => (VOICE_LANGUAGES as readonly string[]).includes(lang);
