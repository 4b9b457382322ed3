/** The studio's document: undo and redo, keystrokes merged per field, renames that follow every reference. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioText } from '../../src/engine/format/layout';
import { edgesOf, freshId, History, knownFlags, renameNode, type Draft } from '../../src/studio/doc';

const practice = () => JSON.parse(readFileSync(join(__dirname, '../../scenarios/practice-call.json'), 'utf8')) as Draft;

describe('the studio document', () => {
  it('undoes and redoes every change, one step per field while typing', () => {
    const changes: string[] = [];
    const history = new History(practice(), (how) => changes.push(how));
    const original = scenarioText(history.doc);
    history.edit('$.title.en', (d) => (d.title = { ...d.title, en: 'W' }));
    history.edit('$.title.en', (d) => (d.title = { ...d.title, en: 'Wa' }));
    history.edit(null, (d) => (d.passMark = 50));
    expect(history.doc.title.en).toBe('Wa');
    history.undo();
    expect(history.doc.passMark).toBe(85);
    expect(history.doc.title.en).toBe('Wa');
    history.undo();
    expect(scenarioText(history.doc)).toBe(original);
    expect(history.canUndo).toBe(false);
    history.redo();
    history.redo();
    expect(history.doc.passMark).toBe(50);
    expect(history.canRedo).toBe(false);
    expect(changes).toEqual(['edit', 'edit', 'edit', 'history', 'history', 'history', 'history']);
  });

  it('renames a node everywhere it is named, and finds fresh ids', () => {
    const doc = practice();
    const target = doc.nodes.find((n) => n.kind === 'ending')?.id as string;
    const before = edgesOf(doc).filter((e) => e.to === target).length;
    expect(before).toBeGreaterThan(0);
    renameNode(doc, target, 'the-end');
    expect(edgesOf(doc).filter((e) => e.to === 'the-end')).toHaveLength(before);
    expect(edgesOf(doc).some((e) => e.to === target)).toBe(false);
    renameNode(doc, doc.start, 'first');
    expect(doc.start).toBe('first');
    expect(freshId(doc, 'first')).toBe('first-2');
    expect(freshId(doc, 'Brand New!')).toBe('brand-new');
    expect(knownFlags(doc)).toEqual([...knownFlags(doc)].sort());
  });
});
