/**
 * The team lead's dashboard: log in, pick a cohort, read the trainees × callers table and the skills
 * heat map, follow one trainee's scores over attempts, open any call's annotated transcript, export.
 * Names that trainees typed only ever go in as text.
 */
import './dashboard.css';
import type { AttemptSummary, CohortAnswer, ReportAnswer } from '../server/schemas';
import { api, ApiError, filterQuery, type Filter, type Lead } from './api';
import type { HeatBy } from '../server/repository/analytics';
import { analyticsSections } from './analytics';
import { heatMap, PALETTE, progressChart, type HeatCells, type Series } from './charts';
import { h, type Child } from './dom';
import { initialLang, makeT, OUTCOME_WORDS, pick, type Lang } from './i18n';
import { csvButton, dataTable, type Column } from './tables';
import { transcriptView } from './transcript';
import { adminContent, focusAdmin, passwordPage, resetAdmin, type AdminContext } from './admin';
import { assignmentsSection, joinCodeItem, loadAssignments, type AssignmentContext } from './assignments';

interface State {
  lang: Lang;
  lead: Lead | null;
  cohorts: CohortAnswer[];
  cohortId: number | null;
  from: string;
  to: string;
  scenario: string;
  report: ReportAnswer | null;
  traineeId: number | null;
  attemptId: string | null;
  error: string | null;
  /** Kept across a failed login, so only the password is typed again. */
  loginName: string;
  /** The results, or the administration page (src/dashboard/admin.ts). */
  view: 'report' | 'admin';
  /** The heat map counts each caller by the trainee's best, latest or average call, as a chart or a table. */
  heatBy: HeatBy;
  heatView: 'chart' | 'table';
}

const state: State = {
  lang: initialLang(),
  lead: null,
  cohorts: [],
  cohortId: null,
  from: '',
  to: '',
  scenario: '',
  report: null,
  traineeId: null,
  attemptId: null,
  error: null,
  loginName: '',
  view: 'report',
  heatBy: 'latest',
  heatView: 'chart',
};
const root = document.getElementById('app')!;
let t = makeT(state.lang);

/** Local calendar days to the instants the API filters on: [from 00:00, the day after `to` 00:00). */
function filter(): Filter {
  const day = (d: string, plus = 0) => {
    const [y, m, dd] = d.split('-').map(Number);
    return new Date(y!, m! - 1, dd! + plus).toISOString();
  };
  return {
    cohort: state.cohortId!,
    ...(state.from ? { from: day(state.from) } : {}),
    ...(state.to ? { to: day(state.to, 1) } : {}),
    ...(state.scenario ? { scenario: state.scenario } : {}),
  };
}

function fail(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && state.lead) {
    state.lead = null;
    void render();
    return;
  }
  state.error = error instanceof Error ? error.message : String(error);
  void render();
}

async function loadCohorts() {
  state.cohorts = (await api.cohorts()).cohorts;
  if (!state.cohorts.some((c) => c.id === state.cohortId)) state.cohortId = state.cohorts[0]?.id ?? null;
}

async function loadReport() {
  state.report = state.cohortId ? await api.report(filter()) : null;
}

async function refresh() {
  try {
    state.error = null;
    // A password an admin set: nothing to load until the lead has chosen their own.
    if (state.lead?.mustChangePassword) return void (await render());
    await loadCohorts();
    await loadReport();
    await loadAssignments(state.cohortId);
  } catch (error) {
    fail(error);
    return;
  }
  await render();
}

// Views

function errorBanner(): Child {
  return state.error ? h('p', { class: 'error', role: 'alert' }, t('error', { message: state.error })) : null;
}

function langSwitch(): HTMLElement {
  const other: Lang = state.lang === 'en' ? 'zh-CN' : 'en';
  return h(
    'button',
    {
      type: 'button',
      class: 'link',
      lang: other,
      onclick: () => {
        state.lang = other;
        localStorage.setItem('htl.dashboard.lang', other);
        t = makeT(other);
        void render();
      },
    },
    other === 'en' ? 'English' : '中文',
  );
}

