/**
 * Forwarding attempts to an LRS (src/server/lrs.ts, migration 008) against a fake LRS on 127.0.0.1
 * that behaves as the xAPI spec asks: it refuses a request without `X-Experience-API-Version: 1.0.3`
 * or the right Basic auth, validates every statement with @learninglocker/xapi-validation (400 when
 * one is not valid), stores statements by id, answers 409 for an id it already has (POST) or one with
 * other content (PUT), 204 for a PUT of one it has. It can be told to fail (503), to drop the
 * connection, or to store and then lose its answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import validateStatement from '@learninglocker/xapi-validation';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lrsConfigFromEnv, LrsSender } from '../../src/server/lrs';
import { LrsOutbox } from '../../src/server/repository/lrs';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';
import { dropSchema, postgresUrl, testSchema } from './postgres';

// Each test opens its own in-memory database (about 15 s on a busy 2-core machine).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const USER = 'htl-sender';
const SECRET = 'lrs pass w0rd';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = any;

class FakeLrs {
  readonly statements = new Map<string, Statement>();
  /** Every statement id received, in order (a resend shows up twice here, once in `statements`). */
  readonly received: string[] = [];
  readonly requests: { method: string; url: string; version: string | undefined; auth: string | undefined }[] = [];
  /** Answer the next N requests with 503 / drop them / store then drop the answer. */
  fail = 0;
  drop = 0;
  loseAnswer = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/xapi`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests.push({ method: req.method!, url: req.url!, version: req.headers['x-experience-api-version'] as string | undefined, auth: req.headers.authorization });
    const answer = (status: number, body = '') => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' });
      res.end(body);
    };
    if (this.drop > 0) {
      this.drop--;
      req.socket.destroy();
      return;
    }
    if (this.fail > 0) {
      this.fail--;
      return answer(503, '{"message":"down for maintenance"}');
    }
    if (req.headers['x-experience-api-version'] !== '1.0.3') return answer(400, '{"message":"X-Experience-API-Version header missing"}');
    if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`) return answer(401, '{"message":"unauthorised"}');
    const url = new URL(req.url!, 'http://lrs');
    if (url.pathname !== '/xapi/statements') return answer(404);
    let body: Statement;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(400, '{"message":"not JSON"}');
    }
    const list: Statement[] = req.method === 'POST' ? (Array.isArray(body) ? body : [body]) : [body];
    for (const s of list) {
      try {
        validateStatement(s);
      } catch (error) {
        return answer(400, JSON.stringify({ message: 'invalid statement', error: String((error as Error).message).slice(0, 300) }));
      }
    }
    if (req.method === 'PUT') {
      const id = url.searchParams.get('statementId');
      if (!id || list[0].id !== id) return answer(400, '{"message":"statementId does not match"}');
      this.received.push(id);
      const had = this.statements.get(id);
      if (had) return answer(JSON.stringify(had) === JSON.stringify(list[0]) ? 204 : 409);
      this.statements.set(id, list[0]);
    } else if (req.method === 'POST') {
      for (const s of list) this.received.push(s.id);
      if (list.some((s) => this.statements.has(s.id))) return answer(409, '{"message":"a statement id already exists"}');
      for (const s of list) this.statements.set(s.id, s);
    } else return answer(405);
    if (this.loseAnswer > 0) {
      this.loseAnswer--;
      req.socket.destroy();
      return;
    }
    answer(req.method === 'PUT' ? 204 : 200, req.method === 'POST' ? JSON.stringify(list.map((s) => s.id)) : '');
  }
}

const FAST = { baseDelayMs: 20, maxDelayMs: 200, idleMs: 20, leaseMs: 5_000, timeoutMs: 2_000 };

async function waitFor(check: () => Promise<boolean> | boolean, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A lead, a cohort and a trainee on `service`; `send(n)` stores n attempts, returns their ids. */
async function trainee(service: Service, name: string) {
  await addLead(service, `${name} Lead`);
  const cookie = await login(service, `${name} Lead`);
  const cohort = await newCohort(service, cookie, `${name} cohort`);
  const t = await join(service, cohort.code, `${name} Trainee`);
  return async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const attempt = makeAttempt(service, 'practice-call');
      const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token: t.token });
      expect(r.status, r.text).toBe(201);
      ids.push(attempt.attemptId);
    }
    return ids;
  };
}

const queued = async (service: Service) => (await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_outbox'))[0]!.n;
const config = (lrs: FakeLrs) => ({ endpoint: lrs.url, username: USER, password: SECRET });

let lrs: FakeLrs;
let open: Service[] = [];
const logs: string[] = [];

beforeAll(async () => {
  lrs = new FakeLrs();
  await lrs.start();
});
afterAll(async () => lrs?.stop());
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
  lrs.statements.clear();
  lrs.received.length = 0;
  lrs.requests.length = 0;
  lrs.fail = lrs.drop = lrs.loseAnswer = 0;
  logs.length = 0;
});

