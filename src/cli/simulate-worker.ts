/** A worker thread that plays the simulation's chunks it is handed, one at a time, until told to stop. */
import { parentPort, workerData } from 'node:worker_threads';
import { analysisOf } from '../engine/index';
import { simulateChunk } from '../engine/analysis/simulate';
import type { ChunkJob, ChunkOrder, ChunkResult } from './parallel-simulate';

const job = workerData as ChunkJob;
const analysis = analysisOf(job.scenario);
parentPort?.on('message', (order: ChunkOrder) => {
  if (order === null) {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage({ index: order.index, report: simulateChunk(job.scenario, analysis, order.runs, job.seed, order.index, job.options) } satisfies ChunkResult);
});
parentPort?.postMessage({ ready: true } satisfies ChunkResult);
