/** Statistics for gates: exact McNemar, Wilson interval, seeded paired bootstrap, Holm. */
import { mulberry32 } from '../core/random.ts';

/** log of n choose k. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * Exact McNemar test on the discordant pairs: b = passed before and failed now, c = failed
 * before and passed now. Two-sided binomial p-value with p = 1/2.
 * @example mcnemarExact(8, 2) === 0.109375
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/** Wilson score interval for a proportion (95% by default). */
export function wilson(successes: number, n: number, z = 1.959964): { lo: number; hi: number } {
  if (n === 0) return { lo: 0, hi: 1 };
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

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

/** Holm step-down: adjusted p-values, in the input order. */
export function holm(pValues: number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(pValues.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (pValues.length - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
