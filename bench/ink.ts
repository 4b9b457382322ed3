/**
 * A scenario converted to ink, and random plays through inkjs that draw the same random numbers as
 * the call machine's player, so that the same seed gives the same path in both (the bench checks it).
 *
 * The conversion keeps what decides the path and what the call records: the mood (clamped to 0–100,
 * the mood limit diverting to `onMoodLimit`), every flag, the score of every dimension, the caller's
 * lines as output text, and silence as a last, always offered choice that applies the silence's
 * effect and returns to the decision's choices without its lines (or to `silenceNext`).
 */
import { Compiler, Story } from 'inkjs/full';
import { DEFAULT_LATE_ANSWER, initialState, silenceEffect, silenceLineAt } from '../src/engine/call/logic';
import type { Condition, Scenario } from '../src/engine/index';

/** The label of the silence choice: the driver takes the last choice for it. */
const SILENCE = '__silence';

export function scenarioToInk(scenario: Scenario): string {
  const knot = new Map<string, string>();
  scenario.nodes.forEach((n, i) => {
    if (!knot.has(n.id)) knot.set(n.id, `k${i}`);
  });
  const flags = new Map<string, string>();
  const dims = new Map<string, string>();
  const flag = (f: string) => {
    let v = flags.get(f);
    if (!v) flags.set(f, (v = `f${flags.size}`));
    return v;
  };
  const dim = (d: string) => {
    let v = dims.get(d);
    if (!v) dims.set(d, (v = `s_${d.replace(/[^A-Za-z0-9]/g, '_')}`));
    return v;
  };
  const target = (id: string) => knot.get(id) ?? 'missing';
  const clean = (s: string) => s.replace(/[{}[\]|#/\\<>~*+=\-:]/g, ' ').trim() || '…';
  const cond = (when: Condition | undefined): string => {
    if (!when) return '';
    const parts: string[] = [];
    for (const f of when.flags ?? []) parts.push(flag(f));
    for (const f of when.notFlags ?? []) parts.push(`not ${flag(f)}`);
    if (when.moodMin !== undefined) parts.push(`mood >= ${when.moodMin}`);
    if (when.moodMax !== undefined) parts.push(`mood <= ${when.moodMax}`);
    return parts.length ? parts.join(' and ') : 'true';
  };
  const limit = scenario.caller.moodLimit;
  const onLimit = target(scenario.caller.onMoodLimit);
  const effect = (out: string[], mood: number | undefined, scores: Readonly<Record<string, number>> | undefined) => {
    if (mood) out.push(`  ~ mood = MIN(MAX(mood + ${mood}, 0), 100)`);
    for (const [d, v] of Object.entries(scores ?? {})) if (v) out.push(`  ~ ${dim(d)} = ${dim(d)} + ${v}`);
  };
  const body: string[] = [];
  const late = scenario.timing.lateAnswer ?? DEFAULT_LATE_ANSWER;
  body.push('=== answer ===', `+ [on time] -> ${target(scenario.start)}`, '+ [late]');
  effect(body, late.mood, late.scores);
  body.push(`  -> ${target(scenario.start)}`);
  const quiet = silenceEffect(scenario);
  for (const node of scenario.nodes) {
    const k = target(node.id);
    if (knot.get(node.id) !== k) continue;
    body.push(`=== ${k} ===`);
    for (const line of node.lines ?? []) body.push(clean(line.text.en ?? line.id));
    if (node.kind === 'caller') {
      for (const b of node.branches ?? []) body.push(`{ ${cond(b.when)}: -> ${target(b.next)} }`);
      body.push(node.next ? `-> ${target(node.next)}` : '-> END');
      continue;
    }
    if (node.kind === 'ending') {
      body.push(`~ ending = "${node.id}"`, '-> END');
      continue;
    }
    body.push(`-> ${k}_c`, `=== ${k}_c ===`);
    for (const c of node.choices) {
      const when = cond(c.when);
      body.push(`+ ${when ? `{ ${when} } ` : ''}[${c.id}]`);
      effect(body, c.mood, c.scores);
      for (const f of c.set ?? []) body.push(`  ~ ${flag(f)} = true`);
      for (const f of c.unset ?? []) body.push(`  ~ ${flag(f)} = false`);
      body.push(`  { mood >= ${limit}: -> ${onLimit} }`, `  -> ${target(c.next)}`);
    }
    body.push(`+ [${SILENCE}]`);
    effect(body, quiet.mood, quiet.scores);
    const line = silenceLineAt(scenario, node);
    if (line) body.push(`  ${clean(line.text.en ?? line.id)}`);
    body.push(`  { mood >= ${limit}: -> ${onLimit} }`, `  -> ${node.silenceNext ? target(node.silenceNext) : `${k}_c`}`);
  }
  const head = [`VAR mood = ${initialState(scenario).mood}`, 'VAR ending = ""'];
  for (const v of flags.values()) head.push(`VAR ${v} = false`);
  for (const v of dims.values()) head.push(`VAR ${v} = 0`);
  return [...head, '-> answer', ...body, '=== missing ===', '-> END', ''].join('\n');
}

/** Compiles ink source with the compiler inkjs ships; throws with the compiler's errors. */
export function compileInk(source: string): Story {
  const errors: string[] = [];
  const compiler = new Compiler(source);
  let story: Story;
  try {
    story = compiler.Compile();
  } catch (error) {
    throw new Error(`ink did not compile: ${[...compiler.errors, ...errors].slice(0, 5).join('; ') || String(error)}`);
  }
  if (compiler.errors.length) throw new Error(`ink did not compile: ${compiler.errors.slice(0, 5).join('; ')}`);
  // Load it as a game would: from the compiled JSON.
  return new Story(story.ToJson() ?? '');
}

export interface WalkResult {
  choices: string[];
  ending: string;
  mood: number;
}

/** One random play through the ink story, drawing random numbers exactly as the machine's player does. */
export function inkPlay(story: Story, scenario: Scenario, random: () => number, maxDecisions: number, silenceRate = 0.05, lateRate = 0.1): WalkResult {
  story.ResetState();
  const rings = scenario.timing.answerWithinRings;
  const late = random() < lateRate ? true : (Math.floor(random() * rings), false);
  story.ContinueMaximally();
  story.ChooseChoiceIndex(late ? 1 : 0);
  const choices: string[] = [];
  for (let n = 0; n < maxDecisions; n++) {
    story.ContinueMaximally();
    const shown = story.currentChoices;
    if (shown.length === 0) break;
    const offered = shown.length - 1; // the last is silence
    if (offered === 0 || random() < silenceRate) {
      choices.push('~');
      story.ChooseChoiceIndex(offered);
      continue;
    }
    const i = Math.floor(random() * offered);
    choices.push(shown[i]?.text ?? '?');
    story.ChooseChoiceIndex(i);
  }
  return { choices, ending: String(story.variablesState.$('ending') ?? ''), mood: Number(story.variablesState.$('mood')) };
}
