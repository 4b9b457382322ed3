/**
 * The trainer studio (/studio.html): open a caller (the server's list, a local file, or the
 * template), edit it on a graph and in a form in both languages, see the checker and the audit as
 * it changes, play it in the real desk from any card, simulate it, and save or publish it. The file
 * stays the one scenario format, written in one stable layout.
 */
import { checkScenario, planFromResult, type AttemptStep, type Diagnostic, type Language } from '../engine/index';
import { scenarioText } from '../engine/format/layout';
import { newScenarioTemplate } from '../cli/template';
import { defaultRulebook } from '../engine/rulebook-data';
import { outcomeLabel } from '../game/i18n';
import { el } from '../preview/dom';
import type { FinishedPlay } from '../preview/main';
import { diagnosticText, severityLabel } from '../shared/diagnostic-text';
import type { ListedCaller, VoiceStatus } from '../shared/studio-contract';
import { Checker, type CheckView } from './checking';
import { History, type Draft } from './doc';
import { showDebrief } from './debrief';
import { button } from './fields';
import { addNode, renderForm, type FormContext } from './form';
import { GraphView } from './graph';
import { language, pick, setLanguage, t } from './i18n';
import { findStore, SaveError, type Store } from './store';

const WORK_KEY = 'htl.studio.work';
const rulebook = defaultRulebook();

interface Selection {
  node: number | null;
  choice: number | null;
}

const state = {
  store: null as Store | null,
  callers: [] as ListedCaller[],
  history: null as History | null,
  selection: { node: null, choice: null } as Selection,
  /** The text as last opened or saved: the page has unsaved changes while the document differs. */
  savedText: '',
  lastPlay: null as FinishedPlay | null,
  check: { diagnostics: [], complete: true, model: null, randomPass: null } as CheckView,
  /** The voices of the open caller's lines, as the server that saved it last said. */
  voices: null as { id: string; status: VoiceStatus | null } | null,
  simulation: '',
};

const root = document.getElementById('studio') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const announce = (text: string) => {
  live.textContent = '';
  live.textContent = text;
};

const parts = {
  header: el('header', { class: 'bar' }),
  graphBar: el('div', { class: 'graph-bar', role: 'toolbar' }),
  form: el('div', { class: 'side', id: 'form', tabindex: '-1' }),
  checks: el('section', { class: 'checks', id: 'checks', 'aria-live': 'off' }),
  play: el('section', { class: 'play', id: 'play' }),
  empty: el('div', { class: 'empty' }),
  status: el('span', { class: 'save-status', role: 'status' }),
  voices: el('span', { class: 'voice-status', id: 'voice-status', role: 'status' }),
};

const checker = new Checker((view) => {
  state.check = view;
  renderChecks();
  graphUpdate();
});

const graph = new GraphView({
  select: (node, choice) => select(node, choice),
  connect: (node, port, target) => connect(node, port, target),
  // Where the trainer put the cards is kept in the file (`layout`), one undo step per move.
  placed: (layout) => {
    if (state.history && JSON.stringify(layout) !== JSON.stringify(doc().layout ?? null)) state.history.edit(null, (d) => (d.layout = layout));
  },
});

function doc(): Draft {
  return (state.history as History).doc;
}

const formContext: FormContext = {
  doc,
  rulebook,
  edit: (key, change, structural = false) => {
    state.history?.edit(key, change);
    if (structural) renderSide();
  },
  select: (node, choice) => select(node, choice),
  playFrom: (id) => void play(id),
  say: announce,
};

function changed(how: 'edit' | 'history') {
  if (how === 'history') {
    clampSelection();
    renderSide(true);
  }
  checker.changed(doc());
  graphUpdate();
  renderBar();
  rememberWork();
}

let workTimer: ReturnType<typeof setTimeout> | null = null;
/** The working copy survives a closed tab or a crash: kept in the browser until saved. */
function rememberWork() {
  if (workTimer) clearTimeout(workTimer);
  workTimer = setTimeout(() => {
    try {
      const text = scenarioText(doc());
      if (text === state.savedText) localStorage.removeItem(WORK_KEY);
      else localStorage.setItem(WORK_KEY, JSON.stringify({ saved: state.savedText, text }));
    } catch {
      // storage full or off: the page still works
    }
  }, 500);
}

