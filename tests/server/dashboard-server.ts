/**
 * The dashboard page from Vite's dev server, with /api/* answered by an in-process app: the browser
 * test needs no build and no port other than this one.
 */
import { getRequestListener } from '@hono/node-server';
import { join } from 'node:path';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import type { Service } from '../../src/server/service';

const ROOT = join(import.meta.dirname, '../..');

export async function startDashboardServer(service: Service): Promise<{ url: string; close(): Promise<void> }> {
  const listener = getRequestListener(service.app.fetch);
  const api: Plugin = {
    name: 'htl-api',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/')) void listener(req, res);
        else next();
      });
    },
  };
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'error',
    plugins: [api],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer!.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
