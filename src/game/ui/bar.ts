/** A filled bar that grows to a width, animated unless the trainee asked for reduced motion. */
import type * as Phaser from 'phaser';

/** A shape's width must be set through setSize, which redraws its path; a tween moves a proxy. */
export function growBar(scene: Phaser.Scene, bar: Phaser.GameObjects.Rectangle, width: number, animate: boolean, options: { duration?: number; delay?: number } = {}): void {
  scene.tweens.killTweensOf(bar);
  const height = bar.height;
  if (!animate) {
    bar.setSize(width, height);
    return;
  }
  const proxy = { width: bar.width };
  scene.tweens.add({
    targets: proxy,
    width,
    duration: options.duration ?? 350,
    delay: options.delay ?? 0,
    ease: 'Cubic.easeOut',
    onUpdate: () => bar.setSize(proxy.width, height),
  });
}
