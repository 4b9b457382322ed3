/**
 * Submission bodies as the game sends them, for the server benches: valid, finished random plays of
 * every caller in turn (`randomPlay`, 5% silences), each choice taken after 1 s, started now unless
 * `startedAt` says when (drawn from the same random numbers, after the play).
 */
import { randomUUID } from 'node:crypto';
import * as engine from '../src/engine/index';
import type { ScenarioEntry } from '../src/server/scenarios';

export function benchAttempts(
  entries: readonly Pick<ScenarioEntry, 'scenario' | 'hash'>[],
  count: number,
  seed: number,
  startedAt: (random: () => number) => string = () => new Date().toISOString(),
): engine.Attempt[] {
  const random = engine.seededRandom(seed);
  const attempts: engine.Attempt[] = [];
  while (attempts.length < count) {
    const entry = entries[attempts.length % entries.length]!;
    const play = engine.randomPlay(entry.scenario, engine.analysisOf(entry.scenario), random, 0.05, 0);
    const steps = engine.stepsFromChoiceList(play.choices);
    if (!engine.playSteps(entry.scenario, steps).result) continue;
    attempts.push({
      format: 1,
      attemptId: randomUUID(),
      scenarioId: entry.scenario.id,
      scenarioRevision: entry.scenario.revision,
      scenarioHash: entry.hash,
      startedAt: startedAt(random),
      language: 'zh-CN',
      steps: steps.map((s) => (s.type === 'choose' ? { ...s, ms: 1000 } : s)),
    } as engine.Attempt);
  }
  return attempts;
}
