/**
 * Plays a scenario in the real call desk on the preview page: the same Phaser Call scene the
 * trainee gets, over the page, started at any node, handing the finished call back instead of
 * showing the debrief. Nothing is saved as a trainee's attempt.
 */
import * as Phaser from 'phaser';
import type { Language, Scenario } from '../engine/index';
import { PACK_SECTION, packSection } from '../game/assets';
import { Call, type CallData, type FinishedCall } from '../game/scenes/call';
import { SCENE } from '../game/scenes/keys';
import { createServices, services } from '../game/services';
import { colour } from '../game/theme';
import { installHook, setHookScene } from '../game/test-hook';
import { gameSize, orientationFor } from '../game/ui/layout';
import type { FinishedPlay } from './main';

const LOADER = 'PreviewLoader';

/** Loads the desk's art, then opens the call with the data it was given. */
class PreviewLoader extends Phaser.Scene {
  private callData: CallData | null = null;

  constructor() {
    super(LOADER);
  }

  init(data: CallData): void {
    this.callData = data;
  }

  preload(): void {
    this.cameras.main.setBackgroundColor(colour.backdrop);
    this.load.pack(PACK_SECTION.desk, packSection(PACK_SECTION.desk));
  }

  create(): void {
    if (this.callData) this.scene.start(SCENE.call, this.callData);
  }
}

export interface PlayOptions {
  startAt: string;
  language: Language;
}

let servicesReady = false;

async function play(scenario: Scenario, source: string, options: PlayOptions): Promise<Omit<FinishedPlay, 'startAt'> | null> {
  const overlay = document.getElementById('desk-overlay') as HTMLElement;
  if (!servicesReady) {
    createServices(document.getElementById('live'));
    servicesReady = true;
  }
  services().settings.update({ language: options.language });
  const kit = await import('../game/call/kit');
  overlay.hidden = false;
  const host = document.createElement('div');
  host.className = 'desk-host';
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'close-desk';
  close.textContent = 'Close the call';
  overlay.replaceChildren(host, close);
  const size = gameSize(orientationFor(window.innerWidth, window.innerHeight));
  return new Promise((resolve) => {
    let game: Phaser.Game | null = null;
    const end = (finished: FinishedCall | null) => {
      game?.destroy(true);
      game = null;
      overlay.hidden = true;
      overlay.replaceChildren();
      if (!finished) return resolve(null);
      resolve({ steps: finished.steps, result: finished.scored.result, transcript: finished.transcript });
    };
    close.addEventListener('click', () => end(null));
    const data: CallData = { kit, scenario, scenarioSource: source, entryId: scenario.id, startAt: options.startAt, language: options.language, onFinished: end };
    game = new Phaser.Game({
      type: Phaser.AUTO,
      parent: host,
      backgroundColor: colour.backdrop,
      scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH, width: size.width, height: size.height },
      render: { antialias: true, roundPixels: false },
      banner: false,
      audio: { noAudio: true },
      scene: [],
    });
    const running = game;
    // Keys go to the desk, not to the page's button that opened it.
    running.canvas.tabIndex = 0;
    running.events.once(Phaser.Core.Events.READY, () => running.canvas.focus({ preventScroll: true }));
    // The same read-only test hook as the trainee's page, so the desk's end-to-end helpers work here.
    installHook(window as unknown as Record<string, unknown>, (box) => {
      const canvas = running.canvas.getBoundingClientRect();
      const sx = canvas.width / running.scale.width;
      const sy = canvas.height / running.scale.height;
      return { x: canvas.left + box.x * sx, y: canvas.top + box.y * sy, width: box.width * sx, height: box.height * sy };
    });
    running.events.on(Phaser.Core.Events.STEP, () => {
      const active = running.scene.getScenes(true)[0];
      if (active) setHookScene(active.scene.key);
    });
    game.scene.add(LOADER, PreviewLoader, false);
    game.scene.add(SCENE.call, Call, false);
    game.scene.start(LOADER, data);
  });
}

export const playHost = { play };
