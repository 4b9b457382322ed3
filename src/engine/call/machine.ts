/**
 * The one call machine: it walks any scenario given as input. Ringing → connected (the caller
 * speaking, then waiting for the agent's reply with the reply timer running, or on hold) → ended.
 * Game rules live in ./logic; this file only decides when they run.
 */
import { assertEvent, assign, setup } from 'xstate';
import type { DecisionNode, EndingNode, Scenario, ScenarioNode } from '../format/schema';
import { answer, choose, copyState, enterNode, initialState, leadsToHold, lineSeconds, silenceLineAt, nodeIndex, offeredChoice, recordUnanswered, reofferAfterSilence, shownChoices, silence, type Arrival, type CallState } from './logic';
import type { Choice } from '../format/schema';

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
  | { type: 'agent.skip' };

export interface CallContext {
  scenario: Scenario;
  index: Map<string, ScenarioNode>;
  now: () => number;
  startedAt: number;
  call: CallState;
  /** The decision waited at, or the ending reached; null while ringing or if the scenario is broken. */
  node: DecisionNode | EndingNode | null;
  speakingSeconds: number;
  holdSeconds: number;
  pendingNext: string | null;
  startAt: string;
}

const elapsed = (context: CallContext) => Math.max(0, Math.round(context.now() - context.startedAt));

function arrived(context: CallContext, arrival: Arrival): Partial<CallContext> {
  return { call: arrival.state, node: arrival.node, speakingSeconds: arrival.speakingSeconds, holdSeconds: 0, pendingNext: null };
}

export function replySeconds(context: Pick<CallContext, 'scenario' | 'node'>): number {
  const node = context.node;
  return node?.kind === 'decision' && node.replySeconds !== undefined ? node.replySeconds : context.scenario.timing.replySeconds;
}

/** The options on offer now, in the order the trainee sees them; empty unless at a decision. */
export function shownChoicesOf(context: Pick<CallContext, 'call' | 'node'>): Choice[] {
  const node = context.node;
  return node?.kind === 'decision' ? shownChoices(context.call, node) : [];
}

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    input: {} as CallInput,
    events: {} as CallEvent,
  },
  delays: {
    ring: ({ context }) => context.scenario.timing.ringSeconds * 1000,
    speaking: ({ context }) => Math.round(context.speakingSeconds * 1000),
    reply: ({ context }) => replySeconds(context) * 1000,
    hold: ({ context }) => context.holdSeconds * 1000,
  },
  guards: {
    callerGivesUp: ({ context }) => context.call.rings >= context.scenario.timing.giveUpAfterRings,
    atEnding: ({ context }) => context.node?.kind === 'ending',
    isBroken: ({ context }) => context.node === null,
    choiceOnOffer: ({ context, event }) => {
      assertEvent(event, 'agent.choose');
      const node = context.node;
      return node?.kind === 'decision' && offeredChoice(node, context.call, event.choiceId) !== undefined;
    },
    choiceHoldsCaller: ({ context, event }) => {
      assertEvent(event, 'agent.choose');
      const node = context.node;
      const choice = node?.kind === 'decision' ? offeredChoice(node, context.call, event.choiceId) : undefined;
      return choice !== undefined && leadsToHold(context.scenario, context.call, choice);
    },
  },
  actions: {
    countRing: assign(({ context }) => {
      const ring = context.call.rings + 1;
      // The transcript is appended in place (see CallState in ./logic).
      context.call.transcript.push({ kind: 'ring', ring, at: elapsed(context) });
      const call = copyState(context.call);
      call.rings = ring;
      return { call };
    }),
    answer: assign(({ context }) => {
      const at = elapsed(context);
      const answered = answer(context.scenario, context.call, context.call.rings, at);
      return arrived(context, enterNode(context.scenario, context.index, answered, context.startAt, at));
    }),
    endUnanswered: assign(({ context }) => ({ call: recordUnanswered(context.call, elapsed(context)), node: null })),
    choose: assign(({ context, event }) => {
      assertEvent(event, 'agent.choose');
      const node = context.node as DecisionNode;
      const choice = node.choices.find((c) => c.id === event.choiceId);
      if (!choice) return {};
      const at = elapsed(context);
      const step = choose(context.scenario, context.call, node, choice, at);
      if (step.holdSeconds > 0) return { call: step.state, holdSeconds: step.holdSeconds, pendingNext: step.next, speakingSeconds: 0 };
      return arrived(context, enterNode(context.scenario, context.index, step.state, step.next, at));
    }),
    resumeFromHold: assign(({ context }) => {
      const next = context.pendingNext;
      if (next === null) return {};
      return arrived(context, enterNode(context.scenario, context.index, context.call, next, elapsed(context)));
    }),
    silence: assign(({ context }) => {
      const node = context.node as DecisionNode;
      const at = elapsed(context);
      const step = silence(context.scenario, context.call, node, at);
      if (step.next === node.id) {
        const line = silenceLineAt(context.scenario, node);
        return { ...arrived(context, reofferAfterSilence(step.state, node)), speakingSeconds: line ? lineSeconds(line) : 0 };
      }
      return arrived(context, enterNode(context.scenario, context.index, step.state, step.next, at));
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
      call: initialState(input.scenario, input.seed ?? null),
      node: null,
      speakingSeconds: 0,
      holdSeconds: 0,
      pendingNext: null,
      startAt: input.startAt ?? input.scenario.start,
    };
  },
  states: {
    ringing: {
      entry: 'countRing',
      after: {
        ring: [{ guard: 'callerGivesUp', target: 'ended', actions: 'endUnanswered' }, { target: 'ringing', reenter: true }],
      },
      on: { 'agent.answer': { target: 'connected', actions: 'answer' } },
    },
    connected: {
      initial: 'speaking',
      states: {
        speaking: {
          always: [
            { guard: 'atEnding', target: '#call.ended' },
            { guard: 'isBroken', target: '#call.ended' },
          ],
          after: { speaking: 'awaitingReply' },
          on: { 'agent.skip': 'awaitingReply' },
        },
        awaitingReply: {
          after: { reply: { target: 'speaking', reenter: true, actions: 'silence' } },
          on: {
            'agent.choose': [
              { guard: 'choiceHoldsCaller', target: 'onHold', actions: 'choose' },
              { guard: 'choiceOnOffer', target: 'speaking', actions: 'choose' },
            ],
          },
        },
        onHold: {
          after: { hold: { target: 'speaking', actions: 'resumeFromHold' } },
          on: { 'agent.skip': { target: 'speaking', actions: 'resumeFromHold' } },
        },
      },
    },
    ended: { type: 'final' },
  },
});

export type CallMachine = typeof callMachine;
