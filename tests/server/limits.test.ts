/**
 * Limits keyed right, probed as an attacker would: password guessing that must not lock the real
 * lead out, spoofed X-Forwarded-For, join-code guessing beside an office of 50 joining at once,
 * a flood of logins that must not burn scrypt without bound, look-alike names, Secure cookies,
 * the CSP, a health check that writes, and logs without values.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CODE_ALPHABET, JOIN_CODE_LENGTH, newJoinCode, SCRYPT_QUEUE, SCRYPT_SLOTS, scryptLoad } from '../../src/server/auth';
import { createApp, DEFAULT_LIMITS, PAGE_CSP, type AppOptions } from '../../src/server/app';
import { MemoryLimits } from '../../src/server/rate-limit';
import type { Service } from '../../src/server/service';
import { addLead, call, login, newCohort, PASSWORD, testService } from './helpers';

let service: Service;
let cookie: string;
let cohort: { id: number; code: string };

beforeAll(async () => {
  service = await testService({ limits: { login: { burst: 1000, perSecond: 1000 } } });
  await addLead(service, 'Lin');
  cookie = await login(service, 'Lin');
  cohort = await newCohort(service, cookie, 'Limits');
}, 180_000);
afterAll(async () => service?.close());

/** An app on the shared database with its own clock and buckets. */
function appWith(options: Partial<AppOptions> = {}) {
  const clock = { t: Date.parse('2026-11-29T12:00:00Z') };
  const now = () => clock.t;
  const app = createApp({ repository: service.repository, catalogue: service.catalogue, now, limitStore: new MemoryLimits(now), ...options });
  return { app, clock };
}
const from = (address: string, extra: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': address, ...extra } });

describe('login', () => {
  it('slows a (name, address) pair with growing delays and never locks the real lead out from elsewhere', async () => {
    const { app, clock } = appWith({ trustProxy: 1 });
    const wrong = (address: string) => call(app, 'POST', '/api/login', { body: { name: 'Lin', password: 'not it' }, ...from(address) });
    // Three free failures, then 2 s, 4 s, 8 s…
    const waits: (string | null)[] = [];
    for (let i = 0; i < 3; i++) expect((await wrong('198.51.100.66')).status).toBe(401);
    for (const step of [2, 4, 8]) {
      const r = await wrong('198.51.100.66');
      expect(r.status).toBe(401);
      const blocked = await wrong('198.51.100.66');
      expect(blocked.status).toBe(429);
      waits.push(blocked.headers.get('retry-after'));
      clock.t += step * 1000;
    }
    expect(waits).toEqual(['2', '4', '8']);
    // The stranger's failures do nothing to the lead's own address.
    const real = await call(app, 'POST', '/api/login', { body: { name: 'Lin', password: PASSWORD }, ...from('203.0.113.10') });
    expect(real.status).toBe(200);
    // And a right password after the wait clears the pair's count.
    clock.t += 16_000;
    expect((await call(app, 'POST', '/api/login', { body: { name: 'Lin', password: PASSWORD }, ...from('198.51.100.66') })).status).toBe(200);
    expect((await wrong('198.51.100.66')).status).toBe(401);
  });

  it('takes the client address from the right-most hops of X-Forwarded-For, however the client spoofs the left', async () => {
    const { app } = appWith({ trustProxy: 1, limits: { login: { burst: 3, perSecond: 0.001 } } });
    // The client writes a new made-up address each time; the one proxy appends the real one.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(app, 'POST', '/api/login', { body: { name: `Nobody${i}`, password: 'x' }, ...from(`10.9.8.${i}, 192.0.2.44`) });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);

    // Two proxies: the hop two from the right is the client.
    const two = appWith({ trustProxy: 2, limits: { login: { burst: 1, perSecond: 0.001 } } }).app;
    const a = await call(two, 'POST', '/api/login', { body: { name: 'X', password: 'x' }, ...from('1.1.1.1, 192.0.2.50, 10.0.0.2') });
    const b = await call(two, 'POST', '/api/login', { body: { name: 'X', password: 'x' }, ...from('2.2.2.2, 192.0.2.50, 10.0.0.2') });
    const c = await call(two, 'POST', '/api/login', { body: { name: 'X', password: 'x' }, ...from('192.0.2.51, 10.0.0.2') });
    expect([a.status, b.status, c.status]).toEqual([401, 429, 401]);

    // No trusted proxy: the header is the client's and counts for nothing.
    const none = appWith({ limits: { login: { burst: 1, perSecond: 0.001 } } }).app;
    const d = await call(none, 'POST', '/api/login', { body: { name: 'X', password: 'x' }, ...from('1.1.1.1') });
    const e = await call(none, 'POST', '/api/login', { body: { name: 'X', password: 'x' }, ...from('2.2.2.2') });
    expect([d.status, e.status]).toEqual([401, 429]);
  });

  it('runs at most a fixed number of scrypt hashes at once, whatever names and addresses a flood uses', async () => {
    const { app } = appWith({ trustProxy: 1 });
    scryptLoad.peak = 0;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(app, 'POST', '/api/login', { body: { name: `Made Up ${i}`, password: 'guess' }, ...from(`198.18.${i}.1`) })),
    );
    expect(scryptLoad.peak).toBeLessThanOrEqual(SCRYPT_SLOTS);
    const statuses = answers.map((a) => a.status);
    // Two run, sixteen wait, the rest hear "busy" at once instead of queueing without end.
    expect(statuses.filter((s) => s === 401)).toHaveLength(SCRYPT_SLOTS + SCRYPT_QUEUE);
    expect(statuses.filter((s) => s === 503)).toHaveLength(40 - SCRYPT_SLOTS - SCRYPT_QUEUE);
    expect(answers.find((a) => a.status === 503)!.json.error).toMatch(/busy/);
  });
});

