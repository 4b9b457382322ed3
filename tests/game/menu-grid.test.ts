import { describe, expect, it } from 'vitest';
import { menuGrid, overlaps } from '../../src/game/ui/menu-grid';

const SHAPES = [
  { width: 1280, height: 720, portrait: false, top: 190, bottom: 680 },
  { width: 720, height: 1280, portrait: true, top: 420, bottom: 1220 },
  { width: 720, height: 1560, portrait: true, top: 420, bottom: 1500 },
];

describe('the menu\'s grid', () => {
  for (const shape of SHAPES) {
    it(`${shape.width}×${shape.height}: twenty callers on pages, each once, inside the grid's area and apart`, () => {
      const first = menuGrid({ ...shape, count: 20, page: 0, margin: 32, gap: 16 });
      expect(first.pages).toBe(Math.ceil(20 / first.perPage));
      const placed: number[] = [];
      for (let page = 0; page < first.pages; page++) {
        const grid = menuGrid({ ...shape, count: 20, page, margin: 32, gap: 16 });
        expect(grid.page).toBe(page);
        grid.cards.forEach((card, i) => {
          placed.push(grid.first + i);
          expect(card.x).toBeGreaterThanOrEqual(32);
          expect(card.x + card.width).toBeLessThanOrEqual(shape.width - 32 + 0.01);
          expect(card.y).toBeGreaterThanOrEqual(shape.top);
          expect(card.y + card.height).toBeLessThanOrEqual(shape.bottom + 0.01);
          for (const other of grid.cards) if (other !== card) expect(overlaps(card, other)).toBe(false);
        });
      }
      expect(placed).toEqual([...Array(20).keys()]);
    });
  }

  it('clamps the page asked for to the pages there are', () => {
    const grid = menuGrid({ ...SHAPES[0]!, count: 20, page: 99, margin: 32, gap: 16 });
    expect(grid.page).toBe(grid.pages - 1);
    expect(menuGrid({ ...SHAPES[0]!, count: 20, page: -3, margin: 32, gap: 16 }).page).toBe(0);
  });

  it('one page when the callers fit, and a grid even with none', () => {
    expect(menuGrid({ ...SHAPES[0]!, count: 8, page: 0, margin: 32, gap: 16 }).pages).toBe(1);
    const empty = menuGrid({ ...SHAPES[0]!, count: 0, page: 0, margin: 32, gap: 16 });
    expect(empty.pages).toBe(1);
    expect(empty.cards).toEqual([]);
  });
});
