/**
 * The trainee page's service worker (built to /sw.js by src/pwa/sw-plugin.ts, which puts the
 * build's file list in PRECACHE). It keeps the app shell, every caller, the art and the desk's
 * sounds from the first visit, and a language's voices when the page asks for them, so a trainee
 * who opened the game once can play any caller with the network down. Files are named by their
 * content hash, so a cached file is never stale; a new build is a new worker with a new list,
 * which waits until the trainee accepts the page's update prompt ("skip-waiting").
 * The server's live list of callers (GET /api/scenarios, and a caller's file and voices under it,
 * issue 17) goes to the network first and is kept for when it cannot be reached, so a caller
 * published since the build plays offline too, and a copy is never served while the server answers.
 * Nothing else is touched: the rest of the API, the dashboard and the preview always go to the network.
 */

interface Precache {
  version: string;
  /** The page itself, its scripts, the callers, the art and the desk's sounds. */
  shell: string[];
  /** Each language's voice files. */
  voices: Record<string, string[]>;
}

declare const PRECACHE: Precache;

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  data: unknown;
  source: { postMessage(message: unknown): void } | null;
}
interface WorkerScope {
  registration: { scope: string };
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const CACHE = `hold-the-line-${PRECACHE.version}`;
const base = new URL(worker.registration.scope);
const absolute = (path: string) => new URL(path, base).href;
const shell = new Set(PRECACHE.shell.map(absolute));
const voices = new Map(Object.entries(PRECACHE.voices).map(([language, files]) => [language, files.map(absolute)]));
const allVoices = new Set([...voices.values()].flat());
const INDEX = absolute('./');
/** The live list and what hangs under it; kept across versions (it is the server's, not the build's). */
const LIVE = absolute('./api/scenarios');
const LIVE_CACHE = 'htl-live-callers';

/** Puts the files not yet in the cache into it; true when all are there. */
async function fill(urls: string[]): Promise<boolean> {
  const cache = await caches.open(CACHE);
  const results = await Promise.allSettled(
    urls.map(async (url) => {
      if (await cache.match(url)) return;
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    }),
  );
  return results.every((r) => r.status === 'fulfilled');
}

async function cachedLanguages(): Promise<string[]> {
  const cache = await caches.open(CACHE);
  const out: string[] = [];
  for (const [language, files] of voices) {
    const present = await Promise.all(files.map((url) => cache.match(url)));
    if (present.every(Boolean)) out.push(language);
  }
  return out;
}

worker.addEventListener('install', (event) => {
  // The whole shell or nothing: a worker that cannot keep every caller does not install.
  event.waitUntil(
    fill([...shell]).then((ok) => {
      if (!ok) throw new Error('the app shell could not be cached');
    }),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('hold-the-line-') && key !== CACHE) await caches.delete(key);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('message', (event) => {
  const message = event.data as { type?: string; language?: string } | null;
  const reply = (data: unknown) => event.source?.postMessage(data);
  if (message?.type === 'skip-waiting') event.waitUntil(worker.skipWaiting());
  else if (message?.type === 'cache-voices' && typeof message.language === 'string') {
    const files = voices.get(message.language) ?? [];
    event.waitUntil(fill(files).then(async (ok) => reply({ type: 'offline-status', version: PRECACHE.version, voices: await cachedLanguages(), complete: ok })));
  } else if (message?.type === 'status') {
    event.waitUntil(cachedLanguages().then((languages) => reply({ type: 'offline-status', version: PRECACHE.version, voices: languages, complete: true })));
  }
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  const key = url.origin + url.pathname;
  if (request.mode === 'navigate') {
    // Only the trainee's page: the dashboard and the preview are other people's, always online.
    if (key !== INDEX && key !== absolute('./index.html')) return;
    // A launch by the company's LMS (cmi5) needs the network anyway, and the server's answer allows
    // the page to reach that LMS (its Content-Security-Policy names the LMS's addresses).
    if (url.searchParams.has('fetch') && url.searchParams.has('endpoint')) return;
    event.respondWith(fromCache(INDEX, request));
    return;
  }
  if (shell.has(key) || allVoices.has(key)) event.respondWith(fromCache(key, request));
  else if (key === LIVE || key.startsWith(`${LIVE}/`)) event.respondWith(networkFirst(request));
});

/** The network's answer, kept; the kept one when the network cannot be reached. */
async function networkFirst(request: Request): Promise<Response> {
  const url = new URL(request.url);
  url.hash = '';
  // Only the list itself is one entry whatever its query; a file or a voice is kept per version (?v=).
  const key = url.origin + url.pathname === LIVE ? LIVE : url.href;
  const cache = await caches.open(LIVE_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200) {
      await cache.put(key, response.clone());
      // An older version of the same file is not wanted again.
      for (const old of await cache.keys()) if (old.url !== key && new URL(old.url).pathname === url.pathname) await cache.delete(old);
    }
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

/**
 * The cached copy, else the network (and keep a voice file that was not yet cached). Howler asks
 * for audio by range at times: a cached file is answered whole, which a media element accepts.
 */
async function fromCache(key: string, request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.status === 200 && allVoices.has(key)) await cache.put(key, response.clone());
  return response;
}

export {};
