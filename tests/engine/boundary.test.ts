import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = new URL('../../src/engine/', import.meta.url).pathname;
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('the engine boundary', () => {
  const files = walk(ENGINE).filter((f) => f.endsWith('.ts'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [f.slice(ENGINE.length), f]))('%s imports neither Phaser, Howler, Node built-ins nor the DOM', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    const imports = [...source.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    for (const spec of imports) {
      expect(spec, `${file} imports ${spec}`).not.toMatch(/^(phaser|howler|node:|fs$|path$)/);
      expect(spec, `${file} imports ${spec}`).not.toMatch(/\.\.\/(game|audio|server|dashboard|cli)\//);
    }
    expect(source).not.toMatch(/\b(window|document|localStorage|indexedDB)\./);
  });

  it('runs in plain Node: the public API loads and checks a scenario without a browser', async () => {
    const engine = await import('../../src/engine/index');
    expect(typeof engine.checkScenario).toBe('function');
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  });
});
