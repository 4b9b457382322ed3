/**
 * Call: the desk. It sends the trainee's answer, choices and skips to the engine's actor and draws
 * each snapshot: the ringing phone, the portrait and mood, the transcript, the options with the reply
 * timer, the desk actions and the standard-flow checklist. No game rule is decided here.
 */
import * as Phaser from 'phaser';
import type { Choice, ChoiceKind, Line, Scenario } from '../../engine/format/schema';
import type { Attempt, AttemptMode } from '../../engine/attempt';
import type { AttemptRecord } from '../attempt-store';
import { ART, knownPortrait, PACK_SECTION, packSection, sectionLoaded } from '../assets';
import type { CallSession, CallSnapshot } from '../call/session';
import type { Scorer, Scored } from '../call/scoring';
import { answeredAt, choiceIndex, choiceViews, deskClock, lineIndex, moodBand, transcriptAt, type ChoiceView, type Phase, type TranscriptItem } from '../call/view';
import { kindLabel, pick, t, type Language } from '../i18n';
import { services } from '../services';
import { CAPTION_SCALE } from '../settings';
import { sound } from '../sound-port';
import { catalog } from '../catalog';
import { clearTargets, setHookCall, setHookDriver, setHookPicker, setTarget, type DriveOptions } from '../test-hook';
import { reportAt } from '../ui/hit-test';
import { touchFirst } from '../ui/input-mode';
import { colour, css, space } from '../theme';
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
import type { ServerStart } from '../net/assignments';
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
  /** The attempt's seed (option order, wording, starting anger): the server's when it started the attempt, else made here. */
  seed?: string;
  /** Assessment: a badge says so, options wait for the caller to finish, no skipping, no model call. */
  mode?: AttemptMode;
  /** The server's start of this attempt (src/game/net/assignments.ts): its id and start time go into the attempt. */
  start?: ServerStart;
  /** Kept across a re-layout (the phone turned), so the call goes on. */
  session?: CallSession;
  scorer?: Scorer;
  announced?: Set<string>;
}

interface Regions {
  top: Rect;
  portrait: Rect;
  checklist: Rect;
  /** The transcript, the status row and the options share this column, top to bottom. */
  flex: Rect;
  statusHeight: number;
  /** The transcript keeps at least this much when the options need room. */
  transcriptMin: number;
  actions: Rect;
  phone: Rect;
}

