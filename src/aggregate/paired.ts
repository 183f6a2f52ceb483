/**
 * Paired change of a metric between two runs (or two snapshots) over the same items: the one place
 * `compare` and `watch` get their means, differences and intervals from.
 */
import { mulberry32 } from '../core/random.ts';

/** Seeded paired bootstrap 95% interval of mean(now) - mean(before) over paired items. */
export function pairedBootstrapDiff(before: ArrayLike<number>, now: ArrayLike<number>, seed: number, resamples = 2000): { lo: number; hi: number } {
  const n = before.length;
  if (n === 0) return { lo: 0, hi: 0 };
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = now[i]! - before[i]!;
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(random() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  return { lo: means[Math.floor(0.025 * resamples)]!, hi: means[Math.min(resamples - 1, Math.ceil(0.975 * resamples) - 1)]! };
}

/** One metric's change over paired items. */
export interface PairedChange {
  /** Means over the pairs where both values are scored; null when there are none. */
  before: number | null;
  after: number | null;
  /** after - before. */
  delta: number | null;
  /** Seeded paired bootstrap 95% interval of the delta; null when there are no pairs. */
  ci: { lo: number; hi: number } | null;
  /** Pairs counted: an item unscored (NaN) on either side is left out. */
  n: number;
}

/**
 * The paired change of one metric from per-item values (1/0, or NaN when unscored).
 * @example pairedChange([[1, 1], [0, 1], [1, NaN]], 1) // { before: 0.5, after: 1, delta: 0.5, n: 2, ci: {...} }
 */
export function pairedChange(pairs: Iterable<readonly [number, number]>, seed: number): PairedChange {
  const a: number[] = [];
  const b: number[] = [];
  for (const [x, y] of pairs) {
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    a.push(x);
    b.push(y);
  }
  const n = a.length;
  if (n === 0) return { before: null, after: null, delta: null, ci: null, n };
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return { before: mean(a), after: mean(b), delta: mean(b) - mean(a), ci: pairedBootstrapDiff(a, b, seed), n };
}