async function serviceWith(options: Parameters<typeof testService>[0] = {}) {
  const service = await testService({ publicUrl: 'https://training.example.com', lrs: config(lrs), lrsSender: { ...FAST, log: (l) => logs.push(l) }, ...options });
  open.push(service);
  return service;
}

describe('the outbox is written with the attempt', () => {
  it('queues each stored attempt, and an attempt whose transaction rolls back leaves no queue row', async () => {
    const service = await testService({ publicUrl: 'https://training.example.com' });
    open.push(service);
    const send = await trainee(service, 'Queue');
    const ids = await send(2);
    const rows = await service.db.query<{ id: string }>('SELECT attempt_id::text AS id FROM lrs_outbox ORDER BY enqueued_at');
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());

    const stored = (await service.repository.getAttempt(ids[0]!))!;
    const copy = { ...stored, id: '0b9d8c7e-1111-4222-8333-444455556666', receivedAt: new Date().toISOString() };
    await expect(
      service.db.transaction(async (tx) => {
        await service.repository.insertAttempt(copy, tx);
        expect((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM lrs_outbox WHERE attempt_id = $1', [copy.id]))[0]!.n).toBe(1);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await service.repository.getAttempt(copy.id)).toBeNull();
    expect(await queued(service)).toBe(2);
  });
});

describe('the sender', () => {
  it('POSTs valid statements with the xAPI version header, Basic auth and their ids, then empties the queue', async () => {
    const service = await serviceWith();
    const send = await trainee(service, 'Send');
    const ids = await send(3);
    await waitFor(async () => (await queued(service)) === 0, 'the queue to empty');
    expect(lrs.statements.size).toBe(3);
    for (const r of lrs.requests) {
      expect(r.version).toBe('1.0.3');
      expect(r.auth).toBe(`Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`);
    }
    const statements = [...lrs.statements.values()];
    for (const s of statements) {
      expect(() => validateStatement(s)).not.toThrow();
      expect(ids).toContain(s.context.registration);
      expect(s.actor.account.homePage).toBe('https://training.example.com');
    }
    // The public health check says how many wait, not where they go; a lead reads the detail.
    const health = await call(service.app, 'GET', '/api/health');
    expect(health.json).toMatchObject({ ok: true, lrs: { queued: 0, failing: 0 } });
    expect(health.text).not.toContain(lrs.url);
    expect((await call(service.app, 'GET', '/api/lrs')).status).toBe(401);
    const detail = await call(service.app, 'GET', '/api/lrs', { cookie: await login(service, 'Send Lead') });
    expect(detail.json).toMatchObject({ configured: true, endpoint: lrs.url, queued: 0, sent: 3 });
  });

  it('retries with backoff while the LRS fails or drops the connection, and delivers each statement once', async () => {
    lrs.fail = 3;
    lrs.drop = 2;
    const service = await serviceWith();
    const send = await trainee(service, 'Retry');
    await send(4);
    await waitFor(async () => (await queued(service)) === 0, 'the queue to empty');
    expect(lrs.statements.size).toBe(4);
    expect(logs.some((l) => l.includes('503'))).toBe(true);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(Buffer.from(`${USER}:${SECRET}`).toString('base64'));
  });

  it('a statement the LRS stored but whose answer was lost is sent again by id and counts as done (409 / 204)', async () => {
    lrs.loseAnswer = 1;
    const service = await serviceWith();
    const send = await trainee(service, 'Lost');
    const ids = await send(2);
    await waitFor(async () => (await queued(service)) === 0, 'the queue to empty');
    expect(lrs.statements.size).toBe(2);
    // Each id arrived more than once (the resend), and is stored once.
    expect(lrs.received.length).toBeGreaterThan(2);
    expect([...lrs.statements.values()].map((s) => s.context.registration).sort()).toEqual([...ids].sort());
  });

  it('keeps what the LRS refuses queued, with the error on /api/health and no password in it', async () => {
    const service = await serviceWith({ lrs: { endpoint: lrs.url, username: USER, password: 'wrong password' } });
    const send = await trainee(service, 'Refused');
    await send(2);
    await waitFor(async () => (await service.lrs!.status()).lastError !== null, 'an error');
    const health = await call(service.app, 'GET', '/api/health');
    expect(health.json).toMatchObject({ ok: true, lrs: { queued: 2 } });
    expect(health.text).not.toContain('401');
    const detail = await call(service.app, 'GET', '/api/lrs', { cookie: await login(service, 'Refused Lead') });
    const status = detail.json as { queued: number; lastError: string };
    expect(status.queued).toBe(2);
    expect(status.lastError).toContain('401');
    expect(detail.text).not.toContain('wrong password');
    expect(lrs.statements.size).toBe(0);
    const tries = await service.db.query<{ tries: number }>('SELECT tries FROM lrs_outbox');
    expect(tries.every((r) => r.tries >= 1)).toBe(true);
  });

  it('survives a restart: rows claimed by a server that stopped are sent by the next once the lease ran out, each once', async () => {
    const dataDir = `memory://`;
    // One PGlite cannot be opened twice, so the "restart" is a second sender on the same database
    // after the first stopped mid-batch (its lease still on the rows).
    const service = await testService({ dataDir, publicUrl: 'https://training.example.com' });
    open.push(service);
    const send = await trainee(service, 'Restart');
    await send(3);
    const outbox = new LrsOutbox(service.db);
    const claimed = await outbox.claim('stopped-server', 10, 200);
    expect(claimed.length).toBe(3);
    const next = new LrsSender({ config: config(lrs), outbox, homePage: 'https://training.example.com', scenarioTitle: (id) => service.catalogue.title(id), ...FAST, log: (l) => logs.push(l) });
    expect(await next.sendOnce()).toBe(0); // leased by the stopped server
    await new Promise((r) => setTimeout(r, 250));
    next.start();
    await waitFor(async () => (await queued(service)) === 0, 'the queue to empty');
    await next.stop();
    expect(lrs.statements.size).toBe(3);
    expect(lrs.received.length).toBe(3);
  });

  it('backs off exponentially, capped, with jitter below the full wait', () => {
    const sender = new LrsSender({ config: config(lrs), outbox: {} as LrsOutbox, homePage: 'https://x.example', scenarioTitle: () => null, baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 1 });
    expect([1, 2, 3, 4, 7, 8, 50].map((t) => sender.delayAfter(t))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
    const low = new LrsSender({ config: config(lrs), outbox: {} as LrsOutbox, homePage: 'https://x.example', scenarioTitle: () => null, baseDelayMs: 1000, random: () => 0 });
    expect(low.delayAfter(3)).toBe(3200);
  });
});

describe('configuration', () => {
  it('reads LRS_URL and the Basic auth pair, and refuses credentials in the URL without repeating them', () => {
    expect(lrsConfigFromEnv({})).toBeNull();
    expect(lrsConfigFromEnv({ LRS_URL: 'https://lrs.example.com/xapi/', LRS_USERNAME: 'a', LRS_PASSWORD: 'b' })).toEqual({ endpoint: 'https://lrs.example.com/xapi', username: 'a', password: 'b' });
    expect(lrsConfigFromEnv({ LRS_URL: 'https://lrs.example.com/xapi/statements' })?.endpoint).toBe('https://lrs.example.com/xapi');
    expect(() => lrsConfigFromEnv({ LRS_URL: 'https://user:s3cret@lrs.example.com/xapi' })).toThrow(/must not hold a user or password/);
    try {
      lrsConfigFromEnv({ LRS_URL: 'https://user:s3cret@lrs.example.com/xapi' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
    expect(() => lrsConfigFromEnv({ LRS_URL: 'https://lrs.example.com/xapi', LRS_USERNAME: 'a' })).toThrow(/both LRS_USERNAME and LRS_PASSWORD/);
    expect(() => lrsConfigFromEnv({ LRS_PASSWORD: 'x' })).toThrow(/LRS_URL is not/);
    expect(() => lrsConfigFromEnv({ LRS_URL: 'ftp://lrs.example.com' })).toThrow(/LRS_URL/);
  });
});

describe.skipIf(!postgresUrl)('two app servers on one PostgreSQL', () => {
  it('send each statement once between them (rows claimed with FOR UPDATE SKIP LOCKED)', async () => {
    const schema = testSchema();
    try {
      const a = await serviceWith({ databaseUrl: postgresUrl!, schema, lrsSender: { ...FAST, batchSize: 3 } });
      const b = await serviceWith({ databaseUrl: postgresUrl!, schema, lrsSender: { ...FAST, batchSize: 3 } });
      const sendA = await trainee(a, 'Pg A');
      const sendB = await trainee(b, 'Pg B');
      await Promise.all([sendA(10), sendB(10)]);
      await waitFor(async () => (await queued(a)) === 0, 'the queue to empty');
      expect(lrs.statements.size).toBe(20);
      expect(lrs.received.length).toBe(20);
      const senders = (await a.lrs!.status()).sent + (await b.lrs!.status()).sent;
      expect(senders).toBe(20);
    } finally {
      for (const s of open) await s.close();
      open = [];
      await dropSchema(schema);
    }
  });
});
