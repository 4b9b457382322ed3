/**
 * What the server's live list of callers says about each caller's audio (issue 17), set by the
 * game's catalogue (src/game/catalog.ts) when the list arrives: which version of its voices the
 * server has, and, for a caller the page was not built with (or one changed since), where its words
 * come from. Without a server the map stays empty and the audio is the page's own.
 */
export interface LiveSource {
  /** The version of the caller's voices on the server (GET /api/scenarios/ID/voices); null: it has none. */
  voices: string | null;
  /** The caller differs from the one the page was built with: the page's own voices do not fit it. */
  changed: boolean;
  /** The caller's file, from the server. */
  text: () => Promise<string>;
}

const sources = new Map<string, LiveSource>();

export function setLiveSources(entries: Iterable<readonly [string, LiveSource]>): void {
  sources.clear();
  for (const [id, source] of entries) sources.set(id, source);
}

export function liveSource(scenarioId: string): LiveSource | undefined {
  return sources.get(scenarioId);
}
