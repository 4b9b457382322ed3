import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, MAX_SCENARIO_BYTES, checkScenario, validateScenario, type Diagnostic, type DiagnosticCode } from '../../src/engine/index';
import { childPath, locateJson, readJson } from '../../src/engine/check/json-source';
import { utf8Length } from '../../src/engine/check/validate';

const sampleText = readFileSync(new URL('../../scenarios/practice-call.json', import.meta.url), 'utf8');
type Json = Record<string, unknown> & { nodes: Array<Record<string, unknown> & { choices?: Array<Record<string, unknown>> }> };
const sample = (): Json => JSON.parse(sampleText) as Json;
const node = (s: Json, id: string) => {
  const n = s.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const choices = (s: Json, id: string) => node(s, id).choices as Array<Record<string, unknown>>;
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

/** One bad fixture per diagnostic code: each mutates the valid sample so that exactly this problem appears. */
const BAD: Record<DiagnosticCode, () => unknown> = {
  HTL001: () => '{ "formatVersion": 1,\n  "id": "x",\n  "title": { "en": "a" } oops }',
  HTL002: () => `{"formatVersion":1,"pad":"${'x'.repeat(1024 * 1024)}"}`,
  HTL003: () => '[1, 2, 3]',
  HTL004: () => sampleText.replace('"revision": 2,', '"revision": 2, "__proto__": { "polluted": true },'),
  HTL005: () => sampleText.replace('"revision": 2,', '"revision": 2, "revision": 3,'),
  HTL010: () => {
    const s = sample();
    delete s.formatVersion;
    return s;
  },
  HTL011: () => ({ ...sample(), formatVersion: 7 }),
  HTL020: () => ({ ...sample(), difficulty: 9 }),
  HTL030: () => {
    const s = sample();
    choices(s, 'greet')[0]!.next = 'nowhere';
    return s;
  },
  HTL031: () => {
    const s = sample();
    choices(s, 'ask')[0]!.id = 'greet-standard';
    return s;
  },
  HTL032: () => {
    const s = sample();
    s.nodes.push({ id: 'orphan', kind: 'ending', outcome: 'resolved', title: { 'zh-CN': '孤', en: 'Orphan' }, summary: { 'zh-CN': '孤', en: 'Orphan' } });
    return s;
  },
  HTL033: () => {
    const s = sample();
    delete node(s, 'confirmed').next;
    return s;
  },
  HTL034: () => {
    const s = sample();
    // Every way out of "goodbye" leads back to "anything-else", and that only to "goodbye".
    for (const c of choices(s, 'goodbye')) c.next = 'anything-else';
    for (const c of choices(s, 'anything-else')) c.next = 'goodbye';
    for (const c of [...choices(s, 'goodbye'), ...choices(s, 'anything-else')]) {
      c.kind = 'say';
      delete c.mood;
      delete c.scores;
    }
    return s;
  },
  HTL035: () => {
    const s = sample();
    choices(s, 'greet')[0]!.rules = { kept: ['be-nice'] };
    return s;
  },
  HTL036: () => {
    const s = sample();
    choices(s, 'greet')[0]!.scores = { charm: 2 };
    return s;
  },
  HTL037: () => {
    const s = sample();
    choices(s, 'greet')[0]!.feedback = { 'zh-CN': '只有中文' };
    return s;
  },
  HTL038: () => {
    const s = sample();
    choices(s, 'greet')[2]!.when = { flags: ['never-set'] };
    return s;
  },
  HTL040: () => {
    const s = sample();
    node(s, 'end-resolved').outcome = 'complaint';
    return s;
  },
  HTL041: () => {
    const s = sample();
    // Flags toggled on a loop multiply the states beyond the limit the test passes in.
    return s;
  },
  HTL042: () => {
    const s = sample();
    choices(s, 'goodbye').find((c) => c.kind === 'hang-up')!.next = 'end-resolved';
    return s;
  },
  HTL043: () => {
    const s = sample();
    choices(s, 'greet')[0]!.rules = { kept: ['courteous-words'], broken: ['courteous-words'] };
    return s;
  },
  HTL044: () => {
    const s = sample();
    node(s, 'greet').choices = choices(s, 'greet').slice(0, 2);
    return s;
  },
  HTL045: () => {
    const s = sample();
    (s.timing as Record<string, unknown>).silence = { mood: 0 };
    return s;
  },
  HTL046: () => {
    const s = sample();
    // "Mm, bye" now leads back to "anything else?", and both earn closing points: round and round.
    const curt = choices(s, 'goodbye').find((c) => c.id === 'bye-curt')!;
    curt.next = 'anything-else';
    curt.scores = { closing: 1 };
    return s;
  },
  HTL047: () => {
    const s = sample();
    // The model trainee's option first at every decision: "always the first option" passes.
    for (const n of s.nodes) if (n.choices) n.choices.sort((a, b) => Number(MODEL.includes(String(b.id))) - Number(MODEL.includes(String(a.id))));
    return s;
  },
  HTL048: () => ({ ...sample(), passMark: 0 }),
  HTL049: () => {
    const s = sample();
    for (const n of s.nodes) {
      for (const c of n.choices ?? []) {
        if (!MODEL.includes(String(c.id))) continue;
        const text = c.text as Record<string, string>;
        c.text = { 'zh-CN': `${text['zh-CN']}我们会尽快为您处理好这件事情，请您放心。`, en: `${text.en} We will see to it as quickly as we can; please rest assured.` };
      }
    }
    return s;
  },
  HTL050: () => {
    const s = sample();
    (s.title as Record<string, string>)['zh-CN'] = '热身,第一通电话';
    return s;
  },
  HTL051: () => {
    const s = sample();
    // Empathy points only on an option that breaks a critical rule: the model call never earns them.
    choices(s, 'give-number').find((c) => c.id === 'number-promise')!.scores = { resolution: 1, empathy: 2 };
    return s;
  },
  HTL053: () => {
    const s = sample();
    (s.caller as Record<string, unknown>).portrait = 'mr-nobody';
    return s;
  },
  HTL054: () => {
    const s = sample();
    (s.caller as Record<string, unknown>).voice = 'robot';
    return s;
  },
  HTL052: () => {
    const s = sample();
    choices(s, 'give-number').find((c) => c.id === 'number-sms')!.kind = 'ticket';
    return s;
  },
};

/** The model call of the sample, one choice per decision. */
const MODEL = ['greet-standard', 'ask-confirm', 'number-sms', 'close-ask-more', 'bye-standard'];

describe('the cast', () => {
  it('has a portrait in the game and a voice in the audio script for every key the checker accepts, and no other', async () => {
    const { CAST_KEYS } = await import('../../src/engine/format/cast');
    const { PORTRAIT_KEYS } = await import('../../src/game/art/portraits');
    const { VOICES } = await import('../../scripts/make-audio/voices');
    expect(PORTRAIT_KEYS.filter((k) => k !== 'generic').sort()).toEqual([...CAST_KEYS].sort());
    expect(Object.keys(VOICES).sort()).toEqual([...CAST_KEYS].sort());
  });
});

describe('the checker', () => {
  it('accepts the sample scenario with no problem at all', () => {
    expect(validateScenario(sampleText)).toEqual([]);
  });

  for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
    if (code === 'HTL041') continue;
    it(`reports ${code} (${DIAGNOSTIC_CODES[code].name}) for its bad fixture`, () => {
      const diagnostics = validateScenario(BAD[code]());
      const found = diagnostics.find((d) => d.code === code);
      expect(found, `got ${JSON.stringify(codes(diagnostics))}`).toBeDefined();
      expect(found?.severity).toBe(DIAGNOSTIC_CODES[code].severity);
      expect(found?.message.length).toBeGreaterThan(5);
      expect(found?.hint.length).toBeGreaterThan(5);
      expect(found?.path.startsWith('$')).toBe(true);
    });
  }

  it('reports HTL041 when the call has more states than the analysis may walk', async () => {
    const { analyseScenario } = await import('../../src/engine/analysis/explore');
    const { scenarioSchema } = await import('../../src/engine/format/schema');
    const analysis = analyseScenario(scenarioSchema.parse(sample()), 3);
    expect(analysis.complete).toBe(false);
  });

  it('gives the line and column of a syntax error', () => {
    const [d] = validateScenario(BAD.HTL001());
    expect(d).toMatchObject({ code: 'HTL001', line: 3, column: 26 });
  });

  it('gives the line of the field a problem is about', () => {
    // The first "next" in the file is that of the first option of the first decision.
    const text = sampleText.replace('"next": "ask"', '"next": "nowhere"');
    const d = validateScenario(text).find((x) => x.code === 'HTL030');
    expect(d?.path).toBe('$.nodes[0].choices[0].next');
    const lineOfNowhere = text.split('\n').findIndex((l) => l.includes('"nowhere"')) + 1;
    expect(d?.line).toBe(lineOfNowhere);
  });

  it('collects every problem in one pass instead of stopping at the first', () => {
    const s = sample();
    choices(s, 'greet')[0]!.next = 'nowhere';
    choices(s, 'ask')[0]!.rules = { kept: ['be-nice'] };
    choices(s, 'goodbye')[0]!.scores = { charm: 1 };
    (node(s, 'give-number').choices as unknown[]).push({ id: 'bad', text: {}, next: 'x' });
    const found = codes(validateScenario(s));
    expect(found).toEqual(expect.arrayContaining(['HTL020', 'HTL030', 'HTL035', 'HTL036']));
  });

  it('gives one clear message for a file without a format version, and nothing else', () => {
    const diagnostics = validateScenario(BAD.HTL010());
    expect(codes(diagnostics)).toEqual(['HTL010']);
  });

  it('never throws on hostile or odd input', () => {
    const inputs: unknown[] = ['', ' ', 'null', '42', '"text"', '{', '[]', '{"formatVersion":1}', '{"formatVersion":1,"nodes":[null,1,"x",{}]}', null, 42, [], { constructor: { prototype: 1 } }, '\u0000', '{"a":'.repeat(500)];
    for (const input of inputs) {
      const diagnostics = validateScenario(input);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.every((d) => d.severity === 'error' || d.severity === 'warning')).toBe(true);
    }
  });

  it('returns the parsed scenario only when there is no error', () => {
    expect(checkScenario(sampleText).scenario?.id).toBe('practice-call');
    expect(checkScenario(BAD.HTL030()).scenario).toBeNull();
    expect(checkScenario(BAD.HTL044()).scenario?.id).toBe('practice-call');
  });
});

