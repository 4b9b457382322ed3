/**
 * Menu: the callers as cards with the trainee's history, the language switch and the settings.
 * Picking a caller fetches that scenario (and the engine's chunk) and starts the call.
 */
import * as Phaser from 'phaser';
import { historyByScenario, type ScenarioHistory } from '../attempt-store';
import { ART } from '../assets';
import { catalog, type CatalogEntry } from '../catalog';
import { pick, t, type Language } from '../i18n';
import { services } from '../services';
import { CAPTION_SIZES, nextInCycle, VOLUME_STEPS } from '../settings';
import { sound } from '../sound-port';
import { colour, radius, space } from '../theme';
import { Button } from '../ui/button';
import { CallerCard } from '../ui/caller-card';
import { FocusManager } from '../ui/focus';
import { frameOf, type Frame } from '../ui/layout';
import { makeText } from '../ui/text';
import { clearTargets, setHookMenu, setTarget } from '../test-hook';
import type { CallData } from './call';
import { GAME_EVENT, SCENE } from './keys';

/** A performance mark set once, when the menu first takes input. */
export const MENU_READY_MARK = 'hold-the-line:menu-interactive';

export interface MenuData {
  page?: number;
  /** Focus this caller's card (coming back from a debrief). */
  focusId?: string;
  /** Focus this settings button (after changing a setting). */
  focusIndex?: number;
}

export class Menu extends Phaser.Scene {
  private focus!: FocusManager;
  private frame!: Frame;
  private data_: MenuData = {};
  private cards: CallerCard[] = [];
  private busy = false;

  constructor() {
    super(SCENE.menu);
  }

  init(data: MenuData): void {
    this.data_ = data ?? {};
    this.cards = [];
    this.busy = false;
  }

  create(): void {
    const { width, height } = this.scale;
    this.frame = frameOf(width, height);
    this.cameras.main.setBackgroundColor(colour.backdrop);
    this.focus = new FocusManager(this);
    clearTargets();
    setHookMenu(null);
    const relayout = () => this.scene.restart(this.data_);
    this.game.events.on(GAME_EVENT.relayout, relayout);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.game.events.off(GAME_EVENT.relayout, relayout));

