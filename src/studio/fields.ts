/**
 * The form's fields. Each one carries the JSON path of the value it edits (`data-path`, the same
 * path the checker's diagnostics name), so a clicked diagnostic can find and focus its field. Every
 * change goes through the studio's history; text is set with `value` and `textContent`, never as HTML.
 */
import { childPath } from '../engine/check/json-source';
import type { Localised } from '../engine/format/schema';
import { el } from '../preview/dom';
import type { Draft } from './doc';
import { t } from './i18n';

/** Reaches the object that holds a field, from the current document (which undo may replace). */
export type Holder = (doc: Draft) => Record<string, unknown>;

export interface FieldContext {
  doc(): Draft;
  /** `structural`: the form is drawn again afterwards (a field appears or goes). */
  edit(key: string | null, change: (doc: Draft) => void, structural?: boolean): void;
}

let uid = 0;
export const nextId = (prefix: string) => `${prefix}-${++uid}`;

export function fieldRow(label: string, control: HTMLElement, path: string | null = null): HTMLElement {
  if (!control.id) control.id = nextId('f');
  const row = el('div', { class: 'field' }, el('label', { for: control.id }, label), control);
  if (path) row.setAttribute('data-field', path);
  return row;
}

/** Both languages side by side. */
export function bilingual(ctx: FieldContext, label: string, parent: string, holder: Holder, key: string, multiline = true): HTMLElement {
  const path = childPath(parent, key);
  const text = (holder(ctx.doc())[key] ?? {}) as Localised;
  const box = el('fieldset', { class: 'bilingual', 'data-field': path }, el('legend', {}, label));
  for (const lang of ['zh-CN', 'en'] as const) {
    const p = childPath(path, lang);
    const input = multiline ? el('textarea', { rows: '2', 'data-path': p, lang }) : el('input', { type: 'text', 'data-path': p, lang });
    input.id = nextId('t');
    input.value = text[lang] ?? '';
    input.addEventListener('input', () => {
      const value = input.value;
      ctx.edit(p, (d) => {
        const h = holder(d);
        const current = (h[key] ?? {}) as Localised;
        h[key] = { ...current, [lang]: value };
      });
    });
    box.append(el('div', { class: 'lang' }, el('label', { for: input.id }, lang === 'zh-CN' ? t('form.zh') : t('form.en')), input));
  }
  return box;
}

export function textField(ctx: FieldContext, label: string, parent: string, holder: Holder, key: string): HTMLElement {
  const p = childPath(parent, key);
  const input = el('input', { type: 'text', 'data-path': p });
  input.value = String(holder(ctx.doc())[key] ?? '');
  input.addEventListener('input', () => ctx.edit(p, (d) => (holder(d)[key] = input.value)));
  return fieldRow(label, input, p);
}

export interface NumberOptions {
  min?: number;
  max?: number;
  step?: number;
  /** Blank removes the field from the file. */
  optional?: boolean;
  integer?: boolean;
}

export function numberField(ctx: FieldContext, label: string, parent: string, holder: Holder, key: string, options: NumberOptions = {}): HTMLElement {
  const p = childPath(parent, key);
  const input = el('input', { type: 'number', 'data-path': p, step: String(options.step ?? 1) });
  if (options.min !== undefined) input.min = String(options.min);
  if (options.max !== undefined) input.max = String(options.max);
  const value = holder(ctx.doc())[key];
  input.value = typeof value === 'number' ? String(value) : '';
  input.addEventListener('input', () => {
    const raw = input.value.trim();
    if (raw === '' && !options.optional) return;
    const n = Number(raw);
    if (raw !== '' && !Number.isFinite(n)) return;
    ctx.edit(p, (d) => {
      const h = holder(d);
      if (raw === '') delete h[key];
      else h[key] = options.integer ? Math.round(n) : n;
    });
  });
  return fieldRow(label, input, p);
}

export interface Choice {
  value: string;
  label: string;
}

/** `fallback`: what the format takes when the file leaves the field out (shown, not written). */
export function selectField(ctx: FieldContext, label: string, parent: string, holder: Holder, key: string, options: Choice[], optional = false, structural = false, fallback?: string): HTMLElement {
  const p = childPath(parent, key);
  const select = el('select', { 'data-path': p });
  if (optional) select.append(el('option', { value: '' }, t('form.none')));
  const current = holder(ctx.doc())[key] ?? fallback;
  const known = options.some((o) => o.value === current);
  for (const o of options) select.append(el('option', { value: o.value }, o.label));
  // A value the list does not hold (a missing node, say) stays visible, so it can be seen and changed.
  if (typeof current === 'string' && current !== '' && !known) select.append(el('option', { value: current }, `${current} ⚠`));
  select.value = typeof current === 'string' ? current : '';
  select.addEventListener('change', () => {
    const value = select.value;
    ctx.edit(null, (d) => {
      const h = holder(d);
      if (value === '' && optional) delete h[key];
      else h[key] = value;
    }, structural);
  });
  return fieldRow(label, select, p);
}

export function button(label: string, action: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', action);
  return b;
}
