/**
 * A small read-only window onto the desk for the end-to-end tests: which scene is up, the call's
 * state, the result the debrief drew, and where the named buttons are on screen (so a test can tap
 * them as a finger would). It exposes no way to change the game.
 */
type Reader = () => unknown;
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Hook {
  scene: string | null;
  call(): unknown;
  menu: unknown;
  debrief: unknown;
  /** The service worker's state (src/game/offline.ts). */
  offline: unknown;
  /** Named targets in CSS pixels of the page. */
  targets(): Record<string, Box>;
  /** Text on the current scene that runs out of its box (should always be empty). */
  overflow(): string[];
  /** Texts on the current scene printed over one another. */
  overlaps(): string[];
}

const targets = new Map<string, () => Box | null>();
let toPage: (box: Box) => Box = (box) => box;

let overflow: () => string[] = () => [];
let overlaps: () => string[] = () => [];

const hook: Hook = {
  scene: null,
  overflow: () => overflow(),
  overlaps: () => overlaps(),
  call: () => null,
  menu: null,
  debrief: null,
  offline: null,
  targets: () => {
    const out: Record<string, Box> = {};
    for (const [name, read] of targets) {
      const box = read();
      if (box) out[name] = toPage(box);
    }
    return out;
  },
};

export function installHook(target: Record<string, unknown>, gameToPage: (box: Box) => Box, findOverflow: () => string[] = () => [], findOverlaps: () => string[] = () => []): void {
  toPage = gameToPage;
  overflow = findOverflow;
  overlaps = findOverlaps;
  target.__holdTheLine = hook;
}

export function setHookScene(key: string): void {
  hook.scene = key;
}

/** A scene forgets the targets of the one before it when it draws itself. */
export function clearTargets(): void {
  targets.clear();
}

export function setHookCall(reader: Reader | null): void {
  hook.call = reader ?? (() => null);
}

export function setHookMenu(menu: unknown): void {
  hook.menu = menu;
}

export function setHookOffline(status: unknown): void {
  hook.offline = status;
}

export function setHookDebrief(result: unknown): void {
  hook.debrief = result;
}

/** Names an on-screen target, in game coordinates; `read` returns null while it is hidden. */
export function setTarget(name: string, read: (() => Box | null) | null): void {
  if (read) targets.set(name, read);
  else targets.delete(name);
}
