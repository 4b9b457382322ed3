/**
 * A JSON reader that remembers where every value stands in the file, so a diagnostic can name the
 * line and column of the field it is about. It reports what JSON.parse silently accepts: duplicate
 * keys, and keys such as `__proto__` that reach into JavaScript objects.
 */

export interface Position {
  line: number;
  column: number;
}

export interface SourceProblem {
  kind: 'syntax' | 'duplicate-key' | 'forbidden-key';
  message: string;
  path: string;
  position: Position;
}

export interface JsonSource {
  value: unknown;
  /** Position of the value at a JSON path (`$`, `$.nodes[0].id`), if the file has it. */
  positionOf: (path: string) => Position | undefined;
  problems: SourceProblem[];
}

/** Where a value starts, and where its members start: built while parsing, read only for diagnostics. */
interface Slot {
  offset: number;
  members: Map<string, Slot> | Slot[] | null;
}

/** Splits `$.nodes[0]["odd key"].id` into its keys and indexes. */
export function pathSegments(path: string): Array<string | number> | null {
  if (!path.startsWith('$')) return null;
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const m = pattern.exec(path);
    if (!m) return null;
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3] ?? '""') as string);
  }
  return segments;
}

export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 200;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function hasControlCharacter(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) < 0x20) return true;
  return false;
}

/**
 * Reads JSON text. With `positions: false` it skips recording where each value stands (faster, for
 * a first pass over a file that may well have no problem); read again with positions to locate one.
 */
export function readJson(text: string, options: { positions?: boolean } = {}): JsonSource {
  const track = options.positions !== false;
  const problems: SourceProblem[] = [];
  // The path to the value being read, kept as segments; joined into a string only for a problem.
  const segments: Array<string | number> = [];
  const currentPath = (extra?: string) => {
    let path = '$';
    for (const seg of segments) path = childPath(path, seg);
    return extra === undefined ? path : childPath(path, extra);
  };
  let i = 0;
  // Line starts, for turning offsets into line and column.
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const positionOf = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };

  const skip = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const describe = (offset: number) => (offset >= text.length ? 'the end of the file' : `"${text[offset]}"`);

  const parseString = (): string => {
    const start = i;
    const close = text.indexOf('"', i + 1);
    if (close !== -1) {
      const raw = text.slice(i + 1, close);
      if (!raw.includes('\\') && !hasControlCharacter(raw)) {
        i = close + 1;
        return raw;
      }
    }
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) throw new SyntaxProblem('a string is not closed', start);
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else throw new SyntaxProblem('a string has an invalid escape', i);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw new SyntaxProblem('a string holds a raw line break or control character; write \\n', i);
      out += c;
      i++;
    }
  };

  const scratch: Slot = { offset: 0, members: null };
  const literal = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const parseValue = (slot: Slot, depth: number): unknown => {
    skip();
    if (depth > MAX_DEPTH) throw new SyntaxProblem(`values are nested more than ${MAX_DEPTH} deep`, i);
    slot.offset = i;
    const c = text[i];
    if (c === '{') {
      i++;
      // Forbidden keys are never assigned, so a plain object is safe here.
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      const members = track ? new Map<string, Slot>() : null;
      slot.members = members;
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') throw new SyntaxProblem(`expected a key in double quotes, found ${describe(i)}`, i);
        const keyOffset = i;
        const key = parseString();
        skip();
        if (text[i] !== ':') throw new SyntaxProblem(`expected ":" after the key "${key}", found ${describe(i)}`, i);
        i++;
        const child: Slot = track ? { offset: i, members: null } : scratch;
        segments.push(key);
        const value = parseValue(child, depth + 1);
        segments.pop();
        if (members && !members.has(key)) members.set(key, child);
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ kind: 'forbidden-key', message: `the key "${key}" is not allowed`, path: currentPath(key), position: positionOf(keyOffset) });
        } else if (seen.has(key)) {
          problems.push({ kind: 'duplicate-key', message: `the key "${key}" appears twice in one object; only the last would count`, path: currentPath(key), position: positionOf(keyOffset) });
          obj[key] = value;
        } else {
          seen.add(key);
          obj[key] = value;
        }
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === '}') throw new SyntaxProblem('a comma before "}" (trailing commas are not JSON)', i);
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        throw new SyntaxProblem(`expected "," or "}" after a value, found ${describe(i)}`, i);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      const members: Slot[] | null = track ? [] : null;
      slot.members = members;
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        const child: Slot = track ? { offset: i, members: null } : scratch;
        members?.push(child);
        segments.push(arr.length);
        arr.push(parseValue(child, depth + 1));
        segments.pop();
        skip();
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === ']') throw new SyntaxProblem('a comma before "]" (trailing commas are not JSON)', i);
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        throw new SyntaxProblem(`expected "," or "]" after a value, found ${describe(i)}`, i);
      }
    }
    if (c === '"') return parseString();
    literal.lastIndex = i;
    const match = literal.exec(text);
    if (match) {
      i += match[0].length;
      const word = match[0];
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    }
    throw new SyntaxProblem(`expected a value, found ${describe(i)}`, i);
  };

  const root: Slot = { offset: 0, members: null };
  const lookup = (path: string): Position | undefined => {
    const segs = pathSegments(path);
    if (!segs) return undefined;
    let slot: Slot | undefined = root;
    for (const seg of segs) {
      const members: Slot['members'] | undefined = slot?.members;
      if (!members) return undefined;
      slot = Array.isArray(members) ? (typeof seg === 'number' ? members[seg] : undefined) : members.get(String(seg));
    }
    return slot ? positionOf(slot.offset) : undefined;
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const value = parseValue(root, 0);
    skip();
    if (i < text.length) throw new SyntaxProblem(`unexpected ${describe(i)} after the end of the JSON value`, i);
    return { value, positionOf: lookup, problems };
  } catch (error) {
    if (error instanceof SyntaxProblem) {
      return { value: undefined, positionOf: () => undefined, problems: [{ kind: 'syntax', message: error.message, path: currentPath(), position: positionOf(error.offset) }] };
    }
    throw error;
  }
}

