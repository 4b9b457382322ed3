/**
 * The trainee page's service worker (built to /sw.js by src/pwa/sw-plugin.ts, which puts the
 * build's file list in PRECACHE). It keeps the app shell, every caller, the art and the desk's
 * sounds from the first visit, and a language's voices when the page asks for them, so a trainee
 * who opened the game once can play any caller with the network down. Files are named by their
 * content hash, so a cached file is never stale; a new build is a new worker with a new list,
 * which waits until the trainee accepts the page's update prompt ("skip-waiting").
 * Nothing else is touched: the API, the dashboard and the preview always go to the network.
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
    event.respondWith(fromCache(INDEX, request));
    return;
  }
  if (shell.has(key) || allVoices.has(key)) event.respondWith(fromCache(key, request));
});

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
