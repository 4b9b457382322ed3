/**
 * A replay thread of the ReplayPool (src/server/replay.ts): takes one batch of jobs at a time,
 * replays them one after another and answers one message per batch, an entry per job in the order
 * sent. A job names its scenario by content hash; the first job with a hash carries the scenario,
 * which the thread keeps.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../engine/index';
import { replaySubmission, type ThreadAnswer, type ThreadJob } from './replay';

const scenarios = new Map<string, Scenario>();
const port = parentPort!;

port.on('message', (jobs: ThreadJob[]) => {
  const answers: ThreadAnswer = [];
  for (const job of jobs) {
    try {
      if (job.scenario) scenarios.set(job.hash, job.scenario);
      const scenario = scenarios.get(job.hash);
      if (!scenario) throw new Error(`scenario ${job.hash.slice(0, 12)}… was never sent to this thread`);
      answers.push({ ok: true, output: replaySubmission({ ...job, scenario }) });
    } catch (error) {
      answers.push({ ok: false, message: String((error as Error)?.message ?? error) });
    }
  }
  port.postMessage(answers);
});
