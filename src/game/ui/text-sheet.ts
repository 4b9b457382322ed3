/**
 * Many texts painted into one canvas the size of the game, drawn as one image: the menu's ~45
 * labels. A Phaser `Text` has a canvas and a WebGL texture of its own, made, painted and uploaded
 * when it is made; the menu's first frame waited for about fifty of them. A sheet paints its texts
 * into its one canvas before the frame and uploads it once (and again only when a text changes).
 *
 * The texts are laid out exactly as `makeText` lays out a `Text` (the same font, metrics, wrapping,
 * line spacing, width and height), and painted on whole pixels, so they look the same or sharper.
 * The end-to-end checks for text running out of its box or over other text see them too
 * (`overflow.ts` reads `sheetTexts`).
 */
import * as Phaser from 'phaser';
import { css, FONT_FAMILY } from '../theme';
import { fontMetrics, type TextOptions } from './text';
import { clampLines, wrapLines } from './wrap';

/** What the menu's widgets need of a text, whether it is a Phaser `Text` or painted on a sheet. */
export interface TextLike {
  readonly text: string;
  x: number;
  y: number;
  readonly width: number;
  readonly height: number;
  setOrigin(x: number, y?: number): this;
  setAlpha(alpha: number): this;
  setPosition(x: number, y: number): this;
  setVisible(visible: boolean): this;
  getBounds(): Phaser.Geom.Rectangle;
  destroy(): void;
}

const LINE_BREAK = /(?:\r\n|\r|\n)/;
let sheetCount = 0;
const sheetsOf = new WeakMap<Phaser.Scene, Set<TextSheet>>();

/** A text on a sheet. */
export class SheetText implements TextLike {
  originX = 0;
  originY = 0;
  alpha = 1;
  visible = true;
  readonly width: number;
  readonly height: number;

  constructor(
    private readonly sheet: TextSheet,
    public x: number,
    public y: number,
    readonly text: string,
    readonly font: string,
    readonly colour: string,
    readonly lines: string[],
    readonly lineWidths: number[],
    readonly ascent: number,
    readonly lineHeight: number,
    readonly lineSpacing: number,
    readonly align: 'left' | 'center' | 'right',
    /** The wrap width asked for, if any. */
    readonly wrapWidth: number | undefined,
  ) {
    this.width = Math.max(0, ...lineWidths);
    this.height = lineHeight * lines.length + lineSpacing * Math.max(0, lines.length - 1);
  }

  get displayWidth(): number {
    return this.width;
  }

  get left(): number {
    return this.x - this.originX * this.width;
  }

  get top(): number {
    return this.y - this.originY * this.height;
  }

  setOrigin(x: number, y = x): this {
    this.originX = x;
    this.originY = y;
    this.sheet.invalidate();
    return this;
  }

  setAlpha(alpha: number): this {
    if (alpha !== this.alpha) this.sheet.invalidate();
    this.alpha = alpha;
    return this;
  }

  setPosition(x: number, y: number): this {
    this.x = x;
    this.y = y;
    this.sheet.invalidate();
    return this;
  }

  setVisible(visible: boolean): this {
    if (visible !== this.visible) this.sheet.invalidate();
    this.visible = visible;
    return this;
  }

  getBounds(): Phaser.Geom.Rectangle {
    return new Phaser.Geom.Rectangle(this.left, this.top, this.width, this.height);
  }

  destroy(): void {
    this.sheet.remove(this);
  }
}

export class TextSheet {
  private readonly texture: Phaser.Textures.CanvasTexture;
  private readonly context: CanvasRenderingContext2D;
  private readonly items: SheetText[] = [];
  private dirty = false;

  /** A sheet over the whole game, drawn at `depth`; gone with the scene. */
  constructor(scene: Phaser.Scene, depth: number) {
    const { width, height } = scene.scale;
    const key = `text-sheet-${++sheetCount}`;
    const texture = scene.textures.createCanvas(key, width, height);
    if (!texture) throw new Error(`text sheet: could not make the texture ${key}`);
    this.texture = texture;
    this.context = texture.getContext();
    const image = scene.add.image(0, 0, key).setOrigin(0).setDepth(depth);
    const flush = () => this.flush();
    scene.events.on(Phaser.Scenes.Events.PRE_RENDER, flush);
    const set = sheetsOf.get(scene) ?? new Set();
    set.add(this);
    sheetsOf.set(scene, set);
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      scene.events.off(Phaser.Scenes.Events.PRE_RENDER, flush);
      set.delete(this);
      image.destroy();
      texture.destroy();
    });
  }

  /** Lays out a text as `makeText` would at (x, y) and paints it before the next frame. */
  add(x: number, y: number, content: string, options: TextOptions): SheetText {
    const size = Math.round(options.size);
    const font = `${options.bold ? 'bold' : 'normal'} ${size}px ${FONT_FAMILY}`;
    const context = this.context;
    context.font = font;
    const metrics = fontMetrics(context, font);
    const measure = (s: string) => context.measureText(s).width;
    const width = options.width;
    const wrapped = width !== undefined ? clampLines(wrapLines(content, width, measure, options.maxLines || Infinity), options.maxLines, measure, width).join('\n') : content;
    const lines = wrapped.split(LINE_BREAK);
    const lineWidths = lines.map((line) => Math.ceil(measure(line)));
    const text = new SheetText(this, x, y, content, font, css(options.colour ?? 'text'), lines, lineWidths, metrics.ascent, metrics.fontSize, options.lineSpacing ?? Math.round(size * 0.3), options.align ?? 'left', width);
    this.items.push(text);
    this.dirty = true;
    return text;
  }

  /** The sheet's texts, for the checks in overflow.ts. */
  texts(): readonly SheetText[] {
    return this.items;
  }

  invalidate(): void {
    this.dirty = true;
  }

  remove(text: SheetText): void {
    const at = this.items.indexOf(text);
    if (at < 0) return;
    this.items.splice(at, 1);
    this.dirty = true;
  }

  /** Paints every text anew and uploads the canvas, if anything changed since the last frame. */
  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const context = this.context;
    context.clearRect(0, 0, this.texture.width, this.texture.height);
    context.textBaseline = 'alphabetic';
    for (const item of this.items) {
      if (!item.visible || item.alpha <= 0) continue;
      context.font = item.font;
      context.fillStyle = item.colour;
      context.globalAlpha = item.alpha;
      // As Phaser's Text places its lines (rounded within the text), on whole pixels of the game.
      const left = Math.round(item.left);
      const top = Math.round(item.top);
      item.lines.forEach((line, i) => {
        const lineWidth = item.lineWidths[i] ?? 0;
        const dx = item.align === 'right' ? item.width - lineWidth : item.align === 'center' ? (item.width - lineWidth) / 2 : 0;
        context.fillText(line, left + Math.round(dx), top + Math.round(i * (item.lineHeight + item.lineSpacing) + item.ascent));
      });
    }
    context.globalAlpha = 1;
    this.texture.refresh();
  }
}

/** Every text on the scene's sheets. */
export function sheetTexts(scene: Phaser.Scene): SheetText[] {
  return [...(sheetsOf.get(scene) ?? [])].flatMap((sheet) => [...sheet.texts()]);
}
