/**
 * The callers on offer: whatever scenario files are in scenarios/, and, where the page is served by
 * the results service, the server's live list (issue 17): a caller the trainer studio published
 * since the build is on the menu at the next load, fetched from the server when picked; a caller the
 * server no longer offers (back to draft, removed) leaves it. Without a server (offline, a static
 * host, the dev server) the list built into the page stands. The menu needs only a few
 * fields of each, which the build keeps (named JSON imports, tree-shaken); the whole file is a
 * separate chunk fetched when the trainee picks that caller. The `?menu` query makes the menu's
 * view of a file a module of its own, so another part of the page importing the whole file (the
 * audio's captions, lazily) cannot pull every scenario into the start-up chunk.
 */
import type { Localised } from './i18n';
import { setLiveSources } from '../audio/live-sources';

interface CallerMeta {
  name: Localised;
  portrait: string;
}


const ids = import.meta.glob<string>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'id', eager: true });
const titles = import.meta.glob<Localised>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'title', eager: true });
const summaries = import.meta.glob<Localised>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'summary', eager: true });
const difficulties = import.meta.glob<number>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'difficulty', eager: true });
const callers = import.meta.glob<CallerMeta>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'caller', eager: true });
// Always there: the build's menu plugin (src/dev/menu-plugin.ts) gives every file a status.
const statuses = import.meta.glob<string>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'status', eager: true });
const fileHashes = import.meta.glob<string>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?menu.json', import: 'fileHash', eager: true });
const texts = import.meta.glob<string>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?raw', import: 'default' });

export interface CatalogEntry {
  /** The file's path as the build knows it; the key for loading it. */
  path: string;
  id: string;
  title: Localised;
  summary: Localised;
  difficulty: number;
  callerName: Localised;
  portrait: string;
  /** A hash of the caller file's text (src/dev/menu-plugin.ts); null where not known. */
  fileHash: string | null;
  /** Fetches the whole scenario file as text, for the checker. */
  load: () => Promise<string>;
}

let builtIn: CatalogEntry[] | null = null;
let live: CatalogEntry[] | null = null;

/** The callers on offer: the server's live list once it has answered, else the page's own. */
export function catalog(): CatalogEntry[] {
  return live ?? (builtIn ??= bundled());
}

function bundled(): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const [path, load] of Object.entries(texts)) {
    const id = ids[path];
    const title = titles[path];
    const caller = callers[path];
    // A file without the menu's fields is not a scenario the menu can offer; a draft is not for trainees yet.
    if (typeof id !== 'string' || !title || !caller) continue;
    if (statuses[path] === 'draft') continue;
    entries.push({
      path,
      id,
      title,
      summary: summaries[path] ?? {},
      difficulty: typeof difficulties[path] === 'number' ? (difficulties[path] as number) : 1,
      callerName: caller.name,
      portrait: caller.portrait,
      fileHash: typeof fileHashes[path] === 'string' ? (fileHashes[path] as string) : null,
      load,
    });
  }
  return ordered(entries);
}

