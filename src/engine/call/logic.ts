/**
 * The rules of a call as pure functions over plain data. The XState machine, the plain-loop
 * benchmark and the graph analysis all step a call with these, so they cannot disagree.
 */
import type { CallerNode, Choice, Condition, DecisionNode, EndingNode, FlowStep, Line, LineVariant, Scenario, ScenarioNode } from '../format/schema';
import { lineVariant, optionOrder, startMood } from './variation';

export const DEFAULT_LATE_ANSWER = { mood: 10, scores: { courtesy: -2 }, rules: { broken: ['answer-fast'] } } as const;
export const DEFAULT_SILENCE = { mood: 10, scores: { listening: -1 }, rules: { broken: ['no-dead-air'] } } as const;
export const DEFAULT_HOLD_SECONDS = 20;
export const MOOD_MIN = 0;
export const MOOD_MAX = 100;

/** One entry of the call's record, in order. `at` is milliseconds since the phone started ringing. */
export type TranscriptEntry =
  | { kind: 'ring'; ring: number; at: number }
  | { kind: 'answer'; ring: number; late: boolean; at: number }
  | { kind: 'caller'; nodeId: string; lineId: string; narration: boolean; at: number }
  /** `shown`: the options in the order the trainee saw them; `position`: the place chosen, from 1. */
  | { kind: 'agent'; nodeId: string; choiceId: string; at: number; moodBefore: number; moodAfter: number; shown: string[]; position: number }
  | { kind: 'silence'; nodeId: string; at: number; moodAfter: number }
  | { kind: 'hold'; nodeId: string; seconds: number; at: number }
  | { kind: 'mood-limit'; nodeId: string; at: number }
  | { kind: 'end'; nodeId: string; outcome: string; at: number };

/**
 * Everything that decides where a call goes next, and the record of the call so far.
 *
 * The record lists (`transcript`, `kept`, `broken`, `steps`) grow with the call, so a step appends
 * to them in place instead of copying them: a step's result shares its lists with the state it was
 * given, which is then spent. Keep the state a step returns, not the one it took.
 */
export interface CallState {
  nodeId: string | null;
  mood: number;
  flags: string[];
  scores: Record<string, number>;
  steps: FlowStep[];
  /** Rule ids kept and broken along the way (answer, choices, silence), in order. */
  kept: string[];
  broken: string[];
  transcript: TranscriptEntry[];
  rings: number;
  /** The attempt's seed (option order, wording, starting anger); null: nothing varies. */
  seed: string | null;
  /** The anger the caller started at. */
  startMood: number;
}

const indexes = new WeakMap<Scenario, Map<string, ScenarioNode>>();

/** The nodes by id (the first of each id), built once per scenario object. */
export function nodeIndex(scenario: Scenario): Map<string, ScenarioNode> {
  let index = indexes.get(scenario);
  if (index) return index;
  index = new Map<string, ScenarioNode>();
  for (const node of scenario.nodes) if (!index.has(node.id)) index.set(node.id, node);
  indexes.set(scenario, index);
  return index;
}

/**
 * A copy of the state's fields (the lists shared, see CallState) for a step to change: written out
 * field by field, so every state has one shape and copying one costs no more than its dozen fields.
 */
export function copyState(s: CallState): CallState {
  return { nodeId: s.nodeId, mood: s.mood, flags: s.flags, scores: s.scores, steps: s.steps, kept: s.kept, broken: s.broken, transcript: s.transcript, rings: s.rings, seed: s.seed, startMood: s.startMood };
}

export function initialState(scenario: Scenario, seed: string | null = null): CallState {
  const mood = clampMood(startMood(scenario, seed));
  return { nodeId: null, mood, flags: [], scores: {}, steps: [], kept: [], broken: [], transcript: [], rings: 0, seed, startMood: mood };
}

export function clampMood(mood: number): number {
  return Math.max(MOOD_MIN, Math.min(MOOD_MAX, mood));
}

export function conditionHolds(when: Condition | undefined, state: Pick<CallState, 'flags' | 'mood'>): boolean {
  if (!when) return true;
  if (when.flags) for (const f of when.flags) if (!state.flags.includes(f)) return false;
  if (when.notFlags) for (const f of when.notFlags) if (state.flags.includes(f)) return false;
  if (when.moodMin !== undefined && state.mood < when.moodMin) return false;
  if (when.moodMax !== undefined && state.mood > when.moodMax) return false;
  return true;
}

/** The choices the agent is offered at a decision in this state. */
export function offeredChoices(node: DecisionNode, state: Pick<CallState, 'flags' | 'mood'>): Choice[] {
  return node.choices.filter((c) => conditionHolds(c.when, state));
}

