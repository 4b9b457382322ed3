/**
 * The lead's cohort analytics (issue 15): pass rate per caller, the rules most often broken in
 * their words, flagged calls with their reasons, and for one caller the share of choices of each
 * option at each decision drawn on the call's graph. Every figure is a real table too (caption,
 * headers) with a CSV download; the graph's decisions are reached by keyboard.
 */
import type { AnalyticsAnswer, DecisionsAnswer } from '../server/routes/analytics';
import { NODE_H, NODE_W } from '../preview/graph-layout';
import { api, type Filter } from './api';
import { h, s, type Child } from './dom';
import { OUTCOME_WORDS, pick, type Lang, type T, type WordKey } from './i18n';
import { csvButton, dataTable, shareBar, type Column } from './tables';

export interface AnalyticsView {
  lang: Lang;
  t: T;
  cohortId: number;
  /** The caller filter of the page, if any. */
  scenario: string;
  /** The page's filter: cohort, caller and date range (local days as instants), which every view follows. */
  filter: Filter;
  callers: readonly { id: string; title: { en?: string; 'zh-CN'?: string } }[];
  openAttempt: (id: string) => void;
  selectTrainee: (id: number) => void;
  rerender: () => void;
}

/** The caller whose decisions are drawn; follows the page's caller filter when there is one. */
let graphCaller = '';

const percent = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
const seconds = (t: T, ms: number | null | undefined) => (ms === null || ms === undefined ? t('an.none') : t('an.seconds', { s: (ms / 1000).toFixed(1) }));
const when = (lang: Lang, iso: string) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });

function card(id: string, title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { class: 'card analytics', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children.flat());
}

function tools(...children: Child[]): HTMLElement {
  return h('div', { class: 'tools' }, ...children);
}

// Pass rate per caller

function callersCard(view: AnalyticsView, data: AnalyticsAnswer): HTMLElement {
  const { t, lang } = view;
  type Row = AnalyticsAnswer['callers'][number];
  const columns: Column<Row>[] = [
    { label: t('an.col.caller'), rowHeader: true, cell: (r) => pick(r.title, lang, r.id), csv: (r) => pick(r.title, lang, r.id) },
    {
      label: t('an.col.passRate'),
      cell: (r) => shareBar(r.passRate, percent(r.passRate), 'var(--pass)'),
      csv: (r) => Math.round(r.passRate * 1000) / 10,
    },
    { label: t('an.col.passedCalls'), numeric: true, cell: (r) => `${r.passed} / ${r.attempts}`, csv: (r) => r.passed },
    { label: t('an.col.calls'), numeric: true, cell: (r) => r.attempts, csv: (r) => r.attempts },
    { label: t('an.col.traineesPassed'), numeric: true, cell: (r) => `${r.traineesPassed} / ${r.trainees}`, csv: (r) => r.traineesPassed },
    { label: t('an.col.trainees'), numeric: true, cell: (r) => r.trainees, csv: (r) => r.trainees },
    { label: t('an.col.lengthMedian'), numeric: true, cell: (r) => seconds(t, r.duration?.median), csv: (r) => (r.duration ? r.duration.median / 1000 : null) },
    { label: t('an.col.lengthP90'), numeric: true, cell: (r) => seconds(t, r.duration?.p90), csv: (r) => (r.duration ? r.duration.p90 / 1000 : null) },
    { label: t('an.col.flagged'), numeric: true, cell: (r) => r.flagged, csv: (r) => r.flagged },
  ];
  return card(
    'pass-rates',
    t('an.callers.title'),
    h('p', { class: 'hint' }, t('an.callers.hint')),
    data.callers.length
      ? [h('div', { class: 'scroll' }, dataTable(t('an.callers.title'), columns, data.callers, 'figures pass-rates')), tools(csvButton(t('an.csv'), `cohort-${view.cohortId}-pass-rates.csv`, columns, () => data.callers))]
      : h('p', { class: 'hint' }, t('an.callers.none')),
  );
}

// The rules most often broken

