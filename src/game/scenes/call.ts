/**
 * Call: the desk. It sends the trainee's answer, choices and skips to the engine's actor and draws
 * each snapshot: the ringing phone, the portrait and mood, the transcript, the options with the reply
 * timer, the desk actions and the standard-flow checklist. No game rule is decided here.
 */
import * as Phaser from 'phaser';
import type { Choice, ChoiceKind, Line, Scenario } from '../../engine/format/schema';
import type { Attempt } from '../../engine/attempt';
import type { AttemptRecord } from '../attempt-store';
import { ART, knownPortrait, PACK_SECTION, packSection, sectionLoaded } from '../assets';
import type { CallSession, CallSnapshot } from '../call/session';
import type { Scorer, Scored } from '../call/scoring';
import { answeredAt, choiceIndex, choicesAt, deskClock, lineIndex, moodBand, phaseOf, transcriptAt, type ChoiceView, type Phase, type TranscriptItem } from '../call/view';
import { kindLabel, pick, t, type Language } from '../i18n';
import { services } from '../services';
import { CAPTION_SCALE } from '../settings';
import { sound } from '../sound-port';
import { clearTargets, setHookCall, setTarget } from '../test-hook';
import { colour, space } from '../theme';
import { ActionBar } from '../ui/action-bar';
import { Button } from '../ui/button';
import { ChoiceList } from '../ui/choice-list';
import { FlowChecklist } from '../ui/checklist';
import { FocusManager } from '../ui/focus';
import { frameOf, type Frame } from '../ui/layout';
import { RingingPhone } from '../ui/phone';
import { PortraitCard } from '../ui/portrait-card';
import type { Rect } from '../ui/scroll-view';
import { makeText } from '../ui/text';
import { noteText, TranscriptView } from '../ui/transcript-view';
import type { DebriefData } from './debrief';
import { GAME_EVENT, SCENE } from './keys';

export type CallKit = typeof import('../call/kit');

export interface FinishedCall {
  steps: CallSession['steps'];
  scored: Scored;
  transcript: CallSnapshot['context']['call']['transcript'];
}

export interface CallData {
  kit: CallKit;
  scenario: Scenario;
  /** The file text (or parsed value) the scorer re-checks, so its scenario is the CLI's. */
  scenarioSource: unknown;
  entryId: string;
  page?: number;
  /** Start from this node (the trainer's preview); such a call is not saved as an attempt. */
  startAt?: string;
  language?: Language;
  /** Instead of the debrief, hand the finished call to whoever started it (the preview page). */
  onFinished?: (finished: FinishedCall | null) => void;
  /** Kept across a re-layout (the phone turned), so the call goes on. */
  session?: CallSession;
  scorer?: Scorer;
  announced?: Set<string>;
}

interface Regions {
  top: Rect;
  portrait: Rect;
  checklist: Rect;
  transcript: Rect;
  status: Rect;
  choices: Rect;
  actions: Rect;
  phone: Rect;
}

function regions(frame: Frame): Regions {
  const m = space.l;
  if (frame.portrait) {
    const w = frame.width - m * 2;
    // Fixed rows at the top and bottom; the transcript and the options share what is left.
    const actionsHeight = 114;
    const statusHeight = 64;
    const flexTop = 484;
    const flexBottom = frame.height - m - actionsHeight - space.m;
    const flex = flexBottom - flexTop - statusHeight - space.s * 2;
    const transcriptHeight = Math.round(flex * 0.45);
    const statusY = flexTop + transcriptHeight + space.s;
    return {
      top: { x: 0, y: 0, width: frame.width, height: 88 },
      portrait: { x: m, y: 100, width: w, height: 180 },
      checklist: { x: m, y: 292, width: w, height: 180 },
      transcript: { x: m, y: flexTop, width: w, height: transcriptHeight },
      status: { x: m, y: statusY, width: w, height: statusHeight },
      choices: { x: m, y: statusY + statusHeight + space.s, width: w, height: flexBottom - (statusY + statusHeight + space.s) },
      actions: { x: m, y: frame.height - m - actionsHeight, width: w, height: actionsHeight },
      phone: { x: m, y: 100, width: w, height: frame.height - 100 - m },
    };
  }
  const leftWidth = 300;
  const rightX = m + leftWidth + m;
  const rightWidth = frame.width - rightX - m;
  return {
    top: { x: 0, y: 0, width: frame.width, height: 64 },
    portrait: { x: m, y: 76, width: leftWidth, height: 350 },
    checklist: { x: m, y: 438, width: leftWidth, height: 258 },
    transcript: { x: rightX, y: 76, width: rightWidth, height: 262 },
    status: { x: rightX, y: 346, width: rightWidth, height: 52 },
    choices: { x: rightX, y: 404, width: rightWidth, height: 228 },
    actions: { x: rightX, y: 640, width: rightWidth, height: 56 },
    phone: { x: rightX, y: 76, width: rightWidth, height: 620 },
  };
}

