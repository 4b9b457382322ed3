/**
 * Runs a simulation's chunks on worker threads, one per core, and merges them in chunk order:
 * the report is the same as a single-threaded `simulate` with the same seed. The chunks are handed
 * out one at a time, each to the worker that finishes first, so that a worker on a core shared
 * with other work does not leave the other waiting at the end (a split fixed up front finished
 * when the slower half did).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analysisOf, type Scenario } from '../engine/index';
import { mergeReports, simulate, simulationChunks, type SimulationOptions, type SimulationReport } from '../engine/analysis/simulate';

/** What a worker is given once: the scenario and how to play. */
export interface ChunkJob {
  scenario: Scenario;
  seed: number;
  options: Pick<SimulationOptions, 'silenceRate' | 'lateRate'>;
}

/** A message to a worker: play this chunk, or stop (null). */
export type ChunkOrder = { index: number; runs: number } | null;

/** A worker's message: it is ready (no chunk yet), or one chunk's report. */
export type ChunkResult = { index: number; report: SimulationReport } | { ready: true };

export async function simulateParallel(scenario: Scenario, options: SimulationOptions, workers = availableParallelism()): Promise<SimulationReport> {
  const seed = options.seed ?? 1;
  const sizes = simulationChunks(options.runs, options.chunk);
  const count = Math.max(1, Math.min(workers, sizes.length));
  if (count === 1) return simulate(scenario, analysisOf(scenario), options);
  const job: ChunkJob = { scenario, seed, options: { silenceRate: options.silenceRate, lateRate: options.lateRate } };
  const reports: SimulationReport[] = new Array<SimulationReport>(sizes.length);
  let next = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./simulate-worker.mjs', import.meta.url), { workerData: job });
          const give = () => {
            const index = next++;
            worker.postMessage((index < sizes.length ? { index, runs: sizes[index] as number } : null) satisfies ChunkOrder);
          };
          worker.on('message', (message: ChunkResult) => {
            if ('index' in message) reports[message.index] = message.report;
            give();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code !== 0 ? reject(new Error(`simulation worker stopped with code ${code}`)) : resolve()));
        }),
    ),
  );
  return mergeReports(seed, reports);
}
