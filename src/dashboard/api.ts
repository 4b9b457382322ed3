/** The dashboard's calls to the results API; the session is an httpOnly cookie the browser sends. */
import type { AnalyticsAnswer, DecisionsAnswer, HeatAnswer } from '../server/routes/analytics';
import type { HeatBy } from '../server/repository/analytics';
import type { AttemptDetailAnswer, CohortAnswer, ReportAnswer, SessionLead, TraineeAttemptsAnswer } from '../server/schemas';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(data.error ?? `the server answered ${response.status}`, response.status);
  return data as T;
}

export interface Filter {
  cohort: number;
  from?: string;
  to?: string;
  scenario?: string;
}

export function filterQuery(filter: Partial<Filter> & { limit?: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

export type Lead = SessionLead;

export const api = {
  session: () => request<{ lead: Lead }>('GET', '/api/session'),
  setupNeeded: () => request<{ setupNeeded: boolean }>('GET', '/api/setup'),
  setup: (token: string, name: string, password: string) => request<{ lead: Lead }>('POST', '/api/setup', { token, name, password }),
  login: (name: string, password: string) => request<{ lead: Lead }>('POST', '/api/login', { name, password }),
  logout: () => request<{ ok: boolean }>('POST', '/api/logout'),
  cohorts: () => request<{ cohorts: CohortAnswer[] }>('GET', '/api/cohorts'),
  createCohort: (name: string) => request<CohortAnswer>('POST', '/api/cohorts', { name }),
  newCode: (cohort: number) => request<{ code: string }>('POST', `/api/cohorts/${cohort}/codes`),
  revokeCode: (cohort: number, code: string) => request<{ ok: boolean }>('DELETE', `/api/cohorts/${cohort}/codes/${encodeURIComponent(code)}`),
  report: (filter: Filter) => request<ReportAnswer>('GET', `/api/report?${filterQuery(filter)}`),
  /** Every page of a trainee's attempts, following each page's `next` link. */
  async traineeAttempts(trainee: number, filter: Omit<Filter, 'cohort'>): Promise<TraineeAttemptsAnswer> {
    const first = await request<TraineeAttemptsAnswer>('GET', `/api/trainees/${trainee}/attempts?${filterQuery(filter)}`);
    const attempts = [...first.attempts];
    for (let next = first.next; next; ) {
      const page = await request<TraineeAttemptsAnswer>('GET', next);
      attempts.push(...page.attempts);
      next = page.next;
    }
    return { ...first, attempts, next: null };
  },
  attempt: (id: string) => request<AttemptDetailAnswer>('GET', `/api/attempts/${encodeURIComponent(id)}`),
  // Cohort analytics (src/server/routes/analytics.ts)
  // Cohort analytics (src/server/routes/analytics.ts), for the page's filter (its caller and date range).
  analytics: (filter: Filter) => request<AnalyticsAnswer>('GET', `/api/analytics?${filterQuery(filter)}`),
  heat: (filter: Filter, by: HeatBy) => request<HeatAnswer>('GET', `/api/analytics/heat?${filterQuery(filter)}&by=${by}`),
  decisions: (filter: Filter & { scenario: string }) => request<DecisionsAnswer>('GET', `/api/analytics/decisions?${filterQuery(filter)}`),
};
