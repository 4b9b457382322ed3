/**
 * The debrief of a play in the studio, as the trainee reads it after the call: the outcome, the
 * total against the pass mark, each skill against the model call, and every choice with its
 * feedback and the rules it kept or broke. Shown in a dialog over the studio.
 */
import type { Rulebook } from '../engine/index';
import { outcomeLabel, t as gameT } from '../game/i18n';
import { el } from '../preview/dom';
import type { FinishedPlay } from '../preview/main';
import { button } from './fields';
import { language, pick, t } from './i18n';

export function showDebrief(play: FinishedPlay, rulebook: Rulebook, savePlan: (() => void) | null): HTMLDialogElement {
  const lang = language();
  const r = play.result;
  const ruleText = (id: string) => pick(rulebook.rules.find((x) => x.id === id)?.text) || id;
  const dimensionName = (id: string) => pick(rulebook.dimensions.find((d) => d.id === id)?.name) || id;
  const dialog = el('dialog', { id: 'debrief', 'aria-labelledby': 'debrief-title' });
  const verdict = r.passed ? gameT(lang, 'debrief.passed') : gameT(lang, 'debrief.failed');
  dialog.append(
    el('h2', { id: 'debrief-title' }, `${gameT(lang, 'debrief.title')} · ${outcomeLabel(lang, r.outcome)}`),
    el('p', { class: `verdict ${r.passed ? 'passed' : 'failed'}`, id: 'debrief-verdict' }, `${verdict} · ${gameT(lang, 'debrief.total')} ${r.total}% · ${gameT(lang, 'debrief.passMark', { n: r.passMark })}`),
  );
  if (r.criticalBreaches.length) dialog.append(el('p', { class: 'critical' }, gameT(lang, 'debrief.critical'), ...r.criticalBreaches.map((b) => el('span', {}, ` · ${ruleText(b.ruleId)}`))));
  const skills = el('ul', { class: 'skills' });
  for (const d of r.dimensions) {
    const width = Math.max(0, Math.min(100, d.percent));
    skills.append(el('li', {}, el('span', { class: 'skill-name' }, dimensionName(d.id)), el('span', { class: 'bar' }, el('span', { class: 'fill', style: `width:${width}%` })), el('span', { class: 'skill-value' }, `${d.percent}%`)));
  }
  dialog.append(el('h3', {}, gameT(lang, 'debrief.skills')), skills, el('h3', {}, gameT(lang, 'debrief.yourCall')));
  const choices = el('ol', { class: 'reviews' });
  for (const c of r.choices) {
    const colon = lang === 'zh-CN' ? '：' : ': ';
    const rules = [...c.kept.map((id) => `✓ ${gameT(lang, 'debrief.kept')}${colon}${ruleText(id)}`), ...c.broken.map((id) => `✗ ${gameT(lang, 'debrief.broken')}${colon}${ruleText(id)}`)];
    choices.append(el('li', {}, el('strong', {}, pick(c.text)), el('p', {}, pick(c.feedback)), ...rules.map((x) => el('div', { class: x.startsWith('✗') ? 'rule broken' : 'rule kept' }, x))));
  }
  if (r.choices.length === 0) choices.append(el('li', {}, gameT(lang, 'debrief.noChoices')));
  dialog.append(choices);
  const close = button(t('debrief.close'), () => dialog.close(), { id: 'debrief-close' });
  const actions = el('div', { class: 'row' }, close);
  if (savePlan) actions.prepend(button(t('play.savePlan'), savePlan, { class: 'secondary', id: 'debrief-save-plan' }));
  dialog.append(actions);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  return dialog;
}
