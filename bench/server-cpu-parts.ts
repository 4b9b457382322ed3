/**
 * `npx tsx bench/server-cpu-parts.ts [--rounds 5] [--n 3000]`: the CPU time of each part of a
 * submission's work in the server process, in isolation, on bench:server's attempts (valid plays of
 * every caller, `ms: 1000` a choice), in µs per submission (median of the rounds, each a loop over
 * `--n` attempts after a warm-up). What `POST /api/attempts` does between the socket and the
 * repository's insert: parse and check the body, the replay (the engine's `playSteps`), the flags,
 * the two prints and the analytics' facts, the row as the insert sends it, the answer's check and
 * its JSON. HTTP itself (Node's parser, @hono/node-server, Hono, the socket writes) is measured by
 * `bench/server-cpu-http.ts` over a real socket.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import * as engine from '../src/engine/index';
import { attemptFacts } from '../src/server/analytics';
import { attemptBodySchema } from '../src/server/app';
import { replaySubmission } from '../src/server/replay';
import { loadScenarioFilesOnce, ScenarioCatalogue } from '../src/server/scenarios';
import * as S from '../src/server/schemas';
import { SCENARIOS_DIR } from '../src/server/service';
import { attemptFlags, choicePrint, replayPrint } from '../src/server/vouch';
import { benchAttempts } from './bench-attempts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, n: { type: 'string', default: '3000' } } });
const ROUNDS = Number(args.rounds);
const N = Number(args.n);

const catalogue = new ScenarioCatalogue(loadScenarioFilesOnce(SCENARIOS_DIR).entries);
catalogue.warm();
const entries = [...catalogue.current.values()];
const bodies = benchAttempts(entries, N, 42).map((a) => JSON.stringify(a));
const attempts = bodies.map((b) => attemptBodySchema.parse(JSON.parse(b)));
const scenarioOf = (a: engine.Attempt) => catalogue.current.get(a.scenarioId)!;
const results = attempts.map((a) => engine.playSteps(scenarioOf(a).scenario, a.steps).result!);
const inputs = attempts.map((a) => ({ scenario: scenarioOf(a).scenario, hash: scenarioOf(a).hash, steps: a.steps, seed: undefined, language: a.language, serverElapsedMs: null, claimedStartedAt: a.startedAt }));
const replayed = inputs.map((i) => replaySubmission(i));
const answerSchema = z.compile(S.attemptAnswer);

let sink = 0;
const parts: [string, (i: number) => unknown][] = [
  ['JSON.parse of the body', (i) => JSON.parse(bodies[i]!)],
  ['JSON.parse + attemptBodySchema (compiled zod)', (i) => attemptBodySchema.safeParse(JSON.parse(bodies[i]!))],
  ['replaySubmission (all below)', (i) => replaySubmission(inputs[i]!)],
  ['  playSteps (the engine)', (i) => engine.playSteps(inputs[i]!.scenario, inputs[i]!.steps)],
  ['  attemptFlags', (i) => attemptFlags({ scenario: inputs[i]!.scenario, steps: inputs[i]!.steps, result: results[i]!, language: 'zh-CN', serverElapsedMs: null, claimedStartedAt: inputs[i]!.claimedStartedAt })],
  ['  replayPrint + choicePrint', (i) => replayPrint(inputs[i]!.scenario.id, inputs[i]!.steps).length + choicePrint(inputs[i]!.scenario.id, inputs[i]!.steps).length],
  ['  attemptFacts', (i) => attemptFacts(results[i]!, inputs[i]!.steps)],
  [
    'the insert row as JSON (what the insert sends, one attempt)',
    (i) => {
      const r = replayed[i]!;
      if (r.kind !== 'scored') return 0;
      const a = attempts[i]!;
      return JSON.stringify({ id: a.attemptId, trainee_id: 1, cohort_id: 1, scenario_id: a.scenarioId, scenario_hash: 'x', scenario_revision: a.scenarioRevision, language: a.language, started_at: a.startedAt, steps: a.steps, outcome: r.outcome, passed: r.passed, total: r.total, dimensions: r.dimensions, duration_ms: r.durationMs, seed: null, mode: 'practice', timed_by_server: false, claimed_started_at: a.startedAt, replay_print: r.replayPrint, choice_print: r.choicePrint, flags: r.flags, received_at: null, broken_rules: r.brokenRules, decisions: r.decisions }).length;
    },
  ],
  [
    'the answer: attemptAnswer check + JSON.stringify',
    (i) => {
      const r = replayed[i]!;
      if (r.kind !== 'scored') return 0;
      const checked = answerSchema.safeParse({ attemptId: attempts[i]!.attemptId, stored: true, result: { outcome: r.outcome, passed: r.passed, total: r.total, dimensions: r.dimensions } });
      return JSON.stringify(checked.data).length;
    },
  ],
];

const cpuUs = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const figures = new Map<string, number[]>();
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, fn] of parts) {
    const t0 = cpuUs();
    for (let i = 0; i < N; i++) if (fn(i)) sink++;
    const us = (cpuUs() - t0) / N;
    if (round > 0) figures.set(name, [...(figures.get(name) ?? []), us]); // round 0 warms up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`µs of CPU per submission, median of ${ROUNDS} rounds of ${N} (min–max)${sink < 0 ? '' : ''}`);
for (const [name, xs] of figures) console.log(`${median(xs).toFixed(1).padStart(7)}  (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})  ${name}`);
const sizes = bodies.map((b) => b.length).sort((a, b) => a - b);
console.log(`body size median ${sizes[sizes.length >> 1]} bytes`);
