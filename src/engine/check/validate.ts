/**
 * The scenario checker: collects every problem in a scenario before anything runs, each with a
 * stable code, a severity, the JSON path, the line and column when it came from a file, and a hint.
 */
import type { z } from 'zod';
import { analyseWithGraph, type Analysis } from '../analysis/explore';
import { auditScenario, LONGEST_BEST_LIMIT, RANDOM_PASS_LIMIT, type AuditReport, type AuditStrategy } from '../analysis/audit';
import { scoreDimensions } from '../scoring';
import { LANGUAGES, SUPPORTED_FORMAT_VERSIONS, nodeSchema, scenarioSchema, type Condition, type Localised, type Scenario, type ScenarioNode } from '../format/schema';
import { criticalRules, type Rulebook } from '../format/rulebook';
import { CAST, CAST_KEYS } from '../format/cast';
import { defaultRulebook } from '../rulebook-data';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostics';
import { childPath, hasKeyProblem, locateJson, readJson, type JsonSource, type Position } from './json-source';
import { asciiPunctuationInChinese } from './punctuation';

/** Positions looked up one path at a time before the whole file is indexed instead. */
const PATH_WALKS = 32;

export const MAX_SCENARIO_BYTES = 1024 * 1024;
const RULE_KINDS = ['kept', 'broken'] as const;
const scenarioHeaderSchema = scenarioSchema.omit({ nodes: true });

export interface CheckOptions {
  rulebook?: Rulebook;
  /** Skip the play analysis (reachability, traps, pass mark): for editors that check as you type. */
  structureOnly?: boolean;
  /** Run the guessability audit and warn when a naive strategy passes (default true). */
  audit?: boolean;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** The parsed scenario when it has no error. */
  scenario: Scenario | null;
}

/** The UTF-8 size of a text, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

let scratch: Uint8Array | null = null;

/** Whether a text is over the size limit in UTF-8: encoded into a reused buffer, which is quicker than counting. */
function overSizeLimit(text: string): boolean {
  if (text.length > MAX_SCENARIO_BYTES) return true;
  if (text.length * 3 <= MAX_SCENARIO_BYTES) return false;
  scratch ??= new Uint8Array(MAX_SCENARIO_BYTES + 4);
  const { read, written } = new TextEncoder().encodeInto(text, scratch);
  return read < text.length || written > MAX_SCENARIO_BYTES;
}

function quickParse(text: string): JsonSource | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (hasKeyProblem(body, value)) return null;
  return { value, positionOf: () => undefined, problems: [] };
}

export function validateScenario(input: unknown, options: CheckOptions = {}): Diagnostic[] {
  return checkScenario(input, options).diagnostics;
}

/** The value read from the input, and where each path sits in the file (when it came from one). */
interface Read {
  /** Cleared once the schema has parsed it, so the raw tree can be collected while the analysis runs. */
  value: unknown;
  positionOf: (path: string) => Position | undefined;
}

/**
 * Checks a scenario given as file text or as a parsed value; returns it parsed when it has no error.
 * Three stages, each stopping at problems the next could not see past: reading the JSON, parsing it
 * against the schema, and the checks of meaning (references, translations, the play analysis).
 */
export function checkScenario(input: unknown, options: CheckOptions = {}): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const read = readInput(input, diagnostics);
  if (read === null) return { diagnostics, scenario: null };
  const scenario = parseScenario(read, options, diagnostics);
  if (scenario) semanticChecks(scenario, options, diagnostics);

  const locate = (d: Diagnostic): Diagnostic => {
    if (d.line !== undefined) return d;
    // Walk up the path until a position is known (a missing field sits in its parent object).
    let path = d.path;
    for (;;) {
      const pos = read.positionOf(path);
      if (pos) return { ...d, line: pos.line, column: pos.column };
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) return d;
      path = path.slice(0, cut);
    }
  };
  const located = diagnostics.map(locate);
  return { diagnostics: located, scenario: hasErrors(located) ? null : scenario };
}

