/**
 * A clipped, scrollable region. Its content lives far off to the side of the world, where the main
 * camera never looks; a second camera with the region as its viewport shows it. The wheel, a touch
 * drag and the keyboard (through `scrollBy`) move it.
 */
import * as Phaser from 'phaser';
import { colour } from '../theme';
import { CLIP_WIDTH } from './overflow';

let nextOrigin = 1;
const ORIGIN_SPACING = 20_000;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class ScrollView {
  readonly content: Phaser.GameObjects.Container;
  readonly camera: Phaser.Cameras.Scene2D.Camera;
  /** Where the content's (0, 0) is in the world. */
  readonly originX: number;
  private offset = 0;
  private contentHeight = 0;
  private readonly bar: Phaser.GameObjects.Graphics;
  private dragFrom: number | null = null;
  private dragOffset = 0;
  private dragged = false;
  private readonly listeners: (() => void)[] = [];

  private area: Rect;

  constructor(
    private readonly scene: Phaser.Scene,
    rect: Rect,
    private readonly smooth: () => boolean,
  ) {
    this.area = { ...rect };
    this.originX = ORIGIN_SPACING * nextOrigin++;
    this.content = scene.add.container(this.originX, 0);
    this.content.setData(CLIP_WIDTH, rect.width);
    this.camera = scene.cameras.add(rect.x, rect.y, rect.width, rect.height);
    this.camera.setScroll(this.originX, 0);
    this.camera.transparent = true;
    this.bar = scene.add.graphics().setDepth(5);
    scene.input.on('wheel', this.onWheel, this);
    scene.input.on('pointerdown', this.onDown, this);
    scene.input.on('pointermove', this.onMove, this);
    scene.input.on('pointerup', this.onUp, this);
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.detach());
  }

  /** The visible area on screen. */
  get rect(): Readonly<Rect> {
    return this.area;
  }

  /** Moves or resizes the visible area; the content stays where it is in the world. */
  setRect(rect: Rect): void {
    this.area = { ...rect };
    this.content.setData(CLIP_WIDTH, rect.width);
    this.camera.setViewport(rect.x, rect.y, rect.width, rect.height);
    this.scrollTo(this.offset, false);
  }

  private detach(): void {
    this.scene.input.off('wheel', this.onWheel, this);
    this.scene.input.off('pointerdown', this.onDown, this);
    this.scene.input.off('pointermove', this.onMove, this);
    this.scene.input.off('pointerup', this.onUp, this);
  }

  destroy(): void {
    this.detach();
    this.content.destroy();
    this.bar.destroy();
    this.scene.cameras.remove(this.camera);
  }

  private contains(x: number, y: number): boolean {
    const r = this.rect;
    return x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;
  }

  private onWheel(pointer: Phaser.Input.Pointer, _over: unknown, _dx: number, dy: number): void {
    if (this.contains(pointer.x, pointer.y)) this.scrollBy(dy, false);
  }

  private onDown(pointer: Phaser.Input.Pointer): void {
    this.dragged = false;
    if (!this.contains(pointer.x, pointer.y) || this.maxOffset() <= 0) return;
    this.dragFrom = pointer.y;
    this.dragOffset = this.offset;
  }

  private onMove(pointer: Phaser.Input.Pointer): void {
    if (this.dragFrom === null || !pointer.isDown) return;
    const dy = pointer.y - this.dragFrom;
    if (Math.abs(dy) > 8) this.dragged = true;
    if (this.dragged) this.scrollTo(this.dragOffset - dy, false);
  }

  private onUp(): void {
    this.dragFrom = null;
  }

  /** Called after every scroll and content change. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** True just after a drag, so a list can ignore the tap that ended it. */
  wasDragged(): boolean {
    return this.dragged;
  }

  setContentHeight(height: number): void {
    this.contentHeight = height;
    this.scrollTo(this.offset, false);
  }

  maxOffset(): number {
    return Math.max(0, this.contentHeight - this.rect.height);
  }

  get scrollOffset(): number {
    return this.offset;
  }

  scrollBy(delta: number, animate = true): void {
    this.scrollTo(this.offset + delta, animate);
  }

  scrollTo(offset: number, animate = true): void {
    this.offset = Math.max(0, Math.min(this.maxOffset(), offset));
    this.scene.tweens.killTweensOf(this.camera);
    if (animate && this.smooth()) this.scene.tweens.add({ targets: this.camera, scrollY: this.offset, duration: 180, ease: 'Sine.easeOut' });
    else this.camera.scrollY = this.offset;
    this.drawBar();
    for (const listener of this.listeners) listener();
  }

  scrollToEnd(animate = true): void {
    this.scrollTo(this.maxOffset(), animate);
  }

  /** Scrolls the least needed so that content rows top..bottom are in view. */
  reveal(top: number, bottom: number, animate = true): void {
    const view = this.rect.height;
    if (top < this.offset) this.scrollTo(top - 8, animate);
    else if (bottom > this.offset + view) this.scrollTo(bottom - view + 8, animate);
  }

  /** Content coordinates to screen coordinates, for focus navigation. */
  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: this.rect.x + x, y: this.rect.y + y - this.offset };
  }

  private drawBar(): void {
    const bar = this.bar;
    bar.clear();
    const max = this.maxOffset();
    if (max <= 0) return;
    const r = this.rect;
    const track = r.height - 8;
    const thumb = Math.max(36, (track * r.height) / this.contentHeight);
    const y = r.y + 4 + ((track - thumb) * this.offset) / max;
    bar.fillStyle(colour.line, 0.6);
    bar.fillRoundedRect(r.x + r.width - 6, r.y + 4, 4, track, 2);
    bar.fillStyle(colour.textMuted, 0.9);
    bar.fillRoundedRect(r.x + r.width - 7, y, 6, thumb, 3);
  }
}
