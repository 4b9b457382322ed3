/** Preloader: loads the menu's art from the asset pack with a progress bar, then opens the menu. */
import * as Phaser from 'phaser';
import { PACK_SECTION, packSection } from '../assets';
import { t } from '../i18n';
import { services } from '../services';
import { colour, radius } from '../theme';
import { frameOf } from '../ui/layout';
import { makeText } from '../ui/text';
import { SCENE } from './keys';
import { setHookScene } from '../test-hook';

export class Preloader extends Phaser.Scene {
  constructor() {
    super(SCENE.preloader);
  }

  preload(): void {
    // A loading scene is not yet "running", so the game loop would not report it.
    setHookScene(SCENE.preloader);
    const { width, height } = this.scale;
    const frame = frameOf(width, height);
    const language = services().settings.value.language;
    this.cameras.main.setBackgroundColor(colour.backdrop);
    const barWidth = Math.min(520, width - 96);
    const x = (width - barWidth) / 2;
    const y = height / 2;
    makeText(this, width / 2, y - 72, t(language, 'app.title'), { size: frame.text('title'), bold: true }).setOrigin(0.5);
    const label = makeText(this, width / 2, y + 40, t(language, 'boot.loading', { percent: 0 }), { size: frame.text('small'), colour: 'textMuted' }).setOrigin(0.5, 0);
    const track = this.add.graphics();
    track.fillStyle(colour.panelRaised, 1).fillRoundedRect(x, y, barWidth, 14, radius.s);
    const bar = this.add.graphics();

    this.load.on(Phaser.Loader.Events.PROGRESS, (value: number) => {
      bar.clear();
      bar.fillStyle(colour.accent, 1).fillRoundedRect(x, y, Math.max(14, barWidth * value), 14, radius.s);
      label.setText(t(language, 'boot.loading', { percent: Math.round(value * 100) }));
    });
    this.load.pack(PACK_SECTION.menu, packSection(PACK_SECTION.menu));
  }

  create(): void {
    this.scene.start(SCENE.menu);
  }
}
