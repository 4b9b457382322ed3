/**
 * The cmi5 course package (GET /api/cmi5/course.zip): a zip that unzips (our reader and, where the
 * machine has it, Info-ZIP's `unzip -t`), holding cmi5.xml that meets cmi5's CourseStructure.xsd
 * (tests/server/cmi5-structure.ts), one AU per published caller or per assignment of a cohort, ids
 * and URLs from PUBLIC_URL whatever host the request named, masteryScore the pass mark as 0..1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../src/server/app';
import { cmi5PagePolicy, courseXml, masteryScore, zip } from '../../src/server/cmi5';
import type { Service } from '../../src/server/service';
import { courseStructureProblems, parseXml, type XmlElement } from './cmi5-structure';
import { addLead, call, login, newCohort, testService } from './helpers';
import { unzip } from './unzip';

const BASE = 'https://training.example.com/hold-the-line';
let service: Service;
let lead: string;
let cohort: { id: number; code: string };
let other: string;

beforeAll(async () => {
  service = await testService({ publicUrl: `${BASE}/` });
  await addLead(service, 'Package Lead');
  await addLead(service, 'Other Lead');
  lead = await login(service, 'Package Lead');
  other = await login(service, 'Other Lead');
  cohort = await newCohort(service, lead, '夜班 <A&B>');
}, 60_000);

afterAll(async () => {
  await service?.close();
});

async function download(origin: string, query = '', cookie = lead) {
  const response = await service.app.request(`${origin}/api/cmi5/course.zip${query}`, { headers: cookie ? { cookie } : {} });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) };
}

const langs = (element: XmlElement | undefined) => Object.fromEntries((element?.children ?? []).map((l) => [l.attributes.lang, l.text]));
const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);

describe('the cmi5 course package', () => {
  it('is for leads only, and refuses a query it does not know', async () => {
    expect((await download('http://localhost', '', '')).status).toBe(401);
    expect((await download('http://localhost', '?cohort=abc')).status).toBe(400);
    expect((await download('http://localhost', '?foo=1')).status).toBe(400);
    const theirs = await download('http://localhost', `?cohort=${cohort.id}`, other);
    expect(theirs.status).toBe(404);
    expect(theirs.body.toString()).toContain(`no cohort ${cohort.id} of yours`);
  });

  it('holds cmi5.xml with one AU per published caller, valid per the XSD, from PUBLIC_URL', async () => {
    const a = await download('http://localhost');
    expect(a.status).toBe(200);
    expect(a.type).toBe('application/zip');
    expect(a.disposition).toContain('hold-the-line-cmi5.zip');
    const files = unzip(a.body);
    expect([...files.keys()]).toEqual(['cmi5.xml']);
    const xml = files.get('cmi5.xml')!.toString('utf8');
    // Another host name, the same package.
    const b = await download('http://127.0.0.1:9999');
    expect(unzip(b.body).get('cmi5.xml')!.toString('utf8')).toBe(xml);
    expect(xml).not.toContain('localhost');

    const root = parseXml(xml);
    expect(courseStructureProblems(root)).toEqual([]);
    const course = child(root, 'course')!;
    expect(course.attributes.id).toBe(`${BASE}/cmi5/course`);
    expect(Object.keys(langs(child(course, 'title')))).toEqual(['en-US', 'zh-CN']);

    const published = service.catalogue.list();
    const aus = root.children.filter((c) => c.name === 'au');
    expect(aus.map((au) => au.attributes.id)).toEqual(published.map((p) => `${BASE}/cmi5/callers/${p.id}`));
    for (const [i, au] of aus.entries()) {
      const caller = service.catalogue.current.get(published[i]!.id)!.scenario;
      expect(au.attributes).toMatchObject({ moveOn: 'Passed', launchMethod: 'AnyWindow', masteryScore: String(caller.passMark / 100) });
      expect(child(au, 'url')!.text).toBe(`${BASE}/?cmi5=${caller.id}`);
      expect(langs(child(au, 'title'))).toEqual({ 'en-US': caller.title.en, 'zh-CN': caller.title['zh-CN'] });
      expect(langs(child(au, 'description'))).toEqual({ 'en-US': caller.summary.en, 'zh-CN': caller.summary['zh-CN'] });
    }
  });

  it('holds one AU per assignment of a cohort when asked, an assessment moving on when completed and passed', async () => {
    expect((await download('http://localhost', `?cohort=${cohort.id}`)).status).toBe(404);
    const dueAt = new Date(Date.now() + 48 * 3600_000).toISOString();
    for (const mode of ['practice', 'assessment'] as const) {
      const r = await call(service.app, 'POST', `/api/cohorts/${cohort.id}/assignments`, { body: { scenarioIds: ['practice-call'], mode, dueAt, attemptsAllowed: 2 }, cookie: lead });
      expect(r.status, r.text).toBe(201);
    }
    const listed = (await call(service.app, 'GET', `/api/cohorts/${cohort.id}/assignments`, { cookie: lead })).json.assignments as { id: number; mode: string }[];
    const got = await download('http://localhost', `?cohort=${cohort.id}`);
    expect(got.status).toBe(200);
    expect(got.disposition).toContain(`hold-the-line-cohort-${cohort.id}-cmi5.zip`);
    const root = parseXml(unzip(got.body).get('cmi5.xml')!.toString('utf8'));
    expect(courseStructureProblems(root)).toEqual([]);
    expect(child(root, 'course')!.attributes.id).toBe(`${BASE}/cmi5/cohorts/${cohort.id}`);
    // The cohort's name, escaped in the file and whole once read.
    expect(langs(child(child(root, 'course')!, 'title'))['zh-CN']).toBe('Hold the Line：“夜班 <A&B>”的练习任务');
    const aus = root.children.filter((c) => c.name === 'au');
    expect(aus).toHaveLength(2);
    for (const a of listed) {
      const au = aus.find((x) => x.attributes.id === `${BASE}/cmi5/assignments/${a.id}`)!;
      expect(au.attributes.moveOn).toBe(a.mode === 'assessment' ? 'CompletedAndPassed' : 'Passed');
      expect(child(au, 'url')!.text).toBe(`${BASE}/?cmi5=practice-call&assignment=${a.id}&mode=${a.mode}`);
      expect(langs(child(au, 'title'))['zh-CN']).toMatch(a.mode === 'assessment' ? /（考核，截止 \d{4}-\d\d-\d\d）$/ : /（练习，截止 \d{4}-\d\d-\d\d）$/);
    }
  });

  it('writes the pass mark as a decimal, and text the XML cannot hold is dropped, not broken', () => {
    expect([0, 70, 75.5, 100, 130, -5].map(masteryScore)).toEqual(['0', '0.7', '0.755', '1', '1', '0']);
    const xml = courseXml({ homePage: BASE, units: [{ scenarioId: 'x', title: { en: 'A "quoted" <b> & \u0001bell' }, summary: { 'zh-CN': '只有中文' }, passMark: 80 }] });
    const root = parseXml(xml);
    expect(courseStructureProblems(root)).toEqual([]);
    const au = child(root, 'au')!;
    expect(langs(child(au, 'title'))).toEqual({ 'en-US': 'A "quoted" <b> & bell', 'zh-CN': 'A "quoted" <b> & bell' });
    expect(langs(child(au, 'description'))).toEqual({ 'en-US': '只有中文', 'zh-CN': '只有中文' });
    // The checker itself: an AU with its url before its description, and a mastery score of 80, fail it.
    const auAt = xml.indexOf('<au ');
    const wrong = xml.slice(0, auAt) + xml.slice(auAt).replace(/(<description>[\s\S]*?<\/description>)\n(\s*<url>.*<\/url>)/, (_, d: string, u: string) => `${u.trim()}\n${d}`).replace('masteryScore="0.8"', 'masteryScore="80"');
    expect(courseStructureProblems(parseXml(wrong))).toEqual(['au 1: <description> expected at child 2, found <url>', 'au 1: unexpected <description> at child 3', 'au 1: masteryScore "80" is not a decimal in 0..1']);
    expect(() => parseXml(xml.replace('</au>', ''))).toThrow(/closes <au>/);
  });

  it('is a zip Info-ZIP reads, with UTF-8 names and CRCs that match', () => {
    const files = [
      { name: 'cmi5.xml', data: courseXml({ homePage: BASE, units: [{ scenarioId: 'x', title: { en: 'X' }, summary: { en: 'Y' }, passMark: 70 }] }) },
      { name: '说明.txt', data: '中文说明'.repeat(500) },
      { name: 'empty', data: '' },
    ];
    const packed = zip(files, new Date('2026-11-30T03:04:06Z'));
    const read = unzip(packed);
    expect([...read.keys()]).toEqual(files.map((f) => f.name));
    for (const f of files) expect(read.get(f.name)!.toString('utf8')).toBe(f.data);
    if (spawnSync('unzip', ['-v']).status !== 0) {
      console.warn('unzip is not installed: the Info-ZIP check is skipped (our reader checked the CRCs)');
      return;
    }
    const dir = mkdtempSync(joinPath(tmpdir(), 'htl-zip-'));
    try {
      writeFileSync(joinPath(dir, 'p.zip'), packed);
      const tested = execFileSync('unzip', ['-t', joinPath(dir, 'p.zip')], { encoding: 'utf8' });
      expect(tested).toContain('No errors detected');
      expect(execFileSync('unzip', ['-p', joinPath(dir, 'p.zip'), 'cmi5.xml'], { encoding: 'utf8' })).toBe(files[0]!.data);
      expect(execFileSync('zipinfo', ['-T', joinPath(dir, 'p.zip'), 'cmi5.xml'], { encoding: 'utf8' })).toMatch(/20261130\.030406/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets the page of a cmi5 launch reach the LMS that launched it, and only that page', async () => {
    const launch = new URLSearchParams({ cmi5: 'practice-call', fetch: 'https://lms.example.com:8443/token?k=1', endpoint: 'https://lrs.example.net/xapi/', registration: 'r', activityId: 'a', actor: '{}' });
    const policy = cmi5PagePolicy(PAGE_CSP, launch)!;
    expect(policy).toContain("connect-src 'self' data: blob: https://lms.example.com:8443 https://lrs.example.net;");
    expect(policy).toContain('frame-ancestors https://lms.example.com:8443 https://lrs.example.net');
    expect(cmi5PagePolicy(PAGE_CSP, new URLSearchParams({ fetch: 'javascript:alert(1)', endpoint: 'https://x.example' }))).toBeNull();
    expect(cmi5PagePolicy(PAGE_CSP, new URLSearchParams({ fetch: "https://a.example/'none'; script-src *", endpoint: 'https://x.example' }))).not.toContain('script-src *');
    const page = await service.app.request(`http://localhost/?${launch.toString()}`);
    expect(page.headers.get('content-security-policy')).toBe(policy);
    expect(page.headers.get('x-frame-options')).toBeNull();
    const plain = await service.app.request('http://localhost/?fetch=https://lms.example.com/t');
    expect(plain.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const dashboard = await service.app.request(`http://localhost/dashboard.html?${launch.toString()}`);
    expect(dashboard.headers.get('content-security-policy')).not.toContain('lms.example.com');
  });
});