function loginView(setupToken: string | null): HTMLElement {
  const name = h('input', { 'data-focus': state.loginName ? null : true, name: 'name', autocomplete: 'username', required: true, maxlength: 60, value: state.loginName });
  const password = h('input', { 'data-focus': state.loginName ? true : null, name: 'password', type: 'password', autocomplete: setupToken ? 'new-password' : 'current-password', required: true, minlength: setupToken ? 10 : 1 });
  const form = h(
    'form',
    { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h2', { id: 'login-title' }, t(setupToken ? 'setup.title' : 'login.title')),
    h('label', {}, t('login.name'), name),
    h('label', {}, t('login.password'), password),
    errorBanner(),
    h('button', { type: 'submit', class: 'primary' }, t(setupToken ? 'setup.submit' : 'login.submit')),
    h('p', { class: 'hint' }, t(setupToken ? 'setup.hint' : 'login.hint'), setupToken ? null : h('code', {}, 'npm run admin -- add-lead NAME')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.loginName = name.value;
    const done = setupToken ? api.setup(setupToken, name.value, password.value) : api.login(name.value, password.value);
    done
      .then(async ({ lead }) => {
        if (setupToken) history.replaceState(null, '', location.pathname);
        state.lead = lead;
        state.error = null;
        await refresh();
      })
      .catch((error: unknown) => {
        state.error = error instanceof Error ? error.message : String(error);
        void render();
      });
  });
  return h('main', { class: 'login-page' }, h('h1', {}, t('title')), form, h('p', {}, langSwitch()));
}

function cohortPanel(): HTMLElement {
  const input = h('input', { name: 'cohort', required: true, maxlength: 60, placeholder: t('cohort.new'), 'aria-label': t('cohort.new') });
  const form = h('form', { class: 'new-cohort' }, input, h('button', { type: 'submit' }, t('cohort.create')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api
      .createCohort(input.value)
      .then(async (cohort) => {
        state.cohortId = cohort.id;
        state.traineeId = null;
        await refresh();
      })
      .catch(fail);
  });
  const cohort = state.cohorts.find((c) => c.id === state.cohortId);
  return h(
    'aside',
    { class: 'cohorts' },
    h('h2', {}, t('cohorts')),
    state.cohorts.length
      ? h(
          'ul',
          {},
          ...state.cohorts.map((c) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: c.id === state.cohortId ? 'cohort current' : 'cohort',
                  'aria-current': c.id === state.cohortId ? 'true' : null,
                  onclick: () => {
                    state.cohortId = c.id;
                    state.traineeId = null;
                    state.attemptId = null;
                    void refresh();
                  },
                },
                h('span', { class: 'cohort-name' }, c.name),
                h('span', { class: 'cohort-stats' }, t('cohort.stats', { trainees: c.trainees, attempts: c.attempts })),
              ),
            ),
          ),
        )
      : h('p', { class: 'hint' }, t('cohort.none')),
    form,
    cohort ? codesPanel(cohort) : null,
  );
}

function codesPanel(cohort: CohortAnswer): HTMLElement {
  return h(
    'section',
    { class: 'codes' },
    h('h3', {}, t('codes')),
    cohort.codes.length
      ? h(
          'ul',
          {},
          // Each code with its join link, Copy and QR code (src/dashboard/assignments.ts).
          ...cohort.codes.map((c) => joinCodeItem({ t, rerender: () => void render() }, c.code, () => void api.revokeCode(cohort.id, c.code).then(refresh).catch(fail))),
        )
      : h('p', { class: 'hint' }, t('codes.none')),
    h('button', { type: 'button', onclick: () => void api.newCode(cohort.id).then(refresh).catch(fail) }, t('codes.new')),
    h('p', { class: 'hint' }, t('codes.hint')),
  );
}

