/**
 * `npx tsx bench/server-cpu-http.ts [--attempts 6000] [--rounds 3] [--variants node,hono,app]`: the
 * server process's CPU per submission for the HTTP layers alone, over a real socket, with
 * bench:server's clients (bench/server-clients.ts: 50 trainees, each on its own kept-alive
 * connection, the next attempt as soon as the last is answered) in a process of their own. Each
 * variant is a fresh server process; variants alternate within each round:
 *
 * - `node`: node:http alone: read the body, JSON.parse it, answer 201 with the app's /api headers
 *   (the floor: Node's parser and socket writes);
 * - `hono`: @hono/node-server and Hono with one route: `c.req.text()`, JSON.parse, `c.json()`;
 * - `app-memo`: the same with each distinct play replayed once and its output kept: the difference
 *   from `app` is what the replay, the flags and the prints cost inside the server;
 * - `app`: the real app (`createApp`: every middleware, the token check, the limits, the body's
 *   schema, the replay, the flags and prints, the answer's check) over a repository whose insert
 *   answers at once (no database), so what is left is what the server does besides the database
 *   driver and the writer.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SubmitJob, SubmitResult } from './server-clients';

const { values: args } = parseArgs({
  options: {
    attempts: { type: 'string', default: '6000' },
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'node,hono,app' },
    serve: { type: 'string' },
  },
});
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const TRAINEES = 50;

const API_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

/** One server process: listens, prints `port tokens-json`, answers `cpu` on stdin with its CPU ms so far. */
async function serve(variant: string): Promise<void> {
  let port = 0;
  let tokens: string[] = Array.from({ length: TRAINEES }, (_, i) => `token-${String(i).padStart(20, '0')}`);
  const answer = JSON.stringify({ attemptId: randomUUID(), stored: true, result: { outcome: 'resolved', passed: true, total: 80, dimensions: { courtesy: 80 } } });
  if (variant === 'node') {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(201, { ...API_HEADERS, 'Content-Length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  } else {
    const { serve: honoServe } = await import('@hono/node-server');
    let fetch: (request: Request, env: unknown) => Response | Promise<Response>;
    if (variant === 'hono') {
      const { Hono } = await import('hono');
      const app = new Hono();
      app.post('/api/attempts', async (c) => {
        JSON.parse(await c.req.text());
        return c.json(JSON.parse(answer) as object, 201);
      });
      fetch = app.fetch;
    } else {
      const made = await fakeApp(variant === 'app-memo');
      fetch = made.app.fetch;
      tokens = made.tokens;
    }
    const server = honoServe({ fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
    server.keepAliveTimeout = 65_000;
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  }
  process.stdout.write(`${port} ${JSON.stringify(tokens)}\n`);
  // HTL_BENCH_PROFILE=folder: a CPU profile of the measured run (from the first `cpu` to the second).
  const { Session } = await import('node:inspector/promises');
  let session: InstanceType<typeof Session> | null = null;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', async (line: string) => {
    if (line.trim() === 'cpu') {
      const c = process.cpuUsage();
      if (process.env.HTL_BENCH_PROFILE && !session) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else if (session) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(process.env.HTL_BENCH_PROFILE!, `http-${variant}-${process.pid}.cpuprofile`), JSON.stringify(profile));
        session.disconnect();
      }
      process.stdout.write(`${(c.user + c.system) / 1000} ${c.system / 1000}\n`);
    } else process.exit(0);
  });
}

/** The real app over a repository that keeps trainees in memory and stores nothing (its insert answers at once). */
async function fakeApp(memo: boolean) {
  const { createApp } = await import('../src/server/app');
  const { MemoryLimits } = await import('../src/server/rate-limit');
  const { loadScenarioFilesOnce, ScenarioCatalogue } = await import('../src/server/scenarios');
  const { SCENARIOS_DIR } = await import('../src/server/service');
  const { tokenHash } = await import('../src/server/auth');
  const catalogue = new ScenarioCatalogue(loadScenarioFilesOnce(SCENARIOS_DIR).entries);
  catalogue.warm();
  const tokens = Array.from({ length: TRAINEES }, (_, i) => `token-${String(i).padStart(20, '0')}`);
  const trainees = new Map(tokens.map((t, i) => [tokenHash(t), { id: i + 1, name: `T${i + 1}`, cohortId: 1, cohortName: 'C' }]));
  const repository = {
    db: { kind: 'postgres', query: async () => [], exec: async () => undefined },
    findTraineeByToken: async (hash: string) => trainees.get(hash) ?? null,
    insertAttempt: async () => 'stored' as const,
    scenarioByHash: async () => null,
  };
  const roomy = { burst: 1e9, perSecond: 1e9 };
  // app-memo: each distinct play is replayed once and its output kept (keyed by its steps' JSON),
  // so the difference from `app` is what the replay, flags and prints cost in the server.
  const { replaySubmission } = await import('../src/server/replay');
  const outputs = new Map<string, ReturnType<typeof replaySubmission>>();
  const replays = memo
    ? {
        size: 0,
        replay: async (input: Parameters<typeof replaySubmission>[0]) => {
          const key = `${input.hash}${JSON.stringify(input.steps)}`;
          let output = outputs.get(key);
          if (!output) outputs.set(key, (output = replaySubmission(input)));
          return output;
        },
      }
    : null;
  const app = createApp({ repository: repository as never, catalogue, limitStore: new MemoryLimits(), limits: { submit: roomy, submitPerAddress: roomy }, replays: replays as never });
  return { app, tokens };
}