describe('joining', () => {
  it('lets an office of 50 behind one address join at once with the default limits', async () => {
    const office = await newCohort(service, cookie, 'Office of 50');
    const { app } = appWith({ trustProxy: 1, limits: DEFAULT_LIMITS });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await call(app, 'POST', '/api/join', { body: { name: `Agent ${String(i).padStart(2, '0')}`, code: office.code }, ...from('203.0.113.200') })).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
  });

  it('stops a code guesser — right code or wrong — while another address joins', async () => {
    const { app, clock } = appWith({ trustProxy: 1, limits: DEFAULT_LIMITS });
    const guesses: number[] = [];
    for (let i = 0; i < 12; i++) guesses.push((await call(app, 'POST', '/api/join', { body: { name: `G${i}`, code: newJoinCode() }, ...from('198.51.100.7') })).status);
    expect(guesses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(guesses.slice(10)).toEqual([429, 429]);
    // Out of tries, the right code is refused too: a hit looks like a miss.
    const hit = await call(app, 'POST', '/api/join', { body: { name: 'Guesser', code: cohort.code }, ...from('198.51.100.7') });
    expect(hit.status).toBe(429);
    expect(hit.json.error).toMatch(/wrong join codes/);
    const other = await call(app, 'POST', '/api/join', { body: { name: 'Honest', code: cohort.code }, ...from('198.51.100.8') });
    expect(other.status).toBe(201);
    // One more guess a minute.
    clock.t += 60_000;
    expect((await call(app, 'POST', '/api/join', { body: { name: 'G', code: newJoinCode() }, ...from('198.51.100.7') })).status).toBe(400);
  });

  it('makes codes of about 40 bits from a read-aloud alphabet, evenly', () => {
    expect(JOIN_CODE_LENGTH * Math.log2(CODE_ALPHABET.length)).toBeGreaterThan(39);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const ch of newJoinCode()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect([...counts.keys()].sort().join('')).toBe([...CODE_ALPHABET].sort().join(''));
    // 32,000 letters over 31: about 1,032 each; modulo bias would favour the first eight by 1/31.
    for (const n of counts.values()) expect(Math.abs(n - 32_000 / 31)).toBeLessThan(160);
  });

  it('refuses an expired code and no longer lists it', async () => {
    const expiring = await newCohort(service, cookie, 'Expiring');
    await service.db.query(`UPDATE join_codes SET expires_at = now() - interval '1 minute' WHERE code = $1`, [expiring.code]);
    const r = await call(service.app, 'POST', '/api/join', { body: { name: 'Late Comer', code: expiring.code } });
    expect(r.status).toBe(400);
    const list = await call(service.app, 'GET', '/api/cohorts', { cookie });
    const listed = (list.json.cohorts as { id: number; codes: { code: string; expiresAt: string }[] }[]).find((c) => c.id === expiring.id)!;
    expect(listed.codes).toEqual([]);
    const fresh = (list.json.cohorts as { codes: { expiresAt: string }[] }[])[0]!.codes[0]!;
    expect(Date.parse(fresh.expiresAt) - Date.now()).toBeGreaterThan(13 * 86_400_000);
  });
});

