/**
 * The caller as a graph the trainer edits: a card per node with its words, a row per option with a
 * dot to drag to the card it leads to, endings coloured by outcome, the model call and the last play
 * drawn over the edges. Pan by dragging the background, zoom with the wheel or the buttons; cards
 * move by their header and are laid out again on "Tidy up". Cards are focusable: Enter selects.
 */
import { OUTCOMES, type Outcome } from '../engine/format/schema';
import { outcomeLabel } from '../game/i18n';
import { svg } from '../preview/dom';
import { edgesOf, type Draft, type DraftNode } from './doc';
import { language, pick, t } from './i18n';

export const CARD_W = 240;
const HEAD_H = 26;
const TEXT_H = 18;
const ROW_H = 24;
const PAD = 8;
const GAP_X = 90;
const GAP_Y = 28;

export interface GraphState {
  selectedNode: number | null;
  selectedChoice: number | null;
  /** Choice ids of the model call and of the last play, drawn over the edges. */
  model: readonly string[];
  played: readonly string[];
  /** Problems per node index (errors, warnings). */
  problems: Map<number, { errors: number; warnings: number }>;
}

export interface GraphEvents {
  select(node: number | null, choice: number | null): void;
  connect(node: number, port: number, target: string): void;
  /** The trainer placed cards (dragged one, or tidied them all): where every card now is, to keep in the file. */
  placed?(layout: CardPlaces): void;
}

/** Where each card is, by node id, in whole canvas units: the file's `layout`. */
export type CardPlaces = Record<string, { x: number; y: number }>;

/** The places a file keeps, those that are numbers. */
function keptPlaces(doc: Draft): Map<string, Point> {
  const out = new Map<string, Point>();
  for (const [id, p] of Object.entries(doc.layout ?? {})) if (Number.isFinite(p?.x) && Number.isFinite(p?.y)) out.set(id, { x: p.x, y: p.y });
  return out;
}

interface Point {
  x: number;
  y: number;
}

/** Rough text width: CJK characters a full em, others a little over half. */
function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(ch) ? size : size * 0.56;
  return w;
}

