/**
 * The real entry point as a process: it listens on 127.0.0.1 unless HOST says otherwise, cuts off
 * connections that send nothing, caps how many it holds, and on SIGTERM finishes the requests in
 * flight before it closes the database.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Attempt } from '../../src/engine/index';
import { makeAttempt, testService } from './helpers';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const PASSWORD = 'process test password';
let dataDir: string;
let attempts: Attempt[] = [];
const running: ChildProcess[] = [];

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 120_000);
    const poll = setInterval(() => {
      const match = /game:\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  return { child, base, output: () => output };
}

const stopped = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

async function api(base: string, method: string, path: string, body?: unknown, auth: { cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '', json: (await response.json()) as any };
}

/** Opens a raw TCP connection; resolves with it once connected, and records when the server closes it. */
function rawConnection(host: string, port: number): Promise<{ socket: Socket; closedAt: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const closedAt = new Promise<number>((done) => socket.once('close', () => done(Date.now())));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closedAt }));
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'htl-process-'));
  const admin = spawnSync(TSX, ['scripts/admin.ts', 'add-lead', 'Process Lead'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LEAD_PASSWORD: PASSWORD, DATABASE_URL: '' }, encoding: 'utf8' });
  if (admin.status !== 0) throw new Error(`admin add-lead failed: ${admin.stderr}${admin.stdout}`);
  const local = await testService();
  attempts = Array.from({ length: 8 }, (_, i) => makeAttempt(local, i % 2 ? 'practice-call' : 'water-cutoff'));
  await local.close();
}, 240_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('listens on 127.0.0.1 by default, cuts silent connections, caps connections, and drains on SIGTERM', async () => {
  const server = await startServer({ HEADERS_TIMEOUT_MS: '4000', MAX_CONNECTIONS: '10' });
  expect(server.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.output()).toMatch(/every acknowledged attempt is on the disk/);
  const port = Number(new URL(server.base).port);

  // 25 connections that never send a byte: 10 are held, the other 15 closed at once, and the held
  // ones cut off once the header timeout (4 s) passes. Then the server answers again.
  const opened = Date.now();
  const idle = await Promise.all(Array.from({ length: 25 }, () => rawConnection('127.0.0.1', port)));
  const closed = await Promise.all(idle.map((c) => c.closedAt));
  const atOnce = closed.filter((t) => t - opened < 3_000).length;
  expect(atOnce).toBeGreaterThanOrEqual(15);
  expect(closed.filter((t) => t - opened >= 3_900).length).toBeGreaterThanOrEqual(1);
  expect(Math.max(...closed) - opened).toBeLessThan(20_000);
  // A request trickled in slower than the header timeout is cut off too.
  const slow = await rawConnection('127.0.0.1', port);
  slow.socket.write('GET /api/health HTTP/1.1\r\nHost: x\r\n');
  const trickle = setInterval(() => slow.socket.write('X-A: b\r\n'), 300);
  const slowClosed = await slow.closedAt;
  clearInterval(trickle);
  expect(slowClosed - opened).toBeLessThan(40_000);
  expect((await api(server.base, 'GET', '/api/health')).status).toBe(200);

  const { cookie } = await api(server.base, 'POST', '/api/login', { name: 'Process Lead', password: PASSWORD });
  const cohort = await api(server.base, 'POST', '/api/cohorts', { name: 'Drain' }, { cookie });
  const code = (cohort.json.codes as { code: string }[])[0]!.code;
  const { token } = (await api(server.base, 'POST', '/api/join', { name: 'Drainer', code })).json as { token: string };

  // Eight submissions at once (the cap is 10 connections); SIGTERM as soon as the first is answered. Every request the server took
  // is answered in full; none is cut or fails because the database closed under it.
  const results: { status: number | 'cut' }[] = [];
  let signalled = false;
  await Promise.all(
    attempts.slice(0, 8).map(async (attempt) => {
      try {
        const r = await api(server.base, 'POST', '/api/attempts', attempt, { token });
        results.push({ status: r.status });
      } catch {
        results.push({ status: 'cut' });
      }
      if (!signalled) {
        signalled = true;
        server.child.kill('SIGTERM');
      }
    }),
  );
  expect(await stopped(server.child)).toBe(0);
  expect(server.output()).toMatch(/SIGTERM: stopped/);
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s !== 201 && s !== 'cut'), statuses.join(' ')).toEqual([]);
  expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(1);

  // Everything acknowledged is there after a restart (HOST given this time).
  const again = await startServer({ HOST: '127.0.0.1' });
  const login = await api(again.base, 'POST', '/api/login', { name: 'Process Lead', password: PASSWORD });
  const me = (await api(again.base, 'GET', '/api/cohorts', undefined, { cookie: login.cookie })).json.cohorts[0];
  expect(me.attempts).toBe(statuses.filter((s) => s === 201).length);
  again.child.kill('SIGTERM');
  expect(await stopped(again.child)).toBe(0);
}, 600_000);
