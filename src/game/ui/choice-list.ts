/**
 * The agent's options as buttons: numbered 1–9 for the keyboard, each wrapping its full text, the
 * desk actions tagged with their icon. The list scrolls when the options are long.
 */
import * as Phaser from 'phaser';
import type { TicketTier } from '../../engine/format/schema';
import { ICON } from '../assets';
import type { ChoiceView } from '../call/view';
import { kindLabel, pick, t, tierLabel, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import type { Focusable } from './focus';
import type { Frame } from './layout';
import { ScrollView, type Rect } from './scroll-view';
import { makeText } from './text';

class ChoiceButton implements Focusable {
  readonly parts: Phaser.GameObjects.GameObject[] = [];
  readonly background: Phaser.GameObjects.Rectangle;
  readonly top: number;
  readonly bottom: number;
  readonly acceptsSpace = false;

  constructor(
    private readonly list: ChoiceList,
    readonly choice: ChoiceView,
    y: number,
    width: number,
    language: Language,
    frame: Frame,
  ) {
    const scene = list.scene;
    const pad = space.m;
    const size = frame.text('body');
    const badge = Math.round(size * 1.6);
    const textX = pad + badge + space.m;
    let tagHeight = 0;
    const parts: Phaser.GameObjects.GameObject[] = [];
    if (choice.kind !== 'say') {
      const icon = scene.add.image(textX + 12, y + pad + 12, ICON[choice.kind]).setDisplaySize(22, 22).setTint(colour.caller);
      const tagText = choice.tier ? `${kindLabel(language, choice.kind)} · ${tierLabel(language, choice.tier as TicketTier)}` : kindLabel(language, choice.kind);
      const tag = makeText(scene, textX + 30, y + pad, tagText, { size: frame.text('small'), bold: true, colour: 'caller' });
      parts.push(icon, tag);
      tagHeight = Math.max(24, tag.height) + space.xs;
    }
    const text = makeText(scene, textX, y + pad + tagHeight, pick(choice.text, language), { size, width: width - textX - pad });
    const height = Math.max(badge + pad * 2, text.height + tagHeight + pad * 2);
    this.background = scene.add.rectangle(0, y, width, height, colour.panelRaised).setOrigin(0).setRounded(radius.m).setStrokeStyle(2, colour.line);
    this.background.setInteractive({ useHandCursor: true });
    this.background.on('pointerover', () => this.list.isEnabled() && this.background.setFillStyle(0x2a3f63));
    this.background.on('pointerout', () => this.background.setFillStyle(colour.panelRaised));
    this.background.on('pointerup', (pointer: Phaser.Input.Pointer) => {
      if (pointer.getDistance() > 12 || this.list.view.wasDragged()) return;
      this.list.press(this.choice);
    });
    const badgeBox = scene.add.rectangle(pad, y + pad, badge, badge, colour.accentSoft).setOrigin(0).setRounded(radius.s);
    const number = makeText(scene, pad + badge / 2, y + pad + badge / 2, String(choice.number), { size, bold: true, colour: 'text' }).setOrigin(0.5);
    this.parts.push(this.background, badgeBox, number, ...parts, text);
    list.view.content.add(this.parts);
    this.top = y;
    this.bottom = y + height;
  }

  setEnabled(on: boolean): void {
    for (const part of this.parts) (part as unknown as Phaser.GameObjects.Components.Alpha).setAlpha(on ? 1 : 0.45);
  }

  screenBounds(): Phaser.Geom.Rectangle {
    const p = this.list.view.toScreen(0, this.top);
    return new Phaser.Geom.Rectangle(p.x, p.y, this.background.width, this.bottom - this.top);
  }
  ringBounds(): Phaser.Geom.Rectangle {
    return new Phaser.Geom.Rectangle(this.list.view.originX + 4, this.top + 4, this.background.width - 8, this.bottom - this.top - 8);
  }
  enabled(): boolean {
    return this.list.isEnabled();
  }
  visible(): boolean {
    return this.background.visible;
  }
  activate(): void {
    this.list.press(this.choice);
  }
  setFocused(focused: boolean): void {
    this.background.setStrokeStyle(2, focused ? colour.accent : colour.line);
  }
  reveal(): void {
    this.list.view.reveal(this.top, this.bottom);
  }
}

export class ChoiceList {
  readonly view: ScrollView;
  private buttons: ChoiceButton[] = [];
  private enabled = false;
  private ids = '';

  constructor(
    readonly scene: Phaser.Scene,
    rect: Rect,
    private readonly language: Language,
    private readonly frame: Frame,
    smooth: () => boolean,
    private readonly onChoose: (choice: ChoiceView) => void,
  ) {
    this.view = new ScrollView(scene, rect, smooth);
    // A hint that more options wait below the fold: easy to miss with only a scrollbar.
    this.more = makeText(scene, rect.x + rect.width - space.l, rect.y + rect.height - 4, `▼ ${t(language, 'call.scrollHint')}`, { size: frame.text('small'), bold: true, colour: 'text' })
      .setOrigin(1, 1)
      .setPadding(10, 4, 10, 4)
      .setBackgroundColor('#3b8cf0')
      .setDepth(6)
      .setVisible(false);
    this.view.onChange(() => this.updateMore());
  }

  private readonly more: Phaser.GameObjects.Text;

  private updateMore(): void {
    const below = this.view.maxOffset() - this.view.scrollOffset > 24;
    this.more.setVisible(below && this.buttons.length > 0);
  }

  /** Replaces the options (when they change) and returns the new buttons for the focus manager. */
  setChoices(choices: readonly ChoiceView[]): { added: Focusable[]; removed: Focusable[] } | null {
    const ids = choices.map((c) => c.id).join('|');
    if (ids === this.ids) return null;
    this.ids = ids;
    const removed = this.buttons;
    for (const button of removed) for (const part of button.parts) part.destroy();
    const width = this.view.rect.width - space.m;
    let y = 0;
    this.buttons = choices.map((choice) => {
      const button = new ChoiceButton(this, choice, y, width, this.language, this.frame);
      y = button.bottom + space.s;
      return button;
    });
    this.view.setContentHeight(y);
    this.view.scrollTo(0, false);
    this.setEnabled(this.enabled);
    return { added: this.buttons, removed };
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    for (const button of this.buttons) button.setEnabled(on);
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  press(choice: ChoiceView): void {
    if (this.enabled) this.onChoose(choice);
  }

  get items(): readonly Focusable[] {
    return this.buttons;
  }

  first(): Focusable | null {
    return this.buttons[0] ?? null;
  }

  firstOfKind(kind: string): Focusable | null {
    return this.buttons.find((b) => b.choice.kind === kind) ?? null;
  }

  byNumber(n: number): ChoiceView | null {
    return this.buttons.find((b) => b.choice.number === n)?.choice ?? null;
  }
}
