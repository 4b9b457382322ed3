/**
 * Builds the trainee's page for production with the project's Vite config, and serves the result on
 * a free loopback port. Only index.html is built: the other pages belong to other users and a broken
 * one must not stop the trainee's tests.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

export const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const E2E_DIST = join(ROOT, 'test-results', 'e2e-dist');

/** `plugins` go into the build beside the project's (a test's own callers, for one). */
export async function buildTraineePage(outDir = E2E_DIST, plugins: import('vite').PluginOption[] = []): Promise<void> {
  const { build } = await import('vite');
  // Vitest runs with NODE_ENV=test, and Vite takes import.meta.env.DEV from NODE_ENV: without this
  // the "production" build would carry the dev server's helpers.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildWith(build, outDir, plugins);
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function buildWith(build: typeof import('vite').build, outDir: string, extra: import('vite').PluginOption[]): Promise<void> {
  await build({
    mode: 'production',
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [
      ...extra,
      {
        name: 'trainee-page-only',
        enforce: 'post',
        config(config) {
          config.build ??= {};
          config.build.rollupOptions ??= {};
          config.build.rollupOptions.input = { index: join(ROOT, 'index.html') };
        },
      },
    ],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.mp3': 'audio/mpeg',
  '.webm': 'audio/webm',
  '.ogg': 'audio/ogg',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** A small static server: enough to serve a Vite build exactly as a CDN would. */
export async function serveStatic(dir = E2E_DIST): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
