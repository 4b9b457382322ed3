/**
 * Runs a simulation's chunks on worker threads, one per core, and merges them in chunk order:
 * the report is the same as a single-threaded `simulate` with the same seed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analysisOf, type Scenario } from '../engine/index';
import { mergeReports, simulate, simulationChunks, type SimulationOptions, type SimulationReport } from '../engine/analysis/simulate';

export interface ChunkJob {
  scenario: Scenario;
  seed: number;
  chunks: Array<{ index: number; runs: number }>;
  options: Pick<SimulationOptions, 'silenceRate' | 'lateRate'>;
}

export async function simulateParallel(scenario: Scenario, options: SimulationOptions, workers = availableParallelism()): Promise<SimulationReport> {
  const seed = options.seed ?? 1;
  const sizes = simulationChunks(options.runs, options.chunk);
  const count = Math.max(1, Math.min(workers, sizes.length));
  if (count === 1) return simulate(scenario, analysisOf(scenario), options);
  const jobs: ChunkJob[] = Array.from({ length: count }, () => ({ scenario, seed, chunks: [], options: { silenceRate: options.silenceRate, lateRate: options.lateRate } }));
  sizes.forEach((runs, index) => jobs[index % count]?.chunks.push({ index, runs }));
  const results = await Promise.all(
    jobs.map(
      (job) =>
        new Promise<Array<{ index: number; report: SimulationReport }>>((resolve, reject) => {
          const worker = new Worker(new URL('./simulate-worker.mjs', import.meta.url), { workerData: job });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`simulation worker stopped with code ${code}`)));
        }),
    ),
  );
  const ordered = results.flat().sort((a, b) => a.index - b.index).map((r) => r.report);
  return mergeReports(seed, ordered);
}
