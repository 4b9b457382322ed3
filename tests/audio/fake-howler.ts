/**
 * A fake Howler for the audio module's unit tests: it records what was played, at what volume,
 * faded, stopped, and lets a test end sounds, finish loads and complete fades when it chooses.
 */
import type { HowlEvent, HowlLike, HowlOptionsLike, HowlerModule } from '../../src/audio/backend';

type Listener = { event: HowlEvent; callback: (id: number) => void; id?: number };

export interface Played {
  id: number;
  sprite: string;
  volume: number;
  stopped: boolean;
  ended: boolean;
  fades: [from: number, to: number, ms: number][];
}

export class FakeHowler {
  readonly howls: FakeHowl[] = [];
  volumeCalls: number[] = [];
  muteCalls: boolean[] = [];
  /** Whether new Howls finish loading at once, or wait for `finishLoad()`. */
  loadAtOnce = true;
  private counter = 1000;

  nextId(): number {
    return ++this.counter;
  }

  module(): HowlerModule {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    class Howl extends FakeHowl {
      constructor(options: HowlOptionsLike) {
        super(options, fake);
        fake.howls.push(this);
      }
    }
    return {
      Howl,
      Howler: {
        volume: (volume: number) => fake.volumeCalls.push(volume),
        mute: (muted: boolean) => fake.muteCalls.push(muted),
      },
    };
  }

  /** The Howl made for a file (by the end of its URL). */
  howl(urlEnd: string): FakeHowl {
    const howl = this.howls.find((h) => h.options.src.some((s) => s.endsWith(urlEnd)));
    if (!howl) throw new Error(`no Howl for ${urlEnd}; made: ${this.howls.map((h) => h.options.src.join()).join(', ')}`);
    return howl;
  }
}

export class FakeHowl implements HowlLike {
  readonly played: Played[] = [];
  private listeners: Listener[] = [];
  private loadState: 'unloaded' | 'loading' | 'loaded';

  constructor(
    readonly options: HowlOptionsLike,
    private readonly fake: FakeHowler,
  ) {
    this.loadState = fake.loadAtOnce ? 'loaded' : 'loading';
  }

  finishLoad(): void {
    this.loadState = 'loaded';
    this.emit('load', 0);
  }

  play(sprite?: string | number): number {
    if (typeof sprite !== 'string' || !this.options.sprite?.[sprite]) throw new Error(`no sprite ${String(sprite)}`);
    const id = this.fake.nextId();
    this.played.push({ id, sprite, volume: this.options.volume ?? 1, stopped: false, ended: false, fades: [] });
    return id;
  }

  sound(id: number): Played {
    const played = this.played.find((p) => p.id === id);
    if (!played) throw new Error(`no sound ${id}`);
    return played;
  }

  /** The sounds of a sprite, oldest first. */
  plays(sprite: string): Played[] {
    return this.played.filter((p) => p.sprite === sprite);
  }

  playing(id?: number): boolean {
    return this.played.some((p) => (id === undefined || p.id === id) && !p.stopped && !p.ended);
  }

  stop(id?: number): this {
    for (const p of this.played) if (id === undefined || p.id === id) p.stopped = true;
    return this;
  }

  /** The sound reaches its end, as Howler reports it. */
  end(id: number): void {
    this.sound(id).ended = true;
    this.emit('end', id);
  }

  fade(from: number, to: number, duration: number, id?: number): this {
    const targets = id === undefined ? this.played : [this.sound(id)];
    for (const p of targets) {
      p.fades.push([from, to, duration]);
      p.volume = to;
    }
    return this;
  }

  /** Every fade so far completes (Howler reports each with a `fade` event). */
  completeFades(): void {
    for (const p of this.played) if (p.fades.length > 0) this.emit('fade', p.id);
  }

  volume(volume: number, id: number): this {
    this.sound(id).volume = volume;
    return this;
  }

  rate(): this {
    return this;
  }

  loop(): this {
    return this;
  }

  state(): 'unloaded' | 'loading' | 'loaded' {
    return this.loadState;
  }

  once(event: HowlEvent, callback: (id: number) => void, id?: number): this {
    this.listeners.push({ event, callback, ...(id === undefined ? {} : { id }) });
    return this;
  }

  off(event: HowlEvent, callback?: (id: number) => void): this {
    this.listeners = this.listeners.filter((l) => l.event !== event || (callback !== undefined && l.callback !== callback));
    return this;
  }

  private emit(event: HowlEvent, id: number): void {
    const due = this.listeners.filter((l) => l.event === event && (l.id === undefined || l.id === id || event === 'load'));
    this.listeners = this.listeners.filter((l) => !due.includes(l));
    for (const l of due) l.callback(id);
  }

  unload(): null {
    this.loadState = 'unloaded';
    return null;
  }
}
