/** Builds the game and the dashboard (dist/) when a source is newer than the last build. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_STAMP = '.htl-build';
const BUILD_INPUTS = ['index.html', 'dashboard.html', 'preview.html', 'studio.html', 'vite.config.ts', 'package.json', 'src', 'scenarios', 'assets', 'public'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    if (path.endsWith('src') && entry === 'server') continue; // the server is not in the bundle
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds dist/ unless it is newer than every input. */
export function buildIfNeeded(root: string, dist: string): void {
  const stamp = join(dist, BUILD_STAMP);
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const newest = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(root, p))));
  if (built >= newest) return;
  console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building the game and the dashboard…');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(stamp, new Date().toISOString());
}
