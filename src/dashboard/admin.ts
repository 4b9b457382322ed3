/**
 * The dashboard's administration page (issue 15): any lead changes their own password and renames,
 * merges and removes the trainees of their cohorts; an admin also adds and removes leads, resets
 * their passwords, sets their roles and reads the admin log. A lead whose password an admin set sees
 * only the password form until they choose their own. Every confirmation names what goes (how many
 * calls); names only ever go in as text. The routes: src/server/routes/admin.ts.
 */
import './admin.css';
import type { LeadListedAnswer, LogAnswer, TraineeListedAnswer } from '../server/admin-schemas';
import { ApiError, request, type Lead } from './api';
import { h, type Child } from './dom';
import type { Lang, T, WordKey } from './i18n';

export interface AdminContext {
  lang: Lang;
  t: T;
  lead: Lead;
  /** Draws the page again from the state here (main.ts's render). */
  rerender: () => void;
  /** The session's lead changed (their password, their roles). */
  setLead: (lead: Lead) => void;
  /** Cohorts and the report may have changed (trainees merged or removed). */
  changed: () => void;
  /** A 401 or an unexpected failure: main.ts handles it. */
  fail: (error: unknown) => void;
}

const adminApi = {
  leads: () => request<{ leads: LeadListedAnswer[] }>('GET', '/api/admin/leads'),
  addLead: (name: string, isAdmin: boolean, isTrainer: boolean) =>
    request<{ lead: LeadListedAnswer; temporaryPassword: string | null }>('POST', '/api/admin/leads', { name, isAdmin, isTrainer }),
  setRoles: (id: number, isAdmin: boolean, isTrainer: boolean) => request<{ lead: LeadListedAnswer }>('PUT', `/api/admin/leads/${id}/roles`, { isAdmin, isTrainer }),
  resetPassword: (id: number) => request<{ lead: LeadListedAnswer; temporaryPassword: string | null }>('POST', `/api/admin/leads/${id}/password`),
  removeLead: (id: number, body: { moveCohortsTo?: number; deleteCohorts?: true }) => request<{ ok: boolean }>('DELETE', `/api/admin/leads/${id}`, body),
  log: () => request<LogAnswer>('GET', '/api/admin/log'),
  changePassword: (current: string, password: string) => request<{ ok: boolean }>('POST', '/api/password', { current, password }),
  session: () => request<{ lead: Lead }>('GET', '/api/session'),
  trainees: () => request<{ trainees: TraineeListedAnswer[] }>('GET', '/api/trainees'),
  rename: (id: number, name: string) => request<{ trainee: TraineeListedAnswer }>('PATCH', `/api/trainees/${id}`, { name }),
  merge: (keep: number, from: number) => request<{ trainee: TraineeListedAnswer; moved: number }>('POST', `/api/trainees/${keep}/merge`, { from }),
  removeTrainee: (id: number, attempts: number) => request<{ removed: number }>('DELETE', `/api/trainees/${id}?attempts=${attempts}`),
};

type Notice = { kind: 'ok' | 'error'; text: string; secret?: { name: string; password: string } };
/** An action waiting for the lead's yes: its words, its button, and what it does. */
type Confirm = { id: string; text: string; extra?: Child; button: string; run: () => Promise<void> };

interface AdminState {
  leads: LeadListedAnswer[] | null;
  trainees: TraineeListedAnswer[] | null;
  log: LogAnswer['entries'] | null;
  notice: Notice | null;
  confirm: Confirm | null;
  renaming: number | null;
  merging: number | null;
  /** The element to focus after the next draw (keyboard users stay where they were). */
  focus: string | null;
  loadedFor: number | null;
}

const state: AdminState = { leads: null, trainees: null, log: null, notice: null, confirm: null, renaming: null, merging: null, focus: null, loadedFor: null };

/** Fetches what the page shows (again after each action). */
export async function loadAdmin(lead: Lead): Promise<void> {
  const [trainees, leads, log] = await Promise.all([
    adminApi.trainees(),
    lead.isAdmin ? adminApi.leads() : Promise.resolve(null),
    lead.isAdmin ? adminApi.log() : Promise.resolve(null),
  ]);
  state.trainees = trainees.trainees;
  state.leads = leads?.leads ?? null;
  state.log = log?.entries ?? null;
  state.loadedFor = lead.id;
}

/** Puts the keyboard focus where the last action asked (main.ts calls it after each draw). */
export function focusAdmin(root: HTMLElement): void {
  if (!state.focus) return;
  const target = root.querySelector<HTMLElement>(`[data-admin-focus="${state.focus}"]`);
  state.focus = null;
  target?.focus();
}

