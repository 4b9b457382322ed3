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
}

export interface ExportResult {
  exports: { path: string; ms: number; bytes: number; statements: number; status: number }[];
}

async function submit(job: SubmitJob): Promise<SubmitResult> {
  const requests: [number, number, number][] = [];
  let acknowledged = 0;
  let resent = 0;
  let next = 0;
  const epochStart = Date.now();
  const started = performance.now();
  await Promise.all(
    job.tokens.map(async (token) => {
      while (next < job.attempts.length) {
        const body = job.attempts[next++]!;
        for (let tries = 0; tries < 5; tries++) {
          const t0 = performance.now();
          let status: number;
          try {
            const response = await fetch(`${job.base}/api/attempts`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body,
            });
            await response.arrayBuffer();
            status = response.status;
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
  return { epochStart, requests, acknowledged, resent, seconds: (performance.now() - started) / 1000 };
}

const MARK = '"registration"';

async function exportAll(job: ExportJob): Promise<ExportResult> {
  const exports = await Promise.all(
    job.paths.map(async (path) => {
      const t0 = performance.now();
      const response = await fetch(`${job.base}${path}`, { headers: { cookie: job.cookie } });
      let bytes = 0;
      let statements = 0;
      // Count statements as the text goes by, without keeping it: each has one registration.
      let carry = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        const text = carry + decoder.decode(chunk, { stream: true });
        statements += text.split(MARK).length - 1;
        carry = text.slice(-(MARK.length - 1));
      }
      return { path, ms: performance.now() - t0, bytes, statements, status: response.status };
    }),
  );
  return { exports };
}

// Node's fetch keeps connections alive and opens as many as there are requests at once.
const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as SubmitJob | ExportJob;
const result = job.kind === 'submit' ? await submit(job) : await exportAll(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
