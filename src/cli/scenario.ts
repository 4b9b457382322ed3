/**
 * The scenario CLI: `npm run scenario -- <command>`. Validate, play, simulate, find the best path,
 * draw the graph and start a new scenario. Exit code 1 on any error, 2 on bad usage.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analysisOf,
  canonicalJson,
  checkScenario,
  defaultRulebook,
  hasErrors,
  playSteps,
  stepsFromChoiceList,
  type CallResult,
  type Diagnostic,
  type Language,
  spokenLine,
  type Scenario,
  type TranscriptEntry,
} from '../engine/index';
import { auditScenario, DEFAULT_RANDOM_PLAYS, RANDOM_PASS_LIMIT } from '../engine/analysis/audit';
import { mermaidGraph } from '../engine/analysis/graph';
import { SIMULATION_CHUNK, simulate } from '../engine/analysis/simulate';
import { simulateParallel } from './parallel-simulate';
import { planFromResult, readPlans, type PlansFile } from '../engine/plans';
import { newScenarioTemplate } from './template';
import { CAST, CAST_KEYS } from '../engine/format/cast';
import { VOICES } from '../../scripts/make-audio/voices';
import { simulationHtml } from '../shared/report-html';

/** What each command does and takes, in each language; `--help` after a command prints its part. */
const HELP: Record<Language, { head: string; tail: string; commands: Record<string, string> }> = {
  en: {
    head: 'Hold the Line scenario tool\n\nUsage: npm run scenario -- <command> [options]   (--help after a command: that command only)\n\nCommands:',
    tail: 'The language of this help: --lang zh-CN|en, else LANG.',
    commands: {
      validate: `  validate FILE...                  check scenario files; one line per problem; also replays the
                                    golden plans beside each file (FOLDER/plans/ID.plans.json)
      --json                        machine-readable output`,
      play: `  play FILE --choices ID,ID,...     play a call with these choices ("~" = let the reply timer run out)
      --ring N                      answer on ring N (default 1)
      --lang zh-CN|en               transcript language (default en)
      --save-plan NAME              save this play as a golden test plan beside the file
                                    (FOLDER/plans/ID.plans.json; --dir DIR for another folder)
      --json                        the full result as JSON`,
      simulate: `  simulate FILE                     random play-throughs: outcomes, scores, what no play reached
      --runs N                      number of plays (default 1000)
      --seed S                      random seed (default 1)
      --html FILE                   also write an HTML report
      --json`,
      best: '  best FILE                         the model call, the weights and the maximum per dimension [--json]',
      audit: `  audit FILE...                     can a trainee pass without judging? naive strategies and a random player
      --plays N                     random plays per file (default 2000)
      --json`,
      graph: '  graph FILE                        a Mermaid flowchart of the scenario [--lang zh-CN|en]',
      new: `  new ID                            write scenarios/ID.json, a bilingual skeleton that validates, plays
                                    and passes the audit; a draft until published
      --dir DIR                     write DIR/ID.json instead`,
      publish: '  publish FILE                      mark a draft published (after a check with no errors): trainees see it',
      cast: '  cast                              the portraits and voices a caller can have: caller.portrait, caller.voice',
    },
  },
  'zh-CN': {
    head: 'Hold the Line 剧本工具\n\n用法：npm run scenario -- <命令> [选项]   （命令后加 --help：只看该命令）\n\n命令：',
    tail: '帮助的语言：--lang zh-CN|en，否则看 LANG。',
    commands: {
      validate: `  validate 文件...                  检查剧本文件，每个问题一行；并重放文件旁的黄金测试方案
                                    （所在文件夹/plans/ID.plans.json）
      --json                        机器可读的输出`,
      play: `  play 文件 --choices ID,ID,...     按这些选项打一通电话（“~”表示让回复计时耗尽）
      --ring N                      第 N 声铃响时接听（默认 1）
      --lang zh-CN|en               通话记录的语言（默认 en）
      --save-plan 名称              把这次通话存为文件旁的黄金测试方案
                                    （所在文件夹/plans/ID.plans.json；--dir 目录 可另选文件夹）
      --json                        以 JSON 输出完整结果`,
      simulate: `  simulate 文件                     随机试打：结局、分数、没有走到的地方
      --runs N                      试打次数（默认 1000）
      --seed S                      随机种子（默认 1）
      --html 文件                   另写一份 HTML 报告
      --json`,
      best: '  best 文件                         示范通话、各维度权重和最高分 [--json]',
      audit: `  audit 文件...                     不加判断能否及格？几种简单策略和随机选择
      --plays N                     每个文件的随机试打次数（默认 2000）
      --json`,
      graph: '  graph 文件                        剧本的 Mermaid 流程图 [--lang zh-CN|en]',
      new: `  new ID                            写出 scenarios/ID.json：双语骨架，能通过检查、能打通、审核无警告；
                                    发布前是草稿
      --dir 目录                    改写到 目录/ID.json`,
      publish: '  publish 文件                      把草稿标为已发布（检查无错误后）：学员就能看到',
      cast: '  cast                              来电者可用的头像和声音：caller.portrait、caller.voice',
    },
  },
};