/** Leaving the page forgets notices, open forms and the one-time password. */
export function resetAdmin(): void {
  Object.assign(state, { notice: null, confirm: null, renaming: null, merging: null, focus: null, loadedFor: null });
}

function errorText(ctx: AdminContext, error: unknown, known: Partial<Record<number, string>> = {}): string {
  if (error instanceof ApiError && known[error.status]) return known[error.status]!;
  return ctx.t('error', { message: error instanceof Error ? error.message : String(error) });
}

/** Runs an action; on success reloads and shows `done`; on a refusal shows it in words. */
async function act(ctx: AdminContext, work: () => Promise<Notice | null>, known: Partial<Record<number, string>> = {}, focus: string | null = 'notice'): Promise<void> {
  try {
    const notice = await work();
    state.confirm = null;
    state.renaming = null;
    state.merging = null;
    state.notice = notice;
    await loadAdmin(ctx.lead);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return ctx.fail(error);
    state.notice = { kind: 'error', text: errorText(ctx, error, known) };
  }
  state.focus = focus;
  ctx.rerender();
}

function noticeView(ctx: AdminContext): Child {
  const notice = state.notice;
  if (!notice) return null;
  const { t } = ctx;
  return h(
    'div',
    { class: `admin-notice ${notice.kind}`, role: notice.kind === 'error' ? 'alert' : 'status', tabindex: -1, 'data-admin-focus': 'notice' },
    h('p', {}, notice.text),
    notice.secret
      ? h(
          'div',
          { class: 'secret' },
          h('p', {}, t('ld.secret', { name: notice.secret.name })),
          h('code', { class: 'temporary-password', 'aria-label': t('ld.secret', { name: notice.secret.name }) }, notice.secret.password),
          h(
            'button',
            {
              type: 'button',
              onclick: (event: Event) => {
                const button = event.currentTarget as HTMLButtonElement;
                void navigator.clipboard?.writeText(notice.secret!.password).then(() => (button.textContent = t('ld.copied')));
              },
            },
            t('ld.copy'),
          ),
        )
      : null,
  );
}

function confirmView(ctx: AdminContext, id: string): Child {
  const c = state.confirm;
  if (!c || c.id !== id) return null;
  const cancel = () => {
    state.confirm = null;
    state.focus = `open-${id}`;
    ctx.rerender();
  };
  return h(
    'div',
    {
      class: 'admin-confirm',
      role: 'group',
      'aria-label': c.text,
      // Escape backs out, as Cancel does.
      onkeydown: (event: Event) => {
        if ((event as KeyboardEvent).key === 'Escape') cancel();
      },
    },
    h('p', {}, c.text),
    c.extra ?? null,
    h(
      'div',
      { class: 'admin-buttons' },
      h('button', { type: 'button', class: 'danger', 'data-admin-focus': `confirm-${id}`, onclick: () => void c.run() }, c.button),
      h('button', { type: 'button', onclick: cancel }, ctx.t('admin.cancel')),
    ),
  );
}

function ask(ctx: AdminContext, confirm: Confirm): void {
  state.confirm = confirm;
  state.notice = null;
  state.focus = `confirm-${confirm.id}`;
  ctx.rerender();
}

// Your password

function passwordForm(ctx: AdminContext, forced: boolean): HTMLElement {
  const { t } = ctx;
  const current = h('input', { type: 'password', name: 'current', autocomplete: 'current-password', required: true, 'data-admin-focus': forced ? 'password' : null });
  const fresh = h('input', { type: 'password', name: 'new', autocomplete: 'new-password', required: true, minlength: 10, maxlength: 200 });
  const again = h('input', { type: 'password', name: 'again', autocomplete: 'new-password', required: true, minlength: 10, maxlength: 200 });
  const form = h(
    'form',
    { class: 'admin-password', 'aria-labelledby': 'pw-title' },
    h('h2', { id: 'pw-title' }, t('pw.title')),
    forced ? h('p', { class: 'hint' }, t('pw.forced')) : null,
    h('label', {}, t('pw.current'), current),
    h('label', {}, t('pw.new'), fresh),
    h('label', {}, t('pw.again'), again),
    h('button', { type: 'submit', class: 'primary' }, t('pw.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (fresh.value !== again.value) {
      state.notice = { kind: 'error', text: t('pw.differ') };
      state.focus = 'notice';
      ctx.rerender();
      return;
    }
    void act(
      ctx,
      async () => {
        await adminApi.changePassword(current.value, fresh.value);
        ctx.setLead((await adminApi.session()).lead);
        return { kind: 'ok', text: t('pw.done') };
      },
      { 403: t('pw.wrong') },
    ).then(ctx.changed);
  });
  return form;
}

