/**
 * Attempts as xAPI statements (PRODUCT.md): the trainee as an account on this service, the verb
 * passed or failed, the caller as the activity, the server's own score as `result.score.scaled`,
 * an ISO 8601 duration, and the attempt id as `context.registration`.
 *
 * Every IRI (the account's home page, activity and extension ids) starts with the service's public
 * address (PUBLIC_URL), never with the host a request named: the same attempt is the same statement,
 * byte for byte, however the export was reached. `stored` is left to the LRS that stores it.
 */
import { hash } from 'node:crypto';
import type { Localised } from '../engine/index';
import type { ExportedAttempt } from './repository';

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
  const ns = namespaceBytes.get(namespace) ?? namespaceBytes.set(namespace, Buffer.from(namespace.replace(/-/g, ''), 'hex')).get(namespace)!;
  // One-shot SHA-1 (crypto.hash: no Hash object per call, a fifth of createHash's time here).
  const hex = hash('sha1', Buffer.concat([ns, Buffer.from(name, 'utf8')]), 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
const namespaceBytes = new Map<string, Buffer>();
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

export function toStatement(attempt: ExportedAttempt, context: XapiContext) {
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

/**
 * `JSON.stringify(toStatement(attempt, context))`, byte for byte, at a fraction of its cost: for an
 * export of many statements. The parts its statements share (the verbs, the cohort, each caller's
 * activity, each trainee's actor, the IRIs) are written once per renderer; per statement only its
 * own values are. The tests compare the two on every field.
 */
export function statementRenderer(context: XapiContext): (attempt: ExportedAttempt) => string {
  const j = JSON.stringify;
  const base = context.homePage;
  const verbs = { passed: `"verb":${j(VERBS.passed)},`, failed: `"verb":${j(VERBS.failed)},` };
  const homePage = j(base);
  const outcomeKey = j(`${base}/xapi/outcome`);
  const dimensionsKey = j(`${base}/xapi/dimensions`);
  const contextActivities = `"contextActivities":${j({
    grouping: [{ objectType: 'Activity', id: `${base}/cohorts/${context.cohortId}`, definition: { name: languageMap(null, context.cohortName) } }],
  })},"extensions":{${j(`${base}/xapi/scenario-revision`)}:`;
  const hashKey = `,${j(`${base}/xapi/scenario-hash`)}:`;
  const actors = new Map<number, { name: string; json: string }>();
  const objects = new Map<string, string>();
  const actorOf = (a: ExportedAttempt) => {
    const known = actors.get(a.traineeId);
    if (known && known.name === a.traineeName) return known.json;
    const json = `"actor":{"objectType":"Agent","name":${j(a.traineeName)},"account":{"homePage":${homePage},"name":${j(`trainee-${a.traineeId}`)}}},`;
    actors.set(a.traineeId, { name: a.traineeName, json });
    return json;
  };
  const objectOf = (scenarioId: string) => {
    let json = objects.get(scenarioId);
    if (json === undefined) {
      json = `"object":${j({
        objectType: 'Activity',
        id: `${base}/scenarios/${encodeURIComponent(scenarioId)}`,
        definition: { type: 'http://adlnet.gov/expapi/activities/simulation', name: languageMap(context.scenarioTitle(scenarioId), scenarioId) },
      })},`;
      objects.set(scenarioId, json);
    }
    return json;
  };
  return (a) =>
    `{"id":"${uuidV5(a.id, STATEMENT_NAMESPACE)}",${actorOf(a)}${a.passed ? verbs.passed : verbs.failed}${objectOf(a.scenarioId)}` +
    `"result":{"score":{"scaled":${j(Math.round(a.total * 10) / 1000)},"raw":${j(a.total)},"min":0,"max":100},"success":${j(a.passed)},"completion":true,` +
    `"duration":"${isoDuration(a.durationMs)}","extensions":{${outcomeKey}:${j(a.outcome)},${dimensionsKey}:${j(a.dimensions)}}},` +
    `"context":{"registration":${j(a.id)},"language":${j(a.language)},${contextActivities}${j(a.scenarioRevision)}${hashKey}${j(a.scenarioHash)}}},` +
    `"timestamp":${j(a.startedAt)},"version":"1.0.3"}`;
}
