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
  /** The voices of its lines, being made (or why not); absent where saving makes none (a download). */
  voices?: VoiceStatus;
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

/**
 * The voices of a caller's lines, made on the server after a save (espeak-ng and sox; see
 * src/server/studio-voices.ts). `off`: this server has no voice tools (or makes none), so the game
 * reads lines without a recording with the browser's speech synthesis.
 */
export type VoiceStatus =
  | { state: 'off'; missing: string[] }
  /** Nothing made for this caller since the server started: its audio is as it was. */
  | { state: 'idle' }
  | { state: 'queued' }
  | { state: 'making'; done: number; total: number }
  | { state: 'ready'; takes: number }
  | { state: 'failed'; error: string };

/** GET: the voice status of a caller, under either base (STUDIO_ROUTES.dev or .server). */
export const voicesPath = (base: string, id: string): string => `${base}/${encodeURIComponent(id)}/voices`;
