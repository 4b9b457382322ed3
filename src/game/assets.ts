/**
 * Texture keys as typed constants, and the asset pack (assets/art/pack.json) with its URLs resolved
 * through the build, so scenes never spell a key or a path.
 */
import type { ChoiceKind } from '../engine/format/schema';
import pack from '../../assets/art/pack.json';

export const ART = { desk: 'desk', phoneBase: 'phone-base', handset: 'handset', logo: 'logo' } as const;

/** Whether a pack section's textures are all loaded already (the loader would warn on repeats). */
export function sectionLoaded(textures: { exists(key: string): boolean }, name: string): boolean {
  const section = (pack as Record<string, { files: PackFile[] } | undefined>)[name];
  return (section?.files ?? []).every((file) => textures.exists(file.key));
}

export const ICON = {
  say: 'icon-say',
  hold: 'icon-hold',
  lookup: 'icon-lookup',
  sms: 'icon-sms',
  ticket: 'icon-ticket',
  transfer: 'icon-transfer',
  escalate: 'icon-escalate',
  'hang-up': 'icon-hang-up',
} as const satisfies Record<ChoiceKind, string>;

export const PORTRAIT_MOODS = ['calm', 'annoyed', 'angry'] as const;
export type PortraitMood = (typeof PORTRAIT_MOODS)[number];
export const GENERIC_PORTRAIT = 'generic';

export const PACK_SECTION = { menu: 'menu', desk: 'desk', portraits: (portrait: string) => `portraits-${portrait}` } as const;

export function portraitTexture(portrait: string, mood: PortraitMood): string {
  return `portrait-${portrait}-${mood}`;
}

/** Which portraits the art has; a scenario naming another key is drawn with the generic caller. */
export function knownPortrait(portrait: string): string {
  return `portraits-${portrait}` in pack ? portrait : GENERIC_PORTRAIT;
}

const urls = import.meta.glob<string>('../../assets/art/**/*.svg', { query: '?no-inline', import: 'default', eager: true });

interface PackFile {
  type: string;
  key: string;
  url: string;
  [more: string]: unknown;
}

/** One section of the pack, as Phaser's loader takes it inline, with the built URLs. */
export function packSection(name: string): string {
  const section = (pack as Record<string, { files: PackFile[] } | undefined>)[name];
  const files = (section?.files ?? []).map((file) => ({ ...file, url: urls[`../../assets/art/${file.url}`] ?? file.url }));
  // Phaser's loader takes the pack's data in place of its URL; its typings only name the URL.
  return { [name]: { files } } as unknown as string;
}
