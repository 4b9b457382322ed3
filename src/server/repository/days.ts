/**
 * A date range [from, to) of server dates as the day summaries of migration 015 answer it: the
 * whole UTC days it holds from the day tables (summary_days, rule_days, choice_days, time_days,
 * duration_days, dimension_days, flag_days), and only its partial days at either end from the
 * attempts themselves, through attempts_cohort_started (cohort_id, started_at, id). The figures are
 * the same as reading every call of the range; the cost follows the number of days and the calls of
 * the two partial days, not the calls of the range.
 */
import type { SqlValue } from '../db';

export interface DaySplit {
  /** The first whole day and the day after the last ('-infinity'/'infinity' for an open end); null when the range holds no whole day. */
  dayFrom: string | null;
  dayTo: string | null;
  /** Two ranges of server dates read from the attempts (open ends '-infinity'/'infinity'); [null, null] when empty. */
  edges: [[string | null, string | null], [string | null, string | null]];
}

const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoOf = (ms: number) => new Date(ms).toISOString();
/** An instant with digits below the millisecond that are not all zero: Date.parse drops them. */
const subMillisecond = (text: string) => /\.\d{3}0*[1-9]/.test(text);

/**
 * Splits [from, to) (instants as the client sent them, null for an open end). `summaries` false
 * reads every call of the range from the attempts (what the tests compare the days with).
 */
export function splitRange(from: string | null, to: string | null, summaries = true): DaySplit {
  const f = from === null ? -Infinity : Date.parse(from) + (subMillisecond(from) ? 0.5 : 0);
  const t = to === null ? Infinity : Date.parse(to) + (subMillisecond(to) ? 0.5 : 0);
  const d1 = from === null ? -Infinity : Math.ceil(f / DAY_MS) * DAY_MS;
  const d2 = to === null ? Infinity : Math.floor(t / DAY_MS) * DAY_MS;
  const low = from ?? '-infinity';
  const high = to ?? 'infinity';
  if (!summaries || !(d1 < d2)) return { dayFrom: null, dayTo: null, edges: [[low, high], [null, null]] };
  return {
    dayFrom: from === null ? '-infinity' : dateOf(d1),
    dayTo: to === null ? 'infinity' : dateOf(d2),
    edges: [from !== null && f < d1 ? [from, isoOf(d1)] : [null, null], to !== null && d2 < t ? [isoOf(d2), to] : [null, null]],
  };
}

/** The parameters the fragments below read, from $first: day from, day to, then the two edges' ends. */
export const splitParams = (s: DaySplit): SqlValue[] => [s.dayFrom, s.dayTo, s.edges[0][0], s.edges[0][1], s.edges[1][0], s.edges[1][1]];

/** The whole days of a day table (no alias), with the split's parameters from $first. */
export const daysIn = (first: number) => `day >= $${first}::date AND day < $${first + 1}::date`;

/**
 * The attempts of the partial days, as a subquery to alias: `where` selects the cohort (and caller),
 * the split's parameters start at $first. Two index range scans, one per edge.
 */
export const edgeAttempts = (where: string, first: number) =>
  `(SELECT a.* FROM attempts a WHERE ${where} AND a.started_at >= $${first + 2}::timestamptz AND a.started_at < $${first + 3}::timestamptz
    UNION ALL
    SELECT a.* FROM attempts a WHERE ${where} AND a.started_at >= $${first + 4}::timestamptz AND a.started_at < $${first + 5}::timestamptz)`;
