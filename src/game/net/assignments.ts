/**
 * The trainee's side of server-started calls and assignments (issue 15).
 *
 * Every call a joined trainee starts online is started by the server (POST /api/attempts/start): the
 * call is played with the server's seed, and the attempt goes back with the server's id and start
 * time, so the server times it and vouches for it. Not joined, or no answer: the call is played with
 * a seed made here and the attempt is stored by the server as "not timed by the server".
 *
 * An assignment's call is always started by the server (an assessment cannot be played without it):
 * when the server says no (attempts used up, past the due date) or cannot be reached, the call does
 * not start and the trainee is told why.
 */
import type * as Phaser from 'phaser';
import type { TraineeAssignment } from '../../server/routes/assignments';
import type { Language } from '../i18n';
import type { CallData } from '../scenes/call';
import { SCENE } from '../scenes/keys';
import { results, resultsApi } from './index';

export type { TraineeAssignment };

/** What the call needs of a server start. */
export interface ServerStart {
  attemptId: string;
  startedAt: string;
  assignmentId: number | null;
}

export type StartResult =
  | { kind: 'started'; seed: string; start: ServerStart }
  /** Played with a seed of its own: not joined, or the server did not answer (a free call only). */
  | { kind: 'local'; reason: string }
  | { kind: 'refused'; message: string; closed: TraineeAssignment['closed'] | 'offline' };

let cache: { token: string; list: TraineeAssignment[] } | null = null;

/** The assignments last fetched for the joined trainee (empty before, or when not joined). */
export function cachedAssignments(): TraineeAssignment[] {
  return cache?.list ?? [];
}

/**
 * Fetches the joined trainee's assignments; true when they differ from what was cached (the menu
 * draws again). Offline, the last list stays.
 */
export async function refreshAssignments(): Promise<boolean> {
  const identity = await results()?.identity();
  const api = resultsApi();
  if (!identity || !api) {
    const had = cache !== null && cache.list.length > 0;
    cache = null;
    return had;
  }
  const answer = await api.assignments(identity.token);
  if (!answer) {
    if (cache && cache.token !== identity.token) {
      cache = null;
      return true;
    }
    return false;
  }
  const before = JSON.stringify(cache?.list ?? []);
  cache = { token: identity.token, list: answer.assignments };
  return JSON.stringify(answer.assignments) !== before;
}

/** Asks the server to start this call. */
export async function startOnServer(scenarioId: string, mode: 'practice' | 'assessment', assignmentId?: number): Promise<StartResult> {
  const identity = await results()?.identity();
  const api = resultsApi();
  if (!identity || !api) {
    if (assignmentId !== undefined) return { kind: 'refused', message: 'join your team first', closed: 'offline' };
    return { kind: 'local', reason: 'not joined' };
  }
  const outcome = await api.startCall({ scenarioId, mode, ...(assignmentId !== undefined ? { assignmentId } : {}) }, identity.token);
  if (outcome.kind === 'started') {
    const s = outcome.start;
    return { kind: 'started', seed: s.seed, start: { attemptId: s.attemptId, startedAt: s.startedAt, assignmentId: s.assignmentId ?? null } };
  }
  if (assignmentId === undefined) return { kind: 'local', reason: outcome.message };
  if (outcome.kind === 'unreachable') return { kind: 'refused', message: outcome.message, closed: 'offline' };
  // Why, in the trainee's words: the assignment's state as the server now has it.
  await refreshAssignments().catch(() => false);
  const closed = cachedAssignments().find((a) => a.id === assignmentId)?.closed ?? null;
  return { kind: 'refused', message: outcome.message, closed };
}

/**
 * Starts the call scene for `data`, started by the server when it can be: the server's seed and
 * start go into the call. For an assignment, a refusal is returned instead and nothing starts.
 */
export async function launchCall(scene: Phaser.Scene, data: CallData, assignmentId?: number): Promise<Extract<StartResult, { kind: 'refused' }> | null> {
  const started = await startOnServer(data.scenario.id, data.mode ?? 'practice', assignmentId);
  if (started.kind === 'refused') return started;
  if (started.kind === 'started') {
    data.seed = started.seed;
    data.start = started.start;
  } else {
    delete data.seed;
    delete data.start;
  }
  scene.scene.start(SCENE.call, data);
  return null;
}

/** "12月15日 17:00" / "Dec 15, 17:00", in the device's time zone. */
export function formatDue(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
}