/** The whole page for a lead who logged in with a password an admin set. */
export function passwordPage(ctx: AdminContext, header: HTMLElement): HTMLElement {
  if (!state.focus && !state.notice) state.focus = 'password';
  return h('div', { class: 'admin-page forced' }, header, h('main', { class: 'content' }, noticeView(ctx), h('section', { class: 'card' }, passwordForm(ctx, true))));
}

// Trainees

function traineesSection(ctx: AdminContext): HTMLElement {
  const { t, lang } = ctx;
  const trainees = state.trainees ?? [];
  const rows = trainees.map((tr) => {
    const others = trainees.filter((o) => o.cohortId === tr.cohortId && o.id !== tr.id);
    let actions: Child;
    if (state.renaming === tr.id) {
      const input = h('input', { name: 'trainee-name', value: tr.name, required: true, maxlength: 60, 'aria-label': t('tr.newName', { name: tr.name }), 'data-admin-focus': `rename-${tr.id}` });
      const form = h(
        'form',
        { class: 'admin-inline' },
        input,
        h('button', { type: 'submit', class: 'primary' }, t('admin.save')),
        h('button', { type: 'button', onclick: () => ((state.renaming = null), (state.focus = `rename-open-${tr.id}`), ctx.rerender()) }, t('admin.cancel')),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void act(ctx, async () => ({ kind: 'ok', text: t('tr.renamed', { name: (await adminApi.rename(tr.id, input.value)).trainee.name }) }), { 409: t('tr.taken') }).then(ctx.changed);
      });
      actions = form;
    } else if (state.merging === tr.id) {
      const select = h(
        'select',
        { name: 'merge-from', 'aria-label': t('tr.mergeFrom', { name: tr.name }), 'data-admin-focus': `merge-${tr.id}` },
        ...others.map((o) => h('option', { value: o.id }, `${o.name} · ${o.attempts}`)),
      );
      const form = h(
        'form',
        { class: 'admin-inline' },
        h('label', {}, t('tr.mergeFrom', { name: tr.name }), select),
        h('button', { type: 'submit', class: 'primary' }, t('tr.mergeNext')),
        h('button', { type: 'button', onclick: () => ((state.merging = null), (state.focus = `open-merge-${tr.id}`), ctx.rerender()) }, t('admin.cancel')),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const from = others.find((o) => o.id === Number(select.value));
        if (!from) return;
        ask(ctx, {
          id: `merge-${tr.id}`,
          text: t('tr.mergeConfirm', { from: from.name, keep: tr.name, n: from.attempts }),
          button: t('tr.mergeDo'),
          run: () =>
            act(ctx, async () => ({ kind: 'ok', text: t('tr.merged', { from: from.name, keep: tr.name, n: (await adminApi.merge(tr.id, from.id)).moved }) })).then(ctx.changed),
        });
      });
      actions = others.length ? form : h('p', { class: 'hint' }, t('tr.mergeNone'));
    } else {
      actions = h(
        'div',
        { class: 'admin-buttons' },
        h('button', { type: 'button', 'data-admin-focus': `rename-open-${tr.id}`, onclick: () => ((state.renaming = tr.id), (state.merging = null), (state.confirm = null), (state.focus = `rename-${tr.id}`), ctx.rerender()) }, t('tr.rename')),
        h(
          'button',
          {
            type: 'button',
            'data-admin-focus': `open-merge-${tr.id}`,
            disabled: others.length === 0,
            title: others.length === 0 ? t('tr.mergeNone') : null,
            onclick: () => ((state.merging = tr.id), (state.renaming = null), (state.confirm = null), (state.focus = `merge-${tr.id}`), ctx.rerender()),
          },
          t('tr.merge'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'danger-link',
            'data-admin-focus': `open-remove-${tr.id}`,
            onclick: () =>
              ask(ctx, {
                id: `remove-${tr.id}`,
                text: t('tr.removeConfirm', { name: tr.name, n: tr.attempts }),
                button: t('tr.removeDo', { n: tr.attempts }),
                run: () =>
                  act(ctx, async () => ({ kind: 'ok', text: t('tr.removed', { name: tr.name, n: (await adminApi.removeTrainee(tr.id, tr.attempts)).removed }) }), { 409: t('tr.changed', { name: tr.name }) }).then(ctx.changed),
              }),
          },
          t('tr.remove'),
        ),
      );
    }
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('span', { class: 'admin-name' }, tr.name)),
      h('td', { 'data-label': t('tr.cohort') }, tr.cohortName),
      h('td', { class: 'num', 'data-label': t('tr.calls') }, tr.attempts),
      h('td', { 'data-label': t('tr.last') }, tr.lastAt ? new Date(tr.lastAt).toLocaleDateString(lang) : '—'),
      h('td', { class: 'row-actions' }, actions, confirmView(ctx, `merge-${tr.id}`), confirmView(ctx, `remove-${tr.id}`)),
    );
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tr-title' },
    h('h2', { id: 'tr-title' }, t('tr.title')),
    h('p', { class: 'hint' }, t('tr.hint')),
    trainees.length
      ? h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'admin-table trainees-admin' },
            h('thead', {}, h('tr', {}, ...(['tr.name', 'tr.cohort', 'tr.calls', 'tr.last', 'tr.actions'] as WordKey[]).map((k) => h('th', { scope: 'col' }, t(k))))),
            h('tbody', {}, ...rows),
          ),
        )
      : h('p', { class: 'hint' }, t('tr.none')),
  );
}

