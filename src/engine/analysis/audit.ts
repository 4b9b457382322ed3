/**
 * The guessability audit: can a trainee pass this caller without judging? It plays the call with
 * naive strategies (always the first option, the last, the longest or shortest in each language,
 * the one with most of the rulebook's stock phrases, and a uniformly random player) and reports
 * where the model trainee's options sit. Options are taken in the file's order, as the CLI and a
 * call without a seed show them.
 */
import { OUTCOMES, type Choice, type Language, type Outcome, type Scenario, type ScenarioNode } from '../format/schema';
import { criticalRules, type Rulebook } from '../format/rulebook';
import { answer, initialState, moveOnChoice, nodeIndex, offeredChoices, route, type CallState } from '../call/logic';
import { scoreDimensions } from '../scoring';
import type { Analysis } from './explore';
import { seededRandom } from './simulate';
import { nodeOf, STATE_DECISION, STATE_ENDING, type StateGraph } from './state-graph';

export const AUDIT_STRATEGIES = ['first', 'last', 'longest-zh', 'longest-en', 'shortest-zh', 'shortest-en', 'stock-phrases-zh', 'stock-phrases-en'] as const;
export type AuditStrategy = (typeof AUDIT_STRATEGIES)[number];

/** A random player passing more than this share of plays makes the caller guessable. */
export const RANDOM_PASS_LIMIT = 0.01;
/** The best option being the longest in more than this share of decisions gives it away. */
export const LONGEST_BEST_LIMIT = 1 / 3;
export const DEFAULT_RANDOM_PLAYS = 2000;
/** A strategy that has not ended the call after this many choices is going round a loop. */
const MAX_CHOICES = 200;

export interface StrategyResult {
  strategy: AuditStrategy;
  outcome: string;
  total: number;
  passed: boolean;
  choices: string[];
}

export interface AuditReport {
  scenarioId: string;
  strategies: StrategyResult[];
  random: { plays: number; passed: number; passRate: number; seed: number };
  /** Decisions with one best option: how often that option stands at each place (1 = first). */
  bestPosition: { decisions: number; first: number; last: number; histogram: number[] };
  /** How often the best option is the longest option, per language, over the same decisions. */
  bestLongest: Record<Language, number>;
  /** The strategies that pass. */
  passing: AuditStrategy[];
}

function length(choice: Choice, language: Language): number {
  return [...(choice.text[language] ?? '')].length;
}

function phraseCount(choice: Choice, language: Language, phrases: readonly string[]): number {
  const text = (choice.text[language] ?? '').toLowerCase();
  let count = 0;
  for (const phrase of phrases) if (text.includes(phrase.toLowerCase())) count++;
  return count;
}

/** The first option with the highest `measure` (ties go to the earlier option). */
function argmax(offered: readonly Choice[], measure: (c: Choice) => number): Choice | undefined {
  let best: Choice | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const choice of offered) {
    const value = measure(choice);
    if (value > bestValue) {
      best = choice;
      bestValue = value;
    }
  }
  return best;
}

function picker(strategy: AuditStrategy, rulebook: Rulebook): (offered: readonly Choice[]) => Choice | undefined {
  const phrases = rulebook.stockPhrases ?? { 'zh-CN': [], en: [] };
  switch (strategy) {
    case 'first':
      return (offered) => offered[0];
    case 'last':
      return (offered) => offered[offered.length - 1];
    case 'longest-zh':
      return (offered) => argmax(offered, (c) => length(c, 'zh-CN'));
    case 'longest-en':
      return (offered) => argmax(offered, (c) => length(c, 'en'));
    case 'shortest-zh':
      return (offered) => argmax(offered, (c) => -length(c, 'zh-CN'));
    case 'shortest-en':
      return (offered) => argmax(offered, (c) => -length(c, 'en'));
    case 'stock-phrases-zh':
      return (offered) => argmax(offered, (c) => phraseCount(c, 'zh-CN', phrases['zh-CN']));
    case 'stock-phrases-en':
      return (offered) => argmax(offered, (c) => phraseCount(c, 'en', phrases.en));
  }
}

interface Played {
  outcome: string;
  scores: Record<string, number>;
  critical: boolean;
  choices: string[];
}

/**
 * Plays the call answering on time and never silent, picking with `pick`, with the call logic's
 * moves alone (no transcript): the audit plays thousands of calls. Null if it never ends.
 */
function play(scenario: Scenario, index: Map<string, ScenarioNode>, critical: ReadonlySet<string>, pick: (offered: readonly Choice[]) => Choice | undefined): Played | null {
  const start = answer(scenario, initialState(scenario), 1, 0);
  let state: Pick<CallState, 'mood' | 'flags'> = start;
  const scores: Record<string, number> = { ...start.scores };
  const choices: string[] = [];
  let broke = false;
  let stop = route(index, state, scenario.start).stop;
  while (stop?.kind === 'decision') {
    if (choices.length >= MAX_CHOICES) return null;
    const choice = pick(offeredChoices(stop, state));
    if (!choice) return null;
    choices.push(choice.id);
    for (const d in choice.scores) scores[d] = (scores[d] ?? 0) + (choice.scores[d] ?? 0);
    if (choice.rules?.broken?.some((r) => critical.has(r))) broke = true;
    const move = moveOnChoice(scenario, state, choice);
    state = move;
    stop = route(index, state, move.next).stop;
  }
  return stop ? { outcome: stop.outcome, scores, critical: broke, choices } : null;
}

