/**
 * The lead's cohort analytics (issue 15): pass rates per caller, the rules most often broken in
 * their own words, time to answer, flagged attempts with their reasons, the heat map by best,
 * latest or average, and per caller the share of choices of each option at each decision, laid on
 * the caller's graph. Without a date range every read is of the aggregates migrations 011 and 013
 * keep; with one, of the range's attempts (src/server/repository/analytics.ts).
 *
 *   GET /api/analytics?cohort=N[&scenario=ID][&from=T][&to=T]            callers, rules, times, flags
 *   GET /api/analytics/heat?cohort=N&by=best|latest|average[&scenario=ID][&from=T][&to=T]
 *   GET /api/analytics/decisions?cohort=N&scenario=ID[&from=T][&to=T]     the caller's graph and its decisions
 *
 * from and to are instants with an offset (ISO 8601), compared with the server's date of each call
 * (its start when the server started it, else its receipt): from ≤ started < to. Every answer says
 * the range it covers (`range`, null ends for none).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { callerGraph, decisionRows, ruleWords, timeFigures } from '../analytics';
import { AnalyticsRepository, type Scope } from '../repository/analytics';
import type { Repository } from '../repository';
import type { ScenarioCatalogue } from '../scenarios';

const localised = z.object({ 'zh-CN': z.string().optional(), en: z.string().optional() });
const scenarioId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).max(80);
const instant = z.iso
  .datetime({ offset: true, error: 'not a date and time with its offset, such as 2026-11-01T00:00:00+08:00' })
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a date that exists')
  .optional();
const cohortQuery = { cohort: z.coerce.number().int().positive().max(2 ** 31 - 1), from: instant, to: instant };
/** A range that ends before it starts is refused, on `to`. */
const ordered = (q: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && Date.parse(q.to) <= Date.parse(q.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: `${q.to} is not later than from (${q.from})` });
};

export const analyticsQuery = z.object({ ...cohortQuery, scenario: scenarioId.optional() }).strict().superRefine(ordered);
export const heatQuery = z.object({ ...cohortQuery, scenario: scenarioId.optional(), by: z.enum(['best', 'latest', 'average']).default('latest') }).strict().superRefine(ordered);
export const decisionsQuery = z.object({ ...cohortQuery, scenario: scenarioId }).strict().superRefine(ordered);

/** The range an answer covers, as the server read it (UTC); null for an open end. */
const range = z.object({ from: z.string().nullable(), to: z.string().nullable() });
const rangeOf = (q: { from?: string | undefined; to?: string | undefined }) => ({
  from: q.from ? new Date(q.from).toISOString() : null,
  to: q.to ? new Date(q.to).toISOString() : null,
});

const times = z.object({ n: z.number(), median: z.number(), p90: z.number() }).nullable();
const flag = z.object({ kind: z.string(), reason: z.string() });
/** How many flagged attempts the overview lists (the counts cover them all). */
export const FLAGGED_LISTED = 50;

export const analyticsAnswer = z.object({
  cohort: z.object({ id: z.number(), name: z.string() }),
  scenario: z.string().nullable(),
  range,
  callers: z.array(
    z.object({
      id: z.string(),
      title: localised,
      attempts: z.number(),
      passed: z.number(),
      /** passed ÷ attempts. */
      passRate: z.number(),
      trainees: z.number(),
      traineesPassed: z.number(),
      analysed: z.number(),
      flagged: z.number(),
      /** The whole call, start to receipt, as the server timed it. */
      duration: times,
    }),
  ),
  /** Attempts with their rules and decisions recorded: the denominator of the rules' shares. */
  analysed: z.number(),
  rules: z.array(z.object({ id: z.string(), text: localised, critical: z.boolean(), attempts: z.number(), share: z.number(), trainees: z.number() })),
  flags: z.object({
    counts: z.array(z.object({ kind: z.string(), attempts: z.number() })),
    latest: z.array(
      z.object({ id: z.string(), traineeId: z.number(), traineeName: z.string(), scenarioId: z.string(), startedAt: z.string(), timedByServer: z.boolean(), flags: z.array(flag) }),
    ),
  }),
});
export type AnalyticsAnswer = z.infer<typeof analyticsAnswer>;

