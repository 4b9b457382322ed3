/** A large valid scenario for the checker benchmark: a forward graph of decisions with endings along the way. */
import type { ScenarioInput } from '../src/engine/index';

export function generateScenario(size: number): ScenarioInput {
  const text = (s: string) => ({ 'zh-CN': `中${s}`, en: s });
  const isEnding = (i: number) => i >= size - 3 || i % 10 === 9;
  const outcomes = ['resolved', 'complaint', 'caller-hung-up'] as const;
  const nextDecision = (i: number) => {
    let j = i;
    while (j < size && isEnding(j)) j++;
    return j < size - 3 ? j : size - 3;
  };
  const nextEnding = (i: number) => {
    let j = i;
    while (!isEnding(j)) j++;
    return j;
  };
  const nodes: ScenarioInput['nodes'] = [];
  for (let i = 0; i < size; i++) {
    const id = `n${i}`;
    if (isEnding(i)) {
      nodes.push({ id, kind: 'ending', outcome: outcomes[i % 3] ?? 'resolved', title: text(`end ${i}`), summary: text(`end ${i}`) });
      continue;
    }
    const last = nextDecision(i + 1) === size - 3;
    const a = last ? size - 3 : nextDecision(i + 1);
    const b = last ? size - 2 : nextDecision(i + 2);
    nodes.push({
      id,
      kind: 'decision',
      ...(i % 4 === 0 ? { lines: [{ id: `l${i}`, text: text(`line ${i}`) }] } : {}),
      choices: [
        { id: `c${i}.a`, text: text('a'), next: `n${a}`, scores: { courtesy: 1 }, feedback: text('a') },
        { id: `c${i}.b`, text: text('b'), next: `n${b}`, scores: { listening: 1 }, feedback: text('b') },
        { id: `c${i}.c`, text: text('c'), next: last ? `n${size - 1}` : `n${nextEnding(i + 1)}`, mood: 5, scores: { courtesy: -1 }, rules: { broken: ['courteous-words'] }, feedback: text('c') },
      ],
    });
  }
  return {
    formatVersion: 1,
    id: `generated-${size}`,
    title: text('generated'),
    summary: text('generated'),
    source: '003_ab304f42f911cf29.txt',
    difficulty: 1,
    passMark: 10,
    caller: { name: text('x'), persona: text('x'), portrait: 'practice', voice: 'practice', mood: 10, onMoodLimit: `n${size - 1}` },
    start: 'n0',
    nodes,
  };
}
