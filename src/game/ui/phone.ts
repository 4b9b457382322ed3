/** The ringing desk phone: ring count, the answer-in-time advice, and the big answer button. */
import * as Phaser from 'phaser';
import { ART } from '../assets';
import { t, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import { Button } from './button';
import type { Frame } from './layout';
import type { Rect } from './scroll-view';
import { touchFirst } from './input-mode';
import { makeText } from './text';

export class RingingPhone {
  readonly answer: Button;
  private readonly parts: Phaser.GameObjects.GameObject[] = [];
  private readonly handset: Phaser.GameObjects.Image;
  private readonly ringText: Phaser.GameObjects.Text;
  private readonly advice: Phaser.GameObjects.Text;
  private readonly pips: Phaser.GameObjects.Graphics;
  private rings = 0;

  constructor(
    private readonly scene: Phaser.Scene,
    private readonly rect: Rect,
    private readonly language: Language,
    frame: Frame,
    private readonly answerWithin: number,
    private readonly giveUpAfter: number,
    private readonly smooth: () => boolean,
    onAnswer: () => void,
  ) {
    const cx = rect.x + rect.width / 2;
    const panel = scene.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panel, 1).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const title = makeText(scene, cx, rect.y + space.xl, t(language, 'call.incoming'), { size: frame.text('title'), bold: true }).setOrigin(0.5, 0);
    // An upright phone has the height to show the handset large; the whole block is centred below.
    const phoneWidth = frame.portrait ? Math.min(460, rect.width * 0.68) : Math.min(300, rect.width * 0.5);
    const phoneY = title.y + title.height + space.l;
    const base = scene.add.image(cx, phoneY + phoneWidth * 0.2, ART.phoneBase).setOrigin(0.5, 0).setDisplaySize(phoneWidth, phoneWidth * (240 / 360));
    this.handset = scene.add.image(cx, phoneY + phoneWidth * 0.2, ART.handset).setOrigin(0.5, 0.4).setDisplaySize(phoneWidth * 0.83, phoneWidth * 0.83 * 0.3);
    const below = base.y + base.displayHeight + space.l;
    this.ringText = makeText(scene, cx, below, '', { size: frame.text('large'), bold: true, colour: 'caller' }).setOrigin(0.5, 0);
    this.pips = scene.add.graphics();
    this.advice = makeText(scene, cx, below + frame.text('large') * 1.5 + space.l, '', { size: frame.text('small'), colour: 'textMuted', width: rect.width - space.xl * 2, align: 'center' }).setOrigin(0.5, 0);
    const buttonWidth = Math.min(frame.portrait ? 480 : 360, rect.width - space.xl * 2);
    const buttonHeight = Math.round(frame.text('large') * (frame.portrait ? 2.8 : 2.4));
    // The advice is one line until the first ring sets it; leave room for two.
    const adviceBottom = this.advice.y + frame.text('small') * 2.8;
    const blockBottom = adviceBottom + space.xl + buttonHeight;
    const shift = Math.max(0, (rect.y + rect.height - blockBottom - (title.y - rect.y)) / 2);
    for (const part of [title, base, this.handset, this.ringText, this.advice]) part.setY(part.y + shift);
    this.answer = new Button(scene, {
      x: cx - buttonWidth / 2,
      y: Math.min(rect.y + rect.height - buttonHeight - space.xl, adviceBottom + shift + space.xl),
      width: buttonWidth,
      height: buttonHeight,
      label: t(language, 'call.answer'),
      ...(touchFirst() ? {} : { hint: t(language, 'call.answerKeys') }),
      size: frame.text('large'),
      variant: 'good',
      onPress: onAnswer,
    });
    this.parts.push(panel, title, base, this.handset, this.ringText, this.pips, this.advice);
    // Over the desk, which waits underneath until the call is answered.
    for (const part of this.parts) (part as unknown as Phaser.GameObjects.Components.Depth).setDepth(20);
    for (const part of [this.answer.background, this.answer.label, this.answer.hint]) part?.setDepth(21);
  }

  setRings(rings: number): void {
    if (rings === this.rings) return;
    this.rings = rings;
    const late = rings > this.answerWithin;
    this.ringText.setText(t(this.language, 'call.ring', { n: rings }));
    this.advice.setText(late ? t(this.language, 'call.ringLate') : t(this.language, 'call.ringAdvice', { limit: this.answerWithin + 1 }));
    this.advice.setColor(late ? '#f0625a' : '#a9b8cc');
    // One pip per ring the caller will wait, filled as they ring.
    const pips = this.pips;
    pips.clear();
    const gap = 22;
    const left = this.rect.x + this.rect.width / 2 - ((this.giveUpAfter - 1) * gap) / 2;
    const y = this.ringText.y + this.ringText.height + space.m;
    for (let i = 1; i <= this.giveUpAfter; i++) {
      const filled = i <= rings;
      pips.fillStyle(filled ? (i > this.answerWithin ? colour.bad : colour.caller) : colour.line, 1);
      pips.fillCircle(left + (i - 1) * gap, y, 6);
    }
    if (this.smooth()) {
      this.scene.tweens.add({ targets: this.handset, angle: { from: -6, to: 6 }, duration: 70, yoyo: true, repeat: 5, onComplete: () => this.handset.setAngle(0) });
    }
  }

  destroy(): void {
    for (const part of this.parts) part.destroy();
    this.answer.destroy();
  }
}
