/** The standard flow (接听 → 询问 → 致歉/理解 → 处理依据 → 其他问题 → 致谢 → 再见), lighting up as it is done. */
import * as Phaser from 'phaser';
import type { FlowStep } from '../../engine/format/schema';
import { stepLabel, t, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import type { Frame } from './layout';
import type { Rect } from './scroll-view';
import { makeText } from './text';

export const FLOW: readonly FlowStep[] = ['greet', 'ask', 'apologise', 'basis', 'anything-else', 'thanks', 'goodbye'];

interface Row {
  step: FlowStep;
  dot: Phaser.GameObjects.Arc;
  tick: Phaser.GameObjects.Text;
  label: Phaser.GameObjects.Text;
  done: boolean;
}

export class FlowChecklist {
  private readonly rows: Row[] = [];
  private readonly parts: Phaser.GameObjects.GameObject[] = [];

  constructor(
    private readonly scene: Phaser.Scene,
    rect: Rect,
    language: Language,
    frame: Frame,
    private readonly smooth: () => boolean,
  ) {
    const panel = scene.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panel, 0.96).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const pad = space.m;
    const size = frame.text('small');
    const title = makeText(scene, rect.x + pad, rect.y + pad - 2, t(language, 'call.flow'), { size, bold: true, colour: 'textMuted' });
    this.parts.push(panel, title);
    const top = title.y + title.height + space.xs;
    const chips = rect.width > rect.height * 2.2;
    const bottom = rect.y + rect.height - pad;
    const rowHeight = chips ? size * 1.75 : Math.min(size * 1.9, (bottom - top) / FLOW.length);
    let x = rect.x + pad;
    let y = top;
    FLOW.forEach((step, i) => {
      const label = makeText(scene, 0, 0, `${i + 1}. ${stepLabel(language, step)}`, { size, colour: 'textFaint', width: rect.width - pad * 2 - 36, maxLines: 1 });
      const chipWidth = 32 + label.width + space.l;
      // Chips flow along the row and wrap; a column simply stacks.
      if (chips && x + chipWidth > rect.x + rect.width - pad && x > rect.x + pad) {
        x = rect.x + pad;
        y += rowHeight;
      }
      const cy = y + rowHeight / 2;
      const dot = scene.add.circle(x + 12, cy, 11, colour.panelSunken).setStrokeStyle(2, colour.line);
      const tick = makeText(scene, x + 12, cy, '✓', { size: size - 2, bold: true, colour: 'backdrop' }).setOrigin(0.5).setVisible(false);
      label.setPosition(x + 32, cy).setOrigin(0, 0.5);
      this.rows.push({ step, dot, tick, label, done: false });
      this.parts.push(dot, tick, label);
      if (chips) x += chipWidth;
      else y += rowHeight;
    });
  }

  /** A phone folds the checklist away while a long decision needs its room. */
  setVisible(on: boolean): void {
    for (const part of this.parts) (part as unknown as Phaser.GameObjects.Components.Visible).setVisible(on);
    for (const row of this.rows) row.tick.setVisible(on && row.done);
  }

  update(done: readonly FlowStep[]): void {
    for (const row of this.rows) {
      const isDone = done.includes(row.step);
      if (isDone === row.done) continue;
      row.done = isDone;
      row.dot.setFillStyle(isDone ? colour.good : colour.panelSunken).setStrokeStyle(2, isDone ? colour.good : colour.line);
      row.tick.setVisible(isDone && row.label.visible);
      row.label.setColor(isDone ? '#eef3fa' : '#7d8fa8');
      if (isDone && this.smooth()) this.scene.tweens.add({ targets: row.dot, scale: { from: 1.5, to: 1 }, duration: 300, ease: 'Back.easeOut' });
    }
  }
}
