/**
 * Which caller lines need a voice, and in which mood bands each can be heard. The bands come from
 * walking every state a call can reach (node, mood, flags) with the engine's own step functions,
 * so a line gets a heated take only when some play makes the caller say it heated.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { answer, choose, enterNode, initialState, nodeIndex, offeredChoices, reofferAfterSilence, silence, type CallState } from '../../src/engine/call/logic';
import { scenarioSchema, startMoods, type Line, type Scenario } from '../../src/engine/format/schema';
import { lineSeconds } from '../../src/engine/index';
import { MOOD_BAND_IDS, moodBand, type MoodBand } from '../../src/audio/manifest';
import { baseLineIds, spokenLinesOf } from '../../src/audio/line-texts';

export interface SpokenLine {
  id: string;
  line: Line;
  /** How long the engine lets the caller speak it: the take must fit. */
  seconds: number;
  bands: MoodBand[];
}

/** The lines of a scenario that are spoken (not narration), wherever the format keeps them. */
export function spokenLines(scenario: Scenario): Line[] {
  return spokenLinesOf(scenario);
}

const STATE_LIMIT = 100_000;

/** Mood bands each line is heard in. Null when the walk was cut short: then every band is made. */
export function bandsByLine(scenario: Scenario): Map<string, Set<MoodBand>> | null {
  const index = nodeIndex(scenario);
  const heard = new Map<string, Set<MoodBand>>();
  const seen = new Set<string>();
  const queue: CallState[] = [];
  const lean = (s: CallState): CallState => ({ ...s, transcript: [], scores: {}, kept: [], broken: [], steps: [] });
  const record = (state: CallState): void => {
    for (const entry of state.transcript) {
      if (entry.kind !== 'caller' || entry.narration) continue;
      const bands = heard.get(entry.lineId) ?? new Set<MoodBand>();
      bands.add(moodBand(state.mood));
      heard.set(entry.lineId, bands);
    }
  };
  const visit = (state: CallState): void => {
    const key = `${state.nodeId}|${state.mood}|${[...state.flags].sort().join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(lean(state));
  };

  for (const mood of startMoods(scenario)) {
    for (let ring = 1; ring <= scenario.timing.giveUpAfterRings; ring++) {
      const answered = answer(scenario, { ...initialState(scenario), mood, startMood: mood }, ring, 0);
      const arrival = enterNode(scenario, index, answered, scenario.start, 0);
      record(arrival.state);
      visit(arrival.state);
    }
  }
  while (queue.length > 0) {
    if (seen.size > STATE_LIMIT) return null;
    const state = queue.shift() as CallState;
    const node = state.nodeId ? index.get(state.nodeId) : undefined;
    if (!node || node.kind !== 'decision') continue;
    for (const choice of offeredChoices(node, state)) {
      const step = choose(scenario, state, node, choice, 0);
      const arrival = enterNode(scenario, index, lean(step.state), step.next, 0);
      record(arrival.state);
      visit(arrival.state);
    }
    const quiet = silence(scenario, state, node, 0);
    // The silence line is said at the mood silence leaves the caller in.
    record(quiet.state);
    const after = lean(quiet.state);
    const arrival = quiet.next === node.id ? reofferAfterSilence(after, node) : enterNode(scenario, index, after, quiet.next, 0);
    record(arrival.state);
    visit(arrival.state);
  }
  return heard;
}

/**
 * Every spoken line with its bands. A line no play reaches still gets a calm take: it is in the
 * file. The walk says each line in its first wording; a variant is heard wherever its line is.
 */
export function planLines(scenario: Scenario): SpokenLine[] {
  const heard = bandsByLine(scenario);
  const base = baseLineIds(scenario);
  return spokenLines(scenario).map((line) => {
    const bands = heard ? heard.get(base.get(line.id) ?? line.id) : new Set(MOOD_BAND_IDS);
    return {
      id: line.id,
      line,
      seconds: lineSeconds(line),
      bands: bands && bands.size > 0 ? MOOD_BAND_IDS.filter((b) => bands.has(b)) : ['calm'],
    };
  });
}

export interface ScenarioFile {
  file: string;
  scenario: Scenario | null;
  /** Why the file could not be read as a scenario. */
  problem?: string;
}

/** Every scenario in a folder (the schema files aside), parsed with the format's defaults. */
export function readScenarios(dir: string): ScenarioFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      try {
        const parsed = scenarioSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        if (!parsed.success) return { file, scenario: null, problem: parsed.error.issues[0]?.message ?? 'not a scenario' };
        return { file, scenario: parsed.data };
      } catch (error) {
        return { file, scenario: null, problem: error instanceof Error ? error.message : String(error) };
      }
    });
}
