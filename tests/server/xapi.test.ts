/**
 * The xAPI export as an LRS will see it: IRIs from the configured public address (PUBLIC_URL), never
 * from the host a request named; language tags that match the text; no `stored` (the LRS's field);
 * and every statement valid by Learning Locker's validator (@learninglocker/xapi-validation).
 */
import validateStatement from '@learninglocker/xapi-validation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app';
import type { ExportedAttempt, ListedAttempt } from '../../src/server/repository';
import type { Service } from '../../src/server/service';
import { defaultPublicAddress, languageOf, publicAddress, statementRenderer, toStatement, uuidV5 } from '../../src/server/xapi';
import { call, join, makeAttempt, newCohort, testService } from './helpers';
import { seedDemo, type Seeded } from './seed';

const PUBLIC_URL = 'https://training.example.com/hold-the-line/';
const BASE = 'https://training.example.com/hold-the-line';

let service: Service;
let demo: Seeded;
let chinese: { id: number; code: string };

/** The raw export, asked for through a given origin (and extra headers), every statement on one page. */
async function exportText(app: Service['app'], origin: string, cohortId: number, headers: Record<string, string> = {}) {
  const response = await app.request(`${origin}/api/xapi?cohort=${cohortId}&limit=0`, { headers: { cookie: demo.cookie, ...headers } });
  expect(response.status).toBe(200);
  return response.text();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = any;
const statementsOf = (text: string): Statement[] => JSON.parse(text).statements;

/** Every language map in a statement, with where it is. */
function languageMaps(statement: Statement): [string, Record<string, string>][] {
  return [
    ['verb.display', statement.verb.display],
    ['object.definition.name', statement.object.definition.name],
    ...statement.context.contextActivities.grouping.map((g: Statement, i: number): [string, Record<string, string>] => [`grouping[${i}].definition.name`, g.definition.name]),
  ];
}

beforeAll(async () => {
  service = await testService({ publicUrl: PUBLIC_URL, trustProxy: 1 });
  demo = await seedDemo(service, { lead: 'Xapi Lead', callers: 3, tries: 2 });
  chinese = await newCohort(service, demo.cookie, '十一月新员工');
  const wei = await join(service, chinese.code, '刘伟');
  for (const [scenarioId, language] of [
    ['practice-call', 'zh-CN'],
    ['practice-call', 'en'],
  ] as const) {
    const r = await call(service.app, 'POST', '/api/attempts', { body: makeAttempt(service, scenarioId, undefined, { language }), token: wei.token });
    expect(r.status, r.text).toBe(201);
  }
}, 180_000);
afterAll(async () => service?.close());

describe('xAPI statements are the same whatever host the export was read through', () => {
  it('gives byte-identical statements through localhost, 127.0.0.1 and a proxy’s forwarded host, all on PUBLIC_URL', async () => {
    const viaLocalhost = await exportText(service.app, 'http://localhost:3000', demo.cohortId);
    const viaLoopback = await exportText(service.app, 'http://127.0.0.1:3000', demo.cohortId);
    const viaProxy = await exportText(service.app, 'http://10.0.0.5:8080', demo.cohortId, { 'x-forwarded-host': 'evil.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    expect(viaLoopback).toBe(viaLocalhost);
    expect(viaProxy).toBe(viaLocalhost);
    const statements = statementsOf(viaLocalhost);
    expect(statements.length).toBe(demo.attempts.length);
    for (const s of statements) {
      expect(s.actor.account.homePage).toBe(BASE);
      expect(s.object.id.startsWith(`${BASE}/scenarios/`)).toBe(true);
      expect(s.context.contextActivities.grouping[0].id).toBe(`${BASE}/cohorts/${demo.cohortId}`);
      for (const key of [...Object.keys(s.result.extensions), ...Object.keys(s.context.extensions)]) expect(key.startsWith(`${BASE}/xapi/`)).toBe(true);
      expect(viaLocalhost).not.toMatch(/localhost|127\.0\.0\.1|evil\.example/);
    }
  });

  it('without PUBLIC_URL uses npm start’s default address, not the request’s host', async () => {
    const unset = createApp({ repository: service.repository, catalogue: service.catalogue });
    const a = await exportText(unset, 'http://localhost', demo.cohortId);
    const b = await exportText(unset, 'http://127.0.0.1:5173', demo.cohortId);
    expect(b).toBe(a);
    expect(statementsOf(a)[0].actor.account.homePage).toBe('http://127.0.0.1:3000');
  });

  it('checks PUBLIC_URL and writes it one way', () => {
    expect(publicAddress('https://Training.Example.com:443/htl//')).toBe('https://training.example.com/htl');
    expect(publicAddress('http://10.1.2.3:8080')).toBe('http://10.1.2.3:8080');
    expect(() => publicAddress('training.example.com')).toThrow(/PUBLIC_URL must be an absolute address/);
    expect(() => publicAddress('ftp://training.example.com')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => publicAddress('https://training.example.com/?x=1')).toThrow(/query or fragment/);
    expect(() => publicAddress('https://user:pw@training.example.com')).toThrow(/user, password/);
    expect(() => createApp({ repository: service.repository, catalogue: service.catalogue, publicUrl: 'nonsense' })).toThrow(/PUBLIC_URL/);
    expect(defaultPublicAddress({ host: '127.0.0.1', port: 3000, https: false, hostname: 'box' })).toBe('http://127.0.0.1:3000');
    expect(defaultPublicAddress({ host: '0.0.0.0', port: 443, https: true, hostname: 'training-box' })).toBe('https://training-box');
    expect(defaultPublicAddress({ host: '::1', port: 80, https: false, hostname: 'box' })).toBe('http://[::1]');
  });
});

describe('xAPI language tags match the text', () => {
  it('tags a Chinese cohort name zh-CN and an English one en', async () => {
    const zh = statementsOf(await exportText(service.app, 'http://localhost', chinese.id));
    expect(zh).toHaveLength(2);
    for (const s of zh) expect(s.context.contextActivities.grouping[0].definition.name).toEqual({ 'zh-CN': '十一月新员工' });
    const en = statementsOf(await exportText(service.app, 'http://localhost', demo.cohortId));
    for (const s of en) expect(s.context.contextActivities.grouping[0].definition.name).toEqual({ en: 'November intake' });
  });

  it('labels each caller’s title with its own language, and the attempt’s language as the context’s', async () => {
    const statements = [
      ...statementsOf(await exportText(service.app, 'http://localhost', demo.cohortId)),
      ...statementsOf(await exportText(service.app, 'http://localhost', chinese.id)),
    ];
    const languages = new Set<string>();
    for (const s of statements) {
      const title = service.catalogue.title(decodeURIComponent(s.object.id.slice(`${BASE}/scenarios/`.length)))!;
      expect(s.object.definition.name).toEqual({ 'zh-CN': title['zh-CN'], en: title.en });
      expect(['zh-CN', 'en']).toContain(s.context.language);
      languages.add(s.context.language);
      for (const [where, map] of languageMaps(s)) {
        for (const [tag, text] of Object.entries(map)) {
          // Han characters under zh-CN, none under en: the tag says what the text is.
          expect(tag === 'zh-CN', `${where} ${tag}: ${text}`).toBe(/\p{Script=Han}/u.test(text));
        }
      }
    }
    expect(languages).toEqual(new Set(['zh-CN', 'en']));
    const practice = statements.find((s) => s.object.id.endsWith('/practice-call'));
    expect(practice.verb.display).toEqual(practice.verb.id.endsWith('/passed') ? { en: 'passed', 'zh-CN': '通过' } : { en: 'failed', 'zh-CN': '未通过' });
  });

  it('detects the language of a text the source does not label', () => {
    expect(languageOf('十一月新员工')).toBe('zh-CN');
    expect(languageOf('2026 春季 intake')).toBe('zh-CN');
    expect(languageOf('November intake')).toBe('en');
    expect(languageOf('2026-11')).toBe('und');
    const listed: ListedAttempt = {
      id: demo.attempts[0]!.attemptId,
      traineeId: 1,
      traineeName: '王芳',
      scenarioId: 'retired-caller',
      scenarioRevision: 1,
      scenarioHash: 'x',
      language: 'zh-CN',
      startedAt: '2026-11-02T01:00:00.000Z',
      receivedAt: '2026-11-02T01:05:00.000Z',
      outcome: 'resolved',
      passed: true,
      total: 80,
      dimensions: { courtesy: 8 },
      durationMs: 61_500,
      cohortId: 9,
      seed: null,
      mode: 'practice',
      timedByServer: true,
      claimedStartedAt: null,
      flags: [],
    };
    // A caller no longer in the catalogue: its id is the only name there is, tagged by its content.
    const s = toStatement(listed, { homePage: BASE, cohortId: 9, cohortName: '2026', scenarioTitle: () => null });
    expect(s.object.definition.name).toEqual({ en: 'retired-caller' });
    expect(s.context.contextActivities.grouping[0]!.definition.name).toEqual({ und: '2026' });
    expect(validateStatement(s)).toEqual([]);
  });
});

describe('xAPI statements are valid and leave `stored` to the LRS', () => {
  it('sets no `stored` (and no `authority`): the LRS that receives a statement sets those', async () => {
    const text = await exportText(service.app, 'http://localhost', demo.cohortId);
    for (const s of statementsOf(text)) {
      expect(s).not.toHaveProperty('stored');
      expect(s).not.toHaveProperty('authority');
    }
    expect(text).not.toMatch(/"stored"/);
  });

  it('passes every statement of a sample export through @learninglocker/xapi-validation', async () => {
    const statements = [
      ...statementsOf(await exportText(service.app, 'http://localhost', demo.cohortId)),
      ...statementsOf(await exportText(service.app, 'http://localhost', chinese.id)),
    ];
    expect(statements.length).toBeGreaterThan(10);
    expect(statements.some((s) => s.verb.id.endsWith('/passed'))).toBe(true);
    expect(statements.some((s) => s.verb.id.endsWith('/failed'))).toBe(true);
    for (const s of statements) {
      const warnings = validateStatement(s).map((w) => `${w.path.join('.')}: ${w.constructor.name}`);
      expect(warnings, s.id).toEqual([]);
    }
    expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
  });

  it('the validator does refuse a broken statement (so the check above can fail)', async () => {
    const [s] = statementsOf(await exportText(service.app, 'http://localhost', chinese.id));
    const broken = { ...s, id: 'not-a-uuid', actor: { ...s.actor, account: { name: s.actor.account.name, homePage: 'not an address' } }, timestamp: 'yesterday' };
    const paths = validateStatement(broken).map((w) => w.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['statement.id', 'statement.actor.account.homePage', 'statement.timestamp']));
  });
});

describe('the export writes each statement as JSON.stringify(toStatement) would, at less cost', () => {
  it('gives the same bytes for every statement of the stored attempts and for awkward values', async () => {
    const leadId = (await service.db.query<{ leadId: number }>('SELECT lead_id::int AS "leadId" FROM cohorts WHERE id = $1', [demo.cohortId]))[0]!.leadId;
    const stored: ExportedAttempt[] = [
      ...(await service.repository.listCohortAttempts(leadId, demo.cohortId, {})),
      ...(await service.repository.listCohortAttempts(leadId, chinese.id, {})),
    ];
    // What the export reads (only the columns a statement needs) is what the list reads, field for field.
    const exported: ExportedAttempt[] = [];
    for await (const a of service.repository.cohortStatements(leadId, demo.cohortId, {}, { chunk: 7 })) exported.push(a);
    expect(exported).toEqual(stored.slice(0, exported.length).map((a) => Object.fromEntries(Object.keys(exported[0]!).map((k) => [k, a[k as keyof ExportedAttempt]]))));
    expect(stored.length).toBeGreaterThan(10);
    const odd = stored.slice(0, 6).map((a, i): ExportedAttempt => ({
      ...a,
      // A renamed trainee (the cached actor must follow), quotes, a line separator, a caller id that needs encoding.
      traineeName: ['Ann "the voice"', '王\u2028芳', a.traineeName, 'Ann "the voice"', '\\back\\slash', 'x'][i]!,
      scenarioId: i % 2 ? 'caller with spaces/and?query' : a.scenarioId,
      total: [0, 100, 66.66666666666667, 12.5, 99.95, 0.05][i]!,
      durationMs: [0, 999, 3_600_000, 3_661_005, 59_999, 1][i]!,
      dimensions: i % 2 ? {} : { courtesy: 8.25, 'zh-维度': 3 },
      outcome: i % 2 ? 'complaint' : 'resolved',
    }));
    for (const [homePage, cohortName] of [
      [BASE, '十一月新员工'],
      ['http://127.0.0.1:3000', 'Intake "A" \\ 2026'],
    ] as const) {
      const context = { homePage, cohortId: 42, cohortName, scenarioTitle: (id: string) => service.catalogue.title(id) };
      const render = statementRenderer(context);
      for (const a of [...stored, ...odd, ...stored]) expect(render(a)).toBe(JSON.stringify(toStatement(a, context)));
    }
  });

  it('keeps the name-based statement id of RFC 4122 (version 5)', () => {
    // The DNS namespace's example from RFC 4122's errata / Python's uuid.uuid5(NAMESPACE_DNS, "python.org").
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});