/**
 * The line or variant a transcript entry names: the node's lines, a decision's silence line and the
 * scenario's silence line, with their variants.
 */
export function spokenLine(scenario: Scenario, node: ScenarioNode | undefined, lineId: string): Line | LineVariant | undefined {
  const candidates: Line[] = [...(node?.lines ?? [])];
  if (node?.kind === 'decision' && node.silenceLine) candidates.push(node.silenceLine);
  if (scenario.timing.silence?.line) candidates.push(scenario.timing.silence.line);
  for (const line of candidates) {
    if (line.id === lineId) return line;
    const variant = line.variants?.find((v) => v.id === lineId);
    if (variant) return variant;
  }
  return undefined;
}

/** The choice with this id if it is on offer in this state (what `offeredChoices(…).find` gives, without the list). */
export function offeredChoice(node: DecisionNode, state: Pick<CallState, 'flags' | 'mood'>, choiceId: string): Choice | undefined {
  for (const c of node.choices) if (c.id === choiceId && conditionHolds(c.when, state)) return c;
  return undefined;
}

/** Estimated speaking time of caller lines, from the Chinese text length unless the line says. */
export function lineSeconds(line: Pick<Line | LineVariant, 'text' | 'seconds'>): number {
  if (line.seconds !== undefined) return line.seconds;
  const length = (line.text['zh-CN'] ?? line.text.en ?? '').length;
  return Math.min(12, Math.max(1.5, length * 0.18));
}

function addScores(scores: Record<string, number>, delta: Record<string, number> | undefined): Record<string, number> {
  if (!delta) return scores;
  const next = { ...scores };
  for (const dimension in delta) next[dimension] = (next[dimension] ?? 0) + (delta[dimension] as number);
  return next;
}

interface Effect {
  readonly mood?: number;
  readonly scores?: Readonly<Record<string, number>>;
  readonly rules?: { readonly kept?: readonly string[]; readonly broken?: readonly string[] };
}

/** Appends in place (see CallState) and returns the list. */
function append<T>(list: T[], items: readonly T[]): T[] {
  for (const item of items) list.push(item);
  return list;
}

function applyEffect(state: CallState, effect: Effect): CallState {
  const next = copyState(state);
  next.mood = clampMood(state.mood + (effect.mood ?? 0));
  next.scores = addScores(state.scores, effect.scores as Record<string, number> | undefined);
  if (effect.rules?.kept) append(state.kept, effect.rules.kept);
  if (effect.rules?.broken) append(state.broken, effect.rules.broken);
  return next;
}

/** The result of moving the call on: where it now stands, and what the caller said on the way. */
export interface Arrival {
  state: CallState;
  /** The node the call now waits at: a decision, an ending, or null if the scenario is broken. */
  node: DecisionNode | EndingNode | null;
  /** Seconds the caller spends speaking before the agent can reply. */
  speakingSeconds: number;
}

const MAX_AUTO_STEPS = 1000;

/** Where entering a node leads: the caller nodes passed on the way, and the node the call stops at. */
export interface Route {
  /** Caller nodes the call passes through, in order, each with the branch it took (-1: `next`). */
  passed: { node: CallerNode; branch: number }[];
  /** A decision or an ending; null when a node is missing or a caller node has nowhere to go. */
  stop: DecisionNode | EndingNode | null;
  /** The last node id the route touched (the missing id, or the caller node that had nowhere to go). */
  lastId: string;
}

/** Follows caller nodes from `nodeId`; caller nodes change nothing, so the mood and flags decide it. */
export function route(index: Map<string, ScenarioNode>, state: Pick<CallState, 'flags' | 'mood'>, nodeId: string): Route {
  const passed: Route['passed'] = [];
  let id: string | undefined = nodeId;
  let lastId = nodeId;
  for (let guard = 0; id !== undefined && guard < MAX_AUTO_STEPS; guard++) {
    lastId = id;
    const node = index.get(id);
    if (!node) return { passed, stop: null, lastId };
    if (node.kind !== 'caller') return { passed, stop: node, lastId };
    const branch = node.branches ? node.branches.findIndex((b) => conditionHolds(b.when, state)) : -1;
    passed.push({ node, branch });
    id = branch >= 0 ? node.branches?.[branch]?.next : node.next;
  }
  return { passed, stop: null, lastId };
}

/**
 * Enters a node and follows caller nodes until a decision or an ending, recording every line.
 * A broken scenario (missing node, caller node with nowhere to go) stops at null instead of throwing.
 */
