/**
 * The trainee's attempts, kept in the browser so the menu shows history after a reload and no
 * result is lost offline. The record holds the attempt the server replays (steps, never trusted
 * scores) and the summary the trainee saw. Another module may send the attempts on: it finds the
 * unsent ones with `unsent()` and calls `markSent()`.
 */
import type { Attempt } from '../engine/attempt';
import type { Outcome } from '../engine/format/schema';

export const ATTEMPT_STORE_FORMAT = 1 as const;
export const ATTEMPT_STORE_KEY = 'hold-the-line.attempts';
/** Oldest records beyond this many are dropped, unsent ones last. */
export const MAX_RECORDS = 300;

export interface AttemptSummary {
  outcome: Outcome;
  passed: boolean;
  total: number;
  passMark: number;
  /** Percent per dimension id. */
  dimensions: Record<string, number>;
}

export interface AttemptRecord {
  /** The attempt id, or a local id when there is no attempt (the phone was never answered). */
  id: string;
  scenarioId: string;
  scenarioRevision: number;
  finishedAt: string;
  /** Null when the trainee never picked up: there are no steps to replay. */
  attempt: Attempt | null;
  summary: AttemptSummary;
  sentAt?: string;
}

export interface ScenarioHistory {
  attempts: number;
  best: number;
  passed: boolean;
  last: AttemptRecord;
}

export interface AttemptStore {
  save(record: AttemptRecord): Promise<void>;
  /** Newest first. */
  list(): Promise<AttemptRecord[]>;
  unsent(): Promise<AttemptRecord[]>;
  markSent(id: string, at: string): Promise<void>;
}

/** History per scenario, for the menu's cards. */
export function historyByScenario(records: readonly AttemptRecord[]): Map<string, ScenarioHistory> {
  const map = new Map<string, ScenarioHistory>();
  for (const record of records) {
    const seen = map.get(record.scenarioId);
    if (!seen) {
      map.set(record.scenarioId, { attempts: 1, best: record.summary.total, passed: record.summary.passed, last: record });
      continue;
    }
    seen.attempts++;
    seen.best = Math.max(seen.best, record.summary.total);
    seen.passed ||= record.summary.passed;
    if (record.finishedAt > seen.last.finishedAt) seen.last = record;
  }
  return map;
}

function isRecord(value: unknown): value is AttemptRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<AttemptRecord>;
  const s = r.summary as Partial<AttemptSummary> | undefined;
  return (
    typeof r.id === 'string' &&
    typeof r.scenarioId === 'string' &&
    typeof r.scenarioRevision === 'number' &&
    typeof r.finishedAt === 'string' &&
    (r.attempt === null || (typeof r.attempt === 'object' && r.attempt !== undefined && (r.attempt.format === 1 || r.attempt.format === 2) && Array.isArray(r.attempt.steps))) &&
    typeof s === 'object' &&
    typeof s.total === 'number' &&
    typeof s.passed === 'boolean' &&
    typeof s.outcome === 'string'
  );
}

/** Parses the stored list; records that do not match the format are skipped, never thrown on. */
export function parseStored(raw: string | null): AttemptRecord[] {
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as { format?: unknown; records?: unknown };
    if (value.format !== ATTEMPT_STORE_FORMAT || !Array.isArray(value.records)) return [];
    return value.records.filter(isRecord);
  } catch {
    return [];
  }
}

/** Keeps the newest records within the cap, dropping sent ones before unsent ones. */
export function trimRecords(records: readonly AttemptRecord[], max = MAX_RECORDS): AttemptRecord[] {
  if (records.length <= max) return [...records];
  const sorted = [...records].sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : -1));
  const keep = new Set(sorted.filter((r) => !r.sentAt).slice(0, max));
  for (const r of sorted) if (keep.size < max && !keep.has(r)) keep.add(r);
  return sorted.filter((r) => keep.has(r));
}

/** localStorage: synchronous, available offline, a few MB, enough for hundreds of calls. */
export class LocalAttemptStore implements AttemptStore {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  private read(): AttemptRecord[] {
    try {
      return parseStored(this.storage.getItem(ATTEMPT_STORE_KEY));
    } catch {
      return [];
    }
  }

  private write(records: AttemptRecord[]): void {
    this.storage.setItem(ATTEMPT_STORE_KEY, JSON.stringify({ format: ATTEMPT_STORE_FORMAT, records: trimRecords(records) }));
  }

  async save(record: AttemptRecord): Promise<void> {
    const records = this.read().filter((r) => r.id !== record.id);
    this.write([record, ...records]);
  }

  async list(): Promise<AttemptRecord[]> {
    return this.read().sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : -1));
  }

  async unsent(): Promise<AttemptRecord[]> {
    return (await this.list()).filter((r) => r.attempt !== null && !r.sentAt);
  }

  async markSent(id: string, at: string): Promise<void> {
    this.write(this.read().map((r) => (r.id === id ? { ...r, sentAt: at } : r)));
  }
}

/** When the browser keeps nothing (storage blocked), the session still works. */
export class MemoryAttemptStore implements AttemptStore {
  private records: AttemptRecord[] = [];
  async save(record: AttemptRecord) {
    this.records = [record, ...this.records.filter((r) => r.id !== record.id)];
  }
  async list() {
    return [...this.records].sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : -1));
  }
  async unsent() {
    return (await this.list()).filter((r) => r.attempt !== null && !r.sentAt);
  }
  async markSent(id: string, at: string) {
    this.records = this.records.map((r) => (r.id === id ? { ...r, sentAt: at } : r));
  }
}