// Leads (admins)

function leadsSection(ctx: AdminContext): HTMLElement | null {
  if (!ctx.lead.isAdmin || !state.leads) return null;
  const { t } = ctx;
  const leads = state.leads;
  const role = (l: LeadListedAnswer, which: 'isAdmin' | 'isTrainer') => {
    const box = h('input', { type: 'checkbox', checked: l[which], 'data-admin-focus': `${which}-${l.id}` });
    box.addEventListener('change', () => {
      const next = { isAdmin: l.isAdmin, isTrainer: l.isTrainer, [which]: box.checked };
      void act(
        ctx,
        async () => {
          await adminApi.setRoles(l.id, next.isAdmin, next.isTrainer);
          if (l.id === ctx.lead.id) ctx.setLead((await adminApi.session()).lead);
          return { kind: 'ok', text: t('ld.roles', { name: l.name }) };
        },
        { 409: t('ld.lastAdmin', { name: l.name }) },
        `${which}-${l.id}`,
      );
    });
    return h('label', { class: 'role' }, box, t(which === 'isAdmin' ? 'ld.admin' : 'ld.trainer'));
  };
  const rows = leads.map((l) => {
    const others = leads.filter((o) => o.id !== l.id);
    const removeExtra = (): { extra: Child; choice: () => { moveCohortsTo?: number; deleteCohorts?: true } } => {
      if (l.cohorts === 0) return { extra: null, choice: () => ({}) };
      const radios = [
        ...others.map((o, i) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: `cohorts-${l.id}`, value: String(o.id), checked: i === 0 }), t('ld.moveTo', { name: o.name }))),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: `cohorts-${l.id}`, value: 'delete' }), t('ld.deleteAll')),
      ];
      const fieldset = h('fieldset', { class: 'admin-choices' }, h('legend', {}, t('ld.removeHolds', { cohorts: l.cohorts, trainees: l.trainees, attempts: l.attempts })), ...radios);
      return {
        extra: fieldset,
        choice: () => {
          const picked = fieldset.querySelector<HTMLInputElement>('input:checked')?.value ?? 'delete';
          return picked === 'delete' ? { deleteCohorts: true } : { moveCohortsTo: Number(picked) };
        },
      };
    };
    return h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'admin-name' }, l.name),
        l.id === ctx.lead.id ? h('span', { class: 'hint' }, ` ${t('ld.you')}`) : null,
        l.passwordTemporary ? h('span', { class: 'badge' }, t('ld.temporary')) : null,
      ),
      h('td', {}, h('div', { class: 'roles' }, role(l, 'isAdmin'), role(l, 'isTrainer'))),
      h('td', {}, t('ld.stats', { cohorts: l.cohorts, trainees: l.trainees, attempts: l.attempts })),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'admin-buttons' },
          l.id === ctx.lead.id
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  'data-admin-focus': `open-reset-${l.id}`,
                  onclick: () =>
                    ask(ctx, {
                      id: `reset-${l.id}`,
                      text: t('ld.resetConfirm', { name: l.name }),
                      button: t('ld.resetDo'),
                      run: () =>
                        act(ctx, async () => {
                          const { temporaryPassword } = await adminApi.resetPassword(l.id);
                          return { kind: 'ok', text: t('ld.reset') + ': ' + l.name, secret: { name: l.name, password: temporaryPassword ?? '' } };
                        }),
                    }),
                },
                t('ld.reset'),
              ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger-link',
              'data-admin-focus': `open-remove-lead-${l.id}`,
              onclick: () => {
                const { extra, choice } = removeExtra();
                ask(ctx, {
                  id: `remove-lead-${l.id}`,
                  text: t('ld.removeConfirm', { name: l.name }),
                  extra,
                  button: t('ld.removeDo'),
                  run: () =>
                    act(
                      ctx,
                      async () => {
                        await adminApi.removeLead(l.id, choice());
                        if (l.id === ctx.lead.id) ctx.fail(new ApiError('logged out', 401));
                        return { kind: 'ok', text: t('ld.removed', { name: l.name }) };
                      },
                      { 409: l.cohorts > 0 && leads.filter((x) => x.isAdmin).length > 1 ? t('ld.clash') : t('ld.lastAdmin', { name: l.name }) },
                    ),
                });
              },
            },
            t('ld.remove'),
          ),
        ),
        confirmView(ctx, `reset-${l.id}`),
        confirmView(ctx, `remove-lead-${l.id}`),
      ),
    );
  });
  const name = h('input', { name: 'lead-name', required: true, maxlength: 60, autocomplete: 'off', 'data-admin-focus': 'new-lead' });
  const isAdmin = h('input', { type: 'checkbox', name: 'lead-admin' });
  const isTrainer = h('input', { type: 'checkbox', name: 'lead-trainer' });
  const form = h(
    'form',
    { class: 'admin-new-lead', 'aria-labelledby': 'ld-new' },
    h('h3', { id: 'ld-new' }, t('ld.new')),
    h('label', {}, t('ld.name'), name),
    h('label', { class: 'role' }, isAdmin, t('ld.admin')),
    h('label', { class: 'role' }, isTrainer, t('ld.trainer')),
    h('button', { type: 'submit', class: 'primary' }, t('ld.add')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(
      ctx,
      async () => {
        const { lead, temporaryPassword } = await adminApi.addLead(name.value, isAdmin.checked, isTrainer.checked);
        return { kind: 'ok', text: t('ld.added', { name: lead.name }), secret: { name: lead.name, password: temporaryPassword ?? '' } };
      },
      { 409: t('ld.taken') },
    );
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ld-title' },
    h('h2', { id: 'ld-title' }, t('ld.title')),
    h('p', { class: 'hint' }, t('ld.hint')),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'admin-table leads-admin' },
        h('thead', {}, h('tr', {}, ...(['ld.name', 'ld.title', 'cohorts', 'tr.actions'] as WordKey[]).map((k, i) => h('th', { scope: 'col' }, i === 1 ? `${t('ld.admin')} / ${t('ld.trainer')}` : t(k))))),
        h('tbody', {}, ...rows),
      ),
    ),
    form,
  );
}

