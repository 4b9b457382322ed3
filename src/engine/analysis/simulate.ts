/**
 * Random play-throughs on a simulated clock: the outcome and score distributions a trainer reads,
 * and the nodes and choices no play reached. A play drives the call machine through its transition
 * function on a simulated clock (../call/run), as the server's replay does.
 */
import { CallRun } from '../call/run';
import { replySeconds } from '../call/machine';
import { offeredChoices } from '../call/logic';
import type { Scenario } from '../format/schema';
import { scoreCall } from '../scoring';
import type { Analysis } from './explore';

export interface SimulationOptions {
  runs: number;
  seed?: number;
  /** Chance that the simulated trainee lets the reply timer run out at a decision. */
  silenceRate?: number;
  /** Chance that the simulated trainee answers late (after the allowed rings). */
  lateRate?: number;
  /** Plays per seeded chunk (default SIMULATION_CHUNK); the report depends on it, not on threads. */
  chunk?: number;
}

export interface SimulationReport {
  runs: number;
  seed: number;
  outcomes: Record<string, number>;
  passed: number;
  total: { mean: number; min: number; max: number; histogram: number[] };
  nodeVisits: Record<string, number>;
  choiceCounts: Record<string, number>;
  unvisitedNodes: string[];
  unchosenChoices: string[];
  worst: { total: number; choices: string[] } | null;
  best: { total: number; choices: string[] } | null;
}

/** mulberry32: small, fast and the same on every platform, so a seed replays exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomPlay {
  choices: string[];
  result: ReturnType<typeof scoreCall> | null;
  nodes: string[];
}

/** One random play-through: the caller's speech and holds skipped, as a hurried trainee would. */
export function randomPlay(scenario: Scenario, analysis: Analysis, random: () => number, silenceRate = 0.05, lateRate = 0.1): RandomPlay {
  const call = new CallRun({ scenario });
  const ring = random() < lateRate ? scenario.timing.answerWithinRings + 1 : 1 + Math.floor(random() * scenario.timing.answerWithinRings);
  while (call.context.call.rings < ring) call.increment(scenario.timing.ringSeconds * 1000);
  call.send({ type: 'agent.answer' });
  const choices: string[] = [];
  for (let guard = 0; guard < 2000; guard++) {
    if (call.done) break;
    // The speech is waited out on the clock (the machine has nothing to do then); a hold is skipped.
    if (call.phase === 'speaking') call.increment(call.context.speechEndsAt - call.clock);
    if (call.phase === 'hold') {
      call.send({ type: 'agent.skip' });
      continue;
    }
    const context = call.context;
    const node = context.node;
    if (node?.kind !== 'decision') break;
    const offered = offeredChoices(node, context.call);
    if (offered.length === 0 || random() < silenceRate) {
      call.increment(replySeconds(context) * 1000);
      choices.push('~');
      continue;
    }
    const choice = offered[Math.floor(random() * offered.length)];
    if (!choice) break;
    choices.push(choice.id);
    call.send({ type: 'agent.choose', choiceId: choice.id });
  }
  const transcript = call.context.call.transcript;
  const nodes: string[] = [];
  for (const e of transcript) if (e.kind === 'caller' || e.kind === 'end' || e.kind === 'agent') nodes.push(e.nodeId);
  return { choices, result: call.done ? scoreCall(scenario, analysis, call.context.call) : null, nodes };
}

/** Plays are run in chunks with their own seeds, so a run split across workers gives the same report. */
export const SIMULATION_CHUNK = 5000;

export function chunkSeed(seed: number, chunk: number): number {
  return (seed + Math.imul(chunk, 0x9e3779b9)) >>> 0;
}

export function simulationChunks(runs: number, chunk = SIMULATION_CHUNK): number[] {
  const sizes: number[] = [];
  for (let left = runs; left > 0; left -= chunk) sizes.push(Math.min(chunk, left));
  return sizes;
}

