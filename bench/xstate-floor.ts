/**
 * `node --import tsx bench/xstate-floor.ts`: what XState 5 itself costs per transition, and so the
 * most the call machine could reach in the two #14 targets it misses, whatever the call logic costs.
 * By CPU time, in one process, the rounds interleaved (the median of 5 after one warm-up):
 * - one-state machines stepped by `machine.transition` with an inert actor scope whose executor is
 *   kept (as `CallRun` steps the call machine), in calls of 10 events from a fresh initial snapshot:
 *   an event whose transition runs one `assign` returning six fields of an 11-field context; the
 *   same with a guard and the call machine's two timer actions (`cancel`, a delayed `raise`); and
 *   the initial snapshot alone;
 * - the transitions a replay of `wrong-charge` takes (the 2,000 attempts recorded as the game
 *   records them, counted through `CallRun.send`), and the call-logic walk on the generated
 *   2,000-node scenario, per decision.
 * Printed: replays per second if each transition cost only the bare machine's and the call logic,
 * replay loop and scoring cost nothing; and machine ÷ walk if each decision cost the logic plus
 * one bare transition.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { assign, cancel, createActor, createMachine, raise, setup, type AnyActorScope } from 'xstate';
import { CallRun } from '../src/engine/call/run';
import { checkScenario, playSteps, seededRandom } from '../src/engine/index';
import { generateLoopScenario } from './generate-loops';
import { logicPlay, recordedAttempt } from './walks';

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

const inert = createActor(createMachine({}));
const executor = () => {};
const scope = { self: inert, system: inert.system, id: '', sessionId: '', logger() {}, defer() {}, emit() {}, stopChild() {} } as unknown as AnyActorScope;
Object.defineProperty(scope, 'actionExecutor', { get: () => executor, set: () => {} });

type Ctx = { n: number; a: number; b: number; c: number; d: number; e: number; f: number; g: number; h: number; i: number; j: number };
const bare = (timers: boolean) =>
  setup({
    types: { context: {} as Ctx },
    actions: {
      step: assign(({ context }) => ({ n: context.n + 1, a: context.n, b: 1, c: 2, d: 3, e: 4 })),
      stopTimer: cancel('timer'),
      startTimer: raise({ type: 'late' }, { id: 'timer', delay: ({ context }) => context.n + 1000 }),
    },
    guards: { open: ({ context }) => context.n >= 0 },
  }).createMachine({
    id: 'bare',
    context: () => ({ n: 0, a: 0, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0, h: 0, i: 0, j: 0 }),
    initial: 'on',
    states: { on: { entry: 'startTimer', on: { go: timers ? { guard: 'open', actions: ['step', 'stopTimer', 'startTimer'] } : { actions: 'step' } } } },
  });
const machines = { assign: bare(false), timers: bare(true) };
const go = { type: 'go' } as const;
const CALLS = 20_000;

function perTransition(machine: (typeof machines)['assign']): { transition: number; initial: number } {
  let t = cpuUs();
  for (let k = 0; k < CALLS; k++) machine.getInitialSnapshot(scope, undefined);
  const initial = (cpuUs() - t) / CALLS;
  t = cpuUs();
  for (let k = 0; k < CALLS; k++) {
    let s = machine.getInitialSnapshot(scope, undefined);
    for (let i = 0; i < 10; i++) s = machine.transition(s, go, scope);
  }
  return { transition: (cpuUs() - t - initial * CALLS) / (CALLS * 10), initial };
}

// The transitions of a replay of wrong-charge.
const scenario = checkScenario(readFileSync(new URL('../scenarios/wrong-charge.json', import.meta.url), 'utf8')).scenario;
if (!scenario) throw new Error('wrong-charge does not check');
const attempts = Array.from({ length: 2000 }, (_, i) => ({ seed: `bench-seed-${i + 1}`, steps: recordedAttempt(scenario, seededRandom(i + 1), `bench-seed-${i + 1}`, 1000) }));
let sends = 0;
const send = CallRun.prototype.send;
CallRun.prototype.send = function counted(this: CallRun, event) {
  sends++;
  send.call(this, event);
};
for (const a of attempts) playSteps(scenario, a.steps, { seed: a.seed });
CallRun.prototype.send = send;
const transitions = sends / attempts.length;

const loops = checkScenario(JSON.stringify(generateLoopScenario(2000))).scenario;
if (!loops) throw new Error('the generated scenario does not check');
let decisions = 0;
for (let seed = 1; seed <= 300; seed++) decisions += logicPlay(loops, seededRandom(seed), 1000).choices.length;

const rounds: Record<'assign' | 'timers' | 'initial' | 'logic' | 'replay', number[]> = { assign: [], timers: [], initial: [], logic: [], replay: [] };
for (let round = 0; round < 6; round++) {
  const a = perTransition(machines.assign);
  const b = perTransition(machines.timers);
  let t = cpuUs();
  for (let seed = 1; seed <= 300; seed++) logicPlay(loops, seededRandom(seed), 1000);
  const logic = (cpuUs() - t) / decisions;
  t = cpuUs();
  for (const x of attempts) playSteps(scenario, x.steps, { seed: x.seed });
  const replay = (cpuUs() - t) / attempts.length;
  if (round === 0) continue;
  rounds.assign.push(a.transition);
  rounds.timers.push(b.transition);
  rounds.initial.push(b.initial);
  rounds.logic.push(logic);
  rounds.replay.push(replay);
}
const m = (k: keyof typeof rounds) => median(rounds[k]);
const floor = transitions * m('timers') + m('initial');
console.log(`Node ${process.version}, XState 5 bare machines by machine.transition, CPU time, medians of 5 rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`a transition with one assign: ${m('assign').toFixed(2)} µs; with a guard, an assign, a cancel and a delayed raise (a choice's): ${m('timers').toFixed(2)} µs; an initial snapshot: ${m('initial').toFixed(2)} µs`);
console.log(`a replay of wrong-charge (playSteps with the seed): ${transitions.toFixed(2)} transitions and the initial snapshot, ${m('replay').toFixed(1)} µs (${Math.round(1e6 / m('replay')).toLocaleString('en')} /s)`);
console.log(`  XState's floor for those: ${floor.toFixed(1)} µs, at most ${Math.round(1e6 / floor).toLocaleString('en')} replays/s with nothing else (target 20,000: a budget of 50 µs)`);
console.log(`call-logic walk on 2,000 nodes: ${m('logic').toFixed(2)} µs a decision; machine ÷ walk if a decision cost the logic and one bare transition: ${(m('logic') / (m('logic') + m('timers'))).toFixed(2)} (target 0.5)`);
