import { describe, expect, it } from 'vitest';
import { ATTEMPT_STORE_KEY, historyByScenario, LocalAttemptStore, parseStored, trimRecords, type AttemptRecord } from '../../src/game/attempt-store';

function record(id: string, scenarioId: string, total: number, passed: boolean, finishedAt: string, sentAt?: string): AttemptRecord {
  return {
    id,
    scenarioId,
    scenarioRevision: 1,
    finishedAt,
    attempt: { format: 1, attemptId: id, scenarioId, scenarioRevision: 1, scenarioHash: 'a'.repeat(64), startedAt: finishedAt, language: 'en', steps: [{ type: 'answer', ring: 1 }] },
    summary: { outcome: passed ? 'resolved' : 'complaint', passed, total, passMark: 70, dimensions: {} },
    ...(sentAt ? { sentAt } : {}),
  };
}

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('the attempt store', () => {
  it('keeps attempts across a reload, newest first, in a versioned record', async () => {
    const storage = memoryStorage();
    await new LocalAttemptStore(storage).save(record('a', 'practice-call', 50, false, '2026-01-01T10:00:00Z'));
    await new LocalAttemptStore(storage).save(record('b', 'practice-call', 90, true, '2026-01-02T10:00:00Z'));
    const reloaded = new LocalAttemptStore(storage);
    expect((await reloaded.list()).map((r) => r.id)).toEqual(['b', 'a']);
    expect(JSON.parse(storage.data.get(ATTEMPT_STORE_KEY) ?? '{}').format).toBe(1);
  });

  it('skips records it cannot read instead of losing the rest', () => {
    const good = record('a', 'x', 10, false, '2026-01-01T00:00:00Z');
    expect(parseStored(JSON.stringify({ format: 1, records: [good, { id: 3 }, null] }))).toEqual([good]);
    expect(parseStored(JSON.stringify({ format: 2, records: [good] }))).toEqual([]);
    expect(parseStored('garbage')).toEqual([]);
  });

  it('lists what is still to be sent, and forgets nothing unsent when trimming', async () => {
    const storage = memoryStorage();
    const store = new LocalAttemptStore(storage);
    await store.save(record('a', 'x', 10, false, '2026-01-01T00:00:00Z'));
    await store.save(record('b', 'x', 20, false, '2026-01-02T00:00:00Z'));
    await store.markSent('a', '2026-01-03T00:00:00Z');
    expect((await store.unsent()).map((r) => r.id)).toEqual(['b']);
    const many = Array.from({ length: 10 }, (_, i) => record(`r${i}`, 'x', i, false, `2026-01-${String(i + 10)}T00:00:00Z`, i < 5 ? '2026-02-01T00:00:00Z' : undefined));
    const kept = trimRecords([record('old-unsent', 'x', 1, false, '2025-01-01T00:00:00Z'), ...many], 6);
    expect(kept).toHaveLength(6);
    expect(kept.map((r) => r.id)).toContain('old-unsent');
  });

  it('gives the menu each caller\'s best score, tries and whether it was ever passed', () => {
    const history = historyByScenario([
      record('a', 'practice-call', 40, false, '2026-01-01T00:00:00Z'),
      record('b', 'practice-call', 92.5, true, '2026-01-02T00:00:00Z'),
      record('c', 'practice-call', 60, false, '2026-01-03T00:00:00Z'),
      record('d', 'wrong-charge', 0, false, '2026-01-01T00:00:00Z'),
    ]);
    expect(history.get('practice-call')).toMatchObject({ attempts: 3, best: 92.5, passed: true });
    expect(history.get('practice-call')?.last.id).toBe('c');
    expect(history.get('wrong-charge')).toMatchObject({ attempts: 1, best: 0, passed: false });
  });
});
