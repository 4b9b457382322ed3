import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precacheList } from '../../src/pwa/sw-plugin';

const chunk = (fileName: string, more: { imports?: string[]; dynamicImports?: string[]; assets?: string[]; code?: string } = {}) => ({
  type: 'chunk' as const,
  fileName,
  code: more.code ?? '',
  imports: more.imports ?? [],
  dynamicImports: more.dynamicImports ?? [],
  viteMetadata: { importedAssets: new Set(more.assets ?? []), importedCss: new Set<string>() },
});
const asset = (fileName: string, originalFileNames: string[] = [], source = '') => ({ type: 'asset' as const, fileName, originalFileNames, source });

function bundle() {
  const files = [
    asset('index.html', [], '<script type="module" src="/assets/index-a.js"></script><link rel="modulepreload" href="/assets/phaser-b.js"><link rel="manifest" href="/manifest.webmanifest">'),
    asset('dashboard.html', [], '<script type="module" src="/assets/dashboard-c.js"></script>'),
    chunk('assets/index-a.js', { imports: ['assets/phaser-b.js'], dynamicImports: ['assets/kit-d.js', 'assets/practice-call-e.js'], assets: ['assets/logo-f.svg', 'assets/desk-g.mp3', 'assets/practice-call.en-h.mp3', 'assets/practice-call.zh-CN-i.mp3'], code: 'new Worker(new URL("/assets/score-worker-j.js", import.meta.url))' }),
    chunk('assets/phaser-b.js'),
    chunk('assets/kit-d.js', { imports: ['assets/phaser-b.js'] }),
    chunk('assets/practice-call-e.js'),
    chunk('assets/dashboard-c.js', { imports: ['assets/chart-k.js'] }),
    chunk('assets/chart-k.js'),
    asset('assets/score-worker-j.js'),
    asset('assets/logo-f.svg', ['assets/art/logo.svg']),
    asset('assets/desk-g.mp3', ['assets/audio/desk.mp3']),
    asset('assets/practice-call.en-h.mp3', ['assets/audio/voices/practice-call.en.mp3']),
    asset('assets/practice-call.zh-CN-i.mp3', ['assets/audio/voices/practice-call.zh-CN.mp3']),
  ];
  return Object.fromEntries(files.map((f) => [f.fileName, f])) as unknown as Parameters<typeof precacheList>[0];
}

function publicDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'htl-public-'));
  mkdirSync(join(dir, 'icons'));
  writeFileSync(join(dir, 'manifest.webmanifest'), '{}');
  writeFileSync(join(dir, 'icons', 'icon-192.png'), 'png');
  return dir;
}

describe('the service worker\'s file list', () => {
  it('keeps the trainee page and all it reaches, the voices per language, and nothing only the dashboard uses', () => {
    const list = precacheList(bundle(), publicDir());
    expect(list?.shell).toEqual([
      './',
      'assets/desk-g.mp3',
      'assets/index-a.js',
      'assets/kit-d.js',
      'assets/logo-f.svg',
      'assets/phaser-b.js',
      'assets/practice-call-e.js',
      'assets/score-worker-j.js',
      'icons/icon-192.png',
      'manifest.webmanifest',
    ]);
    expect(list?.voices).toEqual({ en: ['assets/practice-call.en-h.mp3'], 'zh-CN': ['assets/practice-call.zh-CN-i.mp3'] });
    expect(list?.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a new build is a new version; the same build the same one', () => {
    const dir = publicDir();
    const a = precacheList(bundle(), dir);
    expect(precacheList(bundle(), dir)?.version).toBe(a?.version);
    const next = bundle() as Record<string, { source?: string }>;
    next['index.html'] = { ...next['index.html'], source: String(next['index.html']?.source).replace('index-a.js', 'index-z.js') };
    expect(precacheList(next as unknown as Parameters<typeof precacheList>[0], dir)?.version).not.toBe(a?.version);
  });

  it('writes nothing for a build without the trainee page', () => {
    const only = bundle() as Record<string, unknown>;
    delete only['index.html'];
    expect(precacheList(only as unknown as Parameters<typeof precacheList>[0], publicDir())).toBeNull();
  });
});
