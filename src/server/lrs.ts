/**
 * Forwarding attempts to the company's LRS (issue 15). Optional: LRS_URL (the xAPI endpoint, e.g.
 * https://lrs.example.com/xapi), with LRS_USERNAME / LRS_PASSWORD for HTTP Basic auth.
 *
 * Every stored attempt is queued in the database (migration 008, same transaction as the attempt).
 * This sender claims due rows in batches, POSTs their statements to `statements` with
 * `X-Experience-API-Version: 1.0.3` and each statement's own id (fixed by the attempt id, so sending
 * again is the same statement), and deletes the rows only once the LRS acknowledged them. When a
 * batch is refused with 409 (one of its ids is already stored, possibly with other content) or 400,
 * each statement is PUT alone (`statements?statementId=`): 204 or 409 for one id means the LRS has
 * it, so it is done; the others stay queued. A failure waits a capped exponential backoff with
 * jitter. Logs and the recorded error never carry the credentials.
 */
import { randomUUID } from 'node:crypto';
import type { Localised } from '../engine/index';
import type { ClaimedStatement, LrsOutbox, OutboxStatus } from './repository/lrs';
import { publicAddress, toStatement, type XapiStatement } from './xapi';

export interface LrsConfig {
  /** The xAPI base, no trailing slash (`…/xapi`); `statements` is appended. */
  endpoint: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** LRS_URL / LRS_USERNAME / LRS_PASSWORD checked; null when LRS_URL is unset. Throws a plain message. */
export function lrsConfigFromEnv(env: Record<string, string | undefined>): LrsConfig | null {
  const raw = env.LRS_URL?.trim();
  if (!raw) {
    if (env.LRS_USERNAME || env.LRS_PASSWORD) throw new Error('LRS_USERNAME / LRS_PASSWORD are set but LRS_URL is not: set LRS_URL to the LRS’s xAPI address (e.g. https://lrs.example.com/xapi)');
    return null;
  }
  let endpoint: string;
  try {
    endpoint = publicAddress(raw, 'LRS_URL');
  } catch (error) {
    // publicAddress names the value; drop it when it could hold a password.
    throw new Error(/@/.test(raw) ? 'LRS_URL must not hold a user or password: put them in LRS_USERNAME and LRS_PASSWORD' : (error as Error).message);
  }
  if ((env.LRS_USERNAME ?? '') === '' !== ((env.LRS_PASSWORD ?? '') === '')) throw new Error('set both LRS_USERNAME and LRS_PASSWORD (Basic auth), or neither');
  return { endpoint: endpoint.replace(/\/statements$/, ''), username: env.LRS_USERNAME || undefined, password: env.LRS_PASSWORD || undefined };
}

export interface LrsSenderOptions {
  config: LrsConfig;
  outbox: LrsOutbox;
  homePage: string;
  scenarioTitle: (scenarioId: string) => Localised | null;
  /** Statements per request. */
  batchSize?: number;
  /** How long a claim holds rows (another server takes them after, if this one stopped). */
  leaseMs?: number;
  /** Backoff: first wait and cap. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often the queue is looked at when it was empty. */
  idleMs?: number;
  /** Per request. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  random?: () => number;
}

export interface LrsStatus extends OutboxStatus {
  endpoint: string;
  sent: number;
  /** The last failure this server saw, even if the statement went later (the queue's own is in `lastError`). */
  lastSendError: string | null;
}

type Answer = { ok: true } | { ok: false; status: number | null; error: string };

export class LrsSender {
  readonly id = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private abort = new AbortController();
  private sent = 0;
  private lastSendError: string | null = null;
  private readonly o: Required<Omit<LrsSenderOptions, 'config' | 'outbox' | 'homePage' | 'scenarioTitle'>>;

  constructor(private readonly options: LrsSenderOptions) {
    this.o = {
      batchSize: options.batchSize ?? 50,
      leaseMs: options.leaseMs ?? 60_000,
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 10 * 60_000,
      idleMs: options.idleMs ?? 2_000,
      timeoutMs: options.timeoutMs ?? 20_000,
      fetch: options.fetch ?? fetch,
      log: options.log ?? ((line) => console.warn(line)),
      random: options.random ?? Math.random,
    };
  }

