/**
 * One call in progress: the engine's actor, and the record of what the trainee did (the steps the
 * CLI and the server replay). Scenes send through `answer`, `choose` and `skip`, and draw snapshots.
 */
import { createActor, type Actor, type SimulatedClock, type SnapshotFrom } from 'xstate';
import { callMachine, callPhase, replySeconds, shownChoicesOf, type CallPhase } from '../../engine/call/machine';
import type { AttemptMode } from '../../engine/attempt';
import type { AttemptStep } from '../../engine/call/replay';
import type { Choice, Scenario } from '../../engine/format/schema';

export type CallSnapshot = SnapshotFrom<typeof callMachine>;

export interface SessionOptions {
  scenario: Scenario;
  /** Start at this node instead of the scenario's start (the trainer's preview). */
  startAt?: string;
  /** The attempt's seed: the order of the options, the caller's wording and starting anger. */
  seed?: string;
  /** Assessment: the options wait until the caller has finished, and speech cannot be skipped. */
  mode?: AttemptMode;
  now?: () => number;
  /** XState's clock for the machine's timers; tests pass a SimulatedClock. */
  clock?: SimulatedClock;
}

export class CallSession {
  readonly actor: Actor<typeof callMachine>;
  readonly steps: AttemptStep[] = [];
  readonly startedAt = new Date().toISOString();
  private readonly now: () => number;
  private seenEntries = 0;

  constructor(readonly options: SessionOptions) {
    this.now = options.now ?? (() => performance.now());
    this.actor = createActor(callMachine, {
      input: { scenario: options.scenario, now: this.now, ...(options.startAt ? { startAt: options.startAt } : {}), ...(options.seed ? { seed: options.seed } : {}) },
      ...(options.clock ? { clock: options.clock } : {}),
    });
    // Subscribed before start, so every transition (a silence by the reply timer too) is recorded in order.
    this.actor.subscribe((snapshot) => this.record(snapshot));
  }

  start(): this {
    this.actor.start();
    return this;
  }

  stop(): void {
    this.actor.stop();
  }

  get scenario(): Scenario {
    return this.options.scenario;
  }

  /** The options on offer now, in the order this attempt's seed shows them. */
  shown(): Choice[] {
    return shownChoicesOf(this.snapshot.context);
  }

  get mode(): AttemptMode {
    return this.options.mode ?? 'practice';
  }

  get seed(): string | null {
    return this.options.seed ?? null;
  }

  get snapshot(): CallSnapshot {
    return this.actor.getSnapshot();
  }

  /** Where the call stands now: the machine's state, and while the caller talks, the clock against the speech. */
  get phase(): CallPhase {
    return this.phaseOf(this.snapshot);
  }

  phaseOf(snapshot: CallSnapshot): CallPhase {
    return callPhase(snapshot, this.elapsedMs());
  }

  /** Milliseconds since the phone started ringing, on the machine's own clock. */
  elapsedMs(): number {
    const context = this.snapshot.context;
    return Math.max(0, context.now() - context.startedAt);
  }

  /** Milliseconds since the caller stopped speaking and the reply has been awaited; null when none is. */
  private awaitedMs(): number | null {
    if (this.phase !== 'awaiting') return null;
    return Math.max(0, this.elapsedMs() - this.snapshot.context.speechEndsAt);
  }

  /** Milliseconds left to reply, or null when no reply is awaited. */
  replyLeftMs(): number | null {
    const awaited = this.awaitedMs();
    return awaited === null ? null : Math.max(0, this.replyLimitMs() - awaited);
  }

  replyLimitMs(): number {
    return replySeconds(this.snapshot.context) * 1000;
  }

  private record(snapshot: CallSnapshot): void {
    const transcript = snapshot.context.call.transcript;
    for (let i = this.seenEntries; i < transcript.length; i++) {
      if (transcript[i]?.kind === 'silence') this.steps.push({ type: 'silence' });
    }
    this.seenEntries = transcript.length;
  }

  answer(): boolean {
    if (this.phase !== 'ringing') return false;
    const ring = this.snapshot.context.call.rings;
    this.actor.send({ type: 'agent.answer' });
    if (this.phase === 'ringing') return false;
    this.steps.push({ type: 'answer', ring });
    return true;
  }

  /** Sends the choice; false when it was not on offer (the machine ignored it). */
  choose(choiceId: string): boolean {
    const awaited = this.awaitedMs();
    if (awaited === null) return false;
    const limit = this.replyLimitMs();
    // The replay counts a reply at or after the limit as silence; a reply the machine took in time
    // stays in time even if the tick that read the clock came a little late.
    const ms = Math.min(limit - 1, Math.round(awaited));
    // The place in the list the trainee saw, which the server's replay checks against the seed.
    const position = shownChoicesOf(this.snapshot.context).findIndex((c) => c.id === choiceId) + 1;
    const before = this.snapshot.context.call.transcript.length;
    const steps = this.steps.length;
    this.actor.send({ type: 'agent.choose', choiceId });
    const accepted = this.snapshot.context.call.transcript.length > before;
    if (accepted) this.steps.splice(steps, 0, { type: 'choose', choiceId, ms, ...(position > 0 ? { position } : {}) });
    return accepted;
  }

  /** The trainee skips the rest of the caller's speech, or the rest of a hold; not in an assessment. */
  skip(): void {
    if (this.mode === 'assessment') return;
    if (this.phase === 'speaking' || this.phase === 'hold') this.actor.send({ type: 'agent.skip' });
  }
}
