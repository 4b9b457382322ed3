/**
 * The game's side of the results API: join a cohort, send an attempt. Every answer is sorted into
 * what the outbox must do with it: done, refused for good, or try again later.
 */
import type { Attempt } from '../../engine/attempt';
import type { AttemptAnswer, JoinAnswer, StartAnswer } from '../../server/schemas';
import type { TraineeAssignmentsAnswer } from '../../server/routes/assignments';

/** What asking the server to start a call came to. */
export type StartOutcome =
  | { kind: 'started'; start: StartAnswer }
  /** The server answered no (an assignment used up or due, a rate limit): its reason. */
  | { kind: 'refused'; status: number; message: string }
  /** No answer (offline, server down, too slow). */
  | { kind: 'unreachable'; message: string };

/** A start that takes longer than this is given up: the call is then played with a seed of its own. */
export const START_TIMEOUT_MS = 5_000;

export interface Identity {
  token: string;
  trainee: { id: number; name: string };
  cohort: { id: number; name: string };
  joinedAt: string;
}

export type SendOutcome =
  | { kind: 'accepted'; answer: AttemptAnswer }
  /** The server will never take this attempt (impossible steps, another version, changed). */
  | { kind: 'refused'; status: number; message: string }
  /** The token is not known: the trainee must join again; the attempt waits. */
  | { kind: 'unauthorised'; message: string }
  /** Offline, server down, busy or rate-limited: the attempt waits. */
  | { kind: 'retry'; message: string; retryAfterMs?: number };

export class JoinError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON
  }
  return `the server answered ${response.status}`;
}

export class ResultsApi {
  constructor(
    private readonly base = '',
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  async join(name: string, code: string): Promise<Identity> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.base}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, code }) });
    } catch {
      throw new JoinError('the server cannot be reached; check the connection and try again', 0);
    }
    if (!response.ok) throw new JoinError(await errorMessage(response), response.status);
    const answer = (await response.json()) as JoinAnswer;
    return { ...answer, joinedAt: new Date().toISOString() };
  }

  /**
   * Asks the server to start a call: the attempt then carries this id, seed, start time and mode and
   * is timed by the server. Null when the server cannot be reached or refuses: the call is played
   * with a seed of its own and stored as "not timed by the server".
   */
  async start(scenarioId: string, mode: 'practice' | 'assessment', token: string): Promise<StartAnswer | null> {
    const outcome = await this.startCall({ scenarioId, mode }, token);
    return outcome.kind === 'started' ? outcome.start : null;
  }

  /** As `start`, for an assignment too (src/server/routes/assignments.ts), with the server's reason when it says no. */
  async startCall(body: { scenarioId: string; mode: 'practice' | 'assessment'; assignmentId?: number }, token: string, timeoutMs = START_TIMEOUT_MS): Promise<StartOutcome> {
    const abort = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), timeoutMs) : null;
    try {
      const response = await this.fetcher(`${this.base}/api/attempts/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        ...(abort ? { signal: abort.signal } : {}),
      });
      if (response.status === 201) return { kind: 'started', start: (await response.json()) as StartAnswer };
      return { kind: 'refused', status: response.status, message: await errorMessage(response) };
    } catch (error) {
      return { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** The trainee's assignments; null when the server cannot be reached or does not know the token. */
  async assignments(token: string): Promise<TraineeAssignmentsAnswer | null> {
    try {
      const response = await this.fetcher(`${this.base}/api/assignments`, { headers: { authorization: `Bearer ${token}` } });
      return response.ok ? ((await response.json()) as TraineeAssignmentsAnswer) : null;
    } catch {
      return null;
    }
  }

  async send(attempt: Attempt, token: string): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.base}/api/attempts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(attempt),
        // Lets the request finish while the tab closes.
        keepalive: JSON.stringify(attempt).length < 60_000,
      });
    } catch (error) {
      return { kind: 'retry', message: `offline or the server is down (${error instanceof Error ? error.message : String(error)})` };
    }
    if (response.status === 200 || response.status === 201) return { kind: 'accepted', answer: (await response.json()) as AttemptAnswer };
    const message = await errorMessage(response);
    if (response.status === 401) return { kind: 'unauthorised', message };
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      return { kind: 'retry', message, retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined };
    }
    if (response.status === 400 || response.status === 409 || response.status === 413) return { kind: 'refused', status: response.status, message };
    return { kind: 'retry', message };
  }
}
