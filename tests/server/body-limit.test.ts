/**
 * limitBody (src/server/body-limit.ts) over a real socket, where it matters: a request that says its
 * length is judged by the header without its body being touched, one without (chunked) is counted
 * as it streams, and in both the route still reads the whole body.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitBody } from '../../src/server/body-limit';

let server: ReturnType<typeof serve>;
let port = 0;

beforeAll(async () => {
  const app = new Hono();
  const limited = limitBody(100, (c) => c.json({ error: 'too big' }, 413));
  app.post('/echo', limited, async (c) => c.json({ length: (await c.req.text()).length }));
  app.get('/echo', limited, (c) => c.json({ ok: true }));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `chunks` as the body: with a Content-Length when `length` is given, else chunked. */
function send(method: string, chunks: string[], length?: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (length !== undefined) headers['content-length'] = length;
    const req = request({ host: '127.0.0.1', port, path: '/echo', method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('limitBody', () => {
  it('passes a body within the limit, with a Content-Length or chunked, and the route reads all of it', async () => {
    expect(await send('POST', ['x'.repeat(100)], 100)).toEqual({ status: 200, body: '{"length":100}' });
    expect(await send('POST', ['x'.repeat(60), 'y'.repeat(40)])).toEqual({ status: 200, body: '{"length":100}' });
    expect(await send('POST', [], 0)).toEqual({ status: 200, body: '{"length":0}' });
    expect((await send('GET', [])).status).toBe(200);
  });

  it('refuses a Content-Length over the limit, and a chunked body that grows over it', async () => {
    expect(await send('POST', ['x'.repeat(101)], 101)).toEqual({ status: 413, body: '{"error":"too big"}' });
    expect(await send('POST', ['x'.repeat(60), 'y'.repeat(60)])).toEqual({ status: 413, body: '{"error":"too big"}' });
  });
});
