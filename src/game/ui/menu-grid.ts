/**
 * Where the menu puts its caller cards: as many rows of a fixed column count as fit between the
 * heading and the hint line at the foot of the screen, and pages when the callers do not fit on
 * one. No Phaser here, so the layout is tested on its own for any number of callers.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GridInput {
  width: number;
  height: number;
  /** Where the grid may start (under the heading row). */
  top: number;
  /** Where the grid must end (above the hint line). */
  bottom: number;
  count: number;
  portrait: boolean;
  /** The page asked for; clamped to the pages there are. */
  page: number;
  margin: number;
  gap: number;
}

export interface Grid {
  cols: number;
  rows: number;
  perPage: number;
  pages: number;
  page: number;
  /** The first entry on this page. */
  first: number;
  /** The cards of this page, in reading order. */
  cards: Rect[];
}

/** The smallest card that still holds a portrait, name, title, summary line and history. */
export const MIN_CARD_HEIGHT = { landscape: 220, portrait: 330 } as const;
const MAX_CARD_HEIGHT = { landscape: 300, portrait: 420 } as const;

export function menuGrid(input: GridInput): Grid {
  const { width, top, bottom, count, portrait, margin, gap } = input;
  const cols = portrait ? 2 : 4;
  const min = portrait ? MIN_CARD_HEIGHT.portrait : MIN_CARD_HEIGHT.landscape;
  const max = portrait ? MAX_CARD_HEIGHT.portrait : MAX_CARD_HEIGHT.landscape;
  const available = Math.max(min, bottom - top);
  const rows = Math.max(1, Math.floor((available + gap) / (min + gap)));
  const perPage = rows * cols;
  const pages = Math.max(1, Math.ceil(count / perPage));
  const page = Math.min(pages - 1, Math.max(0, Math.floor(input.page)));
  const cardWidth = (width - margin * 2 - gap * (cols - 1)) / cols;
  const cardHeight = Math.min(max, (available - gap * (rows - 1)) / rows);
  const first = page * perPage;
  const onPage = Math.max(0, Math.min(perPage, count - first));
  const cards: Rect[] = [];
  for (let i = 0; i < onPage; i++) {
    cards.push({ x: margin + (i % cols) * (cardWidth + gap), y: top + Math.floor(i / cols) * (cardHeight + gap), width: cardWidth, height: cardHeight });
  }
  return { cols, rows, perPage, pages, page, first, cards };
}

export function overlaps(a: Rect, b: Rect, tolerance = 0.5): boolean {
  return a.x + a.width - tolerance > b.x && b.x + b.width - tolerance > a.x && a.y + a.height - tolerance > b.y && b.y + b.height - tolerance > a.y;
}
