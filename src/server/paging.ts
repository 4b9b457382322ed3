/**
 * Lists and exports as streamed JSON: the rows come from the database in short chunks (keyset
 * pages, see `Repository.pages`), each chunk is written out as soon as it is read, and the stream
 * pulls the next chunk only when the client has taken the last one. Nothing holds a whole list.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { PageEnd } from './repository';

/** Text per stream chunk before the stream yields to the socket. */
const CHUNK_CHARS = 64 * 1024;
/**
 * An export's chunks are smaller: each is one turn of its BackgroundLane, and a submission may wait
 * behind one. On PGlite a query of 250 rows took 13 ms of its one thread at 100,000 attempts (more
 * under load), time in which no insert runs; 100 rows and 32 KB of JSON are a few ms. PostgreSQL
 * runs the query on a connection of its own, beside the inserts: 250 rows, fewer queries.
 */
export const EXPORT_CHUNK_ROWS = { pglite: 100, postgres: 250 } as const;
export const EXPORT_CHUNK_CHARS = 32 * 1024;

export interface JsonStreamParts<T> {
  /** Everything before the first item, e.g. `{"statements":[`. */
  head: string;
  items: AsyncGenerator<T, PageEnd>;
  /** One item as JSON. */
  render: (item: T) => string;
  /** Everything after the last item, given where the page ended, e.g. `],"more":"…"}`. */
  tail: (end: PageEnd) => string;
  /** Bulk work (exports): each chunk takes its turn in this lane, which yields to other requests. */
  lane?: BackgroundLane | undefined;
  /** Text per chunk (default 64 KB). */
  chunkChars?: number | undefined;
}

/**
 * Reads the first item before answering, so a failure there is still an error status; a failure
 * later aborts the stream (the client sees a broken download, never a short one that looks whole).
 */
export async function jsonStream<T>(parts: JsonStreamParts<T>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const { items, render, lane } = parts;
  const chunkChars = parts.chunkChars ?? CHUNK_CHARS;
  let pending = await items.next();
  let started = false;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      try {
        const chunk = async () => {
          let text = started ? '' : parts.head;
          started = true;
          while (text.length < chunkChars) {
            if (pending.done) {
              text += parts.tail(pending.value);
              done = true;
              break;
            }
            text += (first ? '' : ',') + render(pending.value);
            first = false;
            pending = await items.next();
          }
          return text;
        };
        // PGlite answers without going back to the event loop, and a fast reader keeps the socket
        // writable: without this turn an export would run to its end before any other request.
        let text: string;
        if (lane) text = await lane.run(chunk);
        else {
          await nextTurn();
          text = await chunk();
        }
        controller.enqueue(encoder.encode(text));
        if (done) controller.close();
      } catch (error) {
        done = true;
        console.error(`a streamed answer stopped: ${error instanceof Error ? error.message : String(error)}`);
        controller.error(error);
      }
    },
    async cancel() {
      done = true;
      await items.return({ next: null });
    },
  });
}

/** The same path and query with `after` set: a relative link (path and query, no scheme or host) as xAPI's `more` is. */
export function nextLink(url: string, cursor: string | null): string | null {
  if (cursor === null) return null;
  const parsed = new URL(url);
  parsed.searchParams.set('after', cursor);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * Bulk reads (whole exports) run as background work, behind the requests people wait for. Measured
 * with `npm run bench:server` (README, Performance): three exports of 100,000 statements at full
 * speed beside 50 trainees' submissions put their p99 at 0.2–0.4 s on a quiet machine (2–3.5 s
 * under load), because on two cores the exports took the CPU, and on PGlite (one statement at a
 * time, in order) their queries stood ahead of the submissions' inserts.
 *
 * - One chunk at a time across every export of the server (`run`): the exports' queries and JSON
 *   never pile up, so a submission waits behind one short chunk at most.
 * - While other requests are being served (one in flight, or one answered within `quietMs`), a
 *   chunk that took t ms is followed by a pause of `busyPause` × t (at most `maxPauseMs`) before the
 *   next one: the exports get about 1 / (1 + busyPause) of the time, the rest is the others'.
 * - When nobody else is asking, chunks follow each other one event-loop turn apart: full speed.
 *
 * An export is never stopped or cut short: it is slower while the server is busy, and whole.
 */
export class BackgroundLane {
  private inFlight = 0;
  private lastActive = -Infinity;
  private holder: Promise<void> = Promise.resolve();
  readonly busyPause: number;
  readonly quietMs: number;
  readonly maxPauseMs: number;

  constructor(options: { busyPause?: number; quietMs?: number; maxPauseMs?: number } = {}) {
    this.busyPause = options.busyPause ?? 19;
    this.quietMs = options.quietMs ?? 200;
    this.maxPauseMs = options.maxPauseMs ?? 250;
  }

  /** A request that is not background work started; call the function it returns when it is answered. */
  enter(): () => void {
    this.inFlight++;
    this.lastActive = performance.now();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      this.lastActive = performance.now();
    };
  }

  /** Whether other requests are being served now or were a moment ago. */
  busy(): boolean {
    return this.inFlight > 0 || performance.now() - this.lastActive < this.quietMs;
  }

  /** Runs one chunk of background work when the lane is free, then keeps the lane for its pause. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.holder;
    let release!: () => void;
    this.holder = new Promise<void>((resolve) => (release = resolve));
    await previous;
    await nextTurn();
    const started = performance.now();
    try {
      return await work();
    } finally {
      const spent = performance.now() - started;
      if (this.busy()) void sleep(Math.min(this.maxPauseMs, Math.max(1, spent * this.busyPause))).then(release);
      else release();
    }
  }
}