function rulesCard(view: AnalyticsView, data: AnalyticsAnswer): HTMLElement {
  const { t, lang } = view;
  type Row = AnalyticsAnswer['rules'][number];
  const columns: Column<Row>[] = [
    {
      label: t('an.col.rule'),
      rowHeader: true,
      cell: (r) => [pick(r.text, lang, r.id), r.critical ? h('span', { class: 'badge critical' }, t('an.rules.critical')) : null],
      csv: (r) => pick(r.text, lang, r.id),
    },
    { label: t('an.col.share'), cell: (r) => shareBar(r.share, percent(r.share), r.critical ? 'var(--fail)' : '#e69f00'), csv: (r) => Math.round(r.share * 1000) / 10 },
    { label: t('an.col.broken'), numeric: true, cell: (r) => `${r.attempts} / ${data.analysed}`, csv: (r) => r.attempts },
    { label: t('an.col.trainees'), numeric: true, cell: (r) => r.trainees, csv: (r) => r.trainees },
  ];
  return card(
    'rules',
    t('an.rules.title'),
    h('p', { class: 'hint' }, t('an.rules.hint', { n: data.analysed })),
    data.rules.length
      ? [h('div', { class: 'scroll' }, dataTable(t('an.rules.title'), columns, data.rules, 'figures rules')), tools(csvButton(t('an.csv'), `cohort-${view.cohortId}-rules.csv`, columns, () => data.rules))]
      : h('p', { class: 'hint' }, t('an.rules.none')),
  );
}

// Flagged calls

type Flag = AnalyticsAnswer['flags']['latest'][number]['flags'][number];

/** The server words its reasons in English; the dashboard says them in the lead's language from their figures. */
export function flagReason(flag: Flag, lang: Lang, t: T): string {
  const r = flag.reason;
  let m: RegExpExecArray | null;
  switch (flag.kind) {
    case 'untimed':
      if ((m = /the device said it started (\S+)$/.exec(r))) return t('flag.why.untimed', { at: Number.isNaN(Date.parse(m[1]!)) ? m[1]! : when(lang, m[1]!) });
      break;
    case 'quicker-than-the-call':
      if ((m = /received it ([\d.]+) s after starting it, but the call itself lasts ([\d.]+) s/.exec(r))) return t('flag.why.quicker', { a: m[1]!, b: m[2]! });
      break;
    case 'too-fast':
      if ((m = /^(\d+) of (\d+) choices faster than the options can be read \((.*)\)$/.exec(r))) {
        const steps = [...m[3]!.matchAll(/step (\d+): (\d+) ms, reading takes at least (\d+) ms/g)].map((x) => t('flag.why.step', { step: x[1]!, ms: x[2]!, floor: x[3]! }));
        return t('flag.why.tooFast', { n: m[1]!, m: m[2]!, steps: `${steps.join(lang === 'en' ? '; ' : '；')}${m[3]!.endsWith('…') ? '…' : ''}` });
      }
      break;
    case 'replayed':
      if ((m = /as attempt \S+ by (.+) received (.+)$/.exec(r))) return t('flag.why.replayed', { name: m[1]!, at: m[2]! });
      break;
    case 'same-choices':
      if ((m = /as attempt \S+ by (.+)$/.exec(r))) return t('flag.why.sameChoices', { name: m[1]! });
      break;
  }
  return r;
}

const flagName = (t: T, kind: string) => (['untimed', 'quicker-than-the-call', 'too-fast', 'replayed', 'same-choices'].includes(kind) ? t(`flag.${kind}` as WordKey) : kind);

