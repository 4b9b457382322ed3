/**
 * Results for the game: an IndexedDB attempt store and the outbox that sends it to the server.
 * The game calls `startResults()` once after `createServices()`, behind the menu's first frame
 * (main.ts); scenes keep using `services().attempts`, which is then the IndexedDB store, and the
 * menu reads `results().status()` once `onResultsStarted` has called it back.
 */
import { setAttemptStore } from '../services';
import { LocalAttemptStore, type AttemptRecord, type AttemptStore } from '../attempt-store';
import { ResultsApi } from './api';
import { IdbAttemptStore } from './idb-attempt-store';
import { Outbox } from './outbox';

export { ResultsApi, JoinError, type Identity, type SendOutcome } from './api';
export { IdbAttemptStore, type OutboxRecord } from './idb-attempt-store';
export { Outbox, type OutboxStatus } from './outbox';

let current: Outbox | null = null;
let currentApi: ResultsApi | null = null;
let started = false;
const startListeners = new Set<(outbox: Outbox | null) => void>();

/**
 * The store that sends: saving a record through it also starts sending. It keeps the game's
 * localStorage list up to date as well, a second copy in the format the game already reads.
 */
class SendingStore extends IdbAttemptStore {
  onSaved: (() => void) | null = null;
  mirror: AttemptStore | null = null;
  override async save(record: AttemptRecord): Promise<void> {
    await super.save(record);
    await this.mirror?.save(record).catch(() => undefined);
    this.onSaved?.();
  }
  override async markSent(id: string, at: string): Promise<void> {
    await super.markSent(id, at);
    await this.mirror?.markSent(id, at).catch(() => undefined);
  }
}

/**
 * Null when the browser has no IndexedDB (private modes of some browsers): the game keeps its own
 * store. Once only: a second call returns what the first made.
 */
export function startResults(base = ''): Outbox | null {
  if (started) return current;
  started = true;
  current = begin(base);
  for (const listener of [...startListeners]) listener(current);
  startListeners.clear();
  return current;
}

/**
 * Calls `listener` with the outbox (null without IndexedDB) once the results have started: at once
 * if they have. Returns a function that cancels a call still to come.
 */
export function onResultsStarted(listener: (outbox: Outbox | null) => void): () => void {
  if (started) {
    listener(current);
    return () => undefined;
  }
  startListeners.add(listener);
  return () => startListeners.delete(listener);
}

function begin(base: string): Outbox | null {
  if (typeof indexedDB === 'undefined') return null;
  let legacy: Storage | null = null;
  try {
    legacy = window.localStorage;
  } catch {
    legacy = null;
  }
  const store = new SendingStore(indexedDB, legacy);
  if (legacy) store.mirror = new LocalAttemptStore(legacy);
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks as unknown as { request(name: string, cb: () => Promise<void>): Promise<void> }) : null;
  currentApi = new ResultsApi(base);
  const outbox = new Outbox({ store, api: currentApi, locks });
  store.onSaved = () => void outbox.flush();
  setAttemptStore(store);
  outbox.start(window);
  return outbox;
}

export function results(): Outbox | null {
  return current;
}

/** The results API the outbox sends through (null without IndexedDB): server starts and assignments use it too. */
export function resultsApi(): ResultsApi | null {
  return currentApi;
}
