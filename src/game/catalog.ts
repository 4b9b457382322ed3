/**
 * The callers on offer: whatever scenario files are in scenarios/. The menu needs only a few
 * fields of each, which the build keeps (named JSON imports, tree-shaken); the whole file is a
 * separate chunk fetched when the trainee picks that caller. The `?menu` query makes the menu's
 * view of a file a module of its own, so another part of the page importing the whole file (the
 * audio's captions, lazily) cannot pull every scenario into the start-up chunk.
 */
import type { Localised } from './i18n';

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
  /** Fetches the whole scenario file as text, for the checker. */
  load: () => Promise<string>;
}

export function catalog(): CatalogEntry[] {
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
      load,
    });
  }
  // The order a new hire should take them in: the warm-up first, then by difficulty.
  const warmUp = (e: CatalogEntry) => (e.portrait === 'practice' ? 0 : 1);
  return entries.sort((a, b) => warmUp(a) - warmUp(b) || a.difficulty - b.difficulty || a.id.localeCompare(b.id));
}
