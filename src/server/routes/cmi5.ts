/**
 * The cmi5 course package for the company's LMS (issue 15; built by src/server/cmi5.ts).
 *
 *   GET /api/cmi5/course.zip              one AU per published caller
 *   GET /api/cmi5/course.zip?cohort=N     one AU per assignment of the lead's cohort N
 *
 * Leads only. The ids and launch URLs start with PUBLIC_URL, never with the host the request named.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { coursePackage, type Cmi5Unit } from '../cmi5';
import type { AssignmentStore } from '../repository/assignments';
import type { ScenarioCatalogue } from '../scenarios';

export const cmi5Query = z.object({ cohort: z.coerce.number().int().positive().max(2 ** 31 - 1).optional() }).strict();

export interface Cmi5RouteDeps {
  catalogue: ScenarioCatalogue;
  assignments: AssignmentStore;
  publicUrl: string;
  lead: MiddlewareHandler;
  parse: <T extends z.ZodType>(schema: T, value: unknown, what: string) => z.output<T>;
  fail: (status: 404 | 400, message: string) => never;
  cohortName: (leadId: number, cohortId: number) => Promise<string | null>;
}

/** The units of the package: every published caller, or the assignments of a cohort. */
export async function cmi5Units(deps: Pick<Cmi5RouteDeps, 'catalogue' | 'assignments'>, leadId: number, cohortId?: number): Promise<Cmi5Unit[] | null> {
  const unitOf = (scenarioId: string): Omit<Cmi5Unit, 'assignment'> | null => {
    const entry = deps.catalogue.current.get(scenarioId);
    if (!entry) return null;
    const s = entry.scenario;
    return { scenarioId: s.id, title: s.title, summary: s.summary, passMark: s.passMark };
  };
  if (cohortId === undefined) return deps.catalogue.list().flatMap((c) => unitOf(c.id) ?? []);
  const list = await deps.assignments.listForLead(leadId, cohortId);
  if (!list) return null;
  return list.flatMap((a) => {
    const unit = unitOf(a.scenarioId);
    return unit ? [{ ...unit, assignment: { id: a.id, mode: a.mode, dueAt: a.dueAt } }] : [];
  });
}

type LeadEnv = { Variables: { lead: { id: number } } };

export function cmi5Routes<E extends LeadEnv>(app: Hono<E>, deps: Cmi5RouteDeps): void {
  app.get('/api/cmi5/course.zip', deps.lead, async (c) => {
    const query = deps.parse(cmi5Query, c.req.query(), 'the query is not valid');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const leadId = ((c as any).get('lead') as { id: number }).id;
    let cohort: { id: number; name: string } | undefined;
    if (query.cohort !== undefined) {
      const name = await deps.cohortName(leadId, query.cohort);
      if (name === null) return deps.fail(404, `no cohort ${query.cohort} of yours`);
      cohort = { id: query.cohort, name };
    }
    const units = (await cmi5Units(deps, leadId, query.cohort)) ?? [];
    if (units.length === 0) return deps.fail(404, cohort ? `cohort ${cohort.id} has no assignment of a published caller: assign one first` : 'no published caller to put in the package');
    const body = coursePackage({ homePage: deps.publicUrl, units, ...(cohort ? { cohort } : {}) });
    const name = cohort ? `hold-the-line-cohort-${cohort.id}-cmi5.zip` : 'hold-the-line-cmi5.zip';
    return c.body(new Uint8Array(body), 200, { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${name}"` });
  });
}
