/**
 * The same random play four ways, each drawing random numbers in the same order as the ink walk
 * (./ink.ts), so that one seed gives one path everywhere:
 * - through the XState call machine driven by its transition function, as the server's replay and
 *   `randomPlay` drive it (src/engine/call/run.ts: a simulated clock, the caller's speech waited
 *   out on it), without the scoring at the end, which the others do not do either;
 * - through the same machine in an XState actor on a SimulatedClock, as the game runs it;
 * - through the call-logic functions alone (`enterNode`, `choose`, `silence`), no machine, no clock;
 * - a plain loop over the graph compiled to arrays (the floor): what walking the graph costs at least.
 */
import { createActor, SimulatedClock } from 'xstate';
import { callMachine, callPhase, replySeconds, shownChoicesOf, type CallContext, type CallEvent, type CallPhase } from '../src/engine/call/machine';
import { answer, choose, enterNode, initialState, nodeIndex, offeredChoices, silence, DEFAULT_LATE_ANSWER, DEFAULT_SILENCE } from '../src/engine/call/logic';
import type { AttemptStep } from '../src/engine/call/replay';
import { CallRun } from '../src/engine/call/run';
import type { Scenario } from '../src/engine/index';
import type { WalkResult } from './ink';

export interface MachineWalk extends WalkResult {
  steps: AttemptStep[];
}

function answerRing(scenario: Scenario, random: () => number, lateRate: number): number {
  const rings = scenario.timing.answerWithinRings;
  return random() < lateRate ? rings + 1 : 1 + Math.floor(random() * rings);
}

/** What a walk drives: the machine through its transition function, or in an actor. */
interface Driven {
  phase(): CallPhase;
  context(): CallContext;
  elapsed(): number;
  increment(ms: number): void;
  send(event: CallEvent): void;
  stop(): void;
}

function runDriven(scenario: Scenario, seed?: string): Driven {
  const run = new CallRun({ scenario, ...(seed !== undefined ? { seed } : {}) });
  return { phase: () => run.phase, context: () => run.context, elapsed: () => run.clock, increment: (ms) => run.increment(ms), send: (e) => run.send(e), stop: () => {} };
}

function actorDriven(scenario: Scenario, seed?: string): Driven {
  const clock = new SimulatedClock();
  const actor = createActor(callMachine, { input: { scenario, now: () => clock.now(), ...(seed !== undefined ? { seed } : {}) }, clock });
  actor.start();
  return { phase: () => callPhase(actor.getSnapshot(), clock.now()), context: () => actor.getSnapshot().context, elapsed: () => clock.now(), increment: (ms) => clock.increment(ms), send: (e) => actor.send(e), stop: () => actor.stop() };
}

/** A random play through the call machine, the caller's speech waited out on the clock and holds skipped; also the steps. */
function drivenPlay(call: Driven, scenario: Scenario, random: () => number, maxDecisions: number, silenceRate: number, lateRate: number): MachineWalk {
  const ring = answerRing(scenario, random, lateRate);
  while (call.context().call.rings < ring) call.increment(scenario.timing.ringSeconds * 1000);
  call.send({ type: 'agent.answer' });
  const choices: string[] = [];
  const steps: AttemptStep[] = [{ type: 'answer', ring }];
  for (let n = 0; n < maxDecisions; ) {
    let phase = call.phase();
    if (phase === 'ended') break;
    if (phase === 'speaking') {
      call.increment(call.context().speechEndsAt - call.elapsed());
      phase = call.phase();
    }
    if (phase === 'hold') {
      call.send({ type: 'agent.skip' });
      continue;
    }
    const context = call.context();
    const node = context.node;
    if (node?.kind !== 'decision') break;
    n++;
    const offered = offeredChoices(node, context.call);
    if (offered.length === 0 || random() < silenceRate) {
      call.increment(replySeconds(context) * 1000);
      choices.push('~');
      steps.push({ type: 'silence' });
      continue;
    }
    const choice = offered[Math.floor(random() * offered.length)];
    if (!choice) break;
    choices.push(choice.id);
    steps.push({ type: 'choose', choiceId: choice.id });
    call.send({ type: 'agent.choose', choiceId: choice.id });
  }
  const context = call.context();
  const ended = call.phase() === 'ended';
  call.stop();
  const node = context.node;
  return { choices, ending: ended && node?.kind === 'ending' ? node.id : '', mood: context.call.mood, steps };
}

