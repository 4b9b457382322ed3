/**
 * The scenario CLI as one prebuilt JavaScript file, so that `npm run scenario` starts without tsx
 * compiling some thirty TypeScript modules and loading zod and XState file by file.
 *
 * `buildCli()` bundles src/cli/scenario.ts and its simulation worker with esbuild into
 * .build/cli/ (zod and XState inside; Node's own modules outside), and writes beside them a
 * manifest: the SHA-1 of every source file the bundle was made from, of the package.json of every
 * package inside it, and of package-lock.json, tsconfig.json and this file (with each one's size and
 * modification time). `loadCli()` runs the bundle only when every one of those files still has that
 * content (a file of the same size and time is not read again); otherwise it builds again (about 0.3 s), and
 * where it cannot (no esbuild, a read-only folder) it runs the TypeScript through tsx as before. A
 * stale bundle is never run: a file whose size or time differs is compared by content.
 *
 * Built at `npm install` / `npm ci` (the `prepare` script) and on the first run after any change.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Two folders deep, as src/cli is: the CLI finds scenarios/scenario.schema.json at ../../ from either. */
export const OUT_DIR = join(ROOT, '.build', 'cli');
const ENTRIES = ['src/cli/scenario.ts', 'src/cli/simulate-worker.ts'];
/** Files that shape every build besides its inputs. */
const ALWAYS = ['package-lock.json', 'tsconfig.json', 'scripts/cli-bundle.mjs'];

const sha1 = (path) => createHash('sha1').update(readFileSync(path)).digest('hex');

/** The files whose content the bundle depends on: its sources, and each bundled package's package.json. */
function dependencies(inputs) {
  const files = new Set(ALWAYS);
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) {
      files.add(input);
      continue;
    }
    const rest = input.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    files.add(`${input.slice(0, at)}node_modules/${name}/package.json`);
  }
  return [...files].sort();
}

/**
 * Whether the bundle in .build/cli matches the files it was built from: null when it does, else the
 * first reason it does not (for `--verbose` and the tests).
 */
export function staleReason(outDir = OUT_DIR, root = ROOT) {
  const manifestFile = join(outDir, 'manifest.json');
  if (!existsSync(manifestFile)) return 'no bundle built';
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return 'the manifest cannot be read';
  }
  if (manifest.node !== process.versions.modules) return `built for another Node (ABI ${manifest.node})`;
  if (!manifest.hashes || typeof manifest.hashes !== 'object') return 'the manifest has no hashes';
  for (const entry of manifest.outputs ?? []) if (!existsSync(join(outDir, entry))) return `${entry} is missing`;
  for (const [file, hash] of Object.entries(manifest.hashes)) {
    const path = join(root, file);
    if (!existsSync(path)) return `${file} is gone`;
    // The same size and time as at the build: the same file, without reading it; else its content decides.
    const seen = manifest.stats?.[file];
    const stat = statSync(path);
    if (seen && seen[0] === stat.size && seen[1] === stat.mtimeMs) continue;
    if (sha1(path) !== hash) return `${file} changed`;
  }
  return null;
}

/** Builds the bundle into .build/cli (into a fresh folder, then moved into place). */
export async function buildCli(outDir = OUT_DIR, root = ROOT) {
  const { build } = await import('esbuild');
  const temp = `${outDir}.${process.pid}.${Date.now()}`;
  const started = Date.now();
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ENTRIES,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
      // Bundled CommonJS (none today) would need require: give it one.
      banner: { js: "import { createRequire as __htlRequire } from 'node:module'; const require = __htlRequire(import.meta.url);" },
    });
    const files = dependencies(Object.keys(result.metafile.inputs));
    const hashes = {};
    const stats = {};
    for (const file of files) {
      const path = join(root, file);
      const stat = statSync(path);
      // A file saved while the build read it: its content may not be the bundle's. Leave no manifest,
      // so the next run builds again.
      if (stat.mtimeMs >= started - 1) throw new Error(`${file} changed during the build`);
      hashes[file] = sha1(path);
      stats[file] = [stat.size, stat.mtimeMs];
    }
    const outputs = Object.keys(result.metafile.outputs).map((o) => relative(temp, join(root, o)));
    writeFileSync(join(temp, 'manifest.json'), `${JSON.stringify({ node: process.versions.modules, outputs, hashes, stats }, null, 1)}\n`);
    mkdirSync(dirname(outDir), { recursive: true });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(temp, outDir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * The CLI module (its `run`): the bundle when it is fresh or can be made so, else the TypeScript
 * source through tsx. HTL_CLI_SOURCE=1 forces the source.
 */
export async function loadCli() {
  if (process.env.HTL_CLI_SOURCE !== '1') {
    let stale = staleReason();
    if (stale !== null) {
      try {
        await buildCli();
        stale = staleReason();
      } catch {
        // No esbuild or no room to write: the source below still works.
      }
    }
    if (stale === null) {
      try {
        return await import(pathToFileURL(join(OUT_DIR, 'scenario.mjs')).href);
      } catch {
        // Another run replacing the bundle at this moment: the source below still works.
      }
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(ROOT, 'src/cli/scenario.ts')).href);
}

// `node scripts/cli-bundle.mjs`: build now (the `prepare` script). Never fails an install: the CLI
// falls back to tsx and builds on its first run.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCli();
    const stale = staleReason();
    console.log(stale === null ? `scenario CLI bundled into ${relative(process.cwd(), OUT_DIR) || '.'}` : `scenario CLI bundle not usable: ${stale}`);
  } catch (error) {
    console.warn(`scenario CLI not bundled (npm run scenario will use tsx): ${error instanceof Error ? error.message : error}`);
  }
}
