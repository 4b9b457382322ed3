/**
 * The menu's still picture painted into one canvas the size of the game, drawn as one image: its
 * ~45 labels and the plain shapes under them (cards, buttons, portrait frames, difficulty pips).
 * A Phaser `Text` has a canvas and a WebGL texture of its own, made, painted and uploaded when it is
 * made, and the shapes need WebGL shaders of their own compiled before the first frame; the menu's
 * first frame waited for about fifty texts and thirty shapes. A sheet paints them all into its one
 * canvas before the frame and uploads it once, and again only when something on it changes (a
 * card lit under the pointer or the focus, a card dimmed while a call loads, the history arriving).
 * The sheet is opaque: it paints the backdrop too, and lies under everything else of the scene.
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

/** A plain shape on a sheet, under its texts: a rounded rectangle (with an outline) or a dot. */
export class SheetShape {
  alpha = 1;
  visible = true;

  constructor(
    private readonly sheet: TextSheet,
    readonly kind: 'rect' | 'circle',
    readonly x: number,
    readonly y: number,
    readonly width: number,
    readonly height: number,
    readonly radius: number,
    public fill: number,
    readonly stroke: { width: number; colour: number } | null,
  ) {}

  setFill(fill: number): this {
    if (fill !== this.fill) this.sheet.invalidate();
    this.fill = fill;
    return this;
  }

  setAlpha(alpha: number): this {
    if (alpha !== this.alpha) this.sheet.invalidate();
    this.alpha = alpha;
    return this;
  }

  setVisible(visible: boolean): this {
    if (visible !== this.visible) this.sheet.invalidate();
    this.visible = visible;
    return this;
  }
}

/** The sheet's texture has two frames over the whole canvas; see flush. */
const FRAMES = ['__BASE', 'repainted'] as const;

const hex = (value: number) => `#${value.toString(16).padStart(6, '0')}`;

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
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  /** Made at the first frame, with the texts painted: the canvas is uploaded once, not empty and then again. */
  private texture: Phaser.Textures.Texture | null = null;
  private readonly key = `text-sheet-${++sheetCount}`;
  private readonly image: Phaser.GameObjects.Image;
  private readonly items: SheetText[] = [];
  private readonly shapes: SheetShape[] = [];
  private dirty = false;

  /** A sheet over the whole game with the backdrop's colour, under all else of the scene; gone with the scene. */
  constructor(
    private readonly scene: Phaser.Scene,
    private readonly backdrop: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = scene.scale.width;
    this.canvas.height = scene.scale.height;
    const context = this.canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('text sheet: this browser gives no 2D canvas');
    this.context = context;
    // In its place in the display list from the start; it shows the sheet from the first frame.
    this.image = scene.add.image(0, 0, '__DEFAULT').setOrigin(0).setDepth(-1).setVisible(false);
    // Painted after the step and its input (a card lit under the pointer), before the frame is drawn
    // or skipped (ui/frame-gate.ts decides that after the game's pre-render event).
    const flush = () => this.flush();
    scene.game.events.on(Phaser.Core.Events.PRE_RENDER, flush);
    const set = sheetsOf.get(scene) ?? new Set();
    set.add(this);
    sheetsOf.set(scene, set);
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      scene.game.events.off(Phaser.Core.Events.PRE_RENDER, flush);
      set.delete(this);
      this.image.destroy();
      this.texture?.destroy();
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

  /** A rectangle, rounded by `radius`, with an outline of `stroke` (centred on its edge, as a Phaser shape's). */
  rect(x: number, y: number, width: number, height: number, fill: number, radius = 0, stroke: { width: number; colour: number } | null = null): SheetShape {
    const shape = new SheetShape(this, 'rect', x, y, width, height, radius, fill, stroke);
    this.shapes.push(shape);
    this.dirty = true;
    return shape;
  }

  /** A filled dot centred on (x, y). */
  circle(x: number, y: number, radius: number, fill: number): SheetShape {
    const shape = new SheetShape(this, 'circle', x, y, radius * 2, radius * 2, radius, fill, null);
    this.shapes.push(shape);
    this.dirty = true;
    return shape;
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

  private webgl(): Phaser.Renderer.WebGL.WebGLRenderer | null {
    const renderer = this.scene.game.renderer;
    return renderer.type === Phaser.WEBGL ? (renderer as Phaser.Renderer.WebGL.WebGLRenderer) : null;
  }

  /** Paints every text anew and uploads the canvas, if anything changed since the last frame. */
  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const context = this.context;
    context.globalAlpha = 1;
    context.fillStyle = hex(this.backdrop);
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (const shape of this.shapes) {
      if (!shape.visible || shape.alpha <= 0) continue;
      context.globalAlpha = shape.alpha;
      context.beginPath();
      if (shape.kind === 'circle') context.arc(shape.x, shape.y, shape.radius, 0, Math.PI * 2);
      else context.roundRect(shape.x, shape.y, shape.width, shape.height, shape.radius);
      context.fillStyle = hex(shape.fill);
      context.fill();
      if (shape.stroke) {
        context.lineWidth = shape.stroke.width;
        context.strokeStyle = hex(shape.stroke.colour);
        context.stroke();
      }
    }
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
    const renderer = this.webgl();
    if (this.texture) {
      const source = this.texture.source[0];
      if (renderer && source?.glTexture) renderer.updateCanvasTexture(this.canvas, source.glTexture, false, true);
      else source?.update();
      // The image shows the other of its two (identical) frames: a changed picture, which the
      // frame gate (ui/frame-gate.ts, which compares what objects draw, not texture contents) draws.
      this.image.setFrame(this.image.frame.name === FRAMES[0] ? FRAMES[1] : FRAMES[0]);
      return;
    }
    // Uploaded as the canvas lies, top row first (no UNPACK_FLIP_Y): Chromium flips a canvas on
    // upload by copying every pixel (the menu's first upload took 12 ms of the page's main thread
    // flipped, 9 ms not, at 1280 × 720 in software WebGL); the image is flipped back when drawn. Without WebGL, a plain texture of the canvas (a CanvasTexture
    // would also read every pixel back with getImageData).
    const texture = renderer ? this.scene.textures.addGLTexture(this.key, renderer.createCanvasTexture(this.canvas, true, false)) : this.scene.textures.create(this.key, this.canvas, this.canvas.width, this.canvas.height);
    if (!texture) throw new Error(`text sheet: could not make the texture ${this.key}`);
    for (const name of FRAMES) if (!texture.has(name)) texture.add(name, 0, 0, 0, this.canvas.width, this.canvas.height);
    this.texture = texture;
    this.image.setTexture(this.key, FRAMES[0]).setOrigin(0).setFlipY(renderer !== null).setVisible(true);
  }
}

/** Every text on the scene's sheets. */
export function sheetTexts(scene: Phaser.Scene): SheetText[] {
  return [...(sheetsOf.get(scene) ?? [])].flatMap((sheet) => [...sheet.texts()]);
}
