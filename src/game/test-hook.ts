/**
 * A small read-only window onto the desk for the end-to-end tests: which scene is up, the call's
 * state, the result the debrief drew, and where the named buttons are on screen (so a test can tap
 * them as a finger would); what the game has at a point of the screen (what a click there reaches,
 * what is drawn on top). While a call is up, `drive` starts a call at any decision, so a layout
 * test can visit every decision without playing every call; such a call is never saved; `look`
 * lays out any decision's options on the desk that is up, without a new call.
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
  /** A cmi5 launch's state (src/game/net/cmi5.ts); null on the usual start. */
  cmi5: unknown;
  /** Named targets in CSS pixels of the page. */
  targets(): Record<string, Box>;
  /** Text on the current scene that runs out of its box (should always be empty). */
  overflow(): string[];
  /** Texts on the current scene printed over one another. */
  overlaps(): string[];
  /** What is at this point of the page (CSS pixels): see `PointReport`. */
  pick(x: number, y: number): PointReport | null;
  drive: Driver | null;
}

export interface PointReport {
  /** The owner of the topmost interactive object a click here reaches, such as `choice:greet`. */
  interactive: string | null;
  /** The owner of the topmost object drawn here. */
  drawn: string | null;
}

export interface DriveOptions {
  scenarioId: string;
  /**
   * A decision node to start at; the call rings, is answered and the caller's lines are skipped to
   * its options. Without it (and without `offer`) a whole call from the start, saved and debriefed.
   */
  startAt?: string;
  language: 'zh-CN' | 'en';
  /** Offer exactly these choices of the node, whatever their conditions; each then ends the call. */
  offer?: readonly string[];
  seed?: string;
  mode?: 'practice' | 'assessment';
  /** Resolve while the phone rings: the test answers and plays by itself. */
  ringing?: boolean;
}

export interface Driver {
  /** Resolves once the options of `startAt` wait for the reply. */
  startCall(options: DriveOptions): Promise<void>;
  /**
   * Lays out the options `offer` of decision `startAt` on the desk that is up (same language), as a
   * call lays out each new decision, without a new call; resolves after the next frame. Takes no
   * click: the call under the desk is stopped.
   */
  look(options: DriveOptions & { startAt: string; offer: readonly string[] }): Promise<void>;
}

const targets = new Map<string, () => Box | null>();
let toPage: (box: Box) => Box = (box) => box;

let overflow: () => string[] = () => [];
let overlaps: () => string[] = () => [];
let picker: ((x: number, y: number) => PointReport) | null = null;

const hook: Hook = {
  scene: null,
  overflow: () => overflow(),
  overlaps: () => overlaps(),
  call: () => null,
  menu: null,
  debrief: null,
  offline: null,
  cmi5: null,
  drive: null,
  pick: (x, y) => {
    if (!picker) return null;
    // toPage is a scale and an offset: read both off the unit box.
    const unit = toPage({ x: 0, y: 0, width: 1, height: 1 });
    return picker((x - unit.x) / unit.width, (y - unit.y) / unit.height);
  },
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
  picker = null;
}

/** The scene on screen answers what is at a point, in game pixels. */
export function setHookPicker(read: ((x: number, y: number) => PointReport) | null): void {
  picker = read;
}

export function setHookDriver(driver: Driver | null): void {
  hook.drive = driver;
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

export function setHookCmi5(state: unknown): void {
  hook.cmi5 = state;
}

export function setHookDebrief(result: unknown): void {
  hook.debrief = result;
}

/** Names an on-screen target, in game coordinates; `read` returns null while it is hidden. */
export function setTarget(name: string, read: (() => Box | null) | null): void {
  if (read) targets.set(name, read);
  else targets.delete(name);
}
