/**
 * The game's AttemptStore in IndexedDB: each save is committed before it resolves, so a result is
 * kept through a reload, a closed tab or a crash, and the outbox sends it when the server answers.
 * On first use it takes over what the localStorage store held.
 */
import { ATTEMPT_STORE_KEY, MAX_RECORDS, parseStored, trimRecords, type AttemptRecord, type AttemptStore } from '../attempt-store';
import { inTransaction, openDatabase, requestValue, STORES } from './idb';

export interface Refusal {
  at: string;
  status: number;
  message: string;
}

/** An attempt record with what the outbox learnt about it. */
export interface OutboxRecord extends AttemptRecord {
  /** The server refused it for good (an impossible or changed attempt): it is not sent again. */
  refused?: Refusal;
  tries?: number;
  lastError?: string;
}

const IMPORTED_KEY = 'imported-local-storage';
const newestFirst = (a: AttemptRecord, b: AttemptRecord) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0);

export class IdbAttemptStore implements AttemptStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(
    private readonly factory: IDBFactory,
    private readonly legacy: Pick<Storage, 'getItem'> | null = null,
    private readonly name?: string,
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= openDatabase(this.factory, this.name).then(async (db) => {
      db.addEventListener('close', () => {
        this.db = null;
      });
      await this.importLegacy(db);
      return db;
    });
    return this.db.catch((error: unknown) => {
      this.db = null;
      throw error;
    });
  }

  private async importLegacy(db: IDBDatabase): Promise<void> {
    if (!this.legacy) return;
    let raw: string | null = null;
    try {
      raw = this.legacy.getItem(ATTEMPT_STORE_KEY);
    } catch {
      return;
    }
    await inTransaction(db, [STORES.attempts, STORES.meta], 'readwrite', async (tx) => {
      const meta = tx.objectStore(STORES.meta);
      if (await requestValue(meta.get(IMPORTED_KEY))) return;
      const attempts = tx.objectStore(STORES.attempts);
      for (const record of parseStored(raw)) {
        if (!(await requestValue(attempts.get(record.id)))) attempts.put(record);
      }
      meta.put(new Date().toISOString(), IMPORTED_KEY);
    });
  }

  async all(): Promise<OutboxRecord[]> {
    const db = await this.open();
    const records = await inTransaction(db, STORES.attempts, 'readonly', (tx) => requestValue(tx.objectStore(STORES.attempts).getAll() as IDBRequest<OutboxRecord[]>));
    return records.sort(newestFirst);
  }

  async get(id: string): Promise<OutboxRecord | null> {
    const db = await this.open();
    return inTransaction(db, STORES.attempts, 'readonly', async (tx) => ((await requestValue(tx.objectStore(STORES.attempts).get(id))) as OutboxRecord | undefined) ?? null);
  }

  async save(record: AttemptRecord): Promise<void> {
    const db = await this.open();
    await inTransaction(db, STORES.attempts, 'readwrite', async (tx) => {
      const store = tx.objectStore(STORES.attempts);
      store.put(record);
      const all = (await requestValue(store.getAll())) as OutboxRecord[];
      if (all.length > MAX_RECORDS) {
        const keep = new Set(trimRecords(all, MAX_RECORDS).map((r) => r.id));
        for (const r of all) if (!keep.has(r.id)) store.delete(r.id);
      }
    });
  }

  list(): Promise<AttemptRecord[]> {
    return this.all();
  }

  /** What is still waiting to be sent, oldest first (the order they were played). */
  async unsent(): Promise<AttemptRecord[]> {
    return (await this.all()).filter((r) => r.attempt !== null && !r.sentAt && !r.refused).reverse();
  }

  async refused(): Promise<OutboxRecord[]> {
    return (await this.all()).filter((r) => r.refused);
  }

  async markSent(id: string, at: string): Promise<void> {
    await this.update(id, (r) => ({ ...r, sentAt: at, lastError: undefined }));
  }

  async markRefused(id: string, refusal: Refusal): Promise<void> {
    await this.update(id, (r) => ({ ...r, refused: refusal }));
  }

  async markTried(id: string, error: string): Promise<void> {
    await this.update(id, (r) => ({ ...r, tries: (r.tries ?? 0) + 1, lastError: error }));
  }

  private async update(id: string, change: (record: OutboxRecord) => OutboxRecord): Promise<void> {
    const db = await this.open();
    await inTransaction(db, STORES.attempts, 'readwrite', async (tx) => {
      const store = tx.objectStore(STORES.attempts);
      const record = (await requestValue(store.get(id))) as OutboxRecord | undefined;
      if (record) store.put(change(record));
    });
  }

  /** Small values kept beside the attempts (the trainee's identity). */
  async getMeta<T>(key: string): Promise<T | null> {
    const db = await this.open();
    return inTransaction(db, STORES.meta, 'readonly', async (tx) => ((await requestValue(tx.objectStore(STORES.meta).get(key))) as T | undefined) ?? null);
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    const db = await this.open();
    await inTransaction(db, STORES.meta, 'readwrite', (tx) => {
      if (value === null || value === undefined) tx.objectStore(STORES.meta).delete(key);
      else tx.objectStore(STORES.meta).put(value, key);
    });
  }
}