function filters(report: ReportAnswer): HTMLElement {
  const from = h('input', { type: 'date', value: state.from, 'aria-label': t('from') });
  const to = h('input', { type: 'date', value: state.to, 'aria-label': t('to') });
  const caller = h('select', { 'aria-label': t('caller') }, h('option', { value: '' }, t('caller.all')));
  const allScenarios = state.scenario ? scenarioChoices : report.scenarios;
  for (const sc of allScenarios) caller.append(h('option', { value: sc.id, selected: sc.id === state.scenario }, pick(sc.title, state.lang, sc.id)));
  const apply = () => {
    state.from = from.value;
    state.to = to.value;
    state.scenario = caller.value;
    void refresh();
  };
  from.addEventListener('change', apply);
  to.addEventListener('change', apply);
  caller.addEventListener('change', apply);
  const query = filterQuery({ ...filter(), ...(state.lang === 'en' ? { lang: 'en' } : {}) });
  return h(
    'div',
    { class: 'filters' },
    h('label', {}, t('from'), from),
    h('label', {}, t('to'), to),
    h('label', {}, t('caller'), caller),
    h('button', { type: 'button', onclick: () => void refresh() }, t('refresh')),
    h('span', { class: 'spacer' }),
    h('a', { class: 'button', href: `/api/report.csv?${query}`, download: `cohort-${report.cohort.id}.csv` }, t('export.csv')),
    h('a', { class: 'button', href: `/api/xapi?${filterQuery({ ...filter(), limit: 0 })}`, download: `cohort-${report.cohort.id}-xapi.json` }, t('export.xapi')),
    // The cmi5 course package for the company's LMS (issue 15: src/server/routes/cmi5.ts).
    h('a', { class: 'button', href: '/api/cmi5/course.zip', download: 'hold-the-line-cmi5.zip', title: t('export.cmi5.hint') }, t('export.cmi5')),
  );
}

/** The caller list as it was before a caller filter narrowed it, so the select can switch back. */
let scenarioChoices: ReportAnswer['scenarios'] = [];

function resultsTable(report: ReportAnswer): HTMLElement {
  const cells = new Map(report.cells.map((c) => [`${c.traineeId}:${c.scenarioId}`, c]));
  const head = h('tr', {}, h('th', { scope: 'col' }, t('trainee')), ...report.scenarios.map((sc) => h('th', { scope: 'col' }, pick(sc.title, state.lang, sc.id))));
  const rows = report.trainees.map((trainee) =>
    h(
      'tr',
      { class: trainee.id === state.traineeId ? 'selected' : null },
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link trainee', onclick: () => selectTrainee(trainee.id) }, trainee.name)),
      ...report.scenarios.map((sc) => {
        const cell = cells.get(`${trainee.id}:${sc.id}`);
        if (!cell) return h('td', { class: 'empty' }, t('cell.none'));
        return h(
          'td',
          { class: cell.passed ? 'pass' : 'fail', title: `${t(cell.passed ? 'passed' : 'not-passed')} · ${new Date(cell.lastAt).toLocaleString(state.lang)}` },
          h('span', { class: 'mark', 'aria-label': t(cell.passed ? 'passed' : 'not-passed') }, cell.passed ? '✓' : '✗'),
          h('span', { class: 'best' }, `${t('cell.best')} ${Math.round(cell.best)}`),
          h('span', { class: 'last' }, `${t('cell.last')} ${Math.round(cell.last)}`),
          h('span', { class: 'tries' }, t('cell.tries', { n: cell.attempts })),
        );
      }),
    ),
  );
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, t('table.title')),
    h('p', { class: 'hint' }, t('table.hint')),
    report.trainees.length ? h('div', { class: 'scroll' }, h('table', { class: 'results' }, h('thead', {}, head), h('tbody', {}, ...rows))) : h('p', { class: 'hint' }, t('trainees.none')),
  );
}

