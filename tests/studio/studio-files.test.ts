/** Saving callers for the studio: only into the scenarios folder, only checked JSON, in the stable layout. */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scenarioText } from '../../src/engine/format/layout';
import { callerFile, listCallers, readCaller, saveCaller, StudioFileError } from '../../src/server/studio-files';

const SHIPPED = join(__dirname, '../../scenarios');
let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'htl-studio-'));
  dir = join(root, 'scenarios');
  cpSync(SHIPPED, dir, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const practice = () => JSON.parse(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8')) as Record<string, unknown>;
const refusal = (run: () => unknown): StudioFileError => {
  try {
    run();
  } catch (error) {
    if (error instanceof StudioFileError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('caller files for the studio', () => {
  it('refuses an attacker\'s path and writes nothing outside the folder', () => {
    const before = readdirSync(root).sort();
    for (const id of ['../../x', '../x', 'a/b', '..', '.hidden', 'x.json', 'UPPER', '', 'a'.repeat(81), '%2e%2e', 'x\u0000y']) {
      expect(refusal(() => saveCaller(dir, id, JSON.stringify({ ...practice(), id }))).status).toBe(400);
      expect(() => callerFile(dir, id)).toThrow(StudioFileError);
      expect(() => readCaller(dir, id)).toThrow(StudioFileError);
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(existsSync(join(root, '..', 'x.json'))).toBe(false);
  });

  it('refuses text that is not JSON, not an object, or names another id', () => {
    expect(refusal(() => saveCaller(dir, 'practice-call', '{"formatVersion": 1,')).message).toMatch(/not valid JSON/);
    expect(refusal(() => saveCaller(dir, 'practice-call', '[1,2]')).status).toBe(400);
    expect(refusal(() => saveCaller(dir, 'practice-call', JSON.stringify({ ...practice(), id: 'someone-else' }))).message).toMatch(/must agree/);
    expect(readFileSync(join(dir, 'practice-call.json'), 'utf8')).toBe(readFileSync(join(SHIPPED, 'practice-call.json'), 'utf8'));
  });

  it('refuses a caller with checker errors, with the diagnostics', () => {
    const broken = { ...practice(), start: 'nowhere' };
    const error = refusal(() => saveCaller(dir, 'practice-call', JSON.stringify(broken)));
    expect(error.status).toBe(422);
    expect(error.diagnostics?.map((d) => d.code)).toContain('HTL030');
  });

  it('writes a good caller in the stable layout and lists it with its status', () => {
    const draft = { ...practice(), id: 'my-draft', status: 'draft' };
    const answer = saveCaller(dir, 'my-draft', JSON.stringify(draft), root);
    expect(answer).toMatchObject({ file: 'scenarios/my-draft.json', status: 'draft' });
    expect(readFileSync(join(dir, 'my-draft.json'), 'utf8')).toBe(scenarioText(draft));
    expect(readCaller(dir, 'my-draft')).toBe(scenarioText(draft));
    expect(listCallers(dir).find((c) => c.id === 'my-draft')).toMatchObject({ status: 'draft', file: 'my-draft.json' });
    expect(listCallers(dir).find((c) => c.id === 'practice-call')?.status).toBe('published');
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
});
