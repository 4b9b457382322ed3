/** One attempt's annotated transcript: what the caller said, what the trainee chose, and why it scored. */
import type { AttemptDetailAnswer } from '../server/schemas';
import { h } from './dom';
import { heatColour } from './charts';
import { flagReason } from './analytics';
import { OUTCOME_WORDS, pick, type Lang, type T } from './i18n';

type Entry = AttemptDetailAnswer['debrief']['transcript'][number];

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** A rule kept or broken, in the rule's own words (as the trainee saw it), never its id. */
function ruleChips(ids: readonly string[], kind: 'kept' | 'broken', rules: Record<string, { en?: string; 'zh-CN'?: string }>, lang: Lang, t: T) {
  return ids.map((id) => h('span', { class: `rule ${kind}`, 'data-rule': id }, `${kind === 'kept' ? '✓' : '✗'} ${t(kind === 'kept' ? 'debrief.rule.kept' : 'debrief.rule.broken', { rule: pick(rules[id], lang, id) })}`));
}

const KINDS = ['hold', 'lookup', 'sms', 'ticket', 'transfer', 'escalate', 'hang-up'] as const;
const kindWord = (kind: string, t: T) => ((KINDS as readonly string[]).includes(kind) ? t(`kind.${kind as (typeof KINDS)[number]}`) : kind);

function entryView(entry: Entry, detail: AttemptDetailAnswer, lang: Lang, t: T, dimensionName: (id: string) => string): HTMLElement | null {
  const rules = detail.debrief.rules;
  const time = h('span', { class: 'at' }, clock(entry.at));
  switch (entry.kind) {
    case 'answer':
      return h('li', { class: 'event' }, time, t('debrief.answer', { ring: entry.ring }), entry.late ? ` ${t('debrief.late')}` : '');
    case 'caller':
      return h('li', { class: `line caller${entry.narration ? ' narration' : ''}` }, time, h('span', { class: 'who' }, entry.narration ? '' : t('debrief.caller')), h('p', {}, pick(entry.text, lang, entry.lineId)));
    case 'agent': {
      const scores = Object.entries(entry.scores).map(([dim, v]) => h('span', { class: `delta ${v >= 0 ? 'up' : 'down'}` }, `${dimensionName(dim)} ${v > 0 ? '+' : ''}${v}`));
      return h(
        'li',
        { class: 'line agent' },
        time,
        h('span', { class: 'who' }, t('debrief.agent'), entry.choiceKind !== 'say' ? ` · ${kindWord(entry.choiceKind, t)}` : ''),
        h('p', { class: 'said' }, pick(entry.text, lang, entry.choiceId)),
        // What the trainee saw, in the order shown (the seed's order), with the place chosen marked.
        entry.shown.length > 1
          ? h(
              'details',
              { class: 'shown', open: true },
              h('summary', {}, t('debrief.shown', { n: entry.position })),
              h('ol', {}, ...entry.shown.map((id, i) => h('li', { class: i + 1 === entry.position ? 'chosen' : '' }, pick(entry.shownText[i], lang, id)))),
            )
          : '',
        h('p', { class: 'feedback' }, pick(entry.feedback, lang)),
        h(
          'div',
          { class: 'chips' },
          ...entry.critical.map((id) => h('span', { class: 'rule critical', title: pick(rules[id], lang, id) }, `⚠ ${t('debrief.critical')}: ${pick(rules[id], lang, id)}`)),
          ...ruleChips(entry.kept, 'kept', rules, lang, t),
          ...ruleChips(entry.broken, 'broken', rules, lang, t),
          ...scores,
          h('span', { class: 'mood' }, t('debrief.mood', { a: entry.moodBefore, b: entry.moodAfter })),
        ),
      );
    }
    case 'silence':
      return h('li', { class: 'event warn' }, time, t('debrief.silence'));
    case 'hold':
      return h('li', { class: 'event' }, time, t('debrief.hold', { s: entry.seconds }));
    case 'mood-limit':
      return h('li', { class: 'event warn' }, time, t('debrief.moodLimit'));
    case 'end':
      return h('li', { class: 'ending' }, time, h('strong', {}, pick(entry.title, lang, pick(OUTCOME_WORDS[entry.outcome], lang, entry.outcome))), h('p', {}, pick(entry.summary, lang)));
  }
}

export function transcriptView(detail: AttemptDetailAnswer, lang: Lang, t: T, dimensionName: (id: string) => string): HTMLElement {
  const { attempt, debrief, scenario } = detail;
  const result = debrief.result;
  const bars = result.dimensions
    .filter((d) => d.max > 0)
    .map((d) =>
      h(
        'div',
        { class: 'bar' },
        h('span', { class: 'bar-name' }, dimensionName(d.id)),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${Math.max(0, Math.min(100, d.percent))}%;background:${heatColour(d.percent)}` })),
        h('span', { class: 'bar-value' }, `${d.percent}%`),
      ),
    );
  return h(
    'article',
    { class: 'transcript', 'aria-label': t('transcript') },
    h(
      'header',
      {},
      h('h3', {}, pick(scenario.title, lang, scenario.id)),
      h(
        'p',
        { class: 'meta' },
        attempt.traineeName,
        ' · ',
        new Date(attempt.startedAt).toLocaleString(lang),
        ' · ',
        pick(OUTCOME_WORDS[result.outcome], lang, result.outcome),
        attempt.mode === 'assessment' ? ` · ${t('debrief.assessment')}` : '',
      ),
      h('p', { class: `total ${result.passed ? 'pass' : 'fail'}` }, result.passed ? '✓ ' : '✗ ', t('debrief.total', { total: result.total, mark: result.passMark })),
      ...result.failReasons
        .filter((r) => r.kind === 'critical')
        .map((r) => h('p', { class: 'fail-reason' }, t('debrief.failCritical', { rule: r.kind === 'critical' ? pick(debrief.rules[r.ruleId], lang, r.ruleId) : '' }))),
      attempt.timedByServer ? '' : h('p', { class: 'untimed' }, t('debrief.untimed')),
      attempt.flags.some((f) => f.kind !== 'untimed')
        ? h('div', { class: 'flags' }, h('strong', {}, t('debrief.flags')), h('ul', {}, ...attempt.flags.filter((f) => f.kind !== 'untimed').map((f) => h('li', {}, flagReason(f, lang, t)))))
        : '',
      h('div', { class: 'bars' }, ...bars),
    ),
    h('ol', { class: 'lines' }, ...debrief.transcript.map((e) => entryView(e, detail, lang, t, dimensionName))),
  );
}
