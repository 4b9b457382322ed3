/**
 * Scenarios of the shape ink and Yarn writers produce, at any size: sections of ten nodes with
 * loops back to earlier decisions, "ask this only once" flags, caller branches and choices that test
 * the mood, and a mood that rises (pushing back, repeating, silence) and falls (apologising,
 * explaining). Every loop raises the mood, so every play ends; no loop gains points.
 *
 * Section k (nodes b … b+9, b = 10k):
 *   b+0 caller   opening line; branches to b+1 when the caller is angry (moodMin 60), else b+2
 *   b+1 decision calm him down (mood −15), stay firm (mood +10) or listen (mood −5) → b+2
 *   b+2 decision ask once (notFlags s-k-asked; sets it; mood −5) → b+3 → b+2 (a loop),
 *                repeat the question (mood +5) → b+4 → b+2 (a loop), go on (listening −1) → b+5,
 *                go on having asked (flags s-k-asked) → b+5
 *   b+3 caller   the caller answers → b+2
 *   b+4 caller   the caller is annoyed → b+2
 *   b+5 decision apologise (moodMin 40, mood −20, once per call: sets apologised) → b+6,
 *                explain (moodMax 89, mood −5) → b+7, push back (mood +10) → b+2 (a loop), hang up (moodMin 95) → b+8
 *   b+6 caller   the caller accepts; branches on moodMax 30 → b+7, else b+7 by next
 *   b+7 decision move on (mood −30; unsets s-k-asked) → the next section's b+0, or the last ending;
 *                recap (mood +5, resolution −1, undoing the explanation's point) → b+5 (a loop), escalate (moodMin 90) → b+9
 *   b+8 ending   agent hung up
 *   b+9 ending   escalated
 * then a resolved ending and the mood-limit ending. With `persistentFlags: k` the first k sections keep
 * their flag to the end of the call, where a last choice tests them all: that multiplies the states
 * after them by up to 2^k.
 */
import type { ScenarioInput } from '../src/engine/index';

type Nodes = ScenarioInput['nodes'];
type DecisionInput = Extract<Nodes[number], { kind: 'decision' }>;
type ChoiceInput = DecisionInput['choices'][number];

const text = (s: string) => ({ 'zh-CN': `${s}。`, en: `${s}.` });

export interface LoopOptions {
  /** The first this many sections keep their "asked" flag to the end of the call (each doubles the states after it). */
  persistentFlags?: number;
}

