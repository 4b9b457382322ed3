/**
 * `node --import tsx bench/xstate-promotion.ts`: why `CallRun` (src/engine/call/run.ts) keeps its own
 * action executor. A one-state XState machine whose event runs an `assign` and one more action
 * (a plain one that does nothing), stepped by `machine.transition` in "calls" of ten events, each
 * call's context holding a list that grows with the call (as a transcript does). Two actor scopes:
 * - `swapped`: a plain `actionExecutor` field, which each microstep replaces by a wrapper that also
 *   collects the executed actions (each with its arguments, and so its step's context) in a list;
 * - `kept`: `actionExecutor` as an accessor whose setter keeps the scope's own executor (CallRun).
 * Each runs in a child process whose young generation starts at its full size (16 MB semi-spaces,
 * where the replays and the server are after their start-up), with `--trace-gc-nvp`; printed: the
 * bytes a scavenge promotes to the old space and its pause, averaged over the last 40 scavenges, and
 * the CPU time of the run. With `swapped`, V8's allocation-site pretenuring moves the collecting
 * lists to the old space and every call they reach is promoted with them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assign, createActor, createMachine, setup, type AnyActorScope } from 'xstate';

const CALLS = 100_000;

function child(mode: 'swapped' | 'kept'): void {
  const inert = createActor(createMachine({}));
  const own = (_action: unknown) => {};
  const scope = {
    self: inert,
    system: inert.system,
    id: '',
    sessionId: '',
    logger() {},
    defer() {},
    emit() {},
    stopChild() {},
  } as unknown as AnyActorScope;
  if (mode === 'swapped') scope.actionExecutor = own;
  else Object.defineProperty(scope, 'actionExecutor', { get: () => own, set: () => {} });
  const machine = setup({
    types: { context: {} as { n: number; log: Array<{ kind: string; at: number }> } },
    actions: {
      note: () => {},
      step: assign(({ context }) => {
        context.log.push({ kind: 'step', at: context.n });
        return { n: context.n + 1 };
      }),
    },
  }).createMachine({ id: 'm', context: () => ({ n: 0, log: [] }), on: { go: { actions: ['step', 'note'] } } });
  const event = { type: 'go' } as const;
  const started = process.cpuUsage();
  for (let call = 0; call < CALLS; call++) {
    let snapshot = machine.getInitialSnapshot(scope, undefined);
    for (let i = 0; i < 10; i++) snapshot = machine.transition(snapshot, event, scope);
  }
  const cpu = process.cpuUsage(started);
  console.log(`CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)}`);
}

function parent(): void {
  const file = fileURLToPath(import.meta.url);
  for (const mode of ['swapped', 'kept', 'swapped', 'kept'] as const) {
    const run = spawnSync(process.execPath, ['--min-semi-space-size=16', '--max-semi-space-size=16', '--trace-gc-nvp', '--import', 'tsx', file, mode], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.status !== 0) throw new Error(`${mode} failed: ${run.error?.message ?? run.stderr}`);
    const scavenges = run.stdout.split('\n').filter((l) => l.includes('gc=s')).slice(-40);
    const field = (line: string, name: string) => Number(new RegExp(`\\b${name}=([0-9.]+)`).exec(line)?.[1] ?? 0);
    const mean = (name: string) => scavenges.reduce((a, l) => a + field(l, name), 0) / Math.max(1, scavenges.length);
    const cpu = /CPU (\d+)/.exec(run.stdout)?.[1] ?? '?';
    console.log(`${mode.padEnd(8)} promoted ${(mean('promoted') / 1024).toFixed(0).padStart(5)} KB a scavenge, pause ${mean('pause').toFixed(1).padStart(5)} ms, ${CALLS.toLocaleString('en')} calls in ${cpu} ms of CPU`);
  }
}

const mode = process.argv[2];
if (mode === 'swapped' || mode === 'kept') child(mode);
else parent();
