/**
 * The menu's plain buttons (settings, pages): a `Button` of the secondary kind whose label is painted
 * on the menu's text sheet (text-sheet.ts) instead of being a Text of its own. Mouse, touch and
 * keyboard press it as they press a Button, and it looks the same.
 */
import * as Phaser from 'phaser';
import { colour, radius, space } from '../theme';
import type { Focusable } from './focus';
import type { SheetText, TextSheet } from './text-sheet';

export interface SheetButtonOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  size: number;
  onPress: () => void;
}

const FILL = colour.panelRaised;
const HOVER = 0x2a3f63;

export class SheetButton implements Focusable {
  readonly background: Phaser.GameObjects.Rectangle;
  readonly label: SheetText;

  constructor(
    scene: Phaser.Scene,
    sheet: TextSheet,
    private readonly options: SheetButtonOptions,
  ) {
    const { x, y, width, height } = options;
    this.background = scene.add.rectangle(x, y, width, height, FILL).setOrigin(0).setRounded(radius.m).setStrokeStyle(2, colour.line);
    this.background.setInteractive({ useHandCursor: true });
    this.background.on('pointerover', () => this.background.setFillStyle(HOVER));
    this.background.on('pointerout', () => this.background.setFillStyle(FILL));
    this.background.on('pointerup', (pointer: Phaser.Input.Pointer) => {
      // A drag that started elsewhere is not a press.
      if (pointer.getDistance() <= 12) options.onPress();
    });
    this.label = sheet.add(0, 0, options.label, { size: options.size, colour: 'text' });
    // Centred as a Button centres its label.
    this.label.setPosition(x + Math.max(space.s, (width - this.label.width) / 2), y + height / 2 - this.label.height / 2);
  }

  screenBounds(): Phaser.Geom.Rectangle {
    const { x, y, width, height } = this.options;
    return new Phaser.Geom.Rectangle(x, y, width, height);
  }
  ringBounds(): Phaser.Geom.Rectangle {
    return this.screenBounds();
  }
  enabled(): boolean {
    return true;
  }
  visible(): boolean {
    return this.background.visible;
  }
  activate(): void {
    this.options.onPress();
  }
  setFocused(_focused: boolean): void {
    // The focus manager draws the ring.
  }
}
