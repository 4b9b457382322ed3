/**
 * Whether the trainee's main pointer is a finger: a touch screen shows no keyboard hints ("Esc",
 * "Space", "1–4"), which only puzzle someone with no keyboard.
 */
export function touchFirst(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(pointer: coarse)').matches;
}
