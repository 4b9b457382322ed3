/**
 * `npm run assets:audio`: makes every sound the game plays from the scenarios in the repository.
 * Takes are cached by a hash of everything they are made from, so a rerun only makes what changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  AUDIO_MANIFEST_VERSION,
  DESK_SOUND_IDS,
  VOICE_LANGUAGES,
  spriteKey,
  type DeskManifest,
  type DeskSound,
  type LineClips,
  type SpriteWindow,
  type VoiceLanguage,
  type VoiceManifest,
  type VoiceTrack,
} from '../../src/audio/manifest';
import type { Scenario } from '../../src/engine/format/schema';
import { AMBIENCE_SECONDS, isLoop, renderDesk } from './desk';
import { DESK_KBPS, DESK_RATE_HZ, SCENARIO_BUDGET_BYTES, VOICE_KBPS, VOICE_MIN_KBPS, VOICE_RATE_HZ } from './levels';
import { planLines, readScenarios, type SpokenLine } from './lines';
import { pool } from './tools';
import { buildSprite, type SpriteClip } from './sprites';
import { VOICE_RECIPE, renderTake, type Take } from './voice';
import { voiceProfile } from './voices';

export const AUDIO_DIR = 'assets/audio';
export const VOICES_DIR = `${AUDIO_DIR}/voices`;
export const DESK_FILE = 'desk.mp3';
export const DESK_MANIFEST = `${AUDIO_DIR}/desk.json`;

export const voiceFile = (scenarioId: string, lang: VoiceLanguage): string => `${scenarioId}.${lang}.mp3`;
export const voiceManifestPath = (root: string, scenarioId: string): string => join(root, VOICES_DIR, `${scenarioId}.json`);

/** Everything a scenario's voice files are made from. A manifest with another hash is stale. */
export function voiceSourceHash(scenario: Scenario, plan: readonly SpokenLine[] = planLines(scenario)): string {
  const { profile } = voiceProfile(scenario.caller.voice);
  const material = {
    recipe: VOICE_RECIPE,
    encoding: [VOICE_RATE_HZ, VOICE_KBPS],
    voice: scenario.caller.voice,
    profile,
    lines: plan.map((l) => ({ id: l.id, text: l.line.text, seconds: l.seconds, bands: l.bands })),
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}

export interface ScenarioReport {
  scenarioId: string;
  lines: number;
  takes: number;
  bytes: Record<VoiceLanguage, number>;
  overBudget: boolean;
  /** Takes that still run past the engine's time for their line. */
  overruns: string[];
  changed: boolean;
}

export interface BuildReport {
  desk: { bytes: number; changed: boolean };
  scenarios: ScenarioReport[];
  skipped: { file: string; problem: string }[];
  removed: string[];
  warnings: string[];
}

export interface BuildOptions {
  root: string;
  cacheDir: string;
  jobs: number;
  /** Only these scenario ids (default: all). */
  only?: string[];
  /** Where the scenario files are (default ROOT/scenarios); the audio goes to ROOT/assets/audio either way. */
  scenariosDir?: string;
  /** Make the desk's sounds too (default true); the trainer studio makes only a caller's voices. */
  desk?: boolean;
  log?: (message: string) => void;
  /** Called as takes are made (cached ones count at once): done of total. */
  onProgress?: (done: number, total: number) => void;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function writeIfChanged(file: string, text: string): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  writeFileSync(file, text);
  return true;
}

async function buildDesk(options: BuildOptions): Promise<BuildReport['desk']> {
  const takes = await renderDesk(join(options.cacheDir, 'desk'));
  const clips: SpriteClip[] = takes.map((take) => ({
    key: take.sound,
    file: take.file,
    ...(isLoop(take.sound) ? { loopSeconds: take.sound === 'ambience' ? AMBIENCE_SECONDS : take.seconds } : {}),
  }));
  const sprite = await buildSprite(clips, join(options.root, AUDIO_DIR, DESK_FILE), DESK_RATE_HZ, DESK_KBPS, join(options.cacheDir, 'sprites'));
  const sounds = Object.fromEntries(DESK_SOUND_IDS.map((id) => [id, sprite.windows[id] as SpriteWindow])) as Record<DeskSound, SpriteWindow>;
  const manifest: DeskManifest = { formatVersion: AUDIO_MANIFEST_VERSION, file: DESK_FILE, bytes: sprite.bytes, sounds };
  const changed = writeIfChanged(join(options.root, DESK_MANIFEST), json(manifest)) || sprite.changed;
  return { bytes: sprite.bytes, changed };
}

interface TakeJob {
  scenarioId: string;
  voice: string;
  line: SpokenLine;
  lang: VoiceLanguage;
  band: SpokenLine['bands'][number];
  text: string;
}

async function buildScenario(scenario: Scenario, plan: SpokenLine[], takes: Map<TakeJob, Take>, jobs: TakeJob[], options: BuildOptions): Promise<ScenarioReport> {
  let kbps = VOICE_KBPS;
  for (;;) {
    const report = await encodeScenario(scenario, plan, takes, jobs, options, kbps);
    const total = report.bytes['zh-CN'] + report.bytes.en;
    // A long call is encoded at a lower rate rather than go over its budget.
    if (total <= SCENARIO_BUDGET_BYTES || kbps <= VOICE_MIN_KBPS) return report;
    kbps -= 8;
    options.log?.(`  ${scenario.id} is over budget at ${kbps + 8} kbps; encoding at ${kbps} kbps`);
  }
}

async function encodeScenario(scenario: Scenario, plan: SpokenLine[], takes: Map<TakeJob, Take>, jobs: TakeJob[], options: BuildOptions, kbps: number): Promise<ScenarioReport> {
  const { profile } = voiceProfile(scenario.caller.voice);
  const languages = {} as Record<VoiceLanguage, VoiceTrack>;
  const bytes = {} as Record<VoiceLanguage, number>;
  let changed = false;
  const overruns: string[] = [];
  for (const lang of VOICE_LANGUAGES) {
    const mine = jobs.filter((job) => job.lang === lang);
    const clips: SpriteClip[] = mine.map((job) => ({ key: spriteKey(job.line.id, job.band), file: (takes.get(job) as Take).file }));
    const file = voiceFile(scenario.id, lang);
    const sprite = await buildSprite(clips, join(options.root, VOICES_DIR, file), VOICE_RATE_HZ, kbps, join(options.cacheDir, 'sprites'));
    const lineClips: Record<string, LineClips> = {};
    for (const job of mine) {
      const take = takes.get(job) as Take;
      if (take.overruns) overruns.push(`${job.line.id} ${lang} ${job.band} (${take.seconds.toFixed(1)} s of ${job.line.seconds.toFixed(1)} s)`);
      const entry = lineClips[job.line.id] ?? {};
      entry[job.band] = sprite.windows[spriteKey(job.line.id, job.band)] as SpriteWindow;
      lineClips[job.line.id] = entry;
    }
    languages[lang] = { file, bytes: sprite.bytes, clips: lineClips };
    bytes[lang] = sprite.bytes;
    changed ||= sprite.changed;
  }
  const manifest: VoiceManifest = {
    formatVersion: AUDIO_MANIFEST_VERSION,
    scenarioId: scenario.id,
    voice: scenario.caller.voice,
    synthesis: profile.synthesis,
    sourceHash: voiceSourceHash(scenario, plan),
    languages,
  };
  changed = writeIfChanged(voiceManifestPath(options.root, scenario.id), json(manifest)) || changed;
  const total = bytes['zh-CN'] + bytes.en;
  return { scenarioId: scenario.id, lines: plan.length, takes: jobs.length, bytes, overBudget: total > SCENARIO_BUDGET_BYTES, overruns, changed };
}

export async function makeAudio(options: BuildOptions): Promise<BuildReport> {
  const log = options.log ?? (() => undefined);
  mkdirSync(join(options.root, VOICES_DIR), { recursive: true });
  const report: BuildReport = { desk: { bytes: 0, changed: false }, scenarios: [], skipped: [], removed: [], warnings: [] };

  if (options.desk !== false) {
    log('desk sounds');
    report.desk = await buildDesk(options);
  }

  const files = readScenarios(options.scenariosDir ?? join(options.root, 'scenarios'));
  const present = new Set<string>();
  const work: { scenario: Scenario; plan: SpokenLine[]; jobs: TakeJob[] }[] = [];
  for (const entry of files) {
    if (!entry.scenario) {
      // A scenario being edited may not parse: its last audio stays until it does.
      report.skipped.push({ file: entry.file, problem: entry.problem ?? 'not a scenario' });
      const id = basename(entry.file, '.json');
      present.add(id);
      continue;
    }
    const scenario = entry.scenario;
    present.add(scenario.id);
    if (options.only && !options.only.includes(scenario.id)) continue;
    if (!voiceProfile(scenario.caller.voice).known) report.warnings.push(`${scenario.id}: voice "${scenario.caller.voice}" has no profile; using the fallback voice`);
    const plan = planLines(scenario);
    const jobs: TakeJob[] = [];
    for (const lang of VOICE_LANGUAGES) {
      for (const line of plan) {
        const text = line.line.text[lang]?.trim();
        if (!text) {
          report.warnings.push(`${scenario.id}: line ${line.id} has no ${lang} text, so no ${lang} voice`);
          continue;
        }
        for (const band of line.bands) jobs.push({ scenarioId: scenario.id, voice: scenario.caller.voice, line, lang, band, text });
      }
    }
    work.push({ scenario, plan, jobs });
  }

  const allJobs = work.flatMap((w) => w.jobs);
  log(`${allJobs.length} takes in ${work.length} scenarios (${options.jobs} at a time; cached takes are reused)`);
  const takes = new Map<TakeJob, Take>();
  let done = 0;
  options.onProgress?.(0, allJobs.length);
  await pool(allJobs, options.jobs, async (job) => {
    const take = await renderTake(
      { text: job.text, lang: job.lang, band: job.band, profile: voiceProfile(job.voice).profile, seconds: job.line.seconds },
      join(options.cacheDir, 'takes'),
    );
    takes.set(job, take);
    done++;
    options.onProgress?.(done, allJobs.length);
    if (done % 50 === 0) log(`  ${done}/${allJobs.length}`);
  });

  for (const { scenario, plan, jobs } of work) {
    log(`sprites for ${scenario.id}`);
    report.scenarios.push(await buildScenario(scenario, plan, takes, jobs, options));
  }

  // Audio for scenarios that no longer exist goes, so no entry names a line that is not there.
  if (!options.only) {
    for (const name of readdirSync(join(options.root, VOICES_DIR))) {
      const id = name.replace(/\.(zh-CN|en)\.mp3$|\.json$/, '');
      if (!present.has(id)) {
        rmSync(join(options.root, VOICES_DIR, name));
        report.removed.push(name);
      }
    }
  }
  return report;
}