/** Reads file text (size, JSON syntax, hidden keys) or takes a value; null when nothing can be read. */
function readInput(input: unknown, diagnostics: Diagnostic[]): Read | null {
  if (typeof input !== 'string') {
    findForbiddenKeys(input, '$', diagnostics, 0);
    return { value: input, positionOf: () => undefined };
  }
  if (overSizeLimit(input)) {
    diagnostics.push(diagnostic('HTL002', '$', `the file is ${utf8Length(input)} bytes; the limit is ${MAX_SCENARIO_BYTES} bytes (1 MB)`));
    return null;
  }
  // The fast road for the usual file: native JSON.parse, and a scan for keys it would hide.
  // Anything odd is read again by the positional reader, which says what and where.
  const source = quickParse(input) ?? readJson(input, { positions: false });
  for (const problem of source.problems) {
    const code = problem.kind === 'syntax' ? 'HTL001' : problem.kind === 'forbidden-key' ? 'HTL004' : 'HTL005';
    diagnostics.push({ ...diagnostic(code, problem.path, problem.kind === 'syntax' ? `not valid JSON: ${problem.message}` : problem.message), line: problem.position.line, column: problem.position.column });
  }
  if (source.problems.some((p) => p.kind === 'syntax')) return null;
  // Positions are only needed to locate a diagnostic: the first few are found by walking down their
  // path alone; past those, the file is read once more with the place of every value recorded.
  let located: ((path: string) => Position | undefined) | null = null;
  let walks = 0;
  return {
    value: source.value,
    positionOf: (path) => {
      if (located === null && source.problems.length === 0 && walks++ < PATH_WALKS) return locateJson(input, path);
      return (located ??= readJson(input).positionOf)(path);
    },
  };
}

/**
 * Parses the value against the schema. Returns the scenario when it parses; otherwise reports every
 * schema problem, and cross-references what did parse so the trainer sees those in the same pass.
 */
function parseScenario(read: Read, options: CheckOptions, diagnostics: Diagnostic[]): Scenario | null {
  const value = read.value;
  read.value = undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    diagnostics.push(diagnostic('HTL003', '$', `the file holds ${found}, not a scenario object`));
    return null;
  }
  const raw = value as Record<string, unknown>;
  if (!('formatVersion' in raw)) {
    diagnostics.push(diagnostic('HTL010', '$', 'the file has no "formatVersion", so it cannot be read as a scenario'));
    return null;
  }
  if (!SUPPORTED_FORMAT_VERSIONS.includes(raw.formatVersion as 1)) {
    diagnostics.push(diagnostic('HTL011', '$.formatVersion', `formatVersion ${JSON.stringify(raw.formatVersion)} is not one this version reads (${SUPPORTED_FORMAT_VERSIONS.join(', ')})`));
    return null;
  }
  if (diagnostics.some((d) => d.code === 'HTL004')) return null;

  // The usual file is valid as a whole: parse it in one go.
  const whole = scenarioSchema.safeParse(raw);
  if (whole.success) return whole.data;
  // Nodes are checked one by one so that one bad node does not hide the problems of the others.
  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : null;
  const goodNodes: ScenarioNode[] = [];
  const knownIds = new Set<string>();
  let nodesValid = rawNodes !== null;
  if (rawNodes) {
    rawNodes.forEach((rawNode, i) => {
      const id = typeof rawNode === 'object' && rawNode !== null ? (rawNode as { id?: unknown }).id : undefined;
      if (typeof id === 'string') knownIds.add(id);
      const parsed = nodeSchema.safeParse(rawNode);
      if (parsed.success) goodNodes.push(parsed.data);
      else {
        nodesValid = false;
        pushSchemaIssues(parsed.error.issues, `$.nodes[${i}]`, diagnostics);
      }
    });
  }
  if (rawNodes === null || rawNodes.length === 0) {
    diagnostics.push(diagnostic('HTL020', '$.nodes', rawNodes === null ? 'required field "nodes" is missing or not an array' : '"nodes" is empty; a call needs at least one node'));
  }
  const { nodes: _nodes, ...rawHeader } = raw;
  const header = scenarioHeaderSchema.safeParse(rawHeader);
  if (!header.success) pushSchemaIssues(header.error.issues.filter((issue) => issue.path[0] !== 'nodes'), '$', diagnostics);
  if (header.success && nodesValid && goodNodes.length > 0) return { ...header.data, nodes: goodNodes };
  const rulebook = options.rulebook ?? defaultRulebook();
  checkNodes(goodNodes, knownIds, rulebook, diagnostics, '$', rawNodes ?? undefined);
  if (header.success) checkTop({ ...header.data, nodes: goodNodes }, knownIds, rulebook, diagnostics);
  return null;
}

