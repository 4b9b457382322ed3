/**
 * The call machine (./machine) driven without an actor: its own transition function, on a
 * simulated clock that runs the timers its `after` transitions schedule. The server's replay of
 * submitted attempts and the CLI's simulation run calls this way; the game runs the same machine in
 * an actor with real timers. Same machine, same snapshots: only who keeps the clock differs.
 *
 * An actor costs a system, a mailbox, a scheduler and inspection on every event; here a step is the
 * machine's macrostep and nothing else. The actor scope is inert and shared: the machine's actions
 * only touch their context, and the scope only collects the timers they start and cancel.
 */
import { createActor, createMachine, type ActorScope, type ExecutableActionObject, type SnapshotFrom } from 'xstate';
import { callMachine, callPhase, type CallContext, type CallEvent, type CallInput, type CallPhase } from './machine';

type CallSnapshot = SnapshotFrom<typeof callMachine>;
type Scope = ActorScope<CallSnapshot, CallEvent>;

/** A timer the machine started: the event it sends when `delay` ms have passed since `start`. */
interface Timer {
  id: string;
  event: CallEvent;
  start: number;
  delay: number;
}

let collected: ExecutableActionObject[] = [];
let shared: Scope | null = null;

/** One inert scope for every run: runs are synchronous, so the actions collected belong to the step in progress. */
function scope(): Scope {
  if (shared) return shared;
  // `self` only appears in the actions' arguments, which the call machine's actions do not read.
  const self = createActor(createMachine({}));
  shared = {
    self: self as unknown as Scope['self'],
    id: '',
    sessionId: '',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    system: self.system,
    actionExecutor: (action) => {
      collected.push(action);
    },
  };
  return shared;
}

export class CallRun {
  private snapshot: CallSnapshot;
  private now = 0;
  /** The machine has at most one timer running (each state has one `after`). */
  private timers: Timer[] = [];

  constructor(input: Omit<CallInput, 'now'>) {
    collected = [];
    this.snapshot = callMachine.getInitialSnapshot(scope(), { ...input, now: () => this.now });
    this.settle();
  }

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
    if (this.done) return;
    collected = [];
    this.snapshot = callMachine.transition(this.snapshot, event, scope());
    this.settle();
  }

  /**
   * Moves the clock on and fires the timers that fall due, as XState's SimulatedClock does: a timer
   * started by the one that fired waits for the next increment, even when already due.
   */
  increment(ms: number): void {
    this.now += ms;
    // The timers due now, earliest first; those that the fired ones start wait.
    let due = this.timers.filter((t) => this.now - t.start >= t.delay);
    if (due.length > 1) due = due.sort((a, b) => a.start + a.delay - (b.start + b.delay));
    for (const timer of due) {
      const at = this.timers.indexOf(timer);
      if (at < 0) continue;
      this.timers.splice(at, 1);
      this.send(timer.event);
    }
  }

  /** Starts and cancels the timers the step's actions asked for; a finished call keeps none. */
  private settle(): void {
    const status = this.snapshot.status;
    if (status === 'error') throw this.snapshot.error instanceof Error ? this.snapshot.error : new Error(String(this.snapshot.error));
    for (const action of collected) {
      if (action.type === 'xstate.raise') {
        const { event, id, delay } = action.params as { event: CallEvent; id?: string; delay?: number };
        if (typeof delay === 'number' && id !== undefined) this.timers.push({ id, event, start: this.now, delay });
      } else if (action.type === 'xstate.cancel') {
        const { sendId } = action.params as { sendId: string };
        this.timers = this.timers.filter((t) => t.id !== sendId);
      }
    }
    collected = [];
    if (status !== 'active') this.timers = [];
  }
}
