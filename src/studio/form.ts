/**
 * The form for what is selected: the call's settings (nothing selected), or a card — its words in
 * both languages and, for a decision, its options with their points, rules, conditions, flags and
 * actions. Rules are picked by their words, conditions built from the flags and the mood: nothing is
 * typed as an expression or an id list.
 */
import { CAST, CAST_KEYS } from '../engine/format/cast';
import { CHOICE_KINDS, FLOW_STEPS, OUTCOME_IDS, TICKET_TIERS, type Localised, type Rulebook } from '../engine/index';
import { childPath } from '../engine/check/json-source';
import { kindLabel, outcomeLabel, stepLabel, tierLabel } from '../game/i18n';
import { el } from '../preview/dom';
import { portraitUrl, playVoice } from './cast-media';
import { freshId, knownFlags, renameNode, type Draft, type DraftChoice, type DraftCondition, type DraftDecision, type DraftNode } from './doc';
import { bilingual, button, fieldRow, nextId, numberField, selectField, type FieldContext, type Holder } from './fields';
import { language, pick, t } from './i18n';

export interface FormContext extends FieldContext {
  rulebook: Rulebook;
  select(node: number | null, choice: number | null): void;
  playFrom(nodeId: string): void;
  say(text: string): void;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;
const SEEDS = ['000_93b386b6422b2937.txt', '001_7fc59e3138e435e0.txt', '002_5447b48fee7380cb.txt', '003_ab304f42f911cf29.txt', '004_5582ff8a00c44023.txt'];

const nodeOptions = (doc: Draft) => doc.nodes.map((n) => ({ value: n.id, label: `${n.id} · ${n.kind === 'ending' ? outcomeLabel(language(), n.outcome) : t(`kind.${n.kind}`)}` }));

export function renderForm(host: HTMLElement, ctx: FormContext, node: number | null, choice: number | null): void {
  const doc = ctx.doc();
  const target = node === null ? null : doc.nodes[node];
  host.replaceChildren(target && node !== null ? nodeForm(ctx, node, target, choice) : settingsForm(ctx));
}

function settingsForm(ctx: FormContext): HTMLElement {
  const doc = ctx.doc();
  const top: Holder = (d) => d as unknown as Record<string, unknown>;
  const caller: Holder = (d) => d.caller as unknown as Record<string, unknown>;
  const sources = [...new Set([doc.source, ...SEEDS].filter(Boolean))];
  const form = el('div', { class: 'form' }, el('h2', {}, t('form.settings')));
  form.append(
    idField(ctx, '$.id', doc.id, (value, d) => {
      d.id = value;
    }, (value) => ID_PATTERN.test(value) && !value.includes('.')),
    bilingual(ctx, t('form.title'), '$', top, 'title', false),
    bilingual(ctx, t('form.summary'), '$', top, 'summary'),
    selectField(ctx, t('form.source'), '$', top, 'source', sources.map((s) => ({ value: s, label: s }))),
    el('div', { class: 'pair' }, numberField(ctx, t('form.difficulty'), '$', top, 'difficulty', { min: 1, max: 5, integer: true }), numberField(ctx, t('form.passMark'), '$', top, 'passMark', { min: 0, max: 100 })),
    selectField(ctx, t('form.start'), '$', top, 'start', nodeOptions(doc).filter((o) => doc.nodes.find((n) => n.id === o.value)?.kind !== 'ending')),
    bilingual(ctx, t('form.callerName'), '$.caller', caller, 'name', false),
    bilingual(ctx, t('form.persona'), '$.caller', caller, 'persona'),
    portraitPicker(ctx),
    voicePicker(ctx),
  );
  const mood = doc.caller.mood;
  if (typeof mood === 'number') form.append(numberField(ctx, t('form.mood'), '$.caller', caller, 'mood', { min: 0, max: 100, integer: true }));
  else {
    const range: Holder = (d) => d.caller.mood as unknown as Record<string, unknown>;
    form.append(el('div', { class: 'pair' }, numberField(ctx, `${t('form.mood')} min`, '$.caller.mood', range, 'min', { min: 0, max: 100, integer: true }), numberField(ctx, 'max', '$.caller.mood', range, 'max', { min: 0, max: 100, integer: true })));
  }
  form.append(el('div', { class: 'pair' }, numberField(ctx, t('form.moodLimit'), '$.caller', caller, 'moodLimit', { min: 1, max: 100, integer: true, optional: true }), selectField(ctx, t('form.onMoodLimit'), '$.caller', caller, 'onMoodLimit', nodeOptions(doc))));
  return form;
}

function portraitPicker(ctx: FormContext): HTMLElement {
  const current = ctx.doc().caller.portrait;
  const group = el('fieldset', { class: 'portraits', 'data-field': '$.caller.portrait' }, el('legend', {}, t('form.portrait')));
  const name = nextId('portrait');
  for (const key of CAST_KEYS) {
    const id = nextId('p');
    const input = el('input', { type: 'radio', name, id, value: key, 'data-path': '$.caller.portrait' });
    input.checked = key === current;
    input.addEventListener('change', () => ctx.edit(null, (d) => (d.caller.portrait = key), true));
    const url = portraitUrl(key);
    group.append(el('label', { for: id, class: 'portrait', title: CAST[key] }, input, url ? el('img', { src: url, alt: CAST[key], width: '64', height: '64' }) : null, el('span', {}, key)));
  }
  return group;
}

function voicePicker(ctx: FormContext): HTMLElement {
  const caller: Holder = (d) => d.caller as unknown as Record<string, unknown>;
  const row = selectField(ctx, t('form.voice'), '$.caller', caller, 'voice', CAST_KEYS.map((k) => ({ value: k, label: `${k} — ${CAST[k]}` })));
  const note = el('span', { class: 'hint', role: 'status' });
  row.append(button(`▶ ${t('form.playVoice')}`, () => {
    note.textContent = '';
    void playVoice(ctx.doc().caller.voice, language()).then((recorded) => {
      if (!recorded) note.textContent = t('form.noSample');
    });
  }, { class: 'secondary' }), note);
  return row;
}

/** An id field: renamed on change (not per key), refused when taken or malformed. */
function idField(ctx: FormContext, path: string, value: string, rename: (value: string, doc: Draft) => void, valid: (value: string) => boolean): HTMLElement {
  const input = el('input', { type: 'text', 'data-path': path, spellcheck: 'false', autocomplete: 'off' });
  input.value = value;
  const note = el('span', { class: 'hint', role: 'status' });
  input.addEventListener('change', () => {
    const next = input.value.trim();
    if (next === value) return;
    if (!valid(next)) {
      note.textContent = t('form.idTaken');
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    ctx.edit(null, (d) => rename(next, d), true);
  });
  const row = fieldRow(t('form.id'), input, path);
  row.append(note);
  return row;
}

function nodeForm(ctx: FormContext, index: number, node: DraftNode, choice: number | null): HTMLElement {
  const doc = ctx.doc();
  const np = `$.nodes[${index}]`;
  const holder: Holder = (d) => d.nodes[index] as unknown as Record<string, unknown>;
  const heading = node.kind === 'ending' ? `${t('kind.ending')} · ${outcomeLabel(language(), node.outcome)}` : t(`kind.${node.kind}`);
  const form = el('div', { class: 'form' }, el('h2', {}, heading));
  const actions = el('div', { class: 'row' });
  if (node.kind !== 'ending') actions.append(button(`▶ ${t('form.playFrom')}`, () => ctx.playFrom(node.id), { class: 'secondary', 'data-action': 'play-from' }));
  actions.append(button(t('form.removeNode'), () => {
    ctx.edit(null, (d) => d.nodes.splice(index, 1), true);
    ctx.select(null, null);
  }, { class: 'danger' }));
  form.append(actions);
  const ids = new Set(doc.nodes.map((n) => n.id));
  form.append(idField(ctx, `${np}.id`, node.id, (value, d) => renameNode(d, node.id, value), (value) => ID_PATTERN.test(value) && !ids.has(value)));

  if (node.kind === 'ending') {
    form.append(
      selectField(ctx, t('form.outcome'), np, holder, 'outcome', OUTCOME_IDS.map((o) => ({ value: o, label: outcomeLabel(language(), o) })), false, true),
      bilingual(ctx, t('form.endingTitle'), np, holder, 'title', false),
      bilingual(ctx, t('form.endingSummary'), np, holder, 'summary'),
    );
  }
  form.append(linesEditor(ctx, index, node));
  if (node.kind === 'caller') {
    form.append(selectField(ctx, t('form.next'), np, holder, 'next', nodeOptions(doc), true, true));
    form.append(branchesEditor(ctx, index, node));
  }
  if (node.kind === 'decision') {
    form.append(
      bilingual(ctx, t('form.prompt'), np, holder, 'prompt', false),
      el('div', { class: 'pair' }, numberField(ctx, t('form.replySeconds'), np, holder, 'replySeconds', { min: 3, max: 300, optional: true }), selectField(ctx, t('form.silenceNext'), np, holder, 'silenceNext', nodeOptions(doc), true, true)),
      optionsEditor(ctx, index, node, choice),
    );
  }
  return form;
}

function linesEditor(ctx: FormContext, index: number, node: DraftNode): HTMLElement {
  const np = `$.nodes[${index}]`;
  const box = el('section', { class: 'lines', 'data-field': `${np}.lines` }, el('h3', {}, t('form.lines')));
  (node.lines ?? []).forEach((line, k) => {
    const lineHolder: Holder = (d) => (d.nodes[index] as DraftNode).lines?.[k] as unknown as Record<string, unknown>;
    const item = el('div', { class: 'line-item' }, bilingual(ctx, `${k + 1}`, `${np}.lines[${k}]`, lineHolder, 'text'));
    item.append(button(t('form.remove'), () => ctx.edit(null, (d) => {
      const n = d.nodes[index] as DraftNode;
      n.lines?.splice(k, 1);
      if (n.lines?.length === 0 && n.kind !== 'caller') delete n.lines;
    }, true), { class: 'link-button', 'aria-label': `${t('form.remove')} ${k + 1}` }));
    box.append(item);
  });
  box.append(button(t('form.addLine'), () => ctx.edit(null, (d) => {
    const n = d.nodes[index] as DraftNode;
    const id = freshId(d, `${d.id}.${n.id}.${(n.lines?.length ?? 0) + 1}`);
    n.lines = [...(n.lines ?? []), { id, text: { 'zh-CN': '', en: '' } }];
  }, true), { class: 'secondary', 'data-action': 'add-line' }));
  return box;
}

function branchesEditor(ctx: FormContext, index: number, node: Extract<DraftNode, { kind: 'caller' }>): HTMLElement {
  const np = `$.nodes[${index}]`;
  const box = el('section', { class: 'branches', 'data-field': `${np}.branches` }, el('h3', {}, t('form.branches')));
  (node.branches ?? []).forEach((_, k) => {
    const bp = `${np}.branches[${k}]`;
    const holder: Holder = (d) => (d.nodes[index] as typeof node).branches?.[k] as unknown as Record<string, unknown>;
    box.append(el('div', { class: 'branch' }, conditionEditor(ctx, bp, holder, false), selectField(ctx, t('form.next'), bp, holder, 'next', nodeOptions(ctx.doc()), false, true), button(t('form.remove'), () => ctx.edit(null, (d) => {
      const n = d.nodes[index] as typeof node;
      n.branches?.splice(k, 1);
      if (n.branches?.length === 0) delete n.branches;
    }, true), { class: 'link-button' })));
  });
  box.append(button(t('form.addBranch'), () => ctx.edit(null, (d) => {
    const n = d.nodes[index] as typeof node;
    n.branches = [...(n.branches ?? []), { when: { moodMin: 50 }, next: n.next ?? d.start }];
  }, true), { class: 'secondary' }));
  return box;
}

function optionsEditor(ctx: FormContext, index: number, node: DraftDecision, selected: number | null): HTMLElement {
  const np = `$.nodes[${index}]`;
  const box = el('section', { class: 'options', 'data-field': `${np}.choices` }, el('h3', {}, t('form.options')));
  node.choices.forEach((c, k) => {
    const open = selected === k;
    const summary = el('summary', {}, `${t('form.option', { n: k + 1 })}: ${pick(c.text) || c.id}`);
    const details = el('details', { class: 'option', 'data-choice': String(k) }, summary);
    if (open) details.open = true;
    summary.addEventListener('click', (e) => {
      e.preventDefault();
      ctx.select(index, open ? null : k);
    });
    if (open) details.append(choiceForm(ctx, index, k, c, node.choices.length));
    // The heading follows the option's words as they are typed.
    details.addEventListener('input', () => {
      const now = (ctx.doc().nodes[index] as DraftDecision | undefined)?.choices[k];
      if (now) summary.textContent = `${t('form.option', { n: k + 1 })}: ${pick(now.text) || now.id}`;
    });
    box.append(details);
  });
  box.append(button(t('form.addOption'), () => {
    const k = node.choices.length;
    ctx.edit(null, (d) => {
      const n = d.nodes[index] as DraftDecision;
      const fallback = d.nodes.find((x) => x.kind === 'ending')?.id ?? n.id;
      n.choices.push({ id: freshId(d, `${n.id}-option-${k + 1}`), text: { 'zh-CN': '', en: '' }, next: fallback, feedback: { 'zh-CN': '', en: '' } });
    }, true);
    ctx.select(index, k);
  }, { class: 'secondary', 'data-action': 'add-option' }));
  return box;
}

function choiceForm(ctx: FormContext, index: number, k: number, c: DraftChoice, count: number): HTMLElement {
  const doc = ctx.doc();
  const np = `$.nodes[${index}]`;
  const cp = `${np}.choices[${k}]`;
  const holder: Holder = (d) => (d.nodes[index] as DraftDecision).choices[k] as unknown as Record<string, unknown>;
  const kind = c.kind ?? 'say';
  const form = el('div', { class: 'choice-form' });
  const move = (to: number) => ctx.edit(null, (d) => {
    const list = (d.nodes[index] as DraftDecision).choices;
    const [item] = list.splice(k, 1);
    if (item) list.splice(to, 0, item);
  }, true);
  form.append(el('div', { class: 'row' },
    k > 0 ? button(`↑ ${t('form.up')}`, () => { move(k - 1); ctx.select(index, k - 1); }, { class: 'link-button' }) : null,
    k < count - 1 ? button(`↓ ${t('form.down')}`, () => { move(k + 1); ctx.select(index, k + 1); }, { class: 'link-button' }) : null,
    button(t('form.remove'), () => { ctx.edit(null, (d) => (d.nodes[index] as DraftDecision).choices.splice(k, 1), true); ctx.select(index, null); }, { class: 'link-button danger-text' }),
  ));
  form.append(
    selectField(ctx, t('form.kind'), cp, holder, 'kind', CHOICE_KINDS.map((x) => ({ value: x, label: kindLabel(language(), x) })), false, true, 'say'),
    bilingual(ctx, t('form.text'), cp, holder, 'text'),
    selectField(ctx, t('form.next'), cp, holder, 'next', nodeOptions(doc), false, true),
    bilingual(ctx, t('form.feedback'), cp, holder, 'feedback'),
    el('div', { class: 'pair' }, numberField(ctx, t('form.moodChange'), cp, holder, 'mood', { min: -100, max: 100, optional: true, integer: true }), selectField(ctx, t('form.step'), cp, holder, 'step', FLOW_STEPS.map((s) => ({ value: s, label: stepLabel(language(), s) })), true)),
  );
  if (kind === 'ticket' || c.tier !== undefined) form.append(selectField(ctx, t('form.tier'), cp, holder, 'tier', TICKET_TIERS.map((x) => ({ value: x, label: tierLabel(language(), x) })), true));
  if (kind === 'hold' || c.holdSeconds !== undefined) form.append(numberField(ctx, t('form.holdSeconds'), cp, holder, 'holdSeconds', { min: 1, max: 600, optional: true }));
  form.append(scoresEditor(ctx, cp, holder, ctx.rulebook), rulesEditor(ctx, cp, holder, ctx.rulebook), conditionEditor(ctx, `${cp}.when`, holder, true), flagsEditor(ctx, cp, holder));
  return form;
}

function scoresEditor(ctx: FormContext, cp: string, holder: Holder, rulebook: Rulebook): HTMLElement {
  const box = el('fieldset', { class: 'scores', 'data-field': `${cp}.scores` }, el('legend', {}, t('form.points')));
  const scores = (holder(ctx.doc()).scores ?? {}) as Record<string, number>;
  for (const d of rulebook.dimensions) {
    const p = childPath(`${cp}.scores`, d.id);
    const input = el('input', { type: 'number', min: '-20', max: '20', step: '1', 'data-path': p, title: pick(d.description) });
    input.value = d.id in scores ? String(scores[d.id]) : '';
    input.addEventListener('input', () => {
      const raw = input.value.trim();
      const n = Math.round(Number(raw));
      if (raw !== '' && !Number.isFinite(n)) return;
      ctx.edit(p, (doc) => {
        const h = holder(doc);
        const next = { ...((h.scores ?? {}) as Record<string, number>) };
        if (raw === '' || n === 0) delete next[d.id];
        else next[d.id] = Math.max(-20, Math.min(20, n));
        if (Object.keys(next).length) h.scores = next;
        else delete h.scores;
      });
    });
    box.append(fieldRow(pick(d.name), input));
  }
  return box;
}

function rulesEditor(ctx: FormContext, cp: string, holder: Holder, rulebook: Rulebook): HTMLElement {
  const rules = (holder(ctx.doc()).rules ?? {}) as { kept?: string[]; broken?: string[] };
  const state = (id: string) => (rules.kept?.includes(id) ? 'kept' : rules.broken?.includes(id) ? 'broken' : '');
  const box = el('fieldset', { class: 'rules', 'data-field': `${cp}.rules` }, el('legend', {}, t('form.rules')));
  const filter = el('input', { type: 'search', placeholder: t('form.rulesFilter'), 'aria-label': t('form.rulesFilter') });
  const list = el('ul', { class: 'rule-list' });
  // The rules this option names first, then the rest of the rulebook.
  const ordered = [...rulebook.rules].sort((a, b) => Number(state(b.id) !== '') - Number(state(a.id) !== ''));
  for (const rule of ordered) {
    const select = el('select', { 'data-path': `${cp}.rules`, 'data-rule': rule.id, 'aria-label': pick(rule.text) });
    for (const [value, key] of [['', 'form.rule.none'], ['kept', 'form.rule.kept'], ['broken', 'form.rule.broken']] as const) select.append(el('option', { value }, t(key)));
    select.value = state(rule.id);
    select.addEventListener('change', () => {
      const value = select.value;
      ctx.edit(null, (doc) => {
        const h = holder(doc);
        const r = { ...((h.rules ?? {}) as { kept?: string[]; broken?: string[] }) };
        const kept = (r.kept ?? []).filter((x) => x !== rule.id);
        const broken = (r.broken ?? []).filter((x) => x !== rule.id);
        if (value === 'kept') kept.push(rule.id);
        if (value === 'broken') broken.push(rule.id);
        const next: { kept?: string[]; broken?: string[] } = {};
        if (kept.length) next.kept = kept;
        if (broken.length) next.broken = broken;
        if (next.kept || next.broken) h.rules = next;
        else delete h.rules;
      });
      item.classList.toggle('used', value !== '');
    });
    const words = `${pick(rule.text)}${rule.critical ? ` · ${t('form.rule.critical')}` : ''}`;
    const item = el('li', { class: state(rule.id) ? 'used' : '', 'data-words': `${rule.text['zh-CN'] ?? ''} ${rule.text.en ?? ''} ${rule.id}`.toLowerCase() }, select, el('span', { class: rule.critical ? 'critical' : '' }, words));
    list.append(item);
  }
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const li of Array.from(list.children) as HTMLElement[]) li.hidden = q !== '' && !(li.dataset.words ?? '').includes(q);
  });
  box.append(filter, list);
  return box;
}

