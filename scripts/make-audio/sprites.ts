/**
 * Sprite assembly: clips laid end to end with silence between them, encoded once as mono MP3 by
 * sox. MP3 coders put about 70 ms of silence in front of the audio and no browser trims it from a
 * file without a gapless header, so each window starts at its clip and runs on into the silence
 * after it: the whole clip plays whether a decoder trims that delay or not.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SpriteWindow } from '../../src/audio/manifest';
import { SPRITE_GAP_MS, SPRITE_TAIL_MS } from './levels';
import { decode, type Samples } from './measure';
import { sox } from './tools';

export interface SpriteClip {
  key: string;
  file: string;
  /** Loop the middle `loopSeconds` of the clip: it is padded so any window of that length loops. */
  loopSeconds?: number;
}

export interface Sprite {
  windows: Record<string, SpriteWindow>;
  bytes: number;
  seconds: number;
  /** False when the encoded file was already there, byte for byte. */
  changed: boolean;
}

/** The last `pad` seconds of a loop before it and the first after it, so it stays periodic. */
const LOOP_PAD_SECONDS = 0.5;

function loopable(samples: Samples, loopSeconds: number): Float32Array {
  const length = Math.round(loopSeconds * samples.rate);
  const extra = samples.data.length - length;
  const body = samples.data.slice(0, length);
  // Cross-fade whatever runs past the loop into its start (equal power), so the seam is inaudible.
  for (let i = 0; i < extra && i < length; i++) {
    const t = (i + 0.5) / extra;
    body[i] = (samples.data[i] as number) * Math.sin((t * Math.PI) / 2) + (samples.data[length + i] as number) * Math.cos((t * Math.PI) / 2);
  }
  const pad = Math.round(LOOP_PAD_SECONDS * samples.rate);
  const out = new Float32Array(length + 2 * pad);
  out.set(body.subarray(length - pad), 0);
  out.set(body, pad);
  out.set(body.subarray(0, pad), pad + length);
  return out;
}

interface SpriteRecord {
  windows: Record<string, SpriteWindow>;
  seconds: number;
  sha256: string;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Lays the clips out, encodes the MP3 and returns each clip's window in milliseconds. When the
 * same clips were laid out before and the file is still the one made then, nothing is redone.
 */
export async function buildSprite(clips: readonly SpriteClip[], output: string, rate: number, kbps: number, cacheDir: string): Promise<Sprite> {
  const inputs = createHash('sha256').update(JSON.stringify({ SPRITE_GAP_MS, SPRITE_TAIL_MS, LOOP_PAD_SECONDS, rate, kbps, clips: clips.map((c) => [c.key, basename(c.file), c.loopSeconds ?? 0]) })).digest('hex').slice(0, 20);
  const recordFile = join(cacheDir, `sprite-${inputs}.json`);
  if (existsSync(recordFile) && existsSync(output)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as SpriteRecord;
    const bytes = readFileSync(output);
    if (sha256(bytes) === record.sha256) return { windows: record.windows, bytes: bytes.length, seconds: record.seconds, changed: false };
  }
  const sprite = await layOut(clips, output, rate, kbps);
  mkdirSync(cacheDir, { recursive: true });
  const record: SpriteRecord = { windows: sprite.windows, seconds: sprite.seconds, sha256: sha256(readFileSync(output)) };
  writeFileSync(recordFile, JSON.stringify(record));
  return sprite;
}

async function layOut(clips: readonly SpriteClip[], output: string, rate: number, kbps: number): Promise<Sprite> {
  const gap = Math.round((SPRITE_GAP_MS / 1000) * rate);
  const parts: Float32Array[] = [new Float32Array(gap)];
  const windows: Record<string, SpriteWindow> = {};
  let at = gap;
  for (const clip of clips) {
    const samples = await decode(clip.file);
    if (samples.rate !== rate) throw new Error(`${clip.file}: ${samples.rate} Hz, the sprite is ${rate} Hz`);
    const data = clip.loopSeconds ? loopable(samples, clip.loopSeconds) : samples.data;
    const ms = (samples: number): number => Math.round((samples / rate) * 1000);
    windows[clip.key] = clip.loopSeconds
      ? [ms(at) + LOOP_PAD_SECONDS * 1000, Math.round(clip.loopSeconds * 1000)]
      : [ms(at), ms(data.length) + SPRITE_TAIL_MS];
    parts.push(data, new Float32Array(gap));
    at += data.length + gap;
  }
  const all = new Float32Array(at);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  const raw = `${output}.f32`;
  const encoded = `${output}.new.mp3`;
  writeFileSync(raw, new Uint8Array(all.buffer));
  await sox('-t', 'f32', '-r', rate, '-c', '1', raw, '-C', kbps, encoded);
  rmSync(raw);
  const bytes = readFileSync(encoded);
  const changed = !existsSync(output) || !readFileSync(output).equals(bytes);
  if (changed) writeFileSync(output, bytes);
  rmSync(encoded);
  return { windows, bytes: bytes.length, seconds: at / rate, changed };
}