/** The help's language: --lang, else the environment's LANG (zh…: Chinese), else English. */
function helpLanguage(args: Args | null): Language {
  const chosen = args?.options.get('--lang');
  if (chosen === 'zh-CN' || chosen === 'en') return chosen;
  return /^zh/i.test(process.env.LANG ?? '') ? 'zh-CN' : 'en';
}

export function usage(lang: Language, command?: string): string {
  const help = HELP[lang];
  const one = command ? help.commands[command] : undefined;
  if (one) return `${help.head}\n${one}\n`;
  return `${help.head}\n${Object.values(help.commands).join('\n')}\n\n${help.tail}\n`;
}


class UsageError extends Error {}

interface Args {
  command: string;
  files: string[];
  options: Map<string, string | true>;
}

const VALUE_OPTIONS = new Set(['--choices', '--ring', '--lang', '--save-plan', '--runs', '--seed', '--html', '--dir', '--plays']);
const FLAG_OPTIONS = new Set(['--json', '--help', '-h']);

export function parseArgs(argv: string[]): Args {
  // A first word that is an option (`--help`, `--lang zh-CN --help`) asks for the overall help.
  const optionFirst = argv[0]?.startsWith('-') ?? false;
  const [command = 'help', ...rest] = optionFirst ? ['help', ...argv] : argv;
  const files: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (VALUE_OPTIONS.has(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else if (FLAG_OPTIONS.has(name)) options.set(name, true);
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  return { command, files, options };
}

interface Loaded {
  file: string;
  diagnostics: Diagnostic[];
  scenario: Scenario | null;
}

export function loadScenarioFile(file: string): Loaded {
  if (!existsSync(file)) return { file, diagnostics: [ioProblem(`no such file: ${file}`)], scenario: null };
  if (statSync(file).isDirectory()) return { file, diagnostics: [ioProblem(`${file} is a folder; name the .json files in it`)], scenario: null };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, diagnostics: [ioProblem(`cannot read ${file}: ${(error as Error).message}`)], scenario: null };
  }
  const { diagnostics, scenario } = checkScenario(text, { rulebook: defaultRulebook() });
  return { file, diagnostics, scenario };
}

function ioProblem(message: string): Diagnostic {
  return { code: 'HTL001', name: 'not-json', severity: 'error', path: '$', message, hint: 'Check the file name and path.' };
}

const isSchemaFile = (file: string) => file.endsWith('.schema.json') || file.endsWith('.plans.json');

function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = `${file}:${d.line ?? 1}:${d.column ?? 1}`;
  return `${where}  ${d.code}  ${d.path}  ${d.severity}: ${d.message} (hint: ${d.hint})`;
}

type Out = (line: string) => void;

function requireOne(args: Args): Scenario {
  const file = args.files[0];
  if (!file || args.files.length > 1) throw new UsageError(`${args.command} takes one scenario file`);
  const loaded = loadScenarioFile(file);
  if (!loaded.scenario) {
    const lines = loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(file, d));
    throw new ScenarioError(`${file} has errors; run "npm run scenario -- validate ${file}":\n${lines.join('\n')}`);
  }
  return loaded.scenario;
}

