/**
 * The analysis against brute force: on many small random scenarios with loops, flags and mood
 * conditions, the model call's weighted total, the maximum per dimension and the reachable endings
 * must equal what enumerating the plays themselves (with the machine's own step functions) gives,
 * and a loop that gains points must be reported exactly when one exists.
 */
import { describe, expect, it } from 'vitest';
import { analyseScenario, seededRandom, usedDimensions, dimensionWeights, type Scenario } from '../../src/engine/index';
import { randomScenario } from './random-scenario';
import { answer, choose, enterNode, initialState, nodeIndex, offeredChoices, reofferAfterSilence, silence, silenceEffect, type CallState } from '../../src/engine/call/logic';
import { OUTCOMES, startMoods } from '../../src/engine/format/schema';
import { criticalRules } from '../../src/engine/format/rulebook';
import { defaultRulebook } from '../../src/engine/rulebook-data';

const CRITICAL = criticalRules(defaultRulebook());
const key = (s: CallState) => `${s.nodeId}|${s.mood}|${[...s.flags].sort().join(',')}`;

interface Move {
  to: CallState;
  points: Record<string, number>;
  /** A choice (not silence) that breaks no critical rule. */
  modelMove: boolean;
  /** A silence rather than a choice. */
  silent: boolean;
}

/** Every move from a state at a decision, with the machine's step functions; null target = the call ended or broke. */
function movesFrom(scenario: Scenario, index: ReturnType<typeof nodeIndex>, state: CallState): Move[] {
  const node = state.nodeId ? index.get(state.nodeId) : undefined;
  if (!node || node.kind !== 'decision') return [];
  const moves: Move[] = [];
  for (const choice of offeredChoices(node, state)) {
    const step = choose(scenario, state, node, choice, 0);
    const to = enterNode(scenario, index, { ...step.state, transcript: [] }, step.next, 0).state;
    moves.push({ to, points: choice.scores ?? {}, modelMove: !(choice.rules?.broken ?? []).some((r) => CRITICAL.has(r)), silent: false });
  }
  const quiet = silence(scenario, state, node, 0);
  const after = { ...quiet.state, transcript: [] };
  const to = quiet.next === node.id ? reofferAfterSilence(after, node).state : enterNode(scenario, index, after, quiet.next, 0).state;
  moves.push({ to, points: silenceEffect(scenario).scores, modelMove: false, silent: true });
  return moves;
}

function endingOf(scenario: Scenario, index: ReturnType<typeof nodeIndex>, state: CallState) {
  const node = state.nodeId ? index.get(state.nodeId) : undefined;
  return node?.kind === 'ending' ? node : null;
}

/** Brute force: the best sum over plays that never repeat a state (enough when no loop gains). */
function bestOverPlays(scenario: Scenario, index: ReturnType<typeof nodeIndex>, root: CallState, value: (m: Move) => number | null, accept: (outcome: string) => boolean, budget: { steps: number }): number {
  const onPath = new Set<string>();
  const walk = (state: CallState): number => {
    if (--budget.steps < 0) throw new Error('budget');
    const ending = endingOf(scenario, index, state);
    if (ending) return accept(ending.outcome) ? 0 : Number.NEGATIVE_INFINITY;
    const k = key(state);
    onPath.add(k);
    let best = Number.NEGATIVE_INFINITY;
    for (const move of movesFrom(scenario, index, state)) {
      const v = value(move);
      if (v === null || onPath.has(key(move.to))) continue;
      best = Math.max(best, v + walk(move.to));
    }
    onPath.delete(k);
    return best;
  };
  return walk(root);
}

