/**
 * The cohort analytics (migration 011, src/server/routes/analytics.ts) on a small known dataset:
 * three attempts on the practice call by two trainees, with exact pass rates, rules broken, option
 * shares, answer times and flags; the heat map by best, latest and average; the aggregates after a
 * trainee is removed and after older attempts are filled in; and another lead's cohort.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, AttemptStep } from '../../src/engine/index';
import { fillAnalyticsFacts, percentile, timeFigures } from '../../src/server/analytics';
import { AnalyticsRepository } from '../../src/server/repository/analytics';
import type { Service } from '../../src/server/service';
import { addLead, call, join, login, makeAttempt, newCohort, testService } from './helpers';

const ROOMY = { login: { burst: 1000, perSecond: 1000 }, join: { burst: 1000, perSecond: 1000 }, submit: { burst: 1000, perSecond: 1000 }, start: { burst: 1000, perSecond: 1000 } };
const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
/** When Ann's first call starts: her second starts 200 s later, Bo's offline call arrives 350.5 s later. */
const T0 = clock.t;
const at = (ms: number) => new Date(T0 + ms).toISOString();
let service: Service;
let cookie: string;
let cohort: number;
let ann: { token: string; id: number };
let bo: { token: string; id: number };
const dims: Record<string, Record<string, number>[]> = { ann: [], bo: [] };

const BEST = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];
const WORSE = ['greet-wei', 'ask-confirm', 'number-promise', 'close-ask-more', 'bye-standard'];
const HANG_UP = ['greet-standard', 'ask-again', 'number-promise', 'close-hang-up'];

const stepsOf = (choices: readonly string[], ms: number): Attempt['steps'] =>
  [{ type: 'answer', ring: 1 }, ...choices.map((c): AttemptStep => ({ type: 'choose', choiceId: c, ms }))] as Attempt['steps'];

/** A call the server starts and receives `elapsed` ms later by its clock. */
async function startedCall(token: string, choices: readonly string[], ms: number, elapsed: number) {
  const s = await call(service.app, 'POST', '/api/attempts/start', { body: { scenarioId: 'practice-call', mode: 'practice' }, token });
  expect(s.status).toBe(201);
  clock.t += elapsed;
  const attempt = { ...makeAttempt(service, 'practice-call'), format: 2, attemptId: s.json.attemptId, seed: s.json.seed, startedAt: s.json.startedAt, mode: 'practice', steps: stepsOf(choices, ms) } as Attempt;
  const r = await call(service.app, 'POST', '/api/attempts', { body: attempt, token });
  expect(r.status).toBe(201);
  return r.json.result as { passed: boolean; dimensions: Record<string, number> };
}

beforeAll(async () => {
  service = await testService({ limits: ROOMY, now: () => clock.t });
  await addLead(service, 'Cohort Lead');
  await addLead(service, 'Other Lead');
  cookie = await login(service, 'Cohort Lead');
  const made = await newCohort(service, cookie, 'Analytics');
  cohort = made.id;
  ann = await join(service, made.code, 'Ann');
  bo = await join(service, made.code, 'Bo');
  // Ann: the model call (passes), then a worse call (breaks courteous-words and the critical no-overpromise).
  dims.ann!.push((await startedCall(ann.token, BEST, 12_000, 200_000)).dimensions);
  dims.ann!.push((await startedCall(ann.token, WORSE, 4_005, 150_500)).dimensions);
  // Bo: offline (no server start) and far too quick: 100 ms a choice; hangs up on the caller.
  const offline = makeAttempt(service, 'practice-call', undefined, { steps: stepsOf(HANG_UP, 100) });
  const r = await call(service.app, 'POST', '/api/attempts', { body: offline, token: bo.token });
  expect(r.status).toBe(201);
  dims.bo!.push(r.json.result.dimensions);
}, 180_000);
afterAll(async () => service?.close());

const get = (path: string, as = cookie) => call(service.app, 'GET', path, { cookie: as });

