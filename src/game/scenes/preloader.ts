/**
 * Preloader: loads the art in the background while the trainee reads the menu. The menu is drawn at
 * once, without waiting for any picture (a card shows its portrait when the portrait arrives); this
 * scene, launched by the menu and never shown, loads the menu's art and then the desk's, so the first
 * call starts without a wait. The menu waits for `artLoaded()` before it starts a call, so no two
 * loaders ever fetch the same texture.
 */
import * as Phaser from 'phaser';
import { PACK_SECTION, packSection, sectionLoaded } from '../assets';
import { SCENE } from './keys';

let settle: () => void = () => undefined;
const loaded = new Promise<void>((done) => {
  settle = done;
});

/** Resolves when the menu's and the desk's art are in the texture manager (or failed to load). */
export function artLoaded(): Promise<void> {
  return loaded;
}

export class Preloader extends Phaser.Scene {
  constructor() {
    super({ key: SCENE.preloader, active: false });
  }

  create(): void {
    const sections = [PACK_SECTION.menu, PACK_SECTION.desk].filter((section) => !sectionLoaded(this.textures, section));
    if (sections.length === 0) {
      settle();
      this.scene.stop();
      return;
    }
    // The menu's art first: the loader takes files in the order they were added.
    for (const section of sections) this.load.pack(section, packSection(section));
    this.load.once(Phaser.Loader.Events.COMPLETE, () => {
      settle();
      this.scene.stop();
    });
    this.load.start();
  }
}