function pushSchemaIssues(issues: readonly z.core.$ZodIssue[], base: string, out: Diagnostic[]) {
  for (const issue of issues) {
    let path = base;
    for (const key of issue.path) path = childPath(path, typeof key === 'number' ? key : String(key));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(diagnostic('HTL020', childPath(path, key), `unknown field "${key}"`, 'Remove it or check its spelling against the schema.'));
      continue;
    }
    const message = issue.code === 'invalid_type' && issue.message.includes('undefined') ? `required field is missing (${issue.message})` : issue.message;
    out.push(diagnostic('HTL020', path, message));
  }
}

function findForbiddenKeys(value: unknown, path: string, out: Diagnostic[], depth: number) {
  if (depth > 200 || typeof value !== 'object' || value === null) return;
  for (const key of Object.getOwnPropertyNames(value)) {
    const childValue = (value as Record<string, unknown>)[key];
    const p = Array.isArray(value) ? childPath(path, Number(key)) : childPath(path, key);
    if (!Array.isArray(value) && (key === '__proto__' || key === 'constructor' || key === 'prototype')) out.push(diagnostic('HTL004', p, `the key "${key}" is not allowed`));
    else if (key !== 'length' || !Array.isArray(value)) findForbiddenKeys(childValue, p, out, depth + 1);
  }
}

/** Missing or empty translations of the text at `parent.field` (the path is built only for a problem). */
function localisedProblems(text: Localised | undefined, parent: string, field: string, out: Diagnostic[]) {
  if (!text) return;
  for (const lang of LANGUAGES) {
    const s = text[lang];
    if (s === undefined || s.trim() === '') out.push(diagnostic('HTL037', childPath(childPath(parent, field), lang), `the ${lang} text is ${s === undefined ? 'missing' : 'empty'}`));
  }
}

function conditionProblems(when: Condition | undefined, path: string, flagsSet: Set<string>, out: Diagnostic[]) {
  if (!when) return;
  if (when.moodMin !== undefined && when.moodMax !== undefined && when.moodMin > when.moodMax) {
    out.push(diagnostic('HTL038', path, `moodMin ${when.moodMin} is above moodMax ${when.moodMax}`));
  }
  for (const flag of when.flags ?? []) {
    if (when.notFlags?.includes(flag)) out.push(diagnostic('HTL038', path, `flag "${flag}" is required both set and not set`));
    if (!flagsSet.has(flag)) out.push(diagnostic('HTL038', path, `flag "${flag}" is never set by any choice`));
  }
}