export function enterNode(scenario: Scenario, index: Map<string, ScenarioNode>, state: CallState, nodeId: string, at: number): Arrival {
  // `route`, followed and spoken in one pass: caller nodes change neither the mood nor the flags
  // that decide the route, so saying each line as it is passed records what `route` would list.
  let speakingSeconds = 0;
  let stop: DecisionNode | EndingNode | null = null;
  let id: string | undefined = nodeId;
  for (let guard = 0; id !== undefined && guard < MAX_AUTO_STEPS; guard++) {
    const node = index.get(id);
    if (!node) break;
    if (node.kind !== 'caller') {
      stop = node;
      break;
    }
    speakingSeconds = say(state, node, at, speakingSeconds);
    const branch = node.branches ? node.branches.findIndex((b) => conditionHolds(b.when, state)) : -1;
    id = branch >= 0 ? node.branches?.[branch]?.next : node.next;
  }
  const next = copyState(state);
  if (!stop) {
    next.nodeId = null;
    return { state: next, node: null, speakingSeconds };
  }
  speakingSeconds = say(state, stop, at, speakingSeconds);
  if (stop.kind === 'ending') state.transcript.push({ kind: 'end', nodeId: stop.id, outcome: stop.outcome, at: at + speakingSeconds * 1000 });
  next.nodeId = stop.id;
  return { state: next, node: stop, speakingSeconds };
}

/** Records a node's lines, said from `at` after `speakingSeconds` of speech; returns the speech's new length. */
function say(state: CallState, node: ScenarioNode, at: number, speakingSeconds: number): number {
  const transcript = state.transcript;
  for (const line of node.lines ?? []) {
    const said = lineVariant(state.seed, line, transcript.length);
    transcript.push({ kind: 'caller', nodeId: node.id, lineId: said.id, narration: line.narration === true, at: at + speakingSeconds * 1000 });
    if (!line.narration) speakingSeconds += lineSeconds(said);
  }
  return speakingSeconds;
}

/** Records the ring on which the agent picked up and applies a late answer's effect. */
export function answer(scenario: Scenario, state: CallState, ring: number, at: number): CallState {
  const late = ring > scenario.timing.answerWithinRings;
  state.transcript.push({ kind: 'answer', ring, late, at });
  const answered = copyState(state);
  answered.rings = ring;
  if (!late) {
    answered.kept.push('answer-fast');
    return answered;
  }
  return applyEffect(answered, scenario.timing.lateAnswer ?? DEFAULT_LATE_ANSWER);
}

/** Where a choice or a silence leads: the mood limit overrides the planned next node. */
export interface Step {
  state: CallState;
  next: string;
  holdSeconds: number;
}

/** Whether a choice puts the caller on hold (it does not when it takes him past his mood limit). */
export function leadsToHold(scenario: Scenario, state: CallState, choice: Choice): boolean {
  return choice.kind === 'hold' && clampMood(state.mood + (choice.mood ?? 0)) < scenario.caller.moodLimit;
}

/** What decides where the call goes after a choice or a silence: the mood, the flags and the next node. */
export interface Move {
  mood: number;
  flags: string[];
  next: string;
  /** The caller reached his limit; `next` is the scenario's `onMoodLimit`. */
  moodLimit: boolean;
}

/** The move a choice makes. The analysis walks the call with this alone; `choose` adds the record. */
export function moveOnChoice(scenario: Scenario, state: Pick<CallState, 'flags' | 'mood'>, choice: Choice): Move {
  const mood = clampMood(state.mood + (choice.mood ?? 0));
  let flags = state.flags;
  if (choice.set) flags = [...flags.filter((f) => !choice.set?.includes(f)), ...choice.set];
  if (choice.unset) flags = flags.filter((f) => !choice.unset?.includes(f));
  if (mood >= scenario.caller.moodLimit) return { mood, flags, next: scenario.caller.onMoodLimit, moodLimit: true };
  return { mood, flags, next: choice.next, moodLimit: false };
}

/**
 * Answers counted per decision, for each transcript: the transcript only grows, so the count goes
 * on from where it stopped instead of reading the whole call again at every decision.
 */
const answerCounts = new WeakMap<readonly TranscriptEntry[], { seen: number; visits: Map<string, number> }>();

/** How many times the agent has already answered at this decision: each visit shuffles anew. */
function visitsTo(state: CallState, nodeId: string): number {
  const transcript = state.transcript;
  let counted = answerCounts.get(transcript);
  if (!counted || counted.seen > transcript.length) {
    counted = { seen: 0, visits: new Map() };
    answerCounts.set(transcript, counted);
  }
  for (let i = counted.seen; i < transcript.length; i++) {
    const entry = transcript[i] as TranscriptEntry;
    if (entry.kind === 'agent') counted.visits.set(entry.nodeId, (counted.visits.get(entry.nodeId) ?? 0) + 1);
  }
  counted.seen = transcript.length;
  return counted.visits.get(nodeId) ?? 0;
}