export class Call extends Phaser.Scene {
  private data_!: CallData;
  private session!: CallSession;
  private scorer!: Scorer;
  private language!: Language;
  private frame!: Frame;
  private focus!: FocusManager;
  private phone: RingingPhone | null = null;
  private portrait!: PortraitCard;
  private checklist!: FlowChecklist;
  private transcript!: TranscriptView;
  private choices!: ChoiceList;
  private actions!: ActionBar;
  private statusText!: Phaser.GameObjects.Text;
  private timerTrack!: Phaser.GameObjects.Rectangle;
  private timerFill!: Phaser.GameObjects.Rectangle;
  private timerText!: Phaser.GameObjects.Text;
  private skipButton!: Button;
  private clockText: Phaser.GameObjects.Text | null = null;
  private lines = new Map<string, Line>();
  private choiceTexts = new Map<string, Choice>();
  private phase: Phase = 'ringing';
  private lastRings = 0;
  private endingAt: number | null = null;
  private finishing = false;
  private leaveArmedUntil = 0;
  private unsubscribe: (() => void) | null = null;
  private choiceTargets: string[] = [];

  constructor() {
    super(SCENE.call);
  }

  init(data: CallData): void {
    this.data_ = data;
    this.language = data.language ?? services().settings.value.language;
    this.phone = null;
    this.clockText = null;
    this.phase = 'ringing';
    this.lastRings = 0;
    this.endingAt = null;
    this.finishing = false;
    data.announced ??= new Set();
  }

  preload(): void {
    // The desk's art and this caller's other moods: fetched with the first call, not at start-up.
    const portraits = PACK_SECTION.portraits(knownPortrait(this.data_.scenario.caller.portrait));
    // The menu's section holds the calm portrait: the preview page opens the desk without the menu.
    for (const section of [PACK_SECTION.menu, PACK_SECTION.desk, portraits]) if (!sectionLoaded(this.textures, section)) this.load.pack(section, packSection(section));
  }

  private smooth = () => !services().settings.value.reducedMotion;

