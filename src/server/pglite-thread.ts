/**
 * The thread that owns PGlite when it keeps a folder on disk (see openPgliteThread in db.ts). PGlite
 * answers a query without returning to the event loop, and with durability 'fsync' each commit
 * waits for the disk in fsyncSync: on the request thread that held every other request. Here it
 * holds nobody: the request thread sends a query, serves other requests, and gets the rows back.
 *
 * Protocol (one message each way per call, answered by `id`):
 *   → { id, op: 'open', dataDir, durability }        ← { id, ok }
 *   → { id, op: 'query', sql, params, tx?, prepared? } ← { id, ok, rows }
 *   → { id, op: 'exec', sql, tx? }                   ← { id, ok }
 *   → { id, op: 'begin' }                            ← { id, ok, tx }   (PGlite's transaction is open)
 *   → { id, op: 'end', tx, commit }                  ← { id, ok }       (committed or rolled back)
 *   → { id, op: 'close' }                            ← { id, ok }
 * A failure answers { id, ok: false, error: { name, message, code, errno, … } }. Every answer
 * carries `fsyncs`, the commits' fsyncs so far (pgliteSync in db.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { SqlValue } from './db';

type Request =
  | { id: number; op: 'open'; dataDir: string; durability: 'fsync' | 'relaxed' }
  | { id: number; op: 'query'; sql: string; params: SqlValue[]; tx?: number; prepared?: string }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

interface Runner {
  query: (sql: string, params: SqlValue[]) => Promise<{ rows: unknown[] }>;
  exec: (sql: string) => Promise<unknown>;
}

const port = parentPort!;
let pg: (Runner & { transaction: <T>(work: (tx: Runner) => Promise<T>) => Promise<T>; close: () => Promise<void> }) | null = null;
let counter: { fsyncs: number } = { fsyncs: 0 };
/** Open transactions: the requests for each wait in its queue until the transaction's callback takes them. */
const transactions = new Map<number, { queue: Request[]; wake: (() => void) | null }>();
let nextTx = 1;
class Rollback extends Error {}