/** A condition built from the flags and the mood; `optional`: the whole `when` goes when empty. */
function conditionEditor(ctx: FormContext, path: string, holder: Holder, optional: boolean): HTMLElement {
  const key = 'when';
  const flags = knownFlags(ctx.doc());
  const when = (holder(ctx.doc())[key] ?? {}) as DraftCondition;
  const box = el('fieldset', { class: 'condition', 'data-field': optional ? path : `${path}.when` }, el('legend', {}, t('form.when')));
  const set = (change: (w: DraftCondition) => void) => ctx.edit(null, (doc) => {
    const h = holder(doc);
    const w: DraftCondition = { ...((h[key] ?? {}) as DraftCondition) };
    change(w);
    for (const k of ['flags', 'notFlags'] as const) if (w[k]?.length === 0) delete w[k];
    if (optional && Object.keys(w).length === 0) delete h[key];
    else h[key] = w;
  });
  const p = optional ? path : `${path}.when`;
  const group = (label: string, field: 'flags' | 'notFlags') => {
    const g = el('div', { class: 'flag-group' }, el('span', { class: 'hint' }, label));
    for (const flag of flags) {
      const id = nextId('c');
      const input = el('input', { type: 'checkbox', id, 'data-path': `${p}.${field}` });
      input.checked = when[field]?.includes(flag) ?? false;
      input.addEventListener('change', () => set((w) => {
        const list = (w[field] ?? []).filter((f) => f !== flag);
        if (input.checked) list.push(flag);
        w[field] = list;
      }));
      g.append(el('label', { for: id, class: 'check' }, input, flag));
    }
    return g;
  };
  if (flags.length) box.append(group(t('form.flagsSet'), 'flags'), group(t('form.flagsNotSet'), 'notFlags'));
  else box.append(el('p', { class: 'hint' }, t('form.noFlags')));
  for (const [field, label] of [['moodMin', t('form.moodMin')], ['moodMax', t('form.moodMax')]] as const) {
    const input = el('input', { type: 'number', min: '0', max: '100', step: '1', 'data-path': `${p}.${field}` });
    input.value = when[field] === undefined ? '' : String(when[field]);
    input.addEventListener('change', () => {
      const raw = input.value.trim();
      set((w) => {
        if (raw === '') delete w[field];
        else w[field] = Math.max(0, Math.min(100, Math.round(Number(raw))));
      });
    });
    box.append(fieldRow(label, input));
  }
  return box;
}

