/**
 * The server's replay and the simulation drive the call machine through its transition function
 * (src/engine/call/run.ts, timers on a simulated clock); the game runs it in an XState actor. These
 * tests hold the two to the same result: every golden plan, and random plays (with and without
 * seeds, with mistakes in them) of every shipped caller, of a generated scenario with loops, flags
 * and mood conditions, and of edge cases of the clock; and the machine to the call-logic functions
 * walked alone.
 */
import { readFileSync } from 'node:fs';
import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { generateLoopScenario } from '../../bench/generate-loops';
import { CallRun } from '../../src/engine/call/run';
import { answer, choose, enterNode, initialState, nodeIndex, silence } from '../../src/engine/call/logic';
import { replayCall, replayThroughMachine, type AttemptStep, type Replay, type ReplayOptions } from '../../src/engine/call/replay';
import { analysisOf, callMachine, callPhase, checkScenario, offeredChoices, randomPlay, readPlans, replySeconds, scenarioSchema, scoreCall, seededRandom, shownChoicesOf, type Scenario } from '../../src/engine/index';
import { plansFileFor, readText, scenarioFiles } from './scenario-files';

/** Everything a replay gives, as plain data (the context's functions and index left out). */
function outcome(r: Replay) {
  const { call, node, speakingSeconds, speechEndsAt, holdSeconds, pendingNext, startAt } = r.context;
  return { ended: r.ended, problem: r.problem, call, node: node?.id ?? null, speakingSeconds, speechEndsAt, holdSeconds, pendingNext, startAt };
}

function expectSame(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): Replay {
  const run = replayCall(scenario, steps, options);
  const actor = replayThroughMachine(scenario, steps, options);
  expect(outcome(run), JSON.stringify({ scenario: scenario.id, steps, options })).toEqual(outcome(actor));
  return run;
}

/**
 * A random attempt, made by driving the machine's transition function: rings early and late (and too late), the
 * options by their shown place, silences, and now and then a mistake (an unknown choice, a wrong
 * position, a reply at the time limit, a step after the end, a second answer).
 */
function randomSteps(scenario: Scenario, random: () => number, seed: string | undefined, mistakes: boolean): AttemptStep[] {
  const call = new CallRun({ scenario, ...(seed !== undefined ? { seed } : {}) });
  const give = scenario.timing.giveUpAfterRings;
  const ring = 1 + Math.floor(random() * (mistakes ? give + 1 : give));
  const steps: AttemptStep[] = [{ type: 'answer', ring }];
  while (call.context.call.rings < ring && !call.done) call.increment(scenario.timing.ringSeconds * 1000);
  call.send({ type: 'agent.answer' });
  for (let n = 0; n < 60; n++) {
    while (call.phase === 'speaking' || call.phase === 'hold') call.increment(call.phase === 'speaking' ? call.context.speechEndsAt - call.clock : call.context.holdSeconds * 1000);
    if (mistakes && random() < 0.03) {
      const r = random();
      steps.push(r < 0.25 ? { type: 'choose', choiceId: 'no-such-choice' } : r < 0.5 ? { type: 'answer', ring: 1 } : r < 0.75 ? { type: 'choose', choiceId: 'x', ms: 10 ** 6 } : { type: 'silence' });
    }
    if (call.done) break;
    const node = call.context.node;
    if (node?.kind !== 'decision') break;
    const shown = shownChoicesOf(call.context);
    const limit = (node.replySeconds ?? scenario.timing.replySeconds) * 1000;
    if (shown.length === 0 || random() < 0.1) {
      steps.push({ type: 'silence' });
      call.increment(limit);
      continue;
    }
    const place = Math.floor(random() * shown.length);
    const choice = shown[place]!;
    const ms = Math.floor(random() * limit);
    const position = mistakes && random() < 0.03 ? ((place + 1) % shown.length) + 1 : place + 1;
    steps.push(random() < 0.5 ? { type: 'choose', choiceId: choice.id, ms, position } : { type: 'choose', choiceId: choice.id });
    call.increment(ms);
    call.send({ type: 'agent.choose', choiceId: choice.id });
  }
  if (mistakes && random() < 0.2) steps.push({ type: 'silence' });
  return steps;
}

const shipped = scenarioFiles().map((file) => checkScenario(readText(file)).scenario as Scenario);