function checkTop(scenario: Scenario, nodeIds: Set<string>, rulebook: Rulebook, out: Diagnostic[]) {
  if (!nodeIds.has(scenario.start)) out.push(diagnostic('HTL030', '$.start', `start names node "${scenario.start}", which does not exist`));
  if (!nodeIds.has(scenario.caller.onMoodLimit)) out.push(diagnostic('HTL030', '$.caller.onMoodLimit', `onMoodLimit names node "${scenario.caller.onMoodLimit}", which does not exist`));
  localisedProblems(scenario.title, '$', 'title', out);
  localisedProblems(scenario.summary, '$', 'summary', out);
  localisedProblems(scenario.caller.name, '$.caller', 'name', out);
  localisedProblems(scenario.caller.persona, '$.caller', 'persona', out);
  if (!(scenario.caller.portrait in CAST)) out.push(diagnostic('HTL053', '$.caller.portrait', `unknown portrait "${scenario.caller.portrait}" (known: ${CAST_KEYS.join(', ')})`));
  if (!(scenario.caller.voice in CAST)) out.push(diagnostic('HTL054', '$.caller.voice', `unknown voice "${scenario.caller.voice}" (known: ${CAST_KEYS.join(', ')})`));
  const ruleIds = new Set(rulebook.rules.map((r) => r.id));
  const dimensionIds = new Set(rulebook.dimensions.map((d) => d.id));
  for (const [name, effect] of [['lateAnswer', scenario.timing.lateAnswer], ['silence', scenario.timing.silence]] as const) {
    if (!effect) continue;
    const base = `$.timing.${name}`;
    for (const kind of RULE_KINDS) {
      effect.rules?.[kind]?.forEach((r, k) => {
        if (!ruleIds.has(r)) out.push(diagnostic('HTL035', `${base}.rules.${kind}[${k}]`, `unknown rule "${r}"`));
      });
    }
    for (const d of Object.keys(effect.scores ?? {})) if (!dimensionIds.has(d)) out.push(diagnostic('HTL036', childPath(`${base}.scores`, d), `unknown dimension "${d}"`));
  }
  const silenceLine = scenario.timing.silence?.line;
  if (silenceLine) localisedProblems(silenceLine.text, '$.timing.silence.line', 'text', out);
}

