/**
 * One caller take: espeak-ng reads the line in the caller's voice, sox makes it a telephone line
 * (300–3400 Hz band, a phone's compression, trimmed) and evens out its loudness. A take that runs
 * longer than the engine lets the caller speak is read again faster, so voice and captions agree.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MoodBand, VoiceLanguage } from '../../src/audio/manifest';
import { VOICE_LOUDNESS, VOICE_RATE_HZ } from './levels';
import { round1, type Levels } from './measure';
import { speechText } from './speech-text';
import { espeak, normalise, seconds, sox } from './tools';
import { BAND_DELIVERY, BASE_WPM, ESPEAK_VOICE, type VoiceProfile } from './voices';

/** Bump when the recipe changes: every cached take is made again. */
export const VOICE_RECIPE = 3;

export interface TakeRequest {
  text: string;
  lang: VoiceLanguage;
  band: MoodBand;
  profile: VoiceProfile;
  /** Seconds the engine gives the line (`lineSeconds`). */
  seconds: number;
}

export interface Take {
  /** Cached WAV (16 kHz mono) ready for the sprite. */
  file: string;
  seconds: number;
  levels: Levels;
  wpm: number;
  /** Extra time-stretch sox had to add after espeak-ng's fastest reading. */
  tempo: number;
  /** True when the take still runs past the engine's time for the line. */
  overruns: boolean;
}

const MAX_WPM = 420;
const MAX_TEMPO = 1.35;
/** Leave the caller a breath before the next line or the agent's turn. */
const FIT_SHARE = 0.92;

export function takeKey(request: TakeRequest): string {
  const material = JSON.stringify({ recipe: VOICE_RECIPE, ...request });
  return createHash('sha256').update(material).digest('hex').slice(0, 20);
}

/** sox `bend` arguments for a slow drunken wobble over the whole take. */
function wobble(cents: number, duration: number): string[] {
  if (cents === 0 || duration < 0.8) return [];
  const bends: string[] = [];
  const step = 0.7;
  for (let t = 0, sign = 1; t + step <= duration; t += step, sign = -sign) bends.push(`0,${sign * cents},${step}`);
  return ['bend', '-f', '25', ...bends];
}

/** The telephone: band, a phone line's compression, and a pushed voice when heated. */
function phoneChain(band: MoodBand): string[] {
  const push = band === 'heated' ? ['overdrive', '5', '10'] : [];
  return [
    ...push,
    'sinc', '-n', '255', '300-3400',
    'compand', '0.005,0.12', '6:-70,-70,-45,-32,-20,-16,0,-8', '-4', '-40', '0.03',
    'silence', '1', '0.03', '-42d', 'reverse', 'silence', '1', '0.03', '-42d', 'reverse',
    'pad', '0.04', '0.06',
  ];
}

async function read(request: TakeRequest, wpm: number, tempo: number, work: string): Promise<number> {
  const delivery = BAND_DELIVERY[request.band];
  const raw = `${work}.raw.wav`;
  const textFile = `${work}.txt`;
  writeFileSync(textFile, speechText(request.text, request.lang));
  await espeak([
    '-v', `${ESPEAK_VOICE[request.lang]}+${request.profile.variant}`,
    '-s', Math.round(wpm),
    '-p', Math.min(99, request.profile.pitch + delivery.pitch),
    '-a', delivery.amplitude,
    '-g', request.profile.wordGap,
    '-w', raw,
    '-f', textFile,
  ]);
  const rawSeconds = await seconds(raw);
  const stretch = tempo > 1.001 ? ['tempo', '-s', tempo.toFixed(3)] : [];
  await sox(raw, '-r', VOICE_RATE_HZ, '-c', '1', '-b', '16', `${work}.phone.wav`, ...wobble(request.profile.wobbleCents, rawSeconds), ...stretch, ...phoneChain(request.band));
  rmSync(raw);
  rmSync(textFile);
  return seconds(`${work}.phone.wav`);
}

/** Makes a take, or returns it from the cache when nothing it depends on has changed. */
export async function renderTake(request: TakeRequest, cacheDir: string): Promise<Take> {
  mkdirSync(cacheDir, { recursive: true });
  const key = takeKey(request);
  const file = join(cacheDir, `${key}.wav`);
  const meta = join(cacheDir, `${key}.json`);
  if (existsSync(file) && existsSync(meta)) return { ...(JSON.parse(readFileSync(meta, 'utf8')) as Omit<Take, 'file'>), file };

  const work = join(cacheDir, `${key}.work`);
  const fit = request.seconds * FIT_SHARE;
  let wpm = BASE_WPM[request.lang] * request.profile.rate * BAND_DELIVERY[request.band].rate;
  let tempo = 1;
  let length = await read(request, wpm, tempo, work);
  for (let attempt = 0; attempt < 3 && length > fit; attempt++) {
    if (wpm < MAX_WPM) {
      wpm = Math.min(MAX_WPM, wpm * (length / fit) * 1.03);
    } else {
      tempo = Math.min(MAX_TEMPO, tempo * (length / fit) * 1.02);
    }
    length = await read(request, wpm, tempo, work);
  }
  const levels = await normalise(`${work}.phone.wav`, `${work}.norm.wav`, VOICE_LOUDNESS[request.band]);
  rmSync(`${work}.phone.wav`);
  renameSync(`${work}.norm.wav`, file);
  const take: Omit<Take, 'file'> = {
    seconds: Math.round(length * 1000) / 1000,
    levels: { peakDb: round1(levels.peakDb), loudness: round1(levels.loudness), seconds: levels.seconds },
    wpm: Math.round(wpm),
    tempo: Math.round(tempo * 1000) / 1000,
    overruns: length > request.seconds,
  };
  writeFileSync(meta, `${JSON.stringify(take)}\n`);
  return { ...take, file };
}
