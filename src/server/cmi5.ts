/**
 * The cmi5 course package (issue 15): a zip holding `cmi5.xml`, the course structure of the cmi5
 * specification (Quartz, section 13, namespace https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd),
 * so an LMS imports the game and launches each caller as an assignable unit (AU).
 *
 * One AU per published caller (or per assignment of one cohort): its id and launch URL start with
 * the service's public address (PUBLIC_URL), `launchMethod` AnyWindow (the LMS may open it in a
 * frame or a window), `moveOn` Passed (CompletedAndPassed for an assessment: the call must be
 * finished and passed), `masteryScore` the caller's pass mark as a 0..1 decimal; titles and
 * descriptions in en-US and zh-CN from the caller's own texts. The AU's URL names the caller
 * (`?cmi5=ID`); the LMS appends its launch parameters, and the game plays that caller at once
 * (src/game/net/cmi5.ts). The package holds no media: every URL is absolute (spec section 14).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { Localised } from '../engine/index';

export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

export interface Cmi5Unit {
  /** The caller the AU plays. */
  scenarioId: string;
  title: Localised;
  summary: Localised;
  passMark: number;
  /** An assignment's AU: its id and mode go into the launch URL. */
  assignment?: { id: number; mode: 'practice' | 'assessment'; dueAt: string };
}

export interface Cmi5Course {
  /** PUBLIC_URL as `publicAddress` writes it. */
  homePage: string;
  units: readonly Cmi5Unit[];
  /** A cohort's assignments: the course is that cohort's. */
  cohort?: { id: number; name: string };
}

const escapeXml = (text: string): string =>
  // XML 1.0 has no way to write most control characters: they are dropped.
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** `<langstring>`s in en-US and zh-CN, each language the text has (the other falls back to it). */
function langstrings(text: Localised, indent: string): string {
  const en = text.en || text['zh-CN'] || '';
  const zh = text['zh-CN'] || text.en || '';
  return `\n${indent}  <langstring lang="en-US">${escapeXml(en)}</langstring>\n${indent}  <langstring lang="zh-CN">${escapeXml(zh)}</langstring>\n${indent}`;
}

/** A pass mark (0–100 %) as the masteryScore decimal (0..1), at most 4 places. */
export function masteryScore(passMark: number): string {
  const clamped = Math.min(100, Math.max(0, passMark));
  return String(Math.round(clamped * 100) / 10_000);
}

/** The AU's id (an IRI on PUBLIC_URL): the caller's, or the assignment's. */
export function auId(homePage: string, unit: Pick<Cmi5Unit, 'scenarioId' | 'assignment'>): string {
  return unit.assignment ? `${homePage}/cmi5/assignments/${unit.assignment.id}` : `${homePage}/cmi5/callers/${encodeURIComponent(unit.scenarioId)}`;
}

/** The AU's launch URL: the game, naming the caller (and the assignment). The LMS appends its parameters. */
export function auUrl(homePage: string, unit: Pick<Cmi5Unit, 'scenarioId' | 'assignment'>): string {
  const query = new URLSearchParams({ cmi5: unit.scenarioId });
  if (unit.assignment) {
    query.set('assignment', String(unit.assignment.id));
    query.set('mode', unit.assignment.mode);
  }
  return `${homePage}/?${query.toString()}`;
}

export function courseXml(course: Cmi5Course): string {
  const base = course.homePage;
  const courseId = course.cohort ? `${base}/cmi5/cohorts/${course.cohort.id}` : `${base}/cmi5/course`;
  const title: Localised = course.cohort
    ? { en: `Hold the Line: assignments of ${course.cohort.name}`, 'zh-CN': `Hold the Line：“${course.cohort.name}”的练习任务` }
    : { en: 'Hold the Line: difficult callers', 'zh-CN': 'Hold the Line：难缠来电练习' };
  const description: Localised = {
    en: 'Practise difficult callers before you take real ones. Each unit is one call: answer the phone, choose what to say, and read the debrief. The call passes at the caller’s pass mark with no critical rule broken.',
    'zh-CN': '正式上岗前，先和难缠的来电者练一练。每个单元是一通电话：接听、选择回应、查看复盘。得分达到该来电的及格线且未违反关键规则，即为通过。',
  };
  const units = course.units.map((unit) => {
    const assessment = unit.assignment?.mode === 'assessment';
    const moveOn = assessment ? 'CompletedAndPassed' : 'Passed';
    let unitTitle = unit.title;
    if (unit.assignment) {
      const due = unit.assignment.dueAt.slice(0, 10);
      unitTitle = {
        en: `${unit.title.en || unit.title['zh-CN'] || unit.scenarioId} (${assessment ? 'assessment' : 'practice'}, due ${due})`,
        'zh-CN': `${unit.title['zh-CN'] || unit.title.en || unit.scenarioId}（${assessment ? '考核' : '练习'}，截止 ${due}）`,
      };
    }
    return [
      `  <au id="${escapeXml(auId(base, unit))}" moveOn="${moveOn}" masteryScore="${masteryScore(unit.passMark)}" launchMethod="AnyWindow">`,
      `    <title>${langstrings(unitTitle, '    ')}</title>`,
      `    <description>${langstrings(unit.summary, '    ')}</description>`,
      `    <url>${escapeXml(auUrl(base, unit))}</url>`,
      '  </au>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<courseStructure xmlns="${CMI5_NAMESPACE}">`,
    `  <course id="${escapeXml(courseId)}">`,
    `    <title>${langstrings(title, '    ')}</title>`,
    `    <description>${langstrings(description, '    ')}</description>`,
    '  </course>',
    ...units,
    '</courseStructure>',
    '',
  ].join('\n');
}

/** The DOS date and time of a zip entry (local fields, 2-second steps). */
function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * A zip (PKWARE APPNOTE, Zip32) of the given files, each deflated (method 8) with its CRC-32 and
 * UTF-8 names (general purpose bit 11). Small files only: everything is in memory.
 */
export function zip(files: readonly { name: string; data: Buffer | string }[], modified = new Date()): Buffer {
  const { time, date } = dosTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : file.data;
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0; external attributes: 0; offset of the local header.
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The package: `cmi5.xml` alone (the game is on PUBLIC_URL). */
export function coursePackage(course: Cmi5Course, modified = new Date()): Buffer {
  return zip([{ name: 'cmi5.xml', data: courseXml(course) }], modified);
}

/**
 * The trainee page's Content-Security-Policy for a cmi5 launch: `policy` with the origins of the
 * launch's `fetch` and `endpoint` (the LMS's token address and its xAPI endpoint) added to
 * `connect-src`, so the page may reach that LMS, and to `frame-ancestors`, so the LMS may show the
 * unit in a frame (launchMethod AnyWindow). Null when the address is not a cmi5 launch.
 */
export function cmi5PagePolicy(policy: string, query: URLSearchParams): string | null {
  const origins = new Set<string>();
  for (const name of ['fetch', 'endpoint']) {
    const value = query.get(name);
    if (!value) return null;
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
      origins.add(url.origin);
    } catch {
      return null;
    }
  }
  const extra = [...origins].join(' ');
  return policy.replace(/connect-src ([^;]*)/, `connect-src $1 ${extra}`).replace(/frame-ancestors 'none'/, `frame-ancestors ${extra}`);
}