/** Attempts as bench:server makes them (valid plays of every caller, 1 s a choice). */
async function makeBodies(count: number): Promise<string[]> {
  const { benchAttempts } = await import('./bench-attempts');
  const { loadScenarioFilesOnce, ScenarioCatalogue } = await import('../src/server/scenarios');
  const { SCENARIOS_DIR } = await import('../src/server/service');
  const catalogue = new ScenarioCatalogue(loadScenarioFilesOnce(SCENARIOS_DIR).entries);
  return benchAttempts([...catalogue.current.values()], count, 42).map((a) => JSON.stringify(a));
}

function runNode(argv: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', ...argv], { stdio: ['pipe', 'pipe', 'inherit'] });
}

async function measure(variant: string, bodies: string[]): Promise<{ serverMs: number; serverSysMs: number; clientMs: number; perSecond: number }> {
  const child = runNode([fileURLToPath(import.meta.url), '--serve', variant]);
  const lines: string[] = [];
  let waiting: ((line: string) => void) | null = null;
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
    }
  });
  const nextLine = () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise<string>((resolve) => (waiting = resolve)));
  const [portText, tokensJson] = (await nextLine()).split(' ', 2) as [string, string];
  const base = `http://127.0.0.1:${portText}`;
  const tokens = JSON.parse(tokensJson) as string[];
  const dir = mkdtempSync(join(tmpdir(), 'htl-bench-http-'));
  const run = async (attempts: string[]) => {
    const file = join(dir, 'job.json');
    writeFileSync(file, JSON.stringify({ kind: 'submit', base, tokens, attempts } satisfies SubmitJob));
    const out = await new Promise<string>((resolve, reject) => {
      const c = runNode([join(BENCH_DIR, 'server-clients.ts'), file]);
      let text = '';
      c.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      c.on('exit', (code) => (code === 0 ? resolve(text.trim().split('\n').at(-1)!) : reject(new Error(`clients exited with ${code}`))));
    });
    return JSON.parse(out) as SubmitResult;
  };
  try {
    // Warm-up (every attempt once, under other ids: app-memo then knows every play), then the measured run.
    await run(bodies.map((b) => b.replace(/"attemptId":"[^"]+"/, `"attemptId":"${randomUUID()}"`)));
    child.stdin!.write('cpu\n');
    const [cpu0, sys0] = (await nextLine()).split(' ').map(Number) as [number, number];
    const result = await run(bodies);
    child.stdin!.write('cpu\n');
    const [cpu1, sys1] = (await nextLine()).split(' ').map(Number) as [number, number];
    if (result.acknowledged !== bodies.length) throw new Error(`${variant}: ${result.acknowledged} of ${bodies.length} acknowledged`);
    return { serverMs: (cpu1 - cpu0) / bodies.length, serverSysMs: (sys1 - sys0) / bodies.length, clientMs: result.cpuMs / bodies.length, perSecond: bodies.length / result.seconds };
  } finally {
    child.stdin!.write('exit\n');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.serve) {
  await serve(args.serve);
} else {
  const variants = args.variants!.split(',');
  const bodies = await makeBodies(Number(args.attempts));
  const figures = new Map<string, number[]>(variants.map((v) => [v, []]));
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const variant of variants) {
      const m = await measure(variant, bodies);
      figures.get(variant)!.push(m.serverMs);
      console.log(`round ${round} ${variant}: server ${(m.serverMs * 1000).toFixed(0)} µs CPU a submission (system ${(m.serverSysMs * 1000).toFixed(0)}), clients ${(m.clientMs * 1000).toFixed(0)} µs, ${m.perSecond.toFixed(0)}/s`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [v, xs] of figures) console.log(`${v}: median ${(median(xs) * 1000).toFixed(0)} µs (${xs.map((x) => (x * 1000).toFixed(0)).join(', ')})`);
}
