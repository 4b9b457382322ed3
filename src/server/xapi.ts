/**
 * Attempts as xAPI statements (PRODUCT.md): the trainee as an account on this service, the verb
 * passed or failed, the caller as the activity, the server's own score as `result.score.scaled`,
 * an ISO 8601 duration, and the attempt id as `context.registration`.
 *
 * Every IRI (the account's home page, activity and extension ids) starts with the service's public
 * address (PUBLIC_URL), never with the host a request named: the same attempt is the same statement,
 * byte for byte, however the export was reached. `stored` is left to the LRS that stores it.
 */
import { createHash } from 'node:crypto';
import type { Localised } from '../engine/index';
import type { ListedAttempt } from './repository';

const VERBS = {
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed', 'zh-CN': '通过' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { en: 'failed', 'zh-CN': '未通过' } },
} as const;

/** Where PUBLIC_URL is not set: `npm start`'s own default address (HOST 127.0.0.1, PORT 3000). */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

/**
 * PUBLIC_URL checked and written one way: an absolute http(s) address, no user, query or fragment,
 * no trailing slash (`https://training.example.com/hold-the-line`). Throws a message naming `what`.
 */
export function publicAddress(raw: string, what = 'PUBLIC_URL'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`${what} must be an absolute address such as https://training.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} must start with http:// or https://, got "${raw}"`);
  if (url.username || url.password || url.search || url.hash) throw new Error(`${what} must not hold a user, password, query or fragment, got "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The default public address when PUBLIC_URL is unset, from the server's own settings (scheme,
 * HOST, PORT): a server listening on every interface names itself by the machine's host name.
 */
export function defaultPublicAddress(options: { host: string; port: number; https: boolean; hostname: string }): string {
  const host = options.host === '0.0.0.0' || options.host === '::' ? options.hostname : options.host;
  const scheme = options.https ? 'https' : 'http';
  const port = (options.https && options.port === 443) || (!options.https && options.port === 80) ? '' : `:${options.port}`;
  return publicAddress(`${scheme}://${host.includes(':') ? `[${host}]` : host}${port}`, 'the default public address');
}

/**
 * The language of a text the source does not label (a cohort's name, a caller's id): Chinese when it
 * holds Han characters, English when it holds Latin letters, else `und` (RFC 5646: undetermined).
 */
export function languageOf(text: string): 'zh-CN' | 'en' | 'und' {
  if (/\p{Script=Han}/u.test(text)) return 'zh-CN';
  if (/\p{Script=Latin}/u.test(text)) return 'en';
  return 'und';
}

/** RFC 4122 name-based UUID (version 5): the same attempt always gives the same statement id. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name, 'utf8')])).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const STATEMENT_NAMESPACE = '6f1e8d2a-3c4b-5a69-8e7f-0a1b2c3d4e5f';

/** `PT1M5.25S` */
export function isoDuration(ms: number): string {
  const totalSeconds = Math.max(0, ms) / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 100) / 100;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!hours && !minutes) ? `${seconds}S` : ''}`;
}

/** An xAPI language map: the scenario's own labels where it has them, else the text's detected language. */
const languageMap = (text: Localised | null, fallback: string): Record<string, string> => {
  const map: Record<string, string> = {};
  if (text?.['zh-CN']) map['zh-CN'] = text['zh-CN'];
  if (text?.en) map.en = text.en;
  if (!Object.keys(map).length) map[languageOf(fallback)] = fallback;
  return map;
};

export interface XapiContext {
  /** The service's public address (PUBLIC_URL, as `publicAddress` writes it): the account home page and the base of every IRI. */
  homePage: string;
  cohortId: number;
  cohortName: string;
  scenarioTitle: (scenarioId: string) => Localised | null;
}

export function toStatement(attempt: ListedAttempt, context: XapiContext) {
  const base = context.homePage;
  const verb = attempt.passed ? VERBS.passed : VERBS.failed;
  return {
    id: uuidV5(attempt.id, STATEMENT_NAMESPACE),
    actor: { objectType: 'Agent', name: attempt.traineeName, account: { homePage: base, name: `trainee-${attempt.traineeId}` } },
    verb,
    object: {
      objectType: 'Activity',
      id: `${base}/scenarios/${encodeURIComponent(attempt.scenarioId)}`,
      definition: {
        type: 'http://adlnet.gov/expapi/activities/simulation',
        name: languageMap(context.scenarioTitle(attempt.scenarioId), attempt.scenarioId),
      },
    },
    result: {
      score: { scaled: Math.round(attempt.total * 10) / 1000, raw: attempt.total, min: 0, max: 100 },
      success: attempt.passed,
      completion: true,
      duration: isoDuration(attempt.durationMs),
      extensions: {
        [`${base}/xapi/outcome`]: attempt.outcome,
        [`${base}/xapi/dimensions`]: attempt.dimensions,
      },
    },
    context: {
      registration: attempt.id,
      language: attempt.language,
      contextActivities: {
        grouping: [{ objectType: 'Activity', id: `${base}/cohorts/${context.cohortId}`, definition: { name: languageMap(null, context.cohortName) } }],
      },
      extensions: {
        [`${base}/xapi/scenario-revision`]: attempt.scenarioRevision,
        [`${base}/xapi/scenario-hash`]: attempt.scenarioHash,
      },
    },
    timestamp: attempt.startedAt,
    version: '1.0.3',
  };
}
export type XapiStatement = ReturnType<typeof toStatement>;
