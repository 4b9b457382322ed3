/** A button drawn on the canvas that mouse, touch and keyboard can all press. */
import * as Phaser from 'phaser';
import { colour, radius, space, type PaletteName } from '../theme';
import type { Focusable } from './focus';
import { makeText } from './text';

/** A pointer released within a few pixels of where it went down: a drag that started elsewhere (scrolling a list) is not a press. */
export function isPress(pointer: Phaser.Input.Pointer): boolean {
  return pointer.getDistance() <= 12;
}

export type ButtonVariant = 'primary' | 'secondary' | 'good' | 'danger' | 'ghost';

export interface ButtonOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  size: number;
  variant?: ButtonVariant;
  icon?: string;
  /** A short hint drawn small after the label, such as the key that presses it. */
  hint?: string;
  align?: 'left' | 'center';
  onPress: () => void;
}

/** Each kind's colours; the menu's buttons painted on its sheet (sheet-button.ts) take the secondary one. */
export const BUTTON_STYLE: Record<ButtonVariant, { fill: number; hover: number; text: PaletteName; stroke: number }> = {
  primary: { fill: colour.accent, hover: 0x5a9ff3, text: 'white', stroke: colour.accent },
  secondary: { fill: colour.panelRaised, hover: 0x2a3f63, text: 'text', stroke: colour.line },
  good: { fill: 0x2a9d6a, hover: 0x33b57b, text: 'white', stroke: 0x2a9d6a },
  danger: { fill: 0xc8443d, hover: 0xdc544c, text: 'white', stroke: 0xc8443d },
  ghost: { fill: colour.panel, hover: colour.panelRaised, text: 'textMuted', stroke: colour.panel },
};

export class Button implements Focusable {
  readonly background: Phaser.GameObjects.Rectangle;
  readonly label: Phaser.GameObjects.Text;
  readonly icon: Phaser.GameObjects.Image | null;
  readonly hint: Phaser.GameObjects.Text | null;
  private isEnabled = true;
  private hovered = false;
  private variant: ButtonVariant;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly options: ButtonOptions,
  ) {
    this.options = { ...options };
    const { x, y, width, height } = options;
    this.variant = options.variant ?? 'secondary';
    this.background = scene.add.rectangle(x, y, width, height, BUTTON_STYLE[this.variant].fill).setOrigin(0).setRounded(radius.m);
    this.background.setStrokeStyle(2, BUTTON_STYLE[this.variant].stroke);
    this.background.setInteractive({ useHandCursor: true });
    this.background.on('pointerover', () => this.setHovered(true));
    this.background.on('pointerout', () => this.setHovered(false));
    this.background.on('pointerup', (pointer: Phaser.Input.Pointer) => {
      if (!isPress(pointer)) return;
      if (this.isEnabled) this.options.onPress();
    });
    const iconSize = Math.min(height - space.m, 32);
    this.icon = options.icon ? scene.add.image(0, 0, options.icon).setDisplaySize(iconSize, iconSize) : null;
    this.label = makeText(scene, 0, 0, options.label, { size: options.size, colour: BUTTON_STYLE[this.variant].text, bold: this.variant === 'primary' || this.variant === 'good' });
    this.hint = options.hint ? makeText(scene, 0, 0, options.hint, { size: Math.max(18, options.size - 4), colour: this.variant === 'secondary' || this.variant === 'ghost' ? 'textFaint' : 'white' }) : null;
    this.hint?.setAlpha(0.8);
    this.place();
    this.paint();
  }

  private place(): void {
    const { x, y, width, height } = this.options;
    const gap = space.s;
    const iconWidth = this.icon ? this.icon.displayWidth + gap : 0;
    const hintWidth = this.hint ? this.hint.width + gap : 0;
    const contentWidth = iconWidth + this.label.width + hintWidth;
    const left = this.options.align === 'left' ? x + space.m : x + Math.max(space.s, (width - contentWidth) / 2);
    const midY = y + height / 2;
    if (this.icon) this.icon.setPosition(left + this.icon.displayWidth / 2, midY);
    this.label.setPosition(left + iconWidth, midY - this.label.height / 2);
    this.hint?.setPosition(left + iconWidth + this.label.width + gap, midY - this.hint.height / 2);
  }

  private paint(): void {
    const style = BUTTON_STYLE[this.variant];
    this.background.setFillStyle(this.hovered && this.isEnabled ? style.hover : style.fill);
    this.background.setStrokeStyle(2, style.stroke);
    const alpha = this.isEnabled ? 1 : 0.4;
    for (const part of [this.background, this.label, this.icon, this.hint]) part?.setAlpha(part === this.hint ? alpha * 0.8 : alpha);
  }

  private setHovered(on: boolean): void {
    this.hovered = on;
    this.paint();
  }

  /** Moves the button's top-left corner (a row that moves when the layout around it changes). */
  moveTo(x: number, y: number): this {
    if (x === this.options.x && y === this.options.y) return this;
    this.options.x = x;
    this.options.y = y;
    this.background.setPosition(x, y);
    this.place();
    return this;
  }

  setLabel(text: string): this {
    this.label.setText(text);
    this.place();
    return this;
  }

  setVariant(variant: ButtonVariant): this {
    this.variant = variant;
    this.label.setColor(`#${colour[BUTTON_STYLE[variant].text].toString(16).padStart(6, '0')}`);
    this.paint();
    return this;
  }

  setEnabled(on: boolean): this {
    this.isEnabled = on;
    if (on) this.background.setInteractive({ useHandCursor: true });
    else this.background.disableInteractive();
    this.paint();
    return this;
  }

  setVisible(on: boolean): this {
    for (const part of [this.background, this.label, this.icon, this.hint]) part?.setVisible(on);
    return this;
  }

  destroy(): void {
    for (const part of [this.background, this.label, this.icon, this.hint]) part?.destroy();
  }

  // Focusable
  screenBounds(): Phaser.Geom.Rectangle {
    return new Phaser.Geom.Rectangle(this.options.x, this.options.y, this.options.width, this.options.height);
  }
  ringBounds(): Phaser.Geom.Rectangle {
    return this.screenBounds();
  }
  enabled(): boolean {
    return this.isEnabled;
  }
  visible(): boolean {
    return this.background.visible;
  }
  activate(): void {
    if (this.isEnabled) this.options.onPress();
  }
  setFocused(_focused: boolean): void {
    // The focus manager draws the ring.
  }
}