function judge(scenario: Scenario, analysis: Analysis, played: Played): { total: number; passed: boolean } {
  const { total } = scoreDimensions(analysis, played.scores);
  const passable = OUTCOMES[played.outcome as Outcome]?.passable === true;
  return { total, passed: passable && !played.critical && total >= scenario.passMark };
}

export interface AuditOptions {
  randomPlays?: number;
  seed?: number;
  /**
   * The analysis's state graph (complete) and the state a call answered on time from the base
   * anger stops in first: the random player then walks the graph instead of stepping the call
   * logic, with the same draws, so it makes the same plays (what the checker passes).
   */
  graph?: { calls: StateGraph; root: number };
}

/**
 * The random player on the state graph: a state's edges are its offered choices in the file's
 * order, then silence (never taken here), so drawing an edge as `play` draws a choice takes the
 * same path. Returns how many plays pass.
 */
function randomPassesOnGraph(scenario: Scenario, analysis: Analysis, critical: ReadonlySet<string>, graph: { calls: StateGraph; root: number }, plays: number, random: () => number): number {
  const { calls, root } = graph;
  const { kind, edgeStart, edgeTo, edgeClass, choices } = calls;
  const dimensions = Object.keys(analysis.maxScores);
  const D = dimensions.length;
  const points = new Float64Array(choices.length * D);
  const breaks = new Uint8Array(choices.length);
  choices.forEach((c, k) => {
    dimensions.forEach((d, i) => (points[k * D + i] = c.scores?.[d] ?? 0));
    breaks[k] = c.rules?.broken?.some((r) => critical.has(r)) ? 1 : 0;
  });
  const start = answer(scenario, initialState(scenario), 1, 0).scores;
  const sums = new Float64Array(D);
  let passed = 0;
  for (let p = 0; p < plays; p++) {
    for (let i = 0; i < D; i++) sums[i] = start[dimensions[i] as string] ?? 0;
    let s = root;
    let taken = 0;
    let broke = false;
    let ended = true;
    while (kind[s] === STATE_DECISION) {
      if (taken >= MAX_CHOICES) {
        ended = false;
        break;
      }
      const first = edgeStart[s] as number;
      const offered = (edgeStart[s + 1] as number) - first - 1; // the last edge is silence
      const at = Math.floor(random() * offered);
      if (offered <= 0) {
        ended = false;
        break;
      }
      const e = first + at;
      const c = edgeClass[e] as number;
      for (let i = 0; i < D; i++) sums[i]! += points[c * D + i] as number;
      if (breaks[c] === 1) broke = true;
      taken++;
      s = edgeTo[e] as number;
    }
    if (!ended || broke || kind[s] !== STATE_ENDING) continue;
    if (OUTCOMES[calls.outcomes[nodeOf(calls, s)] as Outcome]?.passable !== true) continue;
    const scores: Record<string, number> = {};
    for (let i = 0; i < D; i++) scores[dimensions[i] as string] = sums[i] as number;
    if (scoreDimensions(analysis, scores).total >= scenario.passMark) passed++;
  }
  return passed;
}

export function auditScenario(scenario: Scenario, analysis: Analysis, rulebook: Rulebook, options: AuditOptions = {}): AuditReport {
  const index = nodeIndex(scenario);
  const critical = criticalRules(rulebook);
  const strategies: StrategyResult[] = AUDIT_STRATEGIES.map((strategy) => {
    const played = play(scenario, index, critical, picker(strategy, rulebook));
    if (!played) return { strategy, outcome: 'never-ends', total: 0, passed: false, choices: [] };
    return { strategy, outcome: played.outcome, ...judge(scenario, analysis, played), choices: played.choices };
  });

  const plays = options.randomPlays ?? DEFAULT_RANDOM_PLAYS;
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  let passed = 0;
  if (options.graph?.calls.complete) passed = randomPassesOnGraph(scenario, analysis, critical, options.graph, plays, random);
  else {
    for (let i = 0; i < plays; i++) {
      const played = play(scenario, index, critical, (offered) => offered[Math.floor(random() * offered.length)]);
      if (played && judge(scenario, analysis, played).passed) passed++;
    }
  }

  // Where the model trainee's option stands, at decisions where exactly one option is best.
  const histogram: number[] = [];
  let decisions = 0;
  let first = 0;
  let last = 0;
  const bestLongest: Record<Language, number> = { 'zh-CN': 0, en: 0 };
  for (const [nodeId, best] of analysis.bestChoices) {
    const node = index.get(nodeId);
    if (node?.kind !== 'decision' || best.length !== 1) continue;
    const options = node.choices;
    const at = options.findIndex((c) => c.id === best[0]);
    if (at < 0 || options.length < 2) continue;
    decisions++;
    histogram[at] = (histogram[at] ?? 0) + 1;
    if (at === 0) first++;
    if (at === options.length - 1) last++;
    for (const language of ['zh-CN', 'en'] as const) {
      const longest = argmax(options, (c) => length(c, language));
      if (longest?.id === best[0]) bestLongest[language]++;
    }
  }
  for (let i = 0; i < histogram.length; i++) histogram[i] ??= 0;

  return {
    scenarioId: scenario.id,
    strategies,
    random: { plays, passed, passRate: plays > 0 ? passed / plays : 0, seed },
    bestPosition: { decisions, first, last, histogram },
    bestLongest,
    passing: strategies.filter((s) => s.passed).map((s) => s.strategy),
  };
}
