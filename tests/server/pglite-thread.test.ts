/**
 * Named prepared statements on PGlite in its thread (src/server/pglite-thread.ts): the same rows,
 * values and errors as PGlite's own `query`, the transactions' isolation kept, and a commit on the
 * disk before the answer, as for any other statement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, pgliteSync, type Db, type SqlValue } from '../../src/server/db';

let dir: string;
let db: Db;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'htl-pglite-thread-'));
  db = await openDb({ dataDir: join(dir, 'data') });
  await db.exec(`CREATE TABLE t (id int PRIMARY KEY, name text, flag boolean, at timestamptz, doc jsonb, score float8, big bigint, tags text[])`);
}, 180_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const INSERT = `INSERT INTO t SELECT $1::int, $2::text, $3::boolean, $4::timestamptz, $5::jsonb, $6::float8, $7::bigint, $8::text[]
  RETURNING id, name, flag, at, doc, score, big, tags, NULL::text AS nothing`;

describe('prepared statements on PGlite in its thread', () => {
  it('give the same rows and values as the same statement unprepared', async () => {
    const values = (id: number): SqlValue[] => [id, `name ${id} “引号” 'x'`, id % 2 === 0, new Date(Date.UTC(2026, 10, 30, 12, 0, id)), JSON.stringify({ id, list: [1, 'two', null] }), id / 3, 2 ** 40 + id, `{a,"b c",${id}}`];
    const plain = await db.query(INSERT, values(1));
    const prepared = await db.query(INSERT, values(2), { prepared: 'htl_test_insert' });
    const again = await db.query(INSERT, values(3), { prepared: 'htl_test_insert' });
    expect(prepared).toEqual([{ ...(plain[0] as object), id: 2, name: `name 2 “引号” 'x'`, flag: true, at: new Date(Date.UTC(2026, 10, 30, 12, 0, 2)), doc: { id: 2, list: [1, 'two', null] }, score: 2 / 3, big: 2 ** 40 + 2, tags: ['a', 'b c', '2'] }]);
    expect(again).toEqual(await db.query('SELECT id, name, flag, at, doc, score, big, tags, NULL::text AS nothing FROM t WHERE id = 3'));
    // Nulls, and a statement that returns no rows.
    expect(await db.query(INSERT, [4, null, null, null, null, null, null, null], { prepared: 'htl_test_insert' })).toEqual([
      { id: 4, name: null, flag: null, at: null, doc: null, score: null, big: null, tags: null, nothing: null },
    ]);
    expect(await db.query('SELECT id FROM t WHERE id > $1', [100], { prepared: 'htl_test_none' })).toEqual([]);
  });

  it('keep the error fields, and the next statement runs', async () => {
    const error = await db.query(INSERT, [1, 'again', true, null, null, null, null, null], { prepared: 'htl_test_insert' }).catch((e: unknown) => e as Record<string, unknown>);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey' });
    expect(String((error as { message?: unknown }).message)).toMatch(/duplicate key value violates unique constraint "t_pkey"/);
    const syntax = await db.query('SELEC 1', [], { prepared: 'htl_test_broken' }).catch((e: unknown) => e as Record<string, unknown>);
    expect(syntax).toMatchObject({ code: '42601' });
    expect(await db.query('SELECT count(*)::int AS n FROM t WHERE id = $1', [1], { prepared: 'htl_test_count' })).toEqual([{ n: 1 }]);
  });

  it('refuse a second text under a name already prepared', async () => {
    await db.query('SELECT 1 AS one', [], { prepared: 'htl_test_one' });
    await expect(db.query('SELECT 2 AS two', [], { prepared: 'htl_test_one' })).rejects.toThrow(/the prepared statement htl_test_one was prepared with another text/);
  });

  it('wait for an open transaction instead of running inside it, and run unprepared inside one', async () => {
    let seen: unknown = null;
    let read: Promise<unknown> | null = null;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [50, 'in a transaction'], { prepared: 'htl_test_in_tx' });
      read = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = $1', [50], { prepared: 'htl_test_count' }).then((rows) => (seen = rows));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toBeNull();
    });
    // The read ran after the commit and saw the row.
    expect(await read).toEqual([{ n: 1 }]);
  });

  it('reach the disk before they answer, as every commit does', async () => {
    const before = pgliteSync.fsyncs;
    for (let i = 0; i < 3; i++) await db.query(INSERT, [200 + i, 'durable', true, null, null, null, null, null], { prepared: 'htl_test_insert' });
    expect(pgliteSync.fsyncs - before).toBeGreaterThanOrEqual(3);
  });
});