function checkNodes(nodes: ScenarioNode[], nodeIds: Set<string>, rulebook: Rulebook, out: Diagnostic[], base: string, allNodes?: readonly unknown[]) {
  // Where each node sits in the file, when only some of its nodes parsed.
  const firstAt = new Map<unknown, number>();
  allNodes?.forEach((n, i) => {
    const id = typeof n === 'object' && n !== null ? (n as { id?: unknown }).id : undefined;
    if (!firstAt.has(id)) firstAt.set(id, i);
  });
  const rawIndex = (node: ScenarioNode, position: number) => (allNodes ? (firstAt.get(node.id) ?? -1) : position);
  const ruleIds = new Set(rulebook.rules.map((r) => r.id));
  const dimensionIds = new Set(rulebook.dimensions.map((d) => d.id));
  const flagsSet = new Set<string>();
  for (const node of nodes) if (node.kind === 'decision') for (const c of node.choices) for (const f of c.set ?? []) flagsSet.add(f);
  const seenNodes = new Map<string, number>();
  const seenLines = new Map<string, string>();
  const seenChoices = new Map<string, string>();
  const ending = new Map(nodes.filter((n) => n.kind === 'ending').map((n) => [n.id, n]));

  nodes.forEach((node, position) => {
    const i = rawIndex(node, position);
    const np = `${base}.nodes[${i}]`;
    if (seenNodes.has(node.id)) out.push(diagnostic('HTL031', `${np}.id`, `node id "${node.id}" is used twice (first at nodes[${seenNodes.get(node.id)}])`));
    else seenNodes.set(node.id, i);
    (node.lines ?? []).forEach((line, k) => {
      const lp = `${np}.lines[${k}]`;
      if (seenLines.has(line.id)) out.push(diagnostic('HTL031', `${lp}.id`, `line id "${line.id}" is used twice (first at ${seenLines.get(line.id)})`));
      else seenLines.set(line.id, lp);
      localisedProblems(line.text, lp, 'text', out);
      line.variants?.forEach((variant, v) => {
        const vp = `${lp}.variants[${v}]`;
        if (seenLines.has(variant.id)) out.push(diagnostic('HTL031', `${vp}.id`, `line id "${variant.id}" is used twice (first at ${seenLines.get(variant.id)})`));
        else seenLines.set(variant.id, vp);
        localisedProblems(variant.text, vp, 'text', out);
      });
    });
    const ref = (target: string | undefined, parent: string, field: string, what: string) => {
      if (target !== undefined && !nodeIds.has(target)) out.push(diagnostic('HTL030', childPath(parent, field), `${what} names node "${target}", which does not exist`));
    };
    if (node.kind === 'caller') {
      ref(node.next, np, 'next', 'next');
      node.branches?.forEach((b, k) => {
        ref(b.next, `${np}.branches[${k}]`, 'next', 'the branch');
        if (b.when) conditionProblems(b.when, `${np}.branches[${k}].when`, flagsSet, out);
      });
      if (node.next === undefined && (node.branches ?? []).length === 0) out.push(diagnostic('HTL033', np, `caller node "${node.id}" has neither next nor branches`));
    } else if (node.kind === 'decision') {
      localisedProblems(node.prompt, np, 'prompt', out);
      if (node.silenceLine) {
        const lp = `${np}.silenceLine`;
        if (seenLines.has(node.silenceLine.id)) out.push(diagnostic('HTL031', `${lp}.id`, `line id "${node.silenceLine.id}" is used twice (first at ${seenLines.get(node.silenceLine.id)})`));
        else seenLines.set(node.silenceLine.id, lp);
        localisedProblems(node.silenceLine.text, lp, 'text', out);
      }
      ref(node.silenceNext, np, 'silenceNext', 'silenceNext');
      if (node.choices.length === 0) out.push(diagnostic('HTL033', `${np}.choices`, `decision "${node.id}" offers no choices`));
      else if (node.choices.length < 3) out.push(diagnostic('HTL044', `${np}.choices`, `decision "${node.id}" offers only ${node.choices.length} option(s)`));
      node.choices.forEach((c, k) => {
        const cp = `${np}.choices[${k}]`;
        if (seenChoices.has(c.id)) out.push(diagnostic('HTL031', `${cp}.id`, `choice id "${c.id}" is used twice (first at ${seenChoices.get(c.id)})`));
        else seenChoices.set(c.id, cp);
        ref(c.next, cp, 'next', 'next');
        localisedProblems(c.text, cp, 'text', out);
        localisedProblems(c.feedback, cp, 'feedback', out);
        if (c.when) conditionProblems(c.when, `${cp}.when`, flagsSet, out);
        if (c.rules) {
          for (const kind of RULE_KINDS) {
            c.rules[kind]?.forEach((r, j) => {
              if (!ruleIds.has(r)) out.push(diagnostic('HTL035', `${cp}.rules.${kind}[${j}]`, `unknown rule "${r}"`));
            });
          }
          for (const r of c.rules.kept ?? []) if (c.rules.broken?.includes(r)) out.push(diagnostic('HTL043', `${cp}.rules`, `rule "${r}" is both kept and broken`));
        }
        if (c.scores) for (const d in c.scores) if (!dimensionIds.has(d)) out.push(diagnostic('HTL036', childPath(`${cp}.scores`, d), `unknown dimension "${d}"`));
        if (c.kind === 'ticket' && c.tier === undefined) out.push(diagnostic('HTL052', cp, `ticket "${c.id}" names no complaint tier`));
        if (c.kind === 'hang-up' && nodeIds.has(c.next)) {
          const target = ending.get(c.next);
          if (!target || target.outcome !== 'agent-hung-up') out.push(diagnostic('HTL042', `${cp}.next`, `hang-up choice "${c.id}" leads to "${c.next}", not to an agent-hung-up ending`));
        }
      });
    } else {
      localisedProblems(node.title, np, 'title', out);
      localisedProblems(node.summary, np, 'summary', out);
    }
  });
}

