/**
 * The trainer's preview page: open a scenario file, read the checker's diagnostics, see the graph,
 * simulate it, play it at once in the real call desk from any node, and save the play as a golden
 * test plan.
 */
import { analysisOf, checkScenario, defaultRulebook, MAX_SCENARIO_BYTES, planFromResult, simulate, transcriptKeys, type AttemptStep, type CallResult, type Diagnostic, type Language, type Scenario, type TranscriptEntry } from '../engine/index';
import { diagnosticText, severityLabel } from '../shared/diagnostic-text';
import { simulationHtml } from '../shared/report-html';
import { clear, download, el, svg } from './dom';
import { layoutGraph, NODE_H, NODE_W } from './graph-layout';
import { playHost } from './play-host';

export interface FinishedPlay {
  steps: AttemptStep[];
  result: CallResult;
  transcript: TranscriptEntry[];
  startAt: string;
}

interface State {
  fileName: string;
  source: string;
  scenario: Scenario | null;
  lastPlay: FinishedPlay | null;
  lang: Language;
  /** The last file's diagnostics, shown again in the other language when it is switched. */
  diagnostics: Diagnostic[];
}

const state: State = { fileName: '', source: '', scenario: null, lastPlay: null, diagnostics: [], lang: navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en' };

const shipped = import.meta.glob<string>(['../../scenarios/*.json', '!../../scenarios/*.schema.json'], { query: '?raw', import: 'default' });

const root = document.getElementById('preview') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const sections = {
  diagnostics: el('section', { id: 'diagnostics', 'aria-labelledby': 'diag-h' }),
  overview: el('section', { id: 'overview' }),
  play: el('section', { id: 'play' }),
  graph: el('section', { id: 'graph' }),
  simulation: el('section', { id: 'simulation' }),
};

function announce(text: string) {
  live.textContent = text;
}

function buildLoader(): HTMLElement {
  const input = el('input', { type: 'file', id: 'file', accept: '.json,application/json' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void openFile(file);
  });
  const select = el('select', { id: 'shipped', 'aria-label': 'Open a shipped scenario' }, el('option', { value: '' }, 'Open a shipped scenario…'));
  for (const path of Object.keys(shipped).sort()) select.append(el('option', { value: path }, path.split('/').pop() ?? path));
  select.addEventListener('change', () => {
    const load = shipped[select.value];
    if (load) void load().then((text) => openText(select.value.split('/').pop() ?? 'scenario.json', text));
  });
  const lang = el('select', { id: 'lang', 'aria-label': 'Language' }, el('option', { value: 'en' }, 'English'), el('option', { value: 'zh-CN' }, '中文'));
  lang.value = state.lang;
  lang.addEventListener('change', () => {
    state.lang = lang.value === 'zh-CN' ? 'zh-CN' : 'en';
    if (state.fileName) showDiagnostics(state.fileName, state.diagnostics);
    render();
  });
  const drop = el('div', { id: 'drop', tabindex: '0', role: 'button', 'aria-label': 'Drop a scenario file here, or press Enter to choose one' }, 'Drop a scenario .json file here, or ', el('label', { for: 'file', class: 'link' }, 'choose a file'), '.');
  drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') input.click();
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void openFile(file);
  });
  return el('header', {}, el('h1', {}, 'Scenario preview'), el('div', { class: 'row' }, drop, input, select, lang));
}

async function openFile(file: File) {
  if (file.size > MAX_SCENARIO_BYTES) {
    // The checker says so too, but do not read a huge file into memory to find out.
    showDiagnostics(file.name, [{ code: 'HTL002', name: 'file-too-large', severity: 'error', path: '$', message: `the file is ${file.size} bytes; the limit is ${MAX_SCENARIO_BYTES} bytes (1 MB)`, hint: 'A scenario must be under 1 MB.' }]);
    state.scenario = null;
    render();
    return;
  }
  openText(file.name, await file.text());
}

export function openText(fileName: string, text: string) {
  const { diagnostics, scenario } = checkScenario(text, { rulebook: defaultRulebook() });
  state.fileName = fileName;
  state.source = text;
  state.scenario = scenario;
  state.lastPlay = null;
  showDiagnostics(fileName, diagnostics);
  render();
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  announce(`${fileName}: ${errors} error(s), ${diagnostics.length - errors} warning(s)`);
}

