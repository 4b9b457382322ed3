import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERIC_PORTRAIT, knownPortrait, packSection } from '../../src/game/assets';
import { catalog } from '../../src/game/catalog';
import { MOODS, PORTRAIT_KEYS } from '../../src/game/art/portraits';

const SCENARIOS = new URL('../../scenarios/', import.meta.url);

describe('the menu\'s catalogue', () => {
  it('offers every scenario file, the warm-up first, then by difficulty', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
    const entries = catalog();
    const published = files.map((f) => JSON.parse(readFileSync(new URL(f, SCENARIOS), 'utf8')) as { id: string; status?: string }).filter((s) => s.status !== 'draft');
    expect(entries.map((e) => e.id).sort()).toEqual(published.map((s) => s.id).sort());
    expect(entries[0]?.portrait).toBe('practice');
    const rest = entries.slice(1).map((e) => e.difficulty);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
  });

  it('loads a scenario\'s whole file only when asked', async () => {
    const entry = catalog().find((e) => e.id === 'practice-call');
    const text = await entry?.load();
    expect(JSON.parse(text ?? '{}').id).toBe('practice-call');
  });

  it('has a portrait in three moods for every caller a scenario names', () => {
    for (const entry of catalog()) expect(knownPortrait(entry.portrait), entry.id).toBe(entry.portrait);
    expect(knownPortrait('nobody-we-know')).toBe(GENERIC_PORTRAIT);
    expect(MOODS).toEqual(['calm', 'annoyed', 'angry']);
    const pack = JSON.parse(readFileSync(new URL('../../assets/art/pack.json', import.meta.url), 'utf8')) as Record<string, { files: { key: string; url: string }[] }>;
    const keys = new Set(Object.values(pack).flatMap((s) => s.files.map((f) => f.key)));
    for (const key of PORTRAIT_KEYS) for (const mood of MOODS) expect(keys.has(`portrait-${key}-${mood}`), `${key} ${mood}`).toBe(true);
    for (const file of Object.values(pack).flatMap((s) => s.files)) expect(readFileSync(new URL(`../../assets/art/${file.url}`, import.meta.url), 'utf8')).toMatch(/^<svg /);
    expect(packSection('menu')).toBeTruthy();
  });
});