/** Brute force: whether some loop, from which an ending can be reached, gains points in a dimension. */
function hasGainfulLoop(scenario: Scenario, index: ReturnType<typeof nodeIndex>, roots: CallState[], dimension: string, budget: { steps: number }): boolean {
  // All states, and which of them can reach an ending.
  const states = new Map<string, CallState>();
  const edges = new Map<string, { to: string; gain: number }[]>();
  const queue = [...roots];
  for (const r of roots) states.set(key(r), r);
  while (queue.length) {
    const s = queue.pop() as CallState;
    const list: { to: string; gain: number }[] = [];
    for (const m of movesFrom(scenario, index, s)) {
      const k = key(m.to);
      list.push({ to: k, gain: m.points[dimension] ?? 0 });
      if (!states.has(k)) {
        states.set(k, m.to);
        queue.push(m.to);
      }
    }
    edges.set(key(s), list);
  }
  const canEnd = new Set<string>();
  for (const [k, s] of states) if (endingOf(scenario, index, s)) canEnd.add(k);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, list] of edges) if (!canEnd.has(k) && list.some((e) => canEnd.has(e.to))) changed = canEnd.add(k) !== undefined;
  }
  // Longest-path relaxation: still improving after |states| rounds means a gainful loop.
  const best = new Map<string, number>();
  for (const k of canEnd) if (endingOf(scenario, index, states.get(k) as CallState)) best.set(k, 0);
  for (let round = 0; round <= states.size; round++) {
    let improved = false;
    for (const [k, list] of edges) {
      if (!canEnd.has(k)) continue;
      for (const e of list) {
        if (--budget.steps < 0) throw new Error('budget');
        const rest = best.get(e.to);
        if (rest === undefined) continue;
        if (rest + e.gain > (best.get(k) ?? Number.NEGATIVE_INFINITY)) {
          best.set(k, rest + e.gain);
          improved = true;
        }
      }
    }
    if (!improved) return false;
  }
  return true;
}

/** Brute force: decisions where some reachable state cannot reach an ending by choices alone (silence does not count). */
function trappedNodes(scenario: Scenario, index: ReturnType<typeof nodeIndex>, roots: CallState[], budget: { steps: number }): string[] {
  const states = new Map<string, CallState>();
  const edges = new Map<string, string[]>();
  const queue = [...roots];
  for (const r of roots) states.set(key(r), r);
  while (queue.length) {
    if (--budget.steps < 0) throw new Error('budget');
    const s = queue.pop() as CallState;
    const list: string[] = [];
    for (const m of movesFrom(scenario, index, s)) {
      const k = key(m.to);
      if (!m.silent) list.push(k);
      if (!states.has(k)) {
        states.set(k, m.to);
        queue.push(m.to);
      }
    }
    edges.set(key(s), list);
  }
  const canEnd = new Set<string>();
  for (const [k, s] of states) if (endingOf(scenario, index, s)) canEnd.add(k);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, list] of edges) {
      if (--budget.steps < 0) throw new Error('budget');
      if (!canEnd.has(k) && list.some((t) => canEnd.has(t))) changed = canEnd.add(k) !== undefined;
    }
  }
  const trapped = new Set<string>();
  for (const [k, s] of states) if (!canEnd.has(k) && s.nodeId && index.get(s.nodeId)?.kind === 'decision') trapped.add(s.nodeId);
  return [...trapped].sort();
}

