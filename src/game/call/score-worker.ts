/** The scoring worker: analyses the scenario once, then replays and scores finished calls. */
import { prepare, score } from './score-core';
import type { WorkerReply, WorkerRequest } from './scoring';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;
let scenarioValue: unknown = null;

scope.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.type === 'prepare') {
      scenarioValue = message.scenario;
      scope.postMessage({ id: message.id, type: 'prepared', hash: prepare(scenarioValue) });
    } else {
      scope.postMessage({ id: message.id, type: 'scored', scored: score(scenarioValue, message.request) });
    }
  } catch (error) {
    scope.postMessage({ id: message.id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
