/**
 * Debrief: how the call ended, pass or fail (a critical rule broken first, in the rule's words),
 * the total and each skill against the model call with its weight, every choice with the options
 * as the trainee saw them, its feedback and the rules it kept or broke, and the model call beside
 * the trainee's (not in an assessment). Retry, or pick another caller.
 */
import * as Phaser from 'phaser';
import type { TranscriptEntry } from '../../engine/call/logic';
import type { Choice, EndingNode, Scenario } from '../../engine/format/schema';
import type { Rulebook } from '../../engine/format/rulebook';
import type { AttemptMode } from '../../engine/attempt';
import type { CallResult, ChoiceReview, CriticalBreach } from '../../engine/scoring';
import { kindLabel, labelled, outcomeLabel, pick, t, type Language } from '../i18n';
import { results } from '../net/index';
import { services } from '../services';
import { sound } from '../sound-port';
import { clearTargets, setHookDebrief, setHookPicker, setTarget } from '../test-hook';
import { colour, css, radius, space } from '../theme';
import { growBar } from '../ui/bar';
import { Button } from '../ui/button';
import { FocusManager, type Direction, type Focusable } from '../ui/focus';
import { frameOf, type Frame } from '../ui/layout';
import { ScrollView, type Rect } from '../ui/scroll-view';
import { OWNER, reportAt } from '../ui/hit-test';
import { makeText } from '../ui/text';
import type { CallData, CallKit } from './call';
import { launchCall } from '../net/assignments';
import { cmi5Session } from '../net/cmi5';
import { GAME_EVENT, SCENE } from './keys';

export interface DebriefData {
  kit: CallKit;
  scenario: Scenario;
  scenarioSource: unknown;
  entryId: string;
  page: number;
  result: CallResult;
  saved: boolean;
  /** The saved record's id: the line under the buttons says "sent to your team" once the server has it. */
  recordId?: string;
  transcript: TranscriptEntry[];
  /** An assessment's debrief shows each choice's feedback and rules, not the model call. */
  mode?: AttemptMode;
  /** The assignment the call was for: another attempt is started for it, and counted. */
  assignmentId?: number;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The scroll area as one focus stop: arrow keys and Page Up/Down scroll it. */
class ScrollStop implements Focusable {
  constructor(private readonly view: ScrollView) {}
  screenBounds() {
    const r = this.view.rect;
    return new Phaser.Geom.Rectangle(r.x, r.y, r.width, r.height);
  }
  ringBounds() {
    const r = this.view.rect;
    return new Phaser.Geom.Rectangle(r.x + 6, r.y + 6, r.width - 12, r.height - 12);
  }
  enabled() {
    return this.view.maxOffset() > 0;
  }
  visible() {
    return true;
  }
  activate() {
    this.view.scrollBy(this.view.rect.height * 0.8);
  }
  setFocused() {}
  arrow(direction: Direction): boolean {
    if (direction === 'up' && this.view.scrollOffset > 0) {
      this.view.scrollBy(-80);
      return true;
    }
    if (direction === 'down' && this.view.scrollOffset < this.view.maxOffset()) {
      this.view.scrollBy(80);
      return true;
    }
    return false;
  }
}

export class Debrief extends Phaser.Scene {
  private data_!: DebriefData;
  private frame!: Frame;
  private language!: Language;
  private rulebook!: Rulebook;

  constructor() {
    super(SCENE.debrief);
  }

  private retrying = false;

  init(data: DebriefData): void {
    this.data_ = data;
    this.retrying = false;
  }

  create(): void {
    const data = this.data_;
    const result = data.result;
    this.frame = frameOf(this.scale.width, this.scale.height);
    this.language = services().settings.value.language;
    this.rulebook = data.kit.defaultRulebook();
    this.cameras.main.setBackgroundColor(colour.backdrop);
    const focus = new FocusManager(this);
    clearTargets();
    const relayout = () => this.scene.restart(this.data_);
    this.game.events.on(GAME_EVENT.relayout, relayout);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.game.events.off(GAME_EVENT.relayout, relayout));

