/**
 * The call machine's transitions stepped directly, without an actor: the same states, the same
 * delays on the same simulated clock and the same call-logic functions (./logic) in the same order
 * as the XState machine (./machine), so a call stepped here gives exactly the machine's context.
 * The server's replay of submitted attempts and the CLI's simulation run on this (an XState
 * macrostep costs more than a whole step of the call logic); the game and the tests drive the
 * machine. tests/engine/direct.test.ts replays every golden plan and thousands of random plays
 * both ways and compares the whole context, transcript times included.
 *
 * A state of the machine has at most one timer (its `after` delay), so the clock here holds one:
 * when it started and how long it runs. `increment` fires it as XState's SimulatedClock does with
 * one timer: due when `now - start >= delay`; the timer the transition sets is not flushed by the
 * same increment, even when already due (a speech of 0 ms waits for the next increment).
 */
import { answer, choose, copyState, enterNode, initialState, leadsToHold, lineSeconds, nodeIndex, offeredChoice, recordUnanswered, reofferAfterSilence, silence, silenceLineAt, type Arrival } from './logic';
import { replySeconds, type CallContext, type CallEvent, type CallInput } from './machine';

/** The machine's atomic states, as `snapshot.matches` names them. */
export type DirectState = 'ringing' | 'speaking' | 'awaitingReply' | 'onHold' | 'ended';

export class DirectCall {
  state: DirectState = 'ringing';
  readonly context: CallContext;
  private now = 0;
  private timerStart = 0;
  /** The running timer's delay in ms; -1 when none runs. */
  private timerDelay = -1;

  constructor(input: Omit<CallInput, 'now'>) {
    const scenario = input.scenario;
    this.context = {
      scenario,
      index: nodeIndex(scenario),
      now: () => this.now,
      startedAt: 0,
      call: initialState(scenario, input.seed ?? null),
      node: null,
      speakingSeconds: 0,
      holdSeconds: 0,
      pendingNext: null,
      startAt: input.startAt ?? scenario.start,
    };
    this.enterRinging();
  }

  /** Nothing runs in the background: a replay's end needs no clean-up. */
  stop(): void {}

  get done(): boolean {
    return this.state === 'ended';
  }

  /** Milliseconds on the simulated clock. */
  get clock(): number {
    return this.now;
  }

  private elapsed(): number {
    return Math.max(0, Math.round(this.now - this.context.startedAt));
  }

  private setTimer(delay: number): void {
    this.timerStart = this.now;
    this.timerDelay = delay;
  }

  private arrived(arrival: Arrival): void {
    const c = this.context;
    c.call = arrival.state;
    c.node = arrival.node;
    c.speakingSeconds = arrival.speakingSeconds;
    c.holdSeconds = 0;
    c.pendingNext = null;
  }

  private enterRinging(): void {
    const c = this.context;
    const ring = c.call.rings + 1;
    c.call.transcript.push({ kind: 'ring', ring, at: this.elapsed() });
    c.call = copyState(c.call);
    c.call.rings = ring;
    this.state = 'ringing';
    this.setTimer(c.scenario.timing.ringSeconds * 1000);
  }

  /** Entering `speaking`: the call ends at once at an ending or a broken node, else the speech runs. */
  private enterSpeaking(): void {
    const node = this.context.node;
    if (node === null || node.kind === 'ending') return this.end();
    this.state = 'speaking';
    this.setTimer(Math.round(this.context.speakingSeconds * 1000));
  }

  private enterAwaiting(): void {
    this.state = 'awaitingReply';
    this.setTimer(replySeconds(this.context) * 1000);
  }

  private end(): void {
    this.state = 'ended';
    this.timerDelay = -1;
  }

  private resumeFromHold(): void {
    const c = this.context;
    if (c.pendingNext !== null) this.arrived(enterNode(c.scenario, c.index, c.call, c.pendingNext, this.elapsed()));
    this.enterSpeaking();
  }

  /** The running timer ran out. */
  private fire(): void {
    const c = this.context;
    switch (this.state) {
      case 'ringing':
        if (c.call.rings >= c.scenario.timing.giveUpAfterRings) {
          c.call = recordUnanswered(c.call, this.elapsed());
          c.node = null;
          return this.end();
        }
        return this.enterRinging();
      case 'speaking':
        return this.enterAwaiting();
      case 'awaitingReply': {
        const node = c.node;
        if (node?.kind !== 'decision') return this.end();
        const at = this.elapsed();
        const step = silence(c.scenario, c.call, node, at);
        if (step.next === node.id) {
          const line = silenceLineAt(c.scenario, node);
          this.arrived(reofferAfterSilence(step.state, node));
          c.speakingSeconds = line ? lineSeconds(line) : 0;
        } else this.arrived(enterNode(c.scenario, c.index, step.state, step.next, at));
        return this.enterSpeaking();
      }
      case 'onHold':
        return this.resumeFromHold();
      case 'ended':
        return;
    }
  }

  /** Moves the clock on and fires the timer if it falls due, as SimulatedClock.increment does. */
  increment(ms: number): void {
    this.now += ms;
    if (this.timerDelay >= 0 && this.now - this.timerStart >= this.timerDelay) {
      this.timerDelay = -1;
      this.fire();
    }
  }

  /** What the machine does with an event; an event its state does not take is ignored. */
  send(event: CallEvent): void {
    const c = this.context;
    switch (event.type) {
      case 'agent.answer': {
        if (this.state !== 'ringing') return;
        const at = this.elapsed();
        this.arrived(enterNode(c.scenario, c.index, answer(c.scenario, c.call, c.call.rings, at), c.startAt, at));
        return this.enterSpeaking();
      }
      case 'agent.skip':
        if (this.state === 'speaking') return this.enterAwaiting();
        if (this.state === 'onHold') return this.resumeFromHold();
        return;
      case 'agent.choose': {
        const node = c.node;
        if (this.state !== 'awaitingReply' || node?.kind !== 'decision') return;
        // The machine's guards take the first offered choice with this id, its action the first with it.
        const offered = offeredChoice(node, c.call, event.choiceId);
        if (!offered) return;
        const holds = leadsToHold(c.scenario, c.call, offered);
        const choice = node.choices.find((x) => x.id === event.choiceId) ?? offered;
        const at = this.elapsed();
        const step = choose(c.scenario, c.call, node, choice, at);
        if (step.holdSeconds > 0) {
          c.call = step.state;
          c.holdSeconds = step.holdSeconds;
          c.pendingNext = step.next;
          c.speakingSeconds = 0;
        } else this.arrived(enterNode(c.scenario, c.index, step.state, step.next, at));
        if (holds) {
          this.state = 'onHold';
          return this.setTimer(c.holdSeconds * 1000);
        }
        return this.enterSpeaking();
      }
    }
  }
}
