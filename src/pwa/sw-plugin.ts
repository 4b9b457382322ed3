/**
 * Writes /sw.js into a production build: src/pwa/service-worker.ts compiled, with the build's own
 * file list. Nothing is fetched or installed; the list comes from the bundle Vite just wrote.
 *
 * - shell: the trainee page (index.html), every chunk and asset reachable from it (its scripts, the
 *   callers' chunks, the score worker, the art, the desk's sounds), and the files in public/ the
 *   page names (the web app manifest and its icons);
 * - voices: each language's voice sprites (assets/audio/voices/<caller>.<language>.mp3), cached
 *   when the page says which language the trainee uses.
 * Chunks that only the dashboard or the preview use are left out.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';

type Bundle = Parameters<NonNullable<Extract<Plugin['generateBundle'], (...args: never[]) => unknown>>>[1];
type Output = Bundle[string];

const VOICE = /(?:^|\/)assets\/audio\/voices\/[^/]+\.(en|zh-CN)\.mp3$/;
const OTHER_PAGES = new Set(['dashboard.html', 'preview.html', 'studio.html']);

export interface PrecacheList {
  version: string;
  shell: string[];
  voices: Record<string, string[]>;
}

function originalNames(file: Output): string[] {
  if (file.type !== 'asset') return [];
  const names = (file as { originalFileNames?: string[] }).originalFileNames ?? [];
  return names.map((name) => name.replaceAll('\\', '/'));
}

/** What a chunk needs: its static and dynamic imports, and the assets and CSS it references. */
function references(file: Output): string[] {
  if (file.type !== 'chunk') return [];
  const meta = (file as { viteMetadata?: { importedAssets?: Set<string>; importedCss?: Set<string> } }).viteMetadata;
  // Files the chunk's code names by URL without importing them (a worker started with new URL(...)).
  const named = [...file.code.matchAll(/["'`](?:\.\/|\/)?(assets\/[\w.-]+\.(?:js|mjs|css|svg|mp3|json|wasm))["'`]/g)].map((m) => m[1] as string);
  return [...file.imports, ...file.dynamicImports, ...(meta?.importedAssets ?? []), ...(meta?.importedCss ?? []), ...named];
}

function reachable(bundle: Bundle, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name) || !bundle[name]) continue;
    seen.add(name);
    queue.push(...references(bundle[name]));
  }
  return seen;
}

/** The page's own entry chunks: the scripts index.html loads, found in its tags. */
function entriesOf(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+)"/g)].map((m) => m[1] as string);
}

function publicFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  return out;
}

export function precacheList(bundle: Bundle, publicDir: string): PrecacheList | null {
  const page = bundle['index.html'];
  if (!page || page.type !== 'asset') return null;
  const html = String(page.source);
  const shell = reachable(bundle, entriesOf(html).filter((name) => bundle[name]));
  const voices: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(bundle)) {
    const voice = originalNames(file).map((n) => VOICE.exec(n)).find(Boolean);
    if (voice) {
      (voices[voice[1] as string] ??= []).push(name);
      shell.delete(name);
    }
  }
  for (const name of shell) if (OTHER_PAGES.has(name)) shell.delete(name);
  // What the page names from public/ (the manifest, whose icons are named in it, and the icons).
  const fromPublic = publicFiles(publicDir).filter((name) => html.includes(name) || name.startsWith('icons/'));
  const list = ['./', ...[...shell].sort(), ...fromPublic.sort()];
  for (const files of Object.values(voices)) files.sort();
  const hash = createHash('sha256');
  hash.update(html);
  for (const name of [...list, ...Object.values(voices).flat()]) hash.update(`\n${name}`);
  for (const name of fromPublic) hash.update(readFileSync(join(publicDir, name)));
  return { version: hash.digest('hex').slice(0, 16), shell: list, voices };
}

export function serviceWorkerPlugin(root: string): Plugin {
  let publicDir = join(root, 'public');
  return {
    name: 'hold-the-line-service-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html is in the bundle with its final script tags.
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir || publicDir;
    },
    async generateBundle(_options, bundle) {
      const list = precacheList(bundle, publicDir);
      if (!list) return;
      const source = readFileSync(join(root, 'src', 'pwa', 'service-worker.ts'), 'utf8');
      const compiled = await transformWithOxc(source, 'service-worker.ts', { lang: 'ts' });
      const code = compiled.code.replace(/^export\s*\{\s*\};?\s*$/m, '');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: `const PRECACHE = ${JSON.stringify(list)};\n${code}` });
    },
  };
}
