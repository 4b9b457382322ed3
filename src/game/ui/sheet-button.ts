/**
 * The menu's plain buttons (settings, pages): a `Button` of the secondary kind whose label is painted
 * with its label on the menu's sheet (text-sheet.ts) instead of being Phaser objects of its own; an
 * invisible zone takes its input. Mouse, touch and
 * keyboard press it as they press a Button, and it looks the same.
 */
import * as Phaser from 'phaser';
import { radius, space } from '../theme';
import { BUTTON_STYLE, isPress, type ButtonOptions } from './button';
import type { Focusable } from './focus';
import type { SheetShape, SheetText, TextSheet } from './text-sheet';

/** A Button's options, less its variant and icon: a sheet button is always of the secondary kind. */
export type SheetButtonOptions = Pick<ButtonOptions, 'x' | 'y' | 'width' | 'height' | 'label' | 'size' | 'onPress'>;

/**
 * The invisible zone that takes the pointer for a shape painted on the sheet (a sheet button, a
 * caller card): hovering shows `hover` as the shape's fill, leaving shows `fill` again, and a press
 * (not a drag, see isPress) calls `onPress`.
 */
export function pressZone(scene: Phaser.Scene, shape: SheetShape, box: { x: number; y: number; width: number; height: number }, fills: { fill: number; hover: number }, onPress: () => void): Phaser.GameObjects.Zone {
  const zone = scene.add.zone(box.x, box.y, box.width, box.height).setOrigin(0);
  zone.setInteractive({ useHandCursor: true });
  zone.on('pointerover', () => shape.setFill(fills.hover));
  zone.on('pointerout', () => shape.setFill(fills.fill));
  zone.on('pointerup', (pointer: Phaser.Input.Pointer) => {
    if (isPress(pointer)) onPress();
  });
  return zone;
}

const STYLE = BUTTON_STYLE.secondary;

export class SheetButton implements Focusable {
  readonly background: SheetShape;
  private readonly zone: Phaser.GameObjects.Zone;
  readonly label: SheetText;

  constructor(
    scene: Phaser.Scene,
    sheet: TextSheet,
    private readonly options: SheetButtonOptions,
  ) {
    const { x, y, width, height } = options;
    this.background = sheet.rect(x, y, width, height, STYLE.fill, radius.m, { width: 2, colour: STYLE.stroke });
    this.zone = pressZone(scene, this.background, options, STYLE, options.onPress);
    this.label = sheet.add(0, 0, options.label, { size: options.size, colour: STYLE.text });
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
    return this.zone.visible;
  }
  activate(): void {
    this.options.onPress();
  }
  setFocused(_focused: boolean): void {
    // The focus manager draws the ring.
  }
}
