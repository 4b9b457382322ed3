/**
 * Draws a frame only when it would show something new. Phaser draws every scene at every browser
 * frame, sixty times a second, even when the menu or the debrief stands still: on a laptop on
 * battery, and in a browser without a GPU (software WebGL, where a desk frame costs a tenth of a
 * second of a core), that is all cost and no picture.
 *
 * The game steps exactly as before at every frame: timers, tweens, the call's clock and the input
 * (which Phaser handles in the pre-render event) all run, and the game's pre- and post-render events
 * still fire once per step. Only the drawing waits: after the step, what would be drawn is read off
 * the scenes (each scene, camera and display object's drawn state: place, size, scale, angle,
 * alpha, tint, texture frame, shape, graphics commands, text) and compared with what the last frame
 * drew; the same list draws nothing (the canvas keeps showing its last frame). A text repainting its
 * texture, a texture added or removed, or a resize always draws. And a frame a second is drawn
 * regardless, so that a change of a kind this list does not know (a library update) is late by at
 * most a second, never lost.
 */
import * as Phaser from 'phaser';

/** Frames drawn and frames skipped since the game started (the test hook reads them). */
export interface FrameCounts {
  drawn: number;
  skipped: number;
}

const REFRESH_MS = 1000;

type Value = unknown;

/** What the canvas would show, as a flat list of values (compared value by value: no hash to collide). */
class Picture {
  values: Value[] = [];
  private ids = new WeakMap<object, number>();
  private nextId = 1;

  /** A number per object for as long as it lives, so that one object replaced by another is a change. */
  id(object: object): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(object, id);
    }
    return id;
  }

  push(...values: Value[]): void {
    for (const value of values) this.values.push(value);
  }

  pushNumbers(list: ArrayLike<unknown> | undefined): void {
    if (!list) return this.push(-1);
    this.push(list.length);
    for (let i = 0; i < list.length; i++) this.values.push(list[i] as Value);
  }
}

type Loose = Record<string, unknown>;

function describeObject(picture: Picture, object: Phaser.GameObjects.GameObject): void {
  const o = object as unknown as Loose;
  picture.push(picture.id(object), object.type, o.visible, o.renderFlags, o.cameraFilter, o.x, o.y, o.scaleX, o.scaleY, o.rotation, o.depth);
  picture.push(o.alpha, o.alphaTopLeft, o.alphaTopRight, o.alphaBottomLeft, o.alphaBottomRight, o.blendMode, o.scrollFactorX, o.scrollFactorY);
  picture.push(o.width, o.height, o.displayOriginX, o.displayOriginY, o.flipX, o.flipY, o.isCropped, o.mask ? picture.id(o.mask as object) : 0);
  picture.push(o.tintTopLeft, o.tintTopRight, o.tintBottomLeft, o.tintBottomRight, o.tintMode, o.tintFill);
  const frame = o.frame as Phaser.Textures.Frame | undefined;
  if (frame) picture.push(picture.id(frame), frame.texture?.key, frame.name, frame.cutX, frame.cutY, frame.cutWidth, frame.cutHeight);
  // Shapes (rectangles, circles): their fill, stroke and outline.
  if ('fillColor' in o) {
    picture.push(o.fillColor, o.fillAlpha, o.strokeColor, o.strokeAlpha, o.lineWidth, o.isFilled, o.isStroked, o.radius, o.startAngle, o.endAngle, o.anticlockwise);
    picture.pushNumbers(o.pathData as ArrayLike<unknown> | undefined);
  }
  if (object instanceof Phaser.GameObjects.Text) picture.push(object.text);
  // Graphics keep what they draw as a list of commands and numbers.
  if (object instanceof Phaser.GameObjects.Graphics) picture.pushNumbers(object.commandBuffer as ArrayLike<unknown>);
  if (object instanceof Phaser.GameObjects.Container) {
    picture.push(object.list.length);
    for (const child of object.list) describeObject(picture, child);
    picture.push('/container');
  }
}

