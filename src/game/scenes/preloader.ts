/**
 * Preloader: loads the art in the background while the trainee reads the menu. The menu is drawn at
 * once, without waiting for any picture (a card shows its portrait when the portrait arrives); this
 * scene, added and started by `loadArt()` once the menu is on screen and never shown, loads the
 * menu's art and then the desk's, so the first call starts without a wait. The menu waits for
 * `artLoaded()` before it starts a call, so no two loaders ever fetch the same texture.
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

let added = false;

/**
 * Starts loading the art unless it is loading or loaded. The scene joins the game only now: made
 * at the game's start it would cost the menu's first frame its set-up, for a scene that draws nothing.
 */
export function loadArt(game: Phaser.Game): void {
  if (sectionLoaded(game.textures, PACK_SECTION.menu) && sectionLoaded(game.textures, PACK_SECTION.desk)) {
    settle();
    return;
  }
  if (!added) {
    added = true;
    game.scene.add(SCENE.preloader, Preloader, true);
  } else if (game.scene.getScene(SCENE.preloader) && !game.scene.isActive(SCENE.preloader)) {
    // A file that failed last time is asked for again (a menu drawn anew calls this).
    game.scene.start(SCENE.preloader);
  }
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
