/**
 * The call machine (./machine) driven without an actor: its own transition function, on a
 * simulated clock that runs the timers its actions start. The server's replay of submitted attempts
 * and the CLI's simulation run calls this way; the game runs the same machine in an actor with real
 * timers. Same machine, same snapshots: only who keeps the clock differs.
 *
 * An actor costs a system, a mailbox, a scheduler and inspection on every event; here a step is the
 * machine's macrostep and nothing else. Each run is its own inert actor scope: the machine's
 * actions only touch their context, and the scope only notes the timer they start or cancel. The
 * machine runs at most one timer at a time (the ring, the reply or the hold), so a run keeps one.
 */
import { createActor, createMachine, type ActorScope, type ExecutableActionObject, type SnapshotFrom } from 'xstate';
import { callMachine, callPhase, type CallContext, type CallEvent, type CallInput, type CallPhase } from './machine';

type CallSnapshot = SnapshotFrom<typeof callMachine>;
type Scope = ActorScope<CallSnapshot, CallEvent>;

let inert: { self: Scope['self']; system: Scope['system'] } | null = null;

/** The actor that `self` names in the actions' arguments (which the call machine's actions do not read), and its system. */
function inertActor(): { self: Scope['self']; system: Scope['system'] } {
  if (inert) return inert;
  const self = createActor(createMachine({}));
  inert = { self: self as unknown as Scope['self'], system: self.system as Scope['system'] };
  return inert;
}

function nothing(): void {}

export class CallRun implements Scope {
  // The actor scope the machine's transitions run in (see the file's comment).
  readonly self: Scope['self'];
  readonly system: Scope['system'];
  readonly id = '';
  readonly sessionId = '';
  readonly logger = nothing;
  readonly defer = nothing;
  readonly emit = nothing;
  readonly stopChild = nothing;
  private readonly executor: (action: ExecutableActionObject) => void;

  private snapshot: CallSnapshot;
  private now = 0;
  /** The timer running, if any: `event` is sent once `delay` ms have passed since `start`. */
  private timerId: string | null = null;
  private timerEvent: CallEvent | null = null;
  private timerStart = 0;
  private timerDelay = 0;

  constructor(input: Omit<CallInput, 'now'>) {
    const actor = inertActor();
    this.self = actor.self;
    this.system = actor.system;
    this.executor = this.take.bind(this);
    this.snapshot = callMachine.getInitialSnapshot(this, { scenario: input.scenario, now: this.read.bind(this), ...(input.startAt !== undefined ? { startAt: input.startAt } : {}), ...(input.seed !== undefined ? { seed: input.seed } : {}) });
    this.check();
  }

  /**
   * The scope's action executor is always the run's own (`take`). A transition's microstep sets
   * `actionExecutor` to a wrapper that also collects the actions it executes, for inspection and
   * `machine.microstep`; a run reads only the snapshot, so the setter keeps the run's executor.
   * This is not only less work: the collected lists, each pointing at the action's arguments and
   * so at the context of its step, are what V8 promotes out of the young generation once it has
   * grown to its full size (allocation-site pretenuring), and with them every call they reach
   * (see the README, Performance, Engine).
   */
  get actionExecutor(): (action: ExecutableActionObject) => void {
    return this.executor;
  }

  set actionExecutor(_wrapper: (action: ExecutableActionObject) => void) {}

  get context(): CallContext {
    return this.snapshot.context;
  }

  get done(): boolean {
    return this.snapshot.status !== 'active';
  }

  /** Milliseconds on the simulated clock. */
  get clock(): number {
    return this.now;
  }

  get phase(): CallPhase {
    return callPhase(this.snapshot, this.now - this.snapshot.context.startedAt);
  }

  /** Whether the machine is in this state (`snapshot.matches`). */
  matches(state: Parameters<CallSnapshot['matches']>[0]): boolean {
    return this.snapshot.matches(state);
  }

  /** What the machine does with an event; an event its state does not take changes nothing. */
  send(event: CallEvent): void {
    if (this.snapshot.status !== 'active') return;
    this.snapshot = callMachine.transition(this.snapshot, event, this);
    this.check();
  }

  /**
   * Moves the clock on and fires the timer if it falls due, as XState's SimulatedClock does with
   * one timer: a timer started by the one that fired waits for the next increment, even when due.
   */
  increment(ms: number): void {
    this.now += ms;
    const event = this.timerEvent;
    if (event === null || this.now - this.timerStart < this.timerDelay) return;
    this.timerId = null;
    this.timerEvent = null;
    this.send(event);
  }

  private read(): number {
    return this.now;
  }

  /** The machine's actions as the step resolves them: a delayed raise starts the timer, a cancel stops it. */
  private take(action: ExecutableActionObject): void {
    if (action.type === 'xstate.raise') {
      const { event, id, delay } = action.params as { event: CallEvent; id?: string; delay?: number };
      if (typeof delay !== 'number' || id === undefined) return;
      this.timerId = id;
      this.timerEvent = event;
      this.timerStart = this.now;
      this.timerDelay = delay;
    } else if (action.type === 'xstate.cancel') {
      if ((action.params as { sendId: string }).sendId !== this.timerId) return;
      this.timerId = null;
      this.timerEvent = null;
    }
  }

  /** A step that threw stops the run; a finished call keeps no timer. */
  private check(): void {
    const snapshot = this.snapshot;
    if (snapshot.status === 'active') return;
    if (snapshot.status === 'error') throw snapshot.error instanceof Error ? snapshot.error : new Error(String(snapshot.error));
    this.timerId = null;
    this.timerEvent = null;
  }
}
