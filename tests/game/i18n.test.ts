import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fill, t } from '../../src/game/i18n';
import { makeT } from '../../src/dashboard/i18n';

describe('the desk\'s words', () => {
  it('says "1 try" and "1 silence", and the plural otherwise', () => {
    expect(t('en', 'menu.attempts', { n: 1 })).toBe('1 try');
    expect(t('en', 'menu.attempts', { n: 2 })).toBe('2 tries');
    expect(t('en', 'menu.attempts', { n: 0 })).toBe('0 tries');
    expect(t('zh-CN', 'menu.attempts', { n: 1 })).toBe('练习 1 次');
    expect(t('en', 'debrief.facts', { ring: 2, silences: 1, duration: '1:05' })).toBe('Ring 2 · 1 silence · 1:05');
    expect(t('en', 'debrief.facts', { ring: 2, silences: 3, duration: '1:05' })).toBe('Ring 2 · 3 silences · 1:05');
    expect(t('en', 'live.menu', { count: 1 })).toBe('Choose a caller. 1 caller.');
    expect(t('en', 'live.menu', { count: 8 })).toBe('Choose a caller. 8 callers.');
  });

  it('leaves a placeholder without a value as it is', () => {
    expect(fill('{n} {n|try|tries} {x}', { n: 1 })).toBe('1 try {x}');
    expect(fill('{n|try|tries}', {})).toBe('{n|try|tries}');
  });

  it('names the meter for what it shows: anger rises as the caller gets angrier, in the call and the debrief', () => {
    expect(t('en', 'call.mood')).toBe('Anger');
    expect(t('zh-CN', 'call.mood')).toBe('怒气');
    expect(t('en', 'debrief.mood', { before: 20, after: 35 })).toBe('anger 20 → 35');
    expect(t('zh-CN', 'debrief.mood', { before: 20, after: 35 })).toBe('怒气 20 → 35');
  });

  it('the dashboard counts trainees and calls in the singular too', () => {
    expect(makeT('en')('cohort.stats', { trainees: 1, attempts: 1 })).toBe('1 trainee · 1 call');
    expect(makeT('en')('cohort.stats', { trainees: 4, attempts: 12 })).toBe('4 trainees · 12 calls');
    expect(makeT('zh-CN')('cohort.stats', { trainees: 1, attempts: 1 })).toBe('1 名学员 · 1 通电话');
  });
});

describe('the pages\' heads', () => {
  it('every page names an icon that exists (no favicon.ico 404)', () => {
    for (const page of ['index.html', 'dashboard.html', 'preview.html']) {
      const html = readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8');
      const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
      expect(href, page).toBeDefined();
      expect(() => readFileSync(new URL(`../../${href}`, import.meta.url)), `${page}: ${href}`).not.toThrow();
    }
  });
});
