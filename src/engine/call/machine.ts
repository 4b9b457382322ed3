/**
 * The one call machine: it walks any scenario given as input. Ringing → connected (the caller
 * speaks, then the agent's reply is awaited, both in one state; or the caller is on hold) → ended.
 * Game rules live in ./logic; this file only decides when they run.
 *
 * A choice costs one macrostep: it runs the call logic and re-enters `talking`, whose one timer is
 * the caller's speech and the reply time together. When the speech ends nothing happens in the
 * machine: `speechEndsAt` says when, and the desk reads the clock against it (`talkingPhase`).
 */
import { assertEvent, assign, cancel, raise, setup } from 'xstate';
import type { Choice, DecisionNode, EndingNode, Scenario, ScenarioNode } from '../format/schema';
import { answer, choose, copyState, enterNode, initialState, leadsToHold, lineSeconds, silenceLineAt, nodeIndex, offeredChoice, recordUnanswered, reofferAfterSilence, shownChoices, silence, type Arrival, type CallState } from './logic';

export interface CallInput {
  scenario: Scenario;
  /** Milliseconds since an arbitrary origin; the machine measures the call against its first reading. */
  now?: () => number;
  /** Start the call at this node instead of `start` (trainers previewing one part of a call). */
  startAt?: string;
  /** The attempt's seed: option order, wording and starting anger. Absent: nothing varies. */
  seed?: string;
}

export type CallEvent =
  | { type: 'agent.answer' }
  | { type: 'agent.choose'; choiceId: string }
  /** The trainee skips the rest of the caller's speech, or the rest of the hold. */
  | { type: 'agent.skip' }
  /** The reply timer ran out: the machine sends itself this when the caller has waited long enough. */
  | { type: 'call.silence' }
  /** The ring timer: the phone rings again, or the caller gives up. The machine sends itself this. */
  | { type: 'call.ring' };

export interface CallContext {
  scenario: Scenario;
  index: Map<string, ScenarioNode>;
  now: () => number;
  startedAt: number;
  call: CallState;
  /** The decision waited at, or the ending reached; null while ringing or if the scenario is broken. */
  node: DecisionNode | EndingNode | null;
  /** How long the caller speaks from entering `talking` before the reply is awaited. */
  speakingSeconds: number;
  /** Milliseconds since the first ring when the caller stops speaking and the reply is awaited. */
  speechEndsAt: number;
  holdSeconds: number;
  pendingNext: string | null;
  startAt: string;
}

/** The phone rings once more, `at` ms after the first ring (the transcript is appended in place, see CallState). */
function ringAgain(state: CallState, at: number): CallState {
  const ring = state.rings + 1;
  state.transcript.push({ kind: 'ring', ring, at });
  const call = copyState(state);
  call.rings = ring;
  return call;
}

const elapsed = (context: Pick<CallContext, 'now' | 'startedAt'>) => Math.max(0, Math.round(context.now() - context.startedAt));

function arrived(arrival: Arrival, at: number): Partial<CallContext> {
  return { call: arrival.state, node: arrival.node, speakingSeconds: arrival.speakingSeconds, speechEndsAt: at + Math.round(arrival.speakingSeconds * 1000), holdSeconds: 0, pendingNext: null };
}

/** The reply timer: the caller's speech, then the time to reply; silence when both have run out. */
const replyDelay = (context: CallContext) => Math.round(context.speakingSeconds * 1000) + replySeconds(context) * 1000;

export function replySeconds(context: Pick<CallContext, 'scenario' | 'node'>): number {
  const node = context.node;
  return node?.kind === 'decision' && node.replySeconds !== undefined ? node.replySeconds : context.scenario.timing.replySeconds;
}

/** Whether the caller is still speaking, `elapsedMs` after the first ring (in `talking`). */
export function stillSpeaking(context: Pick<CallContext, 'speechEndsAt'>, elapsedMs: number): boolean {
  return elapsedMs < context.speechEndsAt;
}

/** Where the call stands, as the desk shows it: the machine's state, and in `talking` the clock against the speech. */
export type CallPhase = 'ringing' | 'speaking' | 'awaiting' | 'hold' | 'ended';

/** The phase of a snapshot `elapsedMs` after the first ring (the machine's own clock reading). */
export function callPhase(snapshot: { status: string; value: unknown; context: Pick<CallContext, 'speechEndsAt'> }, elapsedMs: number): CallPhase {
  const value = snapshot.value;
  if (snapshot.status !== 'active' || value === 'ended') return 'ended';
  if (value === 'ringing') return 'ringing';
  if (typeof value === 'object' && value !== null && (value as { connected?: unknown }).connected === 'onHold') return 'hold';
  return stillSpeaking(snapshot.context, Math.max(0, Math.round(elapsedMs))) ? 'speaking' : 'awaiting';
}

/** The options on offer now, in the order the trainee sees them; empty unless at a decision. */
export function shownChoicesOf(context: Pick<CallContext, 'call' | 'node'>): Choice[] {
  const node = context.node;
  return node?.kind === 'decision' ? shownChoices(context.call, node) : [];
}

