/**
 * Voices made on save (issue 17): when the trainer studio saves a caller on a server that has
 * espeak-ng and sox (the dev server's trainer plugin, `npm start`), the voices of its new and changed
 * lines are made in the background by the same code as `npm run assets:audio -- --scenario ID`
 * (scripts/make-audio/build.ts; takes already made are reused from its cache). A save never waits
 * for it and never fails because of it. One caller is made at a time; a caller saved again while it
 * waits is made once, from its newest file.
 *
 * Until its voices are made, a line whose words changed has no recording: the live manifest this
 * module serves to the game (GET /api/scenarios/ID/voices) leaves its old take out, so the game reads
 * it with the browser's speech synthesis instead of playing the old words.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spokenLinesOf } from '../audio/line-texts';
import { VOICE_LANGUAGES, type VoiceLanguage, type VoiceManifest } from '../audio/manifest';
import type { VoiceStatus } from '../shared/studio-contract';
import { missingTools } from '../../scripts/make-audio/tools';

/** What the maker needs of scripts/make-audio/build.ts's makeAudio (a test passes a fake). */
export type MakeVoices = (options: {
  root: string;
  scenariosDir: string;
  cacheDir: string;
  jobs: number;
  only: string[];
  desk: false;
  onProgress: (done: number, total: number) => void;
}) => Promise<{ scenarios: { scenarioId: string; takes: number }[]; skipped: { file: string; problem: string }[] }>;

/** The project's scenarios folder (the results service's default). */
export const SCENARIOS_FOLDER = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface VoiceMakerOptions {
  /** The project the audio belongs to: the voices go to ROOT/assets/audio/voices. */
  root: string;
  /** Where the caller files are (default ROOT/scenarios). */
  scenariosDir?: string;
  /** The take cache (default ROOT/node_modules/.cache/hold-the-line-audio, as npm run assets:audio). */
  cacheDir?: string;
  /** Takes made at once (default: one, or two on a machine with more than two cores). */
  jobs?: number;
  /** The maker; default the real one. */
  make?: MakeVoices;
  /** The voice tools this machine lacks (default: asks espeak-ng and sox, once). */
  missingTools?: () => string[];
  /** false: this server makes no voices (the status says "off"). */
  enabled?: boolean;
  log?: (message: string) => void;
}

const realMake: MakeVoices = async (options) => (await import('../../scripts/make-audio/build')).makeAudio(options);
let toolsAnswer: string[] | null = null;
/** The voice tools this machine lacks, asked once (when a caller is first saved). */
const realMissing = (): string[] => (toolsAnswer ??= missingTools());

/** The ids of the spoken lines of `after` whose words are new or differ from `before` (all of them for another voice). */
export function changedLines(before: unknown, after: unknown): Set<string> {
  const voiceOf = (s: unknown) => (s as { caller?: { voice?: unknown } } | null)?.caller?.voice;
  const old = new Map(before && voiceOf(before) === voiceOf(after) ? spokenLinesOf(before).map((l) => [l.id, JSON.stringify(l.text)]) : []);
  return new Set(spokenLinesOf(after).filter((l) => old.get(l.id) !== JSON.stringify(l.text)).map((l) => l.id));
}

export interface LiveVoices {
  manifest: VoiceManifest;
  /** The manifest's source hash, and which takes were left out: what the game compares with its own copy. */
  version: string;
}

export class VoiceMaker {
  private readonly root: string;
  private readonly scenariosDir: string;
  private readonly cacheDir: string;
  private readonly jobs: number;
  private readonly make: MakeVoices;
  private readonly missingTools: () => string[];
  private readonly enabled: boolean;
  private readonly log: (message: string) => void;
  private readonly states = new Map<string, VoiceStatus>();
  private readonly queue: string[] = [];
  private running: string | null = null;
  private drained: Promise<void> = Promise.resolve();
  private finish: (() => void) | null = null;
  /** Lines whose words changed since their take was made, per caller. */
  private readonly stale = new Map<string, Set<string>>();
  /** Saves per caller: a make that started before the last save leaves its lines stale. */
  private readonly saves = new Map<string, number>();
  private readonly manifests = new Map<string, { stamp: string; manifest: VoiceManifest | null }>();

  constructor(options: VoiceMakerOptions) {
    this.root = resolve(options.root);
    this.scenariosDir = resolve(options.scenariosDir ?? join(this.root, 'scenarios'));
    this.cacheDir = options.cacheDir ?? join(this.root, 'node_modules', '.cache', 'hold-the-line-audio');
    this.jobs = options.jobs ?? (availableParallelism() > 2 ? 2 : 1);
    this.make = options.make ?? realMake;
    this.missingTools = options.missingTools ?? realMissing;
    this.enabled = options.enabled ?? true;
    this.log = options.log ?? ((message) => console.log(message));
  }

  /** The folder the voices are written to. */
  get voicesDir(): string {
    return join(this.root, 'assets', 'audio', 'voices');
  }

  /** Whether this server makes voices, and if not, what it lacks. */
  tools(): { ok: true } | { ok: false; missing: string[] } {
    if (!this.enabled) return { ok: false, missing: [] };
    const missing = this.missingTools();
    return missing.length === 0 ? { ok: true } : { ok: false, missing };
  }

