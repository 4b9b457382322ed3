/**
 * The results service as a Hono app, built by a factory so tests call it in-process with
 * `app.request()`; `main.ts` listens on a port. Trainees authenticate with a bearer token from
 * joining a cohort; leads with an httpOnly, SameSite=Strict session cookie.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { attemptSchema, attemptSeed, canonicalJson, defaultRulebook, type Attempt } from '../engine/index';
import { decoyHash, hashPassword, newJoinCode, newToken, ScryptBusyError, tokenHash, verifyPassword } from './auth';
import { toCsv } from './csv';
import { limitBody } from './body-limit';
import { buildDebrief } from './debrief';
import { nameSkeleton } from './names';
import { BackgroundLane, EXPORT_CHUNK_CHARS, EXPORT_CHUNK_ROWS, jsonStream, nextLink } from './paging';
import { DbLimits, MemoryLimits, type GrowingDelay, type LimitStore, type RateLimit } from './rate-limit';
import type { AttemptFilter, LeadSession, ListedAttempt, PageEnd, PageRequest, Repository, StoredAttempt, TraineeRow } from './repository';
import type { ScenarioCatalogue } from './scenarios';
import * as S from './schemas';
import { adminRoutes } from './routes/admin';
import type { LrsSender } from './lrs';
import { DEFAULT_PUBLIC_URL, publicAddress, statementRenderer } from './xapi';
import { analyticsRoutes } from './routes/analytics';
import { AssignmentStore } from './repository/assignments';
import { mountAssignmentRoutes, startForAssignment } from './routes/assignments';
import { resolve } from 'node:path';
import { mountStudioRoutes } from './routes/studio';
import { cmi5Routes } from './routes/cmi5';
import { LIVE_CATALOG_COOKIE_HEADER, mountCatalogRoutes } from './routes/catalog';
import { SCENARIOS_FOLDER, VoiceMaker } from './studio-voices';
import { cmi5PagePolicy } from './cmi5';
import { ReplayBatch, type Replayer } from './replay';
import { isServerStart, startSeed } from './vouch';

export const SESSION_COOKIE = 'htl_session';
const SESSION_HOURS = 12;
/** An attempt of 500 steps is about 40 KB; nothing else comes close to 4 KB. */
export const BODY_LIMITS = { attempt: 64 * 1024, small: 4 * 1024 } as const;
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/**
 * Every other page (the game, the preview, anything static): only this origin's scripts. Phaser
 * draws its stock textures from data: URLs and reads loaded files through blob: URLs, Howler
 * probes audio with a data: URL, the scorer runs in a module worker, the preview downloads through
 * a blob: link. Inline styles stay allowed for element sizes set by the pages.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The /api answers' policy: nothing to load, never framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers on every answer, page or API: what Hono's `secureHeaders` sent with
 * `{ crossOriginEmbedderPolicy: false, crossOriginResourcePolicy: 'same-origin' }`, set after the
 * handler over any of the same name.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** A JSON /api answer's headers, whole: lower-case names in the order a web Headers object lists them (the same bytes on the wire). */
const API_JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(
  [['Cache-Control', 'no-store'], ['Content-Security-Policy', API_CSP], ['Content-Type', 'application/json'], ...SECURITY_HEADERS]
    .map(([name, value]) => [name!.toLowerCase(), value!] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1)),
));

/** Answers built with every header they need (`apiAnswer`): the header middleware leaves them alone. */
const builtWhole = new WeakSet<Response>();

/** A JSON /api answer with every /api header, for a route that set none of its own (no cookie, no Retry-After). */
function apiAnswer(json: string, status: number): Response {
  const response = new Response(json, { status, headers: API_JSON_HEADERS });
  builtWhole.add(response);
  return response;
}

export interface AppLimits {
  /** Login tries per client address, whatever the name. */
  login: RateLimit;
  /** Per (name, address): failures allowed, then a growing wait. Another address is never slowed. */
  loginDelay: GrowingDelay;
  /** Joins per client address: an office of 50 behind one address joins within a minute. */
  join: RateLimit;
  /** Joins per join code. */
  joinPerCode: RateLimit;
  /** Wrong join codes per client address: a guesser out of tries is refused before the code is looked up. */
  joinGuess: RateLimit;
  /** Calls started, per trainee. */
  start: RateLimit;
  /** Per trainee. */
  submit: RateLimit;
  /** Per client address, over every trainee behind it. */
  submitPerAddress: RateLimit;
}

export const DEFAULT_LIMITS: AppLimits = {
  login: { burst: 10, perSecond: 1 / 6 },
  loginDelay: { free: 3, firstSeconds: 2, maxSeconds: 900 },
  join: { burst: 60, perSecond: 1 },
  joinPerCode: { burst: 100, perSecond: 1 },
  joinGuess: { burst: 10, perSecond: 1 / 60 },
  start: { burst: 30, perSecond: 1 },
  submit: { burst: 30, perSecond: 1 },
  submitPerAddress: { burst: 600, perSecond: 50 },
};

