/**
 * The caller being edited, as the file's own value (not its parse: a default the file leaves out
 * stays out, so saving an unchanged caller writes the same file), with undo and redo. Every change
 * goes through `edit`, which keeps the value before it.
 */
import type { ScenarioInput } from '../engine/index';

export type Draft = ScenarioInput;
export type DraftNode = Draft['nodes'][number];
export type DraftDecision = Extract<DraftNode, { kind: 'decision' }>;
export type DraftCallerNode = Extract<DraftNode, { kind: 'caller' }>;
export type DraftEnding = Extract<DraftNode, { kind: 'ending' }>;
export type DraftChoice = DraftDecision['choices'][number];
export type DraftLine = NonNullable<DraftNode['lines']>[number];
export type DraftCondition = NonNullable<DraftChoice['when']>;

const MAX_UNDO = 300;
/** Typing in one field within this long is one step of undo, not one per key. */
const MERGE_MS = 1500;

export class History {
  private undoStack: string[] = [];
  private redoStack: string[] = [];
  private lastKey: string | null = null;
  private lastAt = 0;

  constructor(
    public doc: Draft,
    private readonly changed: (how: 'edit' | 'history') => void,
  ) {}

  /** Replaces the caller (opening another): nothing to undo. */
  reset(doc: Draft): void {
    this.doc = doc;
    this.undoStack = [];
    this.redoStack = [];
    this.lastKey = null;
  }

  /** Applies a change; `key` names the field for merging keystrokes (null: never merged). */
  edit(key: string | null, change: (doc: Draft) => void): void {
    const now = Date.now();
    const merge = key !== null && key === this.lastKey && now - this.lastAt < MERGE_MS && this.redoStack.length === 0;
    if (!merge) {
      this.undoStack.push(JSON.stringify(this.doc));
      if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    }
    this.redoStack = [];
    change(this.doc);
    this.lastKey = key;
    this.lastAt = now;
    this.changed('edit');
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): void {
    const previous = this.undoStack.pop();
    if (previous === undefined) return;
    this.redoStack.push(JSON.stringify(this.doc));
    this.doc = JSON.parse(previous) as Draft;
    this.lastKey = null;
    this.changed('history');
  }

  redo(): void {
    const next = this.redoStack.pop();
    if (next === undefined) return;
    this.undoStack.push(JSON.stringify(this.doc));
    this.doc = JSON.parse(next) as Draft;
    this.lastKey = null;
    this.changed('history');
  }
}

/** An id not yet used by any node, line or choice: `base`, else `base-2`, `base-3`… */
export function freshId(doc: Draft, base: string): string {
  const used = new Set<string>();
  for (const node of doc.nodes) {
    used.add(node.id);
    for (const line of node.lines ?? []) {
      used.add(line.id);
      for (const v of line.variants ?? []) used.add(v.id);
    }
    if (node.kind === 'decision') {
      for (const c of node.choices) used.add(c.id);
      if (node.silenceLine) used.add(node.silenceLine.id);
    }
  }
  const clean = base.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/[.-]+$/, '').slice(0, 70) || 'node';
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

/** Renames a node and every reference to it. */
export function renameNode(doc: Draft, from: string, to: string): void {
  if (doc.start === from) doc.start = to;
  if (doc.caller.onMoodLimit === from) doc.caller.onMoodLimit = to;
  for (const node of doc.nodes) {
    if (node.id === from) node.id = to;
    if (node.kind === 'decision') {
      for (const c of node.choices) if (c.next === from) c.next = to;
      if (node.silenceNext === from) node.silenceNext = to;
    } else if (node.kind === 'caller') {
      if (node.next === from) node.next = to;
      for (const b of node.branches ?? []) if (b.next === from) b.next = to;
    }
  }
}

/** Removes a node; what led to it is left pointing at nothing, which the checker then shows. */
export function removeNode(doc: Draft, index: number): void {
  doc.nodes.splice(index, 1);
}

/** Every flag some choice sets or clears, and every flag a condition tests, sorted. */
export function knownFlags(doc: Draft): string[] {
  const flags = new Set<string>();
  const fromCondition = (when: DraftCondition | undefined) => {
    for (const f of when?.flags ?? []) flags.add(f);
    for (const f of when?.notFlags ?? []) flags.add(f);
  };
  for (const node of doc.nodes) {
    if (node.kind === 'decision') {
      for (const c of node.choices) {
        for (const f of c.set ?? []) flags.add(f);
        for (const f of c.unset ?? []) flags.add(f);
        fromCondition(c.when);
      }
    } else if (node.kind === 'caller') for (const b of node.branches ?? []) fromCondition(b.when);
  }
  return [...flags].sort();
}

/** Where a node's edges lead, for drawing: one per choice (by index), branch and next. */
export interface Edge {
  from: number;
  to: string;
  /** Choice index on a decision; -1 for a caller node's next, -2 - k for its branch k, -100 for silence. */
  port: number;
}

export function edgesOf(doc: Draft): Edge[] {
  const edges: Edge[] = [];
  doc.nodes.forEach((node, i) => {
    if (node.kind === 'decision') {
      node.choices.forEach((c, k) => edges.push({ from: i, to: c.next, port: k }));
      if (node.silenceNext) edges.push({ from: i, to: node.silenceNext, port: -100 });
    } else if (node.kind === 'caller') {
      (node.branches ?? []).forEach((b, k) => edges.push({ from: i, to: b.next, port: -2 - k }));
      if (node.next) edges.push({ from: i, to: node.next, port: -1 });
    }
  });
  return edges;
}
