/** The caller as the trainee pictures them: a portrait whose expression follows the mood, and a mood meter. */
import * as Phaser from 'phaser';
import { knownPortrait, portraitTexture, type PortraitMood } from '../assets';
import { t, type Language } from '../i18n';
import { colour, radius, space } from '../theme';
import type { Rect } from './scroll-view';
import type { Frame } from './layout';
import { growBar } from './bar';
import { makeText } from './text';

const BAND_COLOUR: Record<PortraitMood, number> = { calm: colour.good, annoyed: colour.warn, angry: colour.bad };

export class PortraitCard {
  private readonly image: Phaser.GameObjects.Image;
  private readonly meterFill: Phaser.GameObjects.Rectangle;
  private readonly moodText: Phaser.GameObjects.Text;
  private readonly meterWidth: number;
  private band: PortraitMood | null = null;
  private mood = -1;
  private readonly portrait: string;

  constructor(
    private readonly scene: Phaser.Scene,
    rect: Rect,
    portraitKey: string,
    name: string,
    private readonly language: Language,
    frame: Frame,
    private readonly smooth: () => boolean,
  ) {
    this.portrait = knownPortrait(portraitKey);
    scene.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panel, 0.96).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const pad = space.m;
    const horizontal = rect.width > rect.height * 1.6;
    const size = horizontal ? rect.height - pad * 2 : Math.min(rect.width - pad * 2, rect.height - pad * 2 - frame.text('body') * 4.2);
    const px = horizontal ? rect.x + pad : rect.x + (rect.width - size) / 2;
    const py = rect.y + pad;
    this.image = scene.add.image(px, py, portraitTexture(this.portrait, 'calm')).setOrigin(0).setDisplaySize(size, size);
    const infoX = horizontal ? px + size + space.l : rect.x + pad;
    const infoWidth = horizontal ? rect.x + rect.width - pad - infoX : rect.width - pad * 2;
    const nameY = horizontal ? py + space.s : py + size + space.s;
    const nameText = makeText(scene, infoX, nameY, name, { size: frame.text('large'), bold: true, width: infoWidth, maxLines: 1 });
    const labelY = nameText.y + nameText.height + space.s;
    const label = makeText(scene, infoX, labelY, t(language, 'call.mood'), { size: frame.text('small'), colour: 'textMuted' });
    // Beside the label in a narrow card (the landscape desk), at the meter's right end in a wide one.
    const narrow = infoWidth < 240;
    this.moodText = makeText(scene, narrow ? infoX + label.width + space.s : infoX + infoWidth, labelY, '', { size: frame.text('small'), bold: true }).setOrigin(narrow ? 0 : 1, 0);
    const meterY = labelY + frame.text('small') * 1.5 + space.xs;
    this.meterWidth = infoWidth;
    scene.add.rectangle(infoX, meterY, infoWidth, 12, colour.panelSunken).setOrigin(0).setRounded(6);
    this.meterFill = scene.add.rectangle(infoX, meterY, 12, 12, colour.good).setOrigin(0).setRounded(6);
  }

  update(mood: number, moodLimit: number, band: PortraitMood): void {
    if (mood === this.mood && band === this.band) return;
    const rising = this.mood >= 0 && mood > this.mood;
    this.mood = mood;
    const width = Math.max(12, (this.meterWidth * Math.min(mood, moodLimit)) / Math.max(1, moodLimit));
    this.meterFill.setFillStyle(BAND_COLOUR[band]);
    growBar(this.scene, this.meterFill, width, this.smooth());
    this.moodText.setText(t(this.language, `call.mood.${band}`)).setColor(`#${BAND_COLOUR[band].toString(16).padStart(6, '0')}`);
    if (band !== this.band) {
      const key = portraitTexture(this.portrait, band);
      this.image.setTexture(this.scene.textures.exists(key) ? key : portraitTexture(this.portrait, 'calm'));
      const size = this.image.displayWidth;
      this.image.setDisplaySize(size, size);
      this.band = band;
    }
    if (rising && this.smooth()) {
      this.scene.tweens.add({ targets: this.image, x: this.image.x + 4, duration: 50, yoyo: true, repeat: 3 });
    }
  }
}
