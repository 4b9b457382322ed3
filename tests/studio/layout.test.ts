/** The studio's written layout: every shipped caller round-trips (file → studio → file → studio) unchanged. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario, scenarioSchema } from '../../src/engine/index';
import { orderKeys, scenarioText } from '../../src/engine/format/layout';

const DIR = join(__dirname, '../../scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));

describe('the studio layout of a caller file', () => {
  it.each(files)('%s: the same value, and saving it again writes the same text', (file) => {
    const original = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as unknown;
    const written = scenarioText(original);
    // Nothing added or dropped (no defaults filled in), only keys reordered.
    expect(JSON.parse(written)).toEqual(original);
    expect(scenarioText(JSON.parse(written))).toBe(written);
    expect(written.endsWith('}\n')).toBe(true);
    expect(checkScenario(written, { structureOnly: true }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('writes keys in the order the schema declares them, unknown keys last', () => {
    const text = scenarioText({ nodes: [{ choices: [{ next: 'b', id: 'x', text: { en: 'Hi', 'zh-CN': '你好' } }], kind: 'decision', id: 'a' }], id: 'demo', formatVersion: 1, extra: true });
    expect(text.indexOf('"formatVersion"')).toBeLessThan(text.indexOf('"id": "demo"'));
    expect(text.indexOf('"id": "demo"')).toBeLessThan(text.indexOf('"nodes"'));
    expect(text.indexOf('"nodes"')).toBeLessThan(text.indexOf('"extra"'));
    // Inside a decision: id, kind, then choices; inside a choice: id before text before next; zh-CN before en.
    expect(text.indexOf('"id": "a"')).toBeLessThan(text.indexOf('"kind": "decision"'));
    expect(text.indexOf('"id": "x"')).toBeLessThan(text.indexOf('"text"'));
    expect(text.indexOf('"text"')).toBeLessThan(text.indexOf('"next": "b"'));
    expect(text.indexOf('"zh-CN"')).toBeLessThan(text.indexOf('"en": "Hi"'));
    expect(text).toContain('\n  "formatVersion": 1,\n');
  });

  it('leaves a value that is not a scenario as it is', () => {
    expect(orderKeys([1, 'a'], scenarioSchema)).toEqual([1, 'a']);
    expect(orderKeys(null, scenarioSchema)).toBeNull();
    expect(orderKeys({ nodes: [{ kind: 'nonsense', b: 1, a: 2 }] }, scenarioSchema)).toEqual({ nodes: [{ kind: 'nonsense', b: 1, a: 2 }] });
  });
});
