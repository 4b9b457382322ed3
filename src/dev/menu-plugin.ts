/**
 * The menu's view of a caller file (`scenarios/ID.json?menu.json`, see src/game/catalog.ts): only
 * the fields the menu shows, and the file's `status` always present ("published" when the file
 * says nothing), so the catalogue can leave drafts off the trainees' menu. Without this a file
 * with no `status` has no such export, and the build fails on the import. A file that is not JSON
 * (saved half-written) reads as an entry without an id, which the menu skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { createHash } from 'node:crypto';

/**
 * The fields of a caller file the menu reads, with its status and a hash of the file's text (as the
 * server's live list gives it, src/server/routes/catalog.ts): the menu loads a caller whose file the
 * server has in another version from the server (src/game/catalog.ts).
 */
export function menuFields(text: string): Record<string, unknown> {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    file = null;
  }
  const record = file !== null && typeof file === 'object' && !Array.isArray(file) ? (file as Record<string, unknown>) : {};
  const caller = record.caller !== null && typeof record.caller === 'object' ? (record.caller as Record<string, unknown>) : null;
  return {
    id: typeof record.id === 'string' ? record.id : null,
    title: record.title ?? null,
    summary: record.summary ?? null,
    difficulty: record.difficulty ?? null,
    caller: caller ? { name: caller.name ?? null, portrait: caller.portrait ?? null } : null,
    status: record.status === 'draft' ? 'draft' : 'published',
    fileHash: fileHash(text),
  };
}

/** The hash of a caller file's text that the menu and the server's live list compare. */
export function fileHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function menuPlugin(): Plugin {
  return {
    name: 'hold-the-line-menu',
    enforce: 'pre',
    load(id) {
      const [path = '', query = ''] = id.split('?');
      if (!path.endsWith('.json') || !/(^|&)menu\.json\b/.test(query) || !existsSync(path)) return null;
      return JSON.stringify(menuFields(readFileSync(path, 'utf8')));
    },
  };
}
