import { describe, expect, it } from 'vitest';
import { clampLines, segments, wrapLines } from '../../src/game/ui/wrap';

// A fixed-pitch stand-in for canvas measureText: CJK characters are twice as wide as Latin ones.
const measure = (s: string) => Array.from(s).reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 20 : 10), 0);

describe('wrapLines', () => {
  it('breaks Chinese text between characters, never wider than the line', () => {
    const text = '您好,这里是10010客服中心,我是8号话务员,请问有什么可以帮您?我理解您的心情,非常抱歉给您带来不好的体验。';
    const lines = wrapLines(text, 200, measure);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(200);
    expect(lines.join('')).toBe(text);
  });

  it('never starts a line with closing punctuation nor ends one with an opening mark', () => {
    const text = '“您好”,请问您是在哪里查到扣费的?（营业厅）还是短信?“我不知道”。';
    for (const width of [60, 80, 100, 120, 140, 160]) {
      for (const line of wrapLines(text, width, measure)) {
        expect('，。、；：？！）」』”’…,.;:?!)'.includes(line[0] ?? '')).toBe(false);
        expect('（「『“‘('.includes(line[line.length - 1] ?? '')).toBe(false);
      }
    }
  });

  it('keeps English words whole and breaks only a word longer than the line', () => {
    const lines = wrapLines('Certainly, one moment please. Supercalifragilisticexpialidocious!', 120, measure);
    expect(lines).toContain('Certainly,');
    expect(lines.every((l) => measure(l) <= 120)).toBe(true);
    expect(lines.join('').replace(/\s/g, '')).toBe('Certainly,onemomentplease.Supercalifragilisticexpialidocious!');
  });

  it('keeps explicit line breaks', () => {
    expect(wrapLines('one\ntwo', 500, measure)).toEqual(['one', 'two']);
  });

  it('with a limit, stops past it, the lines up to it as without one, and measures less', () => {
    const text = '您好,这里是10010客服中心,我是8号话务员,请问有什么可以帮您?我理解您的心情,非常抱歉给您带来不好的体验。\nA second paragraph.';
    let calls = 0;
    const counted = (s: string) => (calls++, measure(s));
    const all = wrapLines(text, 120, counted);
    const allCalls = calls;
    calls = 0;
    const first = wrapLines(text, 120, counted, 2);
    expect(first).toHaveLength(3);
    expect(first).toEqual(all.slice(0, 3));
    expect(calls).toBeLessThan(allCalls / 2);
    expect(clampLines(first, 2, measure, 120)).toEqual(clampLines(all, 2, measure, 120));
    expect(wrapLines('one\ntwo', 500, measure, 2)).toEqual(['one', 'two']);
  });

  it('splits mixed text into unbreakable pieces', () => {
    expect(segments('请拨17951再拨号。')).toEqual(['请', '拨', '17951', '再', '拨', '号。']);
  });
});

describe('clampLines', () => {
  it('cuts to the limit and ends the last line with an ellipsis that fits', () => {
    const lines = clampLines(['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'], 2, measure, 100);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    expect(measure(lines[1] ?? '')).toBeLessThanOrEqual(100);
  });
  it('leaves short text alone', () => {
    expect(clampLines(['a'], 3, measure, 100)).toEqual(['a']);
  });
});
