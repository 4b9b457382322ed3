/**
 * The callers on offer, live (issue 17): the trainee's menu reads this list on every load (falling
 * back to the list built into the page when there is no server), so a caller the trainer studio
 * publishes is on the menu at the trainee's next load, without a new build or a restart; a draft never
 * is. A caller the page was not built with, or one changed since, is fetched whole from here, and its
 * voices too, as the server last made them (src/server/studio-voices.ts), with the takes of lines
 * whose words changed left out until they are made again.
 *
 *   GET /api/scenarios                      the list, with what a menu card shows and the voices' version
 *   GET /api/scenarios/ID                   the caller (published only)
 *   GET /api/scenarios/ID/voices            its voice manifest (the game's format, src/audio/manifest.ts)
 *   GET /api/scenarios/ID/voices/LANG.mp3   a language's voice sprite
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { VOICE_LANGUAGES, type VoiceLanguage } from '../../audio/manifest';
import { fileHash } from '../../dev/menu-plugin';
import * as S from '../schemas';
import type { ScenarioCatalogue } from '../scenarios';
import type { VoiceMaker } from '../studio-voices';

/**
 * Set with the trainee's page by the server that serves it: the page asks for the live list only
 * where this says a results service is behind it (a static host has no /api, and a request that
 * fails there is only noise in the console).
 */
export const LIVE_CATALOG_COOKIE = 'htl_live_callers';
export const LIVE_CATALOG_COOKIE_HEADER = `${LIVE_CATALOG_COOKIE}=1; Path=/; SameSite=Lax`;

export interface CatalogRouteOptions {
  catalogue: ScenarioCatalogue;
  voices: VoiceMaker;
  /** The folder the callers' files are in. */
  scenariosDir: string;
  send: <T extends z.ZodType>(c: Context, schema: T, value: z.input<T>) => Response;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mountCatalogRoutes(app: Hono<any>, options: CatalogRouteOptions): void {
  const { catalogue, voices, send } = options;
  /** The published caller of this id, or null (a draft is for its trainer only). */
  const published = (id: string) => {
    const entry = catalogue.current.get(id);
    return entry && entry.scenario.status !== 'draft' ? entry : null;
  };
  const missing = (c: Context, what: string) => c.json({ error: `no ${what} here` }, 404);
  const hashes = new Map<string, { stamp: string; hash: string }>();
  /** The hash of a caller file's text, as the page's build took it: the menu tells a changed caller by it. */
  const hashOfFile = (file: string | null): string | null => {
    if (!file) return null;
    try {
      const path = join(options.scenariosDir, file);
      const stat = statSync(path);
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      const known = hashes.get(file);
      if (known?.stamp === stamp) return known.hash;
      const hash = fileHash(readFileSync(path, 'utf8'));
      hashes.set(file, { stamp, hash });
      return hash;
    } catch {
      return null;
    }
  };

  app.get('/api/scenarios', (c) =>
    send(c, S.scenarioListAnswer, {
      scenarios: catalogue.list().map((listed) => {
        const entry = catalogue.current.get(listed.id);
        const scenario = entry?.scenario;
        return {
          ...listed,
          fileHash: hashOfFile(entry?.file ?? null),
          ...(scenario ? { summary: scenario.summary, caller: { name: scenario.caller.name, portrait: scenario.caller.portrait } } : {}),
          voices: voices.live(listed.id)?.version ?? null,
        };
      }),
    }),
  );

  app.get('/api/scenarios/:id', (c) => {
    const entry = published(c.req.param('id'));
    if (!entry) return missing(c, `published caller "${c.req.param('id').slice(0, 80)}"`);
    return c.body(JSON.stringify(entry.scenario), 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.get('/api/scenarios/:id/voices', (c) => {
    const id = c.req.param('id');
    const live = published(id) ? voices.live(id) : null;
    if (!live) return missing(c, `voices for "${id.slice(0, 80)}"`);
    return c.json({ ...live.manifest, version: live.version });
  });

  app.get('/api/scenarios/:id/voices/:file', (c) => {
    const id = c.req.param('id');
    const lang = /^(.+)\.mp3$/.exec(c.req.param('file'))?.[1];
    const path = published(id) && lang && (VOICE_LANGUAGES as readonly string[]).includes(lang) ? voices.spriteFile(id, lang as VoiceLanguage) : null;
    if (!path) return missing(c, `voice file "${c.req.param('file').slice(0, 40)}" for "${id.slice(0, 80)}"`);
    return c.body(readFileSync(path), 200, { 'content-type': 'audio/mpeg' });
  });
}