export function generateLoopScenario(size: number, options: LoopOptions = {}): ScenarioInput {
  const persistent = options.persistentFlags ?? 0;
  const sections = Math.max(1, Math.floor((size - 2) / 10));
  const nodes: Nodes = [];
  const end = `n${sections * 10}`;
  const limit = `n${sections * 10 + 1}`;
  const choice = (id: string, next: string, extra: Partial<ChoiceInput> = {}): ChoiceInput => ({ id, text: text(id), next, feedback: text('ok'), ...extra });
  const line = (id: string, seconds = 2) => ({ id, text: text(id), seconds });
  for (let k = 0; k < sections; k++) {
    const b = k * 10;
    const n = (i: number) => `n${b + i}`;
    const asked = `s${k}-asked`;
    const after = k === sections - 1 ? end : `n${b + 10}`;
    nodes.push(
      { id: n(0), kind: 'caller', lines: [line(`l${b}`)], branches: [{ when: { moodMin: 60 }, next: n(1) }], next: n(2) },
      {
        id: n(1),
        kind: 'decision',
        lines: [line(`l${b + 1}`, 3)],
        choices: [
          choice(`c${b + 1}.calm`, n(2), { mood: -15, scores: { empathy: 1 }, rules: { kept: ['stay-calm'] } }),
          choice(`c${b + 1}.firm`, n(2), { mood: 10, scores: { courtesy: -1 }, rules: { broken: ['let-them-save-face'] } }),
          choice(`c${b + 1}.listen`, n(2), { mood: -5 }),
        ],
      },
      {
        id: n(2),
        kind: 'decision',
        lines: [line(`l${b + 2}`)],
        choices: [
          choice(`c${b + 2}.ask`, n(3), { when: { notFlags: [asked] }, set: [asked], mood: -5, scores: { listening: 1 }, step: 'ask' }),
          choice(`c${b + 2}.repeat`, n(4), { mood: 5, rules: { broken: ['ask-dont-block'] } }),
          choice(`c${b + 2}.go`, n(5), { scores: { listening: -1 } }),
          choice(`c${b + 2}.go-asked`, n(5), { when: { flags: [asked] }, rules: { kept: ['confirm-understanding'] } }),
        ],
      },
      { id: n(3), kind: 'caller', lines: [line(`l${b + 3}`, 4)], next: n(2) },
      { id: n(4), kind: 'caller', lines: [line(`l${b + 4}`)], next: n(2) },
      {
        id: n(5),
        kind: 'decision',
        lines: [line(`l${b + 5}`)],
        choices: [
          choice(`c${b + 5}.sorry`, n(6), { when: { moodMin: 40, notFlags: ['apologised'] }, set: ['apologised'], mood: -20, scores: { empathy: 2 }, rules: { kept: ['apologise-first'] }, step: 'apologise' }),
          choice(`c${b + 5}.explain`, n(7), { when: { moodMax: 89 }, mood: -5, scores: { resolution: 1 }, step: 'basis' }),
          choice(`c${b + 5}.push`, n(2), { mood: 10, scores: { courtesy: -1 }, rules: { broken: ['never-provoke'] } }),
          choice(`c${b + 5}.hang-up`, n(8), { kind: 'hang-up', when: { moodMin: 95 }, rules: { broken: ['never-hang-up-first'] } }),
        ],
      },
      { id: n(6), kind: 'caller', lines: [line(`l${b + 6}`)], branches: [{ when: { moodMax: 30 }, next: n(7) }], next: n(7) },
      {
        id: n(7),
        kind: 'decision',
        lines: [line(`l${b + 7}`)],
        choices: [
          choice(`c${b + 7}.on`, after, { ...(k < persistent ? {} : { unset: [asked] }), mood: -30, scores: { courtesy: 1 }, ...(k === sections - 1 ? { step: 'goodbye' as const } : {}) }),
          choice(`c${b + 7}.recap`, n(5), { mood: 5, scores: { resolution: -1 } }),
          ...(k === sections - 1 && persistent > 0 ? [choice(`c${b + 7}.thorough`, end, { when: { flags: Array.from({ length: Math.min(persistent, sections) }, (_, i) => `s${i}-asked`) }, scores: { resolution: 2 } })] : []),
          choice(`c${b + 7}.escalate`, n(9), { kind: 'escalate', when: { moodMin: 90 } }),
        ],
      },
      { id: n(8), kind: 'ending', outcome: 'agent-hung-up', title: text(`hung up ${k}`), summary: text(`hung up ${k}`) },
      { id: n(9), kind: 'ending', outcome: 'escalated', lines: [line(`l${b + 9}`)], title: text(`escalated ${k}`), summary: text(`escalated ${k}`) },
    );
  }
  nodes.push(
    { id: end, kind: 'ending', outcome: 'resolved', lines: [line('l-end')], title: text('resolved'), summary: text('resolved') },
    { id: limit, kind: 'ending', outcome: 'caller-hung-up', lines: [line('l-limit')], title: text('gone'), summary: text('gone') },
  );
  return {
    formatVersion: 1,
    id: `loops-${size}`,
    title: text('generated with loops'),
    summary: text('generated with loops'),
    source: '003_ab304f42f911cf29.txt',
    difficulty: 3,
    passMark: 50,
    caller: { name: text('x'), persona: text('x'), portrait: 'practice', voice: 'practice', mood: 60, moodLimit: 100, onMoodLimit: limit },
    start: 'n0',
    nodes,
  };
}
