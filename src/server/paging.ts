/**
 * Lists and exports as streamed JSON: the rows come from the database in short chunks (keyset
 * pages, see `Repository.pages`), each chunk is written out as soon as it is read, and the stream
 * pulls the next chunk only when the client has taken the last one. Nothing holds a whole list.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PageEnd } from './repository';

/** Text per stream chunk before the stream yields to the socket. */
const CHUNK_CHARS = 64 * 1024;

export interface JsonStreamParts<T> {
  /** Everything before the first item, e.g. `{"statements":[`. */
  head: string;
  items: AsyncGenerator<T, PageEnd>;
  /** One item as JSON. */
  render: (item: T) => string;
  /** Everything after the last item, given where the page ended, e.g. `],"more":"…"}`. */
  tail: (end: PageEnd) => string;
}

/**
 * Reads the first item before answering, so a failure there is still an error status; a failure
 * later aborts the stream (the client sees a broken download, never a short one that looks whole).
 */
export async function jsonStream<T>(parts: JsonStreamParts<T>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const { items, render } = parts;
  let pending = await items.next();
  let started = false;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      try {
        // PGlite answers without going back to the event loop, and a fast reader keeps the socket
        // writable: without this turn an export would run to its end before any other request.
        await nextTurn();
        let text = started ? '' : parts.head;
        started = true;
        while (text.length < CHUNK_CHARS) {
          if (pending.done) {
            text += parts.tail(pending.value);
            done = true;
            break;
          }
          text += (first ? '' : ',') + render(pending.value);
          first = false;
          pending = await items.next();
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
