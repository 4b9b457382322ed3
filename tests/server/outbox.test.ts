/**
 * The game's outbox against the real app (in-process) and an in-memory IndexedDB: nothing played is
 * lost to a reload, a closed tab or a network that is down, and nothing is stored twice.
 */
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTEMPT_STORE_KEY, type AttemptRecord } from '../../src/game/attempt-store';
import { ResultsApi } from '../../src/game/net/api';
import { IdbAttemptStore } from '../../src/game/net/idb-attempt-store';
import { Outbox } from '../../src/game/net/outbox';
import type { Service } from '../../src/server/service';
import { addLead, login, makeAttempt, newCohort, ORIGIN, testService } from './helpers';

let service: Service;
let code: string;

beforeAll(async () => {
  service = await testService();
  await addLead(service, 'Outbox Lead');
  const cookie = await login(service, 'Outbox Lead');
  code = (await newCohort(service, cookie, 'Outbox cohort')).code;
}, 180_000);
afterAll(async () => service?.close());

/** fetch that reaches the app in-process, or fails like a browser offline. */
function network() {
  const state = { online: true, requests: 0 };
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    state.requests++;
    if (!state.online) throw new TypeError('Failed to fetch');
    return service.app.request(String(input), init);
  }) as typeof fetch;
  return { state, fetcher };
}

function record(attempt = makeAttempt(service, 'practice-call')): AttemptRecord {
  return {
    id: attempt.attemptId,
    scenarioId: attempt.scenarioId,
    scenarioRevision: attempt.scenarioRevision,
    finishedAt: new Date().toISOString(),
    attempt,
    summary: { outcome: 'resolved', passed: true, total: 100, passMark: 70, dimensions: {} },
  };
}

function setup(factory = new IDBFactory(), legacy: Pick<Storage, 'getItem'> | null = null) {
  const net = network();
  const timers: { fn: () => void; ms: number }[] = [];
  const store = new IdbAttemptStore(factory, legacy);
  const outbox = new Outbox({ store, api: new ResultsApi(ORIGIN, net.fetcher), setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => undefined });
  return { factory, store, outbox, net, timers };
}

