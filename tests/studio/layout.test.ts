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

  it('keeps where the trainer placed the cards (`layout`, after the nodes): it checks, round-trips, and a bad place is an error', () => {
    const practice = JSON.parse(readFileSync(join(DIR, 'practice-call.json'), 'utf8')) as { nodes: { id: string }[] };
    const layout = Object.fromEntries(practice.nodes.map((n, i) => [n.id, { y: 40 + 130 * i, x: 40 }]));
    const placed = { layout, ...practice };
    const written = scenarioText(placed);
    expect(written.indexOf('"layout"')).toBeGreaterThan(written.indexOf('"nodes"'));
    expect(written).toContain('"x": 40,\n      "y": 40');
    expect(JSON.parse(written)).toEqual(placed);
    expect(scenarioText(JSON.parse(written))).toBe(written);
    expect(checkScenario(written, { structureOnly: true }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bad = checkScenario(JSON.stringify({ ...practice, layout: { [practice.nodes[0]!.id]: { x: 'left', y: 1 } } }), { structureOnly: true });
    expect(bad.diagnostics.some((d) => d.severity === 'error' && d.path.startsWith('$.layout'))).toBe(true);
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
