/**
 * Exports and lists are complete: paged by a cursor (xAPI's `more` link, the lists' `next`), every
 * attempt exactly once and in order, however long the history, and streamed in chunks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundLane } from '../../src/server/paging';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, newCohort, testService } from './helpers';

let service: Service;
let cookie: string;
let cohort: { id: number; code: string };
let ann: { token: string; id: number };
let bob: { token: string; id: number };
const TOTAL = 2_345;

/** Attempts in bulk, straight into the table: many on the same second, so the id must break ties. */
async function addAttempts(count: number) {
  const version = [...service.catalogue.current.values()][0]!;
  await service.db.query(
    `INSERT INTO attempts (id, trainee_id, cohort_id, scenario_id, scenario_hash, scenario_revision, language, started_at, steps,
       outcome, passed, total, dimensions, duration_ms)
     SELECT gen_random_uuid(), CASE WHEN g % 3 = 0 THEN $2::bigint ELSE $3::bigint END, $1, $4, $5, $6, 'zh-CN',
       timestamptz '2026-11-01 09:00:00.123456+00' + (g / 7) * interval '1 second', '[]'::jsonb,
       'resolved', g % 2 = 0, (g % 101)::float8, jsonb_build_object('courtesy', g % 101), 60000
     FROM generate_series(1, $7::int) g`,
    [cohort.id, ann.id, bob.id, version.scenario.id, version.hash, version.scenario.revision, count],
  );
}

beforeAll(async () => {
  service = await testService();
  await addLead(service, 'Export Lead');
  cookie = await login(service, 'Export Lead');
  cohort = await newCohort(service, cookie, 'Export cohort');
  ann = await join(service, cohort.code, 'Ann');
  bob = await join(service, cohort.code, 'Bob');
  await addAttempts(TOTAL);
}, 180_000);
afterAll(async () => service?.close());

const ORDER = 'SELECT id::text FROM attempts WHERE cohort_id = $1 ORDER BY started_at, id';

describe('the xAPI export', () => {
  it('pages by the `more` link, a relative path and query, until it is empty: every attempt once, in order', async () => {
    const expected = (await service.db.query<{ id: string }>(ORDER, [cohort.id])).map((r) => r.id);
    const seen: string[] = [];
    let path = `/api/xapi?cohort=${cohort.id}&limit=500`;
    let pages = 0;
    for (;;) {
      const r = await call(service.app, 'GET', path, { cookie });
      expect(r.status, r.text.slice(0, 200)).toBe(200);
      pages++;
      seen.push(...r.json.statements.map((s: { context: { registration: string } }) => s.context.registration));
      if (r.json.more === '') break;
      expect(r.json.more).toMatch(/^\/api\/xapi\?cohort=\d+&limit=500&after=[\d.a-f-]+$/);
      expect(r.json.statements).toHaveLength(500);
      path = r.json.more;
    }
    expect(pages).toBe(Math.ceil(TOTAL / 500));
    expect(seen).toEqual(expected);
  });

  it('gives everything in one streamed answer with limit=0 (the dashboard’s download)', async () => {
    const response = await service.app.request(`http://localhost/api/xapi?cohort=${cohort.id}&limit=0`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.body).toBeInstanceOf(ReadableStream);
    const reader = response.body!.getReader();
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    // Streamed in pieces, not built whole and sent at once.
    expect(chunks).toBeGreaterThan(5);
    const body = JSON.parse(text);
    expect(body.statements).toHaveLength(TOTAL);
    expect(body.more).toBe('');
  });

  it('keeps the filter in the `more` link and refuses a made-up cursor', async () => {
    const first = await call(service.app, 'GET', `/api/xapi?cohort=${cohort.id}&limit=10&from=2026-11-01T09:01:00Z`, { cookie });
    expect(first.json.more).toContain('from=2026-11-01T09%3A01%3A00Z');
    for (const s of first.json.statements) expect(s.timestamp >= '2026-11-01T09:01:00').toBe(true);
    const bad = await call(service.app, 'GET', `/api/xapi?cohort=${cohort.id}&after=1;DROP TABLE attempts`, { cookie });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/after/);
    const tooBig = await call(service.app, 'GET', `/api/xapi?cohort=${cohort.id}&limit=100000`, { cookie });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error).toMatch(/limit/);
  });
});

