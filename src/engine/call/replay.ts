/**
 * Replays a recorded call on a simulated clock. The CLI's `play`, the golden plans, the server's
 * recomputation of submitted attempts and the debrief all go through `replayCall`, so the same
 * steps always give the same result. It drives the call machine through its transition function
 * (./run: no actor, the machine's timers on a simulated clock); `replayThroughMachine` takes the
 * same steps through an XState actor, as the game runs the machine, and the tests hold the two to
 * the same context.
 */
import { createActor, SimulatedClock } from 'xstate';
import type { Scenario } from '../format/schema';
import { callMachine, callPhase, replySeconds, shownChoicesOf, type CallContext, type CallPhase } from './machine';
import { shownOrder } from './logic';
import { CallRun } from './run';
/** One thing the agent did. `ms` is how long the agent took, counted from when the choices were offered. */
export type AttemptStep =
  | { type: 'answer'; ring: number }
  /** `position`: where the option stood in the list shown (from 1); checked against the seed's order. */
  | { type: 'choose'; choiceId: string; ms?: number; position?: number }
  | { type: 'silence' };

export interface ReplayProblem {
  /** Index of the step that could not be taken. */
  step: number;
  message: string;
  /** The choice ids that were on offer there, if the call was at a decision. */
  offered: string[];
}

export interface Replay {
  context: CallContext;
  ended: boolean;
  problem: ReplayProblem | null;
}

/** Turns the CLI's short form (`id1,~,id2`, `~` for silence) into steps, answering on `ring`. */
export function stepsFromChoiceList(choices: readonly string[], ring = 1): AttemptStep[] {
  return [{ type: 'answer', ring }, ...choices.map((c): AttemptStep => (c === '~' ? { type: 'silence' } : { type: 'choose', choiceId: c }))];
}

export interface ReplayOptions {
  /** The attempt's seed; without one the call does not vary (the CLI, golden plans). */
  seed?: string;
}

/** What a replay drives: the call's phase, its context, its clock and its events. */
interface Stepper {
  readonly phase: CallPhase;
  readonly context: CallContext;
  /** Milliseconds on the simulated clock since the first ring. */
  readonly elapsed: number;
  increment(ms: number): void;
  send(event: { type: 'agent.answer' } | { type: 'agent.choose'; choiceId: string }): void;
  stop(): void;
}

/** The machine driven by its transition function (./run), seen as a Stepper. */
class RunStepper implements Stepper {
  private readonly run: CallRun;

  constructor(scenario: Scenario, options: ReplayOptions) {
    this.run = new CallRun({ scenario, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  }

  get phase(): CallPhase {
    return this.run.phase;
  }

  get context(): CallContext {
    return this.run.context;
  }

  get elapsed(): number {
    return this.run.clock;
  }

  increment(ms: number): void {
    this.run.increment(ms);
  }

  send(event: { type: 'agent.answer' } | { type: 'agent.choose'; choiceId: string }): void {
    this.run.send(event);
  }

  /** Nothing runs in the background: a replay's end needs no clean-up. */
  stop(): void {}
}

/** The XState actor on a simulated clock, seen as a Stepper. */
class ActorStepper implements Stepper {
  private readonly clock = new SimulatedClock();
  private readonly actor;

  constructor(scenario: Scenario, options: ReplayOptions) {
    const clock = this.clock;
    this.actor = createActor(callMachine, { input: { scenario, now: () => clock.now(), ...(options.seed !== undefined ? { seed: options.seed } : {}) }, clock });
    this.actor.start();
  }

  get phase(): CallPhase {
    return callPhase(this.actor.getSnapshot(), this.elapsed);
  }

  get context(): CallContext {
    return this.actor.getSnapshot().context;
  }

  get elapsed(): number {
    return this.clock.now();
  }

  increment(ms: number): void {
    this.clock.increment(ms);
  }

  send(event: { type: 'agent.answer' } | { type: 'agent.choose'; choiceId: string }): void {
    this.actor.send(event);
  }

  stop(): void {
    this.actor.stop();
  }
}

/** Replays the steps: what the server runs for each submitted attempt. */
export function replayCall(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): Replay {
  return replay(new RunStepper(scenario, options), scenario, steps);
}

/** The same replay through the XState actor, as the game plays a call (the tests compare the two). */
export function replayThroughMachine(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): Replay {
  return replay(new ActorStepper(scenario, options), scenario, steps);
}

/** Lets the caller finish speaking and any hold run out, as a patient trainee would. */
function settle(call: Stepper): void {
  for (let guard = 0; guard < 10_000; guard++) {
    const phase = call.phase;
    if (phase === 'speaking') call.increment(Math.max(1, call.context.speechEndsAt - call.elapsed));
    else if (phase === 'hold') call.increment(call.context.holdSeconds * 1000);
    else return;
  }
}

function fail(call: Stepper, step: number, message: string): Replay {
  const phase = call.phase;
  const context = call.context;
  const node = context.node;
  const offered = node?.kind === 'decision' && phase === 'awaiting' ? shownChoicesOf(context).map((c) => c.id) : [];
  call.stop();
  return { context, ended: phase === 'ended', problem: { step, message, offered } };
}

function replay(call: Stepper, scenario: Scenario, steps: readonly AttemptStep[]): Replay {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!step) continue;
    const phase = call.phase;
    if (phase === 'ended') return fail(call, i, `the call had already ended at step ${i + 1}`);
    if (step.type === 'answer') {
      if (phase !== 'ringing') return fail(call, i, 'the call was answered twice');
      if (!Number.isInteger(step.ring) || step.ring < 1) return fail(call, i, `ring must be a whole number from 1, got ${String(step.ring)}`);
      const giveUp = scenario.timing.giveUpAfterRings;
      if (step.ring > giveUp) return fail(call, i, `the caller hangs up after ${giveUp} rings; ring ${step.ring} cannot be answered`);
      while (call.context.call.rings < step.ring) call.increment(scenario.timing.ringSeconds * 1000);
      call.send({ type: 'agent.answer' });
      settle(call);
      continue;
    }
    if (phase === 'ringing') return fail(call, i, 'the phone was never answered');
    if (phase !== 'awaiting') return fail(call, i, 'the call was not waiting for a reply');
    const context = call.context;
    const limitMs = replySeconds(context) * 1000;
    if (step.type === 'silence') {
      call.increment(limitMs);
      settle(call);
      continue;
    }
    if (step.position !== undefined) {
      // The order the choice will record (shared with it, read only here).
      const node = context.node;
      const shown = node?.kind === 'decision' ? shownOrder(context.call, node) : [];
      const at = shown[step.position - 1];
      if (!at || at.id !== step.choiceId) {
        return fail(call, i, `choice "${step.choiceId}" was not shown at position ${step.position} at node "${context.node?.id ?? '?'}"${at ? ` (option ${step.position} was "${at.id}")` : ` (${shown.length} options were shown)`}`);
      }
    }
    const ms = step.ms ?? 0;
    if (!Number.isFinite(ms) || ms < 0 || ms >= limitMs) return fail(call, i, `a reply after ${ms} ms is outside the ${limitMs} ms reply time; it was silence`);
    const before = context.call.transcript.length;
    call.increment(ms);
    call.send({ type: 'agent.choose', choiceId: step.choiceId });
    if (call.context.call.transcript.length === before) {
      const node = call.context.node;
      return fail(call, i, `choice "${step.choiceId}" is not on offer at node "${node?.id ?? '?'}"`);
    }
    settle(call);
  }
  const ended = call.phase === 'ended';
  const context = call.context;
  call.stop();
  return { context, ended, problem: null };
}
