/**
 * The clients of `npm run bench:server`, in a process of their own so that their work (JSON, HTTP,
 * timers) is not charged to the server. Started by server.bench.ts with a job file; prints one JSON
 * line with what it measured.
 *
 * - `submit`: each trainee sends its next attempt as soon as the last is answered (as the game's
 *   outbox does, a request that got no answer is sent again), until the attempts run out.
 * - `export`: downloads whole xAPI exports (`limit=0`, streamed) at once, and times each.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export interface SubmitJob {
  kind: 'submit';
  base: string;
  tokens: string[];
  /** Request bodies, already JSON. */
  attempts: string[];
}

export interface ExportJob {
  kind: 'export';
  base: string;
  cookie: string;
  paths: string[];
}

export interface SubmitResult {
  /** Date.now() when the first request went. */
  epochStart: number;
  /** [ms since the first request, latency ms, status] per answered request. */
  requests: [number, number, number][];
  acknowledged: number;
  resent: number;
  seconds: number;
  /** This process's CPU time over the run (ms): what the clients cost the machine. */
  cpuMs: number;
}

export interface ExportResult {
  /** Date.now() when the exports' requests went. */
  epochStart: number;
  exports: { path: string; ms: number; bytes: number; statements: number; status: number }[];
}

async function submit(job: SubmitJob): Promise<SubmitResult> {
  const requests: [number, number, number][] = [];
  let acknowledged = 0;
  let resent = 0;
  let next = 0;
  const epochStart = Date.now();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const url = new URL('/api/attempts', job.base);
  const agents: Agent[] = [];
  await Promise.all(
    job.tokens.map(async (token) => {
      // Each trainee's browser: one kept-alive connection of its own.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      while (next < job.attempts.length) {
        const body = job.attempts[next++]!;
        for (let tries = 0; tries < 5; tries++) {
          const t0 = performance.now();
          let status: number;
          try {
            status = await post(agent, url, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body);
          } catch {
            resent++;
            continue;
          }
          requests.push([t0 - started, performance.now() - t0, status]);
          if (status === 201 || status === 200) acknowledged++;
          else process.stderr.write(`attempt refused: ${status}\n`);
          break;
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  for (const agent of agents) agent.destroy();
  return { epochStart, requests, acknowledged, resent, seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * One POST on the trainee's own kept-alive connection, as a browser tab sends it: node:http rather
 * than fetch, whose per-request work (web streams, a Request and a Response object) cost this
 * process 1.7 ms of CPU a request, on the cores the server shares with it. The answer is read whole.
 */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const MARK = Buffer.from('"registration"');

async function exportAll(job: ExportJob): Promise<ExportResult> {
  const epochStart = Date.now();
  const exports = await Promise.all(
    job.paths.map(async (path) => {
      const t0 = performance.now();
      const response = await fetch(`${job.base}${path}`, { headers: { cookie: job.cookie } });
      let bytes = 0;
      let statements = 0;
      // Count statements in the bytes as they go by, without keeping or decoding them (this process
      // shares the server's two cores): each has one registration. `tail` holds the last bytes seen,
      // for a mark cut across two chunks.
      let tail = Buffer.alloc(0);
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const edge = Buffer.concat([tail, buffer.subarray(0, MARK.length - 1)]);
        for (let i = edge.indexOf(MARK); i !== -1 && i < tail.length; i = edge.indexOf(MARK, i + 1)) statements++;
        for (let i = buffer.indexOf(MARK); i !== -1; i = buffer.indexOf(MARK, i + MARK.length)) statements++;
        tail = Buffer.from((buffer.length >= MARK.length - 1 ? buffer : Buffer.concat([tail, buffer])).subarray(-(MARK.length - 1)));
      }
      return { path, ms: performance.now() - t0, bytes, statements, status: response.status };
    }),
  );
  return { epochStart, exports };
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SubmitJob | ExportJob;
const result = job.kind === 'submit' ? await submit(job) : await exportAll(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