class ScenarioError extends Error {}

function validate(args: Args, out: Out): number {
  if (args.files.length === 0) throw new UsageError('validate needs at least one file');
  const results = args.files
    .filter((f) => !isSchemaFile(f))
    .map(loadScenarioFile)
    .map((r) => ({ ...r, plans: r.scenario && !hasErrors(r.diagnostics) ? planProblems(r.file, r.scenario) : [] }));
  if (args.options.has('--json')) {
    out(JSON.stringify(results.map((r) => ({ file: r.file, ok: !hasErrors(r.diagnostics) && r.plans.length === 0, diagnostics: r.diagnostics, plans: r.plans })), null, 2));
  } else {
    for (const r of results) for (const d of r.diagnostics) out(formatDiagnostic(r.file, d));
    for (const r of results) for (const p of r.plans) out(`${p}  error`);
    const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length + r.plans.length, 0);
    const warnings = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    const skipped = args.files.length - results.length;
    out(`${results.length} file(s) checked${skipped ? `, ${skipped} schema/plan file(s) skipped` : ''}: ${errors} error(s), ${warnings} warning(s)`);
  }
  return results.some((r) => hasErrors(r.diagnostics) || r.plans.length > 0) ? 1 : 0;
}

/** Where the golden plans of a scenario file live: beside it, in FOLDER/plans/. */
export function plansDirFor(file: string): string {
  return join(dirname(file), 'plans');
}