/** A random play through the call machine driven by its transition function (the server's replay, `randomPlay`). */
export function machinePlay(scenario: Scenario, random: () => number, maxDecisions: number, silenceRate = 0.05, lateRate = 0.1): MachineWalk {
  return drivenPlay(runDriven(scenario), scenario, random, maxDecisions, silenceRate, lateRate);
}

/** The same play through the machine in an XState actor on a SimulatedClock (the game). */
export function actorPlay(scenario: Scenario, random: () => number, maxDecisions: number, silenceRate = 0.05, lateRate = 0.1): MachineWalk {
  return drivenPlay(actorDriven(scenario), scenario, random, maxDecisions, silenceRate, lateRate);
}

/**
 * An attempt as the game records it and sends it to the server (format 2): played through the
 * machine in an actor with the attempt's seed, the options in the seed's order, every choice with
 * the time the trainee took and the place it was shown at, the caller's speech and holds waited out.
 */
export function recordedAttempt(scenario: Scenario, random: () => number, seed: string, maxDecisions: number, silenceRate = 0.05, lateRate = 0.1): AttemptStep[] {
  const call = actorDriven(scenario, seed);
  const ring = answerRing(scenario, random, lateRate);
  while (call.context().call.rings < ring) call.increment(scenario.timing.ringSeconds * 1000);
  call.send({ type: 'agent.answer' });
  const steps: AttemptStep[] = [{ type: 'answer', ring }];
  for (let n = 0; n < maxDecisions; ) {
    const phase = call.phase();
    if (phase === 'ended') break;
    const context = call.context();
    if (phase === 'speaking') {
      call.increment(context.speechEndsAt - call.elapsed());
      continue;
    }
    if (phase === 'hold') {
      call.increment(context.holdSeconds * 1000);
      continue;
    }
    if (context.node?.kind !== 'decision') break;
    n++;
    const shown = shownChoicesOf(context);
    const limit = replySeconds(context) * 1000;
    if (shown.length === 0 || random() < silenceRate) {
      call.increment(limit);
      steps.push({ type: 'silence' });
      continue;
    }
    const place = Math.floor(random() * shown.length);
    const choice = shown[place];
    if (!choice) break;
    const ms = 1000 + Math.floor(random() * (limit - 1000));
    call.increment(ms);
    steps.push({ type: 'choose', choiceId: choice.id, ms, position: place + 1 });
    call.send({ type: 'agent.choose', choiceId: choice.id });
  }
  call.stop();
  return steps;
}

/** The same play through the call-logic functions alone. */
export function logicPlay(scenario: Scenario, random: () => number, maxDecisions: number, silenceRate = 0.05, lateRate = 0.1): WalkResult {
  const index = nodeIndex(scenario);
  const ring = answerRing(scenario, random, lateRate);
  let arrival = enterNode(scenario, index, answer(scenario, initialState(scenario), ring, 0), scenario.start, 0);
  const choices: string[] = [];
  for (let n = 0; n < maxDecisions; n++) {
    const node = arrival.node;
    if (node?.kind !== 'decision') break;
    const state = arrival.state;
    const offered = offeredChoices(node, state);
    let step;
    if (offered.length === 0 || random() < silenceRate) {
      choices.push('~');
      step = silence(scenario, state, node, 0);
    } else {
      const choice = offered[Math.floor(random() * offered.length)]!;
      choices.push(choice.id);
      step = choose(scenario, state, node, choice, 0);
    }
    arrival = step.next === node.id ? { state: step.state, node, speakingSeconds: 0 } : enterNode(scenario, index, step.state, step.next, 0);
  }
  const node = arrival.node;
  return { choices, ending: node?.kind === 'ending' ? node.id : '', mood: arrival.state.mood };
}

