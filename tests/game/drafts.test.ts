/**
 * A caller file marked `"status": "draft"` is for its trainer only: the build's menu view carries
 * the status (so the catalogue can leave drafts off the menu, and a file without one builds), and
 * the server's list of callers for trainees and leads leaves drafts out.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHash, menuFields, menuPlugin } from '../../src/dev/menu-plugin';
import { checkScenario, scenarioHash } from '../../src/engine/index';
import { ScenarioCatalogue } from '../../src/server/scenarios';

const dir = mkdtempSync(join(tmpdir(), 'htl-drafts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const practice = readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8');

describe('drafts', () => {
  it('the menu view of a file has its status, "published" when the file says nothing', () => {
    const published = menuFields(practice);
    expect(published).toMatchObject({ id: 'practice-call', status: 'published', caller: { portrait: 'practice' } });
    expect(Object.keys(published).sort()).toEqual(['caller', 'difficulty', 'fileHash', 'id', 'status', 'summary', 'title']);
    // The hash the server's live list gives the same file: the menu tells a caller the page was built with from a changed one.
    expect(published.fileHash).toBe(fileHash(practice));
    expect(fileHash(`${practice} `)).not.toBe(published.fileHash);
    expect(menuFields(JSON.stringify({ ...JSON.parse(practice), status: 'draft' })).status).toBe('draft');
    // Half-written: no id, so the menu skips it.
    expect(menuFields('{"id": "half').id).toBeNull();
  });

  it('the build plugin answers only for the menu view of a JSON file', () => {
    const file = join(dir, 'new-caller.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(practice), id: 'new-caller', status: 'draft' }));
    const load = menuPlugin().load as (id: string) => string | null;
    expect(JSON.parse(load(`${file}?menu.json`) ?? 'null')).toMatchObject({ id: 'new-caller', status: 'draft' });
    expect(load(`${file}?raw`)).toBeNull();
    expect(load(file)).toBeNull();
    expect(load(`${join(dir, 'missing.json')}?menu.json`)).toBeNull();
  });

  it('the server lists no draft to trainees and leads, but still scores an attempt on one', async () => {
    const { scenario } = checkScenario(practice, { structureOnly: true });
    if (!scenario) throw new Error('practice-call does not check');
    const draft = { ...scenario, id: 'new-caller', status: 'draft' as const };
    const catalogue = new ScenarioCatalogue([
      { hash: scenarioHash(scenario), scenario, file: 'practice-call.json' },
      { hash: scenarioHash(draft), scenario: draft, file: 'new-caller.json' },
    ]);
    expect(catalogue.list().map((s) => s.id)).toEqual(['practice-call']);
    expect(catalogue.current.has('new-caller')).toBe(true);
  });
});