    const { width, height } = this.scale;
    const m = space.l;
    const language = this.language;
    const headerBottom = this.drawHeader(m, width);
    const buttonHeight = Math.round(this.frame.text('body') * 2.4);
    const buttonsY = height - m - buttonHeight;
    // Whether the attempt was kept: beside the buttons on a wide screen, on its own line above them
    // on a phone, where the two buttons share the width.
    const savedNote = makeText(this, m, 0, data.saved ? `✓ ${t(language, 'debrief.saved')}` : t(language, 'debrief.notSaved'), { size: this.frame.text('small'), colour: data.saved ? 'textMuted' : 'bad', width: width - m * 2 });
    let contentBottom = this.frame.portrait ? buttonsY - space.s - savedNote.height - space.s : buttonsY;
    // A cmi5 launch: a line about the course (sending, sent, or why not) over the buttons, room for two lines.
    const course = cmi5Session();
    let courseNote: Phaser.GameObjects.Text | null = null;
    if (course) {
      courseNote = makeText(this, m, 0, 'A\nA', { size: this.frame.text('small'), width: width - m * 2, maxLines: 2 });
      contentBottom -= courseNote.height + space.s;
      courseNote.setY(contentBottom + space.s);
    }
    let chartRect: Rect;
    let listRect: Rect;
    if (this.frame.portrait) {
      chartRect = { x: m, y: headerBottom + space.m, width: width - m * 2, height: result.dimensions.length * 64 + 72 + Math.round(this.frame.text('small') * 2.8) };
      listRect = { x: m, y: chartRect.y + chartRect.height + space.m, width: width - m * 2, height: contentBottom - space.m - (chartRect.y + chartRect.height + space.m) };
    } else {
      chartRect = { x: m, y: headerBottom + space.m, width: 380, height: contentBottom - space.m - headerBottom - space.m };
      listRect = { x: m + 380 + space.l, y: headerBottom + space.m, width: width - m * 2 - 380 - space.l, height: chartRect.height };
    }
    this.drawChart(chartRect, result);
    const list = this.drawReview(listRect, result);

    const half = (width - m * 2 - space.m) / 2;
    const retryWidth = this.frame.portrait ? half : 300;
    const anotherWidth = this.frame.portrait ? half : cmi5Session()?.state.returnURL ? 300 : 260;
    const retry = new Button(this, {
      x: width - m - retryWidth,
      y: buttonsY,
      width: retryWidth,
      height: buttonHeight,
      label: t(language, 'debrief.retry'),
      size: this.frame.text('body'),
      variant: 'primary',
      onPress: () => this.retry(),
    });
    // Launched by the course with a return address: back to the course instead of another caller.
    const toCourse = course?.state.returnURL ? course : null;
    const another = new Button(this, {
      x: width - m - retryWidth - space.m - anotherWidth,
      y: buttonsY,
      width: anotherWidth,
      height: buttonHeight,
      label: t(language, toCourse ? 'cmi5.return' : 'debrief.another'),
      size: this.frame.text('body'),
      onPress: () => (toCourse ? void toCourse.returnToCourse() : this.scene.start(SCENE.menu, { page: data.page, focusId: data.entryId })),
    });
    // What the tests read: the result drawn, and the line under the buttons as it is now.
    const view = {
      outcome: result.outcome,
      passed: result.passed,
      total: result.total,
      dimensions: Object.fromEntries(result.dimensions.map((d) => [d.id, d.percent])),
      choices: result.choices.map((c) => c.choiceId),
      shown: result.choices.map((c) => ({ shown: c.shown, position: c.position })),
      critical: result.criticalBreaches.map((b) => b.ruleId),
      weights: result.weights,
      seed: result.seed,
      mode: data.mode ?? 'practice',
      modelCallShown: data.mode !== 'assessment',
      saved: savedNote.text,
    };
    // Anchored at its bottom (a phone) or middle, so "sent to your team" replacing it stays put.
    if (this.frame.portrait) savedNote.setOrigin(0, 1).setPosition(m, buttonsY - space.s);
    else savedNote.setOrigin(0, 0.5).setPosition(m, buttonsY + buttonHeight / 2);
    savedNote.setData(OWNER, 'saved');
    const outbox = results();
    if (data.saved && data.recordId && outbox) {
      const stop = outbox.watch(data.recordId, (delivery) => {
        if (delivery !== 'sent' || !savedNote.active) return;
        savedNote.setText(`✓ ${t(language, 'debrief.sent')}`);
        view.saved = savedNote.text;
      });
      this.events.once(Phaser.Scenes.Events.SHUTDOWN, stop);
    }
    for (const [button, name] of [[retry, 'retry'], [another, 'another']] as const) for (const part of [button.background, button.label, button.icon, button.hint]) part?.setData(OWNER, name);
    setHookPicker((x, y) => reportAt(this, x, y));
    setTarget('saved', () => savedNote.getBounds());
    focus.add(retry, another, new ScrollStop(list));
    // Page Up/Down, Home and End scroll the review wherever the focus is.
    const onKey = (event: KeyboardEvent) => {
      const page = list.rect.height * 0.85;
      if (event.key === 'PageDown') list.scrollBy(page);
      else if (event.key === 'PageUp') list.scrollBy(-page);
      else if (event.key === 'Home') list.scrollTo(0);
      else if (event.key === 'End') list.scrollToEnd();
    };
    this.input.keyboard?.on('keydown', onKey);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.input.keyboard?.off('keydown', onKey));
    setTarget('retry', () => retry.screenBounds());
    setTarget('another', () => another.screenBounds());
    focus.focus(retry);

