import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, SCHEMA_FILE } from '../../src/cli/scenario';
import { TEMPLATE_BEST } from '../../src/cli/template';
import { CAST, CAST_KEYS } from '../../src/engine/format/cast';

const SAMPLE = 'scenarios/practice-call.json';
const BAD = 'tests/fixtures/bad';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run scenario -- validate', () => {
  it('passes the sample with exit 0', async () => {
    const r = await cli('validate', SAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 file\(s\) checked.*0 error\(s\), 0 warning\(s\)/);
  });

  it('prints file:line:col  CODE  path  message for each problem and exits 1', async () => {
    const r = await cli('validate', `${BAD}/missing-node.json`, `${BAD}/not-json.json`, `${BAD}/no-version.json`);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^tests\/fixtures\/bad\/missing-node\.json:\d+:\d+ {2}HTL030 {2}\$\.nodes\[0\]\.choices\[0\]\.next {2}error: next names node "nowhere"/));
    expect(lines).toContainEqual(expect.stringMatching(/missing-node\.json:\d+:\d+ {2}HTL035 /));
    expect(lines).toContainEqual(expect.stringMatching(/^tests\/fixtures\/bad\/not-json\.json:3:3 {2}HTL001 /));
    expect(lines).toContainEqual(expect.stringMatching(/no-version\.json:1:1 {2}HTL010 /));
  });

  it('gives machine-readable output with --json', async () => {
    const r = await cli('validate', `${BAD}/missing-node.json`, '--json');
    const parsed = JSON.parse(r.out) as Array<{ ok: boolean; diagnostics: Array<{ code: string; line: number }> }>;
    expect(parsed[0]?.ok).toBe(false);
    expect(parsed[0]?.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['HTL030', 'HTL035']));
  });

  it('reports a missing file clearly, without a stack trace', async () => {
    const r = await cli('validate', 'scenarios/no-such-file.json');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no such file/);
    expect(r.out).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('npm run scenario -- play', () => {
  it('prints the transcript and the scores', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard,ask-confirm,number-sms,close-ask-more,bye-standard');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Ms Li: Hi, I need the appointment number/);
    expect(r.out).toMatch(/Outcome: resolved {3}Total: 100% .*PASSED/);
  });

  it('names the choices on offer when a choice id is not', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard,bye-standard');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/"bye-standard" is not on offer at node "ask".*On offer there: ask-again, ask-sorry, ask-confirm, ask-lookup-silent/);
  });

  it('gives the result as JSON', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-wei,ask-again,number-fast,close-hang-up', '--json');
    const parsed = JSON.parse(r.out) as { result: { outcome: string; passed: boolean } };
    expect(parsed.result).toMatchObject({ outcome: 'agent-hung-up', passed: false });
  });

  it('says where the call waits when the choices stop early', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/has not ended.*"ask"/);
  });

  it('saves a golden plan that the plans test can replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plans-'));
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard,ask-confirm,number-sms,close-ask-more,bye-standard', '--save-plan', 'best', '--dir', dir);
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'practice-call.plans.json'), 'utf8')) as { plans: Array<{ name: string; expect: { total: number } }> };
    expect(saved.plans[0]).toMatchObject({ name: 'best', expect: { total: 100 } });
  });
});

