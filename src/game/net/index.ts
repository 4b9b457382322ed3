/**
 * Results for the game: an IndexedDB attempt store and the outbox that sends it to the server.
 * The game calls `startResults()` once after `createServices()`; scenes keep using
 * `services().attempts`, which is then the IndexedDB store, and the menu reads `results().status()`.
 */
import { setAttemptStore } from '../services';
import type { AttemptRecord } from '../attempt-store';
import { ResultsApi } from './api';
import { IdbAttemptStore } from './idb-attempt-store';
import { Outbox } from './outbox';

export { ResultsApi, JoinError, type Identity, type SendOutcome } from './api';
export { IdbAttemptStore, type OutboxRecord } from './idb-attempt-store';
export { Outbox, type OutboxStatus } from './outbox';

let current: Outbox | null = null;

/** The store that sends: saving a record through it also starts sending. */
class SendingStore extends IdbAttemptStore {
  onSaved: (() => void) | null = null;
  override async save(record: AttemptRecord): Promise<void> {
    await super.save(record);
    this.onSaved?.();
  }
}

/** Null when the browser has no IndexedDB (private modes of some browsers): the game keeps its own store. */
export function startResults(base = ''): Outbox | null {
  if (typeof indexedDB === 'undefined') return null;
  let legacy: Storage | null = null;
  try {
    legacy = window.localStorage;
  } catch {
    legacy = null;
  }
  const store = new SendingStore(indexedDB, legacy);
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? (navigator.locks as unknown as { request(name: string, cb: () => Promise<void>): Promise<void> }) : null;
  const outbox = new Outbox({ store, api: new ResultsApi(base), locks });
  store.onSaved = () => void outbox.flush();
  setAttemptStore(store);
  outbox.start(window);
  current = outbox;
  return outbox;
}

export function results(): Outbox | null {
  return current;
}