    const verdict = t(language, result.passed ? 'debrief.passed' : 'debrief.failed');
    const live = services().live;
    live.clear();
    live.say(t(language, 'live.result', { outcome: outcomeLabel(language, result.outcome), verdict, total: result.total, passMark: result.passMark }));
    const ruleWords = new Map(this.rulebook.rules.map((r) => [r.id, pick(r.text, language)]));
    for (const breach of result.criticalBreaches) live.say(labelled(language, t(language, 'debrief.critical'), ruleWords.get(breach.ruleId) ?? breach.ruleId));
    sound().ui(result.passed ? 'pass' : 'fail');
    if (course && courseNote) this.showCourse(course, courseNote, view, result);
    setHookDebrief(view);
  }

  /** The course's line, kept up to date; the first call of a cmi5 launch sends its result. */
  private showCourse(course: NonNullable<ReturnType<typeof cmi5Session>>, note: Phaser.GameObjects.Text, view: Record<string, unknown>, result: CallResult): void {
    const language = this.language;
    const verdict = (passed: boolean) => t(language, passed ? 'debrief.passed' : 'debrief.failed');
    // Only the launch's first call goes to the course; a retry's debrief says it was practice.
    const reporting = course.records && this.data_.scenario.id === course.launch.scenarioId;
    const lineNow = () => (reporting || course.state.phase === 'failed' || course.state.launchMode !== 'Normal' ? course.statusLine(language, verdict) : { text: t(language, 'cmi5.alreadySent'), tone: 'muted' as const });
    const draw = () => {
      if (!note.active) return;
      const line = lineNow();
      note.setText(line.text).setColor(css(line.tone === 'bad' ? 'bad' : 'textMuted'));
      view.course = line.text;
    };
    const off = course.onChange(() => {
      draw();
      if (course.state.phase !== 'sending') services().live.say(lineNow().text);
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, off);
    setTarget('course', () => note.getBounds());
    view.returnToCourse = course.state.returnURL !== null;
    if (reporting) void course.report({ total: result.total, passed: result.passed, criticalBroken: result.criticalBreaches.length > 0 });
    else if (course.state.phase === 'ready') void course.terminate();
    draw();
  }

  private retry(): void {
    const d = this.data_;
    // Another attempt: a new seed (the server's when it starts it), the same mode and assignment.
    const data: CallData = { kit: d.kit, scenario: d.scenario, scenarioSource: d.scenarioSource, entryId: d.entryId, page: d.page, ...(d.mode ? { mode: d.mode } : {}) };
    if (this.retrying) return;
    this.retrying = true;
    void launchCall(this, data, d.assignmentId).then((refused) => {
      this.retrying = false;
      // The assignment has no attempt left (or the server cannot be reached): the menu says why.
      if (refused) this.scene.start(SCENE.menu, { page: d.page, focusId: d.entryId, notice: refused });
    });
  }

  private drawHeader(m: number, width: number): number {
    const { result, scenario } = this.data_;
    const language = this.language;
    const frame = this.frame;
    makeText(this, m, m - 4, `${t(language, 'debrief.title')} · ${pick(scenario.title, language)}`, { size: frame.text('small'), colour: 'textMuted', width: width * 0.6, maxLines: 1 });
    const outcome = makeText(this, m, m + frame.text('small') * 1.4, outcomeLabel(language, result.outcome), { size: frame.text('display'), bold: true });
    const pill = makeText(this, outcome.x + outcome.width + space.m, outcome.y + outcome.height / 2, t(language, result.passed ? 'debrief.passed' : 'debrief.failed'), {
      size: frame.text('body'),
      bold: true,
      colour: 'white',
    })
      .setOrigin(0, 0.5)
      .setPadding(14, 6, 14, 6)
      .setBackgroundColor(result.passed ? '#2a9d6a' : '#c8443d');
    void pill;
    const factsText = result.answerRing > 0 ? t(language, 'debrief.facts', { ring: result.answerRing, silences: result.silences, duration: formatDuration(result.durationMs) }) : t(language, 'debrief.factsUnanswered', { duration: formatDuration(result.durationMs) });
    const facts = makeText(this, m, outcome.y + outcome.height + space.xs, factsText, {
      size: frame.text('small'),
      colour: 'textMuted',
    });
    const total = makeText(this, width - m, m, `${result.total}%`, { size: frame.text('display') + 12, bold: true, colour: result.passed ? 'good' : result.total >= result.passMark ? 'warn' : 'bad' }).setOrigin(1, 0);
    makeText(this, width - m, total.y + total.height, `${t(language, 'debrief.total')} · ${t(language, 'debrief.passMark', { n: result.passMark })}`, { size: frame.text('small'), colour: 'textMuted' }).setOrigin(1, 0);
    return Math.max(facts.y + facts.height, total.y + total.height + frame.text('small') * 1.4) + space.s;
  }

  private drawChart(rect: Rect, result: CallResult): void {
    const frame = this.frame;
    const language = this.language;
    this.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panel).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const pad = space.m;
    const title = makeText(this, rect.x + pad, rect.y + pad, t(language, 'debrief.skills'), { size: frame.text('body'), bold: true });
    const dimensions = result.dimensions;
    const top = title.y + title.height + space.m;
    // Room for the note under the bars: what they are measured against.
    const note = frame.text('small') * 2.8;
    const rowHeight = Math.min(frame.portrait ? 64 : 58, (rect.y + rect.height - pad - top - note) / Math.max(1, dimensions.length));
    const barWidth = rect.width - pad * 2;
    const names = new Map(this.rulebook.dimensions.map((d) => [d.id, d.name]));
    dimensions.forEach((dimension, i) => {
      const y = top + i * rowHeight;
      // Each bar is the trainee's points against the model call's, with the dimension's weight.
      const label = `${pick(names.get(dimension.id), language) || dimension.id} ×${dimension.weight}`;
      makeText(this, rect.x + pad, y, label, { size: frame.text('small'), colour: dimension.counted ? 'text' : 'textFaint', width: barWidth * 0.55, maxLines: 1 });
      const figures = dimension.counted ? `${dimension.raw}/${dimension.model} · ${dimension.percent}%` : `${dimension.raw} · ${t(language, 'debrief.notCounted')}`;
      makeText(this, rect.x + rect.width - pad, y, figures, { size: frame.text('small'), bold: true, colour: 'textMuted' }).setOrigin(1, 0);
      const barY = y + frame.text('small') * 1.45;
      this.add.rectangle(rect.x + pad, barY, barWidth, 10, colour.panelSunken).setOrigin(0).setRounded(5);
      const fill = this.add.rectangle(rect.x + pad, barY, 10, 10, dimension.percent >= result.passMark ? colour.good : dimension.percent >= 50 ? colour.warn : colour.bad).setOrigin(0).setRounded(5);
      const target = Math.max(10, (barWidth * dimension.percent) / 100);
      growBar(this, fill, target, !services().settings.value.reducedMotion, { duration: 600, delay: 80 * i });
    });
    makeText(this, rect.x + pad, top + rowHeight * dimensions.length + space.xs, t(language, 'debrief.modelMark'), { size: frame.text('small'), colour: 'textFaint', width: barWidth });
    // The pass mark as a line across every bar.
    const markX = rect.x + pad + (barWidth * result.passMark) / 100;
    const mark = this.add.graphics();
    mark.lineStyle(2, colour.white, 0.35);
    for (let y = top; y < top + rowHeight * dimensions.length; y += 8) mark.lineBetween(markX, y + 22, markX, y + 26);
  }

  private drawReview(rect: Rect, result: CallResult): ScrollView {
    const language = this.language;
    const frame = this.frame;
    this.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panelSunken).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, colour.line);
    const view = new ScrollView(this, { x: rect.x + space.s, y: rect.y + space.s, width: rect.width - space.s * 2, height: rect.height - space.s * 2 }, () => !services().settings.value.reducedMotion);
    const content = view.content;
    const inner = rect.width - space.s * 2 - space.l;
    // An assessment shows no model call: the trainee's column takes the width.
    const sideBySide = !frame.portrait && inner > 640 && this.data_.mode !== 'assessment';
    const gap = space.l;
    const yourWidth = sideBySide ? Math.round(inner * 0.6) : inner;
    const modelWidth = sideBySide ? inner - yourWidth - gap : inner;
    const x0 = space.m;
    let y = space.m;

    // A critical rule broken fails the call whatever its points: that is said first, in the rule's words.
    if (result.criticalBreaches.length > 0) y = this.drawCritical(content, x0, y, inner, result.criticalBreaches) + space.l;

    const ending = this.data_.scenario.nodes.find((n): n is EndingNode => n.kind === 'ending' && n.id === result.endingId);
    if (ending) {
      const head = makeText(this, x0, y, labelled(language, t(language, 'debrief.ending'), pick(ending.title, language)), { size: frame.text('body'), bold: true, width: inner });
      const body = makeText(this, x0, head.y + head.height + space.xs, pick(ending.summary, language), { size: frame.text('small'), colour: 'textMuted', width: inner });
      content.add([head, body]);
      y = body.y + body.height + space.l;
    }

    const assessment = this.data_.mode === 'assessment';
    if (assessment) {
      const note = makeText(this, x0, y, t(language, 'debrief.assessment'), { size: frame.text('small'), colour: 'warn', width: inner });
      content.add(note);
      y = note.y + note.height + space.m;
    }
    const columnsTop = y;
    const yourTitle = makeText(this, x0, y, t(language, 'debrief.yourCall'), { size: frame.text('body'), bold: true, colour: 'accent', width: yourWidth });
    content.add(yourTitle);
    y = yourTitle.y + yourTitle.height + space.s;
    if (result.choices.length === 0) {
      const none = makeText(this, x0, y, t(language, 'debrief.noChoices'), { size: frame.text('small'), colour: 'textMuted', width: yourWidth });
      content.add(none);
      y = none.y + none.height + space.m;
    }
    const best = new Set(assessment ? [] : result.bestPath);
    result.choices.forEach((review, i) => {
      y = this.drawReviewItem(content, x0, y, yourWidth, i + 1, review, best.has(review.choiceId)) + space.m;
    });
    let bottom = y;
    if (assessment) {
      view.setContentHeight(bottom + space.m);
      return view;
    }

    // The model call: beside the trainee's on a wide screen, after it on a phone.
    let my = sideBySide ? columnsTop : y + space.m;
    const mx = sideBySide ? x0 + yourWidth + gap : x0;
    const modelTitle = makeText(this, mx, my, t(language, 'debrief.modelCall'), { size: frame.text('body'), bold: true, colour: 'good', width: modelWidth });
    content.add(modelTitle);
    my = modelTitle.y + modelTitle.height + space.s;
    const chosen = new Set(result.choices.map((c) => c.choiceId));
    const byId = new Map<string, Choice>();
    for (const node of this.data_.scenario.nodes) if (node.kind === 'decision') for (const c of node.choices) byId.set(c.id, c);
    result.bestPath.forEach((id, i) => {
      const choice = byId.get(id);
      if (!choice) return;
      const same = chosen.has(id);
      const label = `${i + 1}. ${choice.kind === 'say' ? '' : `[${kindLabel(language, choice.kind)}] `}${pick(choice.text, language)}`;
      const text = makeText(this, mx + space.m, my, label, { size: frame.text('small'), colour: same ? 'text' : 'textMuted', width: modelWidth - space.m });
      const bar = this.add.rectangle(mx, my + 2, 4, text.height - 4, same ? colour.good : colour.line).setOrigin(0);
      content.add([bar, text]);
      my = text.y + text.height + space.s;
      if (same) {
        const tag = makeText(this, mx + space.m, my - space.xs, `✓ ${t(language, 'debrief.modelSame')}`, { size: frame.text('small'), colour: 'good' });
        content.add(tag);
        my = tag.y + tag.height + space.s;
      }
    });
    bottom = Math.max(bottom, my) + space.m;
    view.setContentHeight(bottom);
    return view;
  }

  private drawCritical(content: Phaser.GameObjects.Container, x: number, y: number, width: number, breaches: readonly CriticalBreach[]): number {
    const language = this.language;
    const frame = this.frame;
    const small = frame.text('small');
    const rules = new Map(this.rulebook.rules.map((r) => [r.id, r]));
    const pad = space.m;
    const parts: Phaser.GameObjects.GameObject[] = [];
    const title = makeText(this, x + pad, y + pad, t(language, 'debrief.critical'), { size: frame.text('body'), bold: true, colour: 'bad', width: width - pad * 2 });
    parts.push(title);
    let cy = title.y + title.height + space.s;
    const choices = new Map<string, Choice>();
    for (const node of this.data_.scenario.nodes) if (node.kind === 'decision') for (const c of node.choices) choices.set(`${node.id}/${c.id}`, c);
    for (const breach of breaches) {
      const rule = rules.get(breach.ruleId);
      const words = makeText(this, x + pad, cy, `✗ ${rule ? pick(rule.text, language) : breach.ruleId}`, { size: frame.text('body'), colour: 'text', width: width - pad * 2 });
      parts.push(words);
      cy = words.y + words.height + space.xs;
      const choice = breach.choiceId ? choices.get(`${breach.nodeId}/${breach.choiceId}`) : undefined;
      const silenced = this.data_.transcript.some((e) => e.kind === 'silence' && e.nodeId === breach.nodeId);
      const by = choice ? t(language, 'debrief.criticalBy', { text: pick(choice.text, language) }) : silenced ? t(language, 'debrief.criticalBySilence') : t(language, 'debrief.criticalByAnswer');
      const where = makeText(this, x + pad + space.s, cy, by, { size: small, colour: 'textMuted', width: width - pad * 2 - space.s });
      parts.push(where);
      cy = where.y + where.height + space.s;
    }
    const height = cy - y + pad - space.s;
    const box = this.add.rectangle(x, y, width, height, colour.badSoft).setOrigin(0).setRounded(radius.m).setStrokeStyle(2, colour.bad);
    content.add([box, ...parts]);
    return y + height;
  }

  private drawReviewItem(content: Phaser.GameObjects.Container, x: number, y: number, width: number, n: number, review: ChoiceReview, onModelPath: boolean): number {
    const language = this.language;
    const frame = this.frame;
    const small = frame.text('small');
    const rules = new Map(this.rulebook.rules.map((r) => [r.id, r]));
    const parts: Phaser.GameObjects.GameObject[] = [];
    const pad = space.m;
    const head = `${n}. ${review.kind === 'say' ? '' : `[${kindLabel(language, review.kind)}] `}${pick(review.text, language)}`;
    const said = makeText(this, x + pad, y + pad, head, { size: frame.text('body'), width: width - pad * 2 });
    parts.push(said);
    let cy = said.y + said.height + space.xs;
    const moodColour = review.moodAfter > review.moodBefore ? 'bad' : review.moodAfter < review.moodBefore ? 'good' : 'textFaint';
    const mood = makeText(this, x + pad, cy, `${t(language, 'debrief.mood', { before: review.moodBefore, after: review.moodAfter })}${onModelPath ? ` · ✓ ${t(language, 'debrief.modelSame')}` : ''}`, { size: small, colour: moodColour });
    parts.push(mood);
    cy = mood.y + mood.height + space.xs;
    // The options as the trainee saw them, in that order, and the place chosen.
    if (review.shown.length > 0) {
      const node = this.data_.scenario.nodes.find((n) => n.id === review.nodeId);
      const texts = new Map(node?.kind === 'decision' ? node.choices.map((c) => [c.id, c]) : []);
      const heading = makeText(this, x + pad, cy, t(language, 'debrief.shown', { position: review.position, count: review.shown.length }), { size: small, bold: true, colour: 'textMuted', width: width - pad * 2 });
      parts.push(heading);
      cy = heading.y + heading.height + 2;
      review.shown.forEach((id, i) => {
        const choice = texts.get(id);
        const chosen = i + 1 === review.position;
        const words = choice ? `${choice.kind === 'say' ? '' : `[${kindLabel(language, choice.kind)}] `}${pick(choice.text, language)}` : id;
        const line = makeText(this, x + pad + space.s, cy, `${chosen ? '▸' : ' '} ${i + 1}. ${words}`, { size: small, colour: chosen ? 'text' : 'textFaint', bold: chosen, width: width - pad * 2 - space.s, maxLines: chosen ? undefined : 2 });
        parts.push(line);
        cy = line.y + line.height + 2;
      });
      cy += space.xs;
    }
    const feedback = makeText(this, x + pad, cy, pick(review.feedback, language), { size: small, colour: 'textMuted', width: width - pad * 2 });
    parts.push(feedback);
    cy = feedback.y + feedback.height + space.s;
    const ruleLine = (id: string, kept: boolean) => {
      const rule = rules.get(id);
      const text = `${kept ? '✓' : '✗'} ${t(language, kept ? 'debrief.kept' : 'debrief.broken')} · ${rule ? pick(rule.text, language) : id}`;
      const line = makeText(this, x + pad + space.s, cy, text, { size: small, colour: kept ? 'good' : 'bad', width: width - pad * 2 - space.s });
      parts.push(line);
      cy = line.y + line.height + space.xs;
    };
    for (const id of review.kept) ruleLine(id, true);
    for (const id of review.broken) ruleLine(id, false);
    const height = cy - y + pad - space.xs;
    const tone = review.broken.length > 0 ? colour.bad : review.kept.length > 0 ? colour.good : colour.line;
    const box = this.add.rectangle(x, y, width, height, colour.panel).setOrigin(0).setRounded(radius.m).setStrokeStyle(1, colour.line);
    const stripe = this.add.rectangle(x, y, 5, height, tone).setOrigin(0).setRounded(2);
    content.add([box, stripe, ...parts]);
    return y + height;
  }
}

