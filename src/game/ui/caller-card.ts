/**
 * A caller on the menu: portrait, title, difficulty, one-line summary and the trainee's best so far.
 * The card takes input as soon as it is drawn; the portrait (while its art loads) and the history
 * (`setHistory`, when the device's store answers: until then the footer is empty rather than a
 * "not tried yet" that may be wrong) fill in when they arrive. Its texts and shapes are painted on
 * the menu's sheet (text-sheet.ts), not made as Phaser objects each; an invisible zone takes its input.
 */
import * as Phaser from 'phaser';
import type { ScenarioHistory } from '../attempt-store';
import { knownPortrait, portraitTexture } from '../assets';
import type { CatalogEntry } from '../catalog';
import { pick, t, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import { pressZone } from './sheet-button';
import type { Focusable } from './focus';
import type { Frame } from './layout';
import type { SheetShape, SheetText, TextSheet } from './text-sheet';

export class CallerCard implements Focusable {
  private readonly parts: { setAlpha(alpha: number): unknown }[] = [];
  private readonly background: SheetShape;
  private readonly zone: Phaser.GameObjects.Zone;
  private isEnabled = true;
  private portrait: Phaser.GameObjects.Image | null = null;
  private readonly portraitSlot: { x: number; y: number; width: number; height: number };
  private readonly portraitKey: string;
  private footer: SheetText[] = [];

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly rect: Phaser.Geom.Rectangle,
    entry: CatalogEntry,
    private readonly language: Language,
    private readonly frame: Frame,
    private readonly sheet: TextSheet,
    private readonly onPick: () => void,
  ) {
    const { x, y, width, height } = rect;
    const pad = space.m;
    this.background = sheet.rect(x, y, width, height, colour.panel, radius.l, { width: 2, colour: colour.line });
    this.zone = pressZone(scene, this.background, rect, { fill: colour.panel, hover: colour.panelRaised }, () => {
      if (this.isEnabled) this.onPick();
    });
    this.parts.push(this.background);

    const small = frame.text('small');
    // Top row: the portrait, with the caller's name and the difficulty beside it; the title runs full width below.
    const portraitSize = Math.round(Math.min(frame.portrait ? 104 : 76, height * 0.3));
    this.portraitKey = portraitTexture(knownPortrait(entry.portrait), 'calm');
    this.portraitSlot = { x: x + pad, y: y + pad, width: portraitSize, height: portraitSize };
    this.parts.push(sheet.rect(x + pad, y + pad, portraitSize, portraitSize, colour.panelSunken, radius.m));
    this.showPortrait();
    const sideX = x + pad + portraitSize + space.m;
    const sideWidth = width - (sideX - x) - pad;
    const caller = sheet.add(sideX, y + pad + 2, pick(entry.callerName, language), { size: small, bold: true, colour: 'caller', width: sideWidth, maxLines: 2 });
    const pipsY = caller.y + caller.height + space.s;
    for (let i = 0; i < 5; i++) this.parts.push(sheet.circle(sideX + 6 + i * 16, pipsY + 7, 5.5, i < entry.difficulty ? colour.warn : colour.line));
    const difficulty = sheet.add(sideX, pipsY + 18, t(language, 'menu.difficulty', { n: entry.difficulty }), { size: small, colour: 'textMuted', width: sideWidth, maxLines: 1 });
    const titleY = Math.max(y + pad + portraitSize, difficulty.y + difficulty.height) + space.s;
    const title = sheet.add(x + pad, titleY, pick(entry.title, language), { size: frame.text('body'), bold: true, width: width - pad * 2, maxLines: 2 });
    this.parts.push(caller, difficulty, title);
    const summaryY = title.y + title.height + space.xs;
    const footerHeight = small + space.m;
    const lineHeight = small * 1.3;
    const summaryLines = Math.max(1, Math.floor((y + height - pad - footerHeight - space.s - summaryY) / lineHeight));
    const summaryBottom = y + height - pad - footerHeight - space.xs;
    let summary = sheet.add(x + pad, summaryY, pick(entry.summary, language), { size: small, colour: 'textMuted', width: width - pad * 2, maxLines: summaryLines });
    // Chinese lines can stand taller than 1.3 × the size: one line fewer until it clears the footer.
    for (let lines = summaryLines - 1; lines >= 1 && summary.y + summary.height > summaryBottom; lines--) {
      summary.destroy();
      summary = sheet.add(x + pad, summaryY, pick(entry.summary, language), { size: small, colour: 'textMuted', width: width - pad * 2, maxLines: lines });
    }
    this.parts.push(summary);
  }

  /** Draws the portrait once its texture is loaded (true when it is on the card). */
  showPortrait(): boolean {
    if (this.portrait) return true;
    if (!this.scene.textures.exists(this.portraitKey)) return false;
    const slot = this.portraitSlot;
    this.portrait = this.scene.add.image(slot.x, slot.y, this.portraitKey).setOrigin(0).setDisplaySize(slot.width, slot.height).setAlpha(this.isEnabled ? 1 : 0.6);
    this.parts.push(this.portrait);
    return true;
  }

  /** The trainee's best score, pass and tries on this caller, or "not tried yet". */
  setHistory(history: ScenarioHistory | undefined): void {
    for (const text of this.footer) {
      this.parts.splice(this.parts.indexOf(text), 1);
      text.destroy();
    }
    const { sheet, language, rect } = this;
    const { x, y, width, height } = rect;
    const pad = space.m;
    const small = this.frame.text('small');
    const footerY = y + height - pad - small * 1.3;
    const best = history
      ? sheet.add(x + pad, footerY, t(language, 'menu.best', { score: history.best }), { size: small, bold: true, colour: history.passed ? 'good' : 'warn' })
      : sheet.add(x + pad, footerY, t(language, 'menu.notPlayed'), { size: small, colour: 'textFaint' });
    this.footer = [best];
    if (history) {
      const status = `${history.passed ? `✓ ${t(language, 'menu.passed')}` : t(language, 'menu.notPassed')} · ${t(language, 'menu.attempts', { n: history.attempts })}`;
      const room = width - pad * 3 - best.width;
      this.footer.push(sheet.add(x + width - pad, footerY, status, { size: small, colour: history.passed ? 'good' : 'textMuted', width: room, maxLines: 1 }).setOrigin(1, 0));
    }
    for (const text of this.footer) text.setAlpha(this.isEnabled ? 1 : 0.6);
    this.parts.push(...this.footer);
  }

  setEnabled(on: boolean): void {
    this.isEnabled = on;
    for (const part of this.parts) part.setAlpha(on ? 1 : 0.6);
  }

  screenBounds(): Phaser.Geom.Rectangle {
    return this.rect;
  }
  ringBounds(): Phaser.Geom.Rectangle {
    return this.rect;
  }
  enabled(): boolean {
    return this.isEnabled;
  }
  visible(): boolean {
    return this.zone.visible;
  }
  activate(): void {
    if (this.isEnabled) this.onPick();
  }
  setFocused(focused: boolean): void {
    this.background.setFill(focused ? colour.panelRaised : colour.panel);
  }
}