describe('the machine driven by its transition function and in an actor', () => {
  it.each(shipped.map((s) => [s.id, s]))('agree on every golden plan of %s, without a seed and with two', (_id, scenario) => {
    const file = plansFileFor(scenario.id);
    const plans = file ? readPlans(JSON.parse(readText(file))).plans : [];
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      const steps: AttemptStep[] = [{ type: 'answer', ring: plan.ring }, ...plan.choices.map((c): AttemptStep => (c === '~' ? { type: 'silence' } : { type: 'choose', choiceId: c }))];
      const replay = expectSame(scenario, steps);
      expect(replay.problem).toBeNull();
      expect(replay.ended).toBe(true);
      for (const seed of ['golden-seed-1', 'golden-seed-2']) expectSame(scenario, steps, { seed });
    }
  });

  it.each(shipped.map((s) => [s.id, s]))('agree on 300 random attempts at %s, seeded and not, some with mistakes', (_id, scenario) => {
    const random = seededRandom(scenario.id.length * 7919);
    let ended = 0;
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const seed = i % 3 === 0 ? undefined : `random-seed-${i}`;
      const steps = randomSteps(scenario, random, seed, i % 4 === 3);
      const replay = expectSame(scenario, steps, seed !== undefined ? { seed } : {});
      if (replay.problem) refused++;
      else if (replay.ended) ended++;
    }
    // The plays are not all of one kind: most end, some are refused.
    expect(ended).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });

  it('agree on 500 random attempts at a generated 300-node scenario with loops, flags and mood conditions', () => {
    const scenario = checkScenario(JSON.stringify(generateLoopScenario(300))).scenario as Scenario;
    const random = seededRandom(42);
    for (let i = 0; i < 500; i++) expectSame(scenario, randomSteps(scenario, random, i % 2 ? `loops-${i}` : undefined, i % 5 === 4));
  });

  const base = JSON.parse(readFileSync(new URL('../fixtures/sample-call.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Loose = Record<string, any>;
  const variant = (patch: (s: Loose) => void): Scenario => {
    const copy = structuredClone(base) as Loose;
    patch(copy);
    return scenarioSchema.parse(copy);
  };

  it('agree on the clock\'s edge cases: speech of 0 ms, no silence line, fractional rings, replies and holds', () => {
    const cases: Scenario[] = [
      variant(() => {}),
      variant((s) => {
        delete s.timing.silence.line;
      }),
      variant((s) => {
        s.timing.ringSeconds = 1.1;
        s.timing.replySeconds = 3.3;
        // The silent look-up becomes a hold of a fractional length.
        for (const node of s.nodes) for (const c of node.choices ?? []) if (c.kind === 'lookup') Object.assign(c, { kind: 'hold', holdSeconds: 1.7 });
      }),
      variant((s) => {
        s.timing.ringSeconds = 0.7;
        for (const node of s.nodes) if (node.kind === 'decision') node.replySeconds = 4.1;
        for (const node of s.nodes) for (const c of node.choices ?? []) if (c.kind === 'lookup') c.kind = 'hold';
      }),
    ];
    let holds = 0;
    let silences = 0;
    for (const scenario of cases) {
      const random = seededRandom(7);
      for (let i = 0; i < 300; i++) {
        const seed = i % 2 ? `edge-${i}` : undefined;
        const replay = expectSame(scenario, randomSteps(scenario, random, seed, i % 3 === 2), seed !== undefined ? { seed } : {});
        for (const entry of replay.context.call.transcript) {
          if (entry.kind === 'hold') holds++;
          if (entry.kind === 'silence') silences++;
        }
      }
    }
    // The cases did go through holds and silences (the greeting decision has no line: 0 ms of speech).
    expect(holds).toBeGreaterThan(5);
    expect(silences).toBeGreaterThan(10);
  });

  /** The simulation's random play through an XState actor: the speech waited out on the clock, a hold skipped. */
  function machineRandomPlay(scenario: Scenario, random: () => number) {
    const clock = new SimulatedClock();
    const actor = createActor(callMachine, { input: { scenario, now: () => clock.now() }, clock });
    actor.start();
    const ring = random() < 0.1 ? scenario.timing.answerWithinRings + 1 : 1 + Math.floor(random() * scenario.timing.answerWithinRings);
    while (actor.getSnapshot().context.call.rings < ring) clock.increment(scenario.timing.ringSeconds * 1000);
    actor.send({ type: 'agent.answer' });
    const choices: string[] = [];
    for (let guard = 0; guard < 2000; guard++) {
      const s = actor.getSnapshot();
      if (s.status === 'done') break;
      const phase = callPhase(s, clock.now());
      if (phase === 'speaking') {
        clock.increment(s.context.speechEndsAt - clock.now());
        continue;
      }
      if (phase === 'hold') {
        actor.send({ type: 'agent.skip' });
        continue;
      }
      const node = s.context.node;
      if (node?.kind !== 'decision') break;
      const offered = offeredChoices(node, s.context.call);
      if (offered.length === 0 || random() < 0.05) {
        clock.increment(replySeconds(s.context) * 1000);
        choices.push('~');
        continue;
      }
      const choice = offered[Math.floor(random() * offered.length)]!;
      choices.push(choice.id);
      actor.send({ type: 'agent.choose', choiceId: choice.id });
    }
    const final = actor.getSnapshot();
    actor.stop();
    return { choices, call: final.context.call, result: final.status === 'done' ? scoreCall(scenario, analysisOf(scenario), final.context.call) : null };
  }

  it('agree on the simulation\'s random plays (randomPlay) of every shipped caller', () => {
    for (const scenario of shipped) {
      const run = seededRandom(11);
      const actor = seededRandom(11);
      for (let i = 0; i < 100; i++) {
        const a = randomPlay(scenario, analysisOf(scenario), run);
        const b = machineRandomPlay(scenario, actor);
        expect({ choices: a.choices, result: a.result }, `${scenario.id} play ${i}`).toEqual({ choices: b.choices, result: b.result });
        expect(a.result).not.toBeNull();
      }
    }
  });

  /** The same random play through the call-logic functions alone: no machine, no clock. */
  function logicWalk(scenario: Scenario, random: () => number) {
    const index = nodeIndex(scenario);
    const ring = random() < 0.1 ? scenario.timing.answerWithinRings + 1 : 1 + Math.floor(random() * scenario.timing.answerWithinRings);
    let arrival = enterNode(scenario, index, answer(scenario, initialState(scenario), ring, 0), scenario.start, 0);
    const choices: string[] = [];
    for (let guard = 0; guard < 2000; guard++) {
      const node = arrival.node;
      if (node?.kind !== 'decision') break;
      const offered = offeredChoices(node, arrival.state);
      let step;
      if (offered.length === 0 || random() < 0.05) {
        choices.push('~');
        step = silence(scenario, arrival.state, node, 0);
      } else {
        const choice = offered[Math.floor(random() * offered.length)]!;
        choices.push(choice.id);
        step = choose(scenario, arrival.state, node, choice, 0);
      }
      if (step.next === node.id) arrival = { state: step.state, node, speakingSeconds: 0 };
      else arrival = enterNode(scenario, index, step.state, step.next, 0);
    }
    const call = arrival.state;
    const said = call.transcript.filter((e) => e.kind !== 'ring' && e.kind !== 'answer').map((e) => `${e.kind}:${'nodeId' in e ? e.nodeId : ''}`);
    return { choices, node: arrival.node?.id ?? null, mood: call.mood, flags: call.flags, scores: call.scores, kept: call.kept, broken: call.broken, steps: call.steps, said };
  }

  /** The same play through the machine's transition function, the speech waited out on the clock. */
  function machineWalk(scenario: Scenario, random: () => number) {
    const call = new CallRun({ scenario });
    const ring = random() < 0.1 ? scenario.timing.answerWithinRings + 1 : 1 + Math.floor(random() * scenario.timing.answerWithinRings);
    while (call.context.call.rings < ring) call.increment(scenario.timing.ringSeconds * 1000);
    call.send({ type: 'agent.answer' });
    const choices: string[] = [];
    for (let guard = 0; guard < 2000 && !call.done; guard++) {
      if (call.phase === 'speaking') call.increment(call.context.speechEndsAt - call.clock);
      if (call.phase === 'hold') {
        call.send({ type: 'agent.skip' });
        continue;
      }
      const { node, call: state } = call.context;
      if (node?.kind !== 'decision') break;
      const offered = offeredChoices(node, state);
      if (offered.length === 0 || random() < 0.05) {
        choices.push('~');
        call.increment(replySeconds(call.context) * 1000);
        continue;
      }
      const choice = offered[Math.floor(random() * offered.length)]!;
      choices.push(choice.id);
      call.send({ type: 'agent.choose', choiceId: choice.id });
    }
    const state = call.context.call;
    const said = state.transcript.filter((e) => e.kind !== 'ring' && e.kind !== 'answer').map((e) => `${e.kind}:${'nodeId' in e ? e.nodeId : ''}`);
    return { choices, node: call.context.node?.id ?? null, mood: state.mood, flags: state.flags, scores: state.scores, kept: state.kept, broken: state.broken, steps: state.steps, said };
  }

  it('walk the very calls of the call-logic functions alone: 500 random plays with loops, flags and mood conditions', () => {
    const scenario = checkScenario(JSON.stringify(generateLoopScenario(300))).scenario as Scenario;
    let ended = 0;
    let silences = 0;
    for (let i = 1; i <= 500; i++) {
      const machine = machineWalk(scenario, seededRandom(i));
      const logic = logicWalk(scenario, seededRandom(i));
      expect(machine, `play ${i}`).toEqual(logic);
      if (machine.said.at(-1)?.startsWith('end:')) ended++;
      silences += machine.choices.filter((c) => c === '~').length;
    }
    expect(ended).toBeGreaterThan(250);
    expect(silences).toBeGreaterThan(100);
  });

  it('keep the run\'s own action executor: a transition cannot swap in the wrapper that collects the actions (README, Performance, Engine)', () => {
    const scenario = checkScenario(readText('scenarios/practice-call.json')).scenario as Scenario;
    const run = new CallRun({ scenario });
    const own = run.actionExecutor;
    run.actionExecutor = () => {
      throw new Error('the run used an executor set from outside');
    };
    expect(run.actionExecutor).toBe(own);
    // The ring and reply timers still run: the run's executor saw the actions.
    run.increment(scenario.timing.ringSeconds * 1000);
    expect(run.context.call.rings).toBe(2);
    run.send({ type: 'agent.answer' });
    run.increment(Math.max(0, run.context.speechEndsAt - run.clock));
    expect(run.phase).toBe('awaiting');
    const before = run.context.call.transcript.length;
    run.increment(replySeconds(run.context) * 1000);
    expect(run.context.call.transcript.slice(before).some((e) => e.kind === 'silence')).toBe(true);
  });
});