  create(): void {
    const data = this.data_;
    const scenario = data.scenario;
    this.frame = frameOf(this.scale.width, this.scale.height);
    this.lines = lineIndex(scenario);
    this.choiceTexts = choiceIndex(scenario);
    this.cameras.main.setBackgroundColor(colour.backdrop);
    this.add.image(0, 0, ART.desk).setOrigin(0).setDisplaySize(this.scale.width, this.scale.height).setAlpha(0.9);
    this.focus = new FocusManager(this);
    clearTargets();

    const r = regions(this.frame);
    const language = this.language;
    const callerName = pick(scenario.caller.name, language);
    this.drawTopBar(r.top, scenario, callerName);
    this.portrait = new PortraitCard(this, r.portrait, scenario.caller.portrait, callerName, language, this.frame, this.smooth);
    this.checklist = new FlowChecklist(this, r.checklist, language, this.frame, this.smooth);
    this.transcript = new TranscriptView(this, r.transcript, callerName, language, this.frame, CAPTION_SCALE[services().settings.value.captionSize], this.smooth);
    this.drawStatus(r.status);
    this.choices = new ChoiceList(this, r.choices, language, this.frame, this.smooth, (choice) => this.choose(choice));
    this.actions = new ActionBar(this, r.actions, language, this.frame, (kind) => this.pressAction(kind));
    this.focus.add(this.skipButton, ...this.actions.buttons.values());
    this.choiceTargets = [];
    setTarget('skip', () => (this.skipButton.visible() && this.skipButton.enabled() ? this.skipButton.screenBounds() : null));

    const fresh = !data.session;
    data.session ??= new data.kit.CallSession({ scenario, ...(data.startAt ? { startAt: data.startAt } : {}) });
    data.scorer ??= data.kit.createScorer(data.scenarioSource);
    this.session = data.session;
    this.scorer = data.scorer;
    const subscription = this.session.actor.subscribe((snapshot) => this.render(snapshot));
    this.unsubscribe = () => subscription.unsubscribe();
    if (fresh) {
      services().live.clear();
      this.session.start();
    } else {
      // Drawn again after a re-layout: pick up where the call is, without replaying its sounds.
      this.phase = this.session.phase;
      this.lastRings = this.session.snapshot.context.call.rings;
      if (this.phase === 'ended') this.endingAt = this.session.elapsedMs();
    }
    this.render(this.session.snapshot);

    this.input.keyboard?.on('keydown', this.onKey, this);
    const relayout = () => this.scene.restart(this.data_);
    this.game.events.on(GAME_EVENT.relayout, relayout);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.unsubscribe?.();
      this.input.keyboard?.off('keydown', this.onKey, this);
      this.game.events.off(GAME_EVENT.relayout, relayout);
      setHookCall(null);
    });
    setHookCall(() => this.hookState());
  }

  private drawTopBar(rect: Rect, scenario: Scenario, callerName: string): void {
    const frame = this.frame;
    const language = this.language;
    this.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panelSunken, 0.92).setOrigin(0);
    // On a phone the caller's name is on the card just below; the bar keeps to the call's title.
    const heading = frame.portrait ? pick(scenario.title, language) : `${pick(scenario.title, language)} · ${callerName}`;
    const title = makeText(this, space.l, rect.y + rect.height / 2, heading, {
      size: frame.text('body'),
      bold: true,
      width: rect.width * (frame.portrait ? 0.55 : 0.6),
      maxLines: frame.portrait ? 2 : 1,
    }).setOrigin(0, 0.5);
    void title;
    const leaveWidth = frame.portrait ? 150 : 130;
    const leave = new Button(this, {
      x: rect.width - space.l - leaveWidth,
      y: rect.y + (rect.height - 44) / 2,
      width: leaveWidth,
      height: 44,
      label: t(language, 'call.leave'),
      hint: 'Esc',
      size: frame.text('small'),
      variant: 'ghost',
      onPress: () => this.leave(true),
    });
    this.focus.add(leave);
    if (scenario.timing.clock) {
      const x = rect.width - space.l - leaveWidth - space.l;
      makeText(this, x, rect.y + rect.height / 2 - frame.text('small') * 0.7, t(language, 'call.clock'), { size: frame.text('small'), colour: 'textMuted' }).setOrigin(1, 0.5);
      this.clockText = makeText(this, x, rect.y + rect.height / 2 + frame.text('small') * 0.55, scenario.timing.clock.start, { size: frame.text('large'), bold: true, colour: 'warn' }).setOrigin(1, 0.5);
    }
  }

  private drawStatus(rect: Rect): void {
    const frame = this.frame;
    const size = frame.text('body');
    this.statusText = makeText(this, rect.x + space.s, rect.y + rect.height / 2, '', { size, bold: true }).setOrigin(0, 0.5);
    const skipWidth = frame.portrait ? 250 : 220;
    this.skipButton = new Button(this, {
      x: rect.x + rect.width - skipWidth,
      y: rect.y + (rect.height - 44) / 2,
      width: skipWidth,
      height: 44,
      label: t(this.language, 'call.skip'),
      hint: t(this.language, 'call.skipKeys'),
      size: frame.text('small'),
      variant: 'primary',
      onPress: () => this.skip(),
    });
    const trackWidth = Math.min(320, rect.width * 0.4);
    const trackX = rect.x + rect.width - trackWidth - space.s;
    const trackY = rect.y + rect.height / 2 + 6;
    this.timerTrack = this.add.rectangle(trackX, trackY, trackWidth, 12, colour.panelSunken).setOrigin(0).setRounded(6).setStrokeStyle(1, colour.line);
    this.timerFill = this.add.rectangle(trackX, trackY, trackWidth, 12, colour.good).setOrigin(0).setRounded(6);
    this.timerText = makeText(this, trackX + trackWidth, trackY - 4, '', { size: frame.text('small'), bold: true }).setOrigin(1, 1);
  }

  // ——— drawing snapshots ———

  private render(snapshot: CallSnapshot): void {
    if (!this.sys.isActive() && !this.sys.isVisible()) return;
    const context = snapshot.context;
    const call = context.call;
    const phase = phaseOf(snapshot.value, snapshot.status === 'done');
    const scenario = this.data_.scenario;
    const announced = this.data_.announced as Set<string>;

    if (phase === 'ringing') {
      if (!this.phone) {
        this.phone = new RingingPhone(this, regions(this.frame).phone, this.language, this.frame, scenario.timing.answerWithinRings, scenario.timing.giveUpAfterRings, this.smooth, () => this.answer());
        this.focus.add(this.phone.answer);
        this.focus.focus(this.phone.answer);
        const answer = this.phone.answer;
        setTarget('answer', () => (answer.visible() ? answer.screenBounds() : null));
      }
      this.phone.setRings(call.rings);
      if (call.rings !== this.lastRings) {
        this.lastRings = call.rings;
        if (!announced.has(`ring-${call.rings}`)) {
          announced.add(`ring-${call.rings}`);
          sound().ring();
          services().live.say(t(this.language, 'live.ringing', { n: call.rings }));
        }
      }
    } else if (this.phone) {
      this.focus.remove(this.phone.answer);
      this.phone.destroy();
      this.phone = null;
    }

    const node = context.node;
    const choices = node?.kind === 'decision' ? choicesAt(node, call) : [];
    const changed = this.choices.setChoices(choices);
    if (changed) {
      for (const item of changed.removed) this.focus.remove(item);
      this.focus.add(...changed.added);
      for (const name of this.choiceTargets) setTarget(name, null);
      this.choiceTargets = choices.map((c) => `choice:${c.id}`);
      changed.added.forEach((item, i) => setTarget(this.choiceTargets[i] ?? '', () => item.screenBounds()));
    }
    const awaiting = phase === 'awaiting';
    this.choices.setEnabled(awaiting);
    this.actions.setOffered(new Set(choices.map((c) => c.kind)), awaiting);
    if (awaiting && (changed || this.phase !== 'awaiting')) {
      const current = this.focus.focused;
      if (!current || !current.enabled() || changed) this.focus.focus(this.choices.first());
      const key = `choices-${call.transcript.length}`;
      if (!announced.has(key)) {
        announced.add(key);
        services().live.say(t(this.language, 'live.choices', { list: choices.map((c) => `${c.number}. ${c.kind === 'say' ? '' : `[${kindLabel(this.language, c.kind)}] `}${pick(c.text, this.language)}`).join(' ') }));
      }
    }

    this.portrait.update(call.mood, scenario.caller.moodLimit, moodBand(call.mood, scenario.caller.moodLimit));
    this.checklist.update(call.steps);

    if (phase !== this.phase) {
      if (this.phase === 'ringing' && phase !== 'ringing' && phase !== 'ended') sound().pickUp();
      if (phase === 'hold') sound().hold(true);
      if (this.phase === 'hold') sound().hold(false);
      if (phase === 'ended') this.onEnded();
      this.phase = phase;
    }
    this.drawStatusFor(phase);
  }

  private drawStatusFor(phase: Phase): void {
    const language = this.language;
    const name = pick(this.data_.scenario.caller.name, language);
    const timer = phase === 'awaiting';
    for (const part of [this.timerTrack, this.timerFill, this.timerText]) part.setVisible(timer);
    switch (phase) {
      case 'ringing':
        this.statusText.setText(t(language, 'call.incoming'));
        this.skipButton.setVisible(false);
        break;
      case 'speaking':
        this.statusText.setText(t(language, 'call.speaking', { name }));
        this.skipButton.setVisible(true).setEnabled(true).setLabel(t(language, 'call.skip'));
        break;
      case 'hold':
        this.skipButton.setVisible(true).setEnabled(true).setLabel(t(language, 'call.resume'));
        break;
      case 'awaiting':
        // Key hints are for keyboards: a phone shows the plain heading.
        this.statusText.setText(this.frame.portrait ? t(language, 'call.yourReply') : `${t(language, 'call.yourReply')} · ${t(language, 'call.replyKeys', { n: Math.min(9, this.choices.items.length) })}`);
        this.skipButton.setVisible(false);
        break;
      case 'ended':
        this.statusText.setText(t(language, 'call.ended'));
        this.skipButton.setVisible(true).setEnabled(true).setLabel(`${t(language, 'debrief.title')} ▸`);
        break;
    }
  }

  override update(): void {
    if (!this.session) return;
    const session = this.session;
    const snapshot = session.snapshot;
    const phase = phaseOf(snapshot.value, snapshot.status === 'done');
    const elapsed = session.elapsedMs();
    const call = snapshot.context.call;
    const revealAll = phase === 'awaiting' || phase === 'ringing';
    const items = transcriptAt(call.transcript, this.lines, this.choiceTexts, elapsed, revealAll);
    const added = this.transcript.update(items);
    for (const item of added) this.announce(item, call.mood);

    if (phase === 'hold') {
      const left = Math.max(0, Math.ceil((snapshot.context.holdSeconds * 1000 - (elapsed - this.holdStartedAt(call.transcript))) / 1000));
      this.statusText.setText(t(this.language, 'call.onHold', { s: left }));
    }
    if (phase === 'awaiting') {
      const left = session.replyLeftMs() ?? 0;
      const limit = session.replyLimitMs();
      const ratio = Math.max(0, Math.min(1, left / limit));
      this.timerFill.setSize(Math.max(12, this.timerTrack.width * ratio), this.timerFill.height);
      this.timerFill.setFillStyle(ratio > 0.5 ? colour.good : ratio > 0.25 ? colour.warn : colour.bad);
      this.timerText.setText(t(this.language, 'call.secondsLeft', { s: Math.ceil(left / 1000) }));
    }
    if (this.clockText) this.clockText.setText(deskClock(this.data_.scenario.timing, answeredAt(call.transcript), elapsed) ?? '');
    if (phase === 'ended' && this.endingAt !== null && !this.finishing) {
      const lastAt = call.transcript.reduce((max, e) => Math.max(max, e.at), 0);
      if (elapsed >= Math.max(lastAt, this.endingAt) + 1500) void this.finish();
    }
  }

  private holdStartedAt(transcript: CallSnapshot['context']['call']['transcript']): number {
    for (let i = transcript.length - 1; i >= 0; i--) {
      const entry = transcript[i];
      if (entry?.kind === 'hold') return entry.at;
    }
    return 0;
  }

  private announce(item: TranscriptItem, mood: number): void {
    const announced = this.data_.announced as Set<string>;
    const key = `t-${item.key}`;
    if (announced.has(key)) return;
    announced.add(key);
    const live = services().live;
    const language = this.language;
    if (item.kind === 'caller') {
      if (!item.narration) sound().line(item.lineId, language, mood);
      live.say(item.narration ? pick(item.text, language) : t(language, 'live.callerSays', { name: pick(this.data_.scenario.caller.name, language), text: pick(item.text, language) }));
    } else if (item.kind === 'agent') {
      live.say(t(language, 'live.youSay', { text: pick(item.text, language) }));
    } else {
      live.say(noteText(language, item));
    }
  }

  // ——— what the trainee does ———

  private answer(): void {
    this.session.answer();
  }

  private choose(choice: ChoiceView): void {
    if (this.session.choose(choice.id)) sound().ui('choice');
  }

  private skip(): void {
    if (this.phase === 'ended') {
      void this.finish();
      return;
    }
    sound().stopLine();
    this.session.skip();
  }

  private pressAction(kind: ChoiceKind): void {
    const target = this.choices.firstOfKind(kind);
    if (target) this.focus.focus(target, true);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = this.focus.focused;
    const focusHandles = focused !== null && focused.enabled() && focused.visible();
    if (event.key === 'Escape') {
      this.leave(false);
      return;
    }
    if (/^[1-9]$/.test(event.key) && this.phase === 'awaiting') {
      const choice = this.choices.byNumber(Number(event.key));
      if (choice) this.choose(choice);
      return;
    }
    if ((event.key === ' ' || event.key === 'Enter') && !focusHandles) {
      if (this.phase === 'ringing') this.answer();
      else if (this.phase === 'speaking' || this.phase === 'hold' || this.phase === 'ended') this.skip();
    }
  }

  private leave(confirmed: boolean): void {
    const now = this.time.now;
    if (!confirmed && now > this.leaveArmedUntil) {
      this.leaveArmedUntil = now + 4000;
      services().live.say(t(this.language, 'call.leaveConfirm'));
      const toast = makeText(this, this.scale.width / 2, this.scale.height - 120, t(this.language, 'call.leaveConfirm'), { size: this.frame.text('body'), bold: true, width: this.scale.width - 96, align: 'center' })
        .setOrigin(0.5)
        .setDepth(50)
        .setBackgroundColor('#101b2e')
        .setPadding(16, 12, 16, 12);
      this.time.delayedCall(4000, () => toast.destroy());
      return;
    }
    sound().stopLine();
    sound().hangUp();
    this.session.stop();
    this.scorer.dispose();
    if (this.data_.onFinished) {
      this.data_.onFinished(null);
      return;
    }
    this.scene.start(SCENE.menu, { page: this.data_.page ?? 0, focusId: this.data_.entryId });
  }

  private onEnded(): void {
    this.endingAt = this.session.elapsedMs();
    this.choices.setEnabled(false);
    this.actions.setOffered(new Set(), false);
    sound().hangUp();
    this.focus.focus(this.skipButton);
  }

  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    sound().stopLine();
    const language = this.language;
    this.statusText.setText(t(language, 'call.scoring'));
    this.skipButton.setEnabled(false);
    const data = this.data_;
    const session = this.session;
    const scenario = data.scenario;
    const replay = !data.startAt || data.startAt === scenario.start;
    const scored = await this.scorer.score({ steps: session.steps, live: session.snapshot.context.call, replay });
    if (scored.problem) console.warn(`Scored the live call instead of its replay: ${scored.problem}`);
    if (data.onFinished) {
      this.scorer.dispose();
      data.onFinished({ steps: session.steps, scored, transcript: session.snapshot.context.call.transcript });
      return;
    }
    const hash = await this.scorer.hash().catch(() => '');
    this.scorer.dispose();
    const record = this.recordOf(scored, hash);
    let saved = true;
    try {
      await services().attempts.save(record);
    } catch {
      saved = false;
    }
    const debrief: DebriefData = { kit: data.kit, scenario, scenarioSource: data.scenarioSource, entryId: data.entryId, page: data.page ?? 0, result: scored.result, saved, recordId: record.id, transcript: session.snapshot.context.call.transcript };
    this.scene.start(SCENE.debrief, debrief);
  }

  private recordOf(scored: Scored, hash: string): AttemptRecord {
    const session = this.session;
    const scenario = this.data_.scenario;
    const id = newId();
    const result = scored.result;
    const attempt: Attempt | null =
      session.steps.length > 0 && /^[0-9a-f]{64}$/.test(hash)
        ? { format: 1, attemptId: id, scenarioId: scenario.id, scenarioRevision: scenario.revision, scenarioHash: hash, startedAt: session.startedAt, language: this.language, steps: [...session.steps] }
        : null;
    return {
      id,
      scenarioId: scenario.id,
      scenarioRevision: scenario.revision,
      finishedAt: new Date().toISOString(),
      attempt,
      summary: { outcome: result.outcome, passed: result.passed, total: result.total, passMark: result.passMark, dimensions: Object.fromEntries(result.dimensions.map((d) => [d.id, d.percent])) },
    };
  }

  private hookState() {
    const s = this.session.snapshot;
    const node = s.context.node;
    return {
      phase: phaseOf(s.value, s.status === 'done'),
      nodeId: node?.id ?? null,
      rings: s.context.call.rings,
      mood: s.context.call.mood,
      scores: { ...s.context.call.scores },
      steps: [...s.context.call.steps],
      offered: node?.kind === 'decision' ? choicesAt(node, s.context.call).map((c) => c.id) : [],
      silences: s.context.call.transcript.filter((e) => e.kind === 'silence').length,
      replyLeftMs: this.session.replyLeftMs(),
      // Running animations: none while the trainee asks for reduced motion.
      tweens: this.tweens.getTweens().length,
      clock: this.clockText?.text ?? null,
      recorded: this.session.steps.map((step) => ({ ...step })),
    };
  }
}

/** A v4 UUID; crypto.randomUUID needs a secure context, which a LAN address is not. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

