/**
 * The aria-live mirror of the call: a DOM log outside the canvas that a screen reader follows.
 * Text only ever goes in through textContent.
 */
const MAX_ENTRIES = 30;

export class LiveRegion {
  constructor(private readonly element: HTMLElement | null) {}

  /** Adds one message to the log, dropping the oldest beyond the limit. */
  say(text: string): void {
    const element = this.element;
    if (!element || !text) return;
    const entry = element.ownerDocument.createElement('p');
    entry.textContent = text;
    element.append(entry);
    while (element.childElementCount > MAX_ENTRIES) element.firstElementChild?.remove();
  }

  /** Empties the log between scenes, so a reader does not repeat the last call. */
  clear(): void {
    this.element?.replaceChildren();
  }

  get text(): string {
    return this.element?.textContent ?? '';
  }
}
