/**
 * What the studio page and the two servers that save for it (the dev server's trainer plugin and
 * the results service) exchange: one list entry per caller file, the answer to a save, and where.
 */
import type { Diagnostic } from '../engine/check/diagnostics';
import type { Localised, ScenarioStatus } from '../engine/format/schema';

export interface ListedCaller {
  id: string;
  /** The file's name in the scenarios folder. */
  file: string;
  status: ScenarioStatus;
  title: Localised;
}

export interface SaveAnswer {
  /** Where it was written, relative to the project (scenarios/ID.json). */
  file: string;
  status: ScenarioStatus;
}

export interface SaveRefusal {
  error: string;
  /** The checker's errors, when that was why. */
  diagnostics?: Diagnostic[];
}

/** Scenario ids that are also safe file names: no dots, no slashes, nothing to climb out with. */
export const SAFE_SCENARIO_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

export const STUDIO_ROUTES = {
  /** The dev server (npm run dev): anyone at the machine. */
  dev: '/__trainer/studio/scenarios',
  /** The results service (npm start): a lead with the trainer role. */
  server: '/api/studio/scenarios',
} as const;
