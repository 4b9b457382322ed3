/**
 * Chinese interface text takes full-width punctuation. Every zh-CN string of the interface's tables
 * (the desk, the results panel, the dashboard) is held to the scenario checker's rule (HTL050: no
 * ASCII , : ; ? ! ( ) next to a Chinese character) and to the stricter rule for interface sentences
 * (none at all outside placeholders, digits and URLs); and every 'zh-CN' string literal in src/ is
 * scanned the same way, so a table added later is covered too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asciiPunctuationInChinese, asciiPunctuationInChineseUi } from '../../src/engine/check/punctuation';
import { labelled, STRINGS } from '../../src/game/i18n';
import { WORDS as PANEL_WORDS } from '../../src/game/net/results-panel';
import { OUTCOME_WORDS, WORDS as DASHBOARD_WORDS } from '../../src/dashboard/i18n';

const ROOT = join(import.meta.dirname, '..', '..');

function slips(table: Record<string, { 'zh-CN'?: string }>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(table)) {
    const zh = value['zh-CN'];
    if (typeof zh !== 'string') continue;
    const near = asciiPunctuationInChinese(zh);
    if (near) out.push(`${key}: “${near.excerpt}” (HTL050)`);
    for (const s of asciiPunctuationInChineseUi(zh)) out.push(`${key}: “${s.excerpt}” has an ASCII ${s.mark}`);
  }
  return out;
}

describe('Chinese interface text: full-width punctuation', () => {
  it('the rules find what they should', () => {
    expect(asciiPunctuationInChinese('沉默:答复时间已到。')?.mark).toBe(':');
    expect(asciiPunctuationInChinese('喂?你还在吗')?.mark).toBe('?');
    expect(asciiPunctuationInChinese('直接查询(不说话)')?.mark).toBe('(');
    expect(asciiPunctuationInChinese('沉默：答复时间已到。')).toBeNull();
    // Between a digit and an arrow: only the interface rule sees it.
    expect(asciiPunctuationInChinese('数字键 1–5,↑↓ 与 Enter')).toBeNull();
    expect(asciiPunctuationInChineseUi('数字键 1–5,↑↓ 与 Enter').map((s) => s.mark)).toEqual([',']);
    expect(asciiPunctuationInChineseUi('{total}%(及格线 {mark}%)').map((s) => s.mark)).toEqual(['(', ')']);
    expect(asciiPunctuationInChineseUi('{n|a,b} 在 10:30 打开 https://example.org,共 1,000 条').map((s) => s.excerpt)).toEqual(['le.org,共 1,000']);
    expect(asciiPunctuationInChineseUi('Hold the Line, or not?')).toEqual([]);
  });

  it('the desk, its results panel and the dashboard', () => {
    expect(slips(STRINGS)).toEqual([]);
    expect(slips(PANEL_WORDS)).toEqual([]);
    expect(slips(DASHBOARD_WORDS)).toEqual([]);
    expect(slips(OUTCOME_WORDS)).toEqual([]);
  });

  it("every 'zh-CN' string literal in src/", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(ROOT, 'src'));
    const literal = /'zh-CN'\s*:\s*'((?:[^'\\\n]|\\.)*)'|say\('((?:[^'\\\n]|\\.)*)'/g;
    const found: string[] = [];
    let scanned = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(literal)) {
        const zh = match[1] ?? match[2] ?? '';
        scanned++;
        const line = text.slice(0, match.index).split('\n').length;
        for (const s of asciiPunctuationInChineseUi(zh)) found.push(`${relative(ROOT, file)}:${line}: “${s.excerpt}” has an ASCII ${s.mark}`);
      }
    }
    expect(scanned).toBeGreaterThan(150);
    expect(found).toEqual([]);
  });

  it('joins a label and its value with the colon of the language (the debrief\'s ending, the menu\'s settings)', () => {
    const zh = labelled('zh-CN', STRINGS['debrief.ending']['zh-CN'], '客服先挂机');
    expect(zh).toBe('结局：客服先挂机');
    expect(asciiPunctuationInChineseUi(zh)).toEqual([]);
    expect(labelled('en', STRINGS['debrief.ending'].en, 'Agent hung up')).toBe('Ending: Agent hung up');
  });
});
