/**
 * Where the studio opens and saves callers: the dev server's trainer plugin (npm run dev), the
 * results service for a lead with the trainer role (npm start), or, anywhere else, files the trainer
 * opens and downloads.
 */
import type { Plan } from '../engine/index';
import { download } from '../preview/dom';
import { STUDIO_ROUTES, voicesPath, type ListedCaller, type SaveAnswer, type SaveRefusal, type VoiceStatus } from '../shared/studio-contract';

export class SaveError extends Error {
  constructor(
    message: string,
    readonly refusal: SaveRefusal | null,
  ) {
    super(message);
  }
}

export interface Store {
  /** dev: the dev server; server: the results service; download: neither. */
  kind: 'dev' | 'server' | 'download';
  list(): Promise<ListedCaller[]>;
  read(id: string): Promise<string>;
  save(id: string, text: string): Promise<SaveAnswer>;
  savePlan(id: string, plan: Plan): Promise<string>;
  /** How the voices of a caller's lines are coming on (null: this store makes none). */
  voices(id: string): Promise<VoiceStatus | null>;
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as T & SaveRefusal;
  if (!response.ok) throw new SaveError(body.error ?? `HTTP ${response.status}`, body);
  return body;
}

function remote(kind: 'dev' | 'server', base: string): Store {
  return {
    kind,
    list: async () => (await answer<{ callers: ListedCaller[] }>(await fetch(base, { credentials: 'same-origin' }))).callers,
    read: async (id) => {
      const response = await fetch(`${base}/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
      if (!response.ok) throw new SaveError(((await response.json().catch(() => ({}))) as SaveRefusal).error ?? `HTTP ${response.status}`, null);
      return response.text();
    },
    save: async (id, text) => answer<SaveAnswer>(await fetch(`${base}/${encodeURIComponent(id)}`, { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: text })),
    savePlan: async (id, plan) => {
      const url = kind === 'dev' ? '/__trainer/plans' : `${base}/${encodeURIComponent(id)}/plans`;
      const body = await answer<{ file: string }>(await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: id, plan }) }));
      return body.file;
    },
    voices: async (id) => answer<VoiceStatus>(await fetch(voicesPath(base, id), { credentials: 'same-origin' })),
  };
}

const offline: Store = {
  kind: 'download',
  list: async () => [],
  read: async () => {
    throw new SaveError('no caller list here', null);
  },
  save: async (id, text) => {
    download(`${id}.json`, text);
    return { file: `${id}.json`, status: (JSON.parse(text) as { status?: 'draft' | 'published' }).status ?? 'published' };
  },
  savePlan: async (id, plan) => {
    download(`${id}.plans.json`, `${JSON.stringify({ scenario: id, plans: [plan] }, null, 2)}\n`);
    return `${id}.plans.json`;
  },
  voices: async () => null,
};

/** The first place that answers: the dev server, then the results service, else downloads. */
export async function findStore(): Promise<Store> {
  for (const [kind, base] of [['dev', STUDIO_ROUTES.dev], ['server', STUDIO_ROUTES.server]] as const) {
    if (kind === 'dev' && !import.meta.env.DEV) continue;
    try {
      const response = await fetch(base, { credentials: 'same-origin' });
      if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) return remote(kind, base);
    } catch {
      // not here
    }
  }
  return offline;
}
