/**
 * Which lines get a voice: every spoken caller line wherever the format keeps it (node lines, a
 * decision's own silence line, the scenario's silence line), narration never; and the mood bands
 * a line is heard in come from the plays that reach it.
 */
import { describe, expect, it } from 'vitest';
import { scenarioSchema, type ScenarioInput } from '../../src/engine/format/schema';
import { lineTexts, spokenLinesOf } from '../../src/audio/line-texts';
import { planLines } from '../../scripts/make-audio/lines';
import { speechText } from '../../scripts/make-audio/speech-text';

const text = (en: string) => ({ 'zh-CN': en, en });
const choice = (id: string, next: string, mood = 0) => ({ id, text: text(id), next, mood, feedback: text(id) });

const input: ScenarioInput = {
  formatVersion: 1,
  id: 'lines-test',
  title: text('t'),
  summary: text('s'),
  source: 'test',
  difficulty: 1,
  passMark: 50,
  caller: { name: text('c'), persona: text('p'), portrait: 'practice', voice: 'practice', mood: 20, moodLimit: 100, onMoodLimit: 'end' },
  timing: { silence: { mood: 0, line: { id: 'x.silence', text: text('Hello?') } } },
  start: 'open',
  nodes: [
    { id: 'open', kind: 'caller', lines: [{ id: 'x.open', text: text('Hi') }, { id: 'x.sigh', text: text('(sighs)'), narration: true }], next: 'ask' },
    {
      id: 'ask',
      kind: 'decision',
      lines: [{ id: 'x.ask', text: text('Well?') }],
      silenceLine: { id: 'x.ask.silence', text: text('Are you there?') },
      choices: [choice('calm', 'calmed', -10), choice('rude', 'angry', 60)],
    },
    { id: 'calmed', kind: 'caller', lines: [{ id: 'x.calmed', text: text('Thanks') }], next: 'end' },
    { id: 'angry', kind: 'caller', lines: [{ id: 'x.angry', text: text('How dare you') }], next: 'end' },
    { id: 'end', kind: 'ending', outcome: 'resolved', title: text('e'), summary: text('e'), lines: [{ id: 'x.bye', text: text('Bye') }] },
  ],
};
const scenario = scenarioSchema.parse(input);

describe('spoken lines', () => {
  it('finds node lines, a decision’s silence line and the scenario’s silence line, and leaves narration out', () => {
    expect(spokenLinesOf(scenario).map((l) => l.id).sort()).toEqual(['x.angry', 'x.ask', 'x.ask.silence', 'x.bye', 'x.calmed', 'x.open', 'x.silence']);
    expect(lineTexts(scenario).get('x.ask.silence')).toEqual({ 'zh-CN': 'Are you there?', en: 'Are you there?' });
  });

  it('makes a heated take only for lines some play hears heated, and a calm one only where calm', () => {
    const bands = Object.fromEntries(planLines(scenario).map((l) => [l.id, l.bands]));
    expect(bands['x.open']).toEqual(['calm']);
    expect(bands['x.angry']).toEqual(['heated']);
    expect(bands['x.calmed']).toEqual(['calm']);
    expect(bands['x.bye']).toEqual(['calm', 'heated']);
  });
});

describe('what the voice reads', () => {
  it('reads phone and service numbers digit by digit, and amounts as numbers', () => {
    expect(speechText('请拨10010查询', 'zh-CN')).toBe('请拨 幺零零幺零 查询');
    expect(speechText('一共120元', 'zh-CN')).toBe('一共120元');
    expect(speechText('Dial 17951 first', 'en')).toBe('Dial one seven nine five one first');
    expect(speechText('It cost 1.3 yuan, not 300 yuan', 'en')).toBe('It cost 1.3 yuan, not 300 yuan');
    expect(speechText('他说“正在处理”', 'zh-CN')).toBe('他说 正在处理');
  });
});
