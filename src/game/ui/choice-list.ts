/**
 * The agent's options as buttons: numbered 1–9 for the keyboard, each wrapping its full text, the
 * desk actions tagged with their icon. Every option of a decision is meant to be in sight at once:
 * the list takes the height its options need (the desk gives the rest to the transcript) and, when
 * that is more than the desk can give, draws them tighter — smaller type, less padding, then two
 * columns. Only a list that fits no way scrolls.
 */
import * as Phaser from 'phaser';
import type { TicketTier } from '../../engine/format/schema';
import { ICON } from '../assets';
import type { ChoiceView } from '../call/view';
import { kindLabel, pick, tierLabel, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import type { Focusable } from './focus';
import { OWNER } from './hit-test';
import type { Frame } from './layout';
import { ScrollView, type Rect } from './scroll-view';
import { makeText } from './text';

/** How tightly the options are drawn, from the roomiest to the tightest. */
interface Density {
  size: 'body' | 'small';
  pad: number;
  gap: number;
  columns: 1 | 2;
}

const DENSITIES: readonly Density[] = [
  { size: 'body', pad: space.m, gap: space.s, columns: 1 },
  { size: 'small', pad: 12, gap: 6, columns: 1 },
  { size: 'small', pad: space.s, gap: space.xs, columns: 1 },
  { size: 'small', pad: space.s, gap: space.xs, columns: 2 },
];

/** Drops a leading "[Look up] " or "【查询】" from an option's text: the badge above it already says so. */
export function withoutKindPrefix(text: string, labels: readonly string[]): string {
  const match = /^\s*(?:\[([^\]]{1,24})\]|【([^】]{1,24})】)\s*/.exec(text);
  if (!match) return text;
  const tag = (match[1] ?? match[2] ?? '').trim().toLowerCase();
  return labels.some((label) => label.toLowerCase() === tag) ? text.slice(match[0].length) : text;
}

class ChoiceButton implements Focusable {
  readonly parts: Phaser.GameObjects.GameObject[] = [];
  readonly background: Phaser.GameObjects.Rectangle;
  readonly top: number;
  /** Lowered to the row's bottom when two options share a row. */
  bottom: number;
  readonly left: number;
  readonly width: number;
  readonly acceptsSpace = false;

  constructor(
    private readonly list: ChoiceList,
    readonly choice: ChoiceView,
    x: number,
    y: number,
    width: number,
    language: Language,
    frame: Frame,
    density: Density,
  ) {
    const scene = list.scene;
    const pad = density.pad;
    const size = frame.text(density.size);
    const badge = Math.round(size * 1.5);
    const textX = x + pad + badge + space.s + (density.pad > space.s ? space.xs : 0);
    const textWidth = x + width - textX - pad;
    let tagHeight = 0;
    const parts: Phaser.GameObjects.GameObject[] = [];
    if (choice.kind !== 'say') {
      const small = frame.text('small');
      const iconSize = Math.round(small * 1.1);
      const icon = scene.add.image(textX + iconSize / 2, y + pad + small * 0.7, ICON[choice.kind]).setDisplaySize(iconSize, iconSize).setTint(colour.caller);
      const tagText = choice.tier ? `${kindLabel(language, choice.kind)} · ${tierLabel(language, choice.tier as TicketTier)}` : kindLabel(language, choice.kind);
      const tag = makeText(scene, textX + iconSize + space.s, y + pad, tagText, { size: small, bold: true, colour: 'caller', width: textWidth - iconSize - space.s, maxLines: 1 });
      parts.push(icon, tag);
      tagHeight = Math.max(iconSize, tag.height) + 2;
    }
    const words = choice.kind === 'say' ? pick(choice.text, language) : withoutKindPrefix(pick(choice.text, language), [kindLabel('en', choice.kind), kindLabel('zh-CN', choice.kind)]);
    const text = makeText(scene, textX, y + pad + tagHeight, words, { size, width: textWidth, lineSpacing: Math.round(size * 0.25) });
    const height = Math.max(badge + pad * 2, text.height + tagHeight + pad * 2);
    this.background = scene.add.rectangle(x, y, width, height, colour.panelRaised).setOrigin(0).setRounded(radius.m).setStrokeStyle(2, colour.line);
    this.background.setInteractive({ useHandCursor: true });
    this.background.on('pointerover', () => this.list.isEnabled() && this.background.setFillStyle(0x2a3f63));
    this.background.on('pointerout', () => this.background.setFillStyle(colour.panelRaised));
    this.background.on('pointerup', (pointer: Phaser.Input.Pointer) => {
      if (pointer.getDistance() > 12 || this.list.view.wasDragged()) return;
      this.list.press(this.choice);
    });
    const badgeBox = scene.add.rectangle(x + pad, y + pad, badge, badge, colour.accentSoft).setOrigin(0).setRounded(radius.s);
    const number = makeText(scene, x + pad + badge / 2, y + pad + badge / 2, String(choice.number), { size, bold: true, colour: 'text' }).setOrigin(0.5);
    this.parts.push(this.background, badgeBox, number, ...parts, text);
    for (const part of this.parts) part.setData(OWNER, `choice:${choice.id}`);
    list.view.content.add(this.parts);
    this.top = y;
    this.bottom = y + height;
    this.left = x;
    this.width = width;
  }