  /** The wait before try `tries + 1`: base·2^(tries−1), capped, with up to 20 % jitter below it. */
  delayAfter(tries: number): number {
    const full = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(30, Math.max(0, tries - 1)));
    return Math.round(full * (0.8 + 0.2 * this.o.random()));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  /** Stops after the request in flight (aborted); rows it held stay queued and are sent again later. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.poke();
    await this.loop;
    this.loop = null;
  }

  /** Look at the queue now (an attempt was just stored). */
  poke(): void {
    this.wake?.();
  }

  async status(): Promise<LrsStatus> {
    return { endpoint: this.options.config.endpoint, sent: this.sent, lastSendError: this.lastSendError, ...(await this.options.outbox.status()) };
  }

  /** One pass: claim a batch, send it, record the outcome. The number of rows claimed. */
  async sendOnce(): Promise<number> {
    const claimed = await this.options.outbox.claim(this.id, this.o.batchSize, this.o.leaseMs);
    if (!claimed.length) return 0;
    const statements = claimed.map((c) => this.statementOf(c));
    const answer = await this.request('POST', 'statements', statements);
    if (answer.ok) {
      await this.options.outbox.done(this.id, claimed.map((c) => c.attempt.id));
      this.sent += claimed.length;
      return claimed.length;
    }
    if (answer.status === 409 || answer.status === 400 || (answer.status === 413 && claimed.length > 1)) {
      // Which statement? Each alone, by its id.
      for (let i = 0; i < claimed.length && this.running; i++) {
        const one = await this.request('PUT', `statements?statementId=${encodeURIComponent(statements[i]!.id)}`, statements[i]);
        await this.settle([claimed[i]!], one.ok || one.status === 409 ? { ok: true } : one);
      }
      return claimed.length;
    }
    await this.settle(claimed, answer);
    return claimed.length;
  }

  private statementOf(c: ClaimedStatement): XapiStatement {
    return toStatement(c.attempt, { homePage: this.options.homePage, cohortId: c.attempt.cohortId, cohortName: c.cohortName, scenarioTitle: this.options.scenarioTitle });
  }

  private async settle(claimed: ClaimedStatement[], answer: Answer): Promise<void> {
    if (answer.ok) {
      await this.options.outbox.done(this.id, claimed.map((c) => c.attempt.id));
      this.sent += claimed.length;
      return;
    }
    const tries = Math.max(...claimed.map((c) => c.tries));
    const wait = this.delayAfter(tries);
    this.lastSendError = `${new Date().toISOString()} ${answer.error}`;
    this.o.log(`LRS: ${claimed.length} statement(s) not accepted (${answer.error}); try ${tries}, again in ${Math.round(wait / 1000)} s`);
    await this.options.outbox.failed(this.id, claimed.map((c) => c.attempt.id), answer.error, wait);
  }

  private async request(method: 'POST' | 'PUT', path: string, body: unknown): Promise<Answer> {
    const { endpoint, username, password } = this.options.config;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' };
    if (username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    try {
      const response = await this.o.fetch(`${endpoint}/${path}`, { method, headers, body: JSON.stringify(body), signal: AbortSignal.any([timeout, this.abort.signal]) });
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true };
      const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      return { ok: false, status: response.status, error: `${method} ${endpoint}/statements answered ${response.status}${detail ? `: ${detail}` : ''}` };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const why = timeout.aborted ? `no answer in ${this.o.timeoutMs} ms` : this.abort.signal.aborted ? 'stopped' : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, status: null, error: `${method} ${endpoint}/statements failed: ${why}` };
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.sendOnce();
      } catch (error) {
        // The database (closing, or down): keep going; the rows stay queued.
        if (!this.running) break;
        this.lastSendError = `${new Date().toISOString()} the outbox could not be read: ${(error as Error).message}`;
        this.o.log(`LRS: ${this.lastSendError}`);
      }
      if (claimed > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.o.idleMs);
      });
      if (this.timer) clearTimeout(this.timer);
      this.wake = null;
    }
  }
}
