/**
 * `npm start`: builds the game and the dashboard when a source is newer than the build, opens the
 * database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL), migrates it and listens on PORT.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context } from 'hono';
import { newToken } from './auth';
import { buildIfNeeded } from './build';
import { lockDataDir } from './lock';
import { openService, REPO_ROOT } from './service';

function addresses(port: number, host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [`http://${host}:${port}`];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((n) => n && n.family === 'IPv4' && !n.internal)
    .map((n) => `http://${n!.address}:${port}`);
  return [`http://localhost:${port}`, ...lan];
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.DATA_DIR ?? join(REPO_ROOT, 'data'));
  const dist = resolve(process.env.DIST_DIR ?? join(REPO_ROOT, 'dist'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);

  if (!args.has('--no-build') && process.env.HTL_NO_BUILD !== '1') buildIfNeeded(REPO_ROOT, dist);
  let release = () => {};
  if (!databaseUrl) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }

  const staticHandler = serveStatic({ root: dist });
  const setupToken = newToken();
  const service = await openService({
    databaseUrl,
    dataDir,
    setupToken,
    secureCookies: process.env.COOKIE_SECURE === '1',
    trustProxy: process.env.TRUST_PROXY === '1',
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

  const server = serve({ fetch: service.app.fetch, port, hostname: host }, (info) => {
    const where = addresses(info.port, host);
    console.log(`Hold the Line is running (${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`}, ${service.catalogue.current.size} callers).`);
    console.log(`  game:      ${where.map((a) => `${a}/`).join('  ')}`);
    console.log(`  dashboard: ${where.map((a) => `${a}/dashboard.html`).join('  ')}`);
    if (!existsSync(join(dist, 'index.html'))) console.log('  (no build in dist/: only the API answers)');
    if (leads === 0) {
      console.log('No team lead yet. Either open this one-time link and choose a name and password:');
      console.log(`  ${where[0]}/dashboard.html#setup=${setupToken}`);
      console.log('or stop the server and run: npm run admin -- add-lead NAME');
    }
  });

  // Longer than a load balancer's idle timeout (often 60 s), so the balancer closes idle connections first.
  const http = server as import('node:http').Server;
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    server.close();
    await service.close();
    release();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
