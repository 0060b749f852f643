import { getRandomValues } from 'node:crypto';

/**
 * Deterministic, seeded randomness (invariant 8). A session stores one seed; every
 * roll it makes comes from `rngFor(seed, stream)` with a stream name per purpose
 * (`step:2`, `extraction`, ...), so replaying a session with its seed reproduces
 * every roll, and adding a new stream never shifts the rolls of an existing one.
 */

/** A generator of floats in [0, 1). */
export type Rng = () => number;

const TWO_POW_32 = 0x1_0000_0000;

/** A fresh random seed: a 53-bit unsigned integer as a decimal string (fits the DB column). */
export function newSeed(): string {
  const words = getRandomValues(new Uint32Array(2));
  const high = words[0]! & 0x1f_ffff; // 21 bits
  return String(high * TWO_POW_32 + words[1]!);
}

/** Returns the generator of one named stream of a seed. Same seed + stream => same sequence. */
export function rngFor(seed: string, stream: string): Rng {
  const next = xmur3(`${seed}:${stream}`);
  return sfc32(next(), next(), next(), next());
}

/**
 * The generator of one position (two numbers, e.g. attempt and turn) of a named stream of a
 * seed, without hashing a string per position: the (seed, stream) hash is computed once and
 * cached, then mixed with the position. Same seed + stream + position => same sequence.
 */
export function rngAt(seed: string, stream: string, a: number, b: number): Rng {
  const g = new Sfc32();
  g.seedAt(streamWords(seed, stream), a, b);
  return () => g.next();
}

/**
 * The hash words of a (seed, stream), cached in two levels so a lookup hashes the caller's own
 * strings (V8 caches their hashes) and builds no key per call.
 */
export function streamWords(seed: string, stream: string): StreamWords {
  let streams = SEED_STREAMS.get(seed);
  if (!streams) {
    if (SEED_STREAMS.size >= 20_000) SEED_STREAMS.clear();
    streams = new Map();
    SEED_STREAMS.set(seed, streams);
  }
  let words = streams.get(stream);
  if (!words) {
    const next = xmur3(`${seed}:${stream}`);
    words = [next(), next(), next(), next()];
    streams.set(stream, words);
  }
  return words;
}

export type StreamWords = readonly [number, number, number, number];

/**
 * A reusable generator of positions of streams: `seedAt(words, a, b)` puts it where
 * `rngAt(seed, stream, a, b)` starts, without allocating (hot loops such as simulations).
 */
export class Sfc32 {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  seedAt(words: StreamWords, x: number, y: number): void {
    const mx = mix32(x + 0x9e3779b9);
    const my = mix32(y ^ 0x85ebca6b);
    this.set(words[0] ^ mx, words[1] ^ my, words[2] ^ mix32(mx ^ my), words[3]);
  }

  /** The sfc32 state, with the first outputs discarded so similar seeds diverge fully. */
  set(a: number, b: number, c: number, d: number): void {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = (this.d + 1) | 0;
    const t = (((a + b) | 0) + d) | 0;
    this.a = (b ^ (b >>> 9)) >>> 0;
    this.b = (c + (c << 3)) >>> 0;
    this.c = ((((c << 21) | (c >>> 11)) + t) | 0) >>> 0;
    this.d = d >>> 0;
    return (t >>> 0) / TWO_POW_32;
  }
}

const SEED_STREAMS = new Map<string, Map<string, StreamWords>>();

/** A 32-bit integer finalizer (murmur3's fmix32). */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** xmur3 string hash: each call yields another 32-bit word derived from the string. */
function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

/** sfc32 (Small Fast Counter, 128-bit state): fast, passes PractRand, fine for game rolls. */
function sfc32(a: number, b: number, c: number, d: number): Rng {
  const g = new Sfc32();
  g.set(a, b, c, d);
  return () => g.next();
}
