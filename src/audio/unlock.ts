/**
 * Waits for the trainee's first gesture. Browsers let audio start only after one; starting it then
 * (and never before) is what keeps the console free of autoplay warnings.
 */

/** Events that count as a user activation in every major browser. */
export const GESTURE_EVENTS = ['pointerdown', 'keydown', 'touchend', 'click'] as const;

/** Calls `start` once, on the first gesture anywhere in the page. Returns a function that cancels. */
export function onFirstGesture(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, start: () => void): () => void {
  let done = false;
  const handler = (): void => {
    if (done) return;
    done = true;
    cancel();
    start();
  };
  const cancel = (): void => {
    for (const type of GESTURE_EVENTS) target.removeEventListener(type, handler, true);
  };
  for (const type of GESTURE_EVENTS) target.addEventListener(type, handler, true);
  return cancel;
}