function clampSelection() {
  const { node, choice } = state.selection;
  const n = node === null ? undefined : doc().nodes[node];
  if (!n) state.selection = { node: null, choice: null };
  else if (choice !== null && (n.kind !== 'decision' || choice >= n.choices.length)) state.selection = { node, choice: null };
}

function select(node: number | null, choice: number | null) {
  state.selection = { node, choice };
  clampSelection();
  renderSide();
  graphUpdate();
}

function connect(node: number, port: number, target: string) {
  const from = doc().nodes[node];
  if (!from) return;
  state.history?.edit(null, (d) => {
    const n = d.nodes[node];
    if (!n) return;
    if (n.kind === 'decision') {
      if (port >= 0 && n.choices[port]) n.choices[port].next = target;
      else if (port === -100) n.silenceNext = target;
    } else if (n.kind === 'caller') {
      if (port === -1) n.next = target;
      else if (port <= -2 && n.branches?.[-2 - port]) (n.branches[-2 - port] as { next: string }).next = target;
    }
  });
  const label = from.kind === 'decision' && port >= 0 ? (from.choices[port]?.id ?? from.id) : from.id;
  announce(t('graph.connected', { from: label, to: target }));
  select(node, from.kind === 'decision' && port >= 0 ? port : null);
}

// ---- the parts of the page -------------------------------------------------------------------

function renderBar() {
  const header = parts.header;
  const history = state.history;
  const langSelect = el('select', { id: 'language', 'aria-label': t('lang.label') }, el('option', { value: 'zh-CN' }, '中文'), el('option', { value: 'en' }, 'English'));
  langSelect.value = language();
  langSelect.addEventListener('change', () => {
    setLanguage(langSelect.value === 'en' ? 'en' : 'zh-CN');
    renderAll();
  });
  const open = el('select', { id: 'open-caller', 'aria-label': t('open.server') }, el('option', { value: '' }, state.store?.kind === 'download' ? t('open.serverNone') : t('open.server')));
  for (const c of state.callers) open.append(el('option', { value: c.id }, `${pick(c.title) || c.id} (${c.id})${c.status === 'draft' ? ` · ${t('status.draft').split(/[:：]/)[0]}` : ''}`));
  open.disabled = state.callers.length === 0;
  open.addEventListener('change', () => {
    const id = open.value;
    open.value = '';
    if (id) void openFromStore(id);
  });
  const file = el('input', { type: 'file', id: 'open-file', accept: '.json,application/json', class: 'visually-hidden', tabindex: '-1' });
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void f.text().then((text) => openText(text, f.name, false));
    file.value = '';
  });
  const fileButton = button(t('open.file'), () => file.click(), { class: 'secondary', id: 'open-file-button' });
  const fresh = button(t('open.new'), () => newCaller(), { class: 'secondary', id: 'new-caller' });
  const title = el('h1', {}, t('app.title'));
  header.replaceChildren(title, el('div', { class: 'row' }, open, fileButton, file, fresh));
  if (history) {
    const d = doc();
    const undo = button(`↶ ${t('undo')}`, () => history.undo(), { id: 'undo', class: 'secondary', title: 'Ctrl+Z' });
    const redo = button(`↷ ${t('redo')}`, () => history.redo(), { id: 'redo', class: 'secondary', title: 'Ctrl+Shift+Z' });
    undo.disabled = !history.canUndo;
    redo.disabled = !history.canRedo;
    const isDraft = d.status === 'draft';
    const saveButton = button(state.store?.kind === 'download' ? `⤓ ${t('save.download')}` : t('save'), () => void save(false), { id: 'save', title: 'Ctrl+S' });
    const publishButton = button(t('publish'), () => void save(true), { id: 'publish', class: 'publish' });
    publishButton.disabled = !isDraft;
    const badge = el('span', { class: `status-badge ${isDraft ? 'draft' : 'published'}`, id: 'caller-status' }, isDraft ? t('status.draft') : t('status.published'));
    const dirty = scenarioText(d) !== state.savedText;
    parts.status.textContent = dirty ? `● ${t('unsaved')}` : parts.status.textContent === `● ${t('unsaved')}` ? '' : parts.status.textContent;
    header.append(el('div', { class: 'row' }, undo, redo), el('div', { class: 'row grow' }, el('strong', { class: 'caller-name' }, `${pick(d.title) || d.id}`), badge, parts.status, parts.voices), el('div', { class: 'row' }, saveButton, publishButton));
  }
  header.append(el('div', { class: 'row' }, langSelect));
  renderVoices();
}

