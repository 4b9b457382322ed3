/**
 * The CPU work of a submission: the engine replays the steps against the scenario (src/engine), the
 * result's dimensions, the flags the server sets before the insert and the two prints
 * (src/server/vouch.ts). `replaySubmission` does it in the calling thread, `ReplayBatch` there a
 * turn of the event loop at a time; a `ReplayPool` does it in worker threads
 * (src/server/replay-thread.ts), so that a long replay never holds the thread that parses and
 * answers requests. All give the same answer for the same input (tests/server/replay-pool.test.ts,
 * tests/server/replay-batch.test.ts).
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

/** What the app hands a submission's replay to: a ReplayBatch in the request thread, or a ReplayPool. */
export interface Replayer {
  replay(input: ReplayInput): Promise<ReplayOutput>;
}

/** Most replays one turn of the event loop runs together; the rest wait for the next turn, after the sockets are read. */
const BATCH_MOST = 64;

/**
 * Replays in the calling thread, taken together: a submission's replay waits for the end of the
 * event loop's turn (`setImmediate`), and then every submission read in that turn is replayed
 * one after another, before any of them goes on to its insert and its answer.
 *
 * Why: a replay run between two requests' HTTP work (parsing, middleware, answers, the database
 * driver) cost the server about twice what the same replay costs in a loop of replays. Garbage
 * collection and V8's pretenuring were not the difference; the likeliest cause is that the replay's
 * code and data (XState's, the engine's, the caller's) are cold in the core's caches after the HTTP
 * work (README, Performance, Results service).
 * Under bench:server's load a turn holds about 20 submissions; a lone one waits one turn, no more.
 */
export class ReplayBatch implements Replayer {
  private queue: (Job | undefined)[] = [];
  private at = 0;
  private scheduled = false;
  /** Replays done and turns that ran them (tests read it to see the batch was used). */
  readonly stats = { replays: 0, batches: 0 };

  replay(input: ReplayInput): Promise<ReplayOutput> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    const end = Math.min(this.queue.length, this.at + BATCH_MOST);
    const queue = this.queue;
    this.stats.batches++;
    for (; this.at < end; this.at++) {
      const job = queue[this.at] as Job;
      queue[this.at] = undefined;
      this.stats.replays++;
      try {
        job.resolve(replaySubmission(job.input));
      } catch (error) {
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (this.at < queue.length) {
      // A queue that never empties (more than a turn's worth arriving every turn) would otherwise
      // keep every replayed slot: drop them once they are many.
      if (this.at >= 1024) {
        this.queue = queue.slice(this.at);
        this.at = 0;
      }
      this.schedule();
    } else {
      this.queue = [];
      this.at = 0;
    }
  };

  /** Submissions waiting for their turn, and slots the queue holds (tests: it never grows without bound). */
  get pending(): { waiting: number; slots: number } {
    return { waiting: this.queue.length - this.at, slots: this.queue.length };
  }
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
  /** The jobs of the batch it is replaying, in the order sent; null when idle. */
  busy: Job[] | null;
}

/** A batch as a thread receives it: each job names its scenario by hash, and carries it the first time. */
export type ThreadJob = Omit<ReplayInput, 'scenario'> & { scenario?: Scenario };
/** A thread's answer to a batch: one entry per job, in the order sent. */
export type ThreadAnswer = ({ ok: true; output: ReplayOutput } | { ok: false; message: string })[];

/**
 * Replays in worker threads, one batch per thread at a time (a queue holds the rest, oldest first).
 * What arrives in one turn of the event loop, and what queues while the threads are busy, goes to a
 * free thread as one message and is replayed there back to back, as `ReplayBatch` does in the
 * request thread: one message and one wake-up for many jobs, and replays that follow each other.
 * Each scenario is sent to a thread once and kept there by its hash; after that a job carries
 * only the steps. A thread that dies fails its jobs with a clear error and is replaced.
 */
export class ReplayPool implements Replayer {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  private scheduled = false;
  /** Jobs done in threads, and the batches that carried them (tests read it to see the pool was used). */
  readonly stats = { replays: 0, batches: 0 };

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
    worker.on('message', (answers: ThreadAnswer) => {
      const jobs = thread.busy ?? [];
      thread.busy = null;
      this.stats.batches++;
      jobs.forEach((job, i) => {
        const answer = answers[i];
        this.stats.replays++;
        if (answer?.ok) job.resolve(answer.output);
        else job.reject(new Error(`the replay failed: ${answer ? answer.message : 'no answer'}`));
      });
      this.next();
    });
    const lost = (why: string) => {
      const jobs = thread.busy ?? [];
      thread.busy = null;
      for (const job of jobs) job.reject(new Error(`the replay thread stopped (${why})`));
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
      // The rest of this turn's submissions go with it.
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.next();
      });
    });
  }

  /** Shares the queue among the idle threads, oldest first, at most BATCH_MOST jobs a message. */
  private next(): void {
    const idle = this.threads.filter((t) => !t.busy);
    for (let i = 0; i < idle.length && this.queue.length > 0; i++) {
      const thread = idle[i] as Thread;
      const jobs = this.queue.splice(0, Math.min(BATCH_MOST, Math.ceil(this.queue.length / (idle.length - i))));
      thread.busy = jobs;
      const batch: ThreadJob[] = jobs.map((job) => {
        const { scenario, ...rest } = job.input;
        if (thread.known.has(rest.hash)) return rest;
        thread.known.add(rest.hash);
        return { ...rest, scenario };
      });
      thread.worker.postMessage(batch);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the replay threads are closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
