/**
 * `npm start`: builds the game and the dashboard when a source is newer than the build, opens the
 * database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL), migrates it and listens on HOST:PORT
 * (127.0.0.1 unless HOST says otherwise), over https when TLS_CERT and TLS_KEY name PEM files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { AdminActions } from './admin-actions';
import { listenAdminChannel } from './admin-channel';
import { newToken } from './auth';
import { buildIfNeeded } from './build';
import { prepareDataDir } from './db';
import { lockDataDir } from './lock';
import { defaultReplayThreads } from './replay';
import { DEFAULT_POSTGRES_WRITERS } from './repository';
import { lrsConfigFromEnv } from './lrs';
import { openService, REPO_ROOT } from './service';
import { VoiceMaker } from './studio-voices';
import { defaultPublicAddress, publicAddress } from './xapi';

function addresses(port: number, host: string, scheme: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((n) => n && n.family === 'IPv4' && !n.internal)
    .map((n) => `${scheme}://${n!.address}:${port}`);
  return [`${scheme}://localhost:${port}`, ...lan];
}

function whole(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

/** The process's open-file limit (ulimit -n), read through the shell: Node has no getrlimit. */
function fileLimit(): number {
  const answer = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const value = Number(answer.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 1024;
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST || '127.0.0.1';
  const trustProxy = whole('TRUST_PROXY', 0);
  // Leave room under the open-file limit for the database's files and the log.
  const maxConnections = whole('MAX_CONNECTIONS', Math.max(64, Math.min(4096, fileLimit() - 128)), 1);
  const headersTimeout = whole('HEADERS_TIMEOUT_MS', 10_000, 100);
  const requestTimeout = whole('REQUEST_TIMEOUT_MS', 30_000, 100);
  // Behind a load balancer: longer than its idle timeout (often 60 s), so it closes idle connections first.
  const keepAliveTimeout = whole('KEEP_ALIVE_TIMEOUT_MS', trustProxy > 0 ? 65_000 : 5_000, 0);
  const grace = whole('SHUTDOWN_GRACE_MS', 10_000, 0);
  const durability = process.env.PGLITE_DURABILITY === 'relaxed' ? 'relaxed' : 'fsync';
  if (process.env.PGLITE_DURABILITY && !['fsync', 'relaxed'].includes(process.env.PGLITE_DURABILITY)) throw new Error(`PGLITE_DURABILITY must be fsync or relaxed, got "${process.env.PGLITE_DURABILITY}"`);
  const tls = process.env.TLS_CERT && process.env.TLS_KEY ? { cert: readFileSync(process.env.TLS_CERT), key: readFileSync(process.env.TLS_KEY) } : null;
  if (!tls && (process.env.TLS_CERT || process.env.TLS_KEY)) throw new Error('set both TLS_CERT and TLS_KEY (PEM files) to serve https, or neither');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, 'data'));
  const dist = resolve(process.env.DIST_DIR ?? join(REPO_ROOT, 'dist'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const lrs = lrsConfigFromEnv(process.env);
  const publicUrl = process.env.PUBLIC_URL ? publicAddress(process.env.PUBLIC_URL) : defaultPublicAddress({ host, port, https: !!tls, hostname: hostname() });

  if (!args.has('--no-build') && process.env.HTL_NO_BUILD !== '1') buildIfNeeded(REPO_ROOT, dist);
  let release = () => {};
  if (!databaseUrl) {
    prepareDataDir(dataDir);
    release = await lockDataDir(dataDir);
  }

  const staticHandler = serveStatic({ root: dist });
  const setupToken = newToken();
  const service = await openService({
    databaseUrl,
    dataDir,
    durability,
    replayThreads: defaultReplayThreads(),
    // PostgreSQL: attempt inserts in flight at once (each on a connection of the pool of 10); 2–4 for a database on cores of its own.
    attemptWriters: whole('ATTEMPT_WRITERS', DEFAULT_POSTGRES_WRITERS, 1),
    setupToken,
    secureCookies: process.env.COOKIE_SECURE === '1',
    trustProxy,
    publicUrl,
    lrs,
    // A caller saved in the trainer studio gets its voices made here, where espeak-ng and sox are (STUDIO_VOICES=0: never).
    voices: new VoiceMaker({ root: REPO_ROOT, enabled: process.env.STUDIO_VOICES !== '0' }),
    staticFiles: async (c: Context, next) => {
      if (c.req.path === '/dashboard') return c.redirect('/dashboard.html');
      const response = await staticHandler(c, next);
      if (c.req.path.startsWith('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return response;
    },
  });
  for (const problem of service.problems) {
    console.warn(`Skipping scenarios/${problem.file}: ${problem.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`).join('; ')}`);
  }
  const leads = await service.repository.countLeads();
  // PGlite has one writer, this process: `npm run admin` reaches it through the data folder's admin channel.
  let closeChannel = async () => {};
  if (!databaseUrl) {
    try {
      closeChannel = await listenAdminChannel(dataDir, new AdminActions(service.repository));
    } catch (error) {
      console.warn(`the admin channel in ${dataDir} could not open (${(error as Error).message}); npm run admin works only while the server is stopped`);
    }
  }

  const listening = (info: { port: number }) => {
    const where = addresses(info.port, host, tls ? 'https' : 'http');
    console.log(`Hold the Line is running (${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`}, ${service.catalogue.current.size} callers).`);
    if (!databaseUrl) {
      console.log(
        durability === 'fsync'
          ? '  storage:   every acknowledged attempt is on the disk (fsync per commit)'
          : '  storage:   PGLITE_DURABILITY=relaxed: attempts survive the server process dying, NOT a crash of the machine or a power cut; use the default (fsync) or PostgreSQL (DATABASE_URL) for that',
      );
    }
    console.log(`  game:      ${where.map((a) => `${a}/`).join('  ')}`);
    console.log(`  dashboard: ${where.map((a) => `${a}/dashboard.html`).join('  ')}`);
    console.log(`  xAPI ids:  ${publicUrl}${process.env.PUBLIC_URL ? '' : ' (set PUBLIC_URL to the address people use, before the first export: an LRS keys trainees and callers by it)'}`);
    console.log(`  LRS:       ${lrs ? `${lrs.endpoint} (every stored attempt is queued in the database and sent; /api/health shows the queue)` : 'off (set LRS_URL to forward attempts)'}`);
    if (!existsSync(join(dist, 'index.html'))) console.log('  (no build in dist/: only the API answers)');
    if (leads === 0) {
      console.log('No team lead yet. Either open this one-time link and choose a name and password:');
      console.log(`  ${where[0]}/dashboard.html#setup=${setupToken}`);
      console.log('or run: npm run admin -- add-lead NAME');
    }
  };
  // How often Node looks for connections past their header or request timeout.
  const connectionsCheckingInterval = Math.max(100, Math.min(5_000, Math.floor(headersTimeout / 4)));
  const server = tls
    ? serve({ fetch: service.app.fetch, port, hostname: host, createServer: createHttpsServer, serverOptions: { ...tls, connectionsCheckingInterval } }, listening)
    : serve({ fetch: service.app.fetch, port, hostname: host, serverOptions: { connectionsCheckingInterval } }, listening);

  // Caps and timeouts: a client that opens connections and sends nothing, or sends slowly, is cut
  // off, and past maxConnections new connections are closed at once instead of exhausting the
  // process's file handles.
  const http = server as import('node:http').Server;
  http.maxConnections = maxConnections;
  http.headersTimeout = headersTimeout;
  http.requestTimeout = requestTimeout;
  http.keepAliveTimeout = keepAliveTimeout;
  // Node's header timeout starts at the first byte: a connection that never sends one is closed here.
  http.on('connection', (socket: import('node:net').Socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, headersTimeout);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });

  // SIGTERM: stop taking connections, let every request in flight finish (up to SHUTDOWN_GRACE_MS),
  // then close the database and the lock.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the requests in flight, then stopping…`);
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    // A keep-alive connection becomes idle once its answer is sent: close those as they appear.
    const idle = setInterval(() => http.closeIdleConnections(), 50);
    http.closeIdleConnections();
    const cut = setTimeout(() => {
      console.warn(`${signal}: requests still running after ${grace} ms; closing their connections`);
      http.closeAllConnections();
    }, grace);
    await closed;
    clearInterval(idle);
    clearTimeout(cut);
    await closeChannel();
    await service.close();
    release();
    console.log(`${signal}: stopped`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
