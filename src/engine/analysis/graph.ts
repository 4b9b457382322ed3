/** The scenario as a Mermaid flowchart, for trainers to see the shape of a call. */
import type { Language, Scenario } from '../format/schema';

const escape = (s: string) => s.replace(/["<>]/g, (c) => ({ '"': '#quot;', '<': '#lt;', '>': '#gt;' })[c] ?? c).replace(/\n/g, ' ');
const short = (s: string, n = 40) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function mermaidGraph(scenario: Scenario, language: Language = 'en', highlight: readonly string[] = []): string {
  const ids = new Map(scenario.nodes.map((n, i) => [n.id, `n${i}`]));
  const ref = (id: string) => ids.get(id) ?? `missing_${id.replace(/[^a-z0-9]/gi, '_')}`;
  const lines = ['flowchart TD', `  start((answer)) --> ${ref(scenario.start)}`];
  for (const node of scenario.nodes) {
    const label = escape(`${node.id}`);
    if (node.kind === 'decision') lines.push(`  ${ref(node.id)}{"${label}"}`);
    else if (node.kind === 'ending') lines.push(`  ${ref(node.id)}(["${label}: ${node.outcome}"])`);
    else lines.push(`  ${ref(node.id)}["${label}"]`);
  }
  const taken = new Set(highlight);
  let edge = 0;
  const highlighted: number[] = [];
  for (const node of scenario.nodes) {
    if (node.kind === 'decision') {
      for (const c of node.choices) {
        lines.push(`  ${ref(node.id)} -->|"${escape(short(c.text[language] ?? c.id))}"| ${ref(c.next)}`);
        if (taken.has(c.id)) highlighted.push(edge);
        edge++;
      }
      if (node.silenceNext) {
        lines.push(`  ${ref(node.id)} -.->|silence| ${ref(node.silenceNext)}`);
        edge++;
      }
    } else if (node.kind === 'caller') {
      node.branches?.forEach((b, k) => {
        lines.push(`  ${ref(node.id)} -->|"branch ${k}"| ${ref(b.next)}`);
        edge++;
      });
      if (node.next) {
        lines.push(`  ${ref(node.id)} --> ${ref(node.next)}`);
        edge++;
      }
    }
  }
  lines.push(`  classDef ending fill:#eef6ee,stroke:#3a7d44`);
  const endings = scenario.nodes.filter((n) => n.kind === 'ending').map((n) => ref(n.id));
  if (endings.length) lines.push(`  class ${endings.join(',')} ending`);
  for (const e of highlighted) lines.push(`  linkStyle ${e} stroke:#d9822b,stroke-width:3px`);
  return lines.join('\n');
}