function semanticChecks(scenario: Scenario, options: CheckOptions, out: Diagnostic[]) {
  const rulebook = options.rulebook ?? defaultRulebook();
  const nodeIds = new Set(scenario.nodes.map((n) => n.id));
  const before = out.length;
  checkTop(scenario, nodeIds, rulebook, out);
  checkNodes(scenario.nodes, nodeIds, rulebook, out, '$');
  // Line ids must be unique across the silence line too.
  const silenceLine = scenario.timing.silence?.line;
  if (silenceLine && scenario.nodes.some((n) => n.lines?.some((l) => l.id === silenceLine.id))) {
    out.push(diagnostic('HTL031', '$.timing.silence.line.id', `line id "${silenceLine.id}" is also used by a node's line`));
  }
  const silenceMood = scenario.timing.silence?.mood ?? 10;
  if (silenceMood <= 0) {
    scenario.nodes.forEach((n, i) => {
      if (n.kind === 'decision' && n.silenceNext === undefined) out.push(diagnostic('HTL045', `$.nodes[${i}]`, `silence at "${n.id}" changes nothing, so a silent trainee is never moved on`));
    });
  }
  const punctuation = punctuationChecks(scenario, '$', out);
  if (punctuation.count > MAX_PUNCTUATION_WARNINGS) {
    out.push(diagnostic('HTL050', '$', `${punctuation.count - MAX_PUNCTUATION_WARNINGS} more zh-CN texts use ASCII punctuation between Chinese characters`));
  }
  if (options.structureOnly || hasErrors(out.slice(before))) return;

  const analysed = analyseWithGraph(scenario, { criticalRules: criticalRules(rulebook) });
  const { analysis } = analysed;
  for (const loop of analysis.gainfulLoops) {
    const names = loop.choices.map((c) => (c === null ? '(silence)' : `"${c}"`)).join(' → ');
    out.push(diagnostic('HTL046', '$.nodes', `a play can go round ${names} and gain ${loop.gain} ${loop.dimension} point(s) each time`));
  }
  if (analysis.gainfulLoops.length > 0) return;
  if (!analysis.complete) out.push(diagnostic('HTL041', '$.nodes', incompleteMessage(analysis)));
  const where = new Map(scenario.nodes.map((n, i) => [n.id, i]));
  scenario.nodes.forEach((n, i) => {
    if (analysis.complete && !analysis.reachableNodes.has(n.id)) out.push(diagnostic('HTL032', `$.nodes[${i}]`, `node "${n.id}" cannot be reached by any play of the call`));
  });
  for (const id of analysis.emptyDecisions) out.push(diagnostic('HTL033', `$.nodes[${where.get(id)}]`, `decision "${id}" can be reached in a state where none of its choices is on offer`));
  for (const id of analysis.brokenNodes) {
    const i = where.get(id);
    if (i !== undefined) out.push(diagnostic('HTL033', `$.nodes[${i}]`, `caller node "${id}" can be reached in a state where no branch holds and it has no next`));
  }
  for (const id of analysis.trappedNodes) out.push(diagnostic('HTL034', `$.nodes[${where.get(id)}]`, `from "${id}" the call can reach a loop with no way to any ending`));
  if (!analysis.complete) return;
  scenario.nodes.forEach((n, i) => {
    if (!analysis.reachableNodes.has(n.id)) return;
    if (n.kind === 'decision') {
      n.choices.forEach((c, k) => {
        if (c.when && !analysis.offeredChoiceIds.has(c.id)) out.push(diagnostic('HTL038', `$.nodes[${i}].choices[${k}].when`, `choice "${c.id}" is never on offer: its condition never holds when the call is here`));
      });
    }
    if (n.kind === 'caller') {
      n.branches?.forEach((_, k) => {
        if (!analysis.takenBranches.has(`${n.id}#${k}`)) out.push(diagnostic('HTL038', `$.nodes[${i}].branches[${k}].when`, `branch ${k} of "${n.id}" is never taken`));
      });
    }
  });
  const best = analysis.bestPath;
  if (!best) {
    out.push(diagnostic('HTL040', '$.nodes', 'no play of the call reaches a resolved or escalated ending without breaking a critical rule'));
    return;
  }
  // The model call scores 100% by definition, so a pass mark (at most 100) is always reachable.
  const { dimensions } = scoreDimensions(analysis, best.scores);
  for (const d of dimensions) {
    if (!d.counted && (analysis.weights[d.id] ?? 0) > 0) out.push(diagnostic('HTL051', childPath('$.scoring.weights', d.id), `the model call earns no ${d.id} points, so ${d.id} cannot count in the total (the most any play earns is ${d.max})`));
  }
  if (options.audit === false) return;
  guessability(auditScenario(scenario, analysis, rulebook, { graph: { calls: analysed.graph, root: analysed.onTimeRoot } }), out);
}

