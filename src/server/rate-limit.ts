/**
 * Rate limits: token buckets per key, and a delay that grows with each failed login per key.
 *
 * Two stores with one interface. On PGlite (one process per folder) they live in memory. On
 * PostgreSQL they live in the database, each check one statement, so several app servers behind a
 * load balancer share them: a limit is a limit whichever server a request reaches.
 */
import type { Queryable } from './db';

export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

/** Failures allowed free, then a delay of firstSeconds doubling with each further failure, capped. */
export interface GrowingDelay {
  free: number;
  firstSeconds: number;
  maxSeconds: number;
}

/** Seconds to wait after `failures` failures in a row. */
export function delayAfter(failures: number, delay: GrowingDelay): number {
  if (failures <= delay.free) return 0;
  return Math.min(delay.maxSeconds, delay.firstSeconds * 2 ** (failures - delay.free - 1));
}

export interface LimitStore {
  /** Takes a token from the key's bucket; 0 when allowed, else the whole seconds to wait. */
  take(key: string, limit: RateLimit): Promise<number>;
  /** What take would answer, without taking. */
  peek(key: string, limit: RateLimit): Promise<number>;
  /** Seconds before the key may try again after failures; 0 when it may now. */
  blockedFor(key: string): Promise<number>;
  /** Counts a failure; returns the seconds the key must now wait. */
  fail(key: string, delay: GrowingDelay): Promise<number>;
  /** A success forgets the key's failures. */
  clear(key: string): Promise<void>;
}

const waitOf = (tokens: number, limit: RateLimit) => Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));

export class MemoryLimits implements LimitStore {
  private readonly buckets = new Map<string, { tokens: number; at: number; limit: RateLimit }>();
  private readonly failures = new Map<string, { failures: number; blockedUntil: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, limit: RateLimit): Promise<number> {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now, limit };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Promise.resolve(waitOf(bucket.tokens, limit));
    bucket.tokens -= 1;
    if (this.buckets.size > 50_000) this.sweep(now);
    return Promise.resolve(0);
  }

  peek(key: string, limit: RateLimit): Promise<number> {
    const bucket = this.buckets.get(key);
    if (!bucket) return Promise.resolve(0);
    const tokens = Math.min(limit.burst, bucket.tokens + (Math.max(0, this.now() - bucket.at) / 1000) * limit.perSecond);
    return Promise.resolve(tokens >= 1 ? 0 : waitOf(tokens, limit));
  }

  blockedFor(key: string): Promise<number> {
    const entry = this.failures.get(key);
    const left = entry ? entry.blockedUntil - this.now() : 0;
    return Promise.resolve(left > 0 ? Math.ceil(left / 1000) : 0);
  }

  fail(key: string, delay: GrowingDelay): Promise<number> {
    const now = this.now();
    const entry = this.failures.get(key) ?? { failures: 0, blockedUntil: now, at: now };
    // A day without a failure starts the count again.
    if (now - entry.at > 86_400_000) entry.failures = 0;
    entry.failures += 1;
    entry.at = now;
    const seconds = delayAfter(entry.failures, delay);
    entry.blockedUntil = now + seconds * 1000;
    this.failures.set(key, entry);
    if (this.failures.size > 50_000) {
      for (const [k, e] of this.failures) if (now - e.at > 86_400_000) this.failures.delete(k);
    }
    return Promise.resolve(seconds);
  }

  clear(key: string): Promise<void> {
    this.failures.delete(key);
    return Promise.resolve();
  }

  /** Forgets full buckets so memory stays bounded. */
  private sweep(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * bucket.limit.perSecond >= bucket.limit.burst) this.buckets.delete(key);
    }
  }
}

/** The same buckets and delays in the tables `rate_buckets` and `login_failures` (migration 002). */
export class DbLimits implements LimitStore {
  private writes = 0;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, limit: RateLimit): Promise<number> {
    const at = new Date(this.now()).toISOString();
    // One statement: refill by the time since the last take, then take one token if there is one.
    // Concurrent takes on one key queue on its row lock, so two servers never spend one token twice.
    const rows = await this.db.query<{ tokens: number; granted: boolean }>(
      `INSERT INTO rate_buckets AS b (key, tokens, at, granted) VALUES ($1, $2::float8 - 1, $4::timestamptz, true)
       ON CONFLICT (key) DO UPDATE SET
         tokens = CASE WHEN least($2::float8, b.tokens + greatest(0, extract(epoch FROM ($4::timestamptz - b.at))) * $3::float8) >= 1
                       THEN least($2::float8, b.tokens + greatest(0, extract(epoch FROM ($4::timestamptz - b.at))) * $3::float8) - 1
                       ELSE least($2::float8, b.tokens + greatest(0, extract(epoch FROM ($4::timestamptz - b.at))) * $3::float8) END,
         granted = least($2::float8, b.tokens + greatest(0, extract(epoch FROM ($4::timestamptz - b.at))) * $3::float8) >= 1,
         at = greatest(b.at, $4::timestamptz)
       RETURNING tokens::float8 AS tokens, granted`,
      [key, limit.burst, limit.perSecond, at],
    );
    await this.sweep();
    const row = rows[0]!;
    return row.granted ? 0 : waitOf(Number(row.tokens), limit);
  }

  async peek(key: string, limit: RateLimit): Promise<number> {
    const rows = await this.db.query<{ tokens: number }>(
      `SELECT least($2::float8, tokens + greatest(0, extract(epoch FROM ($4::timestamptz - at))) * $3::float8)::float8 AS tokens FROM rate_buckets WHERE key = $1`,
      [key, limit.burst, limit.perSecond, new Date(this.now()).toISOString()],
    );
    const tokens = rows[0] ? Number(rows[0].tokens) : limit.burst;
    return tokens >= 1 ? 0 : waitOf(tokens, limit);
  }

  async blockedFor(key: string): Promise<number> {
    const rows = await this.db.query<{ left: number }>(
      'SELECT extract(epoch FROM (blocked_until - $2::timestamptz))::float8 AS left FROM login_failures WHERE key = $1',
      [key, new Date(this.now()).toISOString()],
    );
    const left = Number(rows[0]?.left ?? 0);
    return left > 0 ? Math.ceil(left) : 0;
  }

  async fail(key: string, delay: GrowingDelay): Promise<number> {
    const at = new Date(this.now()).toISOString();
    const rows = await this.db.query<{ failures: number }>(
      `INSERT INTO login_failures AS f (key, failures, blocked_until, at) VALUES ($1, 1, $2::timestamptz, $2::timestamptz)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN $2::timestamptz - f.at > interval '1 day' THEN 1 ELSE f.failures + 1 END, at = $2::timestamptz
       RETURNING failures`,
      [key, at],
    );
    const seconds = delayAfter(rows[0]!.failures, delay);
    await this.db.query(`UPDATE login_failures SET blocked_until = $2::timestamptz + make_interval(secs => $3::float8) WHERE key = $1`, [key, at, seconds]);
    return seconds;
  }

  async clear(key: string): Promise<void> {
    await this.db.query('DELETE FROM login_failures WHERE key = $1', [key]);
  }

  /** Now and then, drop rows nobody has touched for a day. */
  private async sweep() {
    this.writes += 1;
    if (this.writes % 5000 !== 0) return;
    const cutoff = new Date(this.now() - 86_400_000).toISOString();
    await this.db.query('DELETE FROM rate_buckets WHERE at < $1::timestamptz', [cutoff]);
    await this.db.query('DELETE FROM login_failures WHERE at < $1::timestamptz', [cutoff]);
  }
}
