/** Passwords (scrypt from node:crypto), opaque tokens and their hashes. */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32 } as const;
const MAX_MEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: MAX_MEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * scrypt is slow on purpose (about 50 ms of a core each), so the number running at once is capped:
 * at most SCRYPT_SLOTS hashes run, at most SCRYPT_QUEUE wait, and a login beyond that is told the
 * server is busy (503) instead of queueing without end. However many names or addresses a flood
 * uses, scrypt never takes more than SCRYPT_SLOTS cores.
 */
export const SCRYPT_SLOTS = 2;
export const SCRYPT_QUEUE = 16;
export class ScryptBusyError extends Error {
  constructor() {
    super('the server is busy checking passwords; try again in a few seconds');
  }
}
let running = 0;
const waiting: (() => void)[] = [];
/** The most hashes that ran at once since start (for tests). */
export const scryptLoad = { peak: 0 };

async function withScryptSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SCRYPT_SLOTS) {
    if (waiting.length >= SCRYPT_QUEUE) throw new ScryptBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  scryptLoad.peak = Math.max(scryptLoad.peak, running);
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or give it back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await withScryptSlot(() =>
    scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEM }),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to check against when the name is unknown, so a miss takes as long as a wrong password. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'));
  return decoy;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed: a copy of the database does not hand out sessions. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Join codes people read aloud: no 0/O or 1/I/L. 31 letters, 8 places: 31^8 ≈ 8.5 × 10^11 codes
 * (39.6 bits), drawn without modulo bias. With the per-address limit on wrong codes and codes that
 * expire, guessing one stays out of reach (README, Results service).
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 8;
export function newJoinCode(length = JOIN_CODE_LENGTH): string {
  let code = '';
  // 248 = 8 × 31: bytes from 248 up are dropped so every letter is equally likely.
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && code.length < length) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return code;
}
