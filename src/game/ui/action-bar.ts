/**
 * The desk's action buttons: hold, look-up, SMS, ticket, transfer, escalate, hang up. A button is
 * lit only where the current decision offers that action; pressing it takes the trainee to the
 * option (or options) of that kind in the list, where the full words are, to confirm.
 */
import type { ChoiceKind } from '../../engine/format/schema';
import { ICON } from '../assets';
import { kindLabel, type Language } from '../i18n';
import { space } from '../theme';
import { Button } from './button';
import type { Frame } from './layout';
import type { Rect } from './scroll-view';

export const ACTION_KINDS: readonly Exclude<ChoiceKind, 'say'>[] = ['hold', 'lookup', 'sms', 'ticket', 'transfer', 'escalate', 'hang-up'];

export class ActionBar {
  readonly buttons = new Map<ChoiceKind, Button>();

  constructor(scene: Phaser.Scene, rect: Rect, language: Language, frame: Frame, onPress: (kind: ChoiceKind) => void) {
    // One row when it is wide enough, else two, else a column of pairs.
    const perRow = [ACTION_KINDS.length, 4, 2].find((n) => rect.width / n >= 118) ?? 2;
    const rows = Math.ceil(ACTION_KINDS.length / perRow);
    const gap = space.s;
    const width = (rect.width - gap * (perRow - 1)) / perRow;
    const height = (rect.height - gap * (rows - 1)) / rows;
    ACTION_KINDS.forEach((kind, i) => {
      const button = new Button(scene, {
        x: rect.x + (i % perRow) * (width + gap),
        y: rect.y + Math.floor(i / perRow) * (height + gap),
        width,
        height,
        label: kindLabel(language, kind),
        size: frame.text('small'),
        icon: ICON[kind],
        variant: kind === 'hang-up' ? 'danger' : 'secondary',
        onPress: () => onPress(kind),
      });
      button.setEnabled(false);
      this.buttons.set(kind, button);
    });
  }

  setOffered(kinds: ReadonlySet<ChoiceKind>, enabled: boolean): void {
    for (const [kind, button] of this.buttons) button.setEnabled(enabled && kinds.has(kind));
  }
}