/** Buttons of which one is on (aria-pressed): Enter and Space press them, as any button. */
function switcher<V extends string>(label: string, id: string, values: readonly V[], current: V, word: (v: V) => string, set: (v: V) => void): HTMLElement {
  return h(
    'div',
    { class: 'switch', role: 'group', 'aria-label': label },
    h('span', { class: 'switch-label', 'aria-hidden': 'true' }, label),
    ...values.map((v) => h('button', { type: 'button', id: `${id}-${v}`, 'aria-pressed': String(v === current), onclick: () => set(v) }, word(v))),
  );
}

async function heatSection(report: ReportAnswer): Promise<HTMLElement | null> {
  if (!report.trainees.length) return null;
  // Latest is the report's own (it follows the date range); best and average come from the analytics.
  const heat: HeatCells = state.heatBy === 'latest' ? report.heat : (await api.heat(filter(), state.heatBy)).heat;
  const byWord = (by: HeatBy) => t(by === 'best' ? 'heat.by.best' : by === 'latest' ? 'heat.by.latest' : 'heat.by.average');
  const cells = new Map(heat.map((x) => [`${x.traineeId}:${x.dimension}`, x]));
  type Row = ReportAnswer['trainees'][number];
  const columns: Column<Row>[] = [
    { label: t('trainee'), rowHeader: true, cell: (r) => h('button', { type: 'button', class: 'link', onclick: () => selectTrainee(r.id) }, r.name), csv: (r) => r.name },
    ...report.dimensions.map(
      (d): Column<Row> => ({
        label: pick(d.name, state.lang, d.id),
        numeric: true,
        cell: (r) => {
          const cell = cells.get(`${r.id}:${d.id}`);
          return cell ? `${Math.round(cell.percent)}%` : t('an.none');
        },
        csv: (r) => cells.get(`${r.id}:${d.id}`)?.percent ?? null,
      }),
    ),
  ];
  const caption = t('heat.caption', { by: byWord(state.heatBy) });
  const hint = t(state.heatBy === 'best' ? 'heat.hint.best' : state.heatBy === 'latest' ? 'heat.hint.latest' : 'heat.hint.average');
  return h(
    'section',
    { class: 'card', id: 'heat', 'aria-labelledby': 'heat-title' },
    h('h2', { id: 'heat-title' }, t('heat.title')),
    h(
      'div',
      { class: 'tools' },
      switcher(t('heat.by'), 'heat-by', ['best', 'latest', 'average'] as const, state.heatBy, byWord, (v) => {
        state.heatBy = v;
        void render();
      }),
      switcher(t('view.label'), 'heat-view', ['chart', 'table'] as const, state.heatView, (v) => t(v === 'chart' ? 'view.chart' : 'view.table'), (v) => {
        state.heatView = v;
        void render();
      }),
    ),
    h('p', { class: 'hint' }, hint),
    h(
      'div',
      { class: 'scroll' },
      state.heatView === 'chart' ? heatMap(report, heat, state.lang, `${t('heat.graph')} (${caption})`, selectTrainee) : dataTable(caption, columns, report.trainees, 'figures heat-table'),
    ),
    h('div', { class: 'tools' }, csvButton(t('an.csv'), `cohort-${report.cohort.id}-skills-${state.heatBy}.csv`, columns, () => report.trainees)),
  );
}