// ---- voices made on save -------------------------------------------------------------------------

function voiceText(v: VoiceStatus | null): string {
  if (state.store?.kind === 'download') return t('voices.download', { command: 'npm run assets:audio' });
  if (!v) return '';
  switch (v.state) {
    case 'off':
      return v.missing.length ? t('voices.offMissing', { missing: v.missing.join(', ') }) : t('voices.off');
    case 'idle':
      return t('voices.idle');
    case 'queued':
      return t('voices.queued');
    case 'making':
      return v.total > 0 ? t('voices.making', { done: v.done, total: v.total }) : t('voices.starting');
    case 'ready':
      return t('voices.ready');
    case 'failed':
      return t('voices.failed', { reason: v.error });
  }
}

function renderVoices() {
  const v = state.history && state.voices?.id === doc().id ? state.voices.status : null;
  parts.voices.textContent = state.history ? voiceText(v) : '';
  parts.voices.dataset.state = v?.state ?? (state.store?.kind === 'download' ? 'download' : '');
  parts.voices.title = parts.voices.textContent;
}

let voiceTimer: ReturnType<typeof setTimeout> | null = null;
/** Shows how the open caller's voices are coming on, asking the server again while they are being made. */
function watchVoices(id: string, status: VoiceStatus | null | undefined) {
  if (voiceTimer) clearTimeout(voiceTimer);
  voiceTimer = null;
  const before = state.voices?.id === id ? state.voices.status?.state : undefined;
  state.voices = { id, status: status ?? null };
  renderVoices();
  if (status && status.state !== before && (status.state === 'ready' || status.state === 'failed' || status.state === 'off')) announce(voiceText(status));
  if (status?.state !== 'queued' && status?.state !== 'making') return;
  voiceTimer = setTimeout(() => {
    const store = state.store;
    if (!store || !state.history || doc().id !== id) return;
    void store.voices(id).then(
      (next) => watchVoices(id, next),
      () => watchVoices(id, status),
    );
  }, 1000);
}

async function askVoices(id: string) {
  const status = await state.store?.voices(id).catch(() => null);
  if (state.history && doc().id === id) watchVoices(id, status ?? null);
}

function renderGraphBar() {
  const add = (kind: 'decision' | 'caller' | 'ending', key: 'graph.addDecision' | 'graph.addCaller' | 'graph.addEnding') =>
    button(t(key), () => {
      let index = -1;
      const near = state.selection.node === null ? null : (doc().nodes[state.selection.node]?.id ?? null);
      state.history?.edit(null, (d) => {
        index = addNode(d, kind);
      });
      graph.update(doc(), graphState());
      graph.placeNear(doc().nodes[index]?.id ?? '', near);
      select(index, null);
      graph.reveal(index);
      (parts.form.querySelector('textarea, input:not([type=radio])') as HTMLElement | null)?.focus();
    }, { class: 'secondary', 'data-action': `add-${kind}` });
  const legend = el('span', { class: 'legend' }, el('span', { class: 'swatch model' }), t('graph.model'), el('span', { class: 'swatch played' }), t('graph.played'));
  parts.graphBar.replaceChildren(
    add('decision', 'graph.addDecision'),
    add('caller', 'graph.addCaller'),
    add('ending', 'graph.addEnding'),
    button(t('graph.layout'), () => graph.tidy(), { class: 'secondary', id: 'tidy' }),
    button('−', () => graph.zoom(1 / 1.2), { class: 'secondary icon', 'aria-label': t('graph.zoomOut') }),
    button('+', () => graph.zoom(1.2), { class: 'secondary icon', 'aria-label': t('graph.zoomIn') }),
    button(t('graph.fit'), () => graph.fit(), { class: 'secondary' }),
    legend,
  );
  graph.element.setAttribute('aria-label', `${t('graph.label')}. ${t('graph.help')}`);
  graph.element.querySelector('svg')?.setAttribute('aria-label', `${t('graph.label')}. ${t('graph.help')}`);
}

