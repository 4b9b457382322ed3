/**
 * What is at a point of the screen, asked of the game itself: the interactive object a click there
 * reaches (Phaser's own hit test, cameras top first, as the input plugin does it) and the object
 * drawn on top there (every camera in render order, each object's bounds). Objects answer with the
 * name of what they belong to (`owner`), so a test can say "the centre of option 3 is option 3".
 */
import * as Phaser from 'phaser';
import type { PointReport } from '../test-hook';

/** The data key naming the widget an object is part of, such as `choice:greet-standard`. */
export const OWNER = 'owner';

export function ownerName(object: Phaser.GameObjects.GameObject): string {
  for (let o: Phaser.GameObjects.GameObject | null = object; o; o = o.parentContainer) {
    const owner = o.getData(OWNER) as string | undefined;
    if (owner) return owner;
  }
  const text = object instanceof Phaser.GameObjects.Text ? ` "${object.text.slice(0, 30)}"` : '';
  return `${object.type}${text}`;
}

type Bounded = Phaser.GameObjects.GameObject & Phaser.GameObjects.Components.GetBounds & Phaser.GameObjects.Components.Visible;

function hasBounds(object: Phaser.GameObjects.GameObject): object is Bounded {
  // Graphics have no bounds: the focus ring and scroll bars, drawn at the edges of what they mark.
  return typeof (object as Partial<Bounded>).getBounds === 'function' && !(object instanceof Phaser.GameObjects.Graphics);
}

function inViewport(camera: Phaser.Cameras.Scene2D.Camera, x: number, y: number): boolean {
  return camera.visible && x >= camera.x && x < camera.x + camera.width && y >= camera.y && y < camera.y + camera.height;
}

/** `x`, `y` in game pixels. */
export function reportAt(scene: Phaser.Scene, x: number, y: number): PointReport {
  const input = scene.input;
  const cameras = scene.cameras.cameras;
  let interactive: string | null = null;
  const pointer = { x, y, worldX: 0, worldY: 0 } as unknown as Phaser.Input.Pointer;
  const candidates = (input as unknown as { _list: Phaser.GameObjects.GameObject[] })._list;
  for (const camera of [...cameras].reverse()) {
    if (!camera.inputEnabled || !inViewport(camera, x, y)) continue;
    const over = input.manager.hitTest(pointer, candidates, camera, []);
    if (over.length === 0) continue;
    // The input plugin sorts by the camera's render list: the last drawn is on top. That list is
    // the order the camera draws in (the display list by depth, a container before its children),
    // worked out here so the answer does not wait for the next frame to be drawn.
    if (over.length > 1) {
      const order = drawOrder(scene, camera);
      const depths = sortedByDepth(scene);
      over.sort((a, b) => (order.get(b) ?? -1) - (order.get(a) ?? -1) || depthOrder(depths, b) - depthOrder(depths, a));
    }
    interactive = ownerName(over[0] as Phaser.GameObjects.GameObject);
    break;
  }

  let drawn: string | null = null;
  for (const camera of cameras) {
    if (!inViewport(camera, x, y)) continue;
    const world = camera.getWorldPoint(x, y);
    const visit = (object: Phaser.GameObjects.GameObject): void => {
      if (!(object as Bounded).visible || !object.willRender(camera)) return;
      if (object instanceof Phaser.GameObjects.Container) {
        for (const child of object.list) visit(child);
        return;
      }
      if (hasBounds(object) && object.getBounds().contains(world.x, world.y)) drawn = ownerName(object);
    };
    for (const object of sortedByDepth(scene)) visit(object);
  }
  return { interactive, drawn };
}

/** The camera's render list as its next frame draws it: each object it will draw, in order. */
function drawOrder(scene: Phaser.Scene, camera: Phaser.Cameras.Scene2D.Camera): Map<Phaser.GameObjects.GameObject, number> {
  const order = new Map<Phaser.GameObjects.GameObject, number>();
  const visit = (object: Phaser.GameObjects.GameObject): void => {
    if (!object.willRender(camera)) return;
    order.set(object, order.size);
    if (object instanceof Phaser.GameObjects.Container) for (const child of object.list) visit(child);
  };
  for (const object of sortedByDepth(scene)) visit(object);
  return order;
}

function sortedByDepth(scene: Phaser.Scene): Phaser.GameObjects.GameObject[] {
  // The display list keeps adding order; rendering sorts it by depth, stably.
  return scene.children.list.map((o, i) => ({ o, i })).sort((a, b) => (a.o as unknown as { depth: number }).depth - (b.o as unknown as { depth: number }).depth || a.i - b.i).map((e) => e.o);
}

function depthOrder(sorted: readonly Phaser.GameObjects.GameObject[], object: Phaser.GameObjects.GameObject): number {
  let top: Phaser.GameObjects.GameObject = object;
  while (top.parentContainer) top = top.parentContainer;
  return sorted.indexOf(top);
}
