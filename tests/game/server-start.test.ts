/**
 * The game's side of server starts (issue 15), against the real app in-process: a joined trainee's
 * call is started by the server with its seed; an assignment's start says why the server refused
 * it; no answer in time is "unreachable", so a free call is played with a seed of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultsApi } from '../../src/game/net/api';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, newCohort, testService } from '../server/helpers';

let service: Service;
let token: string;
let assessment: number;
const viaApp: typeof fetch = async (input, init) => service.app.request(String(input), init as RequestInit);

beforeAll(async () => {
  service = await testService();
  await addLead(service, 'Game Lead');
  const cookie = await login(service, 'Game Lead');
  const cohort = await newCohort(service, cookie, 'Game cohort');
  token = (await join(service, cohort.code, 'Dee')).token;
  const made = await call(service.app, 'POST', `/api/cohorts/${cohort.id}/assignments`, {
    body: { scenarioIds: ['practice-call'], mode: 'assessment', dueAt: new Date(Date.now() + 86_400_000).toISOString(), attemptsAllowed: 1 },
    cookie,
  });
  assessment = made.json.assignments[0].id;
}, 120_000);
afterAll(async () => service?.close());

describe('ResultsApi.startCall', () => {
  it('starts a free call and an assignment’s call, then gives the server’s reason for a refusal', async () => {
    const api = new ResultsApi('http://localhost', viaApp);
    const free = await api.startCall({ scenarioId: 'practice-call', mode: 'practice' }, token);
    expect(free.kind === 'started' && free.start.seed).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const first = await api.startCall({ scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment }, token);
    expect(first.kind === 'started' && [first.start.assignmentId, first.start.attemptsUsed]).toEqual([assessment, 1]);
    const second = await api.startCall({ scenarioId: 'practice-call', mode: 'assessment', assignmentId: assessment }, token);
    expect(second).toEqual({ kind: 'refused', status: 403, message: `you have used 1 of the 1 attempts allowed for assignment ${assessment}` });
    const list = await api.assignments(token);
    expect(list?.assignments[0]).toMatchObject({ id: assessment, attemptsUsed: 1, attemptsAllowed: 1, open: false, closed: 'used-up' });
    expect(await api.assignments('x'.repeat(40))).toBeNull();
  });

  it('gives up on a server that does not answer in time, and on one that cannot be reached', async () => {
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => (init?.signal as AbortSignal).addEventListener('abort', () => reject(new Error('aborted'))));
    const slow = await new ResultsApi('', silent).startCall({ scenarioId: 'practice-call', mode: 'practice' }, token, 50);
    expect(slow).toEqual({ kind: 'unreachable', message: 'aborted' });
    const down = await new ResultsApi('', () => Promise.reject(new TypeError('Failed to fetch'))).startCall({ scenarioId: 'practice-call', mode: 'practice' }, token);
    expect(down).toEqual({ kind: 'unreachable', message: 'Failed to fetch' });
    expect(await new ResultsApi('', () => Promise.reject(new TypeError('offline'))).start('practice-call', 'practice', token)).toBeNull();
  });
});
