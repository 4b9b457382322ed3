/**
 * The join link's QR code decodes, with a real reader (jsQR), to exactly the link: ASCII links of
 * several lengths (so several QR versions) and a host with Chinese letters; the SVG path covers the
 * dark modules and nothing else.
 */
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrPath, QUIET_ZONE } from '../../src/dashboard/qr';

/** The matrix drawn as a picture a camera would see: `scale` pixels a module, a white quiet zone. */
function picture(matrix: boolean[][], scale = 4) {
  const units = matrix.length + QUIET_ZONE * 2;
  const side = units * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + QUIET_ZONE) * scale + dy) * side + (x + QUIET_ZONE) * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
    }),
  );
  return { data, side };
}

describe('the join link’s QR code', () => {
  const links = [
    'https://training.example.com/?join=K7Q2M9XW',
    'http://127.0.0.1:3000/?join=ABCD',
    `https://calls.example.com/hold-the-line/${'deep/'.repeat(20)}?join=ZZZZ9999ZZZZ9999`,
    'https://培训.例子.cn/?join=K7Q2M9XW',
  ];
  for (const link of links) {
    it(`decodes to ${link.slice(0, 50)}…`, () => {
      const matrix = qrMatrix(link);
      const { data, side } = picture(matrix);
      const read = jsQR(data, side, side);
      expect(read?.data).toBe(link);
    });
  }

  it('grows with the text, and its path draws exactly the dark modules', () => {
    const short = qrMatrix(links[1]!);
    const long = qrMatrix(links[2]!);
    expect(long.length).toBeGreaterThan(short.length);
    const path = qrPath(short);
    const cells = new Set<string>();
    for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) for (let k = 0; k < Number(m[3]); k++) cells.add(`${Number(m[1]) + k - QUIET_ZONE},${Number(m[2]) - QUIET_ZONE}`);
    const dark = short.flatMap((row, y) => row.flatMap((d, x) => (d ? [`${x},${y}`] : [])));
    expect([...cells].sort()).toEqual(dark.sort());
  });
});