describe('npm run scenario -- simulate, best, graph, new', () => {
  it('simulates with a seed, reproducibly, and lists what no play reached', async () => {
    const a = await cli('simulate', SAMPLE, '--runs', '300', '--seed', '7', '--json');
    const b = await cli('simulate', SAMPLE, '--runs', '300', '--seed', '7', '--json');
    expect(a.out).toBe(b.out);
    const report = JSON.parse(a.out) as { runs: number; outcomes: Record<string, number>; unvisitedNodes: string[] };
    expect(Object.values(report.outcomes).reduce((x, y) => x + y, 0)).toBe(300);
    expect(report.unvisitedNodes).toEqual([]);
  });

  it('writes an HTML simulation report', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sim-')), 'report.html');
    expect((await cli('simulate', SAMPLE, '--runs', '50', '--html', file)).code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h2>Outcomes</h2>');
    expect(html).toContain('greet-standard');
  });

  it('prints the model call and, per dimension, the weight, the model call\'s points and the maximum', async () => {
    const r = await cli('best', SAMPLE);
    expect(r.out).toMatch(/greet-standard,ask-confirm,number-sms,close-ask-more,bye-standard/);
    expect(r.out).toMatch(/courtesy +1 +3 +3/);
  });

  it('fails a call that breaks a critical rule and opens with the rule in its own words', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard,ask-confirm,number-promise,close-ask-more,bye-standard');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^Failed on a critical rule: .+ \(no-overpromise, number-promise\)$/);
    expect(r.out).toMatch(/Outcome: resolved .*FAILED/);
  });

  it('writes the transcript\'s own words in Chinese with --lang zh-CN', async () => {
    const r = await cli('play', SAMPLE, '--choices', 'greet-standard,ask-confirm,number-sms,close-ask-more,bye-standard', '--lang', 'zh-CN');
    expect(r.out).toMatch(/第1声铃响时接听/);
    expect(r.out).toMatch(/结果：问题已解决（resolved）/);
    expect(r.out).toMatch(/你 \(greet-standard；?/);
    expect(r.out).not.toMatch(/You \(|answered on ring/);
  });

  it('audits a scenario: each naive strategy\'s outcome and score, and the random player', async () => {
    const good = await cli('audit', SAMPLE, '--json');
    expect(good.code).toBe(0);
    const [report] = JSON.parse(good.out) as Array<{ report: { strategies: Array<{ strategy: string; passed: boolean }>; random: { plays: number; passRate: number } } }>;
    expect(report?.report.strategies.map((s) => s.strategy)).toEqual(['first', 'last', 'longest-zh', 'longest-en', 'shortest-zh', 'shortest-en', 'stock-phrases-zh', 'stock-phrases-en']);
    expect(report?.report.strategies.some((s) => s.passed)).toBe(false);
    expect(report?.report.random.passRate).toBeLessThanOrEqual(0.01);
    // The warm-up as it was before the audit: its best option stood first at four decisions of five.
    const guessable = await cli('audit', 'tests/fixtures/sample-call.json');
    expect(guessable.code).toBe(3);
    expect(guessable.out).toMatch(/first +resolved +91.7% +PASSES/);
  });

  it('draws a Mermaid flowchart', async () => {
    const r = await cli('graph', SAMPLE);
    expect(r.out.startsWith('flowchart TD')).toBe(true);
    expect(r.out).toMatch(/-->\|"Hello, 114 directory/);
  });

  it('writes a new skeleton that validates, plays and passes the audit, as a draft', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'new-')), 'team', 'callers');
    const made = await cli('new', 'my-caller', '--dir', dir);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/a draft/);
    const file = join(dir, 'my-caller.json');
    expect(existsSync(file)).toBe(true);
    const validated = await cli('validate', file);
    expect(validated.code).toBe(0);
    expect(validated.out).toMatch(/0 error\(s\), 0 warning\(s\)/);
    expect((await cli('play', file, '--choices', TEMPLATE_BEST.join(','))).out).toMatch(/PASSED/);
    // No naive strategy passes and random play rarely does: nothing for the audit to flag.
    const audited = await cli('audit', file);
    expect(audited.code).toBe(0);
    expect(audited.out).not.toMatch(/PASSES|TOO MANY/);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { $schema: string; status: string; caller: { portrait: keyof typeof CAST; voice: string; name: { en: string } }; nodes: { id: string; kind: string; choices?: { id: string; kind?: string }[] }[] };
    expect(json.status).toBe('draft');
    // The schema reference resolves from the file's own folder.
    expect(resolve(dir, json.$schema)).toBe(SCHEMA_FILE);
    // Mr Wang looks and sounds like a man.
    expect(json.caller.name.en).toBe('Mr Wang');
    expect(CAST[json.caller.portrait]).toMatch(/\bman\b/);
    expect(json.caller.voice).toBe(json.caller.portrait);
    // The best answers sit at different places among the words.
    const places = json.nodes.filter((n) => n.kind === 'decision').map((n) => (n.choices ?? []).filter((c) => !c.kind || c.kind === 'say').findIndex((c) => (TEMPLATE_BEST as readonly string[]).includes(c.id)));
    expect(new Set(places).size).toBeGreaterThan(1);
    expect(places.every((p) => p >= 0)).toBe(true);
    expect((await cli('new', 'my-caller', '--dir', dir)).code).toBe(1);
    // Publishing: only a file without errors, and then it is for trainees.
    expect((await cli('publish', file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).status).toBe('published');
    expect(readFileSync(file, 'utf8')).toMatch(/^\{\n {2}"\$schema"/);
  });

  it('saves a golden plan beside the file, and validate replays the plans there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beside-'));
    await cli('new', 'my-caller', '--dir', dir);
    const file = join(dir, 'my-caller.json');
    const saved = await cli('play', file, '--choices', TEMPLATE_BEST.join(','), '--save-plan', 'best');
    expect(saved.code).toBe(0);
    const plans = join(dir, 'plans', 'my-caller.plans.json');
    expect(saved.out).toContain(plans);
    expect(JSON.parse(readFileSync(plans, 'utf8')).plans[0]).toMatchObject({ name: 'best', expect: { outcome: 'resolved', passed: true } });
    expect((await cli('validate', file)).code).toBe(0);
    // A plan that no longer plays as saved is an error of the file it belongs to.
    const changed = JSON.parse(readFileSync(plans, 'utf8'));
    changed.plans[0].expect.total = 12.3;
    writeFileSync(plans, JSON.stringify(changed));
    const stale = await cli('validate', file);
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/plan "best" no longer matches: total was 12\.3, is 100/);
    writeFileSync(plans, 'not json');
    expect((await cli('validate', file)).out).toMatch(/not a plans file/);
  });

  it('lists the portraits and voices, with what each looks and sounds like', async () => {
    const r = await cli('cast');
    expect(r.code).toBe(0);
    for (const key of CAST_KEYS) expect(r.out).toContain(key);
    expect(r.out).toContain(CAST.resident);
    expect(r.out).toMatch(/sounds: angry man in his fifties/);
    expect((await cli('cast', '--lang', 'zh-CN')).out).toMatch(/声音/);
  });

  it('helps with each command, in the language asked for', async () => {
    const all = await cli('--help');
    for (const command of ['validate', 'play', 'simulate', 'best', 'audit', 'graph', 'new', 'publish', 'cast']) expect(all.out).toMatch(new RegExp(`^  ${command} `, 'm'));
    const one = await cli('play', '--help');
    expect(one.out).toMatch(/--save-plan/);
    expect(one.out).not.toMatch(/^ {2}simulate /m);
    expect((await cli('help', 'audit')).out).toMatch(/--plays/);
    const zh = await cli('new', '--help', '--lang', 'zh-CN');
    expect(zh.out).toMatch(/用法：/);
    expect(zh.out).toMatch(/草稿/);
  });

  it('explains bad usage with exit 2', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('play', SAMPLE)).err).toMatch(/needs --choices/);
    expect((await cli('simulate', SAMPLE, '--runs', 'many')).code).toBe(2);
  });
});

describe('parallel simulation', () => {
  it('gives exactly the report a single thread gives for the same seed', async () => {
    const { simulateParallel } = await import('../../src/cli/parallel-simulate');
    const { simulate } = await import('../../src/engine/analysis/simulate');
    const { analysisOf, scenarioSchema } = await import('../../src/engine/index');
    const scenario = scenarioSchema.parse(JSON.parse(readFileSync(SAMPLE, 'utf8')));
    const options = { runs: 1300, seed: 11, chunk: 500 };
    const parallel = await simulateParallel(scenario, options, 2);
    expect(parallel).toEqual(simulate(scenario, analysisOf(scenario), options));
    expect(parallel.runs).toBe(options.runs);
  });
});
