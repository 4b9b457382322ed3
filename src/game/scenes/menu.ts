/**
 * Menu: the callers as cards with the trainee's history, the language switch and the settings; pages
 * when the callers do not fit on one. The first scene: it draws and takes input at once, and the
 * rest arrives while the trainee reads it (the art from the Preloader, the history from the
 * device's store). Picking a caller fetches that scenario (and the engine's chunk) and starts the call.
 */
import * as Phaser from 'phaser';
import { historyByScenario, type ScenarioHistory } from '../attempt-store';
import { ART } from '../assets';
import { catalog, refreshCatalog, servedByResultsService, type CatalogEntry } from '../catalog';
import { labelled, pick, t, type Language } from '../i18n';
import { services } from '../services';
import { CAPTION_SIZES, nextInCycle, VOLUME_STEPS } from '../settings';
import { sound } from '../sound-port';
import { colour, FONT_FAMILY, radius, space } from '../theme';
import { Button } from '../ui/button';
import { CallerCard } from '../ui/caller-card';
import { FocusManager } from '../ui/focus';
import { frameOf, type Frame } from '../ui/layout';
import { touchFirst } from '../ui/input-mode';
import { menuGrid } from '../ui/menu-grid';
import { makeText } from '../ui/text';
import { SheetButton } from '../ui/sheet-button';
import { TextSheet } from '../ui/text-sheet';
import { artLoaded, loadArt } from './preloader';
import { applyUpdate, offlineStatus, onOfflineChange, startOffline } from '../offline';
import { clearTargets, setHookMenu, setHookScene, setTarget } from '../test-hook';
import type { CallData } from './call';
import { cachedAssignments, launchCall, refreshAssignments, type StartResult, type TraineeAssignment } from '../net/assignments';
import { onResultsStarted } from '../net';
import { onResultsPanelBox, RESULTS_PANEL_BOX, resultsPanelBox } from '../net/results-panel';
import { AssignmentTile, tileLayout } from '../ui/assignment-tile';
import { takeCmi5Launch, type Cmi5Session } from '../net/cmi5';

type Refused = Extract<StartResult, { kind: 'refused' }>;

/** Why an assignment's call did not start, in the trainee's words. */
function refusalText(refused: Refused, language: Language): string {
  return refused.closed ? t(language, `assign.refused.${refused.closed}`) : t(language, 'assign.refused', { reason: refused.message });
}
import { GAME_EVENT, SCENE } from './keys';

/** A performance mark set once, when the menu first takes input. */
export const MENU_READY_MARK = 'hold-the-line:menu-interactive';
/** And once when it is complete: every portrait on the first page and the trainee's history drawn. */
export const MENU_COMPLETE_MARK = 'hold-the-line:menu-complete';

/** The menu's texts draw above its shapes (see create). */
const TEXT_DEPTH = 1;

export interface MenuData {
  page?: number;
  /** Focus this caller's card (coming back from a debrief). */
  focusId?: string;
  /** Focus this settings button (after changing a setting). */
  focusIndex?: number;
  /** Why an assignment's call did not start (from the debrief's Try again). */
  notice?: Refused;
}

function measureWith(font: string): (text: string) => number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return (text) => text.length * 12;
  context.font = font;
  return (text) => Math.ceil(context.measureText(text).width);
}

export class Menu extends Phaser.Scene {
  private focus!: FocusManager;
  private frame!: Frame;
  private data_: MenuData = {};
  private cards: CallerCard[] = [];
  private busy = false;
  private entries: CatalogEntry[] = [];
  private logoSlot: { x: number; y: number; size: number } | null = null;
  private logo: Phaser.GameObjects.Image | null = null;
  /** The menu's texts and plain shapes, painted on one canvas (ui/text-sheet.ts): the first frame uploads one texture, not ~45, and compiles no shape shader. */
  private sheet!: TextSheet;

  constructor() {
    super(SCENE.menu);
  }

