/**
 * A replay thread of the ReplayPool (src/server/replay.ts): takes one job at a time, answers one
 * message per job. A job names its scenario by content hash; the first job with a hash carries the
 * scenario, which the thread keeps.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../engine/index';
import { replaySubmission, type ReplayInput } from './replay';

const scenarios = new Map<string, Scenario>();
const port = parentPort!;

port.on('message', (job: Omit<ReplayInput, 'scenario'> & { scenario?: Scenario }) => {
  try {
    if (job.scenario) scenarios.set(job.hash, job.scenario);
    const scenario = scenarios.get(job.hash);
    if (!scenario) throw new Error(`scenario ${job.hash.slice(0, 12)}… was never sent to this thread`);
    port.postMessage({ ok: true, output: replaySubmission({ ...job, scenario }) });
  } catch (error) {
    port.postMessage({ ok: false, message: String((error as Error)?.message ?? error) });
  }
});
