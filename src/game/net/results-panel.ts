/**
 * A small page-level panel over the canvas's bottom margin: which cohort the trainee sends results to, how many
 * wait to be sent, and a form to join a cohort (also opened by a `?join=CODE` link from the lead).
 * DOM rather than Phaser so the form gets real text inputs, IMEs and password managers; every text
 * goes in with textContent.
 */
import type { Language } from '../../engine/format/schema';
import { JoinError } from './api';
import type { Outbox, OutboxStatus } from './outbox';

export const WORDS = {
  join: { en: 'Join your team', 'zh-CN': '加入学员组' },
  joinTitle: { en: 'Join your team’s cohort', 'zh-CN': '加入学员组' },
  joinHint: { en: 'Your team lead gives you the code. Your results then reach the dashboard.', 'zh-CN': '加入码由组长提供。加入后，练习成绩会同步到组长看板。' },
  name: { en: 'Your name', 'zh-CN': '姓名' },
  code: { en: 'Join code', 'zh-CN': '加入码' },
  submit: { en: 'Join', 'zh-CN': '加入' },
  cancel: { en: 'Not now', 'zh-CN': '以后再说' },
  linkHint: { en: 'You opened your team’s join link (code {code}): type your name to join.', 'zh-CN': '你打开的是团队的加入链接（加入码 {code}）：输入姓名即可加入。' },
  waiting: { en: '{n} waiting to be sent', 'zh-CN': '{n} 条成绩待发送' },
  allSent: { en: 'all results sent to your team', 'zh-CN': '成绩已全部发送给团队' },
  notJoined: { en: 'results stay on this device', 'zh-CN': '成绩仅保存在本设备' },
  rejoin: { en: 'Join again to send your results', 'zh-CN': '请重新加入学员组以发送成绩' },
  refused: { en: '{n} not accepted by the server', 'zh-CN': '{n} 条未被服务器接受' },
} as const;

type Key = keyof typeof WORDS;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * What the panel takes of the window before the trainee has joined, in CSS pixels from its bottom
 * left corner (one line: "results stay on this device" and the Join button, in either language).
 * The menu leaves this strip free before the panel is there (it is made after the menu's first
 * frame: main.ts), and a larger one once the panel says it has grown (`onResultsPanelBox`).
 */
export const RESULTS_PANEL_BOX = { width: 300, height: 27 } as const;
const LEFT = 6;
const BOTTOM = 3;

/** The panel's box as last laid out (CSS pixels from the window's bottom left), null before it is. */
let laidOut: { right: number; height: number } | null = null;
const boxListeners = new Set<() => void>();

export function resultsPanelBox(): { right: number; height: number } | null {
  return laidOut;
}

/** Calls `listener` when the panel's box changes size; returns the unsubscribe. */
export function onResultsPanelBox(listener: () => void): () => void {
  boxListeners.add(listener);
  return () => boxListeners.delete(listener);
}

const STYLE = `
.htl-results { position: fixed; left: ${LEFT}px; bottom: ${BOTTOM}px; max-width: calc(100vw - ${2 * LEFT}px); z-index: 10; font: 12px/1.3 system-ui, "Noto Sans CJK SC", sans-serif; color: #eef3fa; }
.htl-results[hidden] { display: none; }
.htl-results .badge { display: flex; gap: 8px; align-items: center; box-sizing: border-box; height: ${RESULTS_PANEL_BOX.height - BOTTOM}px; white-space: nowrap; background: rgba(14, 23, 38, 0.92); border: 1px solid #2c3e57; border-radius: 6px; padding: 1px 6px; }
.htl-results .badge > span { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.htl-results .badge > .who { flex-shrink: 3; }
.htl-results .badge > button, .htl-results .badge > .error { flex: none; }
.htl-results button { font: inherit; color: #0e1726; background: #ffd84d; border: 0; border-radius: 5px; padding: 2px 8px; cursor: pointer; }
.htl-results button.plain { background: none; color: #cfe3ff; text-decoration: underline; }
.htl-results .backdrop { position: fixed; inset: 0; background: rgba(6, 12, 22, 0.6); display: grid; place-items: center; }
.htl-results form { font-size: 15px; background: #142238; border: 1px solid #2c3e57; border-radius: 12px; padding: 18px; width: min(360px, calc(100vw - 24px)); display: grid; gap: 10px; }
.htl-results form button { padding: 6px 14px; }
.htl-results label { display: grid; gap: 2px; }
.htl-results input { font: inherit; padding: 6px 8px; border-radius: 6px; border: 1px solid #47607f; background: #0e1726; color: #eef3fa; }
.htl-results .error { color: #ff9c8f; }
.htl-results .hint { color: #a9b8cc; margin: 0; }
.htl-results :focus-visible { outline: 3px solid #ffd84d; outline-offset: 2px; }
`;

export interface ResultsPanel {
  /** Shown on the menu, hidden during a call and the debrief; drawn again in a language switched meanwhile. */
  setVisible(visible: boolean): void;
}