/** One chunk of plays, seeded by its index. */
export function simulateChunk(scenario: Scenario, analysis: Analysis, runs: number, seed: number, chunk: number, options: Pick<SimulationOptions, 'silenceRate' | 'lateRate'> = {}): SimulationReport {
  const random = seededRandom(chunkSeed(seed, chunk));
  const outcomes: Record<string, number> = {};
  const nodeVisits: Record<string, number> = Object.fromEntries(scenario.nodes.map((n) => [n.id, 0]));
  const choiceCounts: Record<string, number> = {};
  for (const n of scenario.nodes) if (n.kind === 'decision') for (const c of n.choices) choiceCounts[c.id] = 0;
  const histogram = new Array<number>(11).fill(0);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let passed = 0;
  let worst: SimulationReport['worst'] = null;
  let best: SimulationReport['best'] = null;
  for (let run = 0; run < runs; run++) {
    const play = randomPlay(scenario, analysis, random, options.silenceRate, options.lateRate);
    for (const id of new Set(play.nodes)) nodeVisits[id] = (nodeVisits[id] ?? 0) + 1;
    for (const c of play.choices) if (c !== '~') choiceCounts[c] = (choiceCounts[c] ?? 0) + 1;
    const result = play.result;
    const outcome = result?.outcome ?? 'unfinished';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (!result) continue;
    if (result.passed) passed++;
    sum += result.total;
    min = Math.min(min, result.total);
    max = Math.max(max, result.total);
    histogram[Math.min(10, Math.floor(result.total / 10))]!++;
    if (!worst || result.total < worst.total) worst = { total: result.total, choices: play.choices };
    if (!best || result.total > best.total) best = { total: result.total, choices: play.choices };
  }
  return finishReport({ runs, seed, outcomes, passed, total: { mean: sum, min, max, histogram }, nodeVisits, choiceCounts, unvisitedNodes: [], unchosenChoices: [], worst, best });
}

function finishReport(report: SimulationReport): SimulationReport {
  return {
    ...report,
    unvisitedNodes: Object.entries(report.nodeVisits).filter(([, v]) => v === 0).map(([k]) => k),
    unchosenChoices: Object.entries(report.choiceCounts).filter(([, v]) => v === 0).map(([k]) => k),
  };
}

const finished = (r: SimulationReport) => Object.entries(r.outcomes).reduce((a, [k, v]) => (k === 'unfinished' ? a : a + v), 0);

/** Merges chunk reports in chunk order. Chunk reports carry the score sum in `total.mean`. */
export function mergeReports(seed: number, chunks: readonly SimulationReport[]): SimulationReport {
  const merged: SimulationReport = { runs: 0, seed, outcomes: {}, passed: 0, total: { mean: 0, min: Infinity, max: -Infinity, histogram: new Array<number>(11).fill(0) }, nodeVisits: {}, choiceCounts: {}, unvisitedNodes: [], unchosenChoices: [], worst: null, best: null };
  let sum = 0;
  let count = 0;
  for (const c of chunks) {
    merged.runs += c.runs;
    merged.passed += c.passed;
    for (const [k, v] of Object.entries(c.outcomes)) merged.outcomes[k] = (merged.outcomes[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.nodeVisits)) merged.nodeVisits[k] = (merged.nodeVisits[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.choiceCounts)) merged.choiceCounts[k] = (merged.choiceCounts[k] ?? 0) + v;
    c.total.histogram.forEach((v, i) => (merged.total.histogram[i] = (merged.total.histogram[i] ?? 0) + v));
    sum += c.total.mean;
    count += finished(c);
    merged.total.min = Math.min(merged.total.min, c.total.min);
    merged.total.max = Math.max(merged.total.max, c.total.max);
    if (c.worst && (!merged.worst || c.worst.total < merged.worst.total)) merged.worst = c.worst;
    if (c.best && (!merged.best || c.best.total > merged.best.total)) merged.best = c.best;
  }
  merged.total.mean = count ? Math.round((sum / count) * 10) / 10 : 0;
  if (!count) {
    merged.total.min = 0;
    merged.total.max = 0;
  }
  return finishReport(merged);
}

export function simulate(scenario: Scenario, analysis: Analysis, options: SimulationOptions): SimulationReport {
  const seed = options.seed ?? 1;
  const chunks = simulationChunks(options.runs, options.chunk).map((runs, i) => simulateChunk(scenario, analysis, runs, seed, i, options));
  return mergeReports(seed, chunks);
}
