/**
 * One small database interface over the two engines the service runs on: PGlite (embedded
 * PostgreSQL in WebAssembly, a folder on disk) and a real PostgreSQL server through `pg`. Both speak
 * the same SQL, so the repository and the migrations are written once.
 */
import { accessSync, chmodSync, constants, fsyncSync, lstatSync, mkdirSync, readdirSync, statfsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Pool } from 'pg';

export type SqlValue = string | number | boolean | null | Date;

export interface QueryOptions {
  /**
   * Run it as this named prepared statement, parsed and planned once per connection (the text must
   * be the same at every call under this name): PostgreSQL, and PGlite in its thread outside a
   * transaction (src/server/pglite-thread.ts). PGlite in this thread (`memory://`): ignored.
   */
  prepared?: string;
}

export interface Queryable {
  /** One statement with $1… parameters. */
  query<Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: LISTEN on `<name>_<current schema>` on a connection of its own, kept open
   * (reconnected a second after it is lost). `ready` when it listens (again), `lost` when it stops:
   * notifications sent meanwhile are missed. Resolves to what stops it.
   */
  listen?(name: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
}

export interface ListenHandlers {
  message(payload: string): void;
  ready(): void;
  lost(): void;
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
  /**
   * PGlite in a folder only. 'fsync' (default): every commit is on the disk before it is
   * acknowledged, so it survives an OS crash or a power cut. 'relaxed': commits reach the OS but
   * not the disk (about 4× the write rate; survives the process dying, not the machine).
   */
  durability?: 'fsync' | 'relaxed' | undefined;
  /**
   * PGlite in a folder only. 'worker' (default): PGlite runs in a thread of its own
   * (src/server/pglite-thread.ts), so its work and its fsyncs never hold the request thread.
   * 'main': in this thread (what `memory://` always does).
   */
  pgliteThread?: 'worker' | 'main' | undefined;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10);
  const inMemory = !options.dataDir || options.dataDir.startsWith('memory://');
  if (!inMemory && (options.pgliteThread ?? 'worker') === 'worker') return openPgliteThread(options.dataDir!, options.durability ?? 'fsync');
  return openPglite(options.dataDir, options.durability ?? 'fsync');
}

/** Free space below which PGlite does not start (MIN_FREE_MB overrides). */
const MIN_FREE_BYTES = () => Number(process.env.MIN_FREE_MB ?? 64) * 1024 * 1024;

/**
 * The data folder before PGlite opens it: only this user may read it (umask 077 for the process
 * from here on, so every file PGlite makes is 0600 and every folder 0700; files left by older
 * versions are set so too), every file in it writable, and room on the disk. Each problem is a
 * plain sentence naming the file and the fix, not an error from inside PostgreSQL.
 */
export function prepareDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const unwritable: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    try {
      chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
    } catch {
      // Not ours to change: the access check below says what is wrong.
    }
    try {
      accessSync(path, constants.R_OK | constants.W_OK | (stat.isDirectory() ? constants.X_OK : 0));
    } catch {
      unwritable.push(`${relative(dataDir, path) || '.'} (owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`);
      return;
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dataDir);
  if (unwritable.length > 0) {
    throw new Error(
      `this process (uid ${process.getuid?.() ?? '?'}) cannot read and write ${unwritable.length} item(s) in the data folder ${dataDir}: ${unwritable.slice(0, 3).join(', ')}${unwritable.length > 3 ? ', …' : ''}. ` +
        `Run the server as the folder's owner, or give it the folder: chown -R "$(id -un)" ${dataDir}`,
    );
  }
  const fs = statfsSync(dataDir);
  const free = fs.bavail * fs.bsize;
  if (free < MIN_FREE_BYTES()) {
    throw new Error(
      `the disk that holds ${dataDir} has ${(free / 1024 / 1024).toFixed(0)} MB free; the database needs at least ${(MIN_FREE_BYTES() / 1024 / 1024).toFixed(0)} MB to start safely. Free some space or set DATA_DIR to a folder on another disk`,
    );
  }
}

/** What an error from inside PGlite's file system means, in words. */
const ERRNO_MEANING: Record<number, string> = {
  2: 'permission denied (a file in the data folder is not writable by this process)',
  51: 'no space left on the disk',
  69: 'the file system is read-only',
  44: 'a file of the database is missing',
  29: 'an input/output error from the disk',
};