describe('names', () => {
  it('refuses invisible and text-direction characters, saying which and where', async () => {
    for (const [name, code] of [
      ['Ali\u200bce', 'U+200B'],
      ['A\u202eecila', 'U+202E'],
      ['Bob\u2066', 'U+2066'],
      ['\u3164Kim', 'U+3164'],
      ['Jo\ufe0f', 'U+FE0F'],
    ] as const) {
      const r = await call(service.app, 'POST', '/api/join', { body: { name, code: cohort.code } });
      expect(r.status, name).toBe(400);
      expect(r.json.error).toContain(code);
    }
  });

  it('stores names as NFC and refuses one that looks like a name already in the cohort', async () => {
    const looks = await newCohort(service, cookie, 'Look-alikes');
    const first = await call(service.app, 'POST', '/api/join', { body: { name: 'Alice Chen', code: looks.code } });
    expect(first.status).toBe(201);
    for (const name of ['Аlice Chen' /* Cyrillic А */, 'ALICE CHEN', 'Ａｌｉｃｅ Ｃｈｅｎ', 'Alicé Chen', 'Al1ce Chen', 'Alice-Chen', 'Aiice Chen']) {
      const r = await call(service.app, 'POST', '/api/join', { body: { name, code: looks.code } });
      expect(r.status, name).toBe(409);
      expect(r.json.error).toContain('looks too much like “Alice Chen”');
    }
    const composed = await call(service.app, 'POST', '/api/join', { body: { name: 'Zoe\u0301', code: looks.code } });
    expect(composed.json.trainee.name).toBe('Zoé');
    expect((await call(service.app, 'POST', '/api/join', { body: { name: 'Alice Cheng', code: looks.code } })).status).toBe(201);
    // Another cohort may have its own Alice Chen.
    expect((await call(service.app, 'POST', '/api/join', { body: { name: 'Аlice Chen', code: cohort.code } })).status).toBe(201);
  });
});

describe('cookies and pages', () => {
  it('marks the session cookie Secure over https, directly or as a trusted proxy says', async () => {
    const secureOf = async (app: ReturnType<typeof appWith>['app'], url: string, headers: Record<string, string> = {}) => {
      const r = await app.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'Lin', password: PASSWORD }) });
      expect(r.status).toBe(200);
      return /;\s*Secure/i.test(r.headers.get('set-cookie') ?? '');
    };
    const direct = appWith().app;
    expect(await secureOf(direct, 'http://localhost/api/login')).toBe(false);
    expect(await secureOf(direct, 'https://localhost/api/login')).toBe(true);
    // A client's own X-Forwarded-Proto means nothing without a trusted proxy.
    expect(await secureOf(direct, 'http://localhost/api/login', { 'x-forwarded-proto': 'https' })).toBe(false);
    const proxied = appWith({ trustProxy: 1 }).app;
    expect(await secureOf(proxied, 'http://localhost/api/login', { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' })).toBe(true);
    expect(await secureOf(proxied, 'http://localhost/api/login', { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.9' })).toBe(false);
  });

  it('sends a Content-Security-Policy with every page, not only the dashboard', async () => {
    const { app } = appWith({ staticFiles: async (c) => c.html('<!doctype html><title>page</title>') });
    for (const path of ['/', '/index.html', '/preview.html', '/assets/index-abc.js']) {
      const r = await app.request(`http://localhost${path}`);
      expect(r.headers.get('content-security-policy'), path).toBe(PAGE_CSP);
    }
    const dashboard = await app.request('http://localhost/dashboard.html');
    expect(dashboard.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});

describe('health and logs', () => {
  it('fails the health check when the database cannot write, and logs no names or tokens on a failure', async () => {
    const broken = await testService();
    try {
      expect((await call(broken.app, 'GET', '/api/health')).status).toBe(200);
      // Every write to these tables now fails, as on a full disk or read-only files.
      await broken.db.exec(`
        CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not write block 7 of relation base/5/16384: No space left on device'; END $$;
        CREATE TRIGGER health_refuses BEFORE INSERT OR UPDATE ON health_checks FOR EACH ROW EXECUTE FUNCTION refuse_write();
        CREATE TRIGGER trainees_refuse BEFORE INSERT ON trainees FOR EACH ROW EXECUTE FUNCTION refuse_write();`);
      const logged: string[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.stack} ${JSON.stringify(a)}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
      try {
        const health = await call(broken.app, 'GET', '/api/health');
        expect(health.status).toBe(503);
        expect(health.json).toMatchObject({ ok: false, error: 'the database cannot write' });

        await broken.repository.createLead('Log Lead', 'scrypt$1$1$1$x$y');
        const code = (await broken.db.query<{ code: string }>(`INSERT INTO cohorts (lead_id, name) SELECT id, 'C' FROM leads RETURNING 'LOGCODE1' AS code`))[0]!.code;
        await broken.db.query(`INSERT INTO join_codes (code, cohort_id) SELECT $1, id FROM cohorts`, [code]);
        const r = await call(broken.app, 'POST', '/api/join', { body: { name: 'Secret Person', code } });
        expect(r.status).toBe(500);
      } finally {
        spy.mockRestore();
      }
      const text = logged.join('\n');
      expect(text).toMatch(/POST \/api\/join/);
      expect(text).toMatch(/No space left on device/);
      expect(text).not.toMatch(/Secret Person|LOGCODE1|INSERT INTO/);
      expect(text).not.toMatch(/[0-9a-f]{64}/); // no token hash
    } finally {
      await broken.close();
    }
  }, 120_000); // a fresh PGlite takes seconds on a busy machine
});