function clip(text: string, width: number, size: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (textWidth(flat, size) <= width) return flat;
  let out = '';
  for (const ch of flat) {
    if (textWidth(`${out}${ch}…`, size) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/** Text wrapped onto at most `lines` lines of `width`. */
function wrap(text: string, width: number, size: number, lines: number): string[] {
  const out: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest && out.length < lines) {
    if (out.length === lines - 1 || textWidth(rest, size) <= width) {
      out.push(clip(rest, width, size));
      break;
    }
    let cut = 0;
    let w = 0;
    const chars = [...rest];
    while (cut < chars.length && w + textWidth(chars[cut] as string, size) <= width) w += textWidth(chars[cut++] as string, size);
    const head = chars.slice(0, cut).join('');
    const space = head.lastIndexOf(' ');
    const take = space > head.length / 2 ? head.slice(0, space) : head;
    out.push(take);
    rest = rest.slice(take.length).trim();
  }
  return out;
}

export const OUTCOME_COLOURS: Record<Outcome, string> = {
  resolved: '#2e7d4f',
  escalated: '#3f7fb5',
  'supervisor-demanded': '#b86a00',
  complaint: '#b3261e',
  'caller-hung-up': '#8e3b8a',
  'agent-hung-up': '#6b4c3b',
  unanswered: '#5b6878',
};

const KIND_COLOURS = { caller: '#5b6878', decision: '#2f6f9f' } as const;

interface Rows {
  head: string;
  body: string[];
  rows: { label: string; port: number; choice: number | null }[];
}

function rowsOf(node: DraftNode): Rows {
  const spoken = (node.lines ?? []).map((l) => pick(l.text)).join(' ');
  if (node.kind === 'decision') {
    const body = spoken || pick(node.prompt);
    return {
      head: `${t('kind.decision')} · ${node.id}`,
      body: body ? wrap(body, CARD_W - 2 * PAD, 13, 2) : [],
      rows: [
        ...node.choices.map((c, k) => ({ label: `${k + 1}. ${pick(c.text) || c.id}`, port: k, choice: k })),
        ...(node.silenceNext ? [{ label: `… ${t('graph.silence')}`, port: -100, choice: null }] : []),
      ],
    };
  }
  if (node.kind === 'caller') {
    return {
      head: `${t('kind.caller')} · ${node.id}`,
      body: wrap(spoken, CARD_W - 2 * PAD, 13, 3),
      rows: [...(node.branches ?? []).map((_, k) => ({ label: `⑂ ${k + 1}`, port: -2 - k, choice: null })), { label: `→ ${t('graph.next')}`, port: -1, choice: null }],
    };
  }
  return { head: `${outcomeLabel(language(), node.outcome)} · ${node.id}`, body: wrap(pick(node.title) || spoken, CARD_W - 2 * PAD, 13, 2), rows: [] };
}

const cardHeight = (r: Rows) => HEAD_H + PAD + r.body.length * TEXT_H + r.rows.length * ROW_H + PAD;

/** Columns by distance from the start; nodes nothing reaches in a last column. */
export function autoLayout(doc: Draft): Map<string, Point> {
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const edges = edgesOf(doc);
  const depth = new Map<number, number>();
  const startIndex = index.get(doc.start);
  const queue: number[] = [];
  if (startIndex !== undefined) {
    depth.set(startIndex, 0);
    queue.push(startIndex);
  }
  while (queue.length) {
    const i = queue.shift() as number;
    for (const e of edges) {
      if (e.from !== i) continue;
      const to = index.get(e.to);
      if (to !== undefined && !depth.has(to)) {
        depth.set(to, (depth.get(i) ?? 0) + 1);
        queue.push(to);
      }
    }
  }
  const last = Math.max(-1, ...depth.values()) + 1;
  const columns = new Map<number, number[]>();
  doc.nodes.forEach((n, i) => {
    // Endings go to the right of what leads to them, but share a column with others at that depth.
    const d = depth.get(i) ?? last;
    columns.set(d, [...(columns.get(d) ?? []), i]);
  });
  const out = new Map<string, Point>();
  for (const [d, members] of columns) {
    let y = 40;
    for (const i of members) {
      const node = doc.nodes[i] as DraftNode;
      out.set(node.id, { x: 40 + d * (CARD_W + GAP_X), y });
      y += cardHeight(rowsOf(node)) + GAP_Y;
    }
  }
  return out;
}

export class GraphView {
  readonly element: HTMLElement;
  private readonly root: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private positions = new Map<string, Point>();
  private view = { x: 0, y: 0, k: 1 };
  private doc: Draft | null = null;
  private state: GraphState | null = null;
  private drag: { kind: 'pan' | 'move' | 'connect'; start: Point; origin: Point; node?: number; port?: number; id?: string; line?: SVGPathElement } | null = null;

  constructor(private readonly events: GraphEvents) {
    this.root = svg('svg', { class: 'graph-canvas', tabindex: '0', role: 'application' });
    this.viewport = svg('g', { class: 'viewport' });
    const defs = svg('defs');
    for (const [name, colour] of [['arrow', '#8a97a8'], ['arrow-model', '#d9822b'], ['arrow-played', '#2f6f9f'], ['arrow-missing', '#b3261e']] as const) {
      const marker = svg('marker', { id: name, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: colour }));
      defs.append(marker);
    }
    this.root.append(defs, this.viewport);
    this.element = document.createElement('div');
    this.element.className = 'graph-host';
    this.element.append(this.root);
    this.root.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.root.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.root.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.root.addEventListener('pointercancel', () => this.cancelDrag());
    this.root.addEventListener('wheel', (e) => {
      e.preventDefault();
      const box = this.root.getBoundingClientRect();
      this.zoomAt(e.deltaY < 0 ? 1.12 : 1 / 1.12, { x: e.clientX - box.left, y: e.clientY - box.top });
    }, { passive: false });
    this.root.addEventListener('keydown', (e) => {
      if (e.target !== this.root) return;
      const step = 60;
      const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
      const move = moves[e.key];
      if (move) {
        e.preventDefault();
        this.view.x += move[0];
        this.view.y += move[1];
        this.applyView();
      } else if (e.key === '+' || e.key === '=') this.zoom(1.2);
      else if (e.key === '-') this.zoom(1 / 1.2);
    });
  }

  zoom(factor: number): void {
    const box = this.root.getBoundingClientRect();
    this.zoomAt(factor, { x: box.width / 2, y: box.height / 2 });
  }

  private zoomAt(factor: number, at: Point): void {
    const k = Math.min(2.5, Math.max(0.2, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { k, x: at.x - (at.x - this.view.x) * f, y: at.y - (at.y - this.view.y) * f };
    this.applyView();
  }

  private applyView(): void {
    this.viewport.setAttribute('transform', `translate(${this.view.x} ${this.view.y}) scale(${this.view.k})`);
  }

  /** Lays every card out again and fits the graph in view. */
  tidy(): void {
    if (!this.doc) return;
    this.positions = autoLayout(this.doc);
    this.draw();
    this.fit();
    this.events.placed?.(this.layout());
  }

  /** Where every card is now, in the order of the nodes. */
  layout(): CardPlaces {
    const out: CardPlaces = {};
    for (const node of this.doc?.nodes ?? []) {
      const p = this.positions.get(node.id);
      if (p) out[node.id] = { x: Math.round(p.x), y: Math.round(p.y) };
    }
    return out;
  }

  fit(): void {
    const box = this.root.getBoundingClientRect();
    let right = 0;
    let bottom = 0;
    for (const [id, p] of this.positions) {
      const node = this.doc?.nodes.find((n) => n.id === id);
      if (!node) continue;
      right = Math.max(right, p.x + CARD_W);
      bottom = Math.max(bottom, p.y + cardHeight(rowsOf(node)));
    }
    if (right === 0 || box.width === 0) return;
    // Never so small that the cards cannot be read: a wide call is panned instead.
    const k = Math.min(1, Math.max(0.6, Math.min((box.width - 90) / right, (box.height - 30) / (bottom + 20))));
    // Room on the left for the start marker.
    this.view = { k, x: 70, y: 10 };
    this.applyView();
  }

  /** Brings a card into view (after a diagnostic is clicked, say). */
  reveal(index: number): void {
    const node = this.doc?.nodes[index];
    const p = node ? this.positions.get(node.id) : undefined;
    if (!p) return;
    const box = this.root.getBoundingClientRect();
    const sx = p.x * this.view.k + this.view.x;
    const sy = p.y * this.view.k + this.view.y;
    if (sx < 0 || sy < 0 || sx + CARD_W * this.view.k > box.width || sy + 60 > box.height) {
      this.view.x = box.width / 2 - (p.x + CARD_W / 2) * this.view.k;
      this.view.y = box.height / 3 - p.y * this.view.k;
      this.applyView();
    }
  }

  /** A caller opened: its cards where the file keeps them (the rest laid out), fitted. */
  open(doc: Draft, state: GraphState): void {
    this.doc = doc;
    this.state = state;
    this.positions = autoLayout(doc);
    for (const [id, p] of keptPlaces(doc)) if (this.positions.has(id)) this.positions.set(id, p);
    this.draw();
    requestAnimationFrame(() => this.fit());
  }

  /** Puts a new card to the right of another (the one selected when it was added), below any card already there. */
  placeNear(id: string, nearId: string | null): void {
    const near = nearId ? this.positions.get(nearId) : undefined;
    const x = near ? near.x + CARD_W + GAP_X : Math.max(40, ...[...this.positions.values()].map((p) => p.x + CARD_W + GAP_X));
    let y = near ? near.y : 40;
    const nodeHeight = (nodeId: string) => {
      const node = this.doc?.nodes.find((n) => n.id === nodeId);
      return node ? cardHeight(rowsOf(node)) : 80;
    };
    const clash = () => [...this.positions.entries()].find(([other, q]) => other !== id && Math.abs(q.x - x) < CARD_W && y < q.y + nodeHeight(other) + GAP_Y && q.y < y + 120);
    for (let guard = 0; guard < 100; guard++) {
      const hit = clash();
      if (!hit) break;
      y = hit[1].y + nodeHeight(hit[0]) + GAP_Y;
    }
    this.positions.set(id, { x, y });
    this.draw();
  }

  update(doc: Draft, state: GraphState): void {
    this.doc = doc;
    this.state = state;
    const present = new Set(doc.nodes.map((n) => n.id));
    for (const id of [...this.positions.keys()]) if (!present.has(id)) this.positions.delete(id);
    // The file's places win (an undone move puts the card back).
    for (const [id, p] of keptPlaces(doc)) {
      const now = this.positions.get(id);
      if (present.has(id) && (!now || Math.round(now.x) !== p.x || Math.round(now.y) !== p.y)) this.positions.set(id, p);
    }
    // A card added since the last layout goes to the right of what leads to it, below what is there.
    const fresh = doc.nodes.filter((n) => !this.positions.has(n.id));
    if (fresh.length) {
      const laid = autoLayout(doc);
      for (const n of fresh) {
        const p = laid.get(n.id) ?? { x: 40, y: 40 };
        let y = p.y;
        const taken = () => [...this.positions.entries()].some(([id, q]) => id !== n.id && Math.abs(q.x - p.x) < CARD_W && Math.abs(q.y - y) < 80);
        for (let guard = 0; taken() && guard < 200; guard++) y += 60;
        this.positions.set(n.id, { x: p.x, y });
      }
    }
    this.draw();
  }

  private draw(): void {
    const doc = this.doc;
    const state = this.state;
    if (!doc || !state) return;
    const focusedId = (document.activeElement as Element | null)?.getAttribute?.('data-node-id') ?? null;
    this.viewport.replaceChildren();
    const edgeLayer = svg('g', { class: 'edges' });
    const cardLayer = svg('g', { class: 'cards' });
    this.viewport.append(edgeLayer, cardLayer);
    const rows = doc.nodes.map(rowsOf);
    const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
    const model = new Set(state.model);
    const played = new Set(state.played);
    const portAt = (i: number, port: number): Point | null => {
      const node = doc.nodes[i] as DraftNode;
      const p = this.positions.get(node.id);
      const r = rows[i] as Rows;
      const row = r.rows.findIndex((x) => x.port === port);
      if (!p || row < 0) return null;
      return { x: p.x + CARD_W, y: p.y + HEAD_H + PAD + r.body.length * TEXT_H + row * ROW_H + ROW_H / 2 };
    };
    for (const e of edgesOf(doc)) {
      const from = portAt(e.from, e.port);
      if (!from) continue;
      const target = index.get(e.to);
      const node = doc.nodes[e.from] as DraftNode;
      const choiceId = node.kind === 'decision' && e.port >= 0 ? node.choices[e.port]?.id : undefined;
      if (target === undefined) {
        edgeLayer.append(svg('path', { d: `M ${from.x} ${from.y} h 40`, class: 'edge missing', 'marker-end': 'url(#arrow-missing)' }));
        edgeLayer.append(svg('text', { x: from.x + 46, y: from.y + 4, class: 'edge-label missing' }, `? ${e.to}`));
        continue;
      }
      const to = this.positions.get(e.to) ?? { x: 0, y: 0 };
      const end = { x: to.x, y: to.y + HEAD_H / 2 };
      const back = end.x <= from.x;
      const bend = back ? 120 : Math.max(40, (end.x - from.x) / 2);
      const d = back
        ? `M ${from.x} ${from.y} C ${from.x + bend} ${from.y}, ${end.x - bend} ${end.y - 60}, ${end.x} ${end.y}`
        : `M ${from.x} ${from.y} C ${from.x + bend} ${from.y}, ${end.x - bend} ${end.y}, ${end.x} ${end.y}`;
      const isModel = choiceId !== undefined && model.has(choiceId);
      const isPlayed = choiceId !== undefined && played.has(choiceId);
      const cls = ['edge', isModel ? 'model' : '', isPlayed ? 'played' : '', e.port === -100 ? 'silence' : ''].filter(Boolean).join(' ');
      edgeLayer.append(svg('path', { d, class: cls, 'marker-end': `url(#${isModel ? 'arrow-model' : isPlayed ? 'arrow-played' : 'arrow'})` }));
    }
    doc.nodes.forEach((node, i) => {
      const p = this.positions.get(node.id) ?? { x: 0, y: 0 };
      const r = rows[i] as Rows;
      const h = cardHeight(r);
      const selected = state.selectedNode === i;
      const colour = node.kind === 'ending' ? OUTCOME_COLOURS[node.outcome as Outcome] ?? '#5b6878' : KIND_COLOURS[node.kind];
      const outcomeText = node.kind === 'ending' ? ` (${OUTCOMES[node.outcome as Outcome]?.passable ? '✓' : '✗'})` : '';
      const card = svg('g', { class: `card ${node.kind}${selected ? ' selected' : ''}`, transform: `translate(${p.x} ${p.y})`, tabindex: '0', role: 'button', 'data-node-index': i, 'data-node-id': node.id, 'aria-label': `${r.head}${outcomeText}: ${r.body.join(' ')}`, 'aria-pressed': String(selected) });
      card.append(svg('rect', { class: 'card-box', width: CARD_W, height: h, rx: 8, style: `stroke:${selected ? '#f0a83a' : colour}` }));
      card.append(svg('path', { class: 'card-head', d: `M 0 8 a 8 8 0 0 1 8 -8 h ${CARD_W - 16} a 8 8 0 0 1 8 8 v ${HEAD_H - 8} h ${-CARD_W} z`, style: `fill:${colour}` }));
      card.append(svg('text', { x: PAD, y: 18, class: 'card-title' }, clip(`${r.head}${outcomeText}`, CARD_W - 2 * PAD - 30, 13)));
      const problems = state.problems.get(i);
      if (problems && (problems.errors || problems.warnings)) {
        const badge = svg('g', { class: `badge ${problems.errors ? 'error' : 'warning'}`, transform: `translate(${CARD_W - 16} 13)` });
        badge.append(svg('circle', { r: 9 }), svg('text', { y: 4, 'text-anchor': 'middle' }, String(problems.errors || problems.warnings)));
        card.append(badge);
      }
      r.body.forEach((line, k) => card.append(svg('text', { x: PAD, y: HEAD_H + PAD + 13 + k * TEXT_H, class: 'card-text' }, line)));
      r.rows.forEach((row, k) => {
        const y = HEAD_H + PAD + r.body.length * TEXT_H + k * ROW_H;
        const choiceSelected = selected && row.choice !== null && row.choice === state.selectedChoice;
        const g = svg('g', { class: `row${choiceSelected ? ' selected' : ''}`, 'data-choice': row.choice ?? '' });
        g.append(svg('rect', { x: 2, y, width: CARD_W - 4, height: ROW_H - 2, rx: 4, class: 'row-box' }));
        g.append(svg('text', { x: PAD, y: y + 16, class: 'row-text' }, clip(row.label, CARD_W - 2 * PAD - 14, 12.5)));
        g.append(svg('circle', { cx: CARD_W, cy: y + ROW_H / 2, r: 7, class: 'port', 'data-port': row.port }));
        card.append(g);
      });
      if (doc.start === node.id) {
        card.append(svg('text', { x: -8, y: 18, class: 'start-tag', 'text-anchor': 'end' }, `▶ ${t('graph.start')}`));
      }
      card.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.events.select(i, null);
        }
      });
      cardLayer.append(card);
    });
    this.applyView();
    if (focusedId) (this.viewport.querySelector(`[data-node-id="${CSS.escape(focusedId)}"]`) as SVGGElement | null)?.focus();
  }

  private local(e: PointerEvent): Point {
    const box = this.root.getBoundingClientRect();
    return { x: (e.clientX - box.left - this.view.x) / this.view.k, y: (e.clientY - box.top - this.view.y) / this.view.k };
  }

  private pointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const target = e.target as Element;
    const card = target.closest('[data-node-index]');
    const start = { x: e.clientX, y: e.clientY };
    if (target.classList.contains('port') && card) {
      const node = Number(card.getAttribute('data-node-index'));
      const port = Number(target.getAttribute('data-port'));
      const line = svg('path', { class: 'edge connecting', 'marker-end': 'url(#arrow-played)' });
      this.viewport.append(line);
      this.drag = { kind: 'connect', start, origin: this.local(e), node, port, line };
    } else if (card) {
      const node = Number(card.getAttribute('data-node-index'));
      const id = card.getAttribute('data-node-id') ?? '';
      const p = this.positions.get(id) ?? { x: 0, y: 0 };
      this.drag = { kind: 'move', start, origin: { ...p }, node, id };
    } else {
      this.drag = { kind: 'pan', start, origin: { x: this.view.x, y: this.view.y } };
    }
    this.root.setPointerCapture(e.pointerId);
  }

  private pointerMove(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const dx = e.clientX - drag.start.x;
    const dy = e.clientY - drag.start.y;
    if (drag.kind === 'pan') {
      this.view.x = drag.origin.x + dx;
      this.view.y = drag.origin.y + dy;
      this.applyView();
    } else if (drag.kind === 'move' && drag.id && Math.hypot(dx, dy) > 4) {
      this.positions.set(drag.id, { x: drag.origin.x + dx / this.view.k, y: drag.origin.y + dy / this.view.k });
      const card = this.viewport.querySelector(`[data-node-id="${CSS.escape(drag.id)}"]`);
      const p = this.positions.get(drag.id) as Point;
      card?.setAttribute('transform', `translate(${p.x} ${p.y})`);
    } else if (drag.kind === 'connect' && drag.line) {
      const p = this.local(e);
      const from = this.portPoint(drag.node ?? 0, drag.port ?? 0) ?? drag.origin;
      drag.line.setAttribute('d', `M ${from.x} ${from.y} L ${p.x} ${p.y}`);
    }
  }

  private portPoint(node: number, port: number): Point | null {
    const circle = this.viewport.querySelector(`[data-node-index="${node}"] [data-port="${port}"]`);
    const id = this.doc?.nodes[node]?.id;
    const p = id ? this.positions.get(id) : undefined;
    if (!circle || !p) return null;
    return { x: p.x + Number(circle.getAttribute('cx')), y: p.y + Number(circle.getAttribute('cy')) };
  }

  private pointerUp(e: PointerEvent): void {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    const moved = Math.hypot(e.clientX - drag.start.x, e.clientY - drag.start.y) > 4;
    if (drag.kind === 'connect') {
      drag.line?.remove();
      const under = document.elementFromPoint(e.clientX, e.clientY)?.closest('[data-node-id]');
      const target = under?.getAttribute('data-node-id');
      if (target && drag.node !== undefined && drag.port !== undefined) this.events.connect(drag.node, drag.port, target);
      return;
    }
    if (moved) {
      if (drag.kind === 'move') {
        this.draw();
        this.events.placed?.(this.layout());
      }
      return;
    }
    // A click: select the card (and the option row clicked), or nothing on the background.
    const target = e.target as Element;
    const hit = document.elementFromPoint(e.clientX, e.clientY) ?? target;
    const card = hit.closest('[data-node-index]');
    if (!card) return this.events.select(null, null);
    const row = hit.closest('[data-choice]')?.getAttribute('data-choice');
    this.events.select(Number(card.getAttribute('data-node-index')), row ? Number(row) : null);
  }

  private cancelDrag(): void {
    this.drag?.line?.remove();
    this.drag = null;
  }
}
