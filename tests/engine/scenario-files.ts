/** The scenario files that ship, and their golden plans: shared by the parametrised tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SCENARIO_DIR = new URL('../../scenarios/', import.meta.url).pathname;

export function scenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(SCENARIO_DIR, f));
}

export function plansFileFor(id: string): string | null {
  const file = join(SCENARIO_DIR, 'plans', `${id}.plans.json`);
  return existsSync(file) ? file : null;
}

export const readText = (file: string) => readFileSync(file, 'utf8');
