/**
 * A QR code of a join link, drawn here as SVG (no service elsewhere sees the link): the module
 * matrix from `qrcode-generator` (pure JavaScript, no dependencies), error correction M, and the
 * four-module quiet zone the standard asks for, all dark modules in one path.
 */
import qrcode from 'qrcode-generator';
import { s } from './dom';

/** Rows of modules, true for dark; the smallest version that holds the text as UTF-8 bytes. */
export function qrMatrix(text: string): boolean[][] {
  const code = qrcode(0, 'M');
  // Byte mode takes one character per byte: the text's UTF-8 bytes as such characters.
  code.addData(String.fromCharCode(...new TextEncoder().encode(text)), 'Byte');
  code.make();
  const n = code.getModuleCount();
  return Array.from({ length: n }, (_, row) => Array.from({ length: n }, (_, col) => code.isDark(row, col)));
}

export const QUIET_ZONE = 4;

/** The SVG path of the dark modules, in module units, offset by the quiet zone. */
export function qrPath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    // Runs of dark modules on a row make one rectangle each.
    for (let x = 0; x < row.length; ) {
      if (!row[x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < row.length && row[end]) end++;
      parts.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h${end - x}v1h${x - end}z`);
      x = end;
    }
  });
  return parts.join('');
}

/** The code as an SVG element `size` CSS pixels square, labelled for screen readers. */
export function qrSvg(text: string, size: number, label: string): SVGSVGElement {
  const matrix = qrMatrix(text);
  const units = matrix.length + QUIET_ZONE * 2;
  const svg = s('svg', { viewBox: `0 0 ${units} ${units}`, width: size, height: size, role: 'img', 'aria-label': label, 'shape-rendering': 'crispEdges', class: 'qr' });
  svg.append(s('rect', { width: units, height: units, fill: '#ffffff' }), s('path', { d: qrPath(matrix), fill: '#000000' }));
  return svg;
}