    const language = services().settings.value.language;
    document.documentElement.lang = language;
    document.title = t(language, 'app.title');
    const headerBottom = this.drawHeader(language);
    void services()
      .attempts.list()
      .then((records) => {
        if (!this.scene.isActive()) return;
        this.drawCallers(language, headerBottom, historyByScenario(records));
      });
  }

  private drawHeader(language: Language): number {
    const frame = this.frame;
    const { width } = this.scale;
    const margin = space.xl;
    const logoSize = frame.portrait ? 72 : 56;
    this.add.image(margin, margin, ART.logo).setOrigin(0).setDisplaySize(logoSize, logoSize);
    const title = makeText(this, margin + logoSize + space.m, margin - 4, t(language, 'app.title'), { size: frame.text('title'), bold: true });
    const taglineAt = { x: title.x, y: title.y + title.height + 2 };
    let tagline = makeText(this, taglineAt.x, taglineAt.y, t(language, 'app.tagline'), { size: frame.text('small'), colour: 'textMuted', width: width - title.x - margin });

    const settings = services().settings;
    const s = settings.value;
    const labels = [
      `${t(language, 'settings.language')}: ${t(language, `lang.${language === 'en' ? 'zh-CN' : 'en'}`)}`,
      `${t(language, 'settings.volume')}: ${s.volume === 0 ? t(language, 'settings.volume.off') : `${Math.round(s.volume * 100)}%`}`,
      `${t(language, 'settings.voices')}: ${t(language, s.voices ? 'settings.voices.on' : 'settings.voices.off')}`,
      `${t(language, 'settings.captions')}: ${t(language, `settings.captions.${s.captionSize}`)}`,
      `${t(language, 'settings.motion')}: ${t(language, s.reducedMotion ? 'settings.motion.reduced' : 'settings.motion.full')}`,
    ];
    const actions = [
      () => settings.update({ language: language === 'en' ? 'zh-CN' : 'en' }),
      () => {
        const volume = nextInCycle(VOLUME_STEPS, s.volume as (typeof VOLUME_STEPS)[number]);
        settings.update({ volume });
        sound().setVolume(volume);
        sound().ui('choice');
      },
      () => {
        settings.update({ voices: !s.voices });
        sound().setVoices(!s.voices);
      },
      () => settings.update({ captionSize: nextInCycle(CAPTION_SIZES, s.captionSize) }),
      () => settings.update({ reducedMotion: !s.reducedMotion }),
    ];
    const size = frame.text('small');
    const height = Math.round(size * 2.3);
    const measure = (text: string) => makeText(this, 0, 0, text, { size }).setVisible(false);
    const widths = labels.map((label) => {
      const m = measure(label);
      const w = m.width + space.l * 2;
      m.destroy();
      return Math.max(w, 120);
    });
    const buttons: Button[] = [];
    const press = (i: number) => () => {
      actions[i]?.();
      this.scene.restart({ ...this.data_, focusIndex: i });
    };
    let bottom: number;
    if (frame.portrait) {
      // Two by two under the title.
      const top = margin + logoSize + space.l;
      const cellWidth = (width - margin * 2 - space.m) / 2;
      labels.forEach((label, i) => {
        const x = margin + (i % 2) * (cellWidth + space.m);
        const y = top + Math.floor(i / 2) * (height + space.s);
        buttons.push(new Button(this, { x, y, width: cellWidth, height, label, size, onPress: press(i) }));
      });
      const rows = Math.ceil(labels.length / 2);
      bottom = top + height * rows + space.s * (rows - 1);
    } else {
      let x = width - margin;
      const y = margin + 4;
      for (let i = labels.length - 1; i >= 0; i--) {
        const w = widths[i] ?? 120;
        x -= w;
        buttons.unshift(new Button(this, { x, y, width: w, height, label: labels[i] ?? '', size, onPress: press(i) }));
        x -= space.s;
      }
      bottom = margin + logoSize;
      // The settings row shares the header's line: the tagline wraps short of it.
      const room = x - taglineAt.x;
      if (tagline.x + tagline.width > x && room > 120) {
        tagline.destroy();
        tagline = makeText(this, taglineAt.x, taglineAt.y, t(language, 'app.tagline'), { size: frame.text('small'), colour: 'textMuted', width: room });
        bottom = Math.max(bottom, tagline.y + tagline.height);
      }
    }
    this.settingsButtons = buttons;
    return bottom;
  }

  private settingsButtons: Button[] = [];

  private drawCallers(language: Language, top: number, history: Map<string, ScenarioHistory>): void {
    const frame = this.frame;
    const { width, height } = this.scale;
    const margin = space.xl;
    const entries = catalog();
    const headingY = top + space.l;
    const heading = makeText(this, margin, headingY, t(language, 'menu.callers'), { size: frame.text('large'), bold: true });
    if (!frame.portrait) makeText(this, width - margin, headingY + 4, t(language, 'menu.keys'), { size: frame.text('small'), colour: 'textFaint' }).setOrigin(1, 0);

    const gridTop = heading.y + heading.height + space.m;
    const cols = frame.portrait ? 2 : 4;
    const gap = space.m;
    const minCardHeight = frame.portrait ? 330 : 240;
    const available = height - gridTop - margin;
    const rows = Math.max(1, Math.floor((available + gap) / (minCardHeight + gap)));
    const perPage = rows * cols;
    const pages = Math.max(1, Math.ceil(entries.length / perPage));
    const page = Math.min(pages - 1, Math.max(0, this.data_.page ?? 0));
    const cardWidth = (width - margin * 2 - gap * (cols - 1)) / cols;
    const cardHeight = pages > 1 ? minCardHeight : Math.min(300, (available - gap * (rows - 1)) / rows);

    entries.slice(page * perPage, (page + 1) * perPage).forEach((entry, i) => {
      const rect = new Phaser.Geom.Rectangle(margin + (i % cols) * (cardWidth + gap), gridTop + Math.floor(i / cols) * (cardHeight + gap), cardWidth, cardHeight);
      const card = new CallerCard(this, rect, entry, history.get(entry.id), language, frame, () => void this.pickCaller(entry, language));
      this.cards.push(card);
      setTarget(`card:${entry.id}`, () => rect);
    });

    if (pages > 1) {
      const size = frame.text('small');
      const h = Math.round(size * 2.2);
      const label = makeText(this, width - margin - 2 * (h + space.s), headingY + 4, t(language, 'menu.page', { page: page + 1, pages }), { size, colour: 'textMuted' }).setOrigin(1, 0);
      const prev = new Button(this, { x: width - margin - 2 * h - space.s, y: headingY - 4, width: h, height: h, label: '‹', size, onPress: () => this.scene.restart({ page: (page - 1 + pages) % pages }) });
      const next = new Button(this, { x: width - margin - h, y: headingY - 4, width: h, height: h, label: '›', size, onPress: () => this.scene.restart({ page: (page + 1) % pages }) });
      void label;
      this.focus.add(prev, next);
    }

    this.focus.add(...this.settingsButtons, ...this.cards);
    const focusIndex = this.data_.focusIndex;
    if (focusIndex !== undefined) this.focus.focus(this.settingsButtons[focusIndex] ?? null, true);
    else {
      const back = entries.slice(page * perPage, (page + 1) * perPage).findIndex((e) => e.id === this.data_.focusId);
      this.focus.focus(this.cards[Math.max(0, back)] ?? null, back >= 0);
    }
    setHookMenu({ language, cards: entries.map((e) => ({ id: e.id, best: history.get(e.id)?.best ?? null, attempts: history.get(e.id)?.attempts ?? 0, passed: history.get(e.id)?.passed ?? false })) });
    this.settingsButtons.forEach((button, i) => setTarget(`setting:${['language', 'volume', 'voices', 'captions', 'motion'][i]}`, () => button.screenBounds()));
    const live = services().live;
    live.clear();
    live.say(t(language, 'live.menu', { count: entries.length }));
    // The moment a trainee can pick a caller: what bench:web measures from navigation.
    if (performance.getEntriesByName(MENU_READY_MARK).length === 0) performance.mark(MENU_READY_MARK);
  }

  private async pickCaller(entry: CatalogEntry, language: Language): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    for (const card of this.cards) card.setEnabled(false);
    const overlay = this.showStatus(t(language, 'menu.loading', { title: pick(entry.title, language) }), 'text');
    services().live.say(t(language, 'menu.loading', { title: pick(entry.title, language) }));
    try {
      const [kit, text] = await Promise.all([import('../call/kit'), entry.load()]);
      const loaded = kit.loadScenario(text);
      if (!loaded.ok) throw new Error(loaded.diagnostics.slice(0, 3).map(kit.describe).join('\n'));
      void sound().prepare(loaded.scenario.id);
      const data: CallData = { kit, scenario: loaded.scenario, scenarioSource: text, entryId: entry.id, page: this.data_.page ?? 0 };
      this.scene.start(SCENE.call, data);
    } catch (error) {
      overlay.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      this.showStatus(t(language, 'menu.loadFailed', { reason }), 'bad');
      services().live.say(t(language, 'menu.loadFailed', { reason }));
      for (const card of this.cards) card.setEnabled(true);
      this.busy = false;
    }
  }

  private showStatus(message: string, tone: 'text' | 'bad'): Phaser.GameObjects.Container {
    const { width, height } = this.scale;
    const boxWidth = Math.min(760, width - 64);
    const text = makeText(this, 0, 0, message, { size: this.frame.text('body'), colour: tone === 'bad' ? 'bad' : 'text', width: boxWidth - 48 });
    const boxHeight = text.height + 48;
    const box = this.add.rectangle(0, 0, boxWidth, boxHeight, colour.panelSunken, 0.97).setOrigin(0).setRounded(radius.l).setStrokeStyle(2, tone === 'bad' ? colour.bad : colour.accent);
    text.setPosition(24, 24);
    return this.add.container((width - boxWidth) / 2, height - boxHeight - 24, [box, text]).setDepth(100);
  }
}
