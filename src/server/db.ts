/**
 * One small database interface over the two engines the service runs on: PGlite (embedded
 * PostgreSQL in WebAssembly, a folder on disk) and a real PostgreSQL server through `pg`. Both speak
 * the same SQL, so the repository and the migrations are written once.
 */
import { mkdirSync } from 'node:fs';
import type { Pool } from 'pg';

export type SqlValue = string | number | boolean | null | Date;

export interface Queryable {
  /** One statement with $1… parameters. */
  query<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… for a PostgreSQL server; otherwise PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's folder; `memory://` or undefined keeps everything in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL only: a schema to work in (tests use one each and drop it). */
  schema?: string | undefined;
  /** PostgreSQL only: pool size. */
  poolSize?: number | undefined;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir && !dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(dataDir ?? 'memory://');
  await pg.waitReady;
  const wrap = (q: { query: typeof pg.query; exec: typeof pg.exec }): Queryable => ({
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    close: () => pg.close(),
  };
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number): Promise<Db> {
  const { default: pg } = await import('pg');
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema name "${schema}" must be lower-case letters, digits and _`);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', (error) => console.error(`PostgreSQL: ${error.message}`));
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const wrap = (q: { query: Pool['query'] }): Queryable => ({
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      const result = await q.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(sql) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work(wrap(client as unknown as { query: Pool['query'] }));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
