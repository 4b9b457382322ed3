/**
 * The PGlite folder keeps its promise: private modes, commits on the disk before they are
 * acknowledged, a single-writer lock the kernel drops with the process, and plain sentences for
 * unwritable files and a full disk.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainStorageError, openDb, pgliteSync, prepareDataDir } from '../../src/server/db';
import { lockDataDir, LOCK_FILE } from '../../src/server/lock';

const ROOT = join(import.meta.dirname, '../..');
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function modes(dir: string): { path: string; mode: string; dir: boolean }[] {
  const out: { path: string; mode: string; dir: boolean }[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    out.push({ path, mode: (stat.mode & 0o777).toString(8), dir: stat.isDirectory() });
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return out;
}

describe('the PGlite folder', () => {
  it('is 0700 with 0600 files, including files an older version left world-writable, and fsyncs every commit', async () => {
    const dataDir = join(tempDir('htl-modes-'), 'data');
    mkdirSync(join(dataDir, 'old'), { recursive: true, mode: 0o777 });
    writeFileSync(join(dataDir, 'old', 'left-over'), 'x', { mode: 0o666 });
    chmodSync(join(dataDir, 'old', 'left-over'), 0o666);
    process.umask(0o022);
    const db = await openDb({ dataDir });
    try {
      await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
      const settings = await db.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'wal_sync_method', 'synchronous_commit') ORDER BY name`);
      expect(settings).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
        { name: 'wal_sync_method', setting: 'fsync' },
      ]);
      // Each acknowledged commit called fsync(2) on a real file before the query returned.
      const before = pgliteSync.fsyncs;
      for (let i = 0; i < 5; i++) await db.query('INSERT INTO t VALUES ($1)', [i]);
      expect(pgliteSync.fsyncs - before).toBeGreaterThanOrEqual(5);
    } finally {
      await db.close();
    }
    const all = modes(dataDir);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((e) => e.dir && e.mode !== '700')).toEqual([]);
    expect(all.filter((e) => !e.dir && e.mode !== '600')).toEqual([]);
  }, 180_000);

  it('says the disk is too full to start, in words', () => {
    const dataDir = tempDir('htl-full-');
    const saved = process.env.MIN_FREE_MB;
    process.env.MIN_FREE_MB = String(1024 * 1024 * 1024); // a petabyte
    try {
      expect(() => prepareDataDir(dataDir)).toThrow(/the disk that holds .* has \d+ MB free; the database needs at least \d+ MB/);
    } finally {
      if (saved === undefined) delete process.env.MIN_FREE_MB;
      else process.env.MIN_FREE_MB = saved;
    }
    expect(explainStorageError({ errno: 51, name: 'ErrnoError' }, '/data').message).toMatch(/no space left on the disk\. Free some space/);
    expect(explainStorageError({ errno: 2, name: 'ErrnoError' }, '/data').message).toMatch(/permission denied/);
  });

  it('names the files it cannot write and how to fix it', () => {
    const dataDir = tempDir('htl-unwritable-');
    mkdirSync(join(dataDir, 'base'));
    writeFileSync(join(dataDir, 'base', '1259'), 'x');
    const script = `import('${join(ROOT, 'src/server/db.ts')}').then((m) => { try { m.prepareDataDir(${JSON.stringify(dataDir)}); console.log('opened'); } catch (e) { console.log(e.message); } })`;
    let run: ReturnType<typeof spawnSync>;
    if (process.getuid?.() === 0) {
      // root writes anything: the server runs as another user, to whom one file is not writable.
      chownSync(dataDir, 65534, 65534);
      chownSync(join(dataDir, 'base'), 65534, 65534);
      chmodSync(join(dataDir, 'base', '1259'), 0o644);
      run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
    } else {
      chmodSync(join(dataDir, 'base', '1259'), 0o444);
      chmodSync(join(dataDir, 'base'), 0o500);
      run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    }
    expect(run.stdout).toMatch(/cannot read and write \d item\(s\) in the data folder/);
    expect(run.stdout).toMatch(/base/);
    expect(run.stdout).toMatch(/chown -R/);
  }, 60_000);
});

describe('the single-writer lock', () => {
  it('keeps a second process out while the first lives, and is free the moment it is killed', async () => {
    const dataDir = tempDir('htl-lock-');
    // A stale PID file of an older version, naming a live process, no longer blocks anything.
    writeFileSync(join(dataDir, 'server.pid'), String(process.pid));
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${join(ROOT, 'src/server/lock.ts')}').then(async (m) => { await m.lockDataDir(${JSON.stringify(dataDir)}); console.log('held'); setInterval(() => {}, 1000); })`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      holder.once('exit', (code) => reject(new Error(`the holder exited (${code})`)));
    });
    await expect(lockDataDir(dataDir)).rejects.toThrow(new RegExp(`another process \\(pid ${holder.pid}\\) is using the database`));

    // No goodbye: kill -9. Nothing is left to clean up by hand.
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    let release: (() => void) | null = null;
    const deadline = Date.now() + 5_000;
    while (!release) {
      try {
        release = await lockDataDir(dataDir, () => undefined);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(readdirSync(dataDir)).toContain(LOCK_FILE);
    release();
    // Released in-process too: the next taker gets it.
    const deadline2 = Date.now() + 5_000;
    for (;;) {
      try {
        (await lockDataDir(dataDir, () => undefined))();
        break;
      } catch (error) {
        if (Date.now() > deadline2) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 60_000);
});