export interface AppOptions {
  repository: Repository;
  catalogue: ScenarioCatalogue;
  limits?: Partial<AppLimits>;
  /** Serves the built game and dashboard for any path outside /api/. */
  staticFiles?: (c: Context, next: () => Promise<void>) => Promise<Response | void>;
  /** A one-time token that lets the first lead be created from the dashboard while there is none. */
  setupToken?: string | null;
  /** The scenarios folder the trainer studio writes into (default: the project's scenarios/). */
  scenariosDir?: string;
  /** Makes the voices of a caller the studio saves (npm start passes one); default: none are made. */
  voices?: VoiceMaker;
  /** Send cookies with Secure always (they are anyway when the page is served over https). */
  secureCookies?: boolean;
  /**
   * How many proxies in front of the server to trust (TRUST_PROXY): the client address is taken
   * that many hops from the right of X-Forwarded-For (the part the proxies wrote, never the part
   * the client wrote), and X-Forwarded-Proto/-Host from the nearest proxy. 0 or false: the socket's.
   */
  trustProxy?: number | boolean;
  /**
   * The service's public address (PUBLIC_URL): the base of the xAPI statements' IRIs, whatever host a
   * request named. Default: `npm start`'s own address, http://127.0.0.1:3000.
   */
  publicUrl?: string;
  /** The key that signs attempt starts (service.ts keeps one in the database for every app server); random if not given. */
  startSecret?: string;
  /** Where the rate limits live; default: the database on PostgreSQL (shared by app servers), memory on PGlite. */
  limitStore?: LimitStore;
  /** Threads that replay submissions (src/server/replay.ts); without, the request thread does, a turn of the event loop at a time (ReplayBatch). */
  replays?: Replayer | null;
  /** Forwarding to an LRS (src/server/lrs.ts), when LRS_URL is set: health shows its queue; a stored attempt wakes it. */
  lrs?: Pick<LrsSender, 'status' | 'poke'>;
  now?: () => number;
}

/**
 * The submission route's schemas compiled (zod's z.compile: generated code, and zod's own parser,
 * with its messages, for anything the generated code refuses): a third of the CPU of the runtime
 * parser for an attempt. Same answers (tests/server/attempt-schema.test.ts).
 */
export const attemptBodySchema = z.compile(attemptSchema);
const attemptAnswerSchema = z.compile(S.attemptAnswer);

type Env = { Variables: { lead: LeadSession; trainee: TraineeRow } };

/** What a session answer says about its lead. */
export const sessionLeadOf = (l: LeadSession): S.SessionLead => ({ id: l.id, name: l.name, isAdmin: l.isAdmin, isTrainer: l.isTrainer, mustChangePassword: l.passwordTemporary });

const fail = (status: ContentfulStatusCode, message: string): never => {
  throw new HTTPException(status, { message });
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) return fail(400, `${what}: ${describeIssues(result.error)}`);
  return result.data;
}

async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) fail(400, 'send the body as JSON with Content-Type: application/json');
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    fail(400, 'the body is not valid JSON');
  }
  return parse(schema, value, 'the body is not valid');
}

/** Checks an answer against its schema before it leaves: a bug here must not leak fields. */
function send<T extends z.ZodType>(c: Context, schema: T, value: z.input<T>, status: ContentfulStatusCode = 200) {
  const checked = schema.safeParse(value);
  if (!checked.success) {
    console.error(`answer to ${c.req.method} ${c.req.path} failed its schema: ${describeIssues(checked.error)}`);
    return c.json({ error: 'the server built an invalid answer' }, 500);
  }
  return c.json(checked.data as object, status);
}

/** `send` for a route that set no header of its own: the answer is built with every /api header at once (`apiAnswer`). */
function sendWhole<T extends z.ZodType>(c: Context, schema: T, value: z.input<T>, status: ContentfulStatusCode = 200) {
  const checked = schema.safeParse(value);
  if (!checked.success) return send(c, schema, value, status);
  return apiAnswer(JSON.stringify(checked.data), status);
}

/** Flags are for the lead: a trainee's own list and transcript leave them out. */
const summary = (a: ListedAttempt, forLead = true): z.input<typeof S.attemptSummary> => ({
  id: a.id,
  traineeId: a.traineeId,
  traineeName: a.traineeName,
  scenarioId: a.scenarioId,
  scenarioRevision: a.scenarioRevision,
  language: a.language,
  startedAt: a.startedAt,
  receivedAt: a.receivedAt,
  outcome: a.outcome,
  passed: a.passed,
  total: a.total,
  dimensions: a.dimensions,
  durationMs: a.durationMs,
  mode: a.mode,
  timedByServer: a.timedByServer,
  claimedStartedAt: a.claimedStartedAt,
  flags: forLead ? a.flags : [],
});