describe('the cohort analytics', () => {
  it('gives the pass rate per caller, in attempts and in trainees', async () => {
    const r = await get(`/api/analytics?cohort=${cohort}`);
    expect(r.status).toBe(200);
    expect(r.json.cohort).toEqual({ id: cohort, name: 'Analytics' });
    expect(r.json.callers).toHaveLength(1);
    const practice = r.json.callers[0];
    expect(practice).toMatchObject({ id: 'practice-call', attempts: 3, passed: 1, trainees: 2, traineesPassed: 1, analysed: 3, flagged: 1 });
    expect(practice.passRate).toBeCloseTo(1 / 3, 10);
    expect(practice.title.en).toBeTruthy();
    // The whole call as the server timed it: Ann's two (200 s and 150.5 s), each named by its log-scale
    // bucket's middle (within 4.4%); Bo's was not timed.
    expect(practice.duration).toEqual({ n: 2, median: 149_263, p90: 193_571 });
    expect(r.json.range).toEqual({ from: null, to: null });
  });

  it('lists the rules most often broken in their words, with counts and share of attempts', async () => {
    const r = await get(`/api/analytics?cohort=${cohort}`);
    expect(r.json.analysed).toBe(3);
    const rules = r.json.rules as { id: string; attempts: number; share: number; trainees: number; critical: boolean; text: { en: string; 'zh-CN': string } }[];
    expect(rules.map((x) => [x.id, x.attempts, x.trainees])).toEqual([
      ['no-overpromise', 2, 2],
      ['confirm-understanding', 1, 1],
      ['courteous-words', 1, 1],
      ['never-hang-up-first', 1, 1],
      ['standard-flow', 1, 1],
    ]);
    expect(rules[0]!.share).toBeCloseTo(2 / 3, 10);
    expect(rules[0]!.critical).toBe(true);
    expect(rules[2]!.critical).toBe(false);
    // The rule's own words from the rulebook, never its id.
    expect(rules[0]!.text['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(rules[0]!.text.en).not.toContain('no-overpromise');
  });

  it('lists flagged attempts with their reasons', async () => {
    const r = await get(`/api/analytics?cohort=${cohort}`);
    const kinds = Object.fromEntries((r.json.flags.counts as { kind: string; attempts: number }[]).map((x) => [x.kind, x.attempts]));
    expect(kinds).toEqual({ untimed: 1, 'too-fast': 1 });
    expect(r.json.flags.latest).toHaveLength(1);
    const flagged = r.json.flags.latest[0];
    expect(flagged).toMatchObject({ traineeId: bo.id, traineeName: 'Bo', scenarioId: 'practice-call', timedByServer: false });
    expect(flagged.flags.map((f: { kind: string }) => f.kind).sort()).toEqual(['too-fast', 'untimed']);
    expect(flagged.flags.find((f: { kind: string }) => f.kind === 'too-fast').reason).toMatch(/^4 of 4 choices faster than the options can be read/);
  });

  it('gives each option’s share of a decision and its trainees, by choice id, with the caller’s graph', async () => {
    const r = await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`);
    expect(r.status).toBe(200);
    const decisions = r.json.decisions as { nodeId: string; number: number; answered: number; trainees: number; time: unknown; options: { choiceId: string; chosen: number; share: number; trainees: number; model: boolean; text: { en: string } }[] }[];
    expect(decisions.map((d) => [d.nodeId, d.number, d.answered, d.trainees])).toEqual([
      ['greet', 1, 3, 2],
      ['ask', 2, 3, 2],
      ['give-number', 3, 3, 2],
      ['anything-else', 4, 3, 2],
      ['goodbye', 5, 2, 1],
    ]);
    const greet = Object.fromEntries(decisions[0]!.options.map((o) => [o.choiceId, [o.chosen, o.trainees, o.model]]));
    expect(greet).toEqual({ 'greet-wei': [1, 1, false], 'greet-standard': [2, 2, true], 'greet-short': [0, 0, false] });
    expect(decisions[0]!.options.find((o) => o.choiceId === 'greet-standard')!.share).toBeCloseTo(2 / 3, 10);
    expect(decisions[0]!.options.every((o) => o.text.en && o.text.en !== o.choiceId)).toBe(true);
    // Reply times at the greeting: 100, 4,005 and 12,000 ms, in their buckets 103, 3,922 and 12,098.
    expect(decisions[0]!.time).toEqual({ n: 3, median: 3_922, p90: 12_098 });
    const hangUp = decisions[3]!.options.find((o) => o.choiceId === 'close-hang-up')!;
    expect(hangUp.chosen).toBe(1);
    expect(r.json.rules['never-hang-up-first'].en).toBeTruthy();
    // The graph: every decision numbered, every option an edge.
    const graph = r.json.graph as { nodes: { id: string; number: number | null }[]; edges: { choiceId: string | null }[] };
    expect(graph.nodes.filter((n) => n.number !== null).map((n) => n.id)).toEqual(['greet', 'ask', 'give-number', 'anything-else', 'goodbye']);
    expect(graph.edges.filter((e) => e.choiceId).length).toBe(19);
  });

  it('draws the heat map by best, latest or average', async () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const round = (x: number) => Math.round(x * 10) / 10;
    const annDims = Object.keys(dims.ann![0]!);
    for (const by of ['best', 'latest', 'average'] as const) {
      const r = await get(`/api/analytics/heat?cohort=${cohort}&by=${by}`);
      expect(r.status).toBe(200);
      expect(r.json.by).toBe(by);
      const cell = (trainee: number, dim: string) => r.json.heat.find((x: { traineeId: number; dimension: string }) => x.traineeId === trainee && x.dimension === dim);
      for (const dim of annDims) {
        const values = dims.ann!.map((d) => d[dim]!);
        const expected = by === 'best' ? Math.max(...values) : by === 'latest' ? values[1]! : mean(values);
        expect(cell(ann.id, dim)).toEqual({ traineeId: ann.id, dimension: dim, percent: round(expected), calls: 1 });
      }
    }
    const best = await get(`/api/analytics/heat?cohort=${cohort}&by=best`);
    const latest = await get(`/api/analytics/heat?cohort=${cohort}&by=latest`);
    // Ann's first call was the model call: at her best every skill is 100, her latest is lower somewhere.
    expect(best.json.heat.filter((x: { traineeId: number }) => x.traineeId === ann.id).every((x: { percent: number }) => x.percent === 100)).toBe(true);
    expect(latest.json.heat.filter((x: { traineeId: number }) => x.traineeId === ann.id).some((x: { percent: number }) => x.percent < 100)).toBe(true);
  });

  it('refuses another lead’s cohort, no session, and bad queries', async () => {
    const other = await login(service, 'Other Lead');
    for (const path of [`/api/analytics?cohort=${cohort}`, `/api/analytics/heat?cohort=${cohort}&by=best`, `/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`]) {
      const r = await get(path, other);
      expect(r.status, path).toBe(404);
      expect(JSON.stringify(r.json)).not.toContain('Ann');
      expect((await call(service.app, 'GET', path)).status).toBe(401);
    }
    expect((await get(`/api/analytics/heat?cohort=${cohort}&by=worst`)).status).toBe(400);
    expect((await get(`/api/analytics/decisions?cohort=${cohort}`)).status).toBe(400);
    expect((await get(`/api/analytics/decisions?cohort=${cohort}&scenario=${encodeURIComponent("x' OR 1=1 --")}`)).status).toBe(400);
    expect((await get(`/api/analytics/decisions?cohort=${cohort}&scenario=no-such-caller`)).status).toBe(404);
    expect((await get(`/api/analytics?cohort=${cohort}&extra=1`)).status).toBe(400);
    // A trainee's token is not a lead's session.
    expect((await call(service.app, 'GET', `/api/analytics?cohort=${cohort}`, { token: ann.token })).status).toBe(401);
  });

  it('covers only the calls of a date range, by the server’s dates, and says the range', async () => {
    // From 100 s on: Ann's second call (fails, breaks no-overpromise) and Bo's (fails, flagged).
    const q = `cohort=${cohort}&from=${encodeURIComponent(at(100_000))}&to=${encodeURIComponent(at(400_000))}`;
    let r = await get(`/api/analytics?${q}`);
    expect(r.status).toBe(200);
    expect(r.json.range).toEqual({ from: at(100_000), to: at(400_000) });
    expect(r.json.callers[0]).toMatchObject({ attempts: 2, passed: 0, trainees: 2, traineesPassed: 0, analysed: 2, flagged: 1 });
    expect(r.json.callers[0].duration).toEqual({ n: 1, median: 149_263, p90: 149_263 });
    expect(r.json.rules[0]).toMatchObject({ id: 'no-overpromise', attempts: 2, trainees: 2 });
    expect(r.json.analysed).toBe(2);
    expect(Object.fromEntries(r.json.flags.counts.map((x: { kind: string; attempts: number }) => [x.kind, x.attempts]))).toEqual({ untimed: 1, 'too-fast': 1 });
    expect(r.json.flags.latest).toHaveLength(1);
    const d = await get(`/api/analytics/decisions?${q}&scenario=practice-call`);
    expect(d.json.range).toEqual({ from: at(100_000), to: at(400_000) });
    const greet = d.json.decisions[0];
    expect([greet.answered, greet.trainees]).toEqual([2, 2]);
    expect(Object.fromEntries(greet.options.map((o: { choiceId: string; chosen: number }) => [o.choiceId, o.chosen]))).toEqual({ 'greet-wei': 1, 'greet-standard': 1, 'greet-short': 0 });
    expect(greet.time).toEqual({ n: 2, median: 103, p90: 3_922 });
    // In the range, Ann's best is her second call.
    const heat = await get(`/api/analytics/heat?${q}&by=best`);
    expect(heat.json.range).toEqual({ from: at(100_000), to: at(400_000) });
    const annSecond = dims.ann![1]!;
    for (const [dim, value] of Object.entries(annSecond)) {
      expect(heat.json.heat.find((x: { traineeId: number; dimension: string }) => x.traineeId === ann.id && x.dimension === dim)).toMatchObject({ percent: Math.round(value * 10) / 10, calls: 1 });
    }
    for (const by of ['latest', 'average']) {
      const h = await get(`/api/analytics/heat?${q}&by=${by}`);
      expect(h.json.heat.filter((x: { traineeId: number }) => x.traineeId === ann.id).map((x: { percent: number }) => x.percent)).toEqual(
        heat.json.heat.filter((x: { traineeId: number }) => x.traineeId === ann.id).map((x: { percent: number }) => x.percent),
      );
    }
    // Up to 100 s (an offset other than UTC: the same instant): Ann's first call alone, the model call.
    const local = new Date(T0 + 100_000 + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    r = await get(`/api/analytics?cohort=${cohort}&to=${encodeURIComponent(local)}`);
    expect(r.json.range).toEqual({ from: null, to: at(100_000) });
    expect(r.json.callers[0]).toMatchObject({ attempts: 1, passed: 1, trainees: 1, traineesPassed: 1, flagged: 0 });
    expect(r.json.rules).toEqual([]);
    // A range that holds every call of the cohort (from before the first, to after the server's now)
    // reads the aggregates: the same figures as no range, and it says the range asked for.
    const all = await get(`/api/analytics?cohort=${cohort}`);
    const wide = `from=${encodeURIComponent(at(-86_400_000))}&to=${encodeURIComponent(new Date(clock.t + 3_600_000).toISOString())}`;
    r = await get(`/api/analytics?cohort=${cohort}&${wide}`);
    expect(r.json.range).toEqual({ from: at(-86_400_000), to: new Date(clock.t + 3_600_000).toISOString() });
    expect({ ...r.json, range: null }).toEqual({ ...all.json, range: null });
    const allDecisions = await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`);
    const wideDecisions = await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call&${wide}`);
    expect(wideDecisions.json.decisions).toEqual(allDecisions.json.decisions);
    // …and one that ends before the server's now reads the calls, with the same figures here.
    const past = `from=${encodeURIComponent(at(-86_400_000))}&to=${encodeURIComponent(at(360_000))}`;
    expect({ ...(await get(`/api/analytics?cohort=${cohort}&${past}`)).json, range: null }).toEqual({ ...all.json, range: null });
    expect((await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call&${past}`)).json.decisions).toEqual(allDecisions.json.decisions);
    // A range with nothing in it.
    r = await get(`/api/analytics?cohort=${cohort}&from=${encodeURIComponent(at(1e9))}`);
    expect(r.json).toMatchObject({ callers: [], rules: [], analysed: 0, flags: { counts: [], latest: [] } });
  });

  it('refuses a bad date range with a 400 that names the field', async () => {
    const cases: [string, RegExp][] = [
      ['from=yesterday', /from: not a date and time/],
      ['to=2026-11-01', /to: not a date and time/],
      ['from=2026-11-01T00:00:00', /from: not a date and time with its offset/],
      [`from=${encodeURIComponent(at(1000))}&to=${encodeURIComponent(at(1000))}`, /to: .* is not later than from/],
      [`from=${encodeURIComponent(at(5000))}&to=${encodeURIComponent(at(1000))}`, /to: .* is not later than from/],
    ];
    for (const path of ['/api/analytics?', '/api/analytics/heat?by=best&', '/api/analytics/decisions?scenario=practice-call&']) {
      for (const [query, message] of cases) {
        const r = await get(`${path}cohort=${cohort}&${query}`);
        expect(r.status, `${path}${query}`).toBe(400);
        expect(r.json.error, `${path}${query}`).toMatch(message);
      }
    }
  });

  it('counts older attempts once they are filled in, and forgets the attempts of a removed trainee', async () => {
    // As if stored before migration 011: no rules or decisions. The update trigger takes them out…
    await service.db.query('UPDATE attempts SET broken_rules = NULL, decisions = NULL WHERE cohort_id = $1', [cohort]);
    let r = await get(`/api/analytics?cohort=${cohort}`);
    expect(r.json.callers[0]).toMatchObject({ attempts: 3, passed: 1, analysed: 0 });
    expect(r.json.rules).toEqual([]);
    // …and the replay at start-up puts them back, exactly as before.
    const filled = await fillAnalyticsFacts(new AnalyticsRepository(service.db), async (hash) => (await service.catalogue.byContentHash(hash, service.repository))?.scenario ?? null, { chunk: 2 });
    expect(filled).toBe(3);
    r = await get(`/api/analytics?cohort=${cohort}`);
    expect(r.json.callers[0]).toMatchObject({ attempts: 3, passed: 1, analysed: 3 });
    expect(r.json.rules[0]).toMatchObject({ id: 'no-overpromise', attempts: 2 });
    const d = await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`);
    expect(d.json.decisions[0].time).toEqual({ n: 3, median: 3_922, p90: 12_098 });

    // Bo is removed (his attempts go with him): every figure without him.
    await service.db.query('DELETE FROM trainees WHERE id = $1', [bo.id]);
    r = await get(`/api/analytics?cohort=${cohort}`);
    expect(r.json.callers[0]).toMatchObject({ attempts: 2, passed: 1, trainees: 1, traineesPassed: 1, flagged: 0 });
    expect(r.json.callers[0].passRate).toBe(0.5);
    expect(r.json.rules.map((x: { id: string; attempts: number }) => [x.id, x.attempts])).toEqual([
      ['courteous-words', 1],
      ['no-overpromise', 1],
    ]);
    expect(r.json.flags).toEqual({ counts: [], latest: [] });
    const after = await get(`/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`);
    expect(after.json.decisions[0].time).toEqual({ n: 2, median: 3_922, p90: 12_098 });
    expect(after.json.decisions[0].trainees).toBe(1);
  });

  it('counts a submission as soon as it is acknowledged, before the server folds it, and the same after (migration 017)', async () => {
    const before = await get(`/api/analytics?cohort=${cohort}`);
    await startedCall(ann.token, BEST, 9_000, 90_000);
    // At once: whether the fold has reached it or not, it is in every figure.
    const now = await get(`/api/analytics?cohort=${cohort}`);
    expect(now.json.callers[0].attempts).toBe(before.json.callers[0].attempts + 1);
    expect(now.json.callers[0].passed).toBe(before.json.callers[0].passed + 1);
    const paths = [`/api/analytics?cohort=${cohort}`, `/api/analytics/heat?cohort=${cohort}&by=average`, `/api/analytics/decisions?cohort=${cohort}&scenario=practice-call`];
    const answers = await Promise.all(paths.map(async (path) => (await get(path)).json));
    await service.analyticsFolder.foldNow();
    expect(await new AnalyticsRepository(service.db).queued()).toBe(0);
    expect(await Promise.all(paths.map(async (path) => (await get(path)).json))).toEqual(answers);
  });
});

describe('percentiles from a histogram', () => {
  it('takes the nearest rank', () => {
    const h = [
      { ms: 100, n: 1 },
      { ms: 200, n: 1 },
      { ms: 300, n: 1 },
      { ms: 400, n: 1 },
    ];
    expect(percentile(h, 0.5)).toBe(200);
    expect(percentile(h, 0.9)).toBe(400);
    expect(percentile([], 0.5)).toBeNull();
    expect(timeFigures([{ ms: 300, n: 9 }, { ms: 100, n: 1 }])).toEqual({ n: 10, median: 300, p90: 300 });
    expect(timeFigures([{ ms: 5, n: 0 }])).toBeNull();
  });

  it('keeps every time within 4.4% of its log-scale bucket’s name (migration 013)', async () => {
    const values = [1, 2, 99, 100, 101, 255, 256, 257, 999, 1000, 4005, 12_000, 65_535, 65_536, 150_500, 3_600_000, 2 ** 31 - 1];
    const rows = await service.db.query<{ ms: number; bucket: number }>('SELECT v AS ms, analytics_bucket(v) AS bucket FROM unnest($1::int[]) v', [`{${values.join(',')}}`]);
    for (const { ms, bucket } of rows) expect(Math.abs(bucket / ms - 1), `${ms} → ${bucket}`).toBeLessThan(0.0443);
    const names = await service.db.query<{ n: number }>('SELECT count(DISTINCT analytics_bucket(v))::int AS n FROM generate_series(100, 3600000, 7) v');
    expect(names[0]!.n).toBeLessThanOrEqual(122);
    expect((await service.db.query<{ b: number | null }>('SELECT analytics_bucket(0) AS b'))[0]!.b).toBe(0);
  });
});
