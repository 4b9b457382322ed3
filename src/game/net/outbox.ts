/**
 * Sends the attempts the game kept to the server, and keeps trying until each is acknowledged:
 * at start (so a reload or a reopened tab sends what a closed one did not), when the browser comes
 * back online, when the tab becomes visible, after each new call and on a backing-off timer (at most
 * 30 s between tries). Sending twice is harmless: the server stores an attempt id once.
 */
import type { AttemptRecord } from '../attempt-store';
import type { IdbAttemptStore, OutboxRecord } from './idb-attempt-store';
import type { Identity, ResultsApi } from './api';

export const IDENTITY_KEY = 'identity';
/** Waits between tries after failures; the last one repeats. Nothing, not even a server's Retry-After, waits longer. */
export const BACKOFF_MS = [2_000, 5_000, 10_000, 20_000, 30_000] as const;
export const MAX_BACKOFF_MS = 30_000;

/** Where one attempt is: only on this device, with the server, or refused by it for good. */
export type Delivery = 'waiting' | 'sent' | 'refused';

export interface OutboxStatus {
  /** Attempts kept here that the server has not acknowledged. */
  waiting: number;
  /** Attempts the server refused for good, with its reason. */
  refused: { id: string; scenarioId: string; message: string }[];
  sending: boolean;
  /** Why the last try did not get through, if it did not. */
  problem: string | null;
  /** True when attempts wait because the trainee has not joined a cohort (or must join again). */
  needsJoin: boolean;
  identity: Identity | null;
}

export interface OutboxOptions {
  store: IdbAttemptStore;
  api: ResultsApi;
  /** For tests: a clock and a timer. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Serialises flushes across tabs when the browser has Web Locks. */
  locks?: { request(name: string, callback: () => Promise<void>): Promise<void> } | null;
}

export class Outbox {
  private readonly listeners = new Set<(status: OutboxStatus) => void>();
  private readonly watchers = new Set<() => Promise<void>>();
  private flushing: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private failures = 0;
  private problem: string | null = null;
  private needsJoin = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: OutboxOptions) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  identity(): Promise<Identity | null> {
    return this.options.store.getMeta<Identity>(IDENTITY_KEY);
  }

  /** Joins a cohort, keeps the token, and sends whatever was waiting. */
  async join(name: string, code: string): Promise<Identity> {
    const identity = await this.options.api.join(name, code);
    await this.options.store.setMeta(IDENTITY_KEY, identity);
    this.needsJoin = false;
    this.problem = null;
    void this.flush();
    return identity;
  }

  async leave(): Promise<void> {
    await this.options.store.setMeta(IDENTITY_KEY, null);
    await this.notify();
  }

  /** Keeps the attempt (committed to IndexedDB) and starts sending it. */
  async add(record: AttemptRecord): Promise<void> {
    await this.options.store.save(record);
    void this.flush();
  }

  onChange(listener: (status: OutboxStatus) => void): () => void {
    this.listeners.add(listener);
    void this.status().then(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listener where one attempt is now and each time that may have changed (the debrief's "sent to your team"). */
  watch(id: string, listener: (delivery: Delivery) => void): () => void {
    let last: Delivery | null = null;
    const check = async () => {
      const record = await this.options.store.get(id).catch(() => null);
      const delivery: Delivery = record?.sentAt ? 'sent' : record?.refused ? 'refused' : 'waiting';
      if (delivery !== last && this.watchers.has(check)) listener((last = delivery));
    };
    this.watchers.add(check);
    void check();
    return () => this.watchers.delete(check);
  }

  async status(): Promise<OutboxStatus> {
    const [unsent, refused, identity] = await Promise.all([this.options.store.unsent(), this.options.store.refused(), this.identity()]);
    return {
      waiting: unsent.length,
      refused: refused.map((r: OutboxRecord) => ({ id: r.id, scenarioId: r.scenarioId, message: r.refused!.message })),
      sending: this.flushing !== null,
      problem: this.problem,
      needsJoin: this.needsJoin || (identity === null && unsent.length > 0),
      identity,
    };
  }

  private notified = 0;

  private async notify(): Promise<void> {
    await Promise.all([...this.watchers].map((check) => check()));
    if (!this.listeners.size) return;
    // Reads overlap: only the latest is told, so an older read (before a join) never lands last.
    const seq = ++this.notified;
    const status = await this.status();
    if (seq !== this.notified) return;
    for (const listener of this.listeners) listener(status);
  }

  /** Sends everything waiting; one flush at a time, and one more if asked during it. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    const run = async () => {
      do {
        this.again = false;
        const locks = this.options.locks;
        if (locks) await locks.request('hold-the-line-outbox', () => this.sendAll());
        else await this.sendAll();
      } while (this.again);
    };
    this.flushing = run()
      .catch((error: unknown) => {
        this.problem = error instanceof Error ? error.message : String(error);
        this.schedule();
      })
      .finally(() => {
        this.flushing = null;
        void this.notify();
      });
    void this.notify();
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    const identity = await this.identity();
    const waiting = await this.options.store.unsent();
    if (!waiting.length) {
      this.problem = null;
      this.failures = 0;
      return;
    }
    if (!identity) {
      this.needsJoin = true;
      return;
    }
    for (const record of waiting) {
      if (!record.attempt) continue;
      const outcome = await this.options.api.send(record.attempt, identity.token);
      switch (outcome.kind) {
        case 'accepted':
          await this.options.store.markSent(record.id, new Date().toISOString());
          this.failures = 0;
          this.problem = null;
          break;
        case 'refused':
          await this.options.store.markRefused(record.id, { at: new Date().toISOString(), status: outcome.status, message: outcome.message });
          break;
        case 'unauthorised':
          this.needsJoin = true;
          this.problem = outcome.message;
          return;
        case 'retry':
          await this.options.store.markTried(record.id, outcome.message);
          this.problem = outcome.message;
          this.schedule(outcome.retryAfterMs);
          return;
      }
      await this.notify();
    }
  }

  private schedule(afterMs?: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    const delay = Math.min(MAX_BACKOFF_MS, afterMs ?? BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!);
    this.failures++;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  /** Browser wiring: send at start, when back online, when the tab is shown again. */
  start(target: Pick<Window, 'addEventListener'> & { document?: Pick<Document, 'addEventListener' | 'visibilityState'> }): () => void {
    // Back online or shown again: try now, and start the back-off from its shortest wait.
    const kick = () => {
      this.failures = 0;
      if (this.timer !== null) this.clearTimer(this.timer);
      this.timer = null;
      void this.flush();
    };
    const visible = () => {
      if (target.document?.visibilityState === 'visible') kick();
    };
    target.addEventListener('online', kick);
    target.document?.addEventListener('visibilitychange', visible);
    kick();
    return () => {
      (target as Window).removeEventListener?.('online', kick);
      (target.document as Document | undefined)?.removeEventListener?.('visibilitychange', visible);
      if (this.timer !== null) this.clearTimer(this.timer);
    };
  }
}
