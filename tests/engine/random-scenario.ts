/** Small random scenarios with loops, flags and mood conditions, for the analysis's property tests. */
import { scenarioSchema, type Scenario } from '../../src/engine/index';

const DIMENSIONS = ['courtesy', 'listening', 'resolution'];
const FLAGS = ['asked', 'promised'];

/** A small random scenario: decisions that loop back, flags set and tested, branches on mood. */
export function randomScenario(random: () => number, id: number): Scenario {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const chance = (p: number) => random() < p;
  const decisions = 2 + Math.floor(random() * 3);
  const ids = Array.from({ length: decisions }, (_, i) => `d${i}`);
  const endings = ['end-ok', 'end-escalated', 'end-complaint', 'end-limit'];
  const targets = [...ids, 'branch', 'end-ok', 'end-escalated', 'end-complaint'];
  const text = { 'zh-CN': '好', en: 'ok' };
  const condition = () => {
    const when: Record<string, unknown> = {};
    if (chance(0.3)) when.flags = [pick(FLAGS)];
    if (chance(0.2)) when.notFlags = [pick(FLAGS)];
    if (chance(0.25)) when.moodMin = pick([10, 20, 30]);
    if (chance(0.2)) when.moodMax = pick([20, 30, 40]);
    return when;
  };
  const nodes: Record<string, unknown>[] = ids.map((nodeId) => ({
    id: nodeId,
    kind: 'decision',
    lines: [{ id: `${nodeId}.line`, text }],
    ...(chance(0.2) ? { silenceNext: pick(targets) } : {}),
    choices: Array.from({ length: 2 + Math.floor(random() * 2) }, (_, k) => {
      const next = pick(targets);
      // Options that lead back mostly cost points, so that most loops gain nothing and some do.
      const back = ids.indexOf(next) >= 0 && ids.indexOf(next) <= ids.indexOf(nodeId);
      const scores: Record<string, number> = {};
      for (const d of DIMENSIONS) if (chance(0.4)) scores[d] = back && chance(0.85) ? pick([-2, -1, 0]) : pick([-2, -1, 1, 2, 3]);
      return {
        id: `${nodeId}-c${k}`,
        text,
        next,
        mood: pick([-20, -10, 0, 10, 20]),
        scores,
        ...(chance(0.3) ? { set: [pick(FLAGS)] } : {}),
        ...(chance(0.15) ? { unset: [pick(FLAGS)] } : {}),
        ...(k > 0 && chance(0.3) ? { when: condition() } : {}),
        ...(chance(0.15) ? { rules: { broken: ['no-overpromise'] } } : {}),
        feedback: text,
      };
    }),
  }));
  nodes.push({ id: 'branch', kind: 'caller', lines: [{ id: 'branch.line', text }], branches: [{ when: condition(), next: pick(ids) }], next: pick([...ids, 'end-ok']) });
  const outcome = { 'end-ok': 'resolved', 'end-escalated': 'escalated', 'end-complaint': 'complaint', 'end-limit': 'caller-hung-up' } as const;
  for (const e of endings) nodes.push({ id: e, kind: 'ending', outcome: outcome[e as keyof typeof outcome], title: text, summary: text });
  return scenarioSchema.parse({
    formatVersion: 1,
    id: `random-${id}`,
    title: text,
    summary: text,
    source: '003_ab304f42f911cf29.txt',
    difficulty: 1,
    passMark: 50,
    caller: { name: text, persona: text, portrait: 'practice', voice: 'practice', mood: chance(0.3) ? { min: 0, max: 20 } : pick([0, 10, 20]), moodLimit: pick([40, 50, 60]), onMoodLimit: 'end-limit' },
    timing: { silence: { mood: pick([0, 10, 20]), scores: { listening: pick([-1, -1, 0, 1]) } } },
    ...(chance(0.3) ? { scoring: { weights: { courtesy: pick([0, 1, 2]), listening: pick([1, 3]) } } } : {}),
    start: ids[0],
    nodes,
  });
}

