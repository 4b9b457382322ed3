/**
 * The trainee's sound settings, kept across reloads in localStorage under a versioned key. A value
 * that is missing, from another version or malformed falls back to the default field by field.
 */

export const AUDIO_SETTINGS_KEY = 'hold-the-line.audio.v1';

export const SPEECH_SOURCES = ['recorded', 'synthesis'] as const;
export type SpeechSource = (typeof SPEECH_SOURCES)[number];

export interface AudioSettings {
  /** Master volume, 0–1. */
  volume: number;
  muted: boolean;
  /** Caller voices on; off leaves the captions to carry the call. */
  voice: boolean;
  /** Recorded voices, or the browser's own speech synthesis where it has a voice for the language. */
  speech: SpeechSource;
}

export const DEFAULT_AUDIO_SETTINGS: Readonly<AudioSettings> = { volume: 0.8, muted: false, voice: true, speech: 'recorded' };

/** The part of Web Storage the settings need; throwing storage (private mode, quota) is tolerated. */
export type SettingsStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function parseSettings(text: string | null): AudioSettings {
  const settings = { ...DEFAULT_AUDIO_SETTINGS };
  if (!text) return settings;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return settings;
  }
  if (typeof value !== 'object' || value === null) return settings;
  const stored = value as Record<string, unknown>;
  if (typeof stored.volume === 'number' && Number.isFinite(stored.volume)) settings.volume = clampVolume(stored.volume);
  if (typeof stored.muted === 'boolean') settings.muted = stored.muted;
  if (typeof stored.voice === 'boolean') settings.voice = stored.voice;
  if (SPEECH_SOURCES.includes(stored.speech as SpeechSource)) settings.speech = stored.speech as SpeechSource;
  return settings;
}

export function clampVolume(volume: number): number {
  return Math.min(1, Math.max(0, volume));
}

export class SettingsStore {
  private current: AudioSettings;
  private readonly listeners = new Set<(settings: AudioSettings) => void>();

  constructor(private readonly storage: SettingsStorage | null) {
    let text: string | null = null;
    try {
      text = storage?.getItem(AUDIO_SETTINGS_KEY) ?? null;
    } catch {
      text = null;
    }
    this.current = parseSettings(text);
  }

  get(): AudioSettings {
    return { ...this.current };
  }

  update(change: Partial<AudioSettings>): AudioSettings {
    const next = parseSettings(JSON.stringify({ ...this.current, ...change }));
    this.current = next;
    try {
      this.storage?.setItem(AUDIO_SETTINGS_KEY, JSON.stringify(next));
    } catch {
      // Storage full or forbidden: the setting still holds for this visit.
    }
    for (const listener of this.listeners) listener({ ...next });
    return { ...next };
  }

  subscribe(listener: (settings: AudioSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
