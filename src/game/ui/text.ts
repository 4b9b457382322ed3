/** Text in the desk's type: the CJK font stack, sizes from the theme, and CJK-aware wrapping. */
import * as Phaser from 'phaser';
import { css, FONT_FAMILY, type PaletteName } from '../theme';
import { clampLines, wrapLines } from './wrap';

export interface TextOptions {
  size: number;
  colour?: PaletteName;
  bold?: boolean;
  /** Wrap to this many pixels. */
  width?: number;
  /** Cut to this many lines, ending the last with an ellipsis. */
  maxLines?: number;
  align?: 'left' | 'center' | 'right';
  lineSpacing?: number;
}

/** Includes a CJK glyph so line height fits Chinese, not only Latin letters. */
const TEST_STRING = '|MÃ‰qgy永';

/**
 * Font metrics per font: Phaser measures them by drawing and scanning pixels for every new Text,
 * which costs a menu of eighty labels a noticeable pause. The first Text in a font measures; the
 * rest reuse it.
 */
const metricsCache = new Map<string, { ascent: number; descent: number; fontSize: number }>();

/**
 * The metrics Phaser's Text takes for `font` (its MeasureText: the test string's bounding box), from
 * the cache the texts share; text sheets (text-sheet.ts) measure through here.
 */
export function fontMetrics(context: CanvasRenderingContext2D, font: string): { ascent: number; descent: number; fontSize: number } {
  const known = metricsCache.get(font);
  if (known) return known;
  const saved = context.font;
  context.font = font;
  const box = context.measureText(TEST_STRING);
  context.font = saved;
  const metrics = { ascent: box.actualBoundingBoxAscent, descent: box.actualBoundingBoxDescent, fontSize: box.actualBoundingBoxAscent + box.actualBoundingBoxDescent };
  metricsCache.set(font, metrics);
  return metrics;
}

export function makeText(scene: Phaser.Scene, x: number, y: number, content: string, options: TextOptions): Phaser.GameObjects.Text {
  const width = options.width;
  const style: Phaser.Types.GameObjects.Text.TextStyle = {
    fontFamily: FONT_FAMILY,
    fontSize: `${Math.round(options.size)}px`,
    fontStyle: options.bold ? 'bold' : 'normal',
    color: css(options.colour ?? 'text'),
    align: options.align ?? 'left',
    lineSpacing: options.lineSpacing ?? Math.round(options.size * 0.3),
    testString: TEST_STRING,
  };
  if (width !== undefined) {
    style.wordWrap = {
      width,
      callback: (text: string, textObject: Phaser.GameObjects.Text) => {
        const measure = (s: string) => textObject.context.measureText(s).width;
        return clampLines(wrapLines(text, width, measure, options.maxLines || Infinity), options.maxLines, measure, width);
      },
    };
  }
  const font = `${style.fontStyle} ${style.fontSize} ${FONT_FAMILY}`;
  const known = metricsCache.get(font);
  if (known) style.metrics = known;
  const text = scene.add.existing(new DeskText(scene, x, y, content, style));
  if (!known) metricsCache.set(font, text.style.getTextMetrics());
  return text;
}

/**
 * A Text drawn once when it is made. Phaser's constructor draws the text (wraps it, paints its
 * canvas, uploads the texture) on setText and again on setLineSpacing: twice for every text of the
 * desk, which the menu's first frame waits for. Here the drawing waits until the style is complete.
 */
class DeskText extends Phaser.GameObjects.Text {
  private built?: boolean;

  constructor(scene: Phaser.Scene, x: number, y: number, content: string, style: Phaser.Types.GameObjects.Text.TextStyle) {
    // The constructor sets the text, the line spacing and the rest with drawing held back.
    super(scene, x, y, content, style);
    this.built = true;
    this.updateText();
  }

  override updateText(): this {
    return this.built ? super.updateText() : this;
  }
}