  init(data: MenuData): void {
    this.data_ = data ?? {};
    this.cards = [];
    this.busy = false;
    this.updateButton = null;
    this.artShown = false;
    this.historyShown = false;
  }

  create(): void {
    setHookScene(SCENE.menu);
    const { width, height } = this.scale;
    this.frame = frameOf(width, height);
    // No camera background: the sheet (below) paints the backdrop over the whole game, and a camera
    // fill would cost the first frame a shader of its own (the flat-colour one) to compile.
    this.focus = new FocusManager(this);
    clearTargets();
    setHookMenu(null);
    const relayout = () => this.scene.restart(this.data_);
    this.game.events.on(GAME_EVENT.relayout, relayout);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.game.events.off(GAME_EVENT.relayout, relayout));

    // Every text one layer above the shapes (no text of the menu lies under a shape but the status
    // box's, which is a container above both). Drawn in the order they are made, the cards would
    // switch between WebGL's shape and texture batches about fifty times in a frame, each switch a
    // draw call and each batch size a shader of its own to compile before the first frame: layered,
    // it is a handful of draw calls and shaders.
    const lift = (object: Phaser.GameObjects.GameObject) => {
      if (object instanceof Phaser.GameObjects.Text) object.setDepth(TEXT_DEPTH);
    };
    this.events.on(Phaser.Scenes.Events.ADDED_TO_SCENE, lift);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.ADDED_TO_SCENE, lift));
    this.sheet = new TextSheet(this, colour.backdrop);

    const language = services().settings.value.language;
    document.documentElement.lang = language;
    document.title = t(language, 'app.title');
    const headerBottom = this.drawHeader(language);
    this.drawCallers(language, this.drawAssignments(language, headerBottom));
    this.watchAssignments();
    const notice = this.data_.notice;
    delete this.data_.notice;
    if (notice) this.showStatus(refusalText(notice, language), 'bad');
    const course = takeCmi5Launch();
    if (course) void this.startFromCourse(course, language);
    // The art arrives from the Preloader: each picture as it comes.
    const onTexture = () => this.showArt();
    this.textures.on(Phaser.Textures.Events.ADD, onTexture);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.textures.off(Phaser.Textures.Events.ADD, onTexture));
    this.showArt();
    // The moment a trainee can pick a caller: the first frame the menu is drawn in, its input wired
    // (what bench:web measures from navigation, as it does for a bare Phaser page). What the menu
    // does not draw starts after that frame: the results (the page's database, outbox and panel:
    // main.ts, on GAME_EVENT.menuReady), the art (the Preloader), offline play (the worker keeps the
    // game and this language's voices) and the trainee's history (the device's store, in place once
    // the results have started).
    let later: number | undefined;
    const onFirstFrame = () => {
      if (performance.getEntriesByName(MENU_READY_MARK).length === 0) performance.mark(MENU_READY_MARK);
      later = window.setTimeout(() => {
        this.game.events.emit(GAME_EVENT.menuReady);
        this.watchCatalog();
        loadArt(this.game);
        startOffline(language);
        this.readHistory(language);
      }, 0);
    };
    this.game.events.once(Phaser.Core.Events.POST_RENDER, onFirstFrame);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      this.game.events.off(Phaser.Core.Events.POST_RENDER, onFirstFrame);
      window.clearTimeout(later);
    });
    const updateShown = offlineStatus().updateReady;
    const offOffline = onOfflineChange(() => {
      if (offlineStatus().updateReady !== updateShown && !this.busy) this.scene.restart(this.data_);
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, offOffline);
  }

  /** Fills in the cards' footers when the device's store answers ("not tried yet" if it cannot). */
  private readHistory(language: Language): void {
    const cards = this.cards;
    void services()
      .attempts.list()
      .catch(() => [])
      .then((records) => {
        // Not if the menu has been drawn anew meanwhile (its own read fills its cards).
        if (!this.scene.isActive() || this.cards !== cards || cards.length === 0) return;
        this.showHistory(language, historyByScenario(records));
      });
  }

  private showArt(): void {
    let all = true;
    for (const card of this.cards) all = card.showPortrait() && all;
    const slot = this.logoSlot;
    if (slot && !this.logo && this.textures.exists(ART.logo)) this.logo = this.add.image(slot.x, slot.y, ART.logo).setOrigin(0).setDisplaySize(slot.size, slot.size);
    this.artShown = all && this.logo !== null;
    this.markComplete();
  }

  private artShown = false;
  private historyShown = false;

  private markComplete(): void {
    if (this.artShown && this.historyShown && performance.getEntriesByName(MENU_COMPLETE_MARK).length === 0) performance.mark(MENU_COMPLETE_MARK);
  }

  private showHistory(language: Language, history: Map<string, ScenarioHistory>): void {
    const onPage = this.cards.length;
    const first = this.firstOnPage;
    this.entries.slice(first, first + onPage).forEach((entry, i) => this.cards[i]?.setHistory(history.get(entry.id)));
    setHookMenu({
      language,
      hint: this.hint,
      page: this.page,
      pages: this.pages,
      cards: this.entries.map((e) => ({ id: e.id, best: history.get(e.id)?.best ?? null, attempts: history.get(e.id)?.attempts ?? 0, passed: history.get(e.id)?.passed ?? false })),
      onPage: this.entries.slice(first, first + onPage).map((e) => e.id),
      assignments: this.tiles.map((tile) => {
        const a = tile.assignment;
        return { id: a.id, scenarioId: a.scenarioId, mode: a.mode, dueAt: a.dueAt, attemptsUsed: a.attemptsUsed, attemptsAllowed: a.attemptsAllowed, done: a.done, passed: a.passed, open: a.open, closed: a.closed };
      }),
    });
    this.historyShown = true;
    this.markComplete();
  }

  private page = 0;
  private updateButton: Button | null = null;
  private hint: 'touch' | 'keys' = 'keys';
  private pages = 1;
  private firstOnPage = 0;

  private drawHeader(language: Language): number {
    const frame = this.frame;
    const { width } = this.scale;
    const margin = space.xl;
    const logoSize = frame.portrait ? 72 : 56;
    this.logo = null;
    this.logoSlot = { x: margin, y: margin, size: logoSize };
    const settings = services().settings;
    const s = settings.value;
    const labels = [
      labelled(language, t(language, 'settings.language'), t(language, `lang.${language === 'en' ? 'zh-CN' : 'en'}`)),
      labelled(language, t(language, 'settings.volume'), s.volume === 0 ? t(language, 'settings.volume.off') : `${Math.round(s.volume * 100)}%`),
      labelled(language, t(language, 'settings.voices'), t(language, s.voices ? 'settings.voices.on' : 'settings.voices.off')),
      labelled(language, t(language, 'settings.captions'), t(language, `settings.captions.${s.captionSize}`)),
      labelled(language, t(language, 'settings.motion'), t(language, s.reducedMotion ? 'settings.motion.reduced' : 'settings.motion.full')),
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
    // Measured on a 2D canvas, not by drawing hidden Text objects (each would make and free a texture).
    const measure = measureWith(`normal ${size}px ${FONT_FAMILY}`);
    const widths = labels.map((label) => Math.max(measure(label) + space.l * 2, 120));
    // On a landscape screen the settings row shares the title's line (from the right): a title that
    // would reach it (the Chinese one beside the English name, at 1280 wide) is set smaller to fit.
    const titleX = margin + logoSize + space.m;
    const titleText = t(language, 'app.title');
    let titleSize = frame.text('title');
    if (!frame.portrait) {
      const rowLeft = width - margin - widths.reduce((sum, w) => sum + w, 0) - space.s * (widths.length - 1);
      const room = rowLeft - space.m - titleX;
      const natural = measureWith(`bold ${titleSize}px ${FONT_FAMILY}`)(titleText);
      if (natural > room) titleSize = Math.max(frame.text('body'), Math.floor((titleSize * room) / natural));
    }
    const title = this.sheet.add(titleX, margin - 4, titleText, { size: titleSize, bold: true });
    const taglineAt = { x: title.x, y: title.y + title.height + 2 };
    const taglineText = t(language, 'app.tagline');
    const drawTagline = (wrap: number) => {
      const tagline = this.sheet.add(taglineAt.x, taglineAt.y, taglineText, { size: frame.text('small'), colour: 'textMuted', width: wrap });
      setTarget('menu:tagline', () => tagline.getBounds());
      return tagline;
    };
    // Named for the tests, which check that nothing on the menu lies over anything else.
    setTarget('menu:title', () => title.getBounds());
    const buttons: SheetButton[] = [];
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
        buttons.push(new SheetButton(this, this.sheet, { x, y, width: cellWidth, height, label, size, onPress: press(i) }));
      });
      const rows = Math.ceil(labels.length / 2);
      bottom = top + height * rows + space.s * (rows - 1);
      drawTagline(width - taglineAt.x - margin);
    } else {
      let x = width - margin;
      const y = margin + 4;
      for (let i = labels.length - 1; i >= 0; i--) {
        const w = widths[i] ?? 120;
        x -= w;
        buttons.unshift(new SheetButton(this, this.sheet, { x, y, width: w, height, label: labels[i] ?? '', size, onPress: press(i) }));
        x -= space.s;
      }
      bottom = margin + logoSize;
      // The settings row shares the header's line: the tagline wraps short of it when it would
      // reach it (measured first, so the tagline is drawn once).
      const room = x - taglineAt.x;
      if (measure(taglineText) > room && room > 120) {
        const tagline = drawTagline(room);
        bottom = Math.max(bottom, tagline.y + tagline.height);
      } else {
        drawTagline(width - taglineAt.x - margin);
      }
    }
    this.settingsButtons = buttons;
    return bottom;
  }

  private settingsButtons: SheetButton[] = [];

  // Assignments (issue 15): the trainee's assignments first, above the callers.

  private tiles: AssignmentTile[] = [];

  /** Draws the joined trainee's assignments (as last fetched) under the header; returns where the callers start. */
  private drawAssignments(language: Language, top: number): number {
    this.tiles = [];
    // Open ones first, then by due date.
    const list = [...cachedAssignments()].sort((a, b) => Number(b.open) - Number(a.open) || a.dueAt.localeCompare(b.dueAt) || a.id - b.id);
    if (list.length === 0) return top;
    const margin = space.xl;
    const small = this.frame.text('small');
    const heading = this.sheet.add(margin, top + space.m, t(language, 'assign.heading'), { size: this.frame.text('large'), bold: true });
    const layout = tileLayout(list.length, this.frame, margin, heading.y + heading.height + space.s, this.scale.width - margin * 2);
    layout.rects.forEach((rect, i) => {
      const a = list[i]!;
      const tile = new AssignmentTile(this, rect, a, language, this.frame, () => void this.pickAssignment(a, language));
      this.tiles.push(tile);
      setTarget(`assignment:${a.id}`, () => rect);
    });
    let bottom = layout.bottom;
    if (layout.hidden > 0) {
      const more = this.sheet.add(margin, bottom + space.xs, t(language, 'assign.more', { n: layout.hidden }), { size: small, colour: 'textMuted', width: this.scale.width - margin * 2, maxLines: 1 });
      bottom = more.y + more.height;
    }
    return bottom;
  }

  /** Fetches the assignments when the menu opens and when the trainee joins; draws again if they changed. */
  private watchAssignments(): void {
    const refresh = () =>
      void refreshAssignments()
        .then((changed) => {
          if (changed && this.scene.isActive() && !this.busy) this.scene.restart(this.data_);
        })
        .catch(() => undefined);
    let joinedAs: string | null | undefined;
    // The outbox starts behind the menu's first frame (main.ts): the first menu waits for it.
    let offChange: (() => void) | undefined;
    const offStarted = onResultsStarted((outbox) => {
      if (!outbox) return refresh();
      offChange = outbox.onChange((status) => {
        const token = status.identity?.token ?? null;
        if (token === joinedAs) return;
        joinedAs = token;
        refresh();
      });
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      offStarted();
      offChange?.();
    });
  }

  // The live list of callers (issue 17): a caller published in the trainer studio since this page
  // was built is on the menu as soon as the server's list arrives; drawn again only if it changed.
  // Asked after the menu's first frame: whether the page came from the results service is in a
  // cookie, and reading document.cookie waits for the browser process.
  private watchCatalog(): void {
    if (!servedByResultsService()) return;
    void refreshCatalog().then((changed) => {
      if (changed && this.scene.isActive() && !this.busy) this.scene.restart(this.data_);
    });
  }

  private async pickAssignment(a: TraineeAssignment, language: Language): Promise<void> {
    const entry = this.entries.find((e) => e.id === a.scenarioId);
    if (this.busy || !entry) return;
    if (a.closed) {
      this.showStatus(t(language, `assign.refused.${a.closed}`), 'bad');
      return;
    }
    await this.pickCaller(entry, language, { mode: a.mode, assignmentId: a.id });
  }

  private drawCallers(language: Language, top: number): void {
    const frame = this.frame;
    const { width, height } = this.scale;
    const margin = space.xl;
    const entries = (this.entries = catalog());
    const headingY = top + space.l;
    const heading = this.sheet.add(margin, headingY, t(language, 'menu.callers'), { size: frame.text('large'), bold: true });
    const gridTop = heading.y + heading.height + space.m;
    // The hint line sits at the foot of the screen, under the cards and never beside the pager:
    // at the right of the page's results panel (bottom left, over the canvas) when there is room,
    // else above it.
    const small = frame.text('small');
    // A new version waiting takes the hint's place, as a button that reloads into it.
    const update = offlineStatus().updateReady;
    const lineHeight = Math.round(small * (update ? 2 : 1.4));
    const touch = touchFirst();
    this.hint = touch ? 'touch' : 'keys';
    const hintFor = (paged: boolean): string => t(language, touch ? (paged ? 'menu.touchPages' : 'menu.touch') : paged ? 'menu.keysPages' : 'menu.keys');
    const measure = measureWith(`normal ${small}px ${FONT_FAMILY}`);
    const hintWidth = update ? measure(t(language, 'menu.update')) + space.l * 2 : Math.max(measure(hintFor(true)), measure(hintFor(false)));
    const footer = (panel: { right: number; height: number }) => {
      let hintY = height - space.s - lineHeight;
      if (hintWidth > width - margin - panel.right - space.m) hintY = Math.min(hintY, height - panel.height - space.xs - lineHeight);
      return { hintY, gridBottom: Math.min(hintY, height - panel.height - space.xs) - space.s };
    };
    const { hintY, gridBottom } = footer(this.resultsPanelStrip());
    // The panel comes after the first frame, and grows with what it says (a joined trainee's name
    // and cohort): laid out again if it then reaches into the hint's or the cards' place.
    const offBox = onResultsPanelBox(() => {
      const now = footer(this.resultsPanelStrip());
      if ((now.hintY !== hintY || now.gridBottom !== gridBottom) && this.scene.isActive() && !this.busy) this.scene.restart(this.data_);
    });
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, offBox);
    const grid = menuGrid({ width, height, top: gridTop, bottom: gridBottom, count: entries.length, portrait: frame.portrait, page: this.data_.page ?? 0, margin, gap: space.m });
    const { page, pages } = grid;
    this.page = page;
    this.pages = pages;
    this.firstOnPage = grid.first;
    if (update) {
      const w = Math.min(hintWidth, width - margin * 2);
      const button = new Button(this, { x: width - margin - w, y: hintY, width: w, height: lineHeight, label: t(language, 'menu.update'), size: small, variant: 'primary', onPress: () => applyUpdate() });
      this.updateButton = button;
      setTarget('menu:update', () => button.screenBounds());
    } else {
      const hint = this.sheet.add(width - margin, hintY, hintFor(pages > 1), { size: small, colour: 'textFaint', width: width - margin * 2, maxLines: 1 }).setOrigin(1, 0);
      setTarget('menu:hint', () => hint.getBounds());
    }

    const onPage = entries.slice(grid.first, grid.first + grid.perPage);
    onPage.forEach((entry, i) => {
      const r = grid.cards[i];
      if (!r) return;
      const rect = new Phaser.Geom.Rectangle(r.x, r.y, r.width, r.height);
      const card = new CallerCard(this, rect, entry, language, frame, this.sheet, () => void this.pickCaller(entry, language));
      this.cards.push(card);
      setTarget(`card:${entry.id}`, () => rect);
    });

    const goTo = (to: number) => this.scene.restart({ page: (to + pages) % pages });
    if (pages > 1) {
      const h = Math.round(small * 2.2);
      const right = width - margin;
      const prev = new SheetButton(this, this.sheet, { x: right - 2 * h - space.s, y: headingY - 4, width: h, height: h, label: '‹', size: small, onPress: () => goTo(page - 1) });
      const next = new SheetButton(this, this.sheet, { x: right - h, y: headingY - 4, width: h, height: h, label: '›', size: small, onPress: () => goTo(page + 1) });
      const labelRight = prev.screenBounds().x - space.s;
      this.sheet.add(labelRight, headingY + 4, t(language, 'menu.page', { page: page + 1, pages }), { size: small, colour: 'textMuted', width: Math.max(60, labelRight - heading.x - heading.width - space.m), maxLines: 1 }).setOrigin(1, 0);
      this.focus.add(prev, next);
      setTarget('page:prev', () => prev.screenBounds());
      setTarget('page:next', () => next.screenBounds());
      const keyboard = this.input.keyboard;
      keyboard?.on('keydown-PAGE_DOWN', () => goTo(page + 1));
      keyboard?.on('keydown-PAGE_UP', () => goTo(page - 1));
    }

    this.focus.add(...this.settingsButtons, ...this.tiles, ...this.cards, ...(this.updateButton ? [this.updateButton] : []));
    const focusIndex = this.data_.focusIndex;
    if (focusIndex !== undefined) this.focus.focus(this.settingsButtons[focusIndex] ?? null, true);
    else if (this.data_.focusId === undefined && this.tiles[0]?.assignment.open) this.focus.focus(this.tiles[0]);
    else {
      const back = onPage.findIndex((e) => e.id === this.data_.focusId);
      this.focus.focus(this.cards[Math.max(0, back)] ?? null, back >= 0);
    }
    this.settingsButtons.forEach((button, i) => setTarget(`setting:${['language', 'volume', 'voices', 'captions', 'motion'][i]}`, () => button.screenBounds()));
    const live = services().live;
    live.clear();
    live.say(t(language, 'live.menu', { count: entries.length }));
  }

  /**
   * The strip the page's results panel takes at the bottom left of the window, in game pixels: at
   * least RESULTS_PANEL_BOX (src/game/net/results-panel.ts: what it takes before the trainee has
   * joined), so the menu leaves it free before the panel is there (it comes after the first frame),
   * or the panel's box as last laid out when it is larger; read without asking the page for a
   * layout. Where the canvas lies and its scale are the scale manager's own.
   */
  private resultsPanelStrip(): { right: number; height: number } {
    const shown = this.scale.canvasBounds;
    const perCss = shown.width > 0 ? this.scale.width / shown.width : 1;
    const seen = resultsPanelBox();
    const cssRight = Math.max(RESULTS_PANEL_BOX.width, seen?.right ?? 0) - shown.left;
    const cssHeight = Math.max(RESULTS_PANEL_BOX.height, seen?.height ?? 0) - (window.innerHeight - shown.bottom);
    return { right: Math.max(0, cssRight * perCss), height: Math.max(0, cssHeight * perCss) };
  }

  private async pickCaller(entry: CatalogEntry, language: Language, assignment?: { mode: 'practice' | 'assessment'; assignmentId: number }): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    for (const card of this.cards) card.setEnabled(false);
    for (const tile of this.tiles) tile.setEnabled(false);
    const overlay = this.showStatus(t(language, 'menu.loading', { title: pick(entry.title, language) }), 'text');
    services().live.say(t(language, 'menu.loading', { title: pick(entry.title, language) }));
    try {
      // What waits for the menu's first frame, if the trainee was quicker: the results (the call's
      // attempt is saved through them), and the art (the call must not start a second load of a
      // texture the Preloader is fetching).
      this.game.events.emit(GAME_EVENT.menuReady);
      loadArt(this.game);
      const [kit, text, desk] = await Promise.all([import('../call/kit'), entry.load(), import('./desk'), artLoaded()]);
      desk.addDeskScenes(this.game);
      const loaded = kit.loadScenario(text);
      if (!loaded.ok) throw new Error(loaded.diagnostics.slice(0, 3).map(kit.describe).join('\n'));
      void sound().prepare(loaded.scenario.id);
      const data: CallData = { kit, scenario: loaded.scenario, scenarioSource: text, entryId: entry.id, page: this.page, ...(assignment ? { mode: assignment.mode } : {}) };
      // Started by the server when online (its seed, id and clock); an assignment only so.
      const refused = await launchCall(this, data, assignment?.assignmentId);
      if (refused) {
        overlay.destroy();
        this.showStatus(refusalText(refused, language), 'bad');
        services().live.say(refusalText(refused, language));
        for (const card of this.cards) card.setEnabled(true);
        for (const tile of this.tiles) tile.setEnabled(true);
        this.busy = false;
      }
    } catch (error) {
      overlay.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      this.showStatus(t(language, 'menu.loadFailed', { reason }), 'bad');
      services().live.say(t(language, 'menu.loadFailed', { reason }));
      for (const card of this.cards) card.setEnabled(true);
      for (const tile of this.tiles) tile.setEnabled(true);
      this.busy = false;
    }
  }

  // A cmi5 launch (issue 15: src/game/net/cmi5.ts): the caller the course names, straight away.

  private async startFromCourse(course: Cmi5Session | { error: string }, language: Language): Promise<void> {
    if ('error' in course) {
      this.showStatus(t(language, 'cmi5.failed', { reason: t(language, 'cmi5.error.params', { detail: course.error }) }), 'bad');
      return;
    }
    this.busy = true;
    for (const card of this.cards) card.setEnabled(false);
    for (const tile of this.tiles) tile.setEnabled(false);
    const overlay = this.showStatus(t(language, 'cmi5.connecting'), 'text');
    services().live.say(t(language, 'cmi5.connecting'));
    await course.started;
    if (!this.scene.isActive()) return;
    overlay.destroy();
    for (const card of this.cards) card.setEnabled(true);
    for (const tile of this.tiles) tile.setEnabled(true);
    this.busy = false;
    if (course.state.phase === 'failed') {
      const message = t(language, 'cmi5.failed', { reason: course.state.error ?? '' });
      this.showStatus(message, 'bad');
      services().live.say(message);
      return;
    }
    const preferred = course.preferredLanguage();
    if (preferred && preferred !== language) {
      services().settings.update({ language: preferred });
      language = preferred;
    }
    const { scenarioId, assignmentId, mode } = course.launch;
    const entry = this.entries.find((e) => e.id === scenarioId);
    if (!entry) {
      const message = t(language, 'cmi5.noCaller', { id: scenarioId });
      this.showStatus(message, 'bad');
      services().live.say(message);
      void course.terminate();
      return;
    }
    await this.pickCaller(entry, language, assignmentId !== undefined ? { mode: mode ?? 'practice', assignmentId } : undefined);
    // Not started (the server refused the assignment's call, or the caller did not load): the menu
    // says why, and the course's session ends.
    if (!this.busy) void course.terminate();
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
