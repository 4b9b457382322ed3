/**
 * Writes the desk's art to assets/art/ (`npm run assets:art`). Everything is drawn here from code,
 * so it can be changed and re-made without any download or drawing tool.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESK_SVG, HANDSET_SVG, iconSvg, ICON_NAMES, LOGO_SVG, PHONE_BASE_SVG } from './desk-art';
import { MOODS, PORTRAIT_KEYS, portraitSvg } from './portraits';

const root = new URL('../../../assets/art/', import.meta.url).pathname;
const files: [string, string][] = [
  ['desk.svg', DESK_SVG],
  ['phone-base.svg', PHONE_BASE_SVG],
  ['handset.svg', HANDSET_SVG],
  ['logo.svg', LOGO_SVG],
  ...ICON_NAMES.map((name): [string, string] => [`icons/${name}.svg`, iconSvg(name)]),
  ...PORTRAIT_KEYS.flatMap((key) => MOODS.map((mood): [string, string] => [`portraits/${key}-${mood}.svg`, portraitSvg(key, mood)])),
];

for (const [name, svg] of files) {
  const file = join(root, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${svg}\n`);
}
console.log(`wrote ${files.length} files to assets/art/`);

/** The Phaser asset pack: one section the Preloader loads, and one per caller loaded with the call. */
const svg = (key: string, url: string, size: number) => ({ type: 'svg', key, url, svgConfig: { width: size, height: size } });
// The menu's art comes first (the Preloader); the desk's when the first call starts.
const pack: Record<string, { files: unknown[] }> = {
  menu: {
    files: [svg('logo', 'logo.svg', 96), ...PORTRAIT_KEYS.map((key) => svg(`portrait-${key}-calm`, `portraits/${key}-calm.svg`, 256))],
  },
  desk: {
    files: [
      { type: 'svg', key: 'desk', url: 'desk.svg', svgConfig: { width: 1280, height: 720 } },
      { type: 'svg', key: 'phone-base', url: 'phone-base.svg', svgConfig: { width: 360, height: 240 } },
      { type: 'svg', key: 'handset', url: 'handset.svg', svgConfig: { width: 300, height: 90 } },
      ...ICON_NAMES.map((name) => svg(`icon-${name}`, `icons/${name}.svg`, 40)),
    ],
  },
};
for (const key of PORTRAIT_KEYS) {
  pack[`portraits-${key}`] = { files: MOODS.filter((m) => m !== 'calm').map((mood) => svg(`portrait-${key}-${mood}`, `portraits/${key}-${mood}.svg`, 256)) };
}
writeFileSync(join(root, 'pack.json'), `${JSON.stringify(pack, null, 2)}\n`);
