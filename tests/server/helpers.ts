/** Shared set-up for the server tests: an in-memory service, a lead, a cohort, trainees, attempts. */
import { randomUUID } from 'node:crypto';
import { analysisOf, scenarioHash, type Attempt, type AttemptStep } from '../../src/engine/index';
import { hashPassword } from '../../src/server/auth';
import { openService, type Service, type ServiceOptions } from '../../src/server/service';

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'correct horse battery';

let passwordHash: Promise<string> | null = null;
/** One scrypt hash for the whole run: hashing is slow on purpose. */
export const leadPasswordHash = () => (passwordHash ??= hashPassword(PASSWORD));

export async function testService(options: Partial<ServiceOptions> = {}): Promise<Service> {
  return openService({ dataDir: 'memory://', ...options });
}

export type Requester = Service['app'];

export async function call(
  app: Requester,
  method: string,
  path: string,
  init: { body?: unknown; token?: string; cookie?: string; headers?: Record<string, string>; raw?: string } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  const response = await app.request(`${ORIGIN}${path}`, { method, headers, body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, text, json: json as any };
}

export async function addLead(service: Service, name: string): Promise<number> {
  return service.repository.createLead(name, await leadPasswordHash());
}

export async function login(service: Service, name: string): Promise<string> {
  const r = await call(service.app, 'POST', '/api/login', { body: { name, password: PASSWORD } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  const cookie = r.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

export async function newCohort(service: Service, cookie: string, name: string): Promise<{ id: number; code: string }> {
  const r = await call(service.app, 'POST', '/api/cohorts', { body: { name }, cookie });
  if (r.status !== 201) throw new Error(`cohort failed: ${r.status} ${r.text}`);
  return { id: r.json.id, code: r.json.codes[0].code };
}

export async function join(service: Service, code: string, name: string): Promise<{ token: string; id: number }> {
  const r = await call(service.app, 'POST', '/api/join', { body: { name, code } });
  if (r.status !== 201) throw new Error(`join failed: ${r.status} ${r.text}`);
  return { token: r.json.token, id: r.json.trainee.id };
}

/** An attempt on a scenario the service loaded: the best path, or the given choices. */
export function makeAttempt(service: Service, scenarioId: string, choices?: string[], extra: Partial<Attempt> = {}): Attempt {
  const entry = service.catalogue.current.get(scenarioId);
  if (!entry) throw new Error(`no scenario ${scenarioId}`);
  const path = choices ?? analysisOf(entry.scenario).bestPath?.choices ?? [];
  const steps: AttemptStep[] = [{ type: 'answer', ring: 1 }, ...path.map((c): AttemptStep => (c === '~' ? { type: 'silence' } : { type: 'choose', choiceId: c, ms: 1500 }))];
  return {
    format: 1,
    attemptId: randomUUID(),
    scenarioId,
    scenarioRevision: entry.scenario.revision,
    scenarioHash: scenarioHash(entry.scenario),
    startedAt: new Date(Date.UTC(2026, 10, 20, 9, 0, 0)).toISOString(),
    language: 'zh-CN',
    steps: steps as Attempt['steps'],
    ...extra,
  } as Attempt;
}
