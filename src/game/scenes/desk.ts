/**
 * The call desk's scenes, added to the game when the trainee first picks a caller: the menu's
 * start-up chunk then holds neither them nor what they draw on (the engine's call logic and its
 * schema), and the desk comes with the scenario.
 */
import type * as Phaser from 'phaser';
import { Call } from './call';
import { Debrief } from './debrief';
import { SCENE } from './keys';

export function addDeskScenes(game: Phaser.Game): void {
  if (!game.scene.getScene(SCENE.call)) game.scene.add(SCENE.call, Call, false);
  if (!game.scene.getScene(SCENE.debrief)) game.scene.add(SCENE.debrief, Debrief, false);
}
