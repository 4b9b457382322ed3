/** Lays a scenario's nodes out in layers by distance from the start, for the trainer's graph view. */
import type { Scenario } from '../engine/index';

export interface LaidNode {
  id: string;
  kind: 'caller' | 'decision' | 'ending';
  label: string;
  x: number;
  y: number;
}
export interface LaidEdge {
  from: string;
  to: string;
  /** The choice this edge stands for, if it is one (for highlighting a play). */
  choiceId: string | null;
  silence: boolean;
}
export interface GraphLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 40;
const GAP_X = 30;
const GAP_Y = 70;

export function edgesOf(scenario: Scenario): LaidEdge[] {
  const edges: LaidEdge[] = [];
  for (const node of scenario.nodes) {
    if (node.kind === 'decision') {
      for (const c of node.choices) edges.push({ from: node.id, to: c.next, choiceId: c.id, silence: false });
      if (node.silenceNext) edges.push({ from: node.id, to: node.silenceNext, choiceId: null, silence: true });
    } else if (node.kind === 'caller') {
      for (const b of node.branches ?? []) edges.push({ from: node.id, to: b.next, choiceId: null, silence: false });
      if (node.next) edges.push({ from: node.id, to: node.next, choiceId: null, silence: false });
    }
  }
  return edges;
}

export function layoutGraph(scenario: Scenario): GraphLayout {
  const edges = edgesOf(scenario);
  const known = new Set(scenario.nodes.map((n) => n.id));
  const depth = new Map<string, number>([[scenario.start, 0]]);
  const queue = [scenario.start];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const e of edges) {
      if (e.from === id && known.has(e.to) && !depth.has(e.to)) {
        depth.set(e.to, (depth.get(id) ?? 0) + 1);
        queue.push(e.to);
      }
    }
  }
  // Nodes no edge reaches go in a last row, so the trainer still sees them.
  const maxDepth = Math.max(0, ...depth.values());
  for (const n of scenario.nodes) if (!depth.has(n.id)) depth.set(n.id, maxDepth + 1);
  const rows = new Map<number, string[]>();
  for (const n of scenario.nodes) {
    const d = depth.get(n.id) ?? 0;
    rows.set(d, [...(rows.get(d) ?? []), n.id]);
  }
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = widest * (NODE_W + GAP_X) + GAP_X;
  const byId = new Map(scenario.nodes.map((n) => [n.id, n]));
  const nodes: LaidNode[] = [];
  for (const [d, ids] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
    const rowWidth = ids.length * (NODE_W + GAP_X) - GAP_X;
    ids.forEach((id, i) => {
      const n = byId.get(id);
      if (!n) return;
      nodes.push({ id, kind: n.kind, label: n.kind === 'ending' ? `${id} · ${n.outcome}` : id, x: (width - rowWidth) / 2 + i * (NODE_W + GAP_X), y: GAP_X + d * (NODE_H + GAP_Y) });
    });
  }
  const height = GAP_X * 2 + (Math.max(...depth.values()) + 1) * (NODE_H + GAP_Y);
  return { nodes, edges: edges.filter((e) => known.has(e.to)), width, height };
}