  status(id: string): VoiceStatus {
    const tools = this.tools();
    if (!tools.ok) return { state: 'off', missing: tools.missing };
    return this.states.get(id) ?? { state: 'idle' };
  }

  /**
   * A caller was saved (`before`: the version it replaced, if any): its changed lines lose their old
   * takes now, and its voices are made in the background. Never throws.
   */
  saved(id: string, before: unknown, after: unknown): VoiceStatus {
    try {
      const changed = changedLines(before, after);
      const stale = this.stale.get(id) ?? new Set<string>();
      for (const line of changed) stale.add(line);
      this.stale.set(id, stale);
      this.saves.set(id, (this.saves.get(id) ?? 0) + 1);
    } catch (error) {
      this.log(`voices for ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!this.tools().ok) return this.status(id);
    if (!this.queue.includes(id)) this.queue.push(id);
    if (this.running !== id) this.states.set(id, { state: 'queued' });
    this.pump();
    return this.status(id);
  }

  /** Resolves when nothing is queued or being made (tests; a server stopping). */
  whenIdle(): Promise<void> {
    return this.drained;
  }

  private pump(): void {
    if (this.running !== null) return;
    const id = this.queue.shift();
    if (id === undefined) {
      this.finish?.();
      this.finish = null;
      return;
    }
    if (!this.finish) this.drained = new Promise((done) => (this.finish = done));
    this.running = id;
    const savesAtStart = this.saves.get(id) ?? 0;
    this.states.set(id, { state: 'making', done: 0, total: 0 });
    const progress = (done: number, total: number) => {
      if (this.running === id) this.states.set(id, { state: 'making', done, total });
    };
    let outcome: Promise<VoiceStatus>;
    try {
      outcome = this.make({ root: this.root, scenariosDir: this.scenariosDir, cacheDir: this.cacheDir, jobs: this.jobs, only: [id], desk: false, onProgress: progress }).then((report) => {
        const made = report.scenarios.find((s) => s.scenarioId === id);
        if (!made) {
          const skipped = report.skipped.find((s) => s.file.endsWith(`${id}.json`));
          return { state: 'failed', error: skipped ? skipped.problem : `no caller "${id}" in the scenarios folder` } as VoiceStatus;
        }
        // Made from the file as it was when the make began: later saves' lines wait for the next make.
        if ((this.saves.get(id) ?? 0) === savesAtStart) this.stale.delete(id);
        return { state: 'ready', takes: made.takes } as VoiceStatus;
      });
    } catch (error) {
      outcome = Promise.reject(error);
    }
    void outcome
      .catch((error: unknown): VoiceStatus => {
        const message = error instanceof Error ? error.message : String(error);
        this.log(`making the voices of ${id} failed: ${message}`);
        return { state: 'failed', error: message.slice(0, 500) };
      })
      .then((status) => {
        this.running = null;
        this.manifests.delete(id);
        this.states.set(id, this.queue.includes(id) ? { state: 'queued' } : status);
        this.pump();
      });
  }

  /** The caller's voice manifest as the game should use it: takes of changed lines left out. Null when it has none. */
  live(id: string): LiveVoices | null {
    const manifest = this.readManifest(id);
    if (!manifest) return null;
    const stale = this.stale.get(id);
    const dropped = stale ? [...stale].filter((line) => VOICE_LANGUAGES.some((lang) => manifest.languages[lang].clips[line])).sort() : [];
    if (dropped.length === 0) return { manifest, version: manifest.sourceHash };
    const languages = {} as VoiceManifest['languages'];
    for (const lang of VOICE_LANGUAGES) {
      const track = manifest.languages[lang];
      languages[lang] = { ...track, clips: Object.fromEntries(Object.entries(track.clips).filter(([line]) => !stale?.has(line))) };
    }
    const left = createHash('sha256').update(dropped.join('\n')).digest('hex').slice(0, 8);
    return { manifest: { ...manifest, languages }, version: `${manifest.sourceHash}-${left}` };
  }

  /** The path of a language's voice sprite of a caller, when there is one. */
  spriteFile(id: string, lang: VoiceLanguage): string | null {
    const manifest = this.readManifest(id);
    const file = manifest?.languages[lang]?.file;
    if (!file || file !== `${id}.${lang}.mp3`) return null;
    const path = join(this.voicesDir, file);
    return existsSync(path) ? path : null;
  }

  private readManifest(id: string): VoiceManifest | null {
    const path = join(this.voicesDir, `${id}.json`);
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return null;
    }
    const known = this.manifests.get(id);
    if (known?.stamp === stamp) return known.manifest;
    let manifest: VoiceManifest | null = null;
    try {
      const value = JSON.parse(readFileSync(path, 'utf8')) as VoiceManifest;
      manifest = value && value.scenarioId === id && VOICE_LANGUAGES.every((lang) => value.languages?.[lang]?.clips) ? value : null;
    } catch {
      manifest = null;
    }
    this.manifests.set(id, { stamp, manifest });
    return manifest;
  }
}
