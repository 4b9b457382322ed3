/**
 * One process per PGlite folder, held by a lock the kernel releases when the process dies.
 *
 * Node has no flock(2). Instead of a native module, the lock is held by `flock` from util-linux
 * (installed on every Debian/Ubuntu system) running as our child:
 *   flock --exclusive --nonblock --close server.lock sh -c 'echo locked; exec cat >/dev/null'
 * flock(1) takes an exclusive flock(2) lock on the file and keeps it while its command runs; the
 * command reads our stdin pipe until end-of-file. When this process exits in any way — clean stop,
 * crash, kill -9 — the kernel closes the pipe, `cat` ends, `flock` exits and the kernel drops the
 * lock. Nothing is left to clean up: a stale file holds no lock. If the child ever dies while we
 * run (someone killed it), the server stops rather than write without the lock.
 *
 * Where there is no `flock` (macOS), a unix socket listening in the folder stands in: the kernel
 * closes it with the process, and a second process finds it answering. That fallback has a small
 * window (two processes that both find a dead socket at the same instant), which flock has not.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

function holder(file: string): string {
  try {
    const pid = readFileSync(file, 'utf8').trim();
    return /^\d+$/.test(pid) ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}

function busy(dataDir: string, file: string): Error {
  return new Error(`another process${holder(file)} is using the database in ${dataDir}; stop it first (a server, or npm run admin)`);
}

/** PGlite is one process's database: a second server or an admin command on the same folder would corrupt it. */
export async function lockDataDir(dataDir: string, onLost: () => void = defaultOnLost): Promise<() => void> {
  const file = join(dataDir, LOCK_FILE);
  // The PID file of older versions guards nothing now.
  rmSync(join(dataDir, 'server.pid'), { force: true });
  const child = spawn('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', '75', '--close', file, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const outcome = await new Promise<'locked' | 'busy' | 'no-flock' | Error>((resolve) => {
    let stderr = '';
    child.stdout.once('data', () => resolve('locked'));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? 'no-flock' : error));
    child.once('exit', (code) => resolve(code === 75 ? 'busy' : new Error(`flock failed on ${file} (exit ${code}): ${stderr.trim()}`)));
  });
  if (outcome === 'no-flock') return lockWithSocket(dataDir, file);
  if (outcome === 'busy') throw busy(dataDir, file);
  if (outcome instanceof Error) throw outcome;

  writeFileSync(file, `${process.pid}\n`);
  let released = false;
  child.once('exit', () => {
    if (!released) onLost();
  });
  // The lock must not keep a finished command (npm run admin) alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  return () => {
    released = true;
    child.stdin.end();
    child.kill('SIGTERM');
  };
}

function defaultOnLost() {
  console.error('the lock on the data folder was lost (its flock process ended); stopping so that nothing writes without it');
  process.exit(1);
}

async function lockWithSocket(dataDir: string, file: string): Promise<() => void> {
  const path = `${file}.sock`;
  const listen = () =>
    new Promise<ReturnType<typeof createServer> | NodeJS.ErrnoException>((resolve) => {
      const server = createServer((socket) => socket.end(`${process.pid}\n`));
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
      server.listen(path, () => resolve(server));
    });
  let server = await listen();
  if (server instanceof Error && server.code === 'EADDRINUSE') {
    const alive = await new Promise<boolean>((resolve) => {
      const socket = connect(path, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (alive) throw busy(dataDir, file);
    if (existsSync(path)) rmSync(path, { force: true });
    server = await listen();
  }
  if (server instanceof Error) throw new Error(`cannot lock ${dataDir}: ${server.message}`);
  writeFileSync(file, `${process.pid}\n`);
  server.unref();
  const held = server;
  return () => held.close();
}
