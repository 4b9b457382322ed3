/**
 * A small read-only window onto the desk for the end-to-end tests: which scene is up, the call's
 * state, and the result the debrief drew. It exposes no way to change the game.
 */
type Reader = () => unknown;

interface Hook {
  scene: string | null;
  call(): unknown;
  debrief: unknown;
}

const hook: Hook = { scene: null, call: () => null, debrief: null };

export function installHook(target: Record<string, unknown>): void {
  target.__holdTheLine = hook;
}

export function setHookScene(key: string): void {
  hook.scene = key;
}

export function setHookCall(reader: Reader | null): void {
  hook.call = reader ?? (() => null);
}

export function setHookDebrief(result: unknown): void {
  hook.debrief = result;
}
