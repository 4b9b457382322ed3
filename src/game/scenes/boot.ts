/** Boot: the first scene. Sets the room's colour and hands over to the Preloader at once. */
import * as Phaser from 'phaser';
import { colour } from '../theme';
import { SCENE } from './keys';

export class Boot extends Phaser.Scene {
  constructor() {
    super(SCENE.boot);
  }

  create(): void {
    this.cameras.main.setBackgroundColor(colour.backdrop);
    this.scene.start(SCENE.preloader);
  }
}
