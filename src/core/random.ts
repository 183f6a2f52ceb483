import { createHash } from 'node:crypto';

/**
 * mulberry32: a small, fast, seedable PRNG. Returns floats in [0, 1).
 * Every random choice in qualbench (sampling, bootstrap, jitter in tests) is seeded.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable pseudo-random rank for an id under a seed: the same id keeps its rank as a dataset grows. */
export function seededRank(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex');
}
