/**
 * The random attempts, callers and engines that the analytics tests (day summaries, the background
 * fold) store and read on both engines.
 */
import { randomUUID } from 'node:crypto';
import { openDb } from '../../src/server/db';
import type { NewAttempt } from '../../src/server/repository';
import { postgresUrl, testSchema } from './postgres';

export const DAY = 86_400_000;
/** 2026-11-02T00:00:00Z: the attempts start in the days from here. */
export const START = Date.UTC(2026, 10, 2);
export const CALLERS = ['c-one', 'c-two', 'c-three'];
export const NODES = ['n1', 'n2', 'n3'];
export const RULES = ['r-a', 'r-b', 'r-c'];
export const DIMS = ['courtesy', 'empathy', 'closing'];

export function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** PGlite in memory, and the PostgreSQL of the tests in a schema of its own (skipped when none answers). */
export function engines(poolSize: number) {
  return [
    { name: 'PGlite', available: true, open: async () => ({ db: await openDb({ dataDir: 'memory://' }), schema: null as string | null }) },
    {
      name: 'PostgreSQL',
      available: postgresUrl !== null,
      open: async () => {
        const schema = testSchema();
        return { db: await openDb({ databaseUrl: postgresUrl!, schema, poolSize }), schema };
      },
    },
  ];
}

/** A random attempt of the fixture's cohort; `at` its start. */
export function randomAttempt(rnd: () => number, f: { trainees: number[]; cohort: number }, at: number): NewAttempt {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const scenarioId = pick(CALLERS);
  const decisions = NODES.slice(0, 1 + Math.floor(rnd() * NODES.length)).map((node) =>
    rnd() < 0.2 ? { node, choice: pick(['a', 'b', 'c']) } : { node, choice: pick(['a', 'b', 'c']), ms: Math.floor(50 + rnd() * 30_000) },
  );
  const dimensions = Object.fromEntries(DIMS.filter(() => rnd() < 0.8).map((d) => [d, Math.floor(rnd() * 5) * 25]));
  return {
    id: randomUUID(),
    traineeId: pick(f.trainees),
    cohortId: f.cohort,
    scenarioId,
    scenarioHash: `hash-${scenarioId}`,
    scenarioRevision: 1,
    language: 'zh-CN',
    startedAt: new Date(at).toISOString(),
    steps: [{ type: 'answer', ring: 1 }],
    seed: null,
    mode: 'practice',
    outcome: 'resolved',
    passed: rnd() < 0.5,
    total: Math.floor(rnd() * 5) * 25,
    dimensions,
    durationMs: Math.floor(1000 + rnd() * 600_000),
    timedByServer: rnd() < 0.6,
    flags: rnd() < 0.2 ? [{ kind: pick(['too-fast', 'untimed', 'replayed']), reason: 'test' }] : [],
    brokenRules: rnd() < 0.1 ? null : RULES.filter(() => rnd() < 0.3),
    decisions: rnd() < 0.1 ? null : decisions,
  };
}