function flagsCard(view: AnalyticsView, data: AnalyticsAnswer): HTMLElement {
  const { t, lang } = view;
  const titles = new Map(view.callers.map((c) => [c.id, pick(c.title, lang, c.id)]));
  type Row = AnalyticsAnswer['flags']['latest'][number];
  const reasons = (r: Row) => r.flags.map((f) => `${flagName(t, f.kind)}${lang === 'en' ? ': ' : '：'}${flagReason(f, lang, t)}`);
  const columns: Column<Row>[] = [
    {
      label: t('an.col.trainee'),
      rowHeader: true,
      cell: (r) => h('button', { type: 'button', class: 'link', onclick: () => view.selectTrainee(r.traineeId) }, r.traineeName),
      csv: (r) => r.traineeName,
    },
    {
      label: t('an.col.reasons'),
      cell: (r) => h('ul', { class: 'reasons' }, ...r.flags.map((f) => h('li', { 'data-kind': f.kind }, h('strong', {}, flagName(t, f.kind)), lang === 'en' ? ': ' : '：', flagReason(f, lang, t)))),
      csv: (r) => reasons(r).join('\n'),
    },
    { label: t('an.col.caller'), cell: (r) => titles.get(r.scenarioId) ?? r.scenarioId, csv: (r) => titles.get(r.scenarioId) ?? r.scenarioId },
    { label: t('an.col.when'), cell: (r) => when(lang, r.startedAt), csv: (r) => r.startedAt },
    { label: t('an.col.open'), cell: (r) => h('button', { type: 'button', class: 'link', onclick: () => view.openAttempt(r.id) }, t('transcript')), csv: (r) => r.id },
  ];
  const counts = data.flags.counts;
  return card(
    'flags',
    t('an.flags.title'),
    counts.length
      ? [
          h('ul', { class: 'flag-counts' }, ...counts.map((c) => h('li', { 'data-kind': c.kind }, t('an.flags.count', { kind: flagName(t, c.kind), n: c.attempts })))),
          h('p', { class: 'hint' }, t('an.flags.hint', { n: data.flags.latest.length })),
          h('div', { class: 'scroll' }, dataTable(t('an.flags.title'), columns, data.flags.latest, 'figures flagged')),
          tools(csvButton(t('an.csv'), `cohort-${view.cohortId}-flagged.csv`, columns, () => data.flags.latest)),
        ]
      : h('p', { class: 'hint' }, t('an.flags.none')),
  );
}

// Decisions on the caller's graph

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** How much wider than the preview's layout the graph is drawn. */
const SPREAD = 1.4;
const clip = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);

