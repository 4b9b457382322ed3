/**
 * The lead's assignments (issue 15): assign callers to the cohort (mode, due date, attempts
 * allowed), see where each trainee stands, edit, remove, release an assessment's model call after
 * its due date; and each join code's join link (PUBLIC_URL/?join=CODE) with a Copy button and a QR
 * code drawn on the page. Every text typed by someone goes in as text (dom.ts).
 */
import type { LeadAssignment, LeadAssignmentsAnswer } from '../server/routes/assignments';
import type { ReportAnswer } from '../server/schemas';
import { request } from './api';
import { h, type Child } from './dom';
import { pick, type Lang, type T } from './i18n';
import { qrSvg } from './qr';

export const assignmentsApi = {
  list: (cohort: number) => request<LeadAssignmentsAnswer>('GET', `/api/cohorts/${cohort}/assignments`),
  create: (cohort: number, body: { scenarioIds: string[]; mode: string; dueAt: string; attemptsAllowed: number }) => request<unknown>('POST', `/api/cohorts/${cohort}/assignments`, body),
  update: (id: number, body: { dueAt?: string; attemptsAllowed?: number; mode?: string }) => request<unknown>('PATCH', `/api/assignments/${id}`, body),
  remove: (id: number) => request<unknown>('DELETE', `/api/assignments/${id}`),
  release: (id: number) => request<unknown>('POST', `/api/assignments/${id}/release`),
};

export interface AssignmentContext {
  lang: Lang;
  t: T;
  cohortId: number;
  scenarios: ReportAnswer['scenarios'];
  /** Loads everything again and draws the page. */
  refresh: () => Promise<void>;
  /** Draws the page again from what is loaded. */
  rerender: () => void;
  fail: (error: unknown) => void;
}

let loaded: { cohortId: number; answer: LeadAssignmentsAnswer } | null = null;
/** The assignment being edited, and the codes whose QR code is shown. */
let editing: number | null = null;
const qrShown = new Set<string>();
let formError: string | null = null;

export async function loadAssignments(cohortId: number | null): Promise<void> {
  loaded = cohortId === null ? null : { cohortId, answer: await assignmentsApi.list(cohortId) };
}

/** PUBLIC_URL/?join=CODE, once the server has said its public address. */
export function joinLink(code: string): string | null {
  if (!loaded) return null;
  const base = loaded.answer.publicUrl.replace(/\/+$/, '');
  return `${base}/?join=${encodeURIComponent(code)}`;
}