export function mountResultsPanel(outbox: Outbox, language: () => Language, parent: HTMLElement = document.body): ResultsPanel {
  const words = (key: Key, n?: number | string) => WORDS[key][language()].replace('{n}', String(n ?? '')).replace('{code}', String(n ?? ''));
  const style = el('style');
  style.textContent = STYLE;
  document.head.append(style);
  const root = el('div', { class: 'htl-results', role: 'region', 'aria-label': WORDS.join.en });
  parent.append(root);
  // Its size as the browser lays it out anyway (a ResizeObserver forces no layout of its own).
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(([entry]) => {
      if (!entry) return;
      const box = { right: LEFT + entry.contentRect.width, height: BOTTOM + entry.contentRect.height };
      if (laidOut && laidOut.right === box.right && laidOut.height === box.height) return;
      laidOut = box;
      for (const listener of [...boxListeners]) listener();
    }).observe(root);
  }
  // Phaser listens for keys and pointer releases on the window: what is typed or clicked here must
  // not also steer the game underneath.
  for (const type of ['keydown', 'keyup', 'keypress', 'pointerdown', 'pointerup', 'mousedown', 'mouseup', 'touchstart', 'touchend', 'click', 'wheel'] as const) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }

  // A join link from the lead (`?join=CODE`, src/dashboard/assignments.ts) opens the form with the
  // code filled in and asks only for the name.
  const joinCode = new URLSearchParams(location.search).get('join')?.trim() || null;
  let fromLink = joinCode !== null;
  let formOpen = joinCode !== null;
  let formError = '';
  let last: OutboxStatus | null = null;
  let visible = true;
  // Kept across renders, so a refused join keeps what was typed.
  let typedName = '';
  let typedCode = joinCode ?? '';

  /** The language the panel was last drawn in: a switch on the menu draws it again. */
  let drawnIn: Language | null = null;
  const render = () => {
    drawnIn = language();
    // Drawn anew on every status change: the field being typed in keeps the focus.
    const active = document.activeElement;
    const focused = active instanceof HTMLInputElement && root.contains(active) ? active.name : null;
    root.hidden = !visible;
    root.setAttribute('aria-label', words('join'));
    const status = last;
    const children: Node[] = [];
    if (formOpen) children.push(el('div', { class: 'backdrop' }, form()));
    const badge = el('div', { class: 'badge', 'aria-live': 'polite' });
    if (status?.identity && !status.needsJoin) {
      const who = `✓ ${status.identity.trainee.name} · ${status.identity.cohort.name}`;
      const sent = status.waiting ? words('waiting', status.waiting) : words('allSent');
      badge.append(el('span', { class: 'who', title: who }, who), el('span', { title: sent }, sent));
    } else {
      const state = status?.needsJoin && status.identity ? words('rejoin') : status?.waiting ? words('waiting', status.waiting) : words('notJoined');
      badge.append(el('span', { title: state }, state));
      if (!formOpen) {
        const open = el('button', { type: 'button' }, words('join'));
        open.addEventListener('click', () => {
          formOpen = true;
          render();
          root.querySelector<HTMLInputElement>('input')?.focus();
        });
        badge.append(open);
      }
    }
    if (status?.refused.length) badge.append(el('span', { class: 'error', title: status.refused.map((r) => r.message).join('\n') }, words('refused', status.refused.length)));
    children.push(badge);
    root.replaceChildren(...children);
    if (focused) root.querySelector<HTMLInputElement>(`input[name=${focused}]`)?.focus();
  };

  const form = () => {
    const name = el('input', { name: 'name', autocomplete: 'name', required: '', maxlength: '60' });
    const code = el('input', { name: 'code', autocomplete: 'off', required: '', maxlength: '40', autocapitalize: 'characters', spellcheck: 'false' });
    name.value = typedName;
    code.value = typedCode;
    name.addEventListener('input', () => (typedName = name.value));
    code.addEventListener('input', () => (typedCode = code.value));
    const error = formError ? el('p', { class: 'error', role: 'alert' }, formError) : '';
    // A refused link code (revoked, expired) shows the code field after all, to type another.
    const codeRow = fromLink ? el('p', { class: 'hint' }, words('linkHint', typedCode)) : el('label', {}, words('code'), code);
    const cancel = el('button', { type: 'button', class: 'plain' }, words('cancel'));
    cancel.addEventListener('click', () => {
      formOpen = false;
      formError = '';
      render();
    });
    const f = el(
      'form',
      {},
      el('strong', {}, words('joinTitle')),
      fromLink ? '' : el('p', { class: 'hint' }, words('joinHint')),
      el('label', {}, words('name'), name),
      codeRow,
      error,
      el('div', {}, el('button', { type: 'submit' }, words('submit')), ' ', cancel),
    );
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      outbox
        .join(name.value, code.value)
        .then((identity) => {
          formOpen = false;
          formError = '';
          // Shown at once; the outbox's own status follows.
          if (last) last = { ...last, identity, needsJoin: false };
          if (joinCode !== null) history.replaceState(null, '', location.pathname);
          render();
        })
        .catch((e: unknown) => {
          formError = e instanceof JoinError || e instanceof Error ? e.message : String(e);
          if (e instanceof JoinError && /code/i.test(e.message)) fromLink = false;
          render();
          root.querySelector<HTMLInputElement>('input[name=name]')?.focus();
        });
    });
    return f;
  };

  outbox.onChange((status) => {
    last = status;
    render();
  });
  render();
  if (formOpen) root.querySelector<HTMLInputElement>('input[name=name]')?.focus();
  return {
    setVisible(next) {
      if (next === visible && drawnIn === language()) return;
      visible = next;
      render();
    },
  };
}