/**
 * Where the value at a JSON path (`$.nodes[3].choices[0].id`) starts in text that JSON.parse
 * accepted, found by walking down that one path and skipping every other value unread: for the few
 * diagnostics of a file that parsed, instead of recording the place of every value in it. Agrees
 * with `readJson(text).positionOf` (a key written twice: its first place); undefined where the path
 * is not in the text.
 */
export function locateJson(text: string, path: string): Position | undefined {
  const segments = pathSegments(path);
  if (!segments) return undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const space = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(i)) i++;
  };
  /** From an opening quote, the index after the closing one (a quote after an odd run of backslashes is escaped). */
  const stringEnd = (at: number): number => {
    for (let from = at + 1; ; ) {
      const quote = text.indexOf('"', from);
      if (quote < 0) return text.length;
      let slashes = 0;
      while (text.charCodeAt(quote - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  };
  const skipValue = () => {
    space();
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(i);
      return;
    }
    if (c !== 123 && c !== 91) {
      for (let d = text.charCodeAt(i); i < text.length && d !== 44 && d !== 125 && d !== 93 && d !== 32 && d !== 9 && d !== 10 && d !== 13; d = text.charCodeAt(i)) i++;
      return;
    }
    let depth = 0;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === 34) {
        i = stringEnd(i);
        continue;
      }
      i++;
      if (d === 123 || d === 91) depth++;
      else if ((d === 125 || d === 93) && --depth === 0) return;
    }
  };
  space();
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (text.charCodeAt(i) !== 91) return undefined;
      i++;
      space();
      if (text.charCodeAt(i) === 93) return undefined;
      for (let k = 0; k < segment; k++) {
        skipValue();
        space();
        if (text.charCodeAt(i) !== 44) return undefined;
        i++;
      }
      space();
      continue;
    }
    if (text.charCodeAt(i) !== 123) return undefined;
    i++;
    for (;;) {
      space();
      if (text.charCodeAt(i) !== 34) return undefined;
      const start = i;
      i = stringEnd(i);
      const raw = text.slice(start + 1, i - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw;
      space();
      if (text.charCodeAt(i) !== 58) return undefined;
      i++;
      space();
      if (key === segment) break;
      skipValue();
      space();
      if (text.charCodeAt(i) !== 44) return undefined;
      i++;
    }
  }
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < i; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: i - lineStart + 1 };
}

/**
 * Whether JSON text that JSON.parse accepted may hide a key problem in the value it gave: a key that
 * appears twice in an object (JSON.parse keeps the last one), or `__proto__`, `constructor` or
 * `prototype`. It counts the keys written in the text and the keys in the value: a duplicate makes
 * the value hold fewer. It may say yes when the answer is no (an escaped quote before a colon in a
 * text, a string value that starts with a colon, a file nested very deep), never the other way round: only a
 * file that fails it is read again, slowly, by `readJson`, which says what and where.
 */
export function hasKeyProblem(text: string, value: unknown): boolean {
  // Every key is a string followed by a colon; a colon inside a string is not preceded by a closing
  // quote unless that quote is escaped, which can only make this count too high, never too low.
  let written = 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    let k = at - 1;
    let c = text.charCodeAt(k);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(--k);
    if (c === 0x22) written++;
  }
  const held = countKeys(value, 0);
  return held < 0 || held !== written;
}

/** The keys in a parsed JSON value, or -1 when it has a forbidden key or is nested too deep. */
function countKeys(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_DEPTH) return -1;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = countKeys(item, depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  for (const key of FORBIDDEN_KEYS) if (Object.prototype.hasOwnProperty.call(value, key)) return -1;
  for (const key in value) {
    const inner = countKeys((value as Record<string, unknown>)[key], depth + 1);
    if (inner < 0) return -1;
    count += inner + 1;
  }
  return count;
}
