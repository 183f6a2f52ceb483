import { mulberry32 } from '../core/random.ts';
import { quadraticKappaFromCounts } from './kappa.ts';

/**
 * Percentile with linear interpolation between closest ranks (numpy's default, as vLLM bench uses).
 * @param sorted ascending values; @param p in [0, 100]. null when empty.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = ((n - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** FNV-1a, 32-bit: a stable seed per group name, so a group's interval does not depend on the others. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Seeded percentile bootstrap (95%) of exact agreement and quadratic kappa over paired ordinal labels
 * (pred -1 = none). Intervals are null below 2 items, and kappa's when most resamples leave it undefined.
 */
export function bootstrapAgreement(
  gold: Int8Array,
  pred: Int8Array,
  k: number,
  opts: { seed: number; resamples: number },
): { exact: Interval | null; kappa: Interval | null } {
  const n = gold.length;
  if (n < 2 || opts.resamples < 1) return { exact: null, kappa: null };
  const random = mulberry32(opts.seed);
  const cols = k + 1;
  const counts = new Float64Array(k * cols);
  const exacts = new Float64Array(opts.resamples);
  const kappas: number[] = [];
  for (let b = 0; b < opts.resamples; b++) {
    counts.fill(0);
    let hits = 0;
    for (let t = 0; t < n; t++) {
      const i = Math.floor(random() * n);
      const g = gold[i]!;
      const p = pred[i]!;
      if (p === g) hits++;
      counts[g * cols + (p < 0 ? k : p)]!++;
    }
    exacts[b] = hits / n;
    const kappa = quadraticKappaFromCounts(counts, k);
    if (kappa !== null) kappas.push(kappa);
  }
  exacts.sort();
  const ks = Float64Array.from(kappas).sort();
  return {
    exact: { lo: percentile(exacts, 2.5)!, hi: percentile(exacts, 97.5)! },
    kappa: ks.length * 2 >= opts.resamples ? { lo: percentile(ks, 2.5)!, hi: percentile(ks, 97.5)! } : null,
  };
}
