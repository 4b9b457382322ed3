/**
 * An assignment on the menu (issue 15): the mode (assessment or practice) and the caller on the
 * first line; the due date, the attempts used of those allowed and where the trainee stands (passed,
 * done, not yet, or why it is closed) on the second. Pressed, it starts a server call for it.
 */
import * as Phaser from 'phaser';
import { pick, t, type Language } from '../i18n';
import type { TraineeAssignment } from '../net/assignments';
import { formatDue } from '../net/assignments';
import { colour, radius, space, type PaletteName } from '../theme';
import { isPress } from './button';
import type { Focusable } from './focus';
import type { Frame } from './layout';
import { makeText } from './text';

/** Height of a tile for this frame: two lines of small type and padding. */
export function tileHeight(frame: Frame): number {
  return Math.round(frame.text('small') * 2 * 1.3 + space.s * 3);
}

/** The status line's words and colour. */
export function tileStatus(a: TraineeAssignment, language: Language): { text: string; tone: PaletteName } {
  const parts = [t(language, 'assign.due', { date: formatDue(a.dueAt, language) }), t(language, 'assign.used', { used: a.attemptsUsed, allowed: a.attemptsAllowed })];
  let state: string;
  let tone: PaletteName;
  if (a.passed) [state, tone] = [t(language, 'assign.passed'), 'good'];
  else if (a.closed) [state, tone] = [t(language, `assign.closed.${a.closed}`), 'textFaint'];
  else if (a.done) [state, tone] = [t(language, 'assign.failed'), 'warn'];
  else [state, tone] = [t(language, 'assign.todo'), 'textMuted'];
  return { text: [...parts, state].join(' · '), tone };
}

export class AssignmentTile implements Focusable {
  private readonly parts: Phaser.GameObjects.GameObject[] = [];
  private readonly background: Phaser.GameObjects.Rectangle;
  private isEnabled = true;

  constructor(
    scene: Phaser.Scene,
    private readonly rect: Phaser.Geom.Rectangle,
    readonly assignment: TraineeAssignment,
    language: Language,
    frame: Frame,
    private readonly onPick: () => void,
  ) {
    const { x, y, width, height } = rect;
    const open = assignment.open;
    const assessment = assignment.mode === 'assessment';
    const edge = open ? (assessment ? colour.warn : colour.accent) : colour.line;
    this.background = scene.add.rectangle(x, y, width, height, colour.panel).setOrigin(0).setRounded(radius.m).setStrokeStyle(2, edge);
    this.parts.push(this.background);
    this.background.setInteractive({ useHandCursor: open });
    this.background.on('pointerover', () => this.background.setFillStyle(colour.panelRaised));
    this.background.on('pointerout', () => this.background.setFillStyle(colour.panel));
    this.background.on('pointerup', (pointer: Phaser.Input.Pointer) => {
      if (isPress(pointer) && this.isEnabled) this.onPick();
    });
    const small = frame.text('small');
    const pad = space.m;
    const top = y + space.s;
    const badge = makeText(scene, x + pad, top, t(language, assessment ? 'assign.assessment' : 'assign.practice'), { size: small, bold: true, colour: assessment ? 'backdrop' : 'white' })
      .setPadding(8, 2, 8, 2)
      .setBackgroundColor(assessment ? '#f0b429' : '#1c3d66');
    const titleX = badge.x + badge.width + space.s;
    const title = makeText(scene, titleX, top + 2, pick(assignment.title, language) || assignment.scenarioId, { size: small, bold: true, width: x + width - pad - titleX, maxLines: 1 });
    const status = tileStatus(assignment, language);
    const line = makeText(scene, x + pad, Math.max(badge.y + badge.height, title.y + title.height) + space.xs, status.text, { size: small, colour: status.tone, width: width - pad * 2, maxLines: 1 });
    this.parts.push(badge, title, line);
    if (!open) for (const part of [badge, title]) part.setAlpha(0.6);
  }

  setEnabled(on: boolean): this {
    this.isEnabled = on;
    return this;
  }

  destroy(): void {
    for (const part of this.parts) part.destroy();
  }

  // Focusable
  screenBounds(): Phaser.Geom.Rectangle {
    return new Phaser.Geom.Rectangle(this.rect.x, this.rect.y, this.rect.width, this.rect.height);
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
    if (this.isEnabled) this.onPick();
  }
  setFocused(_focused: boolean): void {
    // The focus manager draws the ring.
  }
}

/** Where the tiles go: `cols` per row, at most `maxRows` rows; the rest are counted, not drawn. */
export function tileLayout(count: number, frame: Frame, left: number, top: number, width: number): { rects: Phaser.Geom.Rectangle[]; hidden: number; bottom: number } {
  // Two across on a wide screen: the status line (due · attempts · standing) fits on one line.
  const cols = frame.portrait ? 1 : 2;
  const maxRows = frame.portrait ? 3 : 2;
  const shown = Math.min(count, cols * maxRows);
  const gap = space.s;
  const w = (width - gap * (cols - 1)) / cols;
  const h = tileHeight(frame);
  const rects: Phaser.Geom.Rectangle[] = [];
  for (let i = 0; i < shown; i++) rects.push(new Phaser.Geom.Rectangle(left + (i % cols) * (w + gap), top + Math.floor(i / cols) * (h + gap), w, h));
  const rows = Math.ceil(shown / cols);
  return { rects, hidden: count - shown, bottom: rows ? top + rows * h + (rows - 1) * gap : top };
}
