/**
 * The CPU work of a submission: the engine replays the steps against the scenario (src/engine), the
 * result's dimensions, the flags the server sets before the insert and the two prints
 * (src/server/vouch.ts). `replaySubmission` does it in the calling thread; a `ReplayPool` does it in
 * worker threads (src/server/replay-thread.ts), so that a long replay never holds the thread that
 * parses and answers requests. Both give the same answer for the same input (tests/server/replay-pool.test.ts).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { playSteps, type AttemptStep, type Scenario } from '../engine/index';
import { attemptFacts, type DecisionFact } from './analytics';
import { attemptFlags, choicePrint, replayPrint, type AttemptFlag } from './vouch';

export interface ReplayInput {
  scenario: Scenario;
  /** The scenario's content hash: a worker keeps each scenario it was sent under it. */
  hash: string;
  steps: AttemptStep[];
  seed: string | undefined;
  language: 'zh-CN' | 'en';
  serverElapsedMs: number | null;
  claimedStartedAt: string;
}

export type ReplayOutput =
  | { kind: 'problem'; step: number; message: string; offered: string[] }
  | { kind: 'unfinished'; node: string }
  | {
      kind: 'scored';
      outcome: string;
      passed: boolean;
      total: number;
      durationMs: number;
      dimensions: Record<string, number>;
      flags: AttemptFlag[];
      replayPrint: string;
      choicePrint: string;
      /** For the cohort analytics (src/server/analytics.ts): the rules broken, each once, and the decisions. */
      brokenRules: string[];
      decisions: DecisionFact[];
    };

export function replaySubmission(input: ReplayInput): ReplayOutput {
  const { replay, result } = playSteps(input.scenario, input.steps, input.seed !== undefined ? { seed: input.seed } : {});
  if (replay.problem) return { kind: 'problem', step: replay.problem.step, message: replay.problem.message, offered: [...replay.problem.offered] };
  if (!result) return { kind: 'unfinished', node: replay.context.node?.id ?? '?' };
  return {
    kind: 'scored',
    outcome: result.outcome,
    passed: result.passed,
    total: result.total,
    durationMs: result.durationMs,
    dimensions: Object.fromEntries(result.dimensions.filter((d) => d.max > 0).map((d) => [d.id, d.percent])),
    flags: attemptFlags({ scenario: input.scenario, steps: input.steps, result, language: input.language, serverElapsedMs: input.serverElapsedMs, claimedStartedAt: input.claimedStartedAt }),
    replayPrint: replayPrint(input.scenario.id, input.steps),
    choicePrint: choicePrint(input.scenario.id, input.steps),
    ...attemptFacts(result, input.steps),
  };
}

/**
 * REPLAY_THREADS when set; else, at most 4: on PostgreSQL one thread per core beyond the first two
 * (none on a machine of one or two cores), on PGlite one per core beyond the first.
 *
 * Measured with bench:server on this 2-core machine (6,000 submissions, pairs interleaved, load
 * 9–13): on PostgreSQL the request thread replaying itself cost less CPU per submission than the
 * hand-off to a thread (a structured clone of the steps each way and two wake-ups): server 0.68–0.70
 * ms against 0.72–0.79 ms, 328 / 396 stored a second against 198 / 287. On PGlite, whose own thread
 * is what holds the writes, a replay thread kept them coming: 230 / 231 a second, p99 759 / 1,044
 * ms, against 142 / 180 and 1,262 / 1,326 ms without one.
 */
export function defaultReplayThreads(
  env: string | undefined = process.env.REPLAY_THREADS,
  cores = availableParallelism(),
  database: 'postgres' | 'pglite' = process.env.DATABASE_URL ? 'postgres' : 'pglite',
): number {
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`REPLAY_THREADS must be a whole number from 0 to 64, got "${env}"`);
    return n;
  }
  return Math.max(0, Math.min(4, cores - (database === 'postgres' ? 2 : 1)));
}

interface Job {
  input: ReplayInput;
  resolve: (output: ReplayOutput) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  /** Content hashes of the scenarios this thread has been sent. */
  known: Set<string>;
  busy: Job | null;
}

/**
 * Replays in worker threads, one job per thread at a time (a queue holds the rest, oldest first).
 * Each scenario is sent to a thread once and kept there by its hash; after that a job carries
 * only the steps. A thread that dies fails its job with a clear error and is replaced.
 */
export class ReplayPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  /** Jobs done in threads (tests read it to see the pool was used). */
  readonly stats = { replays: 0 };

  private constructor(private readonly WorkerClass: typeof Worker) {}

  static async open(size: number): Promise<ReplayPool> {
    const { Worker } = await import('node:worker_threads');
    const pool = new ReplayPool(Worker);
    for (let i = 0; i < size; i++) pool.threads.push(pool.spawn());
    await Promise.all(pool.threads.map((t) => new Promise<void>((resolve, reject) => {
      t.worker.once('online', () => resolve());
      t.worker.once('error', reject);
    })));
    return pool;
  }

  get size(): number {
    return this.threads.length;
  }

  private spawn(): Thread {
    const worker = new this.WorkerClass(new URL('./replay-thread.mjs', import.meta.url));
    const thread: Thread = { worker, known: new Set(), busy: null };
    worker.on('message', (answer: { ok: true; output: ReplayOutput } | { ok: false; message: string }) => {
      const job = thread.busy;
      thread.busy = null;
      if (job) {
        this.stats.replays++;
        if (answer.ok) job.resolve(answer.output);
        else job.reject(new Error(`the replay failed: ${answer.message}`));
      }
      this.next();
    });
    const lost = (why: string) => {
      const job = thread.busy;
      thread.busy = null;
      job?.reject(new Error(`the replay thread stopped (${why})`));
      const at = this.threads.indexOf(thread);
      if (at >= 0 && !this.closed) {
        this.threads[at] = this.spawn();
        this.next();
      }
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return thread;
  }

  replay(input: ReplayInput): Promise<ReplayOutput> {
    if (this.closed) return Promise.reject(new Error('the replay threads are closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (thread.busy) continue;
      const job = this.queue.shift()!;
      thread.busy = job;
      const { scenario, ...rest } = job.input;
      const send = thread.known.has(job.input.hash) ? rest : { ...rest, scenario };
      thread.known.add(job.input.hash);
      thread.worker.postMessage(send);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the replay threads are closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
