/**
 * The desk's sounds, synthesised with sox (and espeak-ng for the distant colleagues in the room):
 * the phone's ring cadence, the handset clicks, hold music, the call-centre ambience, UI cues.
 * Loops are made seamless here; the sprite assembly pads them so any decoder delay still loops.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DESK_SOUNDS, DESK_SOUND_IDS, type DeskSound } from '../../src/audio/manifest';
import { DESK_LOUDNESS, DESK_RATE_HZ } from './levels';
import { round1, type Levels } from './measure';
import { espeak, normalise, peakNormalise, seconds, sox } from './tools';

/** Bump when a recipe changes: the desk is made again. */
export const DESK_RECIPE = 4;

const R = DESK_RATE_HZ;
const mono = ['-r', R, '-c', '1', '-b', '16'] as const;

/** A note name as sox's semitone offset from A4 (`%0`). */
const NOTES: Record<string, number> = { C: -9, D: -7, E: -5, F: -4, G: -2, A: 0, B: 2 };
function semis(note: string): string {
  const match = /^([A-G])(b|#)?(\d)$/.exec(note);
  if (!match) throw new Error(`bad note ${note}`);
  const [, name, accidental, octave] = match;
  const offset = (NOTES[name as string] as number) + (accidental === 'b' ? -1 : accidental === '#' ? 1 : 0) + (Number(octave) - 4) * 12;
  return `%${offset}`;
}

async function silenceFile(file: string, duration: number): Promise<void> {
  await sox('-n', ...mono, file, 'trim', '0', duration);
}

/**
 * The desk phone's ring: an electronic warble (1250 and 1600 Hz, switching 32 times a second, each
 * with its octave), rung as a double burst — 0.4 s on, 0.2 s off, 0.4 s on — then silent until
 * the engine counts the next ring.
 */
const WARBLE_HZ = [1250, 1600] as const;
const WARBLE_STEP = 1 / 32;
async function ring(out: string, work: string): Promise<void> {
  const burst = `${work}-burst.wav`;
  const gap = `${work}-gap.wav`;
  const chains: string[] = [];
  for (let i = 0; i < Math.round(0.4 / WARBLE_STEP); i++) {
    const hz = WARBLE_HZ[i % 2] as number;
    if (i > 0) chains.push(':');
    chains.push('synth', String(WARBLE_STEP), 'sine', String(hz), 'synth', String(WARBLE_STEP), 'sine', 'mix', String(hz * 2));
  }
  await sox('-n', ...mono, `${work}-raw.wav`, ...chains);
  await sox(`${work}-raw.wav`, burst, 'fade', 'q', '0.008', '0', '0.02');
  await silenceFile(gap, 0.2);
  // A small room around the phone, so it rings on a desk rather than in the headphones.
  await sox(burst, gap, burst, out, 'highpass', '400', 'reverb', '15', '50', '20', 'pad', '0', '0.15');
  for (const file of [burst, gap, `${work}-raw.wav`]) rmSync(file);
}

/** Lifting the handset: plastic clack, a low thump, and the line opening a moment later. */
async function pickUp(out: string, work: string): Promise<void> {
  await sox('-n', ...mono, `${work}-clack.wav`, 'synth', '0.012', 'pinknoise', 'sinc', '1800-5000', 'fade', 'q', '0.001', '0.012', '0.008');
  await sox('-n', ...mono, `${work}-thump.wav`, 'synth', '0.08', 'sine', '140', 'fade', 'q', '0.002', '0.08', '0.07', 'vol', '0.7');
  await sox('-n', ...mono, `${work}-line.wav`, 'synth', '0.03', 'whitenoise', 'sinc', '300-3400', 'fade', 'q', '0.001', '0.03', '0.025', 'vol', '0.5', 'pad', '0.09', '0');
  await sox('-m', `${work}-clack.wav`, `${work}-thump.wav`, `${work}-line.wav`, ...mono, out, 'pad', '0.01', '0.05');
  for (const part of ['clack', 'thump', 'line']) rmSync(`${work}-${part}.wav`);
}

/** Putting it down: a heavier thump and clack, then the line's disconnect click. */
async function hangUp(out: string, work: string): Promise<void> {
  await sox('-n', ...mono, `${work}-clack.wav`, 'synth', '0.02', 'pinknoise', 'sinc', '1200-4500', 'fade', 'q', '0.001', '0.02', '0.015');
  await sox('-n', ...mono, `${work}-thump.wav`, 'synth', '0.14', 'sine', '95', 'fade', 'q', '0.002', '0.14', '0.12');
  await sox('-n', ...mono, `${work}-line.wav`, 'synth', '0.015', 'whitenoise', 'sinc', '300-3400', 'fade', 'q', '0.001', '0.015', '0.01', 'vol', '0.6', 'pad', '0.22', '0');
  await sox('-m', `${work}-clack.wav`, `${work}-thump.wav`, `${work}-line.wav`, ...mono, out, 'pad', '0.01', '0.05');
  for (const part of ['clack', 'thump', 'line']) rmSync(`${work}-${part}.wav`);
}

/** A melody of plucked notes as one sox command: [note, beats] at a tempo. */
async function melody(out: string, notes: [string, number][], beat: number, voice: 'pluck' | 'sine'): Promise<void> {
  const chains: string[] = [];
  notes.forEach(([note, beats], i) => {
    if (i > 0) chains.push(':');
    if (note === '-') chains.push('synth', String(beats * beat), 'sine', '0', 'vol', '0');
    else chains.push('synth', String(beats * beat), voice, semis(note), 'fade', 'q', '0.005', String(beats * beat), String(Math.min(0.3, beats * beat * 0.6)));
  });
  await sox('-n', ...mono, out, ...chains);
}

/** Hold music: a gentle 16-bar plucked tune over a bass line, heard down the phone line. */
export const HOLD_BEAT = 0.3;
async function holdMusic(out: string, work: string): Promise<void> {
  const tune: [string, number][] = [
    ['E5', 1], ['G5', 1], ['C6', 2], ['B5', 1], ['G5', 1], ['E5', 2],
    ['F5', 1], ['A5', 1], ['C6', 2], ['B5', 1], ['A5', 1], ['G5', 2],
    ['E5', 1], ['G5', 1], ['A5', 2], ['G5', 1], ['F5', 1], ['E5', 2],
    ['D5', 1], ['F5', 1], ['B5', 2], ['C6', 3], ['-', 1],
  ];
  const bass: [string, number][] = [
    ['C3', 4], ['A2', 4], ['F2', 4], ['G2', 4], ['C3', 4], ['A2', 4], ['G2', 4], ['C3', 4],
  ];
  await melody(`${work}-tune.wav`, tune, HOLD_BEAT, 'pluck');
  await melody(`${work}-bass.wav`, bass, HOLD_BEAT, 'sine');
  await sox('-m', '-v', '1', `${work}-tune.wav`, '-v', '0.45', `${work}-bass.wav`, ...mono, `${work}-mix.wav`);
  await sox(`${work}-mix.wav`, out, 'sinc', '300-3400', 'compand', '0.01,0.2', '6:-60,-60,-30,-20,0,-10', '-3', '-30', '0.05');
  for (const part of ['tune', 'bass', 'mix']) rmSync(`${work}-${part}.wav`);
}

/** Deterministic pseudo-random numbers, so the room sounds the same on every rerun. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const MURMUR = [
  ['cmn-latn-pinyin+f3', '您好,请问有什么可以帮您?好的,我帮您查一下,请稍候。'],
  ['cmn-latn-pinyin+m3', '非常抱歉给您带来不便,我已经帮您记录下来了,二十四小时内给您回复。'],
  ['cmn-latn-pinyin+f5', '您是说上个月的话费对吗?我理解您的心情,请您不要着急。'],
  ['en-gb+m2', 'Thank you for waiting. I have logged that for you, is there anything else?'],
] as const;

/** The room: air handling, colleagues murmuring at other desks, keyboards now and then. */
export const AMBIENCE_SECONDS = 16;
async function ambience(out: string, work: string): Promise<void> {
  const length = AMBIENCE_SECONDS + 1;
  await sox('-n', ...mono, `${work}-air.wav`, 'synth', length, 'brownnoise', 'lowpass', '400', 'vol', '0.5');
  const voices: string[] = [];
  for (const [index, [voice, text]] of MURMUR.entries()) {
    const raw = `${work}-voice${index}.raw.wav`;
    const file = `${work}-voice${index}.wav`;
    await espeak(['-v', voice, '-s', '150', '-a', '60', '-w', raw, text]);
    // Far away and behind partitions: dull, reverberant, starting at different moments.
    await sox(raw, ...mono, file, 'lowpass', '900', 'reverb', '60', '50', '100', 'pad', String(index * 3.7), '0', 'repeat', '2', 'trim', '0', length);
    rmSync(raw);
    voices.push(file);
  }
  const random = seeded(7);
  const key = `${work}-key.wav`;
  await sox('-n', ...mono, key, 'synth', '0.008', 'whitenoise', 'sinc', '2000-6000', 'fade', 'q', '0.001', '0.008', '0.006');
  // Bursts of typing: a few keystrokes close together, now and then.
  const strokes: string[] = [];
  for (let t = 0.6; t < length - 1; t += 2 + random() * 3) {
    for (let k = 0, at = t; k < 4 + Math.floor(random() * 6); k++, at += 0.09 + random() * 0.12) {
      const file = `${work}-stroke${strokes.length}.wav`;
      await sox(key, file, 'vol', (0.15 + random() * 0.15).toFixed(3), 'pad', at.toFixed(3), '0');
      strokes.push(file);
    }
  }
  await sox('-m', ...strokes, `${work}-typing.wav`, 'reverb', '40', 'pad', '0', '1', 'trim', '0', length);
  await sox('-m', `${work}-air.wav`, ...voices.flatMap((v) => ['-v', '0.6', v]), `${work}-typing.wav`, ...mono, `${work}-room.wav`);
  await sox(`${work}-room.wav`, out, 'trim', '0', length);
  for (const file of [...voices, ...strokes, key, `${work}-air.wav`, `${work}-typing.wav`, `${work}-room.wav`]) rmSync(file);
}

/** A short tone: notes at a beat, each decaying, for the interface's cues. */
async function cue(out: string, notes: string[], beat: number, voice: 'sine' | 'triangle', tail: number): Promise<void> {
  const chains: string[] = [];
  notes.forEach((note, i) => {
    if (i > 0) chains.push(':');
    const last = i === notes.length - 1;
    const length = last ? beat + tail : beat;
    chains.push('synth', String(length), voice, semis(note), 'fade', 'q', '0.004', String(length), String(length * 0.9));
  });
  await sox('-n', ...mono, out, ...chains, 'reverb', '20', '50', '30', 'pad', '0', '0.05');
}

const RECIPES: Record<DeskSound, (out: string, work: string) => Promise<void>> = {
  ring,
  'pick-up': pickUp,
  'hang-up': hangUp,
  'hold-music': holdMusic,
  ambience,
  'ui-choice': (out) => cue(out, ['A5'], 0.05, 'sine', 0.05),
  'ui-good': (out) => cue(out, ['C6', 'E6'], 0.09, 'sine', 0.2),
  'ui-bad': (out) => cue(out, ['E4', 'C4'], 0.12, 'triangle', 0.2),
  'ui-pass': (out) => cue(out, ['C5', 'E5', 'G5', 'C6'], 0.1, 'sine', 0.5),
  'ui-fail': (out) => cue(out, ['G4', 'Eb4', 'C4'], 0.16, 'triangle', 0.5),
};

export interface DeskTake {
  sound: DeskSound;
  file: string;
  seconds: number;
  levels: Levels;
}

const CLICK_PEAK_DB = -4;

/** Makes one desk sound at its level, or takes it from the cache. */
export async function renderDeskSound(sound: DeskSound, cacheDir: string): Promise<DeskTake> {
  mkdirSync(cacheDir, { recursive: true });
  const key = createHash('sha256').update(`${DESK_RECIPE}|${sound}|${DESK_LOUDNESS[sound]}|${String(RECIPES[sound])}`).digest('hex').slice(0, 20);
  const file = join(cacheDir, `desk-${sound}-${key}.wav`);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) return { ...(JSON.parse(readFileSync(meta, 'utf8')) as Omit<DeskTake, 'file'>), file };
  const work = join(cacheDir, `desk-${sound}-${key}.work`);
  await RECIPES[sound](`${work}.wav`, work);
  const target = DESK_LOUDNESS[sound];
  const levels = target === null ? await peakNormalise(`${work}.wav`, `${work}.norm.wav`, CLICK_PEAK_DB) : await normalise(`${work}.wav`, `${work}.norm.wav`, target);
  rmSync(`${work}.wav`);
  renameSync(`${work}.norm.wav`, file);
  const take = { sound, seconds: await seconds(file), levels: { peakDb: round1(levels.peakDb), loudness: round1(levels.loudness), seconds: levels.seconds } };
  writeFileSync(meta, `${JSON.stringify(take)}\n`);
  return { ...take, file };
}

export async function renderDesk(cacheDir: string): Promise<DeskTake[]> {
  const takes: DeskTake[] = [];
  // In series: the ambience alone spawns dozens of sox processes.
  for (const sound of DESK_SOUND_IDS) takes.push(await renderDeskSound(sound, cacheDir));
  return takes;
}

export const isLoop = (sound: DeskSound): boolean => DESK_SOUNDS[sound].loop;