/** The order a new hire should take them in: the warm-up first, then by difficulty. */
function ordered(entries: CatalogEntry[]): CatalogEntry[] {
  const warmUp = (e: CatalogEntry) => (e.portrait === 'practice' ? 0 : 1);
  // Ids are ASCII slugs: compared by code unit, not localeCompare, whose first call builds ICU's
  // collator (tens of milliseconds on the menu's start, for nothing an id needs).
  const byId = (a: CatalogEntry, b: CatalogEntry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return entries.sort((a, b) => warmUp(a) - warmUp(b) || a.difficulty - b.difficulty || byId(a, b));
}

/** One caller of GET /api/scenarios (src/server/routes/catalog.ts), as far as the menu reads it. */
interface LiveCaller {
  id: string;
  hash: string;
  fileHash: string | null;
  title: Localised;
  summary?: Localised;
  difficulty: number;
  caller?: { name: Localised; portrait: string };
  voices?: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function liveCaller(value: unknown): LiveCaller | null {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.hash !== 'string' || !isObject(value.title)) return null;
  const caller = isObject(value.caller) && isObject(value.caller.name) && typeof value.caller.portrait === 'string' ? (value.caller as LiveCaller['caller']) : undefined;
  return {
    id: value.id,
    hash: value.hash,
    fileHash: typeof value.fileHash === 'string' ? value.fileHash : null,
    title: value.title as Localised,
    difficulty: typeof value.difficulty === 'number' ? value.difficulty : 1,
    ...(isObject(value.summary) ? { summary: value.summary as Localised } : {}),
    ...(caller ? { caller } : {}),
    voices: typeof value.voices === 'string' ? value.voices : null,
  };
}

/** Fetches once, then answers from memory: the menu, the call and the audio's captions ask for the same file. */
function once(fetchText: () => Promise<string>): () => Promise<string> {
  let text: Promise<string> | null = null;
  return () => {
    text ??= fetchText().catch((error: unknown) => {
      text = null;
      throw error;
    });
    return text;
  };
}

const signature = (entries: readonly CatalogEntry[]) => JSON.stringify(entries.map((e) => [e.id, e.fileHash, e.title, e.summary, e.difficulty, e.callerName, e.portrait]));

/** The cookie the results service sets with the page (src/server/routes/catalog.ts): it has a live list to ask for. */
const LIVE_CATALOG_COOKIE = 'htl_live_callers=1';

/** Whether a results service served this page (a static host or the dev server did not): then the menu asks for the live list. */
export function servedByResultsService(): boolean {
  try {
    return typeof document !== 'undefined' && document.cookie.split(/;\s*/).includes(LIVE_CATALOG_COOKIE);
  } catch {
    return false;
  }
}

/** How long the menu waits for the server's list before it gives up until the next load. */
export const LIVE_CATALOG_TIMEOUT_MS = 5_000;

/**
 * Asks the server for its live list of callers. True when the callers on offer changed (the menu
 * then draws its cards again); false when they did not, or when there is no server to ask (the
 * service worker answers from its copy when offline: src/pwa/service-worker.ts).
 */
export async function refreshCatalog(fetcher: typeof fetch = (...args) => fetch(...args), timeoutMs = LIVE_CATALOG_TIMEOUT_MS): Promise<boolean> {
  let answer: unknown;
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), timeoutMs) : null;
  try {
    const response = await fetcher('/api/scenarios', { headers: { accept: 'application/json' }, ...(abort ? { signal: abort.signal } : {}) });
    // The dev server and a static host answer with the page itself, or not at all.
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return false;
    answer = await response.json();
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
  const listed = isObject(answer) && Array.isArray(answer.scenarios) ? answer.scenarios.map(liveCaller) : null;
  if (!listed) return false;
  const built = new Map((builtIn ??= bundled()).map((e) => [e.id, e]));
  const entries: CatalogEntry[] = [];
  const sources: Array<readonly [string, { voices: string | null; changed: boolean; text: () => Promise<string> }]> = [];
  for (const s of listed) {
    if (!s) continue;
    const own = built.get(s.id);
    const same = own !== undefined && own.fileHash !== null && own.fileHash === s.fileHash;
    const callerName = s.caller?.name ?? own?.callerName;
    const portrait = s.caller?.portrait ?? own?.portrait;
    if (!callerName || !portrait) continue;
    const load = same ? own.load : once(async () => {
      const response = await fetcher(`/api/scenarios/${encodeURIComponent(s.id)}?v=${encodeURIComponent(s.hash.slice(0, 16))}`);
      if (!response.ok) throw new Error(`the server answered ${response.status} for caller "${s.id}"`);
      return response.text();
    });
    entries.push({ path: own?.path ?? `/api/scenarios/${s.id}`, id: s.id, title: s.title, summary: s.summary ?? own?.summary ?? {}, difficulty: s.difficulty, callerName, portrait, fileHash: s.fileHash, load });
    sources.push([s.id, { voices: s.voices ?? null, changed: !same, text: load }]);
  }
  const before = signature(catalog());
  live = ordered(entries);
  setLiveSources(sources);
  return signature(live) !== before;
}