/** The scenario as arrays of numbers: node kinds, branch and choice conditions, effects, targets. */
export interface CompiledGraph {
  /** 0 caller, 1 decision, 2 ending, 3 missing. */
  kind: Uint8Array;
  /** For every node, its outgoing items (branches or choices) in `items`, from first[n] to first[n + 1]. */
  first: Int32Array;
  /** Per item: condition flags that must be set / unset (lists into `flagList`), mood bounds, mood change, next. */
  need: Int32Array[];
  needNot: Int32Array[];
  moodMin: Int16Array;
  moodMax: Int16Array;
  mood: Int16Array;
  set: Int32Array[];
  unset: Int32Array[];
  scores: Float64Array[];
  next: Int32Array;
  /** For caller nodes: where `next` goes (-1 none); for decisions: where silence goes. */
  fallback: Int32Array;
  choiceIds: string[];
  nodeIds: string[];
  start: number;
  onLimit: number;
  limit: number;
  startMood: number;
  lateMood: number;
  silenceMood: number;
  dimensions: number;
  flagCount: number;
}

export function compileGraph(scenario: Scenario): CompiledGraph {
  const at = new Map<string, number>();
  scenario.nodes.forEach((n, i) => {
    if (!at.has(n.id)) at.set(n.id, i);
  });
  const missing = scenario.nodes.length;
  const idx = (id: string | undefined) => (id === undefined ? -1 : (at.get(id) ?? missing));
  const flagAt = new Map<string, number>();
  const flag = (f: string) => {
    let v = flagAt.get(f);
    if (v === undefined) flagAt.set(f, (v = flagAt.size));
    return v;
  };
  const dimAt = new Map<string, number>();
  for (const n of scenario.nodes) if (n.kind === 'decision') for (const c of n.choices) for (const d in c.scores ?? {}) if (!dimAt.has(d)) dimAt.set(d, dimAt.size);
  const kind = new Uint8Array(missing + 1);
  const first = new Int32Array(missing + 2);
  const fallback = new Int32Array(missing + 1).fill(-1);
  const need: Int32Array[] = [];
  const needNot: Int32Array[] = [];
  const moodMin: number[] = [];
  const moodMax: number[] = [];
  const mood: number[] = [];
  const set: Int32Array[] = [];
  const unset: Int32Array[] = [];
  const scores: Float64Array[] = [];
  const next: number[] = [];
  const choiceIds: string[] = [];
  const item = (when: { flags?: string[]; notFlags?: string[]; moodMin?: number; moodMax?: number } | undefined, to: string, id: string, c?: { mood?: number; set?: string[]; unset?: string[]; scores?: Record<string, number> }) => {
    need.push(Int32Array.from((when?.flags ?? []).map(flag)));
    needNot.push(Int32Array.from((when?.notFlags ?? []).map(flag)));
    moodMin.push(when?.moodMin ?? 0);
    moodMax.push(when?.moodMax ?? 100);
    mood.push(c?.mood ?? 0);
    set.push(Int32Array.from((c?.set ?? []).map(flag)));
    unset.push(Int32Array.from((c?.unset ?? []).map(flag)));
    const s = new Float64Array(dimAt.size);
    for (const [d, v] of Object.entries(c?.scores ?? {})) s[dimAt.get(d) ?? 0] = v;
    scores.push(s);
    next.push(idx(to));
    choiceIds.push(id);
  };
  scenario.nodes.forEach((n, i) => {
    first[i] = next.length;
    if (n.kind === 'caller') {
      kind[i] = 0;
      for (const b of n.branches ?? []) item(b.when, b.next, '');
      fallback[i] = idx(n.next);
    } else if (n.kind === 'decision') {
      kind[i] = 1;
      for (const c of n.choices) item(c.when, c.next, c.id, c);
      fallback[i] = n.silenceNext === undefined ? i : idx(n.silenceNext);
    } else kind[i] = 2;
  });
  kind[missing] = 3;
  first[missing] = next.length;
  first[missing + 1] = next.length;
  return {
    kind,
    first,
    need,
    needNot,
    moodMin: Int16Array.from(moodMin),
    moodMax: Int16Array.from(moodMax),
    mood: Int16Array.from(mood),
    set,
    unset,
    scores,
    next: Int32Array.from(next),
    fallback,
    choiceIds,
    nodeIds: scenario.nodes.map((n) => n.id),
    start: idx(scenario.start),
    onLimit: idx(scenario.caller.onMoodLimit),
    limit: scenario.caller.moodLimit,
    startMood: initialState(scenario).mood,
    lateMood: (scenario.timing.lateAnswer ?? DEFAULT_LATE_ANSWER).mood ?? 0,
    silenceMood: scenario.timing.silence?.mood ?? DEFAULT_SILENCE.mood,
    dimensions: dimAt.size,
    flagCount: flagAt.size,
  };
}

