/**
 * The two shapes of the desk: landscape 1280 × 720 (desktop, tablet, phone on its side) and portrait
 * 720 × 1280 (phone upright). Phaser's FIT scaling keeps either whole on screen; the scenes lay out
 * from the game size, and the portrait layout draws text larger because it is shown smaller.
 */
import { type as typeSizes, type TypeSize } from '../theme';

export const LANDSCAPE = { width: 1280, height: 720 } as const;
export const PORTRAIT = { width: 720, height: 1280 } as const;

export type Orientation = 'landscape' | 'portrait';

export function orientationFor(viewportWidth: number, viewportHeight: number): Orientation {
  return viewportHeight > viewportWidth * 1.1 ? 'portrait' : 'landscape';
}

/**
 * Landscape is always 1280 × 720. Portrait is 720 wide and as tall as the phone's shape allows
 * (within 1180–1600), so a tall phone shows more of the call instead of empty bands.
 */
export function gameSize(orientation: Orientation, viewportWidth: number = PORTRAIT.width, viewportHeight: number = PORTRAIT.height): { width: number; height: number } {
  if (orientation === 'landscape') return LANDSCAPE;
  const height = Math.round((PORTRAIT.width * viewportHeight) / Math.max(1, viewportWidth));
  return { width: PORTRAIT.width, height: Math.max(1180, Math.min(1600, height)) };
}

export interface Frame {
  width: number;
  height: number;
  portrait: boolean;
  /** Type size in game pixels for this shape. */
  text(size: TypeSize): number;
}

export function frameOf(width: number, height: number): Frame {
  const portrait = height > width;
  const factor = portrait ? 1.3 : 1;
  return { width, height, portrait, text: (size) => Math.round(typeSizes[size] * factor) };
}
