/**
 * Listening with numbers. sox decodes any file the generator writes (WAV or MP3) to raw samples;
 * this module measures sample peak and integrated loudness (ITU-R BS.1770: K-weighting, 400 ms
 * blocks, absolute and relative gates) over the whole file or over sprite windows. The generator
 * normalises with it and the tests check the committed files with it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Samples {
  rate: number;
  data: Float32Array;
}

export interface Levels {
  /** Sample peak, dBFS (0 = full scale). */
  peakDb: number;
  /** Integrated loudness, LUFS; -Infinity for digital silence. */
  loudness: number;
  seconds: number;
}

export function soxAvailable(): boolean {
  try {
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function toSamples(buffer: Buffer, rate: number): Samples {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return { rate, data: new Float32Array(copy.buffer) };
}

/** A 16-bit mono PCM WAV (what the generator's own sox calls write), read without a process. */
function readPcmWav(file: string): Samples | null {
  const bytes = readFileSync(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let rate = 0;
  let format = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const [tag, channels, bits] = [bytes.readUInt16LE(body), bytes.readUInt16LE(body + 2), bytes.readUInt16LE(body + 14)];
      if (tag !== 1 || channels !== 1 || bits !== 16) return null;
      rate = bytes.readUInt32LE(body + 4);
      format = tag;
    } else if (id === 'data' && format === 1) {
      const count = Math.floor(Math.min(size, bytes.length - body) / 2);
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = bytes.readInt16LE(body + i * 2) / 32768;
      return { rate, data };
    }
    offset = body + size + (size % 2);
  }
  return null;
}

/** Decodes a sound file to mono float samples at its own rate. Throws when sox cannot decode it. */
export async function decode(file: string): Promise<Samples> {
  if (file.endsWith('.wav')) {
    const wav = readPcmWav(file);
    if (wav) return wav;
  }
  const { stdout: rateText } = await run('soxi', ['-r', file]);
  const rate = Number(rateText.trim());
  const { stdout } = await run('sox', [file, '-t', 'f32', '-e', 'floating-point', '-c', '1', '-'], {
    encoding: 'buffer',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`${file}: sox reports no sample rate`);
  return toSamples(stdout, rate);
}

type Biquad = { b: [number, number, number]; a: [number, number] };

/** The two BS.1770 K-weighting stages, designed for any sample rate (as libebur128 does). */
function kWeighting(rate: number): Biquad[] {
  let f0 = 1681.974450955533;
  const gain = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / rate);
  const vh = 10 ** (gain / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b: [(vh + (vb * k) / q + k * k) / a0, (2 * (k * k - vh)) / a0, (vh - (vb * k) / q + k * k) / a0],
    a: [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0],
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / rate);
  a0 = 1 + k / q + k * k;
  const highpass: Biquad = { b: [1, -2, 1], a: [(2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0] };
  return [shelf, highpass];
}

function filter(data: Float32Array, stages: Biquad[]): Float64Array {
  let out = Float64Array.from(data);
  for (const { b, a } of stages) {
    const next = new Float64Array(out.length);
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (let i = 0; i < out.length; i++) {
      const x = out[i] as number;
      const y = b[0] * x + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
      next[i] = y;
      x2 = x1; x1 = x; y2 = y1; y1 = y;
    }
    out = next;
  }
  return out;
}

const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;
const blockLoudness = (meanSquare: number): number => -0.691 + 10 * Math.log10(meanSquare);

/** Integrated loudness of K-weighted samples; a sound shorter than one block is measured whole. */
function integrated(weighted: Float64Array, from: number, to: number, rate: number): number {
  const block = Math.round(0.4 * rate);
  const hop = Math.round(0.1 * rate);
  const squares: number[] = [];
  if (to - from < block) {
    let sum = 0;
    for (let i = from; i < to; i++) sum += (weighted[i] as number) ** 2;
    return to > from && sum > 0 ? blockLoudness(sum / (to - from)) : -Infinity;
  }
  for (let start = from; start + block <= to; start += hop) {
    let sum = 0;
    for (let i = start; i < start + block; i++) sum += (weighted[i] as number) ** 2;
    squares.push(sum / block);
  }
  const loud = squares.filter((ms) => ms > 0 && blockLoudness(ms) > ABSOLUTE_GATE);
  if (loud.length === 0) return -Infinity;
  const relative = blockLoudness(loud.reduce((s, v) => s + v, 0) / loud.length) + RELATIVE_GATE;
  const gated = loud.filter((ms) => blockLoudness(ms) > relative);
  return blockLoudness(gated.reduce((s, v) => s + v, 0) / gated.length);
}

function peakOf(data: Float32Array, from: number, to: number): number {
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(data[i] as number));
  return peak > 0 ? 20 * Math.log10(peak) : -Infinity;
}

/** Sound under this (about -50 dBFS) at either end of a window is the silence between clips. */
const EDGE_THRESHOLD = 0.003;

/**
 * Levels of the whole sound, or of windows of it (milliseconds, as in a Howler sprite). A window is
 * measured from its first to its last audible sample, so the silence a sprite keeps around a short
 * clip does not make it read quieter than it sounds.
 */
export function measure(samples: Samples, windows?: readonly (readonly [number, number])[]): Levels[] {
  const weighted = filter(samples.data, kWeighting(samples.rate));
  const spans = windows ?? [[0, (samples.data.length / samples.rate) * 1000] as const];
  return spans.map(([startMs, durationMs]) => {
    let from = Math.max(0, Math.floor((startMs / 1000) * samples.rate));
    let to = Math.min(samples.data.length, Math.ceil(((startMs + durationMs) / 1000) * samples.rate));
    while (from < to && Math.abs(samples.data[from] as number) < EDGE_THRESHOLD) from++;
    while (to > from && Math.abs(samples.data[to - 1] as number) < EDGE_THRESHOLD) to--;
    return { peakDb: peakOf(samples.data, from, to), loudness: integrated(weighted, from, to, samples.rate), seconds: (to - from) / samples.rate };
  });
}

export async function measureFile(file: string): Promise<Levels> {
  return measure(await decode(file))[0] as Levels;
}

/** Index of the first sample above a threshold: where sound starts after the encoder's delay. */
export function firstSound(samples: Samples, threshold = 0.003): number {
  const index = samples.data.findIndex((v) => Math.abs(v) > threshold);
  return index < 0 ? samples.data.length : index;
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;