export const heatAnswer = z.object({
  by: z.enum(['best', 'latest', 'average']),
  range,
  heat: z.array(z.object({ traineeId: z.number(), dimension: z.string(), percent: z.number(), calls: z.number() })),
});
export type HeatAnswer = z.infer<typeof heatAnswer>;

export const decisionsAnswer = z.object({
  scenario: z.object({ id: z.string(), revision: z.number(), title: localised }),
  range,
  graph: z.object({
    width: z.number(),
    height: z.number(),
    nodes: z.array(z.object({ id: z.string(), kind: z.enum(['caller', 'decision', 'ending']), x: z.number(), y: z.number(), number: z.number().nullable(), text: localised.nullable(), outcome: z.string().nullable() })),
    edges: z.array(z.object({ from: z.string(), to: z.string(), choiceId: z.string().nullable(), silence: z.boolean() })),
  }),
  decisions: z.array(
    z.object({
      nodeId: z.string(),
      number: z.number(),
      text: localised.nullable(),
      answered: z.number(),
      trainees: z.number(),
      time: times,
      options: z.array(
        z.object({ choiceId: z.string(), text: localised, kind: z.string(), next: z.string(), chosen: z.number(), share: z.number(), trainees: z.number(), model: z.boolean(), breaks: z.array(z.string()) }),
      ),
    }),
  ),
  /** The words of every rule an option breaks. */
  rules: z.record(z.string(), localised),
  /** Which of those rules are critical (a call that breaks one fails). */
  critical: z.array(z.string()),
});
export type DecisionsAnswer = z.infer<typeof decisionsAnswer>;

export interface AnalyticsDeps {
  repository: Repository;
  catalogue: ScenarioCatalogue;
  /** The lead's session check; sets `lead` on the context. */
  lead: MiddlewareHandler;
  parse: <T extends z.ZodType>(schema: T, value: unknown, what: string) => z.output<T>;
  fail: (status: 400 | 404, message: string) => never;
  /** The server's clock (tests set it). */
  now?: () => number;
}

/** What the routes need of the app's context: the lead the session check found. */
export type LeadEnv = { Variables: { lead: { id: number; name: string } } };