/** What survives postMessage of an error: its own fields, not only message and stack. */
function plain(error: unknown): Record<string, unknown> {
  const e = error as Record<string, unknown> | null;
  const out: Record<string, unknown> = { name: String(e?.name ?? 'Error'), message: String(e?.message ?? error) };
  for (const key of ['code', 'errno', 'severity', 'detail', 'hint', 'position', 'constraint', 'table', 'column', 'schema']) {
    const value = e?.[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  return out;
}

const answer = (id: number, body: Record<string, unknown>) => port.postMessage({ id, fsyncs: counter.fsyncs, ...body });

/** What this thread uses of PGlite beyond `Runner`: its two locks and the wire protocol. */
interface PgliteWire {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  execProtocol(message: Uint8Array): Promise<{ messages: unknown[] }>;
  parsers?: Record<number, (value: string, type?: number) => unknown>;
}

type PgliteModule = typeof import('@electric-sql/pglite');
let pglite: PgliteModule | null = null;
/** Named statements prepared on PGlite's one connection: their text and their parameters' types. */
const statements = new Map<string, { sql: string; types: number[] }>();

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/**
 * A statement outside any transaction as a named prepared statement: parsed, analysed and planned
 * once (PostgreSQL keeps the plan for the session and replans by itself when a table it reads
 * changes), then only bound and executed. PGlite's `query` parses, describes and plans its text at
 * every call: the attempt insert in groups of 15 (bench:server's attempts, a folder with fsync)
 * cost the process 10.9–11.3 ms of CPU a group that way and 6.1–6.5 ms prepared. Same locks as PGlite's `query` (none of its transactions or queries in
 * between), same parameter serialisation (by the types PostgreSQL gives the parameters) and the
 * same parsing of the rows.
 */
async function runPrepared(name: string, sql: string, params: SqlValue[]): Promise<unknown[]> {
  const { protocol, parse, types } = pglite!;
  const { serialize } = protocol;
  const wire = pg as unknown as PgliteWire;
  return wire._runExclusiveTransaction(() =>
    wire._runExclusiveQuery(async () => {
      let statement = statements.get(name);
      if (statement && statement.sql !== sql) throw new Error(`the prepared statement ${name} was prepared with another text`);
      if (!statement) {
        const described = await wire.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]));
        statement = { sql, types: parse.parseDescribeStatementResults(described.messages as Parameters<typeof parse.parseDescribeStatementResults>[0]) };
        statements.set(name, statement);
      }
      const serializers = types.serializers as Record<number, (value: unknown) => string>;
      const oids = statement.types;
      const values = params.map((value, i) => (value === null || value === undefined ? null : (serializers[oids[i]!] ?? String)(value)));
      const { messages } = await wire.execProtocol(
        concat([serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      );
      const results = parse.parseResults(messages as Parameters<typeof parse.parseResults>[0], { ...types.parsers, ...wire.parsers });
      return results[0]?.rows ?? [];
    }),
  );
}

async function run(runner: Runner, request: Request): Promise<Record<string, unknown>> {
  if (request.op === 'query' && request.prepared && runner === pg) return { rows: await runPrepared(request.prepared, request.sql, request.params) };
  if (request.op === 'query') return { rows: (await runner.query(request.sql, request.params)).rows };
  if (request.op === 'exec') {
    await runner.exec(request.sql);
    return {};
  }
  throw new Error(`${request.op} is not a statement`);
}

function begin(id: number): void {
  const tx = nextTx++;
  const state: { queue: Request[]; wake: (() => void) | null } = { queue: [], wake: null };
  transactions.set(tx, state);
  let endId: number | null = null;
  pg!
    .transaction(async (runner) => {
      answer(id, { ok: true, tx });
      for (;;) {
        if (state.queue.length === 0) await new Promise<void>((resolve) => (state.wake = resolve));
        state.wake = null;
        const next = state.queue.shift()!;
        if (next.op === 'end') {
          endId = next.id;
          if (next.commit) return;
          throw new Rollback('rolled back');
        }
        try {
          answer(next.id, { ok: true, ...(await run(runner, next)) });
        } catch (error) {
          answer(next.id, { ok: false, error: plain(error) });
        }
      }
    })
    .then(
      () => endId !== null && answer(endId, { ok: true }),
      (error: unknown) => {
        if (endId === null) answer(id, { ok: false, error: plain(error) });
        else if (error instanceof Rollback) answer(endId, { ok: true });
        else answer(endId, { ok: false, error: plain(error) });
      },
    )
    .finally(() => transactions.delete(tx));
}

port.on('message', (request: Request) => {
  void (async () => {
    try {
      if (request.op === 'open') {
        const [module, { pgliteOptions, pgliteSync }] = await Promise.all([import('@electric-sql/pglite'), import('./db')]);
        const { PGlite } = module;
        pglite = module;
        statements.clear();
        counter = pgliteSync;
        const created = new PGlite(await pgliteOptions(request.dataDir, request.durability));
        await created.waitReady;
        pg = created as unknown as NonNullable<typeof pg>;
        answer(request.id, { ok: true });
        return;
      }
      if (!pg) throw new Error('the database is not open');
      if ((request.op === 'query' || request.op === 'exec' || request.op === 'end') && request.tx !== undefined) {
        const state = transactions.get(request.tx);
        if (!state) throw new Error(`transaction ${request.tx} is not open`);
        state.queue.push(request);
        state.wake?.();
        return;
      }
      if (request.op === 'begin') return begin(request.id);
      if (request.op === 'close') {
        await pg.close();
        pg = null;
        answer(request.id, { ok: true });
        return;
      }
      answer(request.id, { ok: true, ...(await run(pg, request)) });
    } catch (error) {
      answer(request.id, { ok: false, error: plain(error) });
    }
  })();
});