function showDiagnostics(fileName: string, diagnostics: Diagnostic[]) {
  state.diagnostics = diagnostics;
  clear(sections.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const heading = el('h2', { id: 'diag-h' }, `${fileName}: ${errors} error(s), ${diagnostics.length - errors} warning(s)`);
  sections.diagnostics.append(heading);
  if (diagnostics.length === 0) {
    sections.diagnostics.append(el('p', { class: 'ok' }, 'The checker found no problem.'));
    return;
  }
  // In the page's language (src/shared/diagnostic-text.ts, shared with the studio).
  const rows = diagnostics.map((d) => {
    const text = diagnosticText(d, state.lang);
    const hint = state.lang === 'zh-CN' ? `提示：${text.hint}` : `Hint: ${text.hint}`;
    return el('tr', { class: d.severity, 'data-code': d.code }, el('td', {}, severityLabel(d.severity, state.lang)), el('td', { class: 'code' }, d.code), el('td', { class: 'where' }, `${d.line ?? 1}:${d.column ?? 1}`), el('td', { class: 'code' }, d.path), el('td', {}, text.message, text.detail ? el('div', { class: 'hint' }, text.detail) : null, el('div', { class: 'hint' }, hint)));
  });
  sections.diagnostics.append(el('table', { class: 'diagnostics' }, el('thead', {}, el('tr', {}, el('th', {}, 'severity'), el('th', {}, 'code'), el('th', {}, 'line:col'), el('th', {}, 'path'), el('th', {}, 'problem'))), el('tbody', {}, ...rows)));
}

function render() {
  for (const key of ['overview', 'play', 'graph', 'simulation'] as const) clear(sections[key]);
  const scenario = state.scenario;
  if (!scenario) return;
  const t = (text: { 'zh-CN'?: string; en?: string }) => text[state.lang] ?? text.en ?? '';
  const analysis = analysisOf(scenario);
  // A draft is for its trainer only: the page says so beside the title (issue 17).
  const draft = scenario.status === 'draft'
    ? el('span', { class: 'draft-badge', id: 'draft-badge', title: state.lang === 'zh-CN' ? '草稿不会出现在学员菜单上，发布后才会出现。' : 'A draft is not on the trainees\' menu until it is published.' }, state.lang === 'zh-CN' ? '草稿：学员看不到' : 'Draft: trainees do not see it')
    : null;
  sections.overview.append(
    el('h2', {}, t(scenario.title), draft ? ' ' : null, draft),
    el('p', {}, t(scenario.summary)),
    el('dl', {}, el('dt', {}, 'Caller'), el('dd', {}, `${t(scenario.caller.name)}: ${t(scenario.caller.persona)}`), el('dt', {}, 'Difficulty · pass mark'), el('dd', {}, `${scenario.difficulty} / 5 · ${scenario.passMark}%`), el('dt', {}, 'Best path'), el('dd', { class: 'code' }, analysis.bestPath?.choices.join(' → ') ?? 'none'), el('dt', {}, 'Maximum per dimension'), el('dd', {}, Object.entries(analysis.maxScores).map(([d, v]) => `${d} ${v}`).join(' · '))),
  );

  const startAt = el('select', { id: 'start-at', 'aria-label': 'Start from node' });
  for (const node of scenario.nodes) if (node.kind !== 'ending') startAt.append(el('option', { value: node.id }, node.id === scenario.start ? `${node.id} (start)` : node.id));
  startAt.value = scenario.start;
  const playButton = el('button', { id: 'play-button', type: 'button' }, 'Play in the call desk');
  playButton.addEventListener('click', () => void play(scenario, startAt.value));
  sections.play.append(el('h2', {}, 'Play'), el('div', { class: 'row' }, el('label', { for: 'start-at' }, 'Start from '), startAt, playButton));
  if (state.lastPlay) {
    const p = state.lastPlay;
    const save = el('button', { id: 'save-plan', type: 'button' }, 'Save as a golden test plan');
    save.addEventListener('click', () => savePlan(scenario, p));
    sections.play.append(el('p', { id: 'last-play' }, `Last play from "${p.startAt}": ${p.result.outcome}, ${p.result.total}%, ${p.result.passed ? 'passed' : 'failed'}. Choices: ${p.steps.flatMap((s) => (s.type === 'choose' ? [s.choiceId] : s.type === 'silence' ? ['~'] : [])).join(',')}`), save);
  }

  sections.graph.append(el('h2', {}, 'Graph'), el('p', { class: 'hint' }, state.lastPlay ? 'Highlighted: the path just played.' : 'Highlighted: the best path.'), drawGraph(scenario, state.lastPlay ? choicesOf(state.lastPlay.steps) : (analysis.bestPath?.choices ?? [])));

  const runs = el('input', { id: 'runs', type: 'number', min: '1', max: '20000', value: '2000', 'aria-label': 'Number of random plays' });
  const simButton = el('button', { id: 'simulate-button', type: 'button' }, 'Simulate');
  const frame = el('iframe', { id: 'simulation-report', title: 'Simulation report', sandbox: '' });
  simButton.addEventListener('click', () => {
    const n = Math.max(1, Math.min(20000, Math.floor(Number(runs.value) || 0)));
    simButton.setAttribute('disabled', '');
    simButton.textContent = 'Simulating…';
    setTimeout(() => {
      const report = simulate(scenario, analysis, { runs: n, seed: 1 });
      frame.setAttribute('srcdoc', simulationHtml(scenario, analysis, report));
      if (!frame.isConnected) sections.simulation.append(frame);
      simButton.removeAttribute('disabled');
      simButton.textContent = 'Simulate';
      announce(`Simulated ${n} ${n === 1 ? 'play' : 'plays'}: ${report.passed} passed.`);
    }, 20);
  });
  sections.simulation.append(el('h2', {}, 'Simulation'), el('div', { class: 'row' }, el('label', { for: 'runs' }, 'Random plays '), runs, simButton));
}

const choicesOf = (steps: readonly AttemptStep[]) => steps.flatMap((s) => (s.type === 'choose' ? [s.choiceId] : []));

function drawGraph(scenario: Scenario, highlight: readonly string[]): SVGSVGElement {
  const layout = layoutGraph(scenario);
  const pos = new Map(layout.nodes.map((n) => [n.id, n]));
  const taken = new Set(highlight);
  const root = svg('svg', { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, height: layout.height, role: 'img', 'aria-label': `Graph of ${scenario.id}` });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8a97a8' }));
  defs.append(marker);
  root.append(defs);
  for (const e of layout.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const hot = e.choiceId !== null && taken.has(e.choiceId);
    const line = svg('line', { x1: a.x + NODE_W / 2, y1: a.y + NODE_H, x2: b.x + NODE_W / 2, y2: b.y, stroke: hot ? '#d9822b' : '#c3ccd6', 'stroke-width': hot ? 3 : 1, 'marker-end': 'url(#arrow)', class: hot ? 'edge taken' : 'edge' });
    if (e.silence) line.setAttribute('stroke-dasharray', '4 3');
    if (e.choiceId) line.append(svg('title', {}, e.choiceId));
    root.append(line);
  }
  const fills = { caller: '#eef2f7', decision: '#e3eefb', ending: '#e8f4ea' } as const;
  for (const n of layout.nodes) {
    const g = svg('g', { class: `node ${n.kind}`, 'data-node': n.id });
    g.append(svg('rect', { x: n.x, y: n.y, width: NODE_W, height: NODE_H, rx: n.kind === 'decision' ? 4 : 18, fill: fills[n.kind], stroke: '#7d8da1' }));
    const label = n.label.length > 22 ? `${n.label.slice(0, 21)}…` : n.label;
    g.append(svg('text', { x: n.x + NODE_W / 2, y: n.y + NODE_H / 2 + 4, 'text-anchor': 'middle', 'font-size': 12 }, label), svg('title', {}, n.label));
    root.append(g);
  }
  return root;
}

async function play(scenario: Scenario, startAt: string) {
  announce(`Playing ${scenario.id} from ${startAt}.`);
  const finished = await playHost.play(scenario, state.source, { startAt, language: state.lang });
  if (!finished) return;
  state.lastPlay = { ...finished, startAt };
  render();
  announce(`Play finished: ${finished.result.outcome}, ${finished.result.total}%.`);
}

function savePlan(scenario: Scenario, p: FinishedPlay) {
  if (p.startAt !== scenario.start) {
    announce('A golden plan starts at the beginning of the call: play from the start node to save one.');
    alert('A golden test plan replays the whole call: play from the start node to save one.');
    return;
  }
  const ring = p.steps.find((s): s is Extract<AttemptStep, { type: 'answer' }> => s.type === 'answer')?.ring ?? 1;
  const choices = p.steps.flatMap((s) => (s.type === 'choose' ? [s.choiceId] : s.type === 'silence' ? ['~'] : []));
  const name = prompt('Name of this test plan (for example best, worst, middling):', 'my-play')?.trim();
  if (!name) return;
  const plan = planFromResult(name, ring, choices, p.result, p.transcript);
  void storePlan(scenario.id, plan).then((where) => announce(`Saved plan "${name}" (${transcriptKeys(p.transcript).length} transcript entries) ${where}.`));
}

/** On the dev server the plan goes straight into scenarios/plans/; elsewhere it is downloaded. */
async function storePlan(scenarioId: string, plan: ReturnType<typeof planFromResult>): Promise<string> {
  if (import.meta.env.DEV) {
    try {
      const response = await fetch('/__trainer/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: scenarioId, plan }) });
      const body = (await response.json()) as { file?: string; error?: string };
      if (response.ok && body.file) return `to ${body.file}`;
      if (body.error) announce(`Could not save into scenarios/plans/: ${body.error}. Downloading instead.`);
    } catch {
      // Not served by the dev server: fall through to a download.
    }
  }
  download(`${scenarioId}.plans.json`, `${JSON.stringify({ scenario: scenarioId, plans: [plan] }, null, 2)}\n`);
  return 'as a download: put its plan into scenarios/plans/';
}

root.append(buildLoader(), sections.diagnostics, sections.overview, sections.play, sections.graph, sections.simulation);
