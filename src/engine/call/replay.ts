/**
 * Replays a recorded call through the machine on a simulated clock. The CLI's `play`, the golden
 * plans, the server's recomputation of submitted attempts and the debrief all go through here, so
 * the same steps always give the same result.
 */
import { createActor, SimulatedClock } from 'xstate';
import type { Scenario } from '../format/schema';
import { callMachine, replySeconds, shownChoicesOf, type CallContext } from './machine';

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

export function replayCall(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): Replay {
  const clock = new SimulatedClock();
  const actor = createActor(callMachine, { input: { scenario, now: () => clock.now(), ...(options.seed !== undefined ? { seed: options.seed } : {}) }, clock });
  actor.start();
  const snapshot = () => actor.getSnapshot();
  const settle = () => {
    // Let the caller finish speaking and any hold run out, as a patient trainee would.
    for (let guard = 0; guard < 10_000; guard++) {
      const s = snapshot();
      if (s.matches({ connected: 'speaking' })) clock.increment(Math.max(1, Math.round(s.context.speakingSeconds * 1000)));
      else if (s.matches({ connected: 'onHold' })) clock.increment(s.context.holdSeconds * 1000);
      else return;
    }
  };
  const fail = (step: number, message: string): Replay => {
    const s = snapshot();
    const node = s.context.node;
    const offered = node?.kind === 'decision' && s.matches({ connected: 'awaitingReply' }) ? shownChoicesOf(s.context).map((c) => c.id) : [];
    actor.stop();
    return { context: s.context, ended: s.status === 'done', problem: { step, message, offered } };
  };

  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (!step) continue;
    const s = snapshot();
    if (s.status === 'done') return fail(i, `the call had already ended at step ${i + 1}`);
    if (step.type === 'answer') {
      if (!s.matches('ringing')) return fail(i, 'the call was answered twice');
      if (!Number.isInteger(step.ring) || step.ring < 1) return fail(i, `ring must be a whole number from 1, got ${String(step.ring)}`);
      const giveUp = scenario.timing.giveUpAfterRings;
      if (step.ring > giveUp) return fail(i, `the caller hangs up after ${giveUp} rings; ring ${step.ring} cannot be answered`);
      while (snapshot().context.call.rings < step.ring) clock.increment(scenario.timing.ringSeconds * 1000);
      actor.send({ type: 'agent.answer' });
      settle();
      continue;
    }
    if (s.matches('ringing')) return fail(i, 'the phone was never answered');
    if (!s.matches({ connected: 'awaitingReply' })) return fail(i, 'the call was not waiting for a reply');
    const limitMs = replySeconds(s.context) * 1000;
    if (step.type === 'silence') {
      clock.increment(limitMs);
      settle();
      continue;
    }
    if (step.position !== undefined) {
      const shown = shownChoicesOf(s.context);
      const at = shown[step.position - 1];
      if (!at || at.id !== step.choiceId) {
        return fail(i, `choice "${step.choiceId}" was not shown at position ${step.position} at node "${s.context.node?.id ?? '?'}"${at ? ` (option ${step.position} was "${at.id}")` : ` (${shown.length} options were shown)`}`);
      }
    }
    const ms = step.ms ?? 0;
    if (!Number.isFinite(ms) || ms < 0 || ms >= limitMs) return fail(i, `a reply after ${ms} ms is outside the ${limitMs} ms reply time; it was silence`);
    const before = snapshot().context.call.transcript.length;
    clock.increment(ms);
    actor.send({ type: 'agent.choose', choiceId: step.choiceId });
    if (snapshot().context.call.transcript.length === before) {
      const node = snapshot().context.node;
      return fail(i, `choice "${step.choiceId}" is not on offer at node "${node?.id ?? '?'}"`);
    }
    settle();
  }
  const final = snapshot();
  actor.stop();
  return { context: final.context, ended: final.status === 'done', problem: null };
}