function flagsEditor(ctx: FormContext, cp: string, holder: Holder): HTMLElement {
  const flags = knownFlags(ctx.doc());
  const c = holder(ctx.doc()) as unknown as DraftChoice;
  const box = el('fieldset', { class: 'flags', 'data-field': `${cp}.set` });
  for (const field of ['set', 'unset'] as const) {
    const g = el('div', { class: 'flag-group' }, el('span', { class: 'hint' }, field === 'set' ? t('form.setFlags') : t('form.unsetFlags')));
    for (const flag of flags) {
      const id = nextId('s');
      const input = el('input', { type: 'checkbox', id, 'data-path': `${cp}.${field}` });
      input.checked = c[field]?.includes(flag) ?? false;
      input.addEventListener('change', () => ctx.edit(null, (doc) => {
        const h = holder(doc) as unknown as DraftChoice;
        const list = (h[field] ?? []).filter((f) => f !== flag);
        if (input.checked) list.push(flag);
        if (list.length) h[field] = list;
        else delete h[field];
      }));
      g.append(el('label', { for: id, class: 'check' }, input, flag));
    }
    box.append(g);
  }
  const fresh = el('input', { type: 'text', placeholder: t('form.newFlag'), 'aria-label': t('form.newFlag'), spellcheck: 'false' });
  const add = () => {
    const flag = fresh.value.trim().toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+/, '');
    if (!flag) return;
    ctx.edit(null, (doc) => {
      const h = holder(doc) as unknown as DraftChoice;
      if (!h.set?.includes(flag)) h.set = [...(h.set ?? []), flag];
    }, true);
  };
  fresh.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') add();
  });
  box.append(el('div', { class: 'row' }, fresh, button(t('form.addFlag'), add, { class: 'secondary' })));
  return box;
}

export function emptyLocalised(): Localised {
  return { 'zh-CN': '', en: '' };
}

/** A new card of a kind, with an id not yet used; returns its index. */
export function addNode(doc: Draft, kind: 'decision' | 'caller' | 'ending'): number {
  const id = freshId(doc, kind === 'ending' ? 'end' : kind === 'caller' ? 'caller-says' : 'decision');
  const lineId = freshId(doc, `${doc.id}.${id}.1`);
  if (kind === 'decision') doc.nodes.push({ id, kind, lines: [{ id: lineId, text: emptyLocalised() }], choices: [] });
  else if (kind === 'caller') doc.nodes.push({ id, kind, lines: [{ id: lineId, text: emptyLocalised() }] });
  else doc.nodes.push({ id, kind, outcome: 'resolved', title: emptyLocalised(), summary: emptyLocalised() });
  return doc.nodes.length - 1;
}
