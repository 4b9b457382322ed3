/**
 * A launch from the company's LMS by cmi5 (issue 15). The course package (src/server/cmi5.ts) names
 * one caller per assignable unit (`?cmi5=ID`, and for an assignment `&assignment=N&mode=M`); the LMS
 * appends the cmi5 launch parameters (`endpoint`, `fetch`, `registration`, `activityId`, `actor`).
 *
 * On such a launch only, the game loads `@xapi/cmi5` (a chunk of its own: the usual start never
 * fetches it), which POSTs to the `fetch` URL for the session's auth token (usable once), reads the
 * LMS's LaunchData state document (launch mode, mastery score, return URL, context template) and
 * sends `initialized`; the menu then starts the named caller at once. At the debrief, in launch mode
 * Normal: `passed` or `failed` (score scaled 0..1, the mastery score from LaunchData), `completed`,
 * then `terminated`; in Browse or Review only `terminated`. "Return to your course" goes to
 * `returnURL` once `terminated` is sent. Every request has a time limit and every failure a sentence
 * on screen. The trainee's own attempt is kept and sent to the team as on any call.
 */
import type { Language } from '../i18n';
import { t } from '../i18n';
import { setHookCmi5 } from '../test-hook';

/** What the AU's URL asks for. */
export interface Cmi5Launch {
  scenarioId: string;
  assignmentId?: number;
  mode?: 'practice' | 'assessment';
  params: { endpoint: string; fetch: string; registration: string; activityId: string; actor: unknown };
}

export type Cmi5Phase = 'connecting' | 'ready' | 'failed' | 'sending' | 'sent' | 'send-failed' | 'terminated';

export interface Cmi5State {
  phase: Cmi5Phase;
  scenarioId: string;
  launchMode: 'Normal' | 'Browse' | 'Review' | null;
  masteryScore: number | null;
  returnURL: string | null;
  /** The verbs sent, in order (their last path segment: initialized, passed, …). */
  sent: string[];
  error: string | null;
  /** The result as sent: passed by the mastery score, and the scaled score. */
  result: { passed: boolean; scaled: number } | null;
}

const REQUEST_LIMIT_MS = 15_000;
const CMI5_PARAMS = ['endpoint', 'fetch', 'registration', 'activityId', 'actor'] as const;

/** The launch the page's address describes, or null when it is not a cmi5 launch (the usual start). */
export function cmi5LaunchFrom(search: string): Cmi5Launch | { error: string } | null {
  const query = new URLSearchParams(search);
  const scenarioId = query.get('cmi5');
  const present = CMI5_PARAMS.filter((p) => query.get(p));
  if (!scenarioId && present.length === 0) return null;
  const missing = [...(scenarioId ? [] : ['cmi5']), ...CMI5_PARAMS.filter((p) => !query.get(p))];
  if (missing.length) return { error: `missing ${missing.join(', ')}` };
  let actor: unknown;
  try {
    actor = JSON.parse(query.get('actor')!);
  } catch {
    return { error: 'actor is not JSON' };
  }
  for (const p of ['endpoint', 'fetch'] as const) {
    try {
      const url = new URL(query.get(p)!);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `${p} is not an http(s) address` };
    } catch {
      return { error: `${p} is not an address` };
    }
  }
  const assignment = Number(query.get('assignment'));
  const mode = query.get('mode');
  return {
    scenarioId: scenarioId!,
    ...(Number.isInteger(assignment) && assignment > 0 ? { assignmentId: assignment } : {}),
    ...(mode === 'practice' || mode === 'assessment' ? { mode } : {}),
    params: { endpoint: query.get('endpoint')!, fetch: query.get('fetch')!, registration: query.get('registration')!, activityId: query.get('activityId')!, actor },
  };
}

type Cmi5Client = import('@xapi/cmi5').default;

class LimitError extends Error {}

