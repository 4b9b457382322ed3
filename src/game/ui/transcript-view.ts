/** The call's transcript: every caller line captioned, the agent's words, and what happened between. */
import * as Phaser from 'phaser';
import type { TranscriptItem } from '../call/view';
import { kindLabel, pick, t, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import type { Frame } from './layout';
import { ScrollView, type Rect } from './scroll-view';
import { makeText } from './text';

export class TranscriptView {
  private readonly view: ScrollView;
  private readonly shown = new Set<string>();
  private height = 0;
  private lastCaller: Phaser.GameObjects.Rectangle | null = null;
  private readonly width: number;
  private readonly panel: Phaser.GameObjects.Rectangle;

  constructor(
    private readonly scene: Phaser.Scene,
    rect: Rect,
    private readonly callerName: string,
    private readonly language: Language,
    private readonly frame: Frame,
    private readonly captionScale: number,
    smooth: () => boolean,
  ) {
    this.panel = scene.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panelSunken, 0.96).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const inner = TranscriptView.inner(rect);
    this.view = new ScrollView(scene, inner, smooth);
    this.width = inner.width - space.m * 2;
    this.height = space.s;
  }

  private static inner(rect: Rect): Rect {
    return { x: rect.x + space.s, y: rect.y + space.s, width: rect.width - space.s * 2, height: rect.height - space.s * 2 };
  }

  /** Resizes the panel (the options took or gave back room) and keeps the newest line in view. */
  setRect(rect: Rect): void {
    this.panel.setPosition(rect.x, rect.y).setSize(rect.width, rect.height);
    this.view.setRect(TranscriptView.inner(rect));
    this.view.scrollToEnd(false);
  }

  /** Adds the items not drawn yet, in order, and keeps the newest in view. */
  update(items: readonly TranscriptItem[]): TranscriptItem[] {
    const added: TranscriptItem[] = [];
    for (const item of items) {
      if (this.shown.has(item.key)) continue;
      this.shown.add(item.key);
      this.draw(item);
      added.push(item);
    }
    if (added.length > 0) {
      this.view.setContentHeight(this.height + space.s);
      this.view.scrollToEnd();
    }
    return added;
  }

  private draw(item: TranscriptItem): void {
    const scene = this.scene;
    const content = this.view.content;
    const x = space.m;
    const y = this.height;
    const small = this.frame.text('small');
    const caption = Math.round(this.frame.text('body') * this.captionScale);
    if (item.kind === 'note') {
      const text = noteText(this.language, item);
      const label = makeText(scene, this.width / 2 + x, y + space.xs, text, { size: small, colour: item.note === 'silence' || item.note === 'mood-limit' || item.note === 'answered-late' ? 'warn' : 'textFaint', width: this.width, align: 'center' }).setOrigin(0.5, 0);
      content.add(label);
      this.height = label.y + label.height + space.s;
      return;
    }
    if (item.kind === 'caller' && item.narration) {
      // A stage direction: set apart in a quiet box, not voiced, never italic (CJK has no true italic).
      const label = makeText(scene, x + space.m, y + space.s, pick(item.text, this.language), { size: small, colour: 'textMuted', width: this.width - space.m * 2 });
      const box = scene.add.rectangle(x, y, this.width, label.height + space.m, colour.panel, 0.9).setOrigin(0).setRounded(radius.s).setStrokeStyle(1, colour.line);
      content.add([box, label]);
      this.height = y + label.height + space.m + space.s;
      return;
    }
    const isCaller = item.kind === 'caller';
    const who = isCaller ? this.callerName : item.choiceKind === 'say' ? t(this.language, 'call.you') : `${t(this.language, 'call.you')} · ${kindLabel(this.language, item.choiceKind)}`;
    const name = makeText(scene, x + space.m, y + space.xs, who, { size: small, bold: true, colour: isCaller ? 'caller' : 'accent' });
    const text = makeText(scene, x + space.m, name.y + name.height + 2, pick(item.text, this.language), { size: caption, width: this.width - space.m * 2, colour: 'text' });
    const barHeight = text.y + text.height - y;
    const bar = scene.add.rectangle(x, y + space.xs, 4, barHeight, isCaller ? colour.caller : colour.accent).setOrigin(0).setRounded(2);
    content.add([bar, name, text]);
    if (isCaller) {
      // The newest caller line is the live caption: it stands out until the next one.
      this.lastCaller?.setAlpha(0);
      const glow = scene.add.rectangle(x - space.xs, y, this.width + space.s, barHeight + space.s, colour.caller, 0.08).setOrigin(0).setRounded(radius.s);
      content.addAt(glow, 0);
      this.lastCaller = glow;
    }
    this.height = text.y + text.height + space.m;
  }
}

export function noteText(language: Language, item: Extract<TranscriptItem, { kind: 'note' }>): string {
  switch (item.note) {
    case 'answered':
      return t(language, 'call.answered', { n: item.value ?? 1 });
    case 'answered-late':
      return t(language, 'call.answeredLate', { n: item.value ?? 1 });
    case 'silence':
      return t(language, 'call.silence');
    case 'hold':
      return t(language, 'call.hold', { s: item.value ?? 0 });
    case 'mood-limit':
      return t(language, 'call.moodLimit');
    case 'ended':
      return t(language, 'call.ended');
  }
}
