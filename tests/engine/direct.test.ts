/**
 * The replay steps the machine's transitions directly (src/engine/call/direct.ts) instead of
 * through the XState actor. These tests hold the two to the same result: every golden plan, and
 * random plays (with and without seeds, with mistakes in them) of every shipped caller, of a
 * generated scenario with loops, flags and mood conditions, and of edge cases of the clock.
 */
import { readFileSync } from 'node:fs';
import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { generateLoopScenario } from '../../bench/generate-loops';
import { DirectCall } from '../../src/engine/call/direct';
import { replayCall, replayThroughMachine, type AttemptStep, type Replay, type ReplayOptions } from '../../src/engine/call/replay';
import { analysisOf, callMachine, checkScenario, offeredChoices, randomPlay, readPlans, replySeconds, scenarioSchema, scoreCall, seededRandom, shownChoicesOf, type Scenario } from '../../src/engine/index';
import { plansFileFor, readText, scenarioFiles } from './scenario-files';

/** Everything a replay gives, as plain data (the context's functions and index left out). */
function outcome(r: Replay) {
  const { call, node, speakingSeconds, holdSeconds, pendingNext, startAt } = r.context;
  return { ended: r.ended, problem: r.problem, call, node: node?.id ?? null, speakingSeconds, holdSeconds, pendingNext, startAt };
}

function expectSame(scenario: Scenario, steps: readonly AttemptStep[], options: ReplayOptions = {}): Replay {
  const direct = replayCall(scenario, steps, options);
  const machine = replayThroughMachine(scenario, steps, options);
  expect(outcome(direct), JSON.stringify({ scenario: scenario.id, steps, options })).toEqual(outcome(machine));
  return direct;
}

/**
 * A random attempt, made by playing the direct stepper: rings early and late (and too late), the
 * options by their shown place, silences, and now and then a mistake (an unknown choice, a wrong
 * position, a reply at the time limit, a step after the end, a second answer).
 */
function randomSteps(scenario: Scenario, random: () => number, seed: string | undefined, mistakes: boolean): AttemptStep[] {
  const call = new DirectCall({ scenario, ...(seed !== undefined ? { seed } : {}) });
  const give = scenario.timing.giveUpAfterRings;
  const ring = 1 + Math.floor(random() * (mistakes ? give + 1 : give));
  const steps: AttemptStep[] = [{ type: 'answer', ring }];
  while (call.context.call.rings < ring && !call.done) call.increment(scenario.timing.ringSeconds * 1000);
  call.send({ type: 'agent.answer' });
  for (let n = 0; n < 60; n++) {
    while (call.state === 'speaking' || call.state === 'onHold') call.increment(call.state === 'speaking' ? Math.max(1, Math.round(call.context.speakingSeconds * 1000)) : call.context.holdSeconds * 1000);
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

describe('the direct replay and the replay through the XState machine', () => {
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

  /** The simulation's random play as it was written before, through the XState actor. */
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
      if (s.matches({ connected: 'speaking' }) || s.matches({ connected: 'onHold' })) {
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
      const direct = seededRandom(11);
      const machine = seededRandom(11);
      for (let i = 0; i < 100; i++) {
        const a = randomPlay(scenario, analysisOf(scenario), direct);
        const b = machineRandomPlay(scenario, machine);
        expect({ choices: a.choices, result: a.result }, `${scenario.id} play ${i}`).toEqual({ choices: b.choices, result: b.result });
        expect(a.result).not.toBeNull();
      }
    }
  });
});
