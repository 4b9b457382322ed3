/**
 * Scores a finished call the way the CLI and the server do: replay the recorded steps through
 * `playSteps`. The scenario's analysis (the maximum per dimension) can take seconds on a large call,
 * so it runs in a worker, started when the call starts, and the debrief only waits for what is left.
 */
import type { CallState } from '../../engine/call/logic';
import type { AttemptStep } from '../../engine/call/replay';
import type { CallResult } from '../../engine/scoring';

export interface ScoreRequest {
  steps: AttemptStep[];
  /** The live call, scored directly when the steps cannot be replayed (a preview from another node). */
  live: CallState;
  replay: boolean;
  /** The attempt's seed, for the replay to see the same option order and wording. */
  seed?: string;
}

export interface Scored {
  result: CallResult;
  /** True when the result came from replaying the steps: what `npm run scenario -- play` gives. */
  replayed: boolean;
  /** Why a replay was not possible, if it was attempted. */
  problem: string | null;
}

export type WorkerMessage = { type: 'prepare'; scenario: unknown } | { type: 'score'; request: ScoreRequest };
export type WorkerRequest = WorkerMessage & { id: number };
export type WorkerReply = { id: number; type: 'prepared'; hash: string } | { id: number; type: 'scored'; scored: Scored } | { id: number; type: 'error'; message: string };

export interface Scorer {
  /** The scenario's content hash, for the attempt record. */
  hash(): Promise<string>;
  score(request: ScoreRequest): Promise<Scored>;
  dispose(): void;
}

/** The same work on the main thread: where workers are unavailable, and in unit tests. */
export async function scoreHere(scenarioValue: unknown, request: ScoreRequest): Promise<Scored> {
  const { score } = await import('./score-core');
  return score(scenarioValue, request);
}

class WorkerScorer implements Scorer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  private readonly prepared: Promise<string>;

  constructor(
    private readonly worker: Worker,
    private readonly scenarioValue: unknown,
  ) {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const waiting = this.pending.get(event.data.id);
      if (!waiting) return;
      this.pending.delete(event.data.id);
      if (event.data.type === 'error') waiting.reject(new Error(event.data.message));
      else waiting.resolve(event.data);
    };
    worker.onerror = (event) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(event.message || 'the scoring worker failed'));
      this.pending.clear();
    };
    this.prepared = this.ask({ type: 'prepare', scenario: scenarioValue }).then((reply) => (reply.type === 'prepared' ? reply.hash : ''));
  }

  private ask(message: WorkerMessage): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { ...message, id };
      this.worker.postMessage(request);
    });
  }

  hash(): Promise<string> {
    return this.prepared;
  }

  async score(request: ScoreRequest): Promise<Scored> {
    try {
      const reply = await this.ask({ type: 'score', request });
      if (reply.type === 'scored') return reply.scored;
    } catch {
      // Fall through to the main thread: a result is never lost to a broken worker.
    }
    return scoreHere(this.scenarioValue, request);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

class MainThreadScorer implements Scorer {
  constructor(private readonly scenarioValue: unknown) {}
  async hash() {
    const { hashOf } = await import('./score-core');
    return hashOf(this.scenarioValue);
  }
  score(request: ScoreRequest) {
    return scoreHere(this.scenarioValue, request);
  }
  dispose() {}
}

/** Starts analysing the scenario now, so scoring at the end of the call is quick. */
export function createScorer(scenarioValue: unknown): Scorer {
  try {
    const worker = new Worker(new URL('./score-worker.ts', import.meta.url), { type: 'module' });
    return new WorkerScorer(worker, scenarioValue);
  } catch {
    return new MainThreadScorer(scenarioValue);
  }
}