export function analyticsRoutes<E extends LeadEnv>(app: Hono<E>, deps: AnalyticsDeps): void {
  const { repository, catalogue, lead, parse, fail } = deps;
  const now = deps.now ?? Date.now;
  const store = new AnalyticsRepository(repository.db);
  const rules = ruleWords();

  const answer = <T extends z.ZodType>(schema: T, value: z.input<T>) => {
    const checked = schema.safeParse(value);
    if (!checked.success) throw new Error(`the analytics answer failed its schema: ${checked.error.issues[0]?.message ?? ''}`);
    return checked.data as object;
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const leadOf = (c: any): number => (c.get('lead') as { id: number }).id;

  /**
   * What the reads cover. A range that holds every call of the cohort (from at or before its first
   * call, to after the server's now) reads the aggregates, as no range does: the same figures,
   * without reading the calls. Any other range reads the calls of the range.
   */
  const scopeOf = async (cohortId: number, scenarioId: string | null, when: { from: string | null; to: string | null }): Promise<Scope> => {
    if ((when.from || when.to) && (!when.to || Date.parse(when.to) > now())) {
      const first = when.from ? await store.firstCall(cohortId) : null;
      if (!when.from || first === null || Date.parse(when.from) <= first) return { cohortId, scenarioId, from: null, to: null };
    }
    return { cohortId, scenarioId, ...when };
  };

  const owned = async (leadId: number, cohortId: number) => {
    const name = await store.ownedCohort(leadId, cohortId);
    return name ?? fail(404, `no cohort ${cohortId} of yours`);
  };

  const titleOf = async (ids: readonly string[]) => {
    const missing = ids.some((id) => !catalogue.title(id));
    const stored = missing ? await repository.scenarioTitles() : new Map<string, unknown>();
    return (id: string) => catalogue.title(id) ?? (stored.get(id) as z.infer<typeof localised> | undefined) ?? { en: id };
  };

  app.get('/api/analytics', lead, async (c) => {
    const q = parse(analyticsQuery, c.req.query(), 'the query is not valid');
    const leadId = leadOf(c);
    const name = await owned(leadId, q.cohort);
    const scenario = q.scenario ?? null;
    const when = rangeOf(q);
    const scope = await scopeOf(q.cohort, scenario, when);
    const [callers, broken, durations, counts, latest] = await Promise.all([
      store.callers(scope),
      store.rules(scope),
      store.times(scope, true),
      store.flagCounts(scope),
      store.flagged(scope, FLAGGED_LISTED),
    ]);
    const title = await titleOf(callers.map((x) => x.scenarioId));
    // Callers in the menu's order (difficulty), then any no longer on disk.
    const order = new Map(catalogue.list().map((s, i) => [s.id, i]));
    callers.sort((a, b) => (order.get(a.scenarioId) ?? 1e9) - (order.get(b.scenarioId) ?? 1e9) || a.scenarioId.localeCompare(b.scenarioId));
    const analysed = callers.reduce((sum, x) => sum + x.analysed, 0);
    return c.json(
      answer(analyticsAnswer, {
        cohort: { id: q.cohort, name },
        scenario,
        range: when,
        callers: callers.map((x) => ({
          id: x.scenarioId,
          title: title(x.scenarioId),
          attempts: x.attempts,
          passed: x.passed,
          passRate: x.attempts ? x.passed / x.attempts : 0,
          trainees: x.trainees,
          traineesPassed: x.traineesPassed,
          analysed: x.analysed,
          flagged: x.flagged,
          duration: timeFigures(durations.get(x.scenarioId)?.get('') ?? []),
        })),
        analysed,
        rules: broken.map((r) => ({
          id: r.ruleId,
          text: rules.get(r.ruleId)?.text ?? { en: r.ruleId, 'zh-CN': r.ruleId },
          critical: rules.get(r.ruleId)?.critical ?? false,
          attempts: r.attempts,
          share: analysed ? r.attempts / analysed : 0,
          trainees: r.trainees,
        })),
        flags: { counts, latest },
      }),
    );
  });

  app.get('/api/analytics/heat', lead, async (c) => {
    const q = parse(heatQuery, c.req.query(), 'the query is not valid');
    await owned(leadOf(c), q.cohort);
    const when = rangeOf(q);
    return c.json(answer(heatAnswer, { by: q.by, range: when, heat: await store.heat(await scopeOf(q.cohort, q.scenario ?? null, when), q.by) }));
  });

  app.get('/api/analytics/decisions', lead, async (c) => {
    const q = parse(decisionsQuery, c.req.query(), 'the query is not valid');
    await owned(leadOf(c), q.cohort);
    const entry = catalogue.current.get(q.scenario);
    if (!entry) return fail(404, `no caller “${q.scenario}” on this server`);
    const scenario = entry.scenario;
    const graph = callerGraph(scenario);
    const when = rangeOf(q);
    const scope = { ...(await scopeOf(q.cohort, scenario.id, when)), scenarioId: scenario.id };
    const [{ counts, traineesAt }, histograms] = await Promise.all([store.choices(scope), store.times(scope, false)]);
    const decisions = decisionRows(scenario, graph, counts, traineesAt, histograms.get(scenario.id) ?? new Map());
    const cited = new Set(decisions.flatMap((d) => d.options.flatMap((o) => o.breaks)));
    return c.json(
      answer(decisionsAnswer, {
        scenario: { id: scenario.id, revision: scenario.revision, title: scenario.title },
        range: when,
        graph,
        decisions,
        rules: Object.fromEntries([...cited].map((id) => [id, rules.get(id)?.text ?? { en: id }])),
        critical: [...cited].filter((id) => rules.get(id)?.critical).sort(),
      }),
    );
  });
}
