/**
 * Seeded randomness for the simulator. Every choice a persona makes draws from a named fork of the
 * request's generator, so adding a new decision never shifts the outcome of an existing one.
 */
import { sha256 } from '../core/hash.ts';

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** An independent generator for one named decision. */
  fork(label: string): Rng;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded by a string (typically a sha256 hex digest). */
export function createRng(seed: string): Rng {
  const hex = seed.length >= 8 && /^[0-9a-f]+$/.test(seed) ? seed : sha256(seed);
  const next = mulberry32(Number.parseInt(hex.slice(0, 8), 16));
  const rng: Rng = {
    next,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => {
      const u = Math.max(next(), 1e-12);
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng(sha256(`${hex}\u0000${label}`)),
  };
  return rng;
}
