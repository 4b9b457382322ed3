import { describe, expect, it } from 'vitest';
import { browserLanguage, pick, t, UI_LANGUAGES } from '../../src/game/i18n';
import { parseSettings, serialiseSettings, SettingsStore, SETTINGS_KEY, nextInCycle } from '../../src/game/settings';

const env = { languages: ['zh-TW', 'en'], prefersReducedMotion: true };

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('settings', () => {
  it('default from the browser: Chinese for any zh locale, reduced motion when the system asks', () => {
    expect(parseSettings(null, env)).toMatchObject({ language: 'zh-CN', reducedMotion: true });
    expect(browserLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(browserLanguage(['fr-FR'])).toBe('en');
    expect(browserLanguage(['zh-Hant-HK'])).toBe('zh-CN');
  });

  it('are remembered, and a changed one reaches the listeners', () => {
    const storage = memoryStorage();
    const store = new SettingsStore(storage, env);
    const heard: string[] = [];
    store.subscribe((s) => heard.push(s.language));
    store.update({ language: 'en', captionSize: 'large' });
    expect(heard).toEqual(['en']);
    const again = new SettingsStore(storage, env);
    expect(again.value).toMatchObject({ language: 'en', captionSize: 'large' });
  });

  it('keep each valid field of a damaged record and default the rest', () => {
    const raw = JSON.stringify({ format: 1, language: 'fr', volume: 0.5, captionSize: 'huge', reducedMotion: false });
    expect(parseSettings(raw, env)).toEqual({ language: 'zh-CN', volume: 0.5, captionSize: 'medium', reducedMotion: false, voices: true });
    expect(parseSettings('{not json', env).language).toBe('zh-CN');
    expect(parseSettings(JSON.stringify({ format: 99, language: 'en' }), env).language).toBe('zh-CN');
    expect(parseSettings(serialiseSettings({ language: 'en', volume: 1, captionSize: 'small', reducedMotion: true, voices: false }), env)).toEqual({ language: 'en', volume: 1, captionSize: 'small', reducedMotion: true, voices: false });
  });

  it('survive storage that refuses to work', () => {
    const broken = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); } };
    const store = new SettingsStore(broken, env);
    store.update({ volume: 0 });
    expect(store.value.volume).toBe(0);
    expect(SETTINGS_KEY).toMatch(/hold-the-line/);
  });

  it('cycle through their values', () => {
    expect(nextInCycle(['a', 'b', 'c'], 'c')).toBe('a');
  });
});

describe('interface text', () => {
  it('fills parameters and falls back to the other language for scenario text', () => {
    expect(t('en', 'call.ring', { n: 3 })).toBe('Ring 3');
    expect(t('zh-CN', 'call.ring', { n: 3 })).toBe('第 3 声');
    expect(pick({ en: 'Hello' }, 'zh-CN')).toBe('Hello');
    expect(pick(undefined, 'en')).toBe('');
  });
  it('exists in both languages for every key', async () => {
    const { t: translate } = await import('../../src/game/i18n');
    const source = await import('node:fs').then((fs) => fs.readFileSync(new URL('../../src/game/i18n.ts', import.meta.url), 'utf8'));
    const keys = [...source.matchAll(/^\s+'([a-z]+\.[\w.-]+)': \{/gm)].map((m) => m[1] as Parameters<typeof translate>[1]);
    expect(keys.length).toBeGreaterThan(50);
    for (const key of keys) for (const language of UI_LANGUAGES) expect(translate(language, key).trim(), `${key} ${language}`).not.toBe('');
  });
});
