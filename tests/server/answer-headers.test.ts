/**
 * Every answer's headers, exactly: the security headers on all of them, no-store and the API's CSP
 * on /api answers, the page CSPs elsewhere. Asked in-process (`app.request`) and over a real socket
 * (`@hono/node-server`, as `npm start` serves), for the submission route's answers (stored, the
 * same again, refused for bad JSON, a bad body, no token, too many) and for other routes, so that
 * a faster way of writing an answer cannot drop or change one.
 */
import { request as httpRequest, type Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../../src/server/app';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

const SECURITY = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const API = { ...SECURITY, 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'content-type': 'application/json' };
/** Set by the transport, not the app. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

let service: Service;
let server: Server;
let port = 0;
let token = '';
let cookie = '';

beforeAll(async () => {
  // Eight submissions per trainee (every request with the token counts), then one in about 17 minutes:
  // the cases below use the eight, the last two are refused with Retry-After.
  service = await testService({ limits: { submit: { burst: 8, perSecond: 0.001 } } });
  await addLead(service, 'Lena');
  cookie = await login(service, 'Lena');
  const cohort = await newCohort(service, cookie, 'Headers');
  token = (await join(service, cohort.code, 'Ann')).token;
  server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
}, 180_000);

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  await service?.close();
});

/** The same request over the socket: status, headers as Node received them (lower-case names), body. */
function overSocket(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const got: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          expect(got[name], `${name} sent twice`).toBeUndefined();
          got[name] = res.rawHeaders[i + 1]!;
        }
        if (got['content-length'] !== undefined) expect(Number(got['content-length'])).toBe(Buffer.byteLength(text));
        resolve({ status: res.statusCode ?? 0, headers: got, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const appHeaders = (h: Headers) => Object.fromEntries([...h].filter(([name]) => !TRANSPORT.has(name)));
const wireHeaders = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([name]) => !TRANSPORT.has(name)));

describe('the submission route’s answers', () => {
  it('carry every header, in-process and on the wire, stored or refused', async () => {
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const first = makeAttempt(service, 'practice-call');
    const second = makeAttempt(service, 'practice-call');
    const cases: { what: string; status: number; send: (via: 'app' | 'socket') => Promise<{ status: number; headers: Record<string, string>; text: string }>; extra?: Record<string, string> }[] = [
      { what: 'stored', status: 201, send: (via) => ask(via, 'POST', '/api/attempts', auth, JSON.stringify(via === 'app' ? first : second)) },
      { what: 'the same again', status: 200, send: (via) => ask(via, 'POST', '/api/attempts', auth, JSON.stringify(via === 'app' ? first : second)) },
      { what: 'not JSON', status: 400, send: (via) => ask(via, 'POST', '/api/attempts', auth, '{"format":') },
      { what: 'not an attempt', status: 400, send: (via) => ask(via, 'POST', '/api/attempts', auth, '{"format":1}') },
      { what: 'no token', status: 401, send: (via) => ask(via, 'POST', '/api/attempts', { 'content-type': 'application/json' }, JSON.stringify(first)) },
      { what: 'too large', status: 413, send: (via) => ask(via, 'POST', '/api/attempts', auth, `{"pad":"${'x'.repeat(70_000)}"}`) },
    ];
    for (const via of ['app', 'socket'] as const) {
      for (const c of cases) {
        const r = await c.send(via);
        expect(r.status, `${via}: ${c.what}`).toBe(c.status);
        expect(r.headers, `${via}: ${c.what}`).toEqual(API);
        expect(() => JSON.parse(r.text), `${via}: ${c.what}`).not.toThrow();
      }
    }
    // Over the limit (the eight are used by now): 429 with Retry-After beside the rest.
    for (const via of ['app', 'socket'] as const) {
      const r = await ask(via, 'POST', '/api/attempts', auth, JSON.stringify(makeAttempt(service, 'practice-call')));
      expect(r.status).toBe(429);
      expect(r.headers).toEqual({ ...API, 'retry-after': expect.stringMatching(/^\d+$/) });
      expect(JSON.parse(r.text).error).toMatch(/too many attempts sent/);
    }
  });
});

describe('other answers', () => {
  it('keep their headers: the API’s, a 404’s and the dashboard page’s', async () => {
    for (const via of ['app', 'socket'] as const) {
      expect((await ask(via, 'GET', '/api/health', {})).headers).toEqual(API);
      expect((await ask(via, 'GET', '/api/session', { cookie })).headers).toEqual(API);
      expect((await ask(via, 'GET', '/api/nowhere', {})).headers).toEqual(API);
      const page = await ask(via, 'GET', '/dashboard.html', {});
      expect(page.headers).toEqual({ ...SECURITY, 'content-security-policy': DASHBOARD_CSP, 'content-type': 'text/plain; charset=UTF-8' });
    }
  });
});

async function ask(via: 'app' | 'socket', method: string, path: string, headers: Record<string, string>, body?: string) {
  if (via === 'socket') {
    const r = await overSocket(method, path, headers, body);
    return { ...r, headers: wireHeaders(r.headers) };
  }
  const r = await call(service.app, method, path, { headers, ...(body === undefined ? {} : { raw: body }) });
  return { status: r.status, headers: appHeaders(r.headers), text: r.text };
}