/** The audit's findings as warnings: a caller that can be passed without judging. */
function guessability(report: AuditReport, out: Diagnostic[]) {
  for (const s of report.strategies) {
    if (s.passed) out.push(diagnostic('HTL047', '$.nodes', `always choosing the ${STRATEGY_WORDS[s.strategy]} option passes (${s.outcome}, ${s.total}%)`));
  }
  if (report.random.passRate > RANDOM_PASS_LIMIT) {
    out.push(diagnostic('HTL048', '$.nodes', `a player choosing at random passes ${(report.random.passRate * 100).toFixed(1)}% of ${report.random.plays} plays (more than ${RANDOM_PASS_LIMIT * 100}%)`));
  }
  const { decisions } = report.bestPosition;
  for (const language of ['zh-CN', 'en'] as const) {
    const longest = report.bestLongest[language];
    if (decisions > 0 && longest / decisions > LONGEST_BEST_LIMIT) {
      out.push(diagnostic('HTL049', '$.nodes', `the best option is the longest (${language}) at ${longest} of ${decisions} decisions (more than a third)`));
    }
  }
}

const STRATEGY_WORDS: Record<AuditStrategy, string> = {
  first: 'first',
  last: 'last',
  'longest-zh': 'longest (zh-CN)',
  'longest-en': 'longest (en)',
  'shortest-zh': 'shortest (zh-CN)',
  'shortest-en': 'shortest (en)',
  'stock-phrases-zh': 'most stock-phrase (zh-CN)',
  'stock-phrases-en': 'most stock-phrase (en)',
};

const MAX_PUNCTUATION_WARNINGS = 20;

/** Warns where a zh-CN text uses ASCII punctuation between Chinese characters. */
function punctuationChecks(value: unknown, path: string, out: Diagnostic[], found = { count: 0 }): { count: number } {
  if (Array.isArray(value)) value.forEach((v, i) => punctuationChecks(v, `${path}[${i}]`, out, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'zh-CN' && typeof v === 'string') {
        const slip = asciiPunctuationInChinese(v);
        if (slip) {
          found.count++;
          if (found.count <= MAX_PUNCTUATION_WARNINGS) out.push(diagnostic('HTL050', childPath(path, key), `ASCII punctuation in Chinese text: “${slip.excerpt}”`));
        }
      } else punctuationChecks(v, childPath(path, key), out, found);
    }
  }
  return found;
}

/** HTL041: the analysis gave up; say what multiplies the call's states, so the trainer can reduce it. */
function incompleteMessage(analysis: Analysis): string {
  const head = `analysis stopped after ${analysis.stateCount.toLocaleString('en')} call states; reachability and scores are not proven`;
  const g = analysis.growth;
  if (!g) return head;
  const parts: string[] = [];
  const moods = `the mood (each node is reached in ${g.moodsPerNode.toFixed(1)} different moods on average${g.moodTests.length ? `; conditions on the mood at ${listed(g.moodTests)}` : ''})`;
  const flags = g.flags.filter((f) => f.share > 0 && f.share < 1).slice(0, 5);
  if (flags.length) parts.push(`the flags ${flags.map((f) => `"${f.flag}" (set in ${Math.round(f.share * 100)}% of states)`).join(', ')}, ${g.flagSets.toLocaleString('en')} combinations in all`);
  parts.push(moods);
  return `${head}. The states multiply with ${parts.join(' and with ')}. To reduce them: unset a flag as soon as no condition tests it any more, merge flags that always go together, and test the mood in fewer places or change it in bigger steps`;
}

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((id) => `"${id}"`).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}