function regions(frame: Frame): Regions {
  const m = space.l;
  if (frame.portrait) {
    const w = frame.width - m * 2;
    // Fixed rows at the top and bottom; the transcript and the options share what is left.
    const actionsHeight = 114;
    const actionsY = frame.height - m - actionsHeight;
    const flexY = 456;
    return {
      top: { x: 0, y: 0, width: frame.width, height: 88 },
      portrait: { x: m, y: 100, width: w, height: 150 },
      checklist: { x: m, y: 262, width: w, height: 182 },
      flex: { x: m, y: flexY, width: w, height: actionsY - space.m - flexY },
      statusHeight: 60,
      transcriptMin: 150,
      actions: { x: m, y: actionsY, width: w, height: actionsHeight },
      phone: { x: m, y: 100, width: w, height: frame.height - 100 - m },
    };
  }
  // The caller, the standard flow and the desk's actions on the left; the conversation on the right.
  const leftWidth = 300;
  const rightX = m + leftWidth + m;
  const rightWidth = frame.width - rightX - m;
  const top = 56;
  const bottom = frame.height - space.m;
  const actionsHeight = 4 * 40 + 3 * space.s;
  return {
    top: { x: 0, y: 0, width: frame.width, height: top },
    portrait: { x: m, y: top + space.m, width: leftWidth, height: 150 },
    checklist: { x: m, y: top + space.m + 150 + space.s, width: leftWidth, height: bottom - actionsHeight - space.s - (top + space.m + 150 + space.s) },
    flex: { x: rightX, y: top + space.m, width: rightWidth, height: bottom - top - space.m },
    statusHeight: 44,
    transcriptMin: 120,
    actions: { x: m, y: bottom - actionsHeight, width: leftWidth, height: actionsHeight },
    phone: { x: rightX, y: top + space.m, width: rightWidth, height: bottom - top - space.m },
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
  private regions!: Regions;
  private statusRect!: Rect;
  private skipWidth = 0;
  private moreText: Phaser.GameObjects.Text | null = null;
  /** The caller's line now playing has no recorded take (null: it has one, or nothing plays). */
  private voiceMissing: 'synthesised' | 'silent' | null = null;

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

  private get mode(): AttemptMode {
    return this.data_.mode ?? 'practice';
  }

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
    this.regions = r;
    const language = this.language;
    const callerName = pick(scenario.caller.name, language);
    this.drawTopBar(r.top, scenario, callerName);
    this.portrait = new PortraitCard(this, r.portrait, scenario.caller.portrait, callerName, language, this.frame, this.smooth);
    this.checklist = new FlowChecklist(this, r.checklist, language, this.frame, this.smooth);
    const flex = r.flex;
    this.transcript = new TranscriptView(this, { ...flex, height: flex.height - r.statusHeight - space.s }, callerName, language, this.frame, CAPTION_SCALE[services().settings.value.captionSize], this.smooth);
    this.drawStatus({ x: flex.x, y: flex.y + flex.height - r.statusHeight, width: flex.width, height: r.statusHeight });
    const mostForOptions = flex.height - r.transcriptMin - r.statusHeight - space.s * 2;
    // A phone folds its checklist away for a decision whose options need that room too.
    const budgets = this.frame.portrait ? [mostForOptions, mostForOptions + flex.y - r.checklist.y] : [mostForOptions];
    this.choices = new ChoiceList(this, { x: flex.x, y: flex.y + flex.height - mostForOptions, width: flex.width, height: mostForOptions }, budgets, !this.frame.portrait, language, this.frame, this.smooth, (choice) => this.choose(choice));
    this.choices.view.onChange(() => this.updateMore());
    this.layoutFlex();
    this.actions = new ActionBar(this, r.actions, language, this.frame, (kind) => this.pressAction(kind));
    this.focus.add(this.skipButton, ...this.actions.buttons.values());
    this.choiceTargets = [];
    setTarget('choices', () => (this.choices.items.length > 0 ? { ...this.choices.view.rect } : null));
    setTarget('skip', () => (this.skipButton.visible() && this.skipButton.enabled() ? this.skipButton.screenBounds() : null));

    const fresh = !data.session;
    // A trainer's preview plays the file as written (the file's order and wording, as the CLI and
    // the golden plans do); a trainee's attempt varies by its seed.
    if (!data.onFinished) data.seed ??= data.kit.newSeed();
    data.session ??= new data.kit.CallSession({ scenario, ...(data.seed ? { seed: data.seed } : {}), mode: this.mode, ...(data.startAt ? { startAt: data.startAt } : {}) });
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
    this.voiceMissing = null;
    const offMissing = sound().onMissingVoice?.((_lineId, synthesised) => {
      this.voiceMissing = synthesised ? 'synthesised' : 'silent';
      this.drawStatusFor(this.phase);
    });
    const relayout = () => this.scene.restart(this.data_);
    this.game.events.on(GAME_EVENT.relayout, relayout);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.unsubscribe?.();
      offMissing?.();
      this.input.keyboard?.off('keydown', this.onKey, this);
      this.game.events.off(GAME_EVENT.relayout, relayout);
      setHookCall(null);
      setHookDriver(null);
    });
    setHookCall(() => this.hookState());
    setHookPicker((x, y) => reportAt(this, x, y));
    setHookDriver({ startCall: (options) => this.driveTo(options), look: (options) => this.lookAt(options) });
  }

  /** The driver's caller, checked once per caller (a test visits every decision of each). */
  private async drivenScenario(scenarioId: string): Promise<{ entryId: string; text: string; scenario: Scenario }> {
    const entry = catalog().find((e) => e.id === scenarioId);
    if (!entry) throw new Error(`no caller "${scenarioId}" on the menu`);
    const kit = this.data_.kit;
    let loaded = drivenScenarios.get(entry.id);
    if (!loaded) {
      const text = await entry.load();
      const checked = kit.loadScenario(text);
      if (!checked.ok) throw new Error(checked.diagnostics.map(kit.describe).join('\n'));
      loaded = { text, scenario: checked.scenario };
      drivenScenarios.set(entry.id, loaded);
    }
    return { entryId: entry.id, ...loaded };
  }

  /**
   * The test hook's quick look: the options of another decision (any caller's, in this desk's
   * language) laid out on this desk by the code that lays out each new decision of a call, without
   * a new call or a new scene. The call under the desk stops, so no timer redraws the options; a
   * look takes no click (a click test starts a call with `startCall`).
   */
  private async lookAt(options: DriveOptions): Promise<void> {
    if (!options.startAt || !options.offer) throw new Error('a look needs a decision (startAt) and its options (offer)');
    if (options.language !== this.language) throw new Error(`this desk speaks ${this.language}; start a call in ${options.language} first`);
    const { scenario } = await this.drivenScenario(options.scenarioId);
    const node = scenario.nodes.find((n) => n.id === options.startAt);
    if (node?.kind !== 'decision') throw new Error(`"${options.startAt}" is not a decision of ${options.scenarioId}`);
    const offered = options.offer.map((id) => node.choices.find((c) => c.id === id)).filter((c): c is Choice => c !== undefined);
    this.session.stop();
    // As a call without a seed shows them (the driver's calls have none): the words, then the actions.
    this.showChoices(choiceViews(this.data_.kit.optionOrder(null, node, 0, offered)), true);
    // The new buttons join the input list in the next game step, and the cameras take their places
    // when they next draw: run the step and the cameras' placing now, without drawing (the hit test
    // reads what is where from the game, not from pixels). Drawing a frame per look in software is
    // most of the cost of a look; the next real frame draws the last one.
    const loop = this.game.loop;
    this.game.headlessStep(loop.now, loop.delta);
    for (const camera of this.cameras.cameras) camera.preRender();
  }

  /** The test hook's driver: this desk again, on another caller's decision, at its options. */
  private async driveTo(options: DriveOptions): Promise<void> {
    const kit = this.data_.kit;
    const loaded = await this.drivenScenario(options.scenarioId);
    const text = loaded.text;
    const startAt = options.startAt;
    // A look at one decision is never saved; a whole call (no node, no offer) is, as from the menu.
    const look = startAt !== undefined || options.offer !== undefined;
    const scenario = options.offer && startAt ? offering(loaded.scenario, startAt, options.offer) : loaded.scenario;
    const data: CallData = {
      kit,
      scenario,
      scenarioSource: text,
      entryId: loaded.entryId,
      language: options.language,
      ...(startAt ? { startAt } : {}),
      ...(look ? { onFinished: () => undefined } : {}),
      ...(options.seed ? { seed: options.seed } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      this.events.once(Phaser.Scenes.Events.CREATE, () => {
        const session = data.session;
        if (!session) return reject(new Error('the desk started no call'));
        if (options.ringing) return void this.game.events.once(Phaser.Core.Events.POST_RENDER, () => resolve());
        // Answered and skipped to the options the moment the desk is drawn, as fast keys would.
        for (let i = 0; i < 100 && session.phase !== 'awaiting' && session.phase !== 'ended'; i++) {
          if (session.phase === 'ringing') this.answer();
          else this.skip();
        }
        // After a whole frame: the new buttons join the input list and the cameras their places
        // in the next game step, and a test asks the game what is where as soon as this resolves.
        if (session.phase === 'awaiting') this.game.events.once(Phaser.Core.Events.POST_RENDER, () => resolve());
        else reject(new Error(`the call went ${session.phase} before the options of ${startAt ?? 'the first decision'}`));
      });
      this.scene.start(SCENE.call, data);
    });
  }

  private drawTopBar(rect: Rect, scenario: Scenario, callerName: string): void {
    const frame = this.frame;
    const language = this.language;
    this.add.rectangle(rect.x, rect.y, rect.width, rect.height, colour.panelSunken, 0.92).setOrigin(0);
    const mid = rect.y + rect.height / 2;
    // From the right: Leave, the desk clock, the assessment badge; the title has what is left.
    const leaveWidth = frame.portrait ? 150 : 130;
    const leave = new Button(this, {
      x: rect.width - space.l - leaveWidth,
      y: rect.y + (rect.height - 44) / 2,
      width: leaveWidth,
      height: 44,
      label: t(language, 'call.leave'),
      ...(touchFirst() ? {} : { hint: 'Esc' }),
      size: frame.text('small'),
      variant: 'ghost',
      onPress: () => this.leave(true),
    });
    this.focus.add(leave);
    let right = rect.width - space.l - leaveWidth - space.l;
    if (scenario.timing.clock) {
      const label = makeText(this, right, mid - frame.text('small') * 0.7, t(language, 'call.clock'), { size: frame.text('small'), colour: 'textMuted' }).setOrigin(1, 0.5);
      this.clockText = makeText(this, right, mid + frame.text('small') * 0.55, scenario.timing.clock.start, { size: frame.text('large'), bold: true, colour: 'warn' }).setOrigin(1, 0.5);
      right -= Math.max(label.width, this.clockText.width) + space.l;
    }
    if (this.mode === 'assessment') {
      const badge = makeText(this, right, mid, t(language, 'call.assessment'), { size: frame.text('small'), bold: true, colour: 'backdrop' })
        .setOrigin(1, 0.5)
        .setPadding(12, 6, 12, 6)
        .setBackgroundColor(css('warn'));
      setTarget('assessment', () => badge.getBounds());
      right -= badge.width + space.l;
    }
    // On a phone the caller's name is on the card just below; the bar keeps to the call's title.
    const heading = frame.portrait ? pick(scenario.title, language) : `${pick(scenario.title, language)} · ${callerName}`;
    makeText(this, space.l, mid, heading, {
      size: frame.text('body'),
      bold: true,
      width: Math.max(120, right - space.l),
      maxLines: frame.portrait ? 2 : 1,
    }).setOrigin(0, 0.5);
  }

  /**
   * The options take the height they need from the bottom of the column, the status row sits just
   * above them, and the transcript has the rest.
   */
  private layoutFlex(): void {
    const r = this.regions;
    const folded = this.choices.items.length > 0 && this.choices.budgetUsed > 0;
    this.checklist.setVisible(!folded);
    const flex = folded ? { ...r.flex, y: r.checklist.y, height: r.flex.height + r.flex.y - r.checklist.y } : r.flex;
    const needed = this.choices.items.length > 0 ? this.choices.neededHeight : 0;
    const bottom = flex.y + flex.height;
    const statusY = bottom - needed - (needed > 0 ? space.s : 0) - r.statusHeight;
    this.choices.place(bottom - needed, Math.max(1, needed));
    this.transcript.setRect({ x: flex.x, y: flex.y, width: flex.width, height: statusY - space.s - flex.y });
    this.placeStatus(statusY);
    this.updateMore();
  }

  /** A list that still has to scroll says so beside the timer. */
  private updateMore(): void {
    if (!this.moreText) return;
    const view = this.choices.view;
    this.moreText.setVisible(this.choices.items.length > 0 && view.maxOffset() - view.scrollOffset > 24);
  }

  private placeStatus(y: number): void {
    const rect = { ...this.statusRect, y };
    this.statusRect = rect;
    const mid = rect.y + rect.height / 2;
    this.statusText.setY(mid);
    this.skipButton.moveTo(rect.x + rect.width - this.skipWidth, rect.y + (rect.height - 44) / 2);
    this.timerTrack.setY(mid + 6);
    this.timerFill.setY(mid + 6);
    this.timerText.setY(mid + 2);
    this.moreText?.setY(mid);
  }

  private drawStatus(rect: Rect): void {
    const frame = this.frame;
    const size = frame.text('body');
    this.statusRect = rect;
    this.statusText = makeText(this, rect.x + space.s, rect.y + rect.height / 2, '', { size, bold: true }).setOrigin(0, 0.5);
    const skipWidth = frame.portrait ? 250 : 220;
    this.skipWidth = skipWidth;
    this.skipButton = new Button(this, {
      x: rect.x + rect.width - skipWidth,
      y: rect.y + (rect.height - 44) / 2,
      width: skipWidth,
      height: 44,
      label: t(this.language, 'call.skip'),
      ...(touchFirst() ? {} : { hint: t(this.language, 'call.skipKeys') }),
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
    this.moreText = makeText(this, trackX - space.m, rect.y + rect.height / 2, `▼ ${t(this.language, 'call.scrollHint')}`, { size: frame.text('small'), bold: true, colour: 'accent' })
      .setOrigin(1, 0.5)
      .setVisible(false);
  }

  // ——— drawing snapshots ———

  private render(snapshot: CallSnapshot): void {
    if (!this.sys.isActive() && !this.sys.isVisible()) return;
    const context = snapshot.context;
    const call = context.call;
    const phase = this.session.phaseOf(snapshot);
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
    // In an assessment the options appear only once the caller has finished speaking.
    const choices = node?.kind === 'decision' && (this.mode === 'practice' || phase === 'awaiting') ? choiceViews(this.session.shown()) : [];
    const awaiting = phase === 'awaiting';
    const changed = this.showChoices(choices, awaiting);
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

  /** Lays the options out (the list, the desk's action buttons, the column around them); true if they changed. */
  private showChoices(choices: readonly ChoiceView[], awaiting: boolean): boolean {
    const changed = this.choices.setChoices(choices);
    if (changed) {
      this.layoutFlex();
      for (const item of changed.removed) this.focus.remove(item);
      this.focus.add(...changed.added);
      for (const name of this.choiceTargets) setTarget(name, null);
      this.choiceTargets = choices.map((c) => `choice:${c.id}`);
      changed.added.forEach((item, i) => setTarget(this.choiceTargets[i] ?? '', () => item.screenBounds()));
    }
    this.choices.setEnabled(awaiting);
    this.actions.setOffered(new Set(choices.map((c) => c.kind)), awaiting);
    return changed !== null;
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
        // A line with no recorded take yet says so beside the caller's name.
        this.statusText.setText(this.voiceMissing ? `${t(language, 'call.speaking', { name })} · ${t(language, this.voiceMissing === 'synthesised' ? 'call.voiceMissing' : 'call.voiceMissingSilent')}` : t(language, 'call.speaking', { name }));
        // An assessment hears the caller out.
        this.skipButton.setVisible(this.mode === 'practice').setEnabled(this.mode === 'practice').setLabel(t(language, 'call.skip'));
        break;
      case 'hold':
        this.skipButton.setVisible(true).setEnabled(true).setLabel(t(language, 'call.resume'));
        break;
      case 'awaiting':
        // Key hints are for keyboards: a touch screen shows the plain heading.
        this.statusText.setText(touchFirst() ? t(language, 'call.yourReply') : `${t(language, 'call.yourReply')} · ${t(language, 'call.replyKeys', { n: Math.min(9, this.choices.items.length) })}`);
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
    const phase = session.phaseOf(snapshot);
    // The caller finishing a speech changes nothing in the machine (no event): the desk sees it on the clock.
    if (phase !== this.phase && phase === 'awaiting') this.render(snapshot);
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
      if (!item.narration) {
        // The sound port says (at once) if this line has no recorded take.
        this.voiceMissing = null;
        sound().line(item.lineId, language, mood);
        this.drawStatusFor(this.phase);
      }
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
    const scored = await this.scorer.score({ steps: session.steps, live: session.snapshot.context.call, replay, ...(data.seed ? { seed: data.seed } : {}) });
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
    const debrief: DebriefData = { kit: data.kit, scenario, scenarioSource: data.scenarioSource, entryId: data.entryId, page: data.page ?? 0, result: scored.result, saved, recordId: record.id, transcript: session.snapshot.context.call.transcript, mode: this.mode, ...(data.start?.assignmentId ? { assignmentId: data.start.assignmentId } : {}) };
    this.scene.start(SCENE.debrief, debrief);
  }

  private recordOf(scored: Scored, hash: string): AttemptRecord {
    const session = this.session;
    const scenario = this.data_.scenario;
    // A call the server started goes back under its id and start time, which its seed proves.
    const start = this.data_.start;
    const id = start?.attemptId ?? newId();
    const result = scored.result;
    const attempt: Attempt | null =
      session.steps.length > 0 && /^[0-9a-f]{64}$/.test(hash)
        ? { format: 2, attemptId: id, scenarioId: scenario.id, scenarioRevision: scenario.revision, scenarioHash: hash, startedAt: start?.startedAt ?? session.startedAt, language: this.language, steps: [...session.steps], seed: this.data_.seed ?? this.data_.kit.newSeed(), mode: this.mode }
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
      phase: this.session.phaseOf(s),
      nodeId: node?.id ?? null,
      rings: s.context.call.rings,
      mood: s.context.call.mood,
      scores: { ...s.context.call.scores },
      steps: [...s.context.call.steps],
      // The options drawn, in the order shown (none while an assessment's caller speaks).
      offered: this.choices.shownIds(),
      silences: s.context.call.transcript.filter((e) => e.kind === 'silence').length,
      replyLeftMs: this.session.replyLeftMs(),
      // Running animations: none while the trainee asks for reduced motion.
      tweens: this.tweens.getTweens().length,
      clock: this.clockText?.text ?? null,
      recorded: this.session.steps.map((step) => ({ ...step })),
      seed: this.data_.seed ?? null,
      mode: this.mode,
    };
  }
}

const drivenScenarios = new Map<string, { text: string; scenario: Scenario }>();

/**
 * The scenario with `nodeId` offering exactly `choiceIds`, in that order and with no conditions,
 * each leading straight to an ending: the driver looks at one decision, not at what follows it.
 */
function offering(scenario: Scenario, nodeId: string, choiceIds: readonly string[]): Scenario {
  const ending = scenario.nodes.find((n) => n.kind === 'ending');
  return {
    ...scenario,
    nodes: scenario.nodes.map((node) => {
      if (node.id !== nodeId || node.kind !== 'decision') return node;
      const choices = choiceIds
        .map((id) => node.choices.find((c) => c.id === id))
        .filter((c): c is Choice => c !== undefined)
        .map(({ when: _when, ...choice }) => ({ ...choice, next: ending?.id ?? choice.next }));
      return { ...node, choices };
    }),
  };
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

