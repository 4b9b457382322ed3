/** The checker's diagnostics in Chinese: every code has a sentence and a hint, filled with the ids the checker names. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from '../../src/engine/index';
import { diagnosticText } from '../../src/shared/diagnostic-text';

const ASCII_IN_CHINESE = /[\u3400-\u9fff][,:;?!]|[,:;?!][\u3400-\u9fff]/;
const make = (code: DiagnosticCode, message: string): Diagnostic => ({ code, name: DIAGNOSTIC_CODES[code].name, severity: DIAGNOSTIC_CODES[code].severity, path: '$', message, hint: DIAGNOSTIC_CODES[code].hint });

describe('diagnostics in zh-CN', () => {
  it('has a Chinese sentence and hint for every code, in full-width punctuation', () => {
    for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
      const text = diagnosticText(make(code, 'node "a" and "b"'), 'zh-CN');
      expect(text.message, code).toMatch(/[\u4e00-\u9fff]/);
      expect(text.hint, code).toMatch(/[\u4e00-\u9fff]/);
      expect(ASCII_IN_CHINESE.test(text.message) || ASCII_IN_CHINESE.test(text.hint), code).toBe(false);
      expect(text.message, code).not.toMatch(/\{\w+\}/);
    }
  });

  it('names what the checker named', () => {
    const { diagnostics } = checkScenario(readFileSync(join(__dirname, '../fixtures/bad/missing-node.json'), 'utf8'));
    const missing = diagnostics.find((d) => d.code === 'HTL030') as Diagnostic;
    const target = /"([^"]+)"/.exec(missing.message)?.[1] as string;
    expect(diagnosticText(missing, 'zh-CN').message).toBe(`指向的节点“${target}”不存在。`);
    expect(diagnosticText(make('HTL037', 'the en text is missing'), 'zh-CN').message).toBe('缺少英文文本。');
    expect(diagnosticText(make('HTL044', 'decision "greet" offers only 2 option(s)'), 'zh-CN').message).toBe('决策“greet”只有 2 个选项。');
    expect(diagnosticText(make('HTL047', 'always choosing the first option passes (resolved, 90%)'), 'zh-CN').message).toBe('总是选第一个选项也能通过。');
    expect(diagnosticText(make('HTL048', 'a player choosing at random passes 3.5% of 2000 plays (more than 1%)'), 'zh-CN').message).toBe('随便乱选也有 3.5% 的机会通过。');
  });

  it('keeps the checker\'s English as it is', () => {
    const d = make('HTL030', 'next names node "x", which does not exist');
    expect(diagnosticText(d, 'en')).toEqual({ message: d.message, hint: d.hint, detail: null });
  });
});
