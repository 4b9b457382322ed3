/** A worker thread that plays its share of a simulation's chunks. */
import { parentPort, workerData } from 'node:worker_threads';
import { analysisOf } from '../engine/index';
import { simulateChunk } from '../engine/analysis/simulate';
import type { ChunkJob } from './parallel-simulate';

const job = workerData as ChunkJob;
const analysis = analysisOf(job.scenario);
parentPort?.postMessage(job.chunks.map(({ index, runs }) => ({ index, report: simulateChunk(job.scenario, analysis, runs, job.seed, index, job.options) })));
