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
  /** Position of each value by JSON path (`$`, `$.nodes[0].id`). */
  positions: Map<string, Position>;
  problems: SourceProblem[];
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

export function readJson(text: string): JsonSource {
  const positions = new Map<string, Position>();
  const problems: SourceProblem[] = [];
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

  const parseValue = (path: string, depth: number): unknown => {
    skip();
    if (depth > MAX_DEPTH) throw new SyntaxProblem(`values are nested more than ${MAX_DEPTH} deep`, i);
    positions.set(path, positionOf(i));
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const seen = new Set<string>();
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
        const valuePath = childPath(path, key);
        const value = parseValue(valuePath, depth + 1);
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ kind: 'forbidden-key', message: `the key "${key}" is not allowed`, path: valuePath, position: positionOf(keyOffset) });
        } else if (seen.has(key)) {
          problems.push({ kind: 'duplicate-key', message: `the key "${key}" appears twice in one object; only the last would count`, path: valuePath, position: positionOf(keyOffset) });
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
          // Plain prototype so the value behaves like JSON.parse's output.
          return Object.assign({}, obj);
        }
        throw new SyntaxProblem(`expected "," or "}" after a value, found ${describe(i)}`, i);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(childPath(path, arr.length), depth + 1));
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
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (literal) {
      i += literal[0].length;
      const word = literal[0];
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    }
    throw new SyntaxProblem(`expected a value, found ${describe(i)}`, i);
  };

  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const value = parseValue('$', 0);
    skip();
    if (i < text.length) throw new SyntaxProblem(`unexpected ${describe(i)} after the end of the JSON value`, i);
    return { value, positions, problems };
  } catch (error) {
    if (error instanceof SyntaxProblem) {
      return { value: undefined, positions, problems: [{ kind: 'syntax', message: error.message, path: '$', position: positionOf(error.offset) }] };
    }
    throw error;
  }
}