describe('the generated benchmark scenario', () => {
  it('is valid, so the benchmark times the whole checker, analysis included', async () => {
    const { generateScenario } = await import('../../bench/generate-scenario');
    const diagnostics = validateScenario(JSON.stringify(generateScenario(300)));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('the quick key scan', () => {
  const scan = async (text: string) => {
    const { hasKeyProblem } = await import('../../src/engine/check/json-source');
    return hasKeyProblem(text, JSON.parse(text));
  };

  it('finds duplicate and forbidden keys at any depth, and none in clean JSON', async () => {
    expect(await scan(sampleText)).toBe(false);
    expect(await scan('{"a":{"b":[{"c":1,"d":"x\\"y","c":2}]}}')).toBe(true);
    expect(await scan('{"a":[{"k":1},{"k":2}],"b":"a"}')).toBe(false);
    expect(await scan('{"list":["x","x"],"x":1}')).toBe(false);
    expect(await scan('{"a":{"constructor":1}}')).toBe(true);
    expect(await scan('{"\\u005f_proto__":{}}')).toBe(true);
    expect(await scan('{"a\\\\":1,"b":"at 10:30: \\"fine\\""}')).toBe(false);
    const wide = `{${Array.from({ length: 500 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
    expect(await scan(wide)).toBe(false);
    expect(await scan(`${wide.slice(0, -1)},"k7":0}`)).toBe(true);
  });

  it('leaves what it cannot judge to the careful reader, which finds the real problems or none', async () => {
    // A string value that starts with a colon, and an escaped quote before a colon, are passed on.
    for (const text of ['{"a":":b","c":1}', '{"a":"say \\"yes\\": now"}']) {
      expect(await scan(text)).toBe(true);
      expect(readJson(text).problems).toEqual([]);
    }
    expect(await scan('{ "a" :\n 1, "b"\t: 2 }')).toBe(false);
    const spaced = '{"k" : 1, "k" : 2}';
    expect(await scan(spaced)).toBe(true);
    expect(readJson(spaced).problems.map((p) => [p.kind, p.path])).toEqual([['duplicate-key', '$.k']]);
  });
});

describe('the one-path locator', () => {
  /** Every path in a JSON value, and a few that are not in it. */
  const paths = (value: unknown, path = '$', out: string[] = []): string[] => {
    out.push(path);
    if (Array.isArray(value)) {
      value.forEach((v, i) => paths(v, childPath(path, i), out));
      out.push(childPath(path, value.length));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) paths(v, childPath(path, k), out);
      out.push(childPath(path, 'absent'));
    }
    return out;
  };
  const agree = (text: string) => {
    const full = readJson(text);
    expect(full.problems.filter((p) => p.kind === 'syntax')).toEqual([]);
    for (const path of paths(full.value)) expect([path, locateJson(text, path)]).toEqual([path, full.positionOf(path)]);
  };

  it('finds every path of the shipped scenarios where the full reader does', () => {
    for (const name of ['practice-call', 'wrong-charge', 'missing-parcel']) agree(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));
  });

  it('agrees on escapes, odd keys, spacing, a byte-order mark, empty containers and keys written twice', () => {
    agree('{"a\\\\":1,"b":"at 10:30: \\"fine\\" \\\\","c d":{"x]":[1,{"y":[]},{}]}}');
    agree('\ufeff{\n  "k" : [ 1 ,\t2 ,\r\n  {"k":"}"} ],\n "\\u006b2": null, "n": -1.5e3 }');
    agree('{"k":1,"k":{"j":2}}');
    agree('[[],[[1]],"x"]');
  });
});

describe('the file size limit', () => {
  it('counts UTF-8 bytes as an encoder does, Chinese and emoji and lone surrogates included', () => {
    for (const text of ['', 'plain', '投诉处理', 'é', '😀', 'a\ud800b', '\udc00', `${'中'.repeat(1000)}x😀`]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('refuses a Chinese file over 1 MB even when it has fewer than a million characters, and takes one just under', () => {
    const over = `{"formatVersion":1,"pad":"${'中'.repeat(400_000)}"}`;
    expect(over.length).toBeLessThan(MAX_SCENARIO_BYTES);
    expect(validateScenario(over).map((d) => d.code)).toEqual(['HTL002']);
    expect(validateScenario(over)[0]?.message).toContain(`${new TextEncoder().encode(over).length} bytes`);
    const under = `{"formatVersion":1,"pad":"${'中'.repeat(349_000)}"}`;
    expect(new TextEncoder().encode(under).length).toBeLessThanOrEqual(MAX_SCENARIO_BYTES);
    expect(validateScenario(under).map((d) => d.code)).not.toContain('HTL002');
  });
});
