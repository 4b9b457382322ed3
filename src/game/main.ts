/**
 * The trainee's page: makes the shared services, then the Phaser game. The game is 1280 × 720 on a
 * landscape screen and 720 × 1280 on an upright phone, scaled to fit (Phaser's scale manager, FIT).
 */
import * as Phaser from 'phaser';
import { GAME_EVENT, SCENE } from './scenes/keys';
import { Menu } from './scenes/menu';
import { createServices } from './services';
import { startResults } from './net';
import { mountResultsPanel, type ResultsPanel } from './net/results-panel';
import { createGameAudio } from '../audio';
import { howlerSoundPort } from '../audio/howler-sound-port';
import { setSoundPort, sound } from './sound-port';
import { installHook, setHookScene } from './test-hook';
import { colour } from './theme';
import { beginCmi5 } from './net/cmi5';
import { gameSize, orientationFor, type Orientation } from './ui/layout';
import { overflowingText, overlappingText } from './ui/overflow';
import { drawOnlyWhenChanged } from './ui/frame-gate';

const parent = document.getElementById('game');
const services = createServices(document.getElementById('live'));
// Howler plays the desk, the phone and the caller (src/audio); it starts on the first gesture.
setSoundPort(howlerSoundPort(createGameAudio(), { language: () => services.settings.value.language }));
sound().setVoices(services.settings.value.voices);
sound().setVolume(services.settings.value.volume);
document.documentElement.lang = services.settings.value.language;
// Opened by the company's LMS (cmi5 launch parameters in the address): connect to it now; the menu
// then starts the caller the course names. The cmi5 library is fetched only on such a launch.
beginCmi5(window.location.search, () => services.settings.value.language);

let orientation: Orientation = orientationFor(window.innerWidth, window.innerHeight);
const size = gameSize(orientation, window.innerWidth, window.innerHeight);

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: parent ?? undefined,
  backgroundColor: colour.backdrop,
  scale: {
    mode: Phaser.Scale.FIT,
    autoCenter: Phaser.Scale.CENTER_BOTH,
    width: size.width,
    height: size.height,
  },
  // The desk draws no pixel art; smooth scaling keeps text legible when the canvas is scaled.
  render: { antialias: true, roundPixels: false },
  input: { touch: true, mouse: true, keyboard: true },
  // The menu comes up first; the Preloader (scenes/preloader.ts) joins once the menu is drawn, loads
  // the art behind it and is never shown. The Call and Debrief scenes are added with the first
  // caller picked (scenes/desk.ts), in their own chunk.
  scene: [Menu],
  banner: false,
  // Sound is Howler's: Phaser's own AudioContext would start before any gesture and warn.
  audio: { noAudio: true },
});

// Frames are drawn when something on screen changes, not sixty times a second over a still menu.
const frames = drawOnlyWhenChanged(game);

// Attempts go to IndexedDB and on to the server when it answers (src/game/net), and the page's
// results panel says where they are. Both start behind the menu's first frame, which they would
// otherwise delay (opening the database, building and laying out the panel): the menu's texts
// leave the panel's strip free (results-panel.ts, RESULTS_PANEL_BOX) before it is there, and the
// menu reads the trainee's history after this has put the IndexedDB store in place (setAttemptStore).
let resultsPanel: ResultsPanel | null = null;
game.events.once(GAME_EVENT.menuReady, () => {
  const results = startResults();
  resultsPanel = results ? mountResultsPanel(results, () => services.settings.value.language) : null;
});

// The canvas takes part in the page's Tab order; inside it the desk moves its own focus.
const canvasIntoTabOrder = () => {
  game.canvas.tabIndex = 0;
  game.canvas.setAttribute('aria-label', 'Hold the Line');
};
if (game.canvas) canvasIntoTabOrder();
else game.events.once(Phaser.Core.Events.READY, canvasIntoTabOrder);

// Each scene lays itself out from the game size; when the phone turns, the size flips and the
// scene on screen draws itself again (a call in progress goes on).
window.addEventListener('resize', () => {
  const next = orientationFor(window.innerWidth, window.innerHeight);
  if (next === orientation) return;
  orientation = next;
  const flipped = gameSize(next, window.innerWidth, window.innerHeight);
  game.scale.setGameSize(flipped.width, flipped.height);
  game.events.emit(GAME_EVENT.relayout);
});

/** The scene on screen: the first running one that is not the Preloader (which draws nothing). */
function shownScene(): Phaser.Scene | undefined {
  return game.scene.getScenes(true).find((scene) => scene.scene.key !== SCENE.preloader);
}

game.events.on(Phaser.Core.Events.STEP, () => {
  const active = shownScene();
  if (active) setHookScene(active.scene.key);
  resultsPanel?.setVisible(active?.scene.key === SCENE.menu);
});

installHook(window as unknown as Record<string, unknown>, (box) => {
  const canvas = game.canvas.getBoundingClientRect();
  const sx = canvas.width / game.scale.width;
  const sy = canvas.height / game.scale.height;
  return { x: canvas.left + box.x * sx, y: canvas.top + box.y * sy, width: box.width * sx, height: box.height * sy };
}, () => {
  const active = shownScene();
  return active ? overflowingText(active) : [];
}, () => {
  const active = shownScene();
  return active ? overlappingText(active) : [];
});

// The tests read how many frames were drawn and skipped.
Object.assign((window as unknown as { __holdTheLine: object }).__holdTheLine, { frames });

// Trainers on the dev server: a scenario file saved with a problem is listed over the game.
if (import.meta.env.DEV) void import('../dev/scenario-overlay').then((overlay) => overlay.showScenarioProblems());