  setEnabled(on: boolean): void {
    for (const part of this.parts) (part as unknown as Phaser.GameObjects.Components.Alpha).setAlpha(on ? 1 : 0.45);
  }

  screenBounds(): Phaser.Geom.Rectangle {
    const p = this.list.view.toScreen(this.left, this.top);
    return new Phaser.Geom.Rectangle(p.x, p.y, this.width, this.bottom - this.top);
  }
  ringBounds(): Phaser.Geom.Rectangle {
    return new Phaser.Geom.Rectangle(this.list.view.originX + this.left + 4, this.top + 4, this.width - 8, this.bottom - this.top - 8);
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
  private height = 0;
  private budget = 0;

  /**
   * `rect` is the list's place and width; the desk moves and shortens it to what the options need
   * (`place`). `budgets` are the heights the desk can give, the first preferred: a later one costs
   * the desk something (a phone folds away its checklist), so every density is tried in the first
   * before the second. Two columns only where `columns` allows (too narrow on a phone).
   */
  constructor(
    readonly scene: Phaser.Scene,
    private readonly rect: Rect,
    private readonly budgets: readonly number[],
    private readonly twoColumns: boolean,
    private readonly language: Language,
    private readonly frame: Frame,
    smooth: () => boolean,
    private readonly onChoose: (choice: ChoiceView) => void,
  ) {
    this.view = new ScrollView(scene, { ...rect }, smooth);
  }

  /** The height the options take, at most the budget they were drawn for. */
  get neededHeight(): number {
    return Math.min(this.height, this.budgets[this.budget] ?? 0);
  }

  /** Which of the budgets the options were drawn for (0: the preferred one). */
  get budgetUsed(): number {
    return this.budget;
  }

  /** Whether the options fit without scrolling. */
  fits(): boolean {
    return this.height <= this.view.rect.height + 0.5;
  }

  /** Puts the list's visible area here (its width stays). */
  place(y: number, height: number): void {
    this.view.setRect({ x: this.rect.x, y, width: this.rect.width, height });
  }

  /** Replaces the options (when they change) and returns the new buttons for the focus manager. */
  setChoices(choices: readonly ChoiceView[]): { added: Focusable[]; removed: Focusable[] } | null {
    const ids = choices.map((c) => c.id).join('|');
    if (ids === this.ids) return null;
    this.ids = ids;
    const removed = this.buttons;
    this.clearButtons();
    const densities = DENSITIES.filter((d) => d.columns === 1 || (this.twoColumns && choices.length > 1));
    const tries = this.budgets.flatMap((budget, b) => densities.map((density) => ({ budget, b, density })));
    for (const [i, attempt] of tries.entries()) {
      this.height = this.build(choices, attempt.density);
      this.budget = attempt.b;
      if (this.height <= attempt.budget) break;
      if (i < tries.length - 1) this.clearButtons();
    }
    this.view.setContentHeight(this.height);
    this.view.scrollTo(0, false);
    this.setEnabled(this.enabled);
    return { added: this.buttons, removed };
  }

  private clearButtons(): void {
    for (const button of this.buttons) for (const part of button.parts) part.destroy();
    this.buttons = [];
  }

  /** Draws the options at one density; returns the height they take. */
  private build(choices: readonly ChoiceView[], density: Density): number {
    const width = this.rect.width - space.s;
    if (choices.length === 0) return 0;
    if (density.columns === 1) {
      let y = 0;
      this.buttons = choices.map((choice) => {
        const button = new ChoiceButton(this, choice, 0, y, width, this.language, this.frame, density);
        y = button.bottom + density.gap;
        return button;
      });
      return y - density.gap;
    }
    // Two columns, read across then down; a row is as tall as its taller option.
    const columnWidth = (width - space.s) / 2;
    let y = 0;
    this.buttons = [];
    for (let i = 0; i < choices.length; i += 2) {
      const row = choices.slice(i, i + 2).map((choice, j) => new ChoiceButton(this, choice, j * (columnWidth + space.s), y, columnWidth, this.language, this.frame, density));
      const bottom = Math.max(...row.map((b) => b.bottom));
      for (const b of row) {
        b.background.setSize(b.width, bottom - b.top);
        b.bottom = bottom;
      }
      this.buttons.push(...row);
      y = bottom + density.gap;
    }
    return y - density.gap;
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

  /** The ids of the options drawn, in the order shown. */
  shownIds(): string[] {
    return this.buttons.map((b) => b.choice.id);
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
