/**
 * Attempts as xAPI statements (PRODUCT.md): the trainee as an account on this service, the verb
 * passed or failed, the caller as the activity, the server's own score as `result.score.scaled`,
 * an ISO 8601 duration, and the attempt id as `context.registration`.
 */
import { createHash } from 'node:crypto';
import type { Localised } from '../engine/index';
import type { ListedAttempt } from './repository';

const VERBS = {
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed', 'zh-CN': '通过' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed', 'zh-CN': '未通过' } },
} as const;

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

const languageMap = (text: Localised | null, fallback: string): Record<string, string> => {
  const map: Record<string, string> = {};
  if (text?.en) map['en-US'] = text.en;
  if (text?.['zh-CN']) map['zh-CN'] = text['zh-CN'];
  if (!Object.keys(map).length) map['en-US'] = fallback;
  return map;
};

export interface XapiContext {
  /** The service's public address: the account home page and the base of activity ids. */
  homePage: string;
  cohortId: number;
  cohortName: string;
  scenarioTitle: (scenarioId: string) => Localised | null;
}

export function toStatement(attempt: ListedAttempt, context: XapiContext) {
  const base = context.homePage.replace(/\/+$/, '');
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
      language: attempt.language === 'en' ? 'en-US' : attempt.language,
      contextActivities: {
        grouping: [{ objectType: 'Activity', id: `${base}/cohorts/${context.cohortId}`, definition: { name: { 'en-US': context.cohortName } } }],
      },
      extensions: {
        [`${base}/xapi/scenario-revision`]: attempt.scenarioRevision,
        [`${base}/xapi/scenario-hash`]: attempt.scenarioHash,
      },
    },
    timestamp: attempt.startedAt,
    stored: attempt.receivedAt,
    version: '1.0.3',
  };
}
export type XapiStatement = ReturnType<typeof toStatement>;
