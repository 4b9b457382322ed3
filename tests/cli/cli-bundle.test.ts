import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build, without types
import { buildCli, ROOT, staleReason } from '../../scripts/cli-bundle.mjs';

const work = mkdtempSync(join(tmpdir(), 'htl-cli-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the prebuilt scenario CLI', () => {
  it('is used only while every file it was built from is unchanged', async () => {
    const out = join(work, 'cli');
    expect(staleReason(out)).toBe('no bundle built');
    await buildCli(out);
    expect(staleReason(out)).toBeNull();
    const manifestFile = join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { hashes: Record<string, string>; stats: Record<string, [number, number]> };
    expect(Object.keys(manifest.hashes)).toEqual(expect.arrayContaining(['src/cli/scenario.ts', 'src/engine/check/validate.ts', 'node_modules/zod/package.json', 'package-lock.json']));
    // A file touched but not changed is read and found the same; one changed is found out.
    manifest.stats['src/engine/check/validate.ts'] = [0, 0];
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(staleReason(out)).toBeNull();
    manifest.hashes['src/engine/check/validate.ts'] = '0'.repeat(40);
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(staleReason(out)).toBe('src/engine/check/validate.ts changed');
    rmSync(join(out, 'scenario.mjs'));
    expect(staleReason(out)).toBe('scenario.mjs is missing');
  }, 60_000);

  it('runs as npm run scenario does, from the bundle and from the source alike', () => {
    for (const env of [{}, { HTL_CLI_SOURCE: '1' }]) {
      const child = spawnSync(process.execPath, ['bin/scenario.mjs', 'validate', 'scenarios/practice-call.json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
      expect([child.status, child.stdout.trim().split('\n').pop()]).toEqual([0, '1 file(s) checked: 0 error(s), 0 warning(s)']);
    }
  }, 60_000);
});