function graphView(view: AnalyticsView, data: DecisionsAnswer): SVGSVGElement {
  const { t, lang } = view;
  const byId = new Map(data.graph.nodes.map((n) => [n.id, n]));
  const decisions = new Map(data.decisions.map((d) => [d.nodeId, d]));
  const critical = new Set(data.critical);
  // The preview's layout, spread wider so that each option's share fits under its decision.
  const X = (x: number) => x * SPREAD;
  const W = NODE_W * SPREAD - 16;
  const width = data.graph.width * SPREAD;
  const svg = s('svg', { viewBox: `0 0 ${width} ${data.graph.height}`, width, height: data.graph.height, class: 'decision-graph', role: 'group', 'aria-label': t('an.dec.graph') });
  const edges = s('g', { class: 'edges', 'aria-hidden': 'true' });
  const labels = s('g', { class: 'edge-labels', 'aria-hidden': 'true' });
  svg.append(edges, labels);
  // Edges from a decision start side by side along its lower edge, in the order of its options.
  const outgoing = new Map<string, typeof data.graph.edges>();
  for (const e of data.graph.edges) outgoing.set(e.from, [...(outgoing.get(e.from) ?? []), e]);
  for (const [from, list] of outgoing) {
    const a = byId.get(from);
    if (!a) continue;
    const decision = decisions.get(from);
    list.forEach((e, i) => {
      const b = byId.get(e.to);
      if (!b) return;
      const x1 = X(a.x) + ((i + 0.5) * W) / list.length;
      const y1 = a.y + NODE_H;
      const x2 = X(b.x) + W / 2 + (i - (list.length - 1) / 2) * 4;
      // Down to the next rows; along the same row, a dip below it; back up (a loop), round the right.
      const y2 = b.y > a.y ? b.y : b.y + NODE_H;
      const bend = Math.max(24, (y2 - y1) / 2);
      const d =
        b.y > a.y
          ? `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`
          : b.y === a.y
            ? `M${x1},${y1} C${x1},${y1 + 45} ${x2},${y2 + 45} ${x2},${y2}`
            : `M${x1},${y1} C${x1 + 90},${y1 + 50} ${x2 + 90},${y2 + 50} ${x2},${y2}`;
      const option = e.choiceId ? decision?.options.find((o) => o.choiceId === e.choiceId) : undefined;
      if (!option) {
        edges.append(s('path', { d, class: e.silence ? 'edge silence' : 'edge plain' }));
        return;
      }
      const breaksCritical = option.breaks.some((id) => critical.has(id));
      const cls = option.model ? 'model' : breaksCritical ? 'critical' : 'other';
      const width = option.chosen ? 1.5 + option.share * 12 : 1;
      edges.append(s('path', { d, class: `edge option ${cls}${option.chosen ? '' : ' unchosen'}`, 'stroke-width': width.toFixed(1), 'data-choice': option.choiceId }));
      const letter = LETTERS[decision!.options.indexOf(option)] ?? '?';
      const label = list.length > 6 ? percent(option.share) : `${letter} ${percent(option.share)}`;
      labels.append(s('text', { x: x1, y: y1 + 12, 'text-anchor': 'middle', class: `share ${cls}${list.length > 4 ? ' small' : ''}`, 'data-choice': option.choiceId }, label));
    });
  }
  for (const node of data.graph.nodes) {
    const g = s('g', { class: `node ${node.kind}` });
    const text = pick(node.text, lang, '');
    g.append(s('rect', { x: X(node.x), y: node.y, width: W, height: NODE_H, rx: node.kind === 'decision' ? 6 : 14 }));
    if (node.kind === 'decision') {
      const decision = decisions.get(node.id);
      const name = t('an.dec.decision', { n: node.number ?? 0 });
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', t('an.dec.go', { decision: `${name}${decision ? `, ${t('an.dec.summary', { answered: decision.answered, trainees: decision.trainees })}` : ''}` }));
      g.setAttribute('data-node', node.id);
      g.append(s('text', { x: X(node.x) + 8, y: node.y + 16, class: 'node-name' }, name));
      g.append(s('text', { x: X(node.x) + 8, y: node.y + 32, class: 'node-text' }, clip(text, lang === 'en' ? 30 : 15)));
      const go = () => {
        const target = document.getElementById(`decision-${node.id}`);
        target?.scrollIntoView({ behavior: 'smooth', block: 'center' });
        target?.focus({ preventScroll: true });
      };
      g.addEventListener('click', go);
      g.addEventListener('keydown', (event) => {
        const key = (event as KeyboardEvent).key;
        if (key === 'Enter' || key === ' ') {
          event.preventDefault();
          go();
        }
      });
    } else if (node.kind === 'ending') {
      g.classList.add(node.outcome === 'resolved' || node.outcome === 'escalated' ? 'good' : 'bad');
      g.append(s('text', { x: X(node.x) + W / 2, y: node.y + 16, 'text-anchor': 'middle', class: 'node-name' }, pick(OUTCOME_WORDS[node.outcome ?? ''], lang, node.outcome ?? '')));
      g.append(s('text', { x: X(node.x) + W / 2, y: node.y + 32, 'text-anchor': 'middle', class: 'node-text' }, clip(text, lang === 'en' ? 30 : 15)));
    } else {
      g.append(s('text', { x: X(node.x) + W / 2, y: node.y + 25, 'text-anchor': 'middle', class: 'node-text' }, clip(text, lang === 'en' ? 30 : 15)));
    }
    if (text) g.append(s('title', {}, text));
    svg.append(g);
  }
  return svg;
}

interface OptionRow {
  decision: DecisionsAnswer['decisions'][number];
  option: DecisionsAnswer['decisions'][number]['options'][number];
  letter: string;
}

