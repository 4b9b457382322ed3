/**
 * Keyboard focus for widgets drawn on the canvas: Tab and Shift+Tab walk them in order, arrow keys
 * move to the nearest one in that direction (unless the focused widget uses them), Enter and Space
 * activate. The ring is drawn only once the keyboard is used, like :focus-visible. Tab past the
 * last widget (or Shift+Tab before the first) leaves the canvas for the page's other controls, as
 * on any web page; tabbing back in lands on the first (or last) widget.
 */
import * as Phaser from 'phaser';
import { colour, FOCUS_WIDTH, radius } from '../theme';

export type Direction = 'up' | 'down' | 'left' | 'right';

export interface Focusable {
  /** Where the widget is on screen, for arrow navigation. */
  screenBounds(): Phaser.Geom.Rectangle;
  /** Where to draw the ring, in the world coordinates of `ringCamera` (the main camera by default). */
  ringBounds(): Phaser.Geom.Rectangle;
  enabled(): boolean;
  visible(): boolean;
  activate(): void;
  /** False for options a stray Space must not pick (Space also skips the caller's speech). */
  acceptsSpace?: boolean;
  setFocused(focused: boolean): void;
  /** Let the widget handle an arrow key itself (a list moving its own selection). */
  arrow?(direction: Direction): boolean;
  /** Bring the widget into view (inside a scrolled list). */
  reveal?(): void;
}

// Tab is not captured here: it is decided synchronously in onTab, where leaving the canvas is allowed.
const KEYS_TO_CAPTURE = 'SPACE,UP,DOWN,LEFT,RIGHT,ENTER';

export class FocusManager {
  private items: Focusable[] = [];
  private current: Focusable | null = null;
  private ring: Phaser.GameObjects.Graphics;
  private keyboardUsed = false;

  constructor(private readonly scene: Phaser.Scene) {
    this.ring = scene.add.graphics().setDepth(10_000);
    const keyboard = scene.input.keyboard;
    keyboard?.addCapture(KEYS_TO_CAPTURE);
    keyboard?.on('keydown', this.onKey, this);
    scene.input.on('pointerdown', this.onPointer, this);
    scene.events.on('postupdate', this.drawRing, this);
    const canvas = scene.game.canvas;
    window.addEventListener('keydown', this.onTab, true);
    canvas.addEventListener('focus', this.onCanvasFocus);
    scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      window.removeEventListener('keydown', this.onTab, true);
      canvas.removeEventListener('focus', this.onCanvasFocus);
      keyboard?.off('keydown', this.onKey, this);
      scene.input.off('pointerdown', this.onPointer, this);
      scene.events.off('postupdate', this.drawRing, this);
    });
  }

  add(...items: Focusable[]): void {
    this.items.push(...items);
  }

  remove(item: Focusable): void {
    this.items = this.items.filter((i) => i !== item);
    if (this.current === item) this.current = null;
  }

  clear(): void {
    this.items = [];
    this.current = null;
  }

  get focused(): Focusable | null {
    return this.current;
  }

  /** Moves focus to an item. `show` draws the ring now, as after a key press. */
  focus(item: Focusable | null, show = false): void {
    if (this.current === item) {
      if (show) this.keyboardUsed = true;
      return;
    }
    this.current?.setFocused(false);
    this.current = item;
    item?.setFocused(true);
    item?.reveal?.();
    if (show) this.keyboardUsed = true;
  }

  private available(): Focusable[] {
    return this.items.filter((i) => i.enabled() && i.visible());
  }

  /** Moves along the Tab order; false at either end, where focus should leave the canvas. */
  private step(delta: number, wrap = true): boolean {
    // The first key press shows where focus already is, rather than moving it away unseen.
    if (!this.keyboardUsed && this.current?.enabled() && this.current.visible()) {
      this.keyboardUsed = true;
      return true;
    }
    const items = this.available();
    if (items.length === 0) return false;
    const index = this.current ? items.indexOf(this.current) : -1;
    let next = index === -1 ? (delta > 0 ? 0 : items.length - 1) : index + delta;
    if (next < 0 || next >= items.length) {
      if (!wrap) return false;
      next = (next + items.length) % items.length;
    }
    this.focus(items[next] ?? null, true);
    return true;
  }

  /** Tab, decided as the browser delivers it: move within the canvas, or let focus leave it. */
  private readonly onTab = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
    const active = document.activeElement;
    // Focus is in one of the page's own controls: the browser moves it.
    if (active && active !== document.body && active !== this.scene.game.canvas && active !== document.documentElement) return;
    if (this.step(event.shiftKey ? -1 : 1, false)) {
      event.preventDefault();
      this.scene.game.canvas.focus({ preventScroll: true });
    } else {
      this.focus(null);
      this.keyboardUsed = false;
    }
  };

  private readonly onCanvasFocus = (): void => {
    if (this.current) return;
    const items = this.available();
    this.focus(items[0] ?? null, true);
  };

  private move(direction: Direction): void {
    const from = this.current;
    if (!from || !from.enabled() || !from.visible()) {
      this.step(1);
      return;
    }
    if (!this.keyboardUsed) {
      this.keyboardUsed = true;
      return;
    }
    if (from.arrow?.(direction)) return;
    const a = from.screenBounds();
    const ax = a.centerX;
    const ay = a.centerY;
    let best: Focusable | null = null;
    let bestScore = Infinity;
    for (const item of this.available()) {
      if (item === from) continue;
      const b = item.screenBounds();
      const dx = b.centerX - ax;
      const dy = b.centerY - ay;
      const along = direction === 'left' ? -dx : direction === 'right' ? dx : direction === 'up' ? -dy : dy;
      const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
      if (along <= 4) continue;
      // Prefer what is straight ahead over what is merely near.
      const score = along + across * 2.5;
      if (score < bestScore) {
        bestScore = score;
        best = item;
      }
    }
    if (best) this.focus(best, true);
    else this.keyboardUsed = true;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowUp':
        this.move('up');
        return;
      case 'ArrowDown':
        this.move('down');
        return;
      case 'ArrowLeft':
        this.move('left');
        return;
      case 'ArrowRight':
        this.move('right');
        return;
      case 'Enter':
      case ' ':
        if (event.key === ' ' && this.current?.acceptsSpace === false) return;
        if (this.current && this.current.enabled() && this.current.visible()) {
          this.keyboardUsed = true;
          this.current.activate();
        } else if (event.key === 'Enter') {
          this.step(1);
        }
        return;
      default:
        return;
    }
  }

  private onPointer(): void {
    this.keyboardUsed = false;
  }

  private drawRing(): void {
    const ring = this.ring;
    ring.clear();
    const item = this.current;
    if (!this.keyboardUsed || !item || !item.visible()) return;
    const r = item.ringBounds();
    ring.lineStyle(FOCUS_WIDTH, colour.focus, 1);
    ring.strokeRoundedRect(r.x - 5, r.y - 5, r.width + 10, r.height + 10, radius.m);
  }
}
