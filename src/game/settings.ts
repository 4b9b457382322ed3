/** The trainee's preferences, kept in the browser in a versioned record. */
import { browserLanguage, UI_LANGUAGES, type Language } from './i18n';

export const SETTINGS_FORMAT = 1 as const;
export const SETTINGS_KEY = 'hold-the-line.settings';

export const CAPTION_SIZES = ['small', 'medium', 'large'] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number];
/** How much bigger the caller's captions and the transcript are drawn. */
export const CAPTION_SCALE: Record<CaptionSize, number> = { small: 1, medium: 1.15, large: 1.35 };

export const VOLUME_STEPS = [0, 0.25, 0.5, 0.75, 1] as const;

export interface Settings {
  language: Language;
  /** 0 (off) to 1. */
  volume: number;
  captionSize: CaptionSize;
  reducedMotion: boolean;
  /** The callers' recorded voices; captions carry the call either way. */
  voices: boolean;
}

export interface Environment {
  languages: readonly string[];
  prefersReducedMotion: boolean;
}

export function defaultSettings(env: Environment): Settings {
  return { language: browserLanguage(env.languages), volume: 0.75, captionSize: 'medium', reducedMotion: env.prefersReducedMotion, voices: true };
}

/** Reads what was stored, keeping each field that is still valid and defaulting the rest. */
export function parseSettings(raw: string | null, env: Environment): Settings {
  const defaults = defaultSettings(env);
  if (!raw) return defaults;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return defaults;
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== SETTINGS_FORMAT) return defaults;
  const v = value as Partial<Record<keyof Settings, unknown>>;
  return {
    language: (UI_LANGUAGES as readonly unknown[]).includes(v.language) ? (v.language as Language) : defaults.language,
    volume: typeof v.volume === 'number' && v.volume >= 0 && v.volume <= 1 ? v.volume : defaults.volume,
    captionSize: (CAPTION_SIZES as readonly unknown[]).includes(v.captionSize) ? (v.captionSize as CaptionSize) : defaults.captionSize,
    reducedMotion: typeof v.reducedMotion === 'boolean' ? v.reducedMotion : defaults.reducedMotion,
    voices: typeof v.voices === 'boolean' ? v.voices : defaults.voices,
  };
}

export function serialiseSettings(settings: Settings): string {
  return JSON.stringify({ format: SETTINGS_FORMAT, ...settings });
}

type Listener = (settings: Settings) => void;

/** The settings as the scenes see them: read, change, and hear about changes. */
export class SettingsStore {
  private current: Settings;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
    env: Environment,
  ) {
    let raw: string | null = null;
    try {
      raw = storage?.getItem(SETTINGS_KEY) ?? null;
    } catch {
      // Storage can be blocked (private mode, policy): play on with defaults.
    }
    this.current = parseSettings(raw, env);
  }

  get value(): Readonly<Settings> {
    return this.current;
  }

  update(change: Partial<Settings>): void {
    this.current = { ...this.current, ...change };
    try {
      this.storage?.setItem(SETTINGS_KEY, serialiseSettings(this.current));
    } catch {
      // Not remembered, but still applied for this session.
    }
    for (const listener of this.listeners) listener(this.current);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function nextInCycle<T>(values: readonly T[], current: T): T {
  const index = values.indexOf(current);
  return values[(index + 1) % values.length] as T;
}