export function explainStorageError(error: unknown, dataDir: string): Error {
  const e = error as { errno?: number; message?: string; name?: string };
  const errno = typeof e?.errno === 'number' ? e.errno : null;
  const meaning = errno !== null ? (ERRNO_MEANING[errno] ?? `file system error ${errno}`) : String(e?.message ?? error);
  const hint = errno === 51 ? 'free some space on the disk' : errno === 2 || errno === 69 ? `check the owner and mode of ${dataDir} and the files in it` : 'see the message above';
  return new Error(`the embedded database in ${dataDir} cannot run: ${meaning || 'it stopped (Aborted)'}. ${hint[0]!.toUpperCase()}${hint.slice(1)}; or run on a PostgreSQL server with DATABASE_URL.`);
}

/** fsyncs PGlite asked for since start (tests read it to see that commits reach the disk). */
export const pgliteSync = { fsyncs: 0 };

async function openPglite(dataDir: string | undefined, durability: 'fsync' | 'relaxed'): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  let pg: InstanceType<typeof PGlite>;
  if (!dataDir || dataDir.startsWith('memory://')) {
    pg = new PGlite(dataDir ?? 'memory://');
    await pg.waitReady;
  } else {
    prepareDataDir(dataDir);
    try {
      pg = new PGlite(await pgliteOptions(dataDir, durability));
      await pg.waitReady;
    } catch (error) {
      throw explainStorageError(error, dataDir);
    }
  }
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

/**
 * PGlite's own defaults run PostgreSQL with `-F` (fsync off), and its Node file system (Emscripten's
 * NODEFS) has no fsync at all: a commit reaches the OS page cache, not the disk. With durability
 * 'fsync' the server starts PostgreSQL without `-F`, with wal_sync_method=fsync (its fdatasync is
 * a no-op in Emscripten, its fsync calls the file system's), and gives NODEFS an fsync that calls
 * Node's fsyncSync on the real file: each commit's WAL is on the disk before the query returns.
 * Exported so that anything else opening the folder (a worker) opens it the same way.
 */
