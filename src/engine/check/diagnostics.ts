/** Every problem the checker can report, with a stable code that trainers and tests can rely on. */

export const DIAGNOSTIC_CODES = {
  HTL001: { name: 'not-json', severity: 'error', hint: 'Fix the JSON syntax at this line and column (a missing comma, quote or bracket).' },
  HTL002: { name: 'file-too-large', severity: 'error', hint: 'A scenario must be under 1 MB; split it into several scenarios.' },
  HTL003: { name: 'not-an-object', severity: 'error', hint: 'A scenario file holds one JSON object: { "formatVersion": 1, ... }.' },
  HTL004: { name: 'forbidden-key', severity: 'error', hint: 'Rename the key; __proto__, constructor and prototype are never allowed.' },
  HTL005: { name: 'duplicate-key', severity: 'error', hint: 'Remove one of the two keys; JSON would silently keep only the last.' },
  HTL010: { name: 'missing-format-version', severity: 'error', hint: 'Add "formatVersion": 1 at the top of the file.' },
  HTL011: { name: 'unknown-format-version', severity: 'error', hint: 'This version of Hold the Line reads formatVersion 1.' },
  HTL020: { name: 'schema', severity: 'error', hint: 'Compare the field with scenarios/scenario.schema.json; an editor with "$schema" shows what is expected.' },
  HTL030: { name: 'missing-node', severity: 'error', hint: 'Point at the id of a node that exists, or add the node.' },
  HTL031: { name: 'duplicate-id', severity: 'error', hint: 'Give each node, line and choice its own id.' },
  HTL032: { name: 'unreachable-node', severity: 'error', hint: 'No play of the call can reach this node: lead a choice or branch to it, or remove it.' },
  HTL033: { name: 'dead-end', severity: 'error', hint: 'Give the node a way on: choices for a decision, a next for a caller node.' },
  HTL034: { name: 'no-way-out', severity: 'error', hint: 'From here no choice leads to an ending; add a choice that leaves the loop.' },
  HTL035: { name: 'unknown-rule', severity: 'error', hint: 'Use a rule id from scenarios/rulebook/rules.json.' },
  HTL036: { name: 'unknown-dimension', severity: 'error', hint: 'Use a dimension id from scenarios/rulebook/dimensions.json.' },
  HTL037: { name: 'missing-translation', severity: 'error', hint: 'Every text needs both "zh-CN" and "en".' },
  HTL038: { name: 'condition-never-holds', severity: 'warning', hint: 'Check the flags and mood bounds: no play of the call makes this condition true.' },
  HTL040: { name: 'no-passing-ending', severity: 'error', hint: 'Add an ending with outcome "resolved" or "escalated" that some play reaches without breaking a critical rule.' },
  HTL041: { name: 'analysis-incomplete', severity: 'warning', hint: 'The call has more than 5 million states (node, mood, flags) to analyse; the message names what multiplies them. See "What makes a call large" in the README.' },
  HTL042: { name: 'hang-up-not-ending', severity: 'warning', hint: 'A hang-up choice should lead to an ending with outcome "agent-hung-up".' },
  HTL043: { name: 'rule-kept-and-broken', severity: 'warning', hint: 'A choice either keeps or breaks a rule, not both.' },
  HTL044: { name: 'too-few-choices', severity: 'warning', hint: 'Offer at least three options at every decision, so the trainee has to think.' },
  HTL045: { name: 'silence-never-ends', severity: 'warning', hint: 'Silence does not raise the mood here and has no silenceNext: a silent trainee would wait forever.' },
  HTL046: { name: 'gainful-loop', severity: 'error', hint: 'Going round this loop earns points every time, so no score would have a ceiling: give the loop no positive points, or let it be taken once (set a flag and test it).' },
  HTL047: { name: 'naive-strategy-passes', severity: 'warning', hint: 'A trainee passes this caller without judging: make the wrong options real mistakes of the same length and register, and vary where the best option stands.' },
  HTL048: { name: 'random-player-passes', severity: 'warning', hint: 'Choosing at random passes too often: make more wrong options cost points or break a critical rule.' },
  HTL049: { name: 'best-option-longest', severity: 'warning', hint: 'The best option is too often the longest: write wrong options as long as the right one.' },
  HTL050: { name: 'ascii-punctuation', severity: 'warning', hint: 'Chinese text takes full-width punctuation: ，。：；？！（） instead of , . : ; ? ! ( )' },
  HTL051: { name: 'dimension-not-in-model', severity: 'warning', hint: 'Give the model call points in this dimension, or give the dimension weight 0 in scoring.weights.' },
  HTL052: { name: 'ticket-without-tier', severity: 'error', hint: 'Give the ticket a "tier" (ordinary, serious, compensation, batch, unjustified): complaint-tiers decide how it is handled.' },
  HTL053: { name: 'unknown-portrait', severity: 'error', hint: 'Use a portrait key the game draws (listed in src/engine/format/cast.ts).' },
  HTL054: { name: 'unknown-voice', severity: 'error', hint: 'Use a voice key the audio script makes (listed in src/engine/format/cast.ts).' },
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  name: string;
  severity: Severity;
  /** JSON path of the value concerned, such as `$.nodes[3].choices[1].next`. */
  path: string;
  line?: number;
  column?: number;
  message: string;
  hint: string;
}

export function diagnostic(code: DiagnosticCode, path: string, message: string, hint?: string): Diagnostic {
  const def = DIAGNOSTIC_CODES[code];
  return { code, name: def.name, severity: def.severity, path, message, hint: hint ?? def.hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