function renderSide(keepFocus = false) {
  if (!state.history) return;
  const focused = keepFocus ? (document.activeElement as HTMLElement | null)?.getAttribute('data-path') : null;
  const scroll = parts.form.scrollTop;
  renderForm(parts.form, formContext, state.selection.node, state.selection.choice);
  if (focused) {
    (parts.form.querySelector(`[data-path="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
    parts.form.scrollTop = scroll;
  }
}

/** Per card: how many errors and warnings point into it. */
function problemsByNode(diagnostics: readonly Diagnostic[]) {
  const out = new Map<number, { errors: number; warnings: number }>();
  for (const d of diagnostics) {
    const m = /^\$\.nodes\[(\d+)\]/.exec(d.path);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = out.get(i) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') entry.errors++;
    else entry.warnings++;
    out.set(i, entry);
  }
  return out;
}

let graphFrame = 0;
function graphUpdate() {
  if (!state.history || graphFrame) return;
  graphFrame = requestAnimationFrame(() => {
    graphFrame = 0;
    if (!state.history) return;
    graph.update(doc(), graphState());
  });
}

function graphState() {
  const played = state.lastPlay ? state.lastPlay.steps.flatMap((s) => (s.type === 'choose' ? [s.choiceId] : [])) : [];
  return { selectedNode: state.selection.node, selectedChoice: state.selection.choice, model: state.check.model?.choices ?? [], played, problems: problemsByNode(state.check.diagnostics) };
}

function renderChecks() {
  const view = state.check;
  const errors = view.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = view.diagnostics.length - errors;
  const heading = el('h2', { id: 'checks-heading' }, `${t('check.title')}: ${t('check.counts', { errors, warnings })}`, view.complete ? null : el('span', { class: 'hint' }, ` · ${t('check.running')}`));
  const list = el('ul', { class: 'diagnostics', 'aria-labelledby': 'checks-heading' });
  for (const d of view.diagnostics) {
    const text = diagnosticText(d, language());
    const item = button('', () => reveal(d), { class: `diagnostic ${d.severity}`, 'data-code': d.code, 'data-path': d.path });
    item.append(
      el('span', { class: 'severity' }, severityLabel(d.severity, language())),
      el('span', { class: 'code' }, d.code),
      el('span', { class: 'message' }, text.message, text.detail ? el('span', { class: 'detail' }, ` (${text.detail})`) : null),
      el('span', { class: 'hint' }, `${t('check.hint')} ${text.hint}`),
    );
    list.append(el('li', {}, item));
  }
  const audit = el('div', { class: 'audit' }, el('h3', {}, t('audit.title')));
  if (view.randomPass) audit.append(el('p', { id: 'random-pass' }, t('audit.random', { percent: `${(view.randomPass.rate * 100).toFixed(1)}%`, plays: view.randomPass.plays })));
  if (view.model) audit.append(el('p', { class: 'model-path' }, el('span', { class: 'swatch model' }), t('audit.model', { path: `${view.model.choices.join(' → ')} (${outcomeLabel(language(), view.model.outcome as never)})` })));
  parts.checks.replaceChildren(heading, view.diagnostics.length ? list : el('p', { class: 'ok' }, view.complete ? t('check.ok') : t('check.running')), audit);
  renderPlay();
}

function renderPlay() {
  if (!state.history) return;
  const d = doc();
  const startAt = el('select', { id: 'play-start', 'aria-label': t('play.from') });
  for (const n of d.nodes) if (n.kind !== 'ending') startAt.append(el('option', { value: n.id }, n.id === d.start ? `${n.id} (${t('graph.start')})` : n.id));
  startAt.value = d.start;
  const errors = state.check.diagnostics.some((x) => x.severity === 'error');
  const playButton = button(`▶ ${t('play.button')}`, () => void play(startAt.value), { id: 'play-button' });
  const simButton = button(t('simulate.button'), () => void simulateNow(simButton), { id: 'simulate-button', class: 'secondary' });
  playButton.disabled = errors;
  simButton.disabled = errors;
  parts.play.replaceChildren(el('h2', {}, t('play.title')), el('div', { class: 'row' }, el('label', { for: 'play-start' }, t('play.from')), startAt), el('div', { class: 'row' }, playButton, simButton));
  if (errors) parts.play.append(el('p', { class: 'hint' }, t('play.cannot')));
  if (state.simulation) parts.play.append(el('p', { id: 'simulation-result' }, state.simulation));
  const p = state.lastPlay;
  if (p) {
    const verdict = p.result.passed ? t('play.passed') : t('play.failed');
    parts.play.append(el('p', { id: 'last-play' }, el('span', { class: 'swatch played' }), t('play.result', { start: p.startAt, outcome: outcomeLabel(language(), p.result.outcome), total: p.result.total, verdict })));
    const row = el('div', { class: 'row' }, button(t('debrief.open'), () => debrief(p), { id: 'open-debrief', class: 'secondary' }));
    if (p.startAt === d.start) row.append(button(t('play.savePlan'), () => void savePlan(p), { id: 'save-plan', class: 'secondary' }));
    parts.play.append(row);
  }
}

function renderEmpty() {
  parts.empty.replaceChildren(el('h2', {}, t('empty.title')), el('p', {}, t('empty.body')), el('div', { class: 'row' }, button(t('open.new'), () => newCaller(), { id: 'empty-new' })));
  if (state.store) parts.empty.append(el('p', { class: 'hint', id: 'store-kind' }, t(`store.${state.store.kind}`)));
}

function renderAll() {
  document.title = `${t('app.title')} · Hold the Line`;
  renderBar();
  renderGraphBar();
  if (!state.history) {
    renderEmpty();
    return;
  }
  renderSide();
  renderChecks();
  graphUpdate();
}

/** A diagnostic clicked: select the card (and option) at fault, and focus the field it names. */
function reveal(d: Diagnostic) {
  const node = /^\$\.nodes\[(\d+)\]/.exec(d.path);
  const choice = /^\$\.nodes\[\d+\]\.choices\[(\d+)\]/.exec(d.path);
  select(node ? Number(node[1]) : null, choice ? Number(choice[1]) : null);
  if (node) graph.reveal(Number(node[1]));
  const fields = Array.from(parts.form.querySelectorAll<HTMLElement>('[data-path], [data-field]'));
  const pathOf = (e: HTMLElement) => e.getAttribute('data-path') ?? e.getAttribute('data-field') ?? '';
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  // The field named exactly, else the closest field that holds the path, else the first field under it.
  let best: HTMLElement | null = fields.find((e) => pathOf(e) === d.path) ?? null;
  if (!best) {
    const holding = fields.filter((e) => within(pathOf(e), d.path)).sort((a, b) => pathOf(b).length - pathOf(a).length);
    best = holding[0] ?? fields.find((e) => within(d.path, pathOf(e))) ?? null;
  }
  if (!best) return;
  const focusable = best.matches('input, select, textarea, button') ? best : best.querySelector<HTMLElement>('input, select, textarea, button');
  best.scrollIntoView({ block: 'center' });
  best.classList.add('flash');
  setTimeout(() => best?.classList.remove('flash'), 1600);
  focusable?.focus({ preventScroll: true });
}

// ---- opening and saving ----------------------------------------------------------------------

function confirmDiscard(): boolean {
  if (!state.history || scenarioText(doc()) === state.savedText) return true;
  return confirm(t('open.confirmDiscard'));
}

function start(draft: Draft, savedText: string) {
  const fresh = !state.history;
  if (fresh) state.history = new History(draft, changed);
  else state.history?.reset(draft);
  state.savedText = savedText;
  state.selection = { node: null, choice: null };
  state.lastPlay = null;
  state.simulation = '';
  parts.status.textContent = '';
  document.body.classList.add('editing');
  renderAll();
  graph.open(draft, graphState());
  checker.changed(draft);
  rememberWork();
}

function openText(text: string, name: string, fromStore: boolean) {
  if (!confirmDiscard()) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    announce(t('open.failed', { name, reason: error instanceof Error ? error.message : String(error) }));
    parts.status.textContent = t('open.failed', { name, reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  const basic = checkScenario(structuredClone(value), { structureOnly: true });
  const shape = value as Partial<Draft>;
  if (typeof value !== 'object' || value === null || !Array.isArray(shape.nodes) || typeof shape.caller !== 'object' || basic.diagnostics.some((d) => ['HTL003', 'HTL010', 'HTL011', 'HTL004'].includes(d.code))) {
    const reason = basic.diagnostics[0]?.message ?? 'not a caller';
    parts.status.textContent = t('open.failed', { name, reason });
    announce(parts.status.textContent);
    return;
  }
  start(value as Draft, fromStore ? scenarioText(value) : '');
}

const OPEN_KEY = 'htl.studio.open';

async function openFromStore(id: string) {
  if (!state.store) return;
  try {
    openText(await state.store.read(id), id, true);
    sessionStorage.setItem(OPEN_KEY, id);
    void askVoices(id);
  } catch (error) {
    parts.status.textContent = t('open.failed', { name: id, reason: error instanceof Error ? error.message : String(error) });
  }
}

function newCaller() {
  if (!confirmDiscard()) return;
  const taken = new Set(state.callers.map((c) => c.id));
  let id = 'new-caller';
  for (let i = 2; taken.has(id); i++) id = `new-caller-${i}`;
  const draft = newScenarioTemplate(id) as Draft;
  // A new caller is a draft until it is published: the trainees do not see it yet.
  draft.status = 'draft';
  start(draft, '');
}

async function save(publish: boolean) {
  if (!state.history || !state.store) return;
  const d = doc();
  const errors = state.check.diagnostics.filter((x) => x.severity === 'error');
  if (errors.length && state.store.kind !== 'download') {
    parts.status.textContent = t('save.hasErrors', { n: errors.length });
    announce(parts.status.textContent);
    const first = errors[0];
    if (first) reveal(first);
    return;
  }
  // Once the trainer has placed cards, the file keeps every card's place (new cards in, deleted ones out).
  const layout = graph.layout();
  if (doc().layout && JSON.stringify(layout) !== JSON.stringify(doc().layout)) state.history.edit(null, (x) => (x.layout = layout));
  // Last, so a refused publish is undone by one step.
  if (publish && d.status !== 'published') state.history.edit(null, (x) => (x.status = 'published'));
  const text = scenarioText(doc());
  try {
    const answer = await state.store.save(doc().id, text);
    state.savedText = text;
    watchVoices(doc().id, answer.voices ?? null);
    const message = state.store.kind === 'download' ? t('saved.download', { file: answer.file }) : publish ? t('published', { file: answer.file }) : t('saved', { file: answer.file });
    parts.status.textContent = message;
    announce(message);
    localStorage.removeItem(WORK_KEY);
    if (state.store.kind !== 'download') sessionStorage.setItem(OPEN_KEY, doc().id);
    state.callers = await state.store.list().catch(() => state.callers);
  } catch (error) {
    // A refused publish leaves the caller a draft.
    if (publish) state.history.undo();
    parts.status.textContent = t('save.failed', { reason: error instanceof Error ? error.message : String(error) });
    announce(parts.status.textContent);
    const first = error instanceof SaveError ? error.refusal?.diagnostics?.[0] : undefined;
    if (first) reveal(first);
  }
  renderBar();
}

// ---- playing and simulating ------------------------------------------------------------------

async function play(startAt: string) {
  const { scenario } = checkScenario(structuredClone(doc()), { rulebook, audit: false });
  if (!scenario) {
    announce(t('play.cannot'));
    return;
  }
  const { playHost } = await import('../preview/play-host');
  const finished = await playHost.play(scenario, scenarioText(doc()), { startAt, language: language() as Language });
  if (!finished) return;
  state.lastPlay = { ...finished, startAt };
  renderPlay();
  graphUpdate();
  debrief(state.lastPlay);
  announce(t('play.result', { start: startAt, outcome: outcomeLabel(language(), finished.result.outcome), total: finished.result.total, verdict: finished.result.passed ? t('play.passed') : t('play.failed') }));
}

function debrief(p: FinishedPlay) {
  const d = doc();
  showDebrief(p, rulebook, p.startAt === d.start ? () => void savePlan(p) : null);
}

async function simulateNow(buttonEl: HTMLButtonElement) {
  buttonEl.disabled = true;
  const answer = await checker.simulate(doc(), 2000);
  const sim = answer.simulation;
  state.simulation = sim ? t('simulate.result', { passed: sim.passed, runs: sim.runs, percent: `${((sim.passed / sim.runs) * 100).toFixed(1)}%` }) : (answer.failed ?? t('play.cannot'));
  renderPlay();
  announce(state.simulation);
}

async function savePlan(p: FinishedPlay) {
  if (!state.store) return;
  const ring = p.steps.find((s): s is Extract<AttemptStep, { type: 'answer' }> => s.type === 'answer')?.ring ?? 1;
  const choices = p.steps.flatMap((s) => (s.type === 'choose' ? [s.choiceId] : s.type === 'silence' ? ['~'] : []));
  const name = `studio-${p.result.outcome}-${p.result.total}`;
  try {
    const file = await state.store.savePlan(doc().id, planFromResult(name, ring, choices, p.result, p.transcript));
    parts.status.textContent = t('play.planSaved', { file });
  } catch (error) {
    parts.status.textContent = t('save.failed', { reason: error instanceof Error ? error.message : String(error) });
  }
  announce(parts.status.textContent);
}

// ---- keys and start-up -----------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || !state.history) return;
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) {
    e.preventDefault();
    state.history.undo();
  } else if ((key === 'z' && e.shiftKey) || key === 'y') {
    e.preventDefault();
    state.history.redo();
  } else if (key === 's') {
    e.preventDefault();
    void save(false);
  }
});

window.addEventListener('beforeunload', (e) => {
  if (state.history && scenarioText(doc()) !== state.savedText) e.preventDefault();
});

const main = el('main', { class: 'workspace' }, el('div', { class: 'canvas-column' }, parts.graphBar, graph.element, el('div', { class: 'lower' }, parts.checks, parts.play)), parts.form);
root.append(parts.header, parts.empty, main);
setLanguage(language());
renderAll();

void findStore().then(async (store) => {
  state.store = store;
  state.callers = await store.list().catch(() => []);
  const restored = (() => {
    try {
      return JSON.parse(localStorage.getItem(WORK_KEY) ?? 'null') as { saved: string; text: string } | null;
    } catch {
      return null;
    }
  })();
  if (restored && !state.history) {
    try {
      const value = JSON.parse(restored.text) as Draft;
      start(value, restored.saved);
      parts.status.textContent = t('open.restored', { id: value.id });
    } catch {
      localStorage.removeItem(WORK_KEY);
    }
  }
  // After a reload (the dev server reloads a page when a caller file appears), the caller open before.
  const reopen = sessionStorage.getItem(OPEN_KEY);
  if (!state.history && reopen && state.callers.some((c) => c.id === reopen)) await openFromStore(reopen);
  renderBar();
  if (state.history) renderPlay();
  else renderEmpty();
});

/** For the end-to-end test: the document as the studio would save it. */
(window as unknown as Record<string, unknown>).__studio = { text: () => (state.history ? scenarioText(doc()) : null), selection: () => ({ ...state.selection }), checked: () => state.check.complete };