function describeCamera(picture: Picture, camera: Phaser.Cameras.Scene2D.Camera): void {
  const background = camera.backgroundColor;
  picture.push(picture.id(camera), camera.visible, camera.x, camera.y, camera.width, camera.height, camera.scrollX, camera.scrollY, camera.zoomX, camera.zoomY);
  picture.push((camera as unknown as Loose).rotation, camera.originX, camera.originY, camera.alpha, camera.transparent, background.color, background.alpha, camera.roundPixels);
  for (const effect of [camera.fadeEffect, camera.flashEffect, camera.shakeEffect] as unknown as Loose[]) {
    if (effect?.isRunning) picture.push(effect.progress, effect.alpha, effect._alpha, (effect._offsetX as number | undefined) ?? 0, (effect._offsetY as number | undefined) ?? 0);
  }
}

export function drawOnlyWhenChanged(game: Phaser.Game): FrameCounts {
  const counts: FrameCounts = { drawn: 0, skipped: 0 };
  let last: Value[] | null = null;
  let lastDrawnAt = -Infinity;
  // Whatever is not in the drawn state: a texture painted anew (a text's) or added or removed.
  let repainted = true;
  const repaint = () => {
    repainted = true;
  };
  const textPrototype = Phaser.GameObjects.Text.prototype as unknown as { updateText(this: Phaser.GameObjects.Text): Phaser.GameObjects.Text };
  const updateText = textPrototype.updateText;
  textPrototype.updateText = function (this: Phaser.GameObjects.Text) {
    repainted = true;
    return updateText.call(this);
  };
  game.events.once(Phaser.Core.Events.READY, () => {
    game.textures.on(Phaser.Textures.Events.ADD, repaint);
    game.textures.on(Phaser.Textures.Events.REMOVE, repaint);
  });
  game.scale.on(Phaser.Scale.Events.RESIZE, repaint);

  const picture = new Picture();
  const describe = (): Value[] => {
    picture.values = [];
    picture.push(game.scale.width, game.scale.height, game.canvas.width, game.canvas.height);
    for (const scene of game.scene.scenes as Phaser.Scene[]) {
      const sys = scene.sys;
      picture.push(sys.settings.key, sys.settings.visible, sys.settings.status);
      if (!sys.settings.visible || sys.settings.status < Phaser.Scenes.LOADING || sys.settings.status >= Phaser.Scenes.SLEEPING) continue;
      for (const camera of sys.cameras.cameras) describeCamera(picture, camera);
      const list = sys.displayList.list;
      picture.push(list.length);
      for (const object of list) describeObject(picture, object);
    }
    return picture.values;
  };
  const same = (a: Value[], b: Value[]): boolean => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
    return true;
  };

  // Game.step as Phaser has it, with the drawing behind the comparison.
  const step = function (this: Phaser.Game, time: number, delta: number): void {
    const internal = game as unknown as { pendingDestroy: boolean; runDestroy(): void; isPaused: boolean };
    if (internal.pendingDestroy) return internal.runDestroy();
    if (internal.isPaused) return;
    const events = game.events;
    events.emit(Phaser.Core.Events.PRE_STEP, time, delta);
    events.emit(Phaser.Core.Events.STEP, time, delta);
    game.scene.update(time, delta);
    events.emit(Phaser.Core.Events.POST_STEP, time, delta);
    const renderer = game.renderer;
    // The input is handled here (Phaser's input manager listens to it), before the picture is read.
    events.emit(Phaser.Core.Events.PRE_RENDER, renderer, time, delta);
    const now = describe();
    if (repainted || !last || !same(now, last) || time - lastDrawnAt >= REFRESH_MS) {
      repainted = false;
      last = now;
      lastDrawnAt = time;
      counts.drawn++;
      renderer.preRender();
      game.scene.render(renderer);
      renderer.postRender();
    } else {
      counts.skipped++;
      (game.scene as unknown as { isProcessing: boolean }).isProcessing = false;
    }
    events.emit(Phaser.Core.Events.POST_RENDER, renderer, time, delta);
  };
  (game as unknown as { step: typeof step }).step = step;
  return counts;
}
