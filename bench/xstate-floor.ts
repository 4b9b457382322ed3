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
 * one bare transition. Last, what a replay allocates (V8's sampling heap profiler through the
 * inspector, every 256 bytes, objects freed by scavenges included) and how much of it XState's code.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
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

type Round = Record<'assign' | 'timers' | 'initial' | 'logic' | 'replay', number>;
const median5 = (rounds: readonly Round[], key: keyof Round) => median(rounds.slice(1).map((r) => r[key]));

// First the bare machines alone, before this process has run any XState actor (see the README,
// Performance, Engine: an actor run in the same process makes V8 allocate some of XState's objects
// in the old space from then on, which slows every later transition, the bare machines' too).
const clean: Round[] = [];
for (let round = 0; round < 6; round++) {
  const a = perTransition(machines.assign);
  const b = perTransition(machines.timers);
  clean.push({ assign: a.transition, timers: b.transition, initial: b.initial, logic: 0, replay: 0 });
}

// The transitions of a replay of wrong-charge (its attempts recorded through the actor, as the game records them).
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

// Then all of it interleaved, after the actor has run.
const after: Round[] = [];
for (let round = 0; round < 6; round++) {
  const a = perTransition(machines.assign);
  const b = perTransition(machines.timers);
  let t = cpuUs();
  for (let seed = 1; seed <= 300; seed++) logicPlay(loops, seededRandom(seed), 1000);
  const logic = (cpuUs() - t) / decisions;
  t = cpuUs();
  for (const x of attempts) playSteps(scenario, x.steps, { seed: x.seed });
  after.push({ assign: a.transition, timers: b.transition, initial: b.initial, logic, replay: (cpuUs() - t) / attempts.length });
}
console.log(`Node ${process.version}, XState 5 bare machines by machine.transition, CPU time, medians of 5 rounds; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const [label, rounds] of [['before any actor ran in this process', clean], ['after the attempts were recorded through the actor', after]] as const) {
  const m = (k: keyof Round) => median5(rounds, k);
  console.log(`${label}: a transition with one assign ${m('assign').toFixed(2)} µs; with a guard, an assign, a cancel and a delayed raise (a choice's) ${m('timers').toFixed(2)} µs; an initial snapshot ${m('initial').toFixed(2)} µs`);
  const floor = transitions * m('timers') + m('initial');
  console.log(`  a replay of wrong-charge takes ${transitions.toFixed(2)} transitions and the initial snapshot: XState's floor ${floor.toFixed(1)} µs, at most ${Math.round(1e6 / floor).toLocaleString('en')} replays/s with nothing else (target 20,000: a budget of 50 µs)`);
}
const m = (k: keyof Round) => median5(after, k);
console.log(`replays of wrong-charge (playSteps with the seed, in this process): ${m('replay').toFixed(1)} µs (${Math.round(1e6 / m('replay')).toLocaleString('en')} /s)`);
console.log(`call-logic walk on 2,000 nodes: ${m('logic').toFixed(2)} µs a decision; machine ÷ walk if a decision cost the logic and one bare transition (before any actor): ${(m('logic') / (m('logic') + median5(clean, 'timers'))).toFixed(2)} (target 0.5)`);

interface SampleNode {
  callFrame: { url: string };
  selfSize: number;
  children: SampleNode[];
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (const a of attempts) playSteps(scenario, a.steps, { seed: a.seed });
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SampleNode } };
let bytes = 0;
let xstate = 0;
/** Built-ins (a Set, a Map, Object.assign, sort…) have no script: what they allocate counts for the script that called them. */
const visit = (node: SampleNode, inXState: boolean): void => {
  const mine = node.callFrame.url === '' ? inXState : node.callFrame.url.includes('/xstate/');
  bytes += node.selfSize;
  if (mine) xstate += node.selfSize;
  for (const child of node.children) visit(child, mine);
};
visit(profile.head, false);
console.log(`a replay allocates about ${(bytes / attempts.length / 1024).toFixed(0)} KB (sampled), ${((100 * xstate) / bytes).toFixed(0)} % of it in XState (its functions and the built-ins they call)`);
