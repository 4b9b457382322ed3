/**
 * npm run assets:audio [-- --scenario ID ...] [--jobs N] [--levels]
 *
 * Makes the game's audio from the scenarios: caller voices (espeak-ng) and desk sounds (sox), as
 * MP3 sprites with manifests in assets/audio/. `--levels` only measures the committed files.
 * Needs: apt-get install -y espeak-ng sox libsox-fmt-all
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { makeAudio } from './make-audio/build';
import { measureDesk, measureVoices, readVoiceManifests, type WindowLevels } from './make-audio/check';
import { missingTools } from './make-audio/tools';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string): string[] => args.flatMap((arg, i) => (arg === name && args[i + 1] ? [args[i + 1] as string] : []));

function summary(label: string, levels: WindowLevels[]): string {
  const finite = levels.filter((l) => Number.isFinite(l.loudness));
  const range = (values: number[]): string => (values.length ? `${Math.min(...values).toFixed(1)} … ${Math.max(...values).toFixed(1)}` : '–');
  return `${label.padEnd(22)} ${String(levels.length).padStart(4)} windows   loudness ${range(finite.map((l) => l.loudness))} LUFS   peak ${range(levels.map((l) => l.peakDb))} dBFS`;
}

async function levels(): Promise<number> {
  const desk = await measureDesk(root);
  const rows = [...desk];
  console.log('desk sounds (decoded MP3, per sprite window):');
  for (const l of desk) console.log(`  ${l.key.padEnd(12)} loudness ${l.loudness.toFixed(1).padStart(6)} LUFS (target ${l.target ?? 'peak only'})   peak ${l.peakDb.toFixed(1).padStart(6)} dBFS   ${l.seconds.toFixed(2)} s`);
  console.log('caller voices:');
  for (const manifest of readVoiceManifests(root)) {
    const voices = await measureVoices(manifest, root);
    rows.push(...voices);
    for (const band of ['calm', 'heated']) console.log(`  ${summary(`${manifest.scenarioId} ${band}`, voices.filter((v) => v.key.endsWith(`@${band}`)))}`);
  }
  const bad = rows.filter((r) => r.problems.length > 0);
  for (const row of bad) console.log(`OUT OF RANGE ${row.file} ${row.key}: ${row.problems.join('; ')}`);
  console.log(bad.length === 0 ? 'every window within range' : `${bad.length} windows out of range`);
  return bad.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`assets:audio needs ${missing.join(', ')}: apt-get install -y espeak-ng sox libsox-fmt-all`);
    return 2;
  }
  if (args.includes('--levels')) return levels();
  const jobs = Number(option('--jobs')[0] ?? Math.min(2, availableParallelism()));
  const only = option('--scenario');
  const started = Date.now();
  const report = await makeAudio({
    root,
    cacheDir: join(root, 'node_modules/.cache/hold-the-line-audio'),
    jobs,
    ...(only.length ? { only } : {}),
    log: (message) => console.log(message),
  });
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(`\ndesk.mp3 ${kb(report.desk.bytes)}${report.desk.changed ? ' (new)' : ''}`);
  for (const s of report.scenarios) {
    const total = s.bytes['zh-CN'] + s.bytes.en;
    console.log(`${s.scenarioId.padEnd(22)} ${String(s.lines).padStart(3)} lines ${String(s.takes).padStart(4)} takes   zh-CN ${kb(s.bytes['zh-CN'])}  en ${kb(s.bytes.en)}  total ${kb(total)}${s.overBudget ? '  OVER THE 2 MB BUDGET' : ''}${s.changed ? ' (new)' : ''}`);
    for (const overrun of s.overruns) console.log(`  runs long: ${overrun}`);
  }
  for (const skipped of report.skipped) console.log(`skipped ${skipped.file}: ${skipped.problem} (its last audio is kept)`);
  for (const removed of report.removed) console.log(`removed ${removed}`);
  for (const warning of report.warnings) console.log(`warning: ${warning}`);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return report.scenarios.some((s) => s.overBudget) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
