/**
 * The real entry point on a PGlite folder: every attempt the server acknowledged is still there after
 * the process is killed outright, and after a clean stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeAttempt, testService } from './helpers';
import type { Attempt } from '../../src/engine/index';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const PASSWORD = 'restart test password';
let dataDir: string;
let attempts: Attempt[] = [];
const running: ChildProcess[] = [];

async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  // node with tsx as a loader, not the tsx CLI: one process, so SIGKILL hits the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /game:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  return { child, base };
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

async function api(base: string, method: string, path: string, body?: unknown, auth: { cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '', json: (await response.json()) as any };
}

async function storedIds(base: string): Promise<Set<string>> {
  const { cookie } = await api(base, 'POST', '/api/login', { name: 'Restart Lead', password: PASSWORD });
  const cohorts = await api(base, 'GET', '/api/cohorts', undefined, { cookie });
  const cohortId = (cohorts.json.cohorts as { id: number }[])[0]!.id;
  const report = await api(base, 'GET', `/api/report?cohort=${cohortId}`, undefined, { cookie });
  const ids = new Set<string>();
  for (const trainee of report.json.trainees as { id: number }[]) {
    const list = await api(base, 'GET', `/api/trainees/${trainee.id}/attempts`, undefined, { cookie });
    for (const a of list.json.attempts as { id: string }[]) ids.add(a.id);
  }
  return ids;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'htl-restart-'));
  const admin = spawnSync(TSX, ['scripts/admin.ts', 'add-lead', 'Restart Lead'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LEAD_PASSWORD: PASSWORD, DATABASE_URL: '' }, encoding: 'utf8' });
  if (admin.status !== 0) throw new Error(`admin add-lead failed: ${admin.stderr}${admin.stdout}`);
  // Attempts built from the same scenario files the server loads.
  const local = await testService();
  attempts = Array.from({ length: 24 }, (_, i) => makeAttempt(local, i % 2 ? 'practice-call' : 'water-cutoff'));
  await local.close();
}, 240_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every acknowledged attempt across a kill and a clean stop', async () => {
  const first = await startServer();
  const { cookie } = await api(first.base, 'POST', '/api/login', { name: 'Restart Lead', password: PASSWORD });
  const cohort = await api(first.base, 'POST', '/api/cohorts', { name: 'Restart cohort' }, { cookie });
  const code = (cohort.json.codes as { code: string }[])[0]!.code;
  const tokens: string[] = [];
  for (const name of ['One', 'Two', 'Three']) tokens.push(String((await api(first.base, 'POST', '/api/join', { name, code })).json.token));

  const answers = await Promise.all(attempts.map((a, i) => api(first.base, 'POST', '/api/attempts', a, { token: tokens[i % 3] })));
  const acknowledged = attempts.filter((_, i) => answers[i]!.status === 201).map((a) => a.attemptId);
  expect(acknowledged).toHaveLength(attempts.length);

  // No goodbye: the process is killed as a crash or a power-off of the service would.
  first.child.kill('SIGKILL');
  await stopped(first.child);

  const second = await startServer();
  const afterKill = await storedIds(second.base);
  expect(acknowledged.filter((id) => !afterKill.has(id))).toEqual([]);
  // A resend after the restart (the game's outbox did not hear the answer) is still stored once.
  const resend = await api(second.base, 'POST', '/api/attempts', attempts[0], { token: tokens[0] });
  expect(resend.status).toBe(200);

  second.child.kill('SIGTERM');
  expect(await stopped(second.child)).toBe(0);

  const third = await startServer();
  const afterStop = await storedIds(third.base);
  expect(afterStop.size).toBe(attempts.length);
  third.child.kill('SIGTERM');
  await stopped(third.child);
}, 600_000);