describe('exports are background work that yields to other requests, and stay whole', () => {
  it('gives every statement once, in order, while other requests keep the server busy', async () => {
    // The last 700 or so (a date filter keeps the test short): many chunks of rows and of text.
    const from = '2026-11-01T09:04:00Z';
    const expected = (await service.db.query<{ id: string }>(ORDER.replace('ORDER BY', 'AND started_at >= $2 ORDER BY'), [cohort.id, from])).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(500);
    let exporting = true;
    let others = 0;
    // Requests beside the export for as long as it runs: its lane pauses between chunks meanwhile.
    const busy = (async () => {
      while (exporting) {
        const r = await call(service.app, 'GET', '/api/me/attempts?limit=5', { token: ann.token });
        expect(r.status).toBe(200);
        others++;
      }
    })();
    const response = await service.app.request(`http://localhost/api/xapi?cohort=${cohort.id}&limit=0&from=${from}`, { headers: { cookie } });
    const text = await response.text();
    exporting = false;
    await busy;
    expect(others).toBeGreaterThan(5);
    const body = JSON.parse(text);
    expect(body.statements.map((s: { context: { registration: string } }) => s.context.registration)).toEqual(expected);
    expect(body.more).toBe('');
  });

  it('runs one chunk at a time, and pauses after each in proportion while others are served', async () => {
    const lane = new BackgroundLane({ busyPause: 4, quietMs: 50, maxPauseMs: 1000 });
    let running = 0;
    let most = 0;
    const spans: [number, number][] = [];
    const chunk = async () => {
      running++;
      most = Math.max(most, running);
      const start = performance.now();
      await sleep(20);
      spans.push([start, performance.now()]);
      running--;
    };
    // Quiet: no pause is owed (nothing is timed here: a loaded machine may be slow either way).
    await Promise.all([lane.run(chunk), lane.run(chunk), lane.run(chunk)]);
    expect(most).toBe(1);
    expect(lane.busy()).toBe(false);
    // Busy: a request in flight; each chunk of ≥ 20 ms is followed by ≥ 80 ms of the others' time.
    spans.length = 0;
    const leave = lane.enter();
    expect(lane.busy()).toBe(true);
    await Promise.all([lane.run(chunk), lane.run(chunk), lane.run(chunk)]);
    leave();
    expect(most).toBe(1);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(75);
    // A failing chunk frees the lane for the next.
    await expect(lane.run(async () => Promise.reject(new Error('the database went away')))).rejects.toThrow('went away');
    await lane.run(chunk);
    expect(running).toBe(0);
  });
});

describe('attempt lists', () => {
  it('give a trainee’s whole history through `next` links (the first 1,000 were all there was before)', async () => {
    const expected = (await service.db.query<{ id: string }>('SELECT id::text FROM attempts WHERE trainee_id = $1 ORDER BY started_at, id', [bob.id])).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1000);
    const seen: string[] = [];
    let path: string | null = `/api/trainees/${bob.id}/attempts`;
    while (path) {
      const r = await call(service.app, 'GET', path, { cookie });
      expect(r.status).toBe(200);
      expect(r.json.trainee.name).toBe('Bob');
      seen.push(...r.json.attempts.map((a: { id: string }) => a.id));
      path = r.json.next;
    }
    expect(seen).toEqual(expected);
  });

  it('page the trainee’s own list the same way', async () => {
    const first = await call(service.app, 'GET', '/api/me/attempts?limit=300', { token: ann.token });
    expect(first.json.attempts).toHaveLength(300);
    expect(first.json.attempts.every((a: { traineeName: string }) => a.traineeName === 'Ann')).toBe(true);
    const second = await call(service.app, 'GET', first.json.next, { token: ann.token });
    expect(second.json.attempts[0].id).not.toBe(first.json.attempts[299].id);
    expect(second.json.attempts[0].startedAt >= first.json.attempts[299].startedAt).toBe(true);
  });

  it('cross chunk boundaries in the repository without losing or repeating a row', async () => {
    const all = await service.repository.listTraineeAttempts(ann.id, {}, { chunk: 7 });
    const expected = (await service.db.query<{ id: string }>('SELECT id::text FROM attempts WHERE trainee_id = $1 ORDER BY started_at, id', [ann.id])).map((r) => r.id);
    expect(all.map((a) => a.id)).toEqual(expected);
    const page = service.repository.traineeAttempts(ann.id, {}, { chunk: 7, limit: 21 });
    const ids: string[] = [];
    let step = await page.next();
    while (!step.done) {
      ids.push(step.value.id);
      step = await page.next();
    }
    expect(ids).toEqual(expected.slice(0, 21));
    const rest = await service.repository.listTraineeAttempts(ann.id, {}, { chunk: 7, after: step.value.next! });
    expect(rest.map((a) => a.id)).toEqual(expected.slice(21));
  });
});