const storedCount = async (id: string) => (await service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts WHERE id = $1', [id]))[0]!.n;

describe('the outbox', () => {
  it('keeps attempts until the trainee joins, then sends them', async () => {
    const { outbox, store } = setup();
    const r = record();
    await outbox.add(r);
    await outbox.flush();
    expect(await outbox.status()).toMatchObject({ waiting: 1, needsJoin: true });
    await outbox.join('Olga', code);
    await outbox.flush();
    expect(await outbox.status()).toMatchObject({ waiting: 0, needsJoin: false, problem: null });
    expect((await store.get(r.id))?.sentAt).toBeTruthy();
    expect(await storedCount(r.id)).toBe(1);
  });

  it('keeps attempts while offline and sends them when the network is back', async () => {
    const { outbox, net, timers } = setup();
    await outbox.join('Oscar', code);
    net.state.online = false;
    const records = [record(), record(), record()];
    for (const r of records) await outbox.add(r);
    await outbox.flush();
    const offline = await outbox.status();
    expect(offline.waiting).toBe(3);
    expect(offline.problem).toMatch(/offline/);
    expect(timers.length).toBeGreaterThan(0);

    net.state.online = true;
    timers.at(-1)!.fn(); // the back-off timer fires
    await outbox.flush();
    expect((await outbox.status()).waiting).toBe(0);
    for (const r of records) expect(await storedCount(r.id)).toBe(1);
  });

  it('survives a reload: a new page on the same IndexedDB sends what the closed one kept', async () => {
    const first = setup();
    await first.outbox.join('Rita', code);
    first.net.state.online = false;
    const r = record();
    await first.outbox.add(r);
    await first.outbox.flush();
    expect((await first.outbox.status()).waiting).toBe(1);

    // The tab is closed; a new one opens on the same browser profile.
    const second = setup(first.factory);
    expect((await second.outbox.status()).identity?.trainee.name).toBe('Rita');
    await second.outbox.flush();
    expect((await second.outbox.status()).waiting).toBe(0);
    expect(await storedCount(r.id)).toBe(1);
  });

  it('stores an attempt once when a closed tab’s request arrives as well as the resend', async () => {
    const { outbox, store, net } = setup();
    const identity = await outbox.join('Sam', code);
    const r = record();
    await store.save(r);
    // The old tab's request reached the server but its answer was lost with the tab.
    const lost = await new ResultsApi(ORIGIN, net.fetcher).send(r.attempt!, identity.token);
    expect(lost.kind).toBe('accepted');
    await outbox.flush();
    expect((await store.get(r.id))?.sentAt).toBeTruthy();
    expect(await storedCount(r.id)).toBe(1);
  });

  it('sets aside an attempt the server refuses for good, with the reason, and sends the rest', async () => {
    const { outbox, store } = setup();
    await outbox.join('Tess', code);
    const bad = record(makeAttempt(service, 'practice-call', ['greet-standard', 'no-such-choice']));
    const good = record();
    await outbox.add(bad);
    await outbox.add(good);
    await outbox.flush();
    const status = await outbox.status();
    expect(status.waiting).toBe(0);
    expect(status.refused).toHaveLength(1);
    expect(status.refused[0]!.message).toMatch(/no-such-choice/);
    expect((await store.get(good.id))?.sentAt).toBeTruthy();
    expect(await storedCount(bad.id)).toBe(0);
  });

  it('asks the trainee to join again when the token is no longer known', async () => {
    const { outbox, store } = setup();
    await store.setMeta('identity', { token: 'x'.repeat(43), trainee: { id: 1, name: 'Ghost' }, cohort: { id: 1, name: 'Gone' }, joinedAt: '' });
    await outbox.add(record());
    await outbox.flush();
    expect(await outbox.status()).toMatchObject({ waiting: 1, needsJoin: true });
  });

  it('takes over the history the localStorage store kept', async () => {
    const old = record();
    const legacy = { getItem: (key: string) => (key === ATTEMPT_STORE_KEY ? JSON.stringify({ format: 1, records: [old] }) : null) };
    const { store } = setup(new IDBFactory(), legacy);
    expect((await store.list()).map((r) => r.id)).toEqual([old.id]);
    expect((await store.unsent()).map((r) => r.id)).toEqual([old.id]);
  });
});

/** A window and a document as the outbox's start() sees them. */
function browser() {
  const window = new EventTarget();
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  return { target: Object.assign(window, { document }) as unknown as Window & { document: Document }, window, document };
}

const settle = async (outbox: Outbox) => {
  // A kick starts a flush without waiting for it; wait until it is over.
  for (let i = 0; i < 50 && (await outbox.status()).sending; i++) await new Promise((r) => setTimeout(r, 5));
  await outbox.flush();
};

describe('the outbox’s retries', () => {
  it('tries again at once when the browser is back online, without waiting for the back-off', async () => {
    const { outbox, net, timers } = setup();
    await outbox.join('Uma', code);
    const { target, window } = browser();
    net.state.online = false;
    const stop = outbox.start(target);
    const r = record();
    await outbox.add(r);
    await settle(outbox);
    expect((await outbox.status()).waiting).toBe(1);
    const timersBefore = timers.length;
    net.state.online = true;
    window.dispatchEvent(new Event('online'));
    await settle(outbox);
    expect((await outbox.status()).waiting).toBe(0);
    expect(await storedCount(r.id)).toBe(1);
    expect(timers.length).toBe(timersBefore); // no timer fired or was needed
    stop();
  });

  it('tries again when the tab is shown, not while it is hidden', async () => {
    const { outbox, net } = setup();
    await outbox.join('Vic', code);
    const { target, document } = browser();
    net.state.online = false;
    const stop = outbox.start(target);
    await outbox.add(record());
    await settle(outbox);
    net.state.online = true;
    const before = net.state.requests;
    document.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await settle(outbox);
    // settle() itself flushes once; a hidden tab adds nothing beyond that.
    expect(net.state.requests - before).toBeLessThanOrEqual(1);
    net.state.online = false;
    await outbox.add(record());
    await settle(outbox);
    expect((await outbox.status()).waiting).toBeGreaterThan(0);
    net.state.online = true;
    document.visibilityState = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await settle(outbox);
    expect((await outbox.status()).waiting).toBe(0);
    stop();
  });

  it('backs off to at most 30 s, even when the server asks for longer', async () => {
    const store = new IdbAttemptStore(new IDBFactory());
    const timers: number[] = [];
    const server = { retryAfterMs: undefined as number | undefined };
    const api = {
      join: async () => ({ token: 't'.repeat(43), trainee: { id: 1, name: 'W' }, cohort: { id: 1, name: 'C' }, joinedAt: '' }),
      send: async () => ({ kind: 'retry' as const, message: 'the server answered 503', retryAfterMs: server.retryAfterMs }),
    } as unknown as ResultsApi;
    const outbox = new Outbox({ store, api, setTimer: (_fn, ms) => timers.push(ms), clearTimer: () => undefined });
    await outbox.join('W', 'CODE');
    await outbox.add(record());
    for (let i = 0; i < 12; i++) await outbox.flush();
    expect(Math.max(...timers)).toBe(30_000);
    expect(timers.slice(0, 3)).toEqual([2_000, 5_000, 10_000]);
    server.retryAfterMs = 3_600_000;
    await outbox.flush();
    expect(timers.at(-1)).toBe(30_000);
  });
});

describe('where an attempt is', () => {
  it('says "waiting" while it is only on this device and "sent" once the server has it', async () => {
    const { outbox, net } = setup();
    await outbox.join('Xia', code);
    net.state.online = false;
    const r = record();
    await outbox.add(r);
    await outbox.flush();
    const seen: string[] = [];
    const stop = outbox.watch(r.id, (delivery) => seen.push(delivery));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual(['waiting']);
    net.state.online = true;
    await outbox.flush();
    expect(seen).toEqual(['waiting', 'sent']);
    expect(await storedCount(r.id)).toBe(1);
    stop();
  });

  it('says "refused" for an attempt the server will never take', async () => {
    const { outbox } = setup();
    await outbox.join('Yan', code);
    const bad = record(makeAttempt(service, 'practice-call', ['greet-standard', 'no-such-choice']));
    await outbox.add(bad);
    const seen: string[] = [];
    outbox.watch(bad.id, (delivery) => seen.push(delivery));
    await outbox.flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.at(-1)).toBe('refused');
  });
});