function selectTrainee(id: number) {
  state.traineeId = id;
  state.attemptId = null;
  void render().then(() => document.getElementById('trainee')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
}

async function traineeSection(report: ReportAnswer): Promise<HTMLElement | null> {
  if (state.traineeId === null) return null;
  const { cohort: _cohort, ...rest } = filter();
  const { trainee, attempts } = await api.traineeAttempts(state.traineeId, rest);
  const titles = new Map(report.scenarios.map((sc) => [sc.id, pick(sc.title, state.lang, sc.id)]));
  const byScenario = new Map<string, AttemptSummary[]>();
  for (const a of attempts) byScenario.set(a.scenarioId, [...(byScenario.get(a.scenarioId) ?? []), a]);
  const series: Series[] = [...byScenario.entries()].map(([scenarioId, list], i) => ({
    scenarioId,
    title: titles.get(scenarioId) ?? scenarioId,
    colour: PALETTE[i % PALETTE.length]!,
    attempts: list,
  }));
  const open = (id: string) => {
    state.attemptId = id;
    void render().then(() => document.getElementById('attempt')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  const newestFirst = [...attempts].reverse();
  const columns: Column<AttemptSummary>[] = [
    { label: t('when'), rowHeader: true, cell: (a) => new Date(a.startedAt).toLocaleString(state.lang), csv: (a) => a.startedAt },
    { label: t('caller'), cell: (a) => titles.get(a.scenarioId) ?? a.scenarioId, csv: (a) => titles.get(a.scenarioId) ?? a.scenarioId },
    {
      label: t('score'),
      numeric: true,
      cell: (a) => h('span', { class: a.passed ? 'pass' : 'fail' }, h('span', { role: 'img', 'aria-label': t(a.passed ? 'passed' : 'not-passed') }, a.passed ? '✓' : '✗'), ` ${a.total}%`),
      csv: (a) => a.total,
    },
    { label: t('passed'), csvOnly: true, cell: () => '', csv: (a) => t(a.passed ? 'passed' : 'not-passed') },
    { label: t('outcome'), cell: (a) => pick(OUTCOME_WORDS[a.outcome], state.lang, a.outcome), csv: (a) => pick(OUTCOME_WORDS[a.outcome], state.lang, a.outcome) },
    { label: t('transcript'), cell: (a) => h('button', { type: 'button', class: 'link', onclick: () => open(a.id) }, t('transcript')), csv: (a) => a.id },
  ];
  const list = dataTable(t('trend.caption', { name: trainee.name }), columns, newestFirst, 'attempts');
  list.querySelectorAll('tbody tr').forEach((row, i) => {
    if (newestFirst[i]?.id === state.attemptId) row.classList.add('selected');
  });
  const words = {
    label: t('trend.graph'),
    axis: t('trend.axis'),
    dot: (line: Series, a: AttemptSummary) =>
      t('trend.dot', { caller: line.title, when: new Date(a.startedAt).toLocaleString(state.lang), score: a.total, verdict: t(a.passed ? 'passed' : 'not-passed') }),
  };
  return h(
    'section',
    { class: 'card', id: 'trainee' },
    h('div', { class: 'card-head' }, h('h2', {}, t('chart.title', { name: trainee.name })), h('button', { type: 'button', class: 'link', onclick: () => {
          state.traineeId = null;
          void render();
        } }, t('close'))),
    attempts.length
      ? h(
          'div',
          { class: 'chart-row' },
          h('div', { class: 'scroll' }, progressChart(series, state.lang, words, open)),
          h('ul', { class: 'legend' }, ...series.map((x) => h('li', {}, h('span', { class: 'swatch', style: `background:${x.colour}` }), x.title))),
        )
      : h('p', { class: 'hint' }, t('chart.none')),
    h('p', { class: 'hint' }, t('chart.hint')),
    attempts.length ? h('div', { class: 'scroll' }, list) : null,
    attempts.length ? h('div', { class: 'tools' }, csvButton(t('an.csv'), `trainee-${trainee.id}-calls.csv`, columns, () => newestFirst)) : null,
  );
}

async function attemptSection(report: ReportAnswer): Promise<HTMLElement | null> {
  if (!state.attemptId) return null;
  const detail = await api.attempt(state.attemptId);
  const names = new Map(report.dimensions.map((d) => [d.id, pick(d.name, state.lang, d.id)]));
  return h(
    'section',
    { class: 'card', id: 'attempt' },
    h('div', { class: 'card-head' }, h('h2', {}, t('transcript')), h('button', { type: 'button', class: 'link', onclick: () => {
          state.attemptId = null;
          void render();
        } }, t('close'))),
    transcriptView(detail, state.lang, t, (id) => names.get(id) ?? id),
  );
}

/** What the administration page needs from here. */
const adminContext = (): AdminContext => ({
  lang: state.lang,
  t,
  lead: state.lead!,
  rerender: () => void render(),
  setLead: (lead) => (state.lead = lead),
  changed: () => void refresh(),
  fail,
});

async function mainView(): Promise<HTMLElement> {
  if (state.lead!.mustChangePassword) return passwordPage(adminContext(), topBar(false));
  const report = state.report;
  if (report && !state.scenario) scenarioChoices = report.scenarios;
  let content: Child[] = [];
  if (state.view === 'admin') {
    try {
      content = await adminContent(adminContext());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      state.error = error instanceof Error ? error.message : String(error);
    }
  } else if (report) {
    try {
      const assignments: AssignmentContext = { lang: state.lang, t, cohortId: report.cohort.id, scenarios: scenarioChoices, refresh, rerender: () => void render(), fail };
      content = [
        filters(report),
        resultsTable(report),
        assignmentsSection(assignments),
        await heatSection(report),
        await analyticsSections({
          lang: state.lang,
          t,
          cohortId: report.cohort.id,
          scenario: state.scenario,
          filter: filter(),
          callers: scenarioChoices,
          openAttempt: (id) => {
            state.attemptId = id;
            void render().then(() => document.getElementById('attempt')?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
          },
          selectTrainee,
          rerender: () => void render(),
        }),
        await traineeSection(report),
        await attemptSection(report),
      ];
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
      content = [filters(report), resultsTable(report)];
    }
  }
  if (state.view === 'admin') return h('div', { class: 'layout admin-view' }, topBar(true), h('main', { class: 'content' }, errorBanner(), ...content));
  return h('div', { class: 'layout' }, topBar(true), cohortPanel(), h('main', { class: 'content' }, errorBanner(), ...content));
}

function topBar(withAdmin: boolean): HTMLElement {
  const admin = state.view === 'admin';
  return h(
      'header',
      { class: 'top' },
      h('h1', {}, t('title')),
      h('span', { class: 'spacer' }),
      withAdmin
        ? h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-admin-focus': 'toggle',
              onclick: () => {
                state.view = admin ? 'report' : 'admin';
                resetAdmin();
                void render().then(() => root.querySelector<HTMLElement>('[data-admin-focus="toggle"]')?.focus());
              },
            },
            t(admin ? 'admin.back' : 'admin.open'),
          )
        : null,
      langSwitch(),
      h('span', { class: 'who' }, state.lead!.name),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () =>
            void api.logout().finally(() => {
              state.lead = null;
              state.report = null;
              state.view = 'report';
              resetAdmin();
              void render();
            }),
        },
        t('logout'),
      ),
    );
}

let rendering = Promise.resolve();
function render(): Promise<void> {
  rendering = rendering.then(async () => {
    document.documentElement.lang = state.lang;
    document.title = t('title');
    const setupToken = new URLSearchParams(location.hash.slice(1)).get('setup');
    // A control that redraws the page keeps the focus: the new element with its id takes it.
    const focused = document.activeElement instanceof HTMLElement && document.activeElement.id ? document.activeElement.id : null;
    let view: HTMLElement;
    try {
      view = state.lead ? await mainView() : loginView(setupToken);
    } catch (error) {
      // The session ended under the page (a reset, a removal): back to the login.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      state.lead = null;
      view = loginView(setupToken);
    }
    root.replaceChildren(view);
    if (!state.lead) root.querySelector<HTMLElement>('[data-focus]')?.focus();
    else {
      if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
      focusAdmin(root);
    }
  });
  return rendering;
}

async function start() {
  root.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    state.lead = (await api.session()).lead;
    await refresh();
    return;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) state.error = error instanceof Error ? error.message : String(error);
  }
  await render();
}

void start();