/** The choice an event names, if the caller has finished speaking and it is on offer (the first on offer with that id). */
function choiceOnOffer(context: CallContext, event: CallEvent, at = elapsed(context)): Choice | undefined {
  assertEvent(event, 'agent.choose');
  const node = context.node;
  if (node?.kind !== 'decision' || stillSpeaking(context, at)) return undefined;
  return offeredChoice(node, context.call, event.choiceId);
}

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    input: {} as CallInput,
    events: {} as CallEvent,
  },
  delays: {
    hold: ({ context }) => context.holdSeconds * 1000,
  },
  guards: {
    callerGivesUp: ({ context }) => context.call.rings >= context.scenario.timing.giveUpAfterRings,
    /** At an ending, or nowhere (a broken scenario): the call is over. */
    callOver: ({ context }) => context.node === null || context.node.kind === 'ending',
    callerSpeaking: ({ context }) => stillSpeaking(context, elapsed(context)),
    choiceTalksOn: ({ context, event }) => {
      const choice = choiceOnOffer(context, event);
      return choice !== undefined && !leadsToHold(context.scenario, context.call, choice);
    },
    choiceHoldsCaller: ({ context, event }) => {
      const choice = choiceOnOffer(context, event);
      return choice !== undefined && leadsToHold(context.scenario, context.call, choice);
    },
  },
  actions: {
    countRing: assign(({ context }) => ({ call: ringAgain(context.call, elapsed(context)) })),
    /** The next ring, a ring's time from now (the first ring is the call's start). */
    startRingTimer: raise({ type: 'call.ring' }, { id: 'ring', delay: ({ context }) => context.scenario.timing.ringSeconds * 1000 }),
    stopRingTimer: cancel('ring'),
    answer: assign(({ context }) => {
      const at = elapsed(context);
      const answered = answer(context.scenario, context.call, context.call.rings, at);
      return arrived(enterNode(context.scenario, context.index, answered, context.startAt, at), at);
    }),
    endUnanswered: assign(({ context }) => ({ call: recordUnanswered(context.call, elapsed(context)), node: null })),
    /** (Re)starts the reply timer: the caller's speech, then the time to reply. */
    stopReplyTimer: cancel('reply'),
    startReplyTimer: raise({ type: 'call.silence' }, { id: 'reply', delay: ({ context }) => replyDelay(context) }),
    skipSpeech: assign(({ context }) => ({ speakingSeconds: 0, speechEndsAt: elapsed(context) })),
    choose: assign(({ context, event }) => {
      const at = elapsed(context);
      // The choice the guards found on offer.
      const choice = choiceOnOffer(context, event, at);
      if (!choice) return {};
      const step = choose(context.scenario, context.call, context.node as DecisionNode, choice, at);
      if (step.holdSeconds > 0) return { call: step.state, holdSeconds: step.holdSeconds, pendingNext: step.next, speakingSeconds: 0, speechEndsAt: at };
      return arrived(enterNode(context.scenario, context.index, step.state, step.next, at), at);
    }),
    resumeFromHold: assign(({ context }) => {
      const next = context.pendingNext;
      if (next === null) return {};
      const at = elapsed(context);
      return arrived(enterNode(context.scenario, context.index, context.call, next, at), at);
    }),
    silence: assign(({ context }) => {
      const node = context.node as DecisionNode;
      const at = elapsed(context);
      const step = silence(context.scenario, context.call, node, at);
      if (step.next === node.id) {
        // The caller speaks into the silence, then waits again.
        const line = silenceLineAt(context.scenario, node);
        return { ...arrived(reofferAfterSilence(step.state, node), at), ...(line ? { speakingSeconds: lineSeconds(line), speechEndsAt: at + Math.round(lineSeconds(line) * 1000) } : {}) };
      }
      return arrived(enterNode(context.scenario, context.index, step.state, step.next, at), at);
    }),
  },
}).createMachine({
  id: 'call',
  initial: 'ringing',
  context: ({ input }) => {
    const now = input.now ?? (() => Date.now());
    return {
      scenario: input.scenario,
      index: nodeIndex(input.scenario),
      now,
      startedAt: now(),
      // The phone rings as the call starts: the first ring is part of the initial state.
      call: ringAgain(initialState(input.scenario, input.seed ?? null), 0),
      node: null,
      speakingSeconds: 0,
      speechEndsAt: 0,
      holdSeconds: 0,
      pendingNext: null,
      startAt: input.startAt ?? input.scenario.start,
    };
  },
  states: {
    /** The first ring is in the initial context; each `call.ring` rings again until the caller gives up. */
    ringing: {
      entry: 'startRingTimer',
      exit: 'stopRingTimer',
      on: {
        'call.ring': [{ guard: 'callerGivesUp', target: 'ended', actions: 'endUnanswered' }, { actions: ['countRing', 'startRingTimer'] }],
        'agent.answer': { target: 'connected', actions: 'answer' },
      },
    },
    connected: {
      initial: 'talking',
      states: {
        /** The caller speaks until `speechEndsAt`, then the reply is awaited; choices count only after the speech. */
        talking: {
          entry: 'startReplyTimer',
          exit: 'stopReplyTimer',
          always: { guard: 'callOver', target: '#call.ended' },
          on: {
            'agent.choose': [
              { guard: 'choiceTalksOn', actions: ['choose', 'stopReplyTimer', 'startReplyTimer'] },
              { guard: 'choiceHoldsCaller', target: 'onHold', actions: 'choose' },
            ],
            'agent.skip': { guard: 'callerSpeaking', actions: ['skipSpeech', 'stopReplyTimer', 'startReplyTimer'] },
            'call.silence': { actions: ['silence', 'startReplyTimer'] },
          },
        },
        onHold: {
          after: { hold: { target: 'talking', actions: 'resumeFromHold' } },
          on: { 'agent.skip': { target: 'talking', actions: 'resumeFromHold' } },
        },
      },
    },
    ended: { type: 'final' },
  },
});

export type CallMachine = typeof callMachine;