const clamp = (m: number) => (m < 0 ? 0 : m > 100 ? 100 : m);

/** The floor: the same play over the compiled graph, with flags in a byte array and scores in a typed array. */
export function floorPlay(g: CompiledGraph, flags: Uint8Array, scores: Float64Array, offered: Int32Array, random: () => number, maxDecisions: number, answerWithinRings: number, silenceRate = 0.05, lateRate = 0.1): WalkResult {
  flags.fill(0);
  scores.fill(0);
  let mood = g.startMood;
  if (random() < lateRate) mood = clamp(mood + g.lateMood);
  else Math.floor(random() * answerWithinRings);
  const holds = (i: number) => {
    if (mood < (g.moodMin[i] as number) || mood > (g.moodMax[i] as number)) return false;
    for (const f of g.need[i] as Int32Array) if (!flags[f]) return false;
    for (const f of g.needNot[i] as Int32Array) if (flags[f]) return false;
    return true;
  };
  /** Follows caller nodes to a decision, an ending or a missing node. */
  const settle = (n: number): number => {
    for (let guard = 0; guard < 1000 && n >= 0 && g.kind[n] === 0; guard++) {
      let to = g.fallback[n] as number;
      for (let i = g.first[n] as number, end = g.first[n + 1] as number; i < end; i++) {
        if (holds(i)) {
          to = g.next[i] as number;
          break;
        }
      }
      n = to;
    }
    return n;
  };
  let node = settle(g.start);
  const choices: string[] = [];
  for (let k = 0; k < maxDecisions && node >= 0 && g.kind[node] === 1; k++) {
    let count = 0;
    for (let i = g.first[node] as number, end = g.first[node + 1] as number; i < end; i++) if (holds(i)) offered[count++] = i;
    let to: number;
    if (count === 0 || random() < silenceRate) {
      choices.push('~');
      mood = clamp(mood + g.silenceMood);
      to = g.fallback[node] as number;
    } else {
      const i = offered[Math.floor(random() * count)] as number;
      choices.push(g.choiceIds[i] as string);
      mood = clamp(mood + (g.mood[i] as number));
      for (const f of g.set[i] as Int32Array) flags[f] = 1;
      for (const f of g.unset[i] as Int32Array) flags[f] = 0;
      const s = g.scores[i] as Float64Array;
      for (let d = 0; d < s.length; d++) scores[d] = (scores[d] as number) + (s[d] as number);
      to = g.next[i] as number;
    }
    if (mood >= g.limit) to = g.onLimit;
    node = to === node ? node : settle(to);
  }
  return { choices, ending: node >= 0 && g.kind[node] === 2 ? (g.nodeIds[node] as string) : '', mood };
}
