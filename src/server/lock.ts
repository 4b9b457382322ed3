/** One process per PGlite folder. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite is one process's database: a second server or an admin command on the same folder would corrupt it. */
export function lockDataDir(dataDir: string): () => void {
  const lock = join(dataDir, 'server.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (pid && pid !== process.pid && pidAlive(pid)) throw new Error(`another process (pid ${pid}) is using the database in ${dataDir}; stop it first`);
    rmSync(lock, { force: true });
  }
  // 'wx' fails if another process took the lock in between.
  writeFileSync(lock, String(process.pid), { flag: 'wx' });
  return () => rmSync(lock, { force: true });
}