export async function pgliteOptions(dataDir: string, durability: 'fsync' | 'relaxed') {
  const [{ PGlite }, { NodeFS }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/nodefs')]);
  type NodeFsInit = InstanceType<typeof NodeFS>['init'];
  class PrivateNodeFS extends NodeFS {
    override async init(pg: Parameters<NodeFsInit>[0], opts: Parameters<NodeFsInit>[1]) {
      const result = await super.init(pg, opts);
      const preRun = [...((result.emscriptenOpts.preRun as ((mod: unknown) => void)[] | undefined) ?? [])];
      preRun.push((mod) => {
        const nodefs = (mod as { NODEFS: { stream_ops: Record<string, unknown>; doSetAttr: (...args: unknown[]) => unknown } }).NODEFS;
        // Emscripten chmods every file it creates to its own mode (0666 for PostgreSQL's files),
        // overriding the umask: keep group and others out.
        const setAttr = nodefs.doSetAttr.bind(nodefs);
        nodefs.doSetAttr = (target, node, attr, ...rest) => {
          const a = attr as { mode?: number };
          return setAttr(target, node, a.mode === undefined ? a : { ...a, mode: a.mode & ~0o077 }, ...rest);
        };
        if (durability === 'fsync') {
          nodefs.stream_ops.fsync = (stream: { nfd?: number }) => {
            if (stream.nfd !== undefined) fsyncSync(stream.nfd);
            pgliteSync.fsyncs += 1;
            return 0;
          };
        }
      });
      return { emscriptenOpts: { ...result.emscriptenOpts, preRun } };
    }
  }
  const startParams =
    durability === 'fsync'
      ? [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync', '-c', 'synchronous_commit=on']
      : PGlite.defaultStartParams;
  return { fs: new PrivateNodeFS(dataDir), startParams };
}

/**
 * PGlite in a worker thread (src/server/pglite-thread.ts) behind the same Db interface. Profiles of
 * the bench's submissions on PGlite in the request thread: 40% of that thread's time was PGlite's
 * WebAssembly and 17% its commits' fsyncSync, time in which no request was parsed, replayed or
 * answered. Here the request thread only posts each statement and takes back its rows; the
 * statements still run one at a time (PGlite is one connection), in the order they were sent.
 */
async function openPgliteThread(dataDir: string, durability: 'fsync' | 'relaxed'): Promise<Db> {
  const { Worker } = await import('node:worker_threads');
  prepareDataDir(dataDir);
  const worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url));
  const waiting = new Map<number, { resolve: (answer: ThreadAnswer) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const fsyncsAtStart = pgliteSync.fsyncs;
  let ended: Error | null = null;
  const end = (error: Error) => {
    ended ??= error;
    for (const w of waiting.values()) w.reject(ended);
    waiting.clear();
  };
  worker.on('message', (answer: ThreadAnswer) => {
    pgliteSync.fsyncs = fsyncsAtStart + answer.fsyncs;
    const w = waiting.get(answer.id);
    if (!w) return;
    waiting.delete(answer.id);
    w.resolve(answer);
  });
  worker.on('error', (error) => end(new Error(`the database thread failed: ${error.message}`)));
  worker.on('exit', (code) => end(new Error(`the database thread stopped (exit code ${code})`)));
  const ask = (request: Record<string, unknown>): Promise<ThreadAnswer> => {
    if (ended) return Promise.reject(ended);
    const id = nextId++;
    return new Promise<ThreadAnswer>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    }).then((answer) => {
      if (answer.ok) return answer;
      throw Object.assign(new Error(String(answer.error?.message ?? 'the database failed')), answer.error);
    });
  };
  try {
    await ask({ op: 'open', dataDir, durability });
  } catch (error) {
    await worker.terminate();
    throw explainStorageError(error, dataDir);
  }
  const runner = (tx?: number): Queryable => ({
    async query<Row>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions) {
      return (await ask({ op: 'query', sql, params: [...params], tx, ...(options?.prepared && tx === undefined ? { prepared: options.prepared } : {}) })).rows as Row[];
    },
    async exec(sql) {
      await ask({ op: 'exec', sql, tx });
    },
  });
  return {
    kind: 'pglite',
    ...runner(),
    async transaction(work) {
      const { tx } = await ask({ op: 'begin' });
      let value: Awaited<ReturnType<typeof work>>;
      try {
        value = await work(runner(tx));
      } catch (error) {
        await ask({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await ask({ op: 'end', tx, commit: true });
      return value;
    },
    async close() {
      if (!ended) await ask({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

interface ThreadAnswer {
  id: number;
  ok: boolean;
  fsyncs: number;
  rows?: unknown[];
  tx?: number;
  error?: Record<string, unknown>;
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
    async query<Row>(sql: string, params: readonly SqlValue[] = [], options?: QueryOptions) {
      const result = options?.prepared ? await q.query({ name: options.prepared, text: sql, values: [...params] }) : await q.query(sql, [...params]);
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
    async listen(name, handlers) {
      const current = await pool.query<{ s: string }>('SELECT current_schema() AS s');
      const channel = `${name}_${current.rows[0]!.s}`;
      let closed = false;
      let client: InstanceType<typeof pg.Client> | null = null;
      let retry: NodeJS.Timeout | undefined;
      const open = async () => {
        if (closed) return;
        const c = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
        client = c;
        const lost = () => {
          if (client !== c) return;
          client = null;
          handlers.lost();
          c.end().catch(() => undefined);
          if (!closed) retry = setTimeout(() => void open(), 1000).unref();
        };
        c.on('error', (error) => {
          console.error(`PostgreSQL (listening on ${channel}): ${error.message}`);
          lost();
        });
        c.on('end', lost);
        c.on('notification', (m) => {
          if (m.channel === channel && client === c) handlers.message(m.payload ?? '');
        });
        try {
          await c.connect();
          await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
          if (client === c) handlers.ready();
        } catch (error) {
          if (client === c) console.error(`PostgreSQL: cannot listen on ${channel}: ${(error as Error).message}`);
          lost();
        }
      };
      await open();
      return async () => {
        closed = true;
        clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      };
    },
  };
}