/** Each golden plan beside the file, replayed: a line for every plan that no longer plays as saved. */
export function planProblems(file: string, scenario: Scenario): string[] {
  const plansFile = join(plansDirFor(file), `${scenario.id}.plans.json`);
  if (!existsSync(plansFile)) return [];
  let plans: PlansFile;
  try {
    plans = readPlans(JSON.parse(readFileSync(plansFile, 'utf8')));
  } catch (error) {
    return [`${plansFile}: not a plans file: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  for (const plan of plans.plans) {
    const { replay, result } = playSteps(scenario, stepsFromChoiceList(plan.choices, plan.ring));
    if (!result) {
      problems.push(`${plansFile}: plan "${plan.name}" no longer plays: ${replay.problem?.message ?? 'the call does not end'}`);
      continue;
    }
    const now = planFromResult(plan.name, plan.ring, plan.choices, result, replay.context.call.transcript).expect as Record<string, unknown>;
    const saved = plan.expect as Record<string, unknown>;
    const differs = Object.keys(saved).filter((key) => canonicalJson(saved[key]) !== canonicalJson(now[key]));
    if (differs.length > 0) problems.push(`${plansFile}: plan "${plan.name}" no longer matches: ${differs.map((k) => `${k} was ${canonicalJson(saved[k])}, is ${canonicalJson(now[k])}`).join('; ')}`);
  }
  return problems;
}

function language(args: Args): Language {
  const lang = args.options.get('--lang') ?? 'en';
  if (lang !== 'en' && lang !== 'zh-CN') throw new UsageError('--lang is zh-CN or en');
  return lang;
}

function intOption(args: Args, name: string, fallback: number, min: number, max: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

/** The transcript's own words in each language. */
const WORDS = {
  en: {
    answered: (ring: number, late: boolean) => `answered on ring ${ring}${late ? ' (late)' : ''}`,
    you: 'You',
    mood: 'anger',
    silence: '(silence: the reply timer ran out)',
    hold: (s: number) => `(caller on hold for ${s} s)`,
    limit: '(the caller has had enough)',
    outcome: 'Outcome',
    total: 'Total',
    passMark: 'Pass mark',
    passed: 'PASSED',
    failed: 'FAILED',
    critical: 'Failed on a critical rule',
    weight: 'weight',
    model: 'model call',
    feedback: 'Feedback',
    kept: 'kept',
    broke: 'broke',
    position: (p: number, n: number) => `option ${p} of ${n}`,
    best: 'Model call',
  },
  'zh-CN': {
    answered: (ring: number, late: boolean) => `第${ring}声铃响时接听${late ? '（接听过晚）' : ''}`,
    you: '你',
    mood: '怒气',
    silence: '（沉默：回复时间已到）',
    hold: (s: number) => `（用户等待${s}秒）`,
    limit: '（用户忍无可忍）',
    outcome: '结果',
    total: '总分',
    passMark: '及格线',
    passed: '通过',
    failed: '未通过',
    critical: '触犯红线规则，本次通话不通过',
    weight: '权重',
    model: '示范通话',
    feedback: '点评',
    kept: '遵守',
    broke: '违反',
    position: (p: number, n: number) => `第${p}项，共${n}项`,
    best: '示范通话',
  },
} as const;

/** The outcomes as the game names them in Chinese (src/game/i18n.ts). */
const OUTCOME_ZH: Record<CallResult['outcome'], string> = {
  resolved: '问题已解决',
  escalated: '已升级处理',
  'supervisor-demanded': '用户要求找领导',
  complaint: '用户投诉',
  'caller-hung-up': '用户挂断',
  'agent-hung-up': '坐席先挂机',
  unanswered: '未接听',
};

function printResult(scenario: Scenario, result: CallResult, transcript: readonly TranscriptEntry[], lang: Language, out: Out) {
  const w = WORDS[lang];
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
  const lineText = (nodeId: string, lineId: string) => spokenLine(scenario, nodes.get(nodeId), lineId)?.text[lang] ?? lineId;
  const choices = new Map(scenario.nodes.flatMap((n) => (n.kind === 'decision' ? n.choices.map((c) => [c.id, c] as const) : [])));
  const time = (ms: number) => `${String(Math.floor(ms / 60000)).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
  const caller = scenario.caller.name[lang] ?? 'Caller';
  const colon = lang === 'zh-CN' ? '：' : ': ';
  const rulebook = defaultRulebook();
  const ruleText = new Map(rulebook.rules.map((r) => [r.id, r.text[lang] ?? r.id]));
  for (const breach of result.criticalBreaches) out(`${w.critical}${colon}${ruleText.get(breach.ruleId) ?? breach.ruleId} (${breach.ruleId}, ${breach.choiceId ?? breach.nodeId})`);
  if (result.criticalBreaches.length) out('');
  for (const e of transcript) {
    if (e.kind === 'answer') out(`[${time(e.at)}] ${w.answered(e.ring, e.late)}`);
    else if (e.kind === 'caller') out(e.narration ? `[${time(e.at)}] (${lineText(e.nodeId, e.lineId)})` : `[${time(e.at)}] ${caller}${colon}${lineText(e.nodeId, e.lineId)}`);
    else if (e.kind === 'agent') {
      const c = choices.get(e.choiceId);
      out(`[${time(e.at)}] ${w.you} (${e.choiceId}${c && c.kind !== 'say' ? `, ${c.kind}` : ''}; ${w.position(e.position, e.shown.length)})${colon}${c?.text[lang] ?? ''}   ${w.mood} ${e.moodBefore} → ${e.moodAfter}`);
    } else if (e.kind === 'silence') out(`[${time(e.at)}] ${w.silence}   ${w.mood} → ${e.moodAfter}`);
    else if (e.kind === 'hold') out(`[${time(e.at)}] ${w.hold(e.seconds)}`);
    else if (e.kind === 'mood-limit') out(`[${time(e.at)}] ${w.limit}`);
  }
  out('');
  const outcome = lang === 'zh-CN' ? `${OUTCOME_ZH[result.outcome]}（${result.outcome}）` : result.outcome;
  out(`${w.outcome}${colon}${outcome}   ${w.total}${colon}${result.total}%   ${w.passMark}${colon}${result.passMark}%   ${result.passed ? w.passed : w.failed}`);
  const dimName = new Map(rulebook.dimensions.map((d) => [d.id, d.name[lang] ?? d.id]));
  for (const d of result.dimensions) {
    out(`  ${(dimName.get(d.id) ?? d.id).padEnd(12)} ${String(d.raw).padStart(4)} / ${String(d.model).padEnd(4)} ${`${d.percent}%`.padEnd(7)} ${w.weight} ${d.weight}${d.counted ? '' : ' (—)'}`);
  }
  out('');
  out(`${w.feedback}${colon}`);
  for (const c of result.choices) {
    out(`  ${c.choiceId}${colon}${c.feedback[lang] ?? ''}`);
    if (c.kept.length) out(`      ${w.kept}${colon}${c.kept.join(', ')}`);
    if (c.broken.length) out(`      ${w.broke}${colon}${c.broken.join(', ')}`);
  }
  if (result.bestPath.length) out(`\n${w.best}${colon}${result.bestPath.join(',')}`);
}

function play(args: Args, out: Out): number {
  const scenario = requireOne(args);
  const raw = args.options.get('--choices');
  if (raw === undefined || raw === true) throw new UsageError('play needs --choices id1,id2,...');
  const choices = raw.split(',').map((c) => c.trim()).filter(Boolean);
  const ring = intOption(args, '--ring', 1, 1, scenario.timing.giveUpAfterRings);
  const { replay, result } = playSteps(scenario, stepsFromChoiceList(choices, ring));
  if (replay.problem) {
    const offered = replay.problem.offered.length ? ` On offer there: ${replay.problem.offered.join(', ')}` : '';
    throw new ScenarioError(`step ${replay.problem.step} (${choices[replay.problem.step - 1] ?? 'answer'}): ${replay.problem.message}.${offered}`);
  }
  if (!result) {
    const node = replay.context.node;
    const offered = node?.kind === 'decision' ? node.choices.map((c) => c.id).join(', ') : '';
    throw new ScenarioError(`the call has not ended after these choices; it waits at "${node?.id ?? '?'}"${offered ? ` (choices: ${offered})` : ''}`);
  }
  const planName = args.options.get('--save-plan');
  if (typeof planName === 'string') {
    const file = join(args.options.get('--dir') === undefined ? plansDirFor(String(args.files[0])) : String(args.options.get('--dir')), `${scenario.id}.plans.json`);
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true });
    const existing: PlansFile = existsSync(file) ? readPlans(JSON.parse(readFileSync(file, 'utf8'))) : { scenario: scenario.id, plans: [] };
    const plan = planFromResult(planName, ring, choices, result, replay.context.call.transcript);
    existing.plans = [...existing.plans.filter((p) => p.name !== planName), plan];
    writeFileSync(file, `${JSON.stringify(existing, null, 2)}\n`);
    if (!args.options.has('--json')) out(`Saved plan "${planName}" to ${file}`);
  }
  if (args.options.has('--json')) out(JSON.stringify({ result, transcript: replay.context.call.transcript }, null, 2));
  else printResult(scenario, result, replay.context.call.transcript, language(args), out);
  return 0;
}

function best(args: Args, out: Out): number {
  const scenario = requireOne(args);
  const analysis = analysisOf(scenario);
  if (args.options.has('--json')) {
    out(JSON.stringify({ bestPath: analysis.bestPath, models: analysis.models, weights: analysis.weights, maxScores: analysis.maxScores, states: analysis.stateCount }, null, 2));
    return 0;
  }
  const bestPath = analysis.bestPath;
  out(`Model call (${bestPath?.choices.length ?? 0} decisions, ending "${bestPath?.endingId ?? '-'}", ${bestPath?.outcome ?? 'none'}):`);
  out(`  ${bestPath?.choices.join(',') ?? '(none)'}`);
  const moods = Object.keys(analysis.models);
  if (moods.length > 1) {
    for (const mood of moods) out(`  starting anger ${mood}: ${analysis.models[Number(mood)]?.choices.join(',') ?? '(none)'}`);
  }
  out('Per dimension: weight, the model call\'s points, the most any play reaches:');
  for (const [d, max] of Object.entries(analysis.maxScores)) out(`  ${d.padEnd(12)} ${String(analysis.weights[d] ?? 0).padStart(4)} ${String(bestPath?.scores[d] ?? 0).padStart(5)} ${String(max).padStart(5)}`);
  return 0;
}

function audit(args: Args, out: Out): number {
  if (args.files.length === 0) throw new UsageError('audit needs at least one file');
  const plays = intOption(args, '--plays', DEFAULT_RANDOM_PLAYS, 1, 1_000_000);
  const reports = args.files.filter((f) => !isSchemaFile(f)).map((file) => {
    const loaded = loadScenarioFile(file);
    if (!loaded.scenario) return { file, error: `${file} has errors; run "npm run scenario -- validate ${file}"`, report: null };
    return { file, error: null, report: auditScenario(loaded.scenario, analysisOf(loaded.scenario), defaultRulebook(), { randomPlays: plays }) };
  });
  if (args.options.has('--json')) out(JSON.stringify(reports, null, 2));
  else {
    for (const { file, error, report } of reports) {
      if (!report) {
        out(`${file}: ${error}`);
        continue;
      }
      out(`${file} (${report.scenarioId})`);
      for (const s of report.strategies) out(`  ${s.strategy.padEnd(18)} ${s.outcome.padEnd(20)} ${`${s.total}%`.padStart(6)}  ${s.passed ? 'PASSES' : 'fails'}`);
      const rate = (report.random.passRate * 100).toFixed(2);
      out(`  ${'random'.padEnd(18)} ${`${report.random.passed} of ${report.random.plays} plays pass`.padEnd(27)} ${rate}%  ${report.random.passRate > RANDOM_PASS_LIMIT ? 'TOO MANY' : 'ok'}`);
      const { decisions, histogram } = report.bestPosition;
      out(`  best option's place over ${decisions} decision(s) with one best option: ${histogram.map((n, i) => `${i + 1}:${n}`).join('  ')}`);
      out(`  best option is the longest: zh-CN ${report.bestLongest['zh-CN']} of ${decisions}, en ${report.bestLongest.en} of ${decisions}`);
    }
  }
  const guessable = reports.some((r) => r.report && (r.report.passing.length > 0 || r.report.random.passRate > RANDOM_PASS_LIMIT));
  return reports.some((r) => r.error) ? 1 : guessable ? 3 : 0;
}

async function simulateCommand(args: Args, out: Out): Promise<number> {
  const scenario = requireOne(args);
  const runs = intOption(args, '--runs', 1000, 1, 10_000_000);
  const seed = intOption(args, '--seed', 1, 0, 2 ** 31);
  // Large runs use every core; the report is the same as a single-threaded run with this seed.
  const report = runs > SIMULATION_CHUNK ? await simulateParallel(scenario, { runs, seed }) : simulate(scenario, analysisOf(scenario), { runs, seed });
  const html = args.options.get('--html');
  if (typeof html === 'string') {
    writeFileSync(html, simulationHtml(scenario, analysisOf(scenario), report));
    if (!args.options.has('--json')) out(`Wrote ${html}`);
  }
  if (args.options.has('--json')) {
    out(JSON.stringify(report, null, 2));
    return 0;
  }
  out(`${runs} random plays of "${scenario.id}" (seed ${seed}):`);
  for (const [outcome, n] of Object.entries(report.outcomes).sort((a, b) => b[1] - a[1])) out(`  ${outcome.padEnd(20)} ${String(n).padStart(7)}  ${((n / runs) * 100).toFixed(1)}%`);
  out(`Passed: ${report.passed} (${((report.passed / runs) * 100).toFixed(1)}%)`);
  out(`Total score: mean ${report.total.mean}%, min ${report.total.min}%, max ${report.total.max}%`);
  out(`  ${report.total.histogram.map((n, i) => `${i * 10}%:${n}`).join('  ')}`);
  out(`Nodes never visited: ${report.unvisitedNodes.length ? report.unvisitedNodes.join(', ') : 'none'}`);
  out(`Choices never made: ${report.unchosenChoices.length ? report.unchosenChoices.join(', ') : 'none'}`);
  return 0;
}

function graph(args: Args, out: Out): number {
  out(mermaidGraph(requireOne(args), language(args)));
  return 0;
}

function newScenario(args: Args, out: Out): number {
  const id = args.files[0];
  if (!id || !/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new UsageError('new needs an id of lower-case letters, digits and "-", such as my-caller');
  const dir = typeof args.options.get('--dir') === 'string' ? String(args.options.get('--dir')) : 'scenarios';
  const file = join(dir, `${id}.json`);
  if (existsSync(file)) throw new ScenarioError(`${file} already exists; choose another id or delete it first`);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(newScenarioTemplate(id, schemaReference(dir)), null, 2)}\n`);
  out(`Wrote ${file}, a draft: trainees do not see it until you publish it (npm run scenario -- publish ${file}).`);
  out(`Check it with: npm run scenario -- validate ${file}`);
  return 0;
}

/** The checkout's schema file, which an editor reads for completion and checks. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

/** `$schema` for a file in `dir`: the path from there to the schema, so it resolves wherever the file lives. */
export function schemaReference(dir: string): string {
  const path = relative(resolve(dir), SCHEMA_FILE).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** Marks a draft published, once the checker finds no error in it; the file keeps its layout. */
function publish(args: Args, out: Out): number {
  const file = args.files[0];
  if (!file || args.files.length > 1) throw new UsageError('publish takes one scenario file');
  const loaded = loadScenarioFile(file);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.scenario || errors.length > 0) throw new ScenarioError(`${file} has errors, so it stays a draft:\n${errors.map((d) => formatDiagnostic(file, d)).join('\n')}`);
  const text = readFileSync(file, 'utf8');
  const json = JSON.parse(text) as Record<string, unknown>;
  if (json.status !== 'draft') {
    out(`${file} is already published.`);
    return 0;
  }
  json.status = 'published';
  const indent = /^\{\r?\n(\s+)"/.exec(text)?.[1] ?? '  ';
  writeFileSync(file, `${JSON.stringify(json, null, indent)}\n`);
  out(`Published ${file}: trainees see "${loaded.scenario.id}" on the menu from the next build or server start.`);
  return 0;
}

/** The portraits and voices a caller can have, with what each looks and sounds like. */
function cast(args: Args, out: Out): number {
  const lang = helpLanguage(args);
  out(lang === 'zh-CN' ? '头像和声音的键（caller.portrait 和 caller.voice 用同一组键）：' : 'Portrait and voice keys (caller.portrait and caller.voice take the same keys):');
  const width = Math.max(...CAST_KEYS.map((k) => k.length));
  for (const key of CAST_KEYS) {
    out(`  ${key.padEnd(width)}  ${lang === 'zh-CN' ? '样子' : 'looks'}: ${CAST[key]}`);
    out(`  ${' '.repeat(width)}  ${lang === 'zh-CN' ? '声音' : 'sounds'}: ${VOICES[key]?.who ?? '-'}`);
  }
  return 0;
}

export async function run(argv: string[], out: Out = console.log, err: Out = console.error): Promise<number> {
  let args: Args | null = null;
  try {
    args = parseArgs(argv);
    if (args.options.has('--help') || args.options.has('-h') || args.command === 'help') {
      // `help play` and `play --help` both mean the help for play.
      const about = args.command === 'help' ? args.files[0] : args.command;
      out(usage(helpLanguage(args), about));
      return 0;
    }
    switch (args.command) {
      case 'validate':
        return validate(args, out);
      case 'play':
        return play(args, out);
      case 'simulate':
        return await simulateCommand(args, out);
      case 'best':
        return best(args, out);
      case 'audit':
        return audit(args, out);
      case 'graph':
        return graph(args, out);
      case 'new':
        return newScenario(args, out);
      case 'publish':
        return publish(args, out);
      case 'cast':
        return cast(args, out);
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`error: ${error.message}\n\n${usage(helpLanguage(args), args?.command)}`);
      return 2;
    }
    if (error instanceof ScenarioError) {
      err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(dirname(new URL(import.meta.url).pathname), basename(new URL(import.meta.url).pathname));
if (invokedDirectly) process.exitCode = await run(process.argv.slice(2));