function within<T>(promise: Promise<T>, language: () => Language): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LimitError(t(language(), 'cmi5.error.timeout', { seconds: REQUEST_LIMIT_MS / 1000 }))), REQUEST_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A failure in the trainee's words: which step, and what the server said. */
function describe(error: unknown, launch: Cmi5Launch, language: Language): string {
  if (error instanceof LimitError) return error.message;
  const e = error as { message?: string; config?: { url?: string }; response?: { status?: number; data?: unknown } };
  const url = e.config?.url ?? '';
  const status = e.response?.status;
  const detail = status ? `HTTP ${status}` : (e.message ?? String(error));
  if (url && url === launch.params.fetch) return `${t(language, 'cmi5.error.token')} (${detail})`;
  if (url.includes('activities/state')) return `${t(language, 'cmi5.error.launchData')} (${detail})`;
  return `${detail}${url ? ` · ${url.split('?')[0]}` : ''}`;
}

export class Cmi5Session {
  readonly state: Cmi5State;
  private client: Cmi5Client | null = null;
  private terminating: Promise<void> | null = null;
  private ended = false;
  /** Settles when `start` has (the menu waits on it). */
  started: Promise<void> = Promise.resolve();

  constructor(
    readonly launch: Cmi5Launch,
    private readonly language: () => Language,
  ) {
    this.state = { phase: 'connecting', scenarioId: launch.scenarioId, launchMode: null, masteryScore: null, returnURL: null, sent: [], error: null, result: null };
    this.publish();
  }

  private publish(): void {
    setHookCmi5({ ...this.state, sent: [...this.state.sent] });
    for (const listener of this.listeners) listener(this.state);
  }

