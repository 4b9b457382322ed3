/**
 * The running server's admin channel: a Unix socket in the data folder that only the folder's owner
 * can reach (the folder is 0700 and the socket 0600), so `npm run admin` works while the server
 * holds the embedded database (PGlite has one writer: the server). One JSON line in, one JSON line
 * out: { ok: true, lines } or { ok: false, error }. Requests are the CLI's (admin-cli.ts).
 */
import { chmodSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { AdminError, type AdminActions } from './admin-actions';
import { runCliCommand, type CliRequest } from './admin-cli';

export const ADMIN_SOCKET = 'admin.sock';
const MAX_REQUEST = 16 * 1024;
const IDLE_MS = 10_000;

export type ChannelAnswer = { ok: true; lines: string[] } | { ok: false; error: string };

export async function listenAdminChannel(dataDir: string, actions: AdminActions): Promise<() => Promise<void>> {
  const path = join(dataDir, ADMIN_SOCKET);
  // The caller holds the data folder's lock: a socket file left here is a dead server's.
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => {
    let input = '';
    let answered = false;
    const answer = (value: ChannelAnswer) => {
      if (answered) return;
      answered = true;
      socket.end(`${JSON.stringify(value)}\n`);
    };
    socket.setTimeout(IDLE_MS, () => {
      answer({ ok: false, error: 'no request within 10 s' });
      socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      input += chunk.toString('utf8');
      if (input.length > MAX_REQUEST) return answer({ ok: false, error: `a request is at most ${MAX_REQUEST} bytes` });
      const end = input.indexOf('\n');
      if (end < 0) return;
      let request: { user?: unknown; request?: unknown };
      try {
        request = JSON.parse(input.slice(0, end)) as typeof request;
      } catch {
        return answer({ ok: false, error: 'the request is not one line of JSON' });
      }
      const user = typeof request?.user === 'string' ? request.user.slice(0, 64) : 'unknown user';
      runCliCommand(actions, request?.request, user).then(
        (lines) => answer({ ok: true, lines }),
        (error: unknown) => {
          if (!(error instanceof AdminError)) console.error(`admin channel: ${(error as Error)?.message ?? error}`);
          answer({ ok: false, error: error instanceof AdminError ? error.message : 'the server failed; nothing was changed' });
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  server.unref();
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Sends one request to the server that holds `dataDir`; rejects when nothing answers there. */
export function askServer(dataDir: string, request: CliRequest, user: string, timeoutMs = 60_000): Promise<ChannelAnswer> {
  const path = join(dataDir, ADMIN_SOCKET);
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let output = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`the server’s admin channel ${path} did not answer within ${timeoutMs / 1000} s`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => reject(error));
    socket.once('connect', () => socket.write(`${JSON.stringify({ user, request })}\n`));
    socket.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    socket.once('end', () => {
      try {
        resolve(JSON.parse(output.trim()) as ChannelAnswer);
      } catch {
        reject(new Error(`the server’s admin channel answered something that is not JSON: ${output.slice(0, 200)}`));
      }
    });
  });
}