/** A datetime-local value (the lead's time zone) as an instant; null when empty or not a date. */
function instant(local: string): string | null {
  if (!local) return null;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An instant as a datetime-local value in the lead's time zone. */
function localValue(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const when = (iso: string, lang: Lang) => new Date(iso).toLocaleString(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** One join code: the code, its link with Copy, the QR code on demand, and Revoke. */
export function joinCodeItem(ctx: Pick<AssignmentContext, 't' | 'rerender'>, code: string, revoke: () => void): HTMLElement {
  const { t } = ctx;
  const link = joinLink(code);
  const parts: Child[] = [h('div', { class: 'code-row' }, h('code', { class: 'join-code' }, code), h('button', { type: 'button', class: 'link', onclick: revoke }, t('codes.revoke')))];
  if (link) {
    const field = h('input', { class: 'join-link', readonly: true, value: link, 'aria-label': `${t('join.link')} ${code}` });
    const copy = h('button', { type: 'button', class: 'copy', 'data-code': code }, t('join.copy'));
    copy.addEventListener('click', () => {
      const done = () => {
        copy.textContent = `✓ ${t('join.copied')}`;
        setTimeout(() => (copy.textContent = t('join.copy')), 2500);
      };
      const fallback = () => {
        field.select();
        if (document.execCommand('copy')) done();
      };
      if (navigator.clipboard?.writeText) navigator.clipboard.writeText(link).then(done, fallback);
      else fallback();
    });
    field.addEventListener('focus', () => field.select());
    const shown = qrShown.has(code);
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'link',
        'aria-expanded': shown ? 'true' : 'false',
        onclick: () => {
          if (shown) qrShown.delete(code);
          else qrShown.add(code);
          ctx.rerender();
        },
      },
      t(shown ? 'join.qrHide' : 'join.qr'),
    );
    parts.push(h('div', { class: 'link-row' }, field, copy), toggle);
    if (shown) parts.push(h('figure', { class: 'qr-box' }, qrSvg(link, 200, t('join.qrLabel', { link })), h('figcaption', { class: 'hint' }, t('join.qrHint'))));
  }
  return h('li', { class: 'join-item' }, ...parts);
}

function newAssignmentForm(ctx: AssignmentContext, taken: Set<string>): HTMLElement {
  const { t, lang } = ctx;
  const boxes = ctx.scenarios.map((sc) => ({ id: sc.id, box: h('input', { type: 'checkbox', name: 'caller', value: sc.id }) }));
  const mode = h('select', { name: 'mode' }, h('option', { value: 'assessment' }, t('assign.mode.assessment')), h('option', { value: 'practice' }, t('assign.mode.practice')));
  const week = new Date(Date.now() + 7 * 86_400_000);
  week.setHours(18, 0, 0, 0);
  const due = h('input', { type: 'datetime-local', name: 'due', required: true, value: localValue(week.toISOString()) });
  const allowed = h('input', { type: 'number', name: 'allowed', min: 1, max: 20, step: 1, required: true, value: 3 });
  const form = h(
    'form',
    { class: 'new-assignment', 'aria-labelledby': 'new-assignment-title' },
    h('h3', { id: 'new-assignment-title' }, t('assign.new')),
    h(
      'fieldset',
      { class: 'callers' },
      h('legend', {}, t('assign.callers')),
      ...boxes.map(({ id, box }) => h('label', { class: taken.has(id) ? 'taken' : null }, box, pick(ctx.scenarios.find((s) => s.id === id)?.title, lang, id))),
    ),
    h('div', { class: 'fields' }, h('label', {}, t('assign.mode'), mode), h('label', {}, t('assign.due'), due), h('label', {}, t('assign.allowed'), allowed)),
    formError ? h('p', { class: 'error', role: 'alert' }, formError) : null,
    h('button', { type: 'submit', class: 'primary' }, t('assign.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const scenarioIds = boxes.filter((b) => b.box.checked).map((b) => b.id);
    const dueAt = instant(due.value);
    formError = scenarioIds.length === 0 ? t('assign.pickOne') : dueAt === null ? t('assign.dueMissing') : null;
    if (formError) return ctx.rerender();
    assignmentsApi
      .create(ctx.cohortId, { scenarioIds, mode: mode.value, dueAt: dueAt!, attemptsAllowed: Number(allowed.value) })
      .then(() => {
        formError = null;
        return ctx.refresh();
      })
      .catch((error: unknown) => {
        // The server names the field; the form keeps what was typed only until the page is drawn again.
        formError = error instanceof Error ? error.message : String(error);
        ctx.rerender();
      });
  });
  return form;
}

function editForm(ctx: AssignmentContext, a: LeadAssignment): HTMLElement {
  const { t } = ctx;
  const due = h('input', { type: 'datetime-local', required: true, value: localValue(a.dueAt), 'aria-label': t('assign.due') });
  const allowed = h('input', { type: 'number', min: 1, max: 20, step: 1, required: true, value: a.attemptsAllowed, 'aria-label': t('assign.allowed') });
  const form = h(
    'form',
    { class: 'edit-assignment' },
    h('label', {}, t('assign.due'), due),
    h('label', {}, t('assign.allowed'), allowed),
    h('button', { type: 'submit', class: 'primary' }, t('assign.save')),
    h('button', { type: 'button', onclick: () => ((editing = null), ctx.rerender()) }, t('assign.cancel')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const dueAt = instant(due.value);
    if (!dueAt) return ctx.fail(new Error(t('assign.dueMissing')));
    const changes = { ...(dueAt !== a.dueAt && localValue(a.dueAt) !== due.value ? { dueAt } : {}), attemptsAllowed: Number(allowed.value) };
    assignmentsApi
      .update(a.id, changes)
      .then(() => {
        editing = null;
        return ctx.refresh();
      })
      .catch(ctx.fail);
  });
  return form;
}

function assignmentItem(ctx: AssignmentContext, a: LeadAssignment, now: number): HTMLElement {
  const { t, lang } = ctx;
  const title = pick(a.title, lang, a.scenarioId);
  const n = a.trainees.length;
  const passed = a.trainees.filter((x) => x.passed).length;
  const done = a.trainees.filter((x) => x.done).length;
  const overdue = now >= Date.parse(a.dueAt);
  const assessment = a.mode === 'assessment';
  const actions: Child[] = [
    h('button', { type: 'button', class: 'link', onclick: () => ((editing = a.id), ctx.rerender()) }, t('assign.edit')),
    h(
      'button',
      {
        type: 'button',
        class: 'link remove-assignment',
        onclick: () => {
          if (!confirm(t('assign.removeConfirm', { title }))) return;
          assignmentsApi.remove(a.id).then(ctx.refresh).catch(ctx.fail);
        },
      },
      t('assign.remove'),
    ),
  ];
  if (assessment && !a.releasedAt && overdue) actions.push(h('button', { type: 'button', class: 'release', onclick: () => void assignmentsApi.release(a.id).then(ctx.refresh).catch(ctx.fail) }, t('assign.release')));
  const release = assessment ? h('p', { class: 'hint' }, a.releasedAt ? t('assign.released', { date: when(a.releasedAt, lang) }) : overdue ? null : t('assign.releaseAfter')) : null;
  const rows = a.trainees.map((x) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, x.name),
      h('td', {}, `${x.attemptsUsed}/${a.attemptsAllowed}`),
      h('td', { class: x.passed ? 'pass' : x.done ? 'fail' : 'todo' }, t(x.passed ? 'assign.state.passed' : x.done ? 'assign.state.failed' : 'assign.state.todo')),
      h('td', {}, x.best === null ? '—' : t('assign.best', { n: Math.round(x.best) })),
    ),
  );
  return h(
    'li',
    { class: `assignment ${a.mode}`, 'data-assignment': a.id, 'data-scenario': a.scenarioId },
    h(
      'div',
      { class: 'assignment-head' },
      h('span', { class: `mode-badge ${a.mode}` }, t(assessment ? 'assign.mode.assessment' : 'assign.mode.practice')),
      h('strong', { class: 'assignment-title' }, title),
      h('span', { class: 'spacer' }),
      ...actions,
    ),
    h(
      'p',
      { class: 'assignment-facts' },
      h('span', { class: overdue ? 'overdue' : null }, `${t('assign.dueLine', { date: when(a.dueAt, lang) })}${overdue ? ` (${t('assign.overdue')})` : ''}`),
      ' · ',
      t('assign.allowedLine', { n: a.attemptsAllowed }),
      ' · ',
      h('span', { class: 'progress' }, t('assign.progress', { passed, n, done })),
    ),
    release,
    editing === a.id ? editForm(ctx, a) : null,
    n
      ? h(
          'details',
          { class: 'assignment-trainees', open: n <= 8 },
          h('summary', {}, t('assign.trainees')),
          h('div', { class: 'scroll' }, h('table', { class: 'attempts' }, h('thead', {}, h('tr', {}, h('th', {}, t('trainee')), h('th', {}, t('assign.used')), h('th', {}, t('assign.result')), h('th', {}, t('score')))), h('tbody', {}, ...rows))),
        )
      : null,
  );
}

/** The Assignments card for the cohort on screen. */
export function assignmentsSection(ctx: AssignmentContext): HTMLElement | null {
  if (!loaded || loaded.cohortId !== ctx.cohortId) return null;
  const { t } = ctx;
  const { answer } = loaded;
  const now = Date.parse(answer.now);
  const taken = new Set(answer.assignments.map((a) => a.scenarioId));
  return h(
    'section',
    { class: 'card assignments', id: 'assignments' },
    h('h2', {}, t('assign.title')),
    h('p', { class: 'hint' }, t('assign.hint')),
    answer.assignments.length ? h('ul', { class: 'assignment-list' }, ...answer.assignments.map((a) => assignmentItem(ctx, a, now))) : h('p', { class: 'hint' }, t('assign.none')),
    newAssignmentForm(ctx, taken),
  );
}
