/**
 * Finds text that runs out of its box: wider than its wrap width, or past the edge of the screen
 * or of the scrolled list it sits in. The end-to-end tests ask for it with the longest strings.
 */
import * as Phaser from 'phaser';
import { sheetTexts } from './text-sheet';

export const CLIP_WIDTH = 'clipWidth';

export function overflowingText(scene: Phaser.Scene): string[] {
  const problems: string[] = [];
  const visit = (object: Phaser.GameObjects.GameObject, clipWidth: number, offsetX: number) => {
    if (object instanceof Phaser.GameObjects.Container) {
      const clip = object.getData(CLIP_WIDTH) as number | undefined;
      for (const child of object.list) visit(child, clip ?? clipWidth, clip !== undefined ? 0 : offsetX + object.x);
      return;
    }
    if (!(object instanceof Phaser.GameObjects.Text) || !object.visible || object.text === '') return;
    const label = JSON.stringify(object.text.slice(0, 40));
    const wrap = object.style.wordWrapWidth;
    if (wrap && object.width > wrap + (object.padding.left ?? 0) + (object.padding.right ?? 0) + 2) problems.push(`${label} is ${Math.round(object.width)} px wide, wrap width ${wrap}`);
    const left = offsetX + object.x - object.displayWidth * object.originX;
    const right = left + object.displayWidth;
    if (left < -1 || right > clipWidth + 1) problems.push(`${label} spans ${Math.round(left)}–${Math.round(right)} px, outside 0–${Math.round(clipWidth)}`);
  };
  for (const object of scene.children.list) visit(object, scene.scale.width, 0);
  // Texts painted on a sheet (text-sheet.ts): the same checks against the screen's edges.
  for (const text of sheetTexts(scene)) {
    if (!text.visible || text.text === '') continue;
    const label = JSON.stringify(text.text.slice(0, 40));
    if (text.wrapWidth !== undefined && text.width > text.wrapWidth + 2) problems.push(`${label} is ${Math.round(text.width)} px wide, wrap width ${text.wrapWidth}`);
    if (text.left < -1 || text.left + text.width > scene.scale.width + 1) problems.push(`${label} spans ${Math.round(text.left)}–${Math.round(text.left + text.width)} px, outside 0–${Math.round(scene.scale.width)}`);
  }
  return problems;
}

/**
 * Pairs of visible texts on the scene whose boxes cross (one printed over the other), as
 * "a" × "b". The end-to-end tests ask for it on the menu at every screen size.
 */
export function overlappingText(scene: Phaser.Scene): string[] {
  const boxes: { label: string; box: Phaser.Geom.Rectangle }[] = [];
  const visit = (object: Phaser.GameObjects.GameObject) => {
    if (object instanceof Phaser.GameObjects.Container) {
      if (object.visible) for (const child of object.list) visit(child);
      return;
    }
    if (!(object instanceof Phaser.GameObjects.Text) || !object.visible || object.text.trim() === '' || object.alpha === 0) return;
    boxes.push({ label: JSON.stringify(object.text.slice(0, 40)), box: object.getBounds() });
  };
  for (const object of scene.children.list) visit(object);
  for (const text of sheetTexts(scene)) {
    if (text.visible && text.text.trim() !== '' && text.alpha > 0) boxes.push({ label: JSON.stringify(text.text.slice(0, 40)), box: text.getBounds() });
  }
  const problems: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      // Glyph boxes carry a little padding; a crossing of a pixel or two is not text over text.
      if (w > 2 && h > 2) problems.push(`${a.label} × ${b.label}`);
    }
  }
  return problems;
}
