/**
 * One palette, one type scale and one spacing scale for every scene. Colours come as numbers for
 * Phaser graphics and as CSS strings for Text; both are derived from the same table.
 */

const PALETTE = {
  /** The room behind the desk. */
  backdrop: 0x0e1726,
  /** Panels and cards. */
  panel: 0x16233a,
  panelRaised: 0x1e2f4c,
  panelSunken: 0x101b2e,
  line: 0x2c3f5f,
  text: 0xeef3fa,
  textMuted: 0xa9b8cc,
  textFaint: 0x7d8fa8,
  /** Primary actions, the agent's voice. */
  accent: 0x3b8cf0,
  accentSoft: 0x1c3d66,
  /** The caller's voice. */
  caller: 0xf2a65a,
  good: 0x3fbf86,
  goodSoft: 0x173d31,
  warn: 0xf0b429,
  warnSoft: 0x433516,
  bad: 0xf0625a,
  badSoft: 0x452124,
  /** The keyboard focus ring: one colour, never used for anything else. */
  focus: 0xffd84d,
  white: 0xffffff,
} as const;

export type PaletteName = keyof typeof PALETTE;

export const colour = PALETTE;

export function css(name: PaletteName): string {
  return `#${PALETTE[name].toString(16).padStart(6, '0')}`;
}

/** The CJK-first font stack: Noto Sans CJK SC on Linux, PingFang on Apple, YaHei on Windows. */
export const FONT_FAMILY = '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", system-ui, sans-serif';

/** Spacing steps in game pixels. */
export const space = { xs: 4, s: 8, m: 16, l: 24, xl: 32, xxl: 48 } as const;

export const radius = { s: 6, m: 12, l: 18 } as const;

/** Type sizes in game pixels before the form factor's scale; the smallest is still 18 px. */
export const type = { small: 18, body: 20, large: 24, title: 32, display: 44 } as const;
export type TypeSize = keyof typeof type;

export const FOCUS_WIDTH = 3;
