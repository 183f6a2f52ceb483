/** Statistics for gates: exact McNemar, Wilson interval, Holm (the paired bootstrap compare and watch use is aggregate's: aggregate/paired.ts). */

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

/**
 * One-sided exact McNemar (sign) test for a drop: P(X >= b) with X ~ Binomial(b + c, 1/2), where
 * b = passed before and failed now, c = failed before and passed now. H0: no change in the pass rate.
 * @example mcnemarDropP(10, 0) === 1 / 1024
 */
export function mcnemarDropP(b: number, c: number): number {
  const n = b + c;
  if (n === 0 || b === 0) return 1;
  let tail = 0;
  for (let i = b; i <= n; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, tail);
}

/** Benjamini-Hochberg step-up: adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach(({ p, i }, k) => {
    const rank = m - k;
    running = Math.min(running, (m * p) / rank);
    adjusted[i] = Math.min(1, running);
  });
  return adjusted;
}

/** Holm applied separately within each family (same key), in the input order. */
export function holmByFamily(pValues: number[], family: readonly (string | number)[]): number[] {
  const out = new Array<number>(pValues.length);
  for (const key of new Set(family)) {
    const idx = family.flatMap((f, i) => (f === key ? [i] : []));
    holm(idx.map((i) => pValues[i]!)).forEach((p, j) => (out[idx[j]!] = p));
  }
  return out;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Paired 2x2 counts: n11 passed before and now, b passed before and fails now, c failed before and passes now, n00 failed both. */
export interface PairedCounts {
  n11: number;
  b: number;
  c: number;
  n00: number;
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for the paired difference
 * p_now − p_before = (c − b)/n, from Wilson intervals of both margins and the phi correlation.
 * With z = 1.645 its lower end is a one-sided 95% lower bound of the difference.
 */
export function newcombePairedDiff(k: PairedCounts, z: number): { lo: number; hi: number } {
  const n = k.n11 + k.b + k.c + k.n00;
  if (n === 0) return { lo: -1, hi: 1 };
  const p1 = (k.n11 + k.b) / n;
  const p2 = (k.n11 + k.c) / n;
  const w1 = wilson(k.n11 + k.b, n, z);
  const w2 = wilson(k.n11 + k.c, n, z);
  const denom = (k.n11 + k.b) * (k.c + k.n00) * (k.n11 + k.c) * (k.b + k.n00);
  const phi = denom === 0 ? 0 : (k.n11 * k.n00 - k.b * k.c) / Math.sqrt(denom);
  const theta = p2 - p1;
  const dl = Math.sqrt(Math.max(0, (p2 - w2.lo) ** 2 - 2 * phi * (p2 - w2.lo) * (w1.hi - p1) + (w1.hi - p1) ** 2));
  const du = Math.sqrt(Math.max(0, (w2.hi - p2) ** 2 - 2 * phi * (w2.hi - p2) * (p1 - w1.lo) + (p1 - w1.lo) ** 2));
  return { lo: Math.max(-1, theta - dl), hi: Math.min(1, theta + du) };
}

/**
 * Minimum detectable drop of a paired binary metric (one-sided McNemar at `alpha`, power `power`,
 * normal approximation of Connor 1987): the smallest δ with
 * δ√n = z_α √ψ + z_β √(ψ − δ²), where ψ, the share of discordant items under the drop, is at least δ
 * (a drop of δ flips at least δ of the items) and at least the observed discordance.
 */
export function pairedMde(n: number, discordance: number, alpha: number, power = 0.8): number {
  if (n <= 0) return 1;
  const za = normalQuantile(1 - alpha);
  const zb = normalQuantile(power);
  const f = (d: number) => {
    const psi = Math.max(discordance, d);
    return d * Math.sqrt(n) - za * Math.sqrt(psi) - zb * Math.sqrt(Math.max(0, psi - d * d));
  };
  if (f(1) < 0) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Items needed to detect a paired drop of `delta` (same model as pairedMde), rounded up. */
export function pairedSampleSize(delta: number, discordance: number, alpha: number, power = 0.8): number {
  const za = normalQuantile(1 - alpha);
  const zb = normalQuantile(power);
  const psi = Math.max(discordance, delta);
  return Math.ceil(((za * Math.sqrt(psi) + zb * Math.sqrt(Math.max(0, psi - delta * delta))) / delta) ** 2);
}

/**
 * Minimum detectable shortfall below a floor p0 (the 95% Wilson interval lies wholly below p0 with
 * power `power`, normal approximation): the smallest δ with δ√n = z √(p0(1−p0)) + z_β √(p1(1−p1)), p1 = p0 − δ.
 */
export function floorMde(n: number, p0: number, z = 1.959964, power = 0.8): number {
  if (n <= 0) return p0;
  const zb = normalQuantile(power);
  const f = (d: number) => d * Math.sqrt(n) - z * Math.sqrt(p0 * (1 - p0)) - zb * Math.sqrt(Math.max(0, (p0 - d) * (1 - p0 + d)));
  if (f(p0) < 0) return p0;
  let lo = 0;
  let hi = p0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  return hi;
}
