/**
 * Forwarding to a real LRS implementation (Learning Locker's statements service from npm, run in
 * this process: tests/server/real-lrs.ts) across a restart of the app server in the middle.
 *
 * The first server (PGlite in a folder) stores attempts while its sender's requests are in flight:
 * the first batch reaches the LRS and is stored there, but its answer never comes back; the next
 * hangs. The server is then stopped (its rows still queued), and a new one opened on the same folder
 * sends what is left. The LRS must then hold exactly one statement per attempt, each valid per
 * @learninglocker/xapi-validation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import validateStatement from '@learninglocker/xapi-validation';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Service } from '../../src/server/service';
import { addLead, call, join as joinCohort, login, makeAttempt, newCohort, testService } from './helpers';
import { startRealLrs, type RealLrs } from './real-lrs';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const AUTH = { username: 'htl', password: 'lrs secret' };
const FAST = { baseDelayMs: 20, maxDelayMs: 200, idleMs: 20, timeoutMs: 5_000, batchSize: 2 };
let lrs: RealLrs;
const dataDir = mkdtempSync(join(tmpdir(), 'htl-lrs-restart-'));

beforeAll(async () => {
  lrs = await startRealLrs();
});
afterAll(async () => {
  await lrs?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function lrsStatements(): Promise<unknown[]> {
  const out: unknown[] = [];
  let next = `${lrs.url}/statements?limit=100`;
  for (;;) {
    const r = await fetch(next, { headers: { 'X-Experience-API-Version': '1.0.3', Authorization: `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString('base64')}` } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { statements: unknown[]; more: string };
    out.push(...body.statements);
    if (!body.more) return out;
    next = new URL(body.more, lrs.url).toString();
  }
}

describe('a real LRS (Learning Locker xapi-statements, in memory)', () => {
  it('receives exactly one valid statement per attempt after a restart in the middle', async () => {
    let calls = 0;
    const hang: (() => void)[] = [];
    // Server 1: the first request reaches the LRS but its answer is lost; every later one hangs (in flight) until the stop.
    const lossy: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) {
        await fetch(input, init);
        throw new Error('connection reset after the LRS stored the batch');
      }
      return new Promise<Response>((_, reject) => {
        hang.push(() => reject(new Error('stopped')));
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    };
    const first: Service = await testService({ dataDir, publicUrl: 'https://training.example.com', lrs: { endpoint: lrs.url, ...AUTH }, lrsSender: { ...FAST, leaseMs: 1_000, fetch: lossy, log: () => {} } });
    const ids: string[] = [];
    try {
      await addLead(first, 'Restart Lead');
      const cookie = await login(first, 'Restart Lead');
      const cohort = await newCohort(first, cookie, 'Restart cohort');
      const t = await joinCohort(first, cohort.code, 'Restart Trainee');
      for (let i = 0; i < 6; i++) {
        const attempt = makeAttempt(first, 'practice-call');
        const r = await call(first.app, 'POST', '/api/attempts', { body: attempt, token: t.token });
        expect(r.status, r.text).toBe(201);
        ids.push(attempt.attemptId);
      }
      await vi.waitFor(() => expect(hang.length).toBeGreaterThan(0), { timeout: 30_000 });
      expect((await lrsStatements()).length).toBeGreaterThan(0); // the lost answer's batch is in the LRS
      const before = await first.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_outbox');
      expect(before[0]!.n).toBe(6); // nothing acknowledged, so nothing off the queue
    } finally {
      await first.close();
    }

    const second = await testService({ dataDir, publicUrl: 'https://training.example.com', lrs: { endpoint: lrs.url, ...AUTH }, lrsSender: { ...FAST, log: () => {} } });
    try {
      await vi.waitFor(async () => expect((await second.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_outbox'))[0]!.n).toBe(0), { timeout: 60_000, interval: 100 });
    } finally {
      await second.close();
    }
    const statements = (await lrsStatements()) as { id: string; context: { registration: string } }[];
    expect(statements.map((s) => s.context.registration).sort()).toEqual([...ids].sort());
    expect(new Set(statements.map((s) => s.id)).size).toBe(ids.length);
    for (const s of statements) expect(() => validateStatement(s as never)).not.toThrow();
  });
});