  private readonly listeners = new Set<(state: Cmi5State) => void>();
  onChange(listener: (state: Cmi5State) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The token, the launch data, `initialized`. Resolves either way; `state.phase` says how it went. */
  async start(): Promise<void> {
    try {
      const { default: Cmi5 } = await import('@xapi/cmi5');
      const client = new Cmi5(this.launch.params as ConstructorParameters<typeof Cmi5>[0]);
      await within(client.initialize(), this.language);
      this.client = client;
      const data = client.getLaunchData();
      const mastery = Number(data.masteryScore);
      Object.assign(this.state, {
        phase: 'ready',
        launchMode: data.launchMode ?? 'Normal',
        masteryScore: data.masteryScore !== undefined && Number.isFinite(mastery) && mastery >= 0 && mastery <= 1 ? mastery : null,
        returnURL: typeof data.returnURL === 'string' && /^https?:/i.test(data.returnURL) ? data.returnURL : null,
      });
      this.state.sent.push('initialized');
    } catch (error) {
      Object.assign(this.state, { phase: 'failed', error: describe(error, this.launch, this.language()) });
    }
    this.publish();
  }

  /** The LMS's language preference as the game's language, if it names one the game speaks. */
  preferredLanguage(): Language | null {
    const preference = this.client?.getLearnerPreferences()?.languagePreference ?? '';
    for (const tag of preference.split(',')) {
      const lower = tag.trim().toLowerCase();
      if (lower.startsWith('zh')) return 'zh-CN';
      if (lower.startsWith('en')) return 'en';
    }
    return null;
  }

  /** Whether the call's result goes to the LMS (launch mode Normal, not sent yet). */
  get records(): boolean {
    return this.state.phase === 'ready' && this.state.launchMode === 'Normal';
  }

  /**
   * The call's result: passed when no critical rule was broken and the score reaches the mastery
   * score from LaunchData (the game's own verdict when the LMS gave none), then completed and
   * terminated. Once per session; later calls only terminate.
   */
  async report(result: { total: number; passed: boolean; criticalBroken: boolean }): Promise<void> {
    const client = this.client;
    if (!client || this.state.phase !== 'ready') return;
    if (this.state.launchMode !== 'Normal') {
      await this.terminate();
      return;
    }
    const scaled = Math.round(Math.min(100, Math.max(0, result.total)) * 100) / 10_000;
    const mastery = this.state.masteryScore;
    const passed = mastery === null ? result.passed : !result.criticalBroken && scaled >= mastery;
    Object.assign(this.state, { phase: 'sending', result: { passed, scaled } });
    this.publish();
    const score = { scaled, raw: Math.round(result.total * 100) / 100, min: 0, max: 100 };
    try {
      if (passed) await within(client.pass(score), this.language);
      else await within(client.fail(score), this.language);
      this.state.sent.push(passed ? 'passed' : 'failed');
      await within(client.complete(), this.language);
      this.state.sent.push('completed');
      this.state.phase = 'sent';
    } catch (error) {
      Object.assign(this.state, { phase: 'send-failed', error: describe(error, this.launch, this.language()) });
    }
    this.publish();
    await this.terminate();
  }

  /** `terminated`, once; the session then sends nothing more. */
  terminate(): Promise<void> {
    if (!this.client || this.ended) return this.terminating ?? Promise.resolve();
    this.ended = true;
    const client = this.client;
    this.terminating = within(client.terminate(), this.language)
      .then(() => {
        this.state.sent.push('terminated');
        if (this.state.phase !== 'send-failed') this.state.phase = 'terminated';
      })
      .catch((error: unknown) => {
        Object.assign(this.state, { phase: 'send-failed', error: describe(error, this.launch, this.language()) });
      })
      .finally(() => this.publish());
    return this.terminating;
  }

  /** Leaves for the LMS's return URL, after `terminated` (or its failure). */
  async returnToCourse(): Promise<void> {
    const url = this.state.returnURL;
    if (!url) return;
    await this.terminate();
    window.location.assign(url);
  }

  /** The debrief's line about the course. */
  statusLine(language: Language, verdict: (passed: boolean) => string): { text: string; tone: 'muted' | 'bad' } {
    const s = this.state;
    if (s.phase === 'failed') return { text: t(language, 'cmi5.failed', { reason: s.error ?? '' }), tone: 'bad' };
    if (s.phase === 'send-failed') return { text: t(language, 'cmi5.sendFailed', { reason: s.error ?? '' }), tone: 'bad' };
    if (s.launchMode && s.launchMode !== 'Normal') return { text: t(language, 'cmi5.notRecorded'), tone: 'muted' };
    if (s.phase === 'sending' || s.phase === 'ready') return { text: t(language, 'cmi5.sending'), tone: 'muted' };
    if (s.result) {
      const score = Math.round(s.result.scaled * 1000) / 10;
      return s.masteryScore === null
        ? { text: `✓ ${t(language, 'cmi5.sentNoMastery', { verdict: verdict(s.result.passed), score })}`, tone: 'muted' }
        : { text: `✓ ${t(language, 'cmi5.sent', { verdict: verdict(s.result.passed), score, mastery: Math.round(s.masteryScore * 1000) / 10 })}`, tone: 'muted' };
    }
    return { text: t(language, 'cmi5.alreadySent'), tone: 'muted' };
  }
}

let session: Cmi5Session | null = null;
let pending: Cmi5Launch | { error: string } | null = null;

/** Called once at start-up: a cmi5 launch starts connecting at once (the menu waits on it). */
export function beginCmi5(search: string, language: () => Language): void {
  const launch = cmi5LaunchFrom(search);
  pending = launch;
  if (!launch || 'error' in launch) {
    if (launch) setHookCmi5({ phase: 'failed', error: launch.error });
    return;
  }
  session = new Cmi5Session(launch, language);
  session.started = session.start();
}

/** The session of this page's cmi5 launch, if any. */
export function cmi5Session(): Cmi5Session | null {
  return session;
}

/** The launch for the menu to act on, once: the session, an address error, or null. */
export function takeCmi5Launch(): Cmi5Session | { error: string } | null {
  const launch = pending;
  pending = null;
  if (!launch) return null;
  return 'error' in launch ? launch : session;
}