export function createApp(options: AppOptions) {
  const { repository, catalogue } = options;
  // In the request thread unless the service runs replay threads: taken a turn's worth at a time (ReplayBatch says why).
  const replays = options.replays ?? new ReplayBatch();
  const now = options.now ?? Date.now;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Login and join limits guard secrets: on PostgreSQL they live in the database, so every app
  // server sees the same counts. Submission limits only damp floods: they stay in each process's
  // memory (n servers allow n times as much), so a submission keeps its single database round trip.
  const store = options.limitStore ?? (repository.db.kind === 'postgres' ? new DbLimits(repository.db, now) : new MemoryLimits(now));
  const floodStore = options.limitStore ?? new MemoryLimits(now);
  const proxies = options.trustProxy === true ? 1 : Math.max(0, Math.floor(Number(options.trustProxy ?? 0)));
  let setupToken = options.setupToken ?? null;
  const publicUrl = publicAddress(options.publicUrl ?? DEFAULT_PUBLIC_URL);
  const scenariosDir = options.scenariosDir ?? SCENARIOS_FOLDER;
  const voices = options.voices ?? new VoiceMaker({ root: resolve(scenariosDir, '..'), scenariosDir, enabled: false });
  const startSecret = options.startSecret ?? randomBytes(32).toString('base64url');

  const app = new Hono<Env>();
  const assignments = new AssignmentStore(repository.db);

  const clientAddress = (c: Context): string => {
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
    const socket = incoming?.socket?.remoteAddress ?? 'local';
    if (proxies === 0) return socket;
    // Each proxy appends the address it got the request from: the right-most `proxies` entries of
    // [X-Forwarded-For…, socket] are the trusted proxies, the entry before them is the client.
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    const chain = [...forwarded, socket];
    return chain[Math.max(0, chain.length - 1 - proxies)]!;
  };
  /** The nearest trusted proxy's word (right-most value) for X-Forwarded-Proto/-Host. */
  const fromProxy = (c: Context, header: string): string | undefined => (proxies > 0 ? c.req.header(header)?.split(',').pop()?.trim() || undefined : undefined);
  const servedOverHttps = (c: Context) => new URL(c.req.url).protocol === 'https:' || fromProxy(c, 'x-forwarded-proto')?.toLowerCase() === 'https';

  const refuse = (c: Context, wait: number, message: string): never => {
    c.header('Retry-After', String(wait));
    return fail(429, message);
  };
  const limit = async (c: Context, key: string, rate: RateLimit, what: string, where: LimitStore = store) => {
    const wait = await where.take(key, rate);
    if (wait > 0) refuse(c, wait, `too many ${what}; try again in ${wait} s`);
  };
  /** Keys hold names and addresses: hashed, they do not sit in the database in clear. */
  const limitKey = (kind: string, ...parts: string[]) => `${kind}:${tokenHash(parts.join('\u0000')).slice(0, 32)}`;

  /** A log line without parameters, names or tokens: the route, the error's kind and its message with quoted values cut. */
  const logFailure = (c: Context, error: unknown) => {
    const e = error as { name?: string; code?: string; message?: string };
    const message = String(e?.message ?? error)
      .replace(/"[^"]*"|'[^']*'|“[^”]*”/g, '“…”')
      .slice(0, 300);
    console.error(`${c.req.method} ${c.req.routePath}: ${e?.name ?? 'Error'}${e?.code ? ` ${e.code}` : ''}: ${message}`);
  };

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const response = c.json({ error: error.message }, error.status);
      const retry = c.res.headers.get('Retry-After');
      if (retry) response.headers.set('Retry-After', retry);
      return response;
    }
    if (error instanceof ScryptBusyError) return c.json({ error: error.message }, 503, { 'Retry-After': '2' });
    logFailure(c, error);
    return c.json({ error: 'the server failed; the request was not carried out' }, 500);
  });

  const exportLane = new BackgroundLane();

  // Every answer's headers, in one middleware (it was three: Hono's secureHeaders, the /api and page
  // headers, the cmi5 frame check), which also keeps the export lane. An answer built by
  // `apiAnswer` already has every /api header in a plain object and is left as it is: written by
  // @hono/node-server straight from that object, without a web Headers object to build, set 13
  // times and copy back out (bench/server-cpu-http.ts). tests/server/answer-headers.test.ts holds
  // every answer's headers, in-process and on the wire.
  app.use('*', async (c, next) => {
    const path = c.req.path;
    // Exports are background work: they yield to every other request (BackgroundLane, src/server/paging.ts).
    const leave = path === '/api/xapi' ? null : exportLane.enter();
    try {
      await next();
      if (!builtWhole.has(c.res)) answerHeaders(c, path);
    } finally {
      leave?.();
    }
  });
  const answerHeaders = (c: Context, path: string) => {
    if (path.startsWith('/api/')) {
      // On the answer's own headers: c.header() after the handler copies the answer into a new web
      // Response with a stream for its body (@hono/node-server then reads it back chunk by chunk);
      // the headers of the answer as built are the same headers, written straight to the socket.
      const headers = c.res.headers;
      headers.set('Cache-Control', 'no-store');
      headers.set('Content-Security-Policy', API_CSP);
    } else {
      // The lead's page runs only its own scripts; inline styles stay allowed for bar widths and colours.
      const trainee = path === '/' || path === '/index.html';
      // A cmi5 launch may reach the LMS that launched it (src/server/cmi5.ts).
      const launch = trainee && c.req.query('fetch') ? cmi5PagePolicy(PAGE_CSP, new URL(c.req.url).searchParams) : null;
      c.header('Content-Security-Policy', path === '/dashboard.html' ? DASHBOARD_CSP : (launch ?? PAGE_CSP));
      // The trainee's page, served here, asks this server for its live list of callers (issue 17; src/game/catalog.ts).
      if (trainee) c.header('Set-Cookie', LIVE_CATALOG_COOKIE_HEADER, { append: true });
    }
    const headers = c.res.headers;
    for (const [name, value] of SECURITY_HEADERS) headers.set(name, value);
    headers.delete('X-Powered-By');
    // A cmi5 launch's page may be framed by its LMS (frame-ancestors names it): no X-Frame-Options then.
    if (/frame-ancestors http/.test(headers.get('Content-Security-Policy') ?? '')) headers.delete('X-Frame-Options');
  };

  // Cookie-authenticated changes must come from this origin (SameSite=Strict already refuses most).
  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin && getCookie(c, SESSION_COOKIE)) {
        const host = fromProxy(c, 'x-forwarded-host') ?? new URL(c.req.url).host;
        let originHost: string | null = null;
        try {
          originHost = new URL(origin).host;
        } catch {
          originHost = null;
        }
        if (!host || originHost !== host) fail(403, 'a change to a lead’s data must come from the dashboard’s own page');
      }
    }
    await next();
  });

  const small = limitBody(BODY_LIMITS.small, (c) => c.json({ error: `the body is over ${BODY_LIMITS.small} bytes` }, 413));
  const attemptBody = limitBody(BODY_LIMITS.attempt, (c) => c.json({ error: `an attempt is at most ${BODY_LIMITS.attempt} bytes` }, 413));

  const trainee = async (c: Context<Env>, next: () => Promise<void>) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header)?.[1];
    if (!token) return fail(401, 'join a cohort first: no trainee token was sent');
    const found = await repository.findTraineeByToken(tokenHash(token));
    if (!found) return fail(401, 'this trainee token is not known here; join the cohort again');
    c.set('trainee', found);
    await next();
  };

  const lead = async (c: Context<Env>, next: () => Promise<void>) => {
    const token = getCookie(c, SESSION_COOKIE);
    const found = token && token.length <= 100 ? await repository.findSessionLead(tokenHash(token)) : null;
    if (!found) return fail(401, 'log in as a team lead first');
    // An admin set this password (a new lead, a reset): nothing but choosing one's own until then.
    if (found.passwordTemporary && !(c.req.path === '/api/session' || c.req.path === '/api/password')) {
      return fail(403, 'choose your own password first: an admin set the one you logged in with');
    }
    c.set('lead', found);
    await next();
  };

  // Public

  // Writes, so a database that can only read (full disk, read-only files, lost storage) is not healthy.
  app.get('/api/health', async (c) => {
    try {
      await repository.healthWrite();
    } catch (error) {
      logFailure(c, error);
      return c.json({ ok: false, database: repository.db.kind, error: 'the database cannot write' }, 503);
    }
    // Anyone may ask whether the server is healthy; the LRS's address and its error texts are for leads (GET /api/lrs).
    const lrs = options.lrs
      ? await options.lrs.status().then(
          (status) => ({ queued: status.queued, failing: status.failing }),
          () => ({ error: 'the LRS queue cannot be read' }),
        )
      : undefined;
    return c.json({ ok: true, database: repository.db.kind, scenarios: catalogue.current.size, ...(lrs ? { lrs } : {}) });
  });

  // The callers on offer, live, with their files and voices (issue 17): src/server/routes/catalog.ts.
  mountCatalogRoutes(app, { catalogue, voices, scenariosDir, send });

  // Trainees

  app.post('/api/join', small, async (c) => {
    const address = clientAddress(c);
    await limit(c, limitKey('join', address), limits.join, 'attempts to join from this address');
    const body = await readJson(c, S.joinBody);
    // Checked before the code is looked up: a guesser out of tries learns nothing, right code or wrong.
    const guessKey = limitKey('join-guess', address);
    const guessWait = await store.peek(guessKey, limits.joinGuess);
    if (guessWait > 0) refuse(c, guessWait, `too many wrong join codes from this address; try again in ${guessWait} s`);
    await limit(c, limitKey('join-code', body.code), limits.joinPerCode, 'joins with this code');
    const token = newToken();
    const joined = await repository.joinCohort(body.code, body.name, tokenHash(token), nameSkeleton(body.name));
    if (joined === 'bad-code') {
      await store.take(guessKey, limits.joinGuess);
      return fail(400, `join code ${body.code} is not open; ask your team lead for the current code`);
    }
    if ('taken' in joined) {
      return fail(
        409,
        joined.taken === body.name
          ? `someone called “${body.name}” is already in this cohort; add an initial or a surname`
          : `“${body.name}” looks too much like “${joined.taken}”, who is already in this cohort; add an initial or a surname`,
      );
    }
    return send(c, S.joinAnswer, { token, trainee: { id: joined.id, name: joined.name }, cohort: { id: joined.cohortId, name: joined.cohortName } }, 201);
  });

  app.get('/api/me', trainee, (c) => {
    const t = c.get('trainee');
    return send(c, S.meAnswer, { trainee: { id: t.id, name: t.name }, cohort: { id: t.cohortId, name: t.cohortName } });
  });

  app.get('/api/me/attempts', trainee, async (c) => {
    const query = parse(S.pageQuery, c.req.query(), 'the query is not valid');
    return streamList(c, '{"attempts":[', repository.traineeAttempts(c.get('trainee').id, {}, pageOf(query)), false);
  });

  // The server starts a call: its id, its seed (option order, wording, starting anger) and the
  // server's clock. The attempt sent back with these is timed by the server (src/server/vouch.ts).
  app.post('/api/attempts/start', small, trainee, async (c) => {
    const me = c.get('trainee');
    await limit(c, `start:${me.id}`, limits.start, 'calls started', floodStore);
    const body = await readJson(c, S.startBody);
    const entry = catalogue.current.get(body.scenarioId);
    if (!entry) return fail(404, `scenario “${body.scenarioId}” is not known here`);
    const attemptId = randomUUID();
    const startedAt = new Date(now()).toISOString();
    const seed = startSeed(startSecret, { attemptId, traineeId: me.id, scenarioId: entry.scenario.id, mode: body.mode, startedAt });
    // An assessment only from an assignment of the trainee's cohort, counted (src/server/routes/assignments.ts).
    const counted = await startForAssignment(assignments, me, body, startedAt, (tx, assignmentId) =>
      repository.recordAttemptStart({ id: attemptId, traineeId: me.id, scenarioId: entry.scenario.id, seed, mode: body.mode, startedAt, assignmentId }, tx),
    );
    return send(c, S.startAnswer, { attemptId, seed, startedAt, mode: body.mode, scenarioId: entry.scenario.id, scenarioRevision: entry.scenario.revision, scenarioHash: entry.hash, ...counted }, 201);
  });

  app.post('/api/attempts', attemptBody, trainee, async (c) => {
    const me = c.get('trainee');
    await limit(c, limitKey('submit-address', clientAddress(c)), limits.submitPerAddress, 'attempts from this address', floodStore);
    await limit(c, `submit:${me.id}`, limits.submit, 'attempts sent', floodStore);
    const attempt = await readJson(c, attemptBodySchema);
    // The device's startedAt is a claim: kept beside the server's dates, never used for ordering,
    // so a wrong clock (an hour ahead, or 2001) neither loses the attempt nor tops the dashboard.

    // A repeat is found by the insert (ON CONFLICT), not by a read before it: one round trip.
    const entry = await catalogue.byContentHash(attempt.scenarioHash, repository);
    if (!entry) {
      const current = catalogue.current.get(attempt.scenarioId);
      return fail(
        400,
        current
          ? `scenario “${attempt.scenarioId}” with hash ${attempt.scenarioHash.slice(0, 12)}… is not a version this server knows (it has revision ${current.scenario.revision}, hash ${current.hash.slice(0, 12)}…); reload the game`
          : `scenario “${attempt.scenarioId}” is not known here`,
      );
    }
    if (entry.scenario.id !== attempt.scenarioId || entry.scenario.revision !== attempt.scenarioRevision) {
      fail(400, `the hash names scenario “${entry.scenario.id}” revision ${entry.scenario.revision}, not “${attempt.scenarioId}” revision ${attempt.scenarioRevision}`);
    }
    const seed = attemptSeed(attempt);
    // Dates and durations are the server's: from its start to its receipt when it started the call
    // (the seed proves it), else the receipt, with the device's claim kept beside it.
    const mode = attempt.format === 2 ? attempt.mode : 'practice';
    const received = now();
    const vouched = isServerStart(startSecret, { attemptId: attempt.attemptId, traineeId: me.id, scenarioId: attempt.scenarioId, mode, startedAt: attempt.startedAt }, seed);
    const serverElapsedMs = vouched ? received - Date.parse(attempt.startedAt) : null;
    // The replay, the flags and the prints: in a replay thread when there are any, else batched in this thread (src/server/replay.ts).
    const input = { scenario: entry.scenario, hash: entry.hash, steps: attempt.steps, seed, language: attempt.language, serverElapsedMs, claimedStartedAt: attempt.startedAt };
    const replayed = await replays.replay(input);
    if (replayed.kind === 'problem') {
      const { step, message, offered } = replayed;
      return fail(400, `step ${step + 1} is not possible in “${attempt.scenarioId}”: ${message}${offered.length ? ` (on offer: ${offered.join(', ')})` : ''}`);
    }
    if (replayed.kind === 'unfinished') return fail(400, `the steps stop before the call ends (the call was at node “${replayed.node}”)`);
    const result = replayed;
    const dimensions = result.dimensions;
    const stored = await repository.insertAttempt({
      id: attempt.attemptId,
      traineeId: me.id,
      cohortId: me.cohortId,
      scenarioId: entry.scenario.id,
      scenarioHash: entry.hash,
      scenarioRevision: entry.scenario.revision,
      language: attempt.language,
      startedAt: new Date(vouched ? Date.parse(attempt.startedAt) : received).toISOString(),
      steps: attempt.steps,
      seed: seed ?? null,
      mode,
      outcome: result.outcome,
      passed: result.passed,
      total: result.total,
      dimensions,
      durationMs: Math.round(serverElapsedMs ?? result.durationMs),
      timedByServer: vouched,
      claimedStartedAt: vouched ? null : attempt.startedAt,
      replayPrint: result.replayPrint,
      choicePrint: result.choicePrint,
      flags: result.flags,
      receivedAt: new Date(received).toISOString(),
      brokenRules: result.brokenRules,
      decisions: result.decisions,
    });
    if (stored === 'stored') options.lrs?.poke();
    if (stored === 'exists') {
      // Sent twice at once: the other request stored it first.
      const other = await repository.getAttempt(attempt.attemptId);
      if (other) return answerRepeat(c, me, attempt, other);
    }
    return sendWhole(c, attemptAnswerSchema, { attemptId: attempt.attemptId, stored: true, result: { outcome: result.outcome, passed: result.passed, total: result.total, dimensions } }, 201);
  });

  /** The same attempt again is acknowledged with the stored result; a changed one is refused. */
  function answerRepeat(c: Context, me: TraineeRow, attempt: Attempt, earlier: StoredAttempt) {
    if (earlier.traineeId !== me.id) return fail(409, `attempt id ${attempt.attemptId} is already taken; make a new id for a new attempt`);
    if (earlier.scenarioHash !== attempt.scenarioHash || canonicalJson(earlier.steps) !== canonicalJson(attempt.steps) || earlier.seed !== (attemptSeed(attempt) ?? null)) {
      return fail(409, `attempt ${attempt.attemptId} was already stored with other steps; a stored attempt cannot be changed`);
    }
    return sendWhole(c, attemptAnswerSchema, {
      attemptId: earlier.id,
      stored: false,
      result: { outcome: earlier.outcome, passed: earlier.passed, total: earlier.total, dimensions: earlier.dimensions },
    });
  }

  // One attempt's annotated transcript: its trainee, or the lead of its cohort.
  app.get('/api/attempts/:id', async (c) => {
    const id = parse(S.uuidParam, c.req.param('id'), 'the attempt id is not valid');
    let attempt: StoredAttempt | null;
    const byTrainee = Boolean(c.req.header('authorization'));
    if (byTrainee) {
      await trainee(c, async () => undefined);
      attempt = await repository.getAttemptForTrainee(c.get('trainee').id, id);
    } else {
      await lead(c, async () => undefined);
      attempt = await repository.getAttemptForLead(c.get('lead').id, id);
    }
    if (!attempt) return fail(404, `no attempt ${id} that you may read`);
    const entry = await catalogue.byContentHash(attempt.scenarioHash, repository);
    if (!entry) return fail(500, `the scenario version ${attempt.scenarioHash.slice(0, 12)}… of this attempt is missing`);
    const debrief = buildDebrief(entry.scenario, attempt.steps as Attempt['steps'], attempt.seed);
    if (!debrief) return fail(500, 'this attempt no longer replays');
    // The model call goes to a trainee for their own practice call, once it is sent; for an
    // assessment only once the lead has released it (after the due date).
    if (byTrainee && attempt.mode === 'assessment' && !(await assignments.releasedForAttempt(attempt.id))) delete debrief.result.bestPath;
    return send(c, S.attemptDetailAnswer, {
      attempt: summary(attempt, !byTrainee),
      scenario: { id: entry.scenario.id, revision: entry.scenario.revision, title: entry.scenario.title },
      debrief,
    });
  });

  // Leads: sessions

  app.get('/api/setup', async (c) => send(c, S.setupStateAnswer, { setupNeeded: setupToken !== null && (await repository.countLeads()) === 0 }));

  app.post('/api/setup', small, async (c) => {
    await limit(c, limitKey('login', clientAddress(c)), limits.login, 'login attempts from this address');
    const body = await readJson(c, S.setupBody);
    if (!setupToken || (await repository.countLeads()) > 0) return fail(403, 'setup is over: a lead exists; log in, or add leads with npm run admin -- add-lead NAME');
    if (body.token !== setupToken) return fail(403, 'this setup link is not the one the server printed');
    setupToken = null;
    // The first lead is an admin and a trainer (createLead makes it so).
    const leadId = await repository.createLead(body.name, await hashPassword(body.password), { isAdmin: true, isTrainer: true });
    await startSession(c, leadId);
    return send(c, S.sessionAnswer, { lead: { id: leadId, name: body.name, isAdmin: true, isTrainer: true, mustChangePassword: false } }, 201);
  });

  async function startSession(c: Context, leadId: number) {
    const token = newToken();
    await repository.createSession(tokenHash(token), leadId, new Date(now() + SESSION_HOURS * 3600_000));
    const secure = options.secureCookies === true || servedOverHttps(c);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure, path: '/api', maxAge: SESSION_HOURS * 3600 });
  }

  // Wrong passwords slow down the (name, address) pair that sent them, never the name everywhere:
  // a stranger elsewhere cannot lock the real lead out. The address bucket bounds a guesser's names.
  app.post('/api/login', small, async (c) => {
    const address = clientAddress(c);
    await limit(c, limitKey('login', address), limits.login, 'login attempts from this address');
    const body = await readJson(c, S.loginBody);
    const pairKey = limitKey('login-fail', body.name.toLowerCase(), address);
    const wait = await store.blockedFor(pairKey);
    if (wait > 0) refuse(c, wait, `too many wrong passwords for this name from this address; try again in ${wait} s`);
    const found = await repository.findLeadByName(body.name);
    const ok = await verifyPassword(body.password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) {
      const next = await store.fail(pairKey, limits.loginDelay);
      return fail(401, `that name and password do not match a lead${next > 0 ? `; wait ${next} s before the next try` : ''}`);
    }
    await store.clear(pairKey);
    await startSession(c, found.id);
    return send(c, S.sessionAnswer, { lead: sessionLeadOf(found) });
  });

  app.post('/api/logout', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await repository.deleteSession(tokenHash(token));
    deleteCookie(c, SESSION_COOKIE, { path: '/api' });
    return c.json({ ok: true });
  });

  // Forwarding to the LRS in detail: where to, how many sent, the last errors (never credentials).
  app.get('/api/lrs', lead, async (c) => {
    if (!options.lrs) return c.json({ configured: false });
    try {
      return c.json({ configured: true, ...(await options.lrs.status()) });
    } catch (error) {
      logFailure(c, error);
      return c.json({ configured: true, error: 'the LRS queue cannot be read' }, 503);
    }
  });

  app.get('/api/session', lead, (c) => send(c, S.sessionAnswer, { lead: sessionLeadOf(c.get('lead')) }));

  // Leads: cohorts and join codes

  app.get('/api/cohorts', lead, async (c) => send(c, S.cohortListAnswer, { cohorts: await repository.listCohorts(c.get('lead').id) }));

  app.post('/api/cohorts', small, lead, async (c) => {
    const body = await readJson(c, S.cohortBody);
    const id = await repository.createCohort(c.get('lead').id, body.name, newJoinCode());
    if (id === 'name-taken') return fail(409, `you already have a cohort called “${body.name}”`);
    const cohort = (await repository.listCohorts(c.get('lead').id)).find((x) => x.id === id);
    return send(c, S.cohortAnswer, cohort!, 201);
  });

  app.post('/api/cohorts/:id/codes', lead, async (c) => {
    const cohortId = parse(S.idParam, c.req.param('id'), 'the cohort id is not valid');
    const code = newJoinCode();
    if (!(await repository.addJoinCode(c.get('lead').id, cohortId, code))) return fail(404, `no cohort ${cohortId} of yours`);
    return send(c, S.codeAnswer, { code }, 201);
  });

  app.delete('/api/cohorts/:id/codes/:code', lead, async (c) => {
    const cohortId = parse(S.idParam, c.req.param('id'), 'the cohort id is not valid');
    const code = parse(S.joinCode, c.req.param('code'), 'the join code is not valid');
    if (!(await repository.revokeJoinCode(c.get('lead').id, cohortId, code))) return fail(404, `no open join code ${code} in a cohort of yours`);
    return c.json({ ok: true });
  });

  // Leads: the report and its exports

  const filterOf = (q: Pick<z.output<typeof S.reportQuery>, 'from' | 'to' | 'scenario'>): AttemptFilter => ({ from: q.from, to: q.to, scenarioId: q.scenario });
  const reportQueryOf = (c: Context) => parse(S.reportQuery, c.req.query(), 'the query is not valid');

  async function buildReport(c: Context<Env>) {
    const query = reportQueryOf(c);
    const leadId = c.get('lead').id;
    const found = await repository.report(leadId, query.cohort, filterOf(query));
    if (!found) return fail(404, `no cohort ${query.cohort} of yours`);
    const { cohortName, ...report } = found;
    const played = new Set(report.cells.map((cell) => cell.scenarioId));
    // Titles of callers no longer on disk come from the stored versions (one more query, only then).
    const titles = [...played].every((id) => catalogue.title(id)) ? new Map<string, unknown>() : await repository.scenarioTitles();
    const scenarioIds = [...new Set([...catalogue.list().map((s) => s.id), ...played])].filter((id) => !query.scenario || id === query.scenario);
    const scenarios = scenarioIds.map((id) => ({ id, title: catalogue.title(id) ?? (titles.get(id) as S.ReportAnswer['scenarios'][number]['title'] | undefined) ?? { en: id } }));
    const dimensions = defaultRulebook().dimensions.map((d) => ({ id: d.id, name: d.name }));
    return {
      query,
      answer: {
        cohort: { id: query.cohort, name: cohortName },
        filter: { from: query.from ?? null, to: query.to ?? null, scenario: query.scenario ?? null },
        scenarios,
        dimensions,
        ...report,
      } satisfies z.input<typeof S.reportAnswer>,
    };
  }

  app.get('/api/report', lead, async (c) => send(c, S.reportAnswer, (await buildReport(c)).answer));

  app.get('/api/report.csv', lead, async (c) => {
    const { answer, query } = await buildReport(c);
    const language = query.lang ?? 'zh-CN';
    const rows = answer.trainees.flatMap((t) =>
      answer.scenarios.map((s) => {
        const cell = answer.cells.find((x) => x.traineeId === t.id && x.scenarioId === s.id);
        return [t.name, s.id, s.title[language] ?? s.title.en ?? s.id, cell?.attempts ?? 0, cell?.best ?? '', cell?.last ?? '', cell ? (cell.passed ? 'yes' : 'no') : '', cell?.lastAt ?? ''];
      }),
    );
    const csv = toCsv(['trainee', 'caller id', 'caller', 'attempts', 'best %', 'last %', 'passed', 'last attempt'], rows);
    c.header('Content-Disposition', `attachment; filename="cohort-${answer.cohort.id}-report.csv"`);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  // Lists and exports: paged by cursor and streamed (src/server/paging.ts).

  /** A page of `limit` (default 1,000; 0 for everything, still streamed in chunks). */
  const pageOf = (query: { after?: string | undefined; limit?: number | undefined }, defaultLimit = 1000): PageRequest => ({
    after: query.after,
    limit: query.limit === 0 ? undefined : (query.limit ?? defaultLimit),
  });

  /** `{…"attempts":[…],"next":"/api/…?after=…"}`, each item checked against its schema as it goes. */
  async function streamList(c: Context, head: string, items: AsyncGenerator<ListedAttempt, PageEnd>, forLead = true) {
    const body = await jsonStream({
      head,
      items,
      render: (a) => JSON.stringify(S.attemptSummary.parse(summary(a, forLead))),
      tail: (end) => `],"next":${JSON.stringify(nextLink(c.req.url, end.next))}}`,
    });
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  }

  // xAPI's StatementResult: `statements` and `more`, the relative link to the next page ("" on the last).
  app.get('/api/xapi', lead, async (c) => {
    const query = parse(S.xapiQuery, c.req.query(), 'the query is not valid');
    const leadId = c.get('lead').id;
    const cohortName = await repository.cohortName(leadId, query.cohort);
    if (cohortName === null) return fail(404, `no cohort ${query.cohort} of yours`);
    const context = { homePage: publicUrl, cohortId: query.cohort, cohortName, scenarioTitle: (id: string) => catalogue.title(id) };
    const body = await jsonStream({
      head: '{"statements":[',
      items: repository.cohortStatements(leadId, query.cohort, filterOf(query), { ...pageOf(query), chunk: EXPORT_CHUNK_ROWS[repository.db.kind] }),
      render: statementRenderer(context),
      tail: (end) => `],"more":${JSON.stringify(nextLink(c.req.url, end.next) ?? '')}}`,
      lane: exportLane,
      chunkChars: EXPORT_CHUNK_CHARS,
    });
    c.header('X-Experience-API-Version', '1.0.3');
    c.header('Content-Disposition', `attachment; filename="cohort-${query.cohort}-xapi${query.after ? '-more' : ''}.json"`);
    return c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/api/trainees/:id/attempts', lead, async (c) => {
    const traineeId = parse(S.idParam, c.req.param('id'), 'the trainee id is not valid');
    const query = parse(S.traineeQuery, c.req.query(), 'the query is not valid');
    const found = await repository.traineeForLead(c.get('lead').id, traineeId);
    if (!found) return fail(404, `no trainee ${traineeId} in a cohort of yours`);
    const head = `{"trainee":${JSON.stringify({ id: found.id, name: found.name, cohortId: found.cohortId })},"attempts":[`;
    return streamList(c, head, repository.traineeAttempts(traineeId, filterOf(query), pageOf(query)));
  });

  mountAssignmentRoutes(app, { store: assignments, catalogue, now, publicUrl, lead, trainee, small, readJson, parse, send });
  // Administration (issue 15): src/server/routes/admin.ts.
  adminRoutes(app, { repository, lead, sessionCookie: SESSION_COOKIE, readJson, parse, send });
  // The trainer studio saves callers for a lead with the trainer role (src/server/routes/studio.ts).
  mountStudioRoutes(app, { repository, catalogue, scenariosDir, voices, lead, isTrainer: (c) => c.get('lead').isTrainer });
  analyticsRoutes(app, { repository, catalogue, lead, parse, fail, now });
  // The cmi5 course package for the company's LMS (issue 15): src/server/routes/cmi5.ts.
  cmi5Routes(app, { catalogue, assignments, publicUrl, lead, parse, fail, cohortName: (leadId, cohortId) => repository.cohortName(leadId, cohortId) });

  app.all('/api/*', (c) => c.json({ error: `no ${c.req.method} ${c.req.path} here` }, 404));

  if (options.staticFiles) app.use('*', options.staticFiles);

  return app;
}

export type App = ReturnType<typeof createApp>;