describe('the analysis equals brute-force enumeration', () => {
  it('on 1,000 small random scenarios with loops, flags and mood conditions', { timeout: 180_000 }, () => {
    const random = seededRandom(20261129);
    let compared = 0;
    let withLoops = 0;
    let withGainfulLoops = 0;
    let withTraps = 0;
    let tried = 0;
    for (let n = 0; compared < 1000; n++) {
      tried++;
      expect(n, 'too many random scenarios were too large to enumerate').toBeLessThan(5000);
      const scenario = randomScenario(random, n);
      const index = nodeIndex(scenario);
      const analysis = analyseScenario(scenario);
      const budget = { steps: 60_000 };
      try {
        const weights = dimensionWeights(scenario);
        const roots: { state: CallState; onTime: boolean; mood: number }[] = [];
        for (const mood of startMoods(scenario)) {
          for (const ring of [1, scenario.timing.answerWithinRings + 1]) {
            const answered = answer(scenario, { ...initialState(scenario), mood, startMood: mood }, ring, 0);
            roots.push({ state: { ...enterNode(scenario, index, answered, scenario.start, 0).state, transcript: [], scores: answered.scores }, onTime: ring === 1, mood });
          }
        }
        const dims = usedDimensions(scenario);
        const gainful = dims.filter((d) => hasGainfulLoop(scenario, index, roots.map((r) => r.state), d, budget));
        expect(analysis.gainfulLoops.map((l) => l.dimension).sort(), scenario.id).toEqual(gainful.sort());
        const trapped = trappedNodes(scenario, index, roots.map((r) => r.state), budget);
        expect([...analysis.trappedNodes].sort(), `${scenario.id} traps`).toEqual(trapped);
        if (trapped.length > 0) withTraps++;
        if (gainful.length > 0) {
          withGainfulLoops++;
          compared++;
          continue;
        }
        for (const d of dims) {
          let best = 0;
          for (const root of roots) {
            const rest = bestOverPlays(scenario, index, root.state, (m) => m.points[d] ?? 0, () => true, budget);
            if (rest !== Number.NEGATIVE_INFINITY) best = Math.max(best, (root.state.scores[d] ?? 0) + rest);
          }
          expect(analysis.maxScores[d], `${scenario.id} max ${d}`).toBe(best);
        }
        const worth = (m: Move) => (m.modelMove ? Object.entries(m.points).reduce((sum, [d, v]) => sum + (weights[d] ?? 0) * v, 0) : null);
        for (const root of roots.filter((r) => r.onTime)) {
          const model = analysis.models[root.mood];
          const best = bestOverPlays(scenario, index, root.state, worth, (o) => OUTCOMES[o as keyof typeof OUTCOMES]?.passable === true, budget);
          if (best === Number.NEGATIVE_INFINITY) expect(model, scenario.id).toBeNull();
          else {
            expect(model, scenario.id).not.toBeNull();
            const total = Object.entries(model?.scores ?? {}).reduce((sum, [d, v]) => sum + (weights[d] ?? 0) * v, 0);
            expect(total, `${scenario.id} model total from anger ${root.mood}`).toBeCloseTo(best, 9);
          }
        }
        const endings = new Set<string>();
        const seen = new Set<string>();
        const queue = roots.map((r) => r.state);
        while (queue.length) {
          const s = queue.pop() as CallState;
          if (seen.has(key(s))) continue;
          seen.add(key(s));
          const ending = endingOf(scenario, index, s);
          if (ending) endings.add(ending.id);
          for (const m of movesFrom(scenario, index, s)) queue.push(m.to);
        }
        expect([...analysis.reachableEndings].sort(), scenario.id).toEqual([...endings].sort());
        const order = new Map(scenario.nodes.map((node, i) => [node.id, i]));
        if (scenario.nodes.some((node, i) => node.kind === 'decision' && node.choices.some((c) => (order.get(c.next) ?? -1) <= i && index.get(c.next)?.kind === 'decision'))) withLoops++;
        compared++;
      } catch (error) {
        if ((error as Error).message !== 'budget') throw error;
      }
    }
    expect(compared).toBe(1000);
    console.log(`compared ${compared} of ${tried} scenarios; ${withLoops} with loops, ${withGainfulLoops} with gainful loops, ${withTraps} with traps`);
    // The generator must really produce the cases the property is about.
    expect(withGainfulLoops).toBeGreaterThan(20);
    expect(withLoops).toBeGreaterThan(300);
    expect(withTraps).toBeGreaterThan(20);
  });
});

describe('the analysis with more choices than 16 bits can number', () => {
  it('keeps 32-bit edge classes and finds the same maxima and model call as the chain implies', { timeout: 60_000 }, async () => {
    const { generateScenario } = await import('../../bench/generate-scenario');
    const { scenarioSchema } = await import('../../src/engine/index');
    const { analyseWithGraph } = await import('../../src/engine/analysis/explore');
    const long = scenarioSchema.parse(generateScenario(25_000));
    const choices = long.nodes.reduce((n, node) => n + (node.kind === 'decision' ? node.choices.length : 0), 0);
    expect(choices).toBeGreaterThan(0xffff);
    const { analysis, graph } = analyseWithGraph(long);
    expect(graph.edgeClass).toBeInstanceOf(Int32Array);
    expect(analysis.complete).toBe(true);
    const decisions = long.nodes.filter((n) => n.kind === 'decision').length;
    expect(analysis.maxScores.courtesy).toBe(decisions);
    expect(analysis.bestPath?.choices.length).toBe(decisions);
    expect(analysis.bestPath?.outcome).toBe('resolved');
  });
});