/** The last order worked out: a replay asks for it to check the place chosen, then the choice records it. */
let lastShown: { state: CallState; node: DecisionNode; length: number; shown: Choice[] } | null = null;

/**
 * The options the trainee sees at this decision now, in the order shown: worked out once per
 * decision and state, and shared by its callers in the engine, which only read it.
 */
export function shownOrder(state: CallState, node: DecisionNode): readonly Choice[] {
  const length = state.transcript.length;
  if (lastShown !== null && lastShown.state === state && lastShown.node === node && lastShown.length === length) return lastShown.shown;
  // Without a seed the order does not depend on the visit: no need to count them.
  const shown = optionOrder(state.seed, node, state.seed === null ? 0 : visitsTo(state, node.id), offeredChoices(node, state));
  lastShown = { state, node, length, shown };
  return shown;
}

/** The options the trainee sees at this decision now, in the order shown (a list of the caller's own). */
export function shownChoices(state: CallState, node: DecisionNode): Choice[] {
  return shownOrder(state, node).slice();
}

export function choose(scenario: Scenario, state: CallState, node: DecisionNode, choice: Choice, at: number): Step {
  const shown = shownOrder(state, node).map((c) => c.id);
  const move = moveOnChoice(scenario, state, choice);
  const next = applyEffect(state, choice);
  if (choice.step && !next.steps.includes(choice.step)) next.steps.push(choice.step);
  const transcript = state.transcript;
  transcript.push({ kind: 'agent', nodeId: node.id, choiceId: choice.id, at, moodBefore: state.mood, moodAfter: move.mood, shown, position: shown.indexOf(choice.id) + 1 });
  next.mood = move.mood;
  next.flags = move.flags;
  if (move.moodLimit) {
    transcript.push({ kind: 'mood-limit', nodeId: node.id, at });
    return { state: next, next: move.next, holdSeconds: 0 };
  }
  if (leadsToHold(scenario, state, choice)) {
    const seconds = choice.holdSeconds ?? DEFAULT_HOLD_SECONDS;
    transcript.push({ kind: 'hold', nodeId: node.id, seconds, at });
    return { state: next, next: move.next, holdSeconds: seconds };
  }
  return { state: next, next: move.next, holdSeconds: 0 };
}

/** The line the caller says into a silence at this decision, if any. */
export function silenceLineAt(scenario: Scenario, node: DecisionNode): Line | undefined {
  return node.silenceLine ?? scenario.timing.silence?.line;
}

/** What a silence does, with the defaults filled in. */
export function silenceEffect(scenario: Scenario): Required<Pick<Effect, 'mood' | 'scores' | 'rules'>> {
  const effect = scenario.timing.silence;
  return { mood: effect?.mood ?? DEFAULT_SILENCE.mood, scores: effect?.scores ?? DEFAULT_SILENCE.scores, rules: effect?.rules ?? DEFAULT_SILENCE.rules };
}

/** The move a silence makes: the mood limit, the node's `silenceNext`, or the same decision again. */
export function moveOnSilence(scenario: Scenario, state: Pick<CallState, 'flags' | 'mood'>, node: DecisionNode): Move {
  const mood = clampMood(state.mood + silenceEffect(scenario).mood);
  if (mood >= scenario.caller.moodLimit) return { mood, flags: state.flags, next: scenario.caller.onMoodLimit, moodLimit: true };
  return { mood, flags: state.flags, next: node.silenceNext ?? node.id, moodLimit: false };
}

/** The reply timer ran out: the silence's effect and record, and where the call goes next. */
export function silence(scenario: Scenario, state: CallState, node: DecisionNode, at: number): Step {
  const move = moveOnSilence(scenario, state, node);
  const next = applyEffect(state, silenceEffect(scenario));
  const transcript = state.transcript;
  transcript.push({ kind: 'silence', nodeId: node.id, at, moodAfter: move.mood });
  const line = silenceLineAt(scenario, node);
  if (line) transcript.push({ kind: 'caller', nodeId: node.id, lineId: lineVariant(state.seed, line, transcript.length).id, narration: false, at });
  if (move.moodLimit) transcript.push({ kind: 'mood-limit', nodeId: node.id, at });
  next.mood = move.mood;
  return { state: next, next: move.next, holdSeconds: 0 };
}

/** Re-entering the same decision after silence must not repeat its lines: the caller already said them. */
export function reofferAfterSilence(state: CallState, node: DecisionNode): Arrival {
  const next = copyState(state);
  next.nodeId = node.id;
  return { state: next, node, speakingSeconds: 0 };
}

export function recordUnanswered(state: CallState, at: number): CallState {
  state.transcript.push({ kind: 'end', nodeId: '', outcome: 'unanswered', at });
  const next = copyState(state);
  next.nodeId = null;
  return next;
}
