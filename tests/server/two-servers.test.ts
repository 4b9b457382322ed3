/**
 * Two app server processes on different ports, one PostgreSQL (TEST_DATABASE_URL, or the cluster
 * `.ci/start-postgres.sh` starts): a lead's session works on both, the rate limits hold across
 * both, the same attempt sent to both at once is stored once, and a trainee removed or merged on
 * one server is so on the other at once, though the other had their token in its cache.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/engine/index';
import { makeAttempt, testService } from './helpers';
import { postgresUrl } from './postgres';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const PASSWORD = 'two servers password';
const database = `htl_two_${randomBytes(5).toString('hex')}`;
let url = '';
const running: ChildProcess[] = [];
let a = '';
let b = '';
let attempts: Attempt[] = [];

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: postgresUrl! });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function startServer(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', TRUST_PROXY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise<string>((resolve, reject) => {
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
}

async function api(base: string, method: string, path: string, body?: unknown, auth: { cookie?: string; token?: string; from?: string } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': auth.from ?? '203.0.113.1' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '', json: (await response.json()) as any };
}

describe.skipIf(!postgresUrl)('two app servers on one PostgreSQL', () => {
  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    url = postgresUrl!.replace(/\/[^/?]*(\?|$)/, `/${database}$1`);
    const added = spawnSync(TSX, ['scripts/admin.ts', 'add-lead', 'Two Lead'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, LEAD_PASSWORD: PASSWORD }, encoding: 'utf8' });
    if (added.status !== 0) throw new Error(`admin add-lead failed: ${added.stderr}${added.stdout}`);
    [a, b] = await Promise.all([startServer(), startServer()]);
    const local = await testService();
    attempts = Array.from({ length: 6 }, () => makeAttempt(local, 'practice-call'));
    await local.close();
  }, 300_000);

  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(running.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
    if (postgresUrl) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  it('keeps a lead’s session on both, and shares the limits and the attempts', async () => {
    expect(a).not.toBe(b);
    const { cookie } = await api(a, 'POST', '/api/login', { name: 'Two Lead', password: PASSWORD });
    expect((await api(b, 'GET', '/api/session', undefined, { cookie })).json.lead.name).toBe('Two Lead');
    const cohort = await api(b, 'POST', '/api/cohorts', { name: 'Both' }, { cookie });
    expect(cohort.status).toBe(201);
    const code = (cohort.json.codes as { code: string }[])[0]!.code;
    expect((await api(a, 'GET', '/api/cohorts', undefined, { cookie })).json.cohorts[0].name).toBe('Both');

    // Wrong passwords from one address, alternating servers: three free, then the wait holds on both.
    const wrong = (base: string) => api(base, 'POST', '/api/login', { name: 'Two Lead', password: 'wrong' }, { from: '198.51.100.9' });
    expect([(await wrong(a)).status, (await wrong(b)).status, (await wrong(a)).status, (await wrong(b)).status]).toEqual([401, 401, 401, 401]);
    const blocked = await wrong(a);
    expect(blocked.status).toBe(429);
    expect(blocked.json.error).toMatch(/wrong passwords for this name from this address/);
    // Another address is not slowed.
    expect((await api(b, 'POST', '/api/login', { name: 'Two Lead', password: PASSWORD }, { from: '203.0.113.77' })).status).toBe(200);

    // Wrong join codes: ten in all across both servers, then both refuse.
    const guesses: number[] = [];
    for (let i = 0; i < 11; i++) guesses.push((await api(i % 2 ? a : b, 'POST', '/api/join', { name: `G${i}`, code: `ZZZZ${String(1000 + i)}` }, { from: '198.51.100.10' })).status);
    expect(guesses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(guesses[10]).toBe(429);
    expect((await api(a, 'POST', '/api/join', { name: 'Guesser', code }, { from: '198.51.100.10' })).status).toBe(429);

    // The same attempt to both servers at once, six times over: each stored once.
    const { token } = (await api(a, 'POST', '/api/join', { name: 'Both Ways', code })).json as { token: string };
    for (const attempt of attempts) {
      const [x, y] = await Promise.all([api(a, 'POST', '/api/attempts', attempt, { token }), api(b, 'POST', '/api/attempts', attempt, { token })]);
      expect([x.status, y.status].sort()).toEqual([200, 201]);
      expect([x.json.stored, y.json.stored].sort()).toEqual([false, true]);
    }
    const listed = await api(b, 'GET', `/api/cohorts`, undefined, { cookie });
    expect(listed.json.cohorts[0].attempts).toBe(attempts.length);

    // A call started on one server and sent to the other is timed by the server: they share the key.
    const start = (await api(a, 'POST', '/api/attempts/start', { scenarioId: 'practice-call' }, { token })).json as { attemptId: string; seed: string; startedAt: string; mode: string };
    const started = { ...attempts[0]!, format: 2, attemptId: start.attemptId, seed: start.seed, startedAt: start.startedAt, mode: start.mode };
    expect((await api(b, 'POST', '/api/attempts', started, { token })).status).toBe(201);
    const view = await api(a, 'GET', `/api/attempts/${start.attemptId}`, undefined, { cookie });
    expect(view.json.attempt).toMatchObject({ timedByServer: true, startedAt: start.startedAt });
  }, 120_000);

  it('makes a removal, a merge and a rename on one server effective on the other at once', async () => {
    const { cookie } = await api(a, 'POST', '/api/login', { name: 'Two Lead', password: PASSWORD }, { from: '203.0.113.50' });
    const cohort = await api(a, 'POST', '/api/cohorts', { name: 'Tokens' }, { cookie });
    const code = (cohort.json.codes as { code: string }[])[0]!.code;
    const joined = async (name: string) => (await api(a, 'POST', '/api/join', { name, code }, { from: '203.0.113.51' })).json as { token: string; trainee: { id: number } };
    const gone = await joined('Gone Soon');
    const keep = await joined('Keeper');
    const dup = await joined('Keeper Twice');
    const named = await joined('Old Name');
    // Server B has every token in its cache (30 s).
    for (const t of [gone, keep, dup, named]) expect((await api(b, 'GET', '/api/me', undefined, { token: t.token })).status).toBe(200);

    expect((await api(a, 'DELETE', `/api/trainees/${gone.trainee.id}?attempts=0`, undefined, { cookie })).status).toBe(200);
    expect((await api(a, 'POST', `/api/trainees/${keep.trainee.id}/merge`, { from: dup.trainee.id }, { cookie })).status).toBe(200);
    expect((await api(a, 'PATCH', `/api/trainees/${named.trainee.id}`, { name: 'New Name' }, { cookie })).status).toBe(200);

    // The notification crosses in milliseconds: B has acted on it well within a second, not 30 s.
    const t0 = Date.now();
    const settled = async () => {
      const [g, d, n] = await Promise.all([gone, dup, named].map((t) => api(b, 'GET', '/api/me', undefined, { token: t.token })));
      return g!.status === 401 && d!.json.trainee?.id === keep.trainee.id && n!.json.trainee?.name === 'New Name';
    };
    while (!(await settled())) {
      expect(Date.now() - t0, 'server B still accepts the removed trainee’s token').toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The removed trainee's calls are refused on B too; the merged one's go to the record kept.
    expect((await api(b, 'POST', '/api/attempts', { ...attempts[1]!, attemptId: crypto.randomUUID() }, { token: gone.token })).status).toBe(401);
    const sent = await api(b, 'POST', '/api/attempts', { ...attempts[2]!, attemptId: crypto.randomUUID() }, { token: dup.token });
    expect(sent.status).toBe(201);
    const list = await api(a, 'GET', `/api/trainees/${keep.trainee.id}/attempts`, undefined, { cookie });
    expect(list.json.attempts).toHaveLength(1);
  }, 60_000);
});
