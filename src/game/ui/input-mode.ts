/**
 * Whether the trainee works by touch: then the desk shows touch hints ("Tap a caller"), not keys.
 * It starts from the device (a coarse pointer and no fine one, such as a phone or a tablet) and
 * follows what the trainee last did: a finger on the screen means touch, a key or a mouse means not.
 */
let touch: boolean | null = null;
let watching = false;

function fromDevice(): boolean {
  if (typeof window === 'undefined') return false;
  const media = (query: string) => window.matchMedia?.(query).matches ?? false;
  if (media('(pointer: coarse)') && !media('(any-pointer: fine)')) return true;
  return (navigator.maxTouchPoints ?? 0) > 0 && !media('(any-pointer: fine)');
}

function watch(): void {
  if (watching || typeof window === 'undefined') return;
  watching = true;
  window.addEventListener('pointerdown', (event) => {
    touch = event.pointerType === 'touch' || event.pointerType === 'pen';
  }, { capture: true, passive: true });
  window.addEventListener('keydown', (event) => {
    // Tab and arrows mean a keyboard; a soft keyboard typing into a form does not change the hints.
    if (event.key === 'Tab' || event.key.startsWith('Arrow') || event.key === 'Enter') touch = false;
  }, { capture: true, passive: true });
}

export function touchFirst(): boolean {
  watch();
  if (touch === null) touch = fromDevice();
  return touch;
}