function decisionsTable(view: AnalyticsView, data: DecisionsAnswer, caller: string): { table: HTMLTableElement; columns: Column<OptionRow>[]; rows: OptionRow[] } {
  const { t, lang } = view;
  const ruleText = (id: string) => pick(data.rules[id], lang, id);
  const columns: Column<OptionRow>[] = [
    { label: t('an.col.decision'), cell: (r) => t('an.dec.decision', { n: r.decision.number }), csv: (r) => r.decision.number },
    {
      label: t('an.col.option'),
      rowHeader: true,
      cell: (r) => [
        h('span', { class: 'letter' }, r.letter),
        ' ',
        r.option.kind === 'retired' ? `${r.option.choiceId} (${t('an.dec.retired')})` : pick(r.option.text, lang, r.option.choiceId),
        r.option.model ? h('span', { class: 'badge model' }, t('an.dec.model')) : null,
        r.option.breaks.length ? h('span', { class: 'breaks' }, t('an.dec.breaks', { rules: r.option.breaks.map(ruleText).join(lang === 'en' ? '; ' : '；') })) : null,
      ],
      csv: (r) => (r.option.kind === 'retired' ? r.option.choiceId : pick(r.option.text, lang, r.option.choiceId)),
    },
    { label: t('an.col.chosen'), numeric: true, cell: (r) => r.option.chosen, csv: (r) => r.option.chosen },
    { label: t('an.col.shareChosen'), cell: (r) => shareBar(r.option.share, percent(r.option.share), r.option.model ? 'var(--pass)' : r.option.breaks.some((id) => data.critical.includes(id)) ? 'var(--fail)' : '#5f6f7f'), csv: (r) => Math.round(r.option.share * 1000) / 10 },
    { label: t('an.col.traineesChose'), numeric: true, cell: (r) => `${r.option.trainees} / ${r.decision.trainees}`, csv: (r) => r.option.trainees },
  ];
  const extra: Column<OptionRow>[] = [
    { label: t('an.col.medianReply'), cell: () => '', csv: (r) => (r.decision.time ? r.decision.time.median / 1000 : null) },
    { label: t('an.col.p90Reply'), cell: () => '', csv: (r) => (r.decision.time ? r.decision.time.p90 / 1000 : null) },
  ];
  const rows: OptionRow[] = data.decisions.flatMap((decision) => decision.options.map((option, i) => ({ decision, option, letter: LETTERS[i] ?? '?' })));
  const shown = columns.slice(1);
  const table = h(
    'table',
    { class: 'figures decisions' },
    h('caption', {}, t('an.dec.caption', { caller })),
    h('thead', {}, h('tr', {}, ...shown.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
    ...data.decisions.map((decision) =>
      h(
        'tbody',
        { 'data-node': decision.nodeId },
        h(
          'tr',
          { class: 'decision-head' },
          h(
            'th',
            { scope: 'rowgroup', colspan: shown.length, id: `decision-${decision.nodeId}`, tabindex: -1 },
            h('strong', {}, t('an.dec.decision', { n: decision.number })),
            decision.text ? ` · ${pick(decision.text, lang)}` : '',
            h(
              'span',
              { class: 'decision-meta' },
              t('an.dec.summary', { answered: decision.answered, trainees: decision.trainees }),
              decision.time ? `${lang === 'en' ? '; ' : '；'}${t('an.dec.time', { median: seconds(t, decision.time.median), p90: seconds(t, decision.time.p90) })}` : '',
            ),
          ),
        ),
        ...rows
          .filter((r) => r.decision === decision)
          .map((r) =>
            h(
              'tr',
              { class: r.option.model ? 'model' : null, 'data-choice': r.option.choiceId },
              ...shown.map((c) => {
                const content = c.cell(r);
                const children = Array.isArray(content) ? content : [content];
                // data-label: on a phone the table stacks and each figure says its column (dashboard.css).
                return c.rowHeader ? h('th', { scope: 'row' }, ...children) : h('td', { class: c.numeric ? 'num' : null, 'data-label': c.label }, ...children);
              }),
            ),
          ),
      ),
    ),
  );
  return { table, columns: [...columns, ...extra], rows };
}

/** Once on the page, a graph wider than its box scrolls to the first decision (the start may sit far right). */
function centredOnFirstDecision(box: HTMLElement): HTMLElement {
  let tries = 0;
  const centre = () => {
    if (!box.isConnected) {
      if (tries++ < 60) requestAnimationFrame(centre);
      return;
    }
    const first = box.querySelector<SVGGElement>('g.node.decision');
    if (!first || box.scrollWidth <= box.clientWidth) return;
    const rect = first.getBoundingClientRect();
    const outer = box.getBoundingClientRect();
    box.scrollLeft += rect.left + rect.width / 2 - (outer.left + outer.width / 2);
  };
  requestAnimationFrame(centre);
  return box;
}

async function decisionsCard(view: AnalyticsView, data: AnalyticsAnswer): Promise<HTMLElement> {
  const { t, lang } = view;
  if (view.scenario) graphCaller = view.scenario;
  // At first, the caller the cohort has played most.
  const most = [...data.callers].sort((a, b) => b.attempts - a.attempts)[0]?.id;
  if (!view.callers.some((c) => c.id === graphCaller)) graphCaller = most ?? view.callers[0]?.id ?? '';
  const select = h(
    'select',
    { id: 'decisions-caller', 'aria-label': t('an.dec.pick') },
    ...view.callers.map((c) => h('option', { value: c.id, selected: c.id === graphCaller }, pick(c.title, lang, c.id))),
  );
  select.addEventListener('change', () => {
    graphCaller = select.value;
    view.rerender();
  });
  const head = h('div', { class: 'tools' }, h('label', {}, t('an.dec.pick'), select));
  if (!graphCaller) return card('decisions', t('an.dec.title'), head);
  const decisions = await api.decisions({ ...view.filter, scenario: graphCaller });
  const caller = pick(decisions.scenario.title, lang, decisions.scenario.id);
  const played = decisions.decisions.some((d) => d.answered > 0);
  if (!played) return card('decisions', t('an.dec.title'), head, h('p', { class: 'hint' }, t('an.dec.none')));
  const { table, columns, rows } = decisionsTable(view, decisions, caller);
  return card(
    'decisions',
    t('an.dec.title'),
    head,
    h('p', { class: 'hint' }, t('an.dec.hint')),
    centredOnFirstDecision(h('div', { class: 'scroll graph-scroll' }, graphView(view, decisions))),
    h('div', { class: 'scroll' }, table),
    tools(csvButton(t('an.csv'), `cohort-${view.cohortId}-${decisions.scenario.id}-decisions.csv`, columns, () => rows)),
  );
}

/**
 * The range the server says it covered, in the lead's calendar days: `to` is the instant after the
 * last day (midnight), so the last day shown is the one before it.
 */
export function rangeWords(view: Pick<AnalyticsView, 't' | 'lang'>, range: AnalyticsAnswer['range']): string {
  const { t, lang } = view;
  const day = (iso: string) => new Date(iso).toLocaleDateString(lang, { dateStyle: 'medium' });
  if (!range.from && !range.to) return t('an.range.all');
  if (range.from && range.to) return t('an.range.between', { from: day(range.from), to: day(new Date(Date.parse(range.to) - 1).toISOString()) });
  if (range.from) return t('an.range.since', { from: day(range.from) });
  return t('an.range.until', { to: day(new Date(Date.parse(range.to!) - 1).toISOString()) });
}

/** The analytics cards, in the order a lead reads them. */
export async function analyticsSections(view: AnalyticsView): Promise<HTMLElement> {
  const data = await api.analytics(view.filter);
  const { t } = view;
  return h(
    'div',
    { class: 'analytics-group' },
    h('h2', { class: 'group-title' }, t('an.title')),
    h('p', { class: 'range', id: 'analytics-range' }, rangeWords(view, data.range)),
    callersCard(view, data),
    rulesCard(view, data),
    flagsCard(view, data),
    await decisionsCard(view, data),
  );
}
