/**
 * `npm run assets:icons`: the web app's icons (public/icons/*.png) drawn from the game's logo
 * (assets/art/logo.svg) by Chromium, at the sizes a home screen asks for. The "maskable" icon puts
 * the logo inside the safe circle on the desk's colour, so a launcher that crops to a circle or a
 * squircle keeps it whole. Rerun after changing the logo; the PNGs are committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/e2e/support/desk';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'public', 'icons');
const BACKDROP = '#0e1726';

const ICONS = [
  { file: 'icon-192.png', size: 192, inset: 0, background: 'transparent' },
  { file: 'icon-512.png', size: 512, inset: 0, background: 'transparent' },
  // The maskable safe zone is the centre circle of 80% of the width: the logo fits inside it.
  { file: 'maskable-512.png', size: 512, inset: 0.2, background: BACKDROP },
  { file: 'apple-touch-icon-180.png', size: 180, inset: 0.08, background: BACKDROP },
];

async function main(): Promise<void> {
  const svg = readFileSync(join(ROOT, 'assets', 'art', 'logo.svg'), 'utf8');
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      const pad = Math.round(icon.size * icon.inset);
      const inner = icon.size - pad * 2;
      await page.setContent(`<html><body style="margin:0;background:${icon.background}"><img src="${dataUrl}" style="position:absolute;left:${pad}px;top:${pad}px;width:${inner}px;height:${inner}px"></body></html>`);
      await page.waitForFunction(() => document.images[0]?.complete);
      const png = await page.screenshot({ omitBackground: icon.background === 'transparent', type: 'png' });
      writeFileSync(join(OUT, icon.file), png);
      console.log(`public/icons/${icon.file}  ${icon.size}×${icon.size}  ${png.length} bytes`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

await main();