function logSection(ctx: AdminContext): HTMLElement | null {
  if (!ctx.lead.isAdmin || !state.log) return null;
  const { t, lang } = ctx;
  const action = (a: string) => {
    const key = `log.${a}` as WordKey;
    const word = t(key);
    return word === '' || word === key ? a : word;
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'log-title' },
    h('h2', { id: 'log-title' }, t('log.title')),
    h('p', { class: 'hint' }, t('log.hint')),
    state.log.length
      ? h(
          'div',
          { class: 'scroll admin-log' },
          h(
            'table',
            { class: 'admin-table' },
            h('thead', {}, h('tr', {}, ...(['log.when', 'log.who', 'log.what', 'log.target'] as WordKey[]).map((k) => h('th', { scope: 'col' }, t(k))))),
            h(
              'tbody',
              {},
              ...state.log.map((e) =>
                h(
                  'tr',
                  {},
                  h('td', {}, new Date(e.at).toLocaleString(lang)),
                  h('td', {}, e.via === 'cli' ? `${t('log.cli')} (${e.actor.replace(/^CLI \((.*)\)$/, '$1')})` : e.actor),
                  h('td', {}, action(e.action)),
                  h('td', {}, e.target),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'hint' }, t('log.none')),
  );
}

/** The administration page's content (main.ts puts it under its header). */
export async function adminContent(ctx: AdminContext): Promise<Child[]> {
  if (state.loadedFor !== ctx.lead.id) await loadAdmin(ctx.lead);
  return [
    h('h2', { class: 'admin-heading' }, ctx.t('admin.title')),
    noticeView(ctx),
    traineesSection(ctx),
    leadsSection(ctx),
    h('section', { class: 'card' }, passwordForm(ctx, false)),
    logSection(ctx),
  ];
}
