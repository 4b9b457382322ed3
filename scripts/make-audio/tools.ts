/**
 * The command-line tools the generator drives (sox, soxi, espeak-ng), and loudness normalisation
 * built on them. Every sox call runs in repeatable mode (-R) without dither (-D), so the same
 * input makes byte-identical files and a rerun leaves git clean.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { decode, measure, type Levels } from './measure';
import { PEAK_TARGET_DB } from './levels';

const run = promisify(execFile);

export async function sox(...args: (string | number)[]): Promise<void> {
  await run('sox', ['-R', '-D', ...args.map(String)], { maxBuffer: 64 * 1024 * 1024 });
}

export async function seconds(file: string): Promise<number> {
  const { stdout } = await run('soxi', ['-D', file]);
  return Number(stdout.trim());
}

export async function espeak(args: (string | number)[]): Promise<void> {
  await run('espeak-ng', args.map(String));
}

/** The tools `npm run assets:audio` needs, with the Debian package that has each. */
export const REQUIRED_TOOLS = [
  { command: 'espeak-ng', args: ['--version'], apt: 'espeak-ng' },
  { command: 'sox', args: ['--version'], apt: 'sox' },
] as const;

export function missingTools(): string[] {
  const missing: string[] = [];
  for (const tool of REQUIRED_TOOLS) {
    try {
      execFileSync(tool.command, tool.args, { stdio: 'ignore' });
    } catch {
      missing.push(tool.apt);
    }
  }
  try {
    // MP3 writing lives in libsox-fmt-mp3 (part of libsox-fmt-all), not in sox itself.
    const formats = execFileSync('sox', ['-h'], { encoding: 'utf8' });
    if (!/AUDIO FILE FORMATS:.*\bmp3\b/.test(formats)) missing.push('libsox-fmt-all');
  } catch {
    // sox itself is already reported missing.
  }
  return missing;
}

/**
 * Brings a sound to a loudness (LUFS) with its sample peak at or under PEAK_TARGET_DB: gain, and
 * sox's limiter where gain alone would push the peaks over. A second pass makes up what limiting
 * took off. Returns the levels measured on the result.
 */
export async function normalise(input: string, output: string, loudness: number): Promise<Levels> {
  let source = input;
  let levels = measure(await decode(source))[0] as Levels;
  for (let pass = 0; pass < 3; pass++) {
    const gain = loudness - levels.loudness;
    if (!Number.isFinite(gain)) throw new Error(`${input}: silent, cannot be normalised`);
    if (pass > 0 && Math.abs(gain) < 0.3) break;
    const headroom = -PEAK_TARGET_DB;
    if (levels.peakDb + gain <= PEAK_TARGET_DB) {
      await sox(source, `${output}.tmp.wav`, 'gain', gain.toFixed(2));
    } else {
      // The limiter holds peaks at full scale; lowering afterwards puts them at the target.
      await sox(source, `${output}.tmp.wav`, 'gain', '-l', (gain + headroom).toFixed(2), 'gain', (-headroom).toFixed(2));
    }
    await sox(`${output}.tmp.wav`, output);
    source = output;
    levels = measure(await decode(output))[0] as Levels;
  }
  await run('rm', ['-f', `${output}.tmp.wav`]);
  return levels;
}

/** Brings a click's peak to a level (loudness means little for a 50 ms sound). */
export async function peakNormalise(input: string, output: string, peakDb: number): Promise<Levels> {
  await sox(input, output, 'gain', '-n', peakDb);
  return measure(await decode(output))[0] as Levels;
}

/** Runs jobs with at most `limit` at a time (the machine's cores are shared). */
export async function pool<T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
