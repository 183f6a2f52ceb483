import { describe, expect, it } from 'vitest';
import { confusionCounts, quadraticKappa, quadraticKappaFromCounts } from '../../src/aggregate/kappa.ts';
import { binomialDraw, bootstrapAgreement, hash32, percentile } from '../../src/aggregate/stats.ts';
import { mulberry32 } from '../../src/core/random.ts';

describe('quadratic weighted kappa', () => {
  it.each([
    ['perfect agreement', [0, 1, 2, 3, 4], [0, 1, 2, 3, 4], 5, 1],
    // Hand-computed (k = 3, weights 0, 1/4, 1): confusion [[2,1,0],[0,1,1],[0,0,1]], Σ w·O = 0.5, Σ w·E = 2, kappa = 0.75.
    ['hand-computed 3-class example', [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3, 0.75],
    // With "none" (weight 1): Σ w·O = 1, Σ w·E = 33/16, kappa = 17/33.
    ['a missing prediction is the largest disagreement', [0, 1, 2, 2], [0, 1, -1, 2], 3, 17 / 33],
    // k = 5, gold [1,3,2], pred [1,3,none]: Σ w·E = 29/24, kappa = 5/29.
    ['5-class with a missing prediction', [1, 3, 2], [1, 3, -1], 5, 5 / 29],
    ['complete reversal is negative', [0, 4], [4, 0], 5, -1],
    ['one class only is undefined', [2, 2, 2], [2, 2, 2], 5, null],
    ['no items is undefined', [], [], 5, null],
  ] as const)('%s', (_name, gold, pred, k, expected) => {
    const kappa = quadraticKappa(gold, pred, k);
    if (expected === null) expect(kappa).toBeNull();
    else expect(kappa).toBeCloseTo(expected, 10);
  });

  it('agrees between counts and pairs, and checks the matrix size', () => {
    const counts = confusionCounts([0, 1, 1], [0, -1, 1], 2);
    expect([...counts]).toEqual([1, 0, 0, 0, 1, 1]);
    expect(quadraticKappaFromCounts(counts, 2)).toBe(quadraticKappa([0, 1, 1], [0, -1, 1], 2));
    expect(() => quadraticKappaFromCounts([1, 2, 3], 2)).toThrow(RangeError);
  });
});

describe('statistics', () => {
  it.each([
    [[], 50, null],
    [[7], 99, 7],
    [[1, 2, 3, 4], 50, 2.5],
    [[1000, 2000, 3000], 99, 2980],
  ] as const)('percentile(%j, %d) = %j', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('bootstraps reproducibly from the seed, with intervals around the estimate', () => {
    const gold = Int8Array.from({ length: 60 }, (_, i) => i % 5);
    const pred = Int8Array.from(gold, (g, i) => (i % 4 === 0 ? Math.min(4, g + 1) : i % 7 === 0 ? -1 : g));
    const a = bootstrapAgreement(gold, pred, 5, { seed: 42, resamples: 300 });
    const b = bootstrapAgreement(gold, pred, 5, { seed: 42, resamples: 300 });
    const c = bootstrapAgreement(gold, pred, 5, { seed: 43, resamples: 300 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const kappa = quadraticKappa(gold, pred, 5)!;
    expect(a.kappa!.lo).toBeLessThanOrEqual(kappa);
    expect(a.kappa!.hi).toBeGreaterThanOrEqual(kappa);
    expect(a.exact!.lo).toBeLessThan(a.exact!.hi);
  });

  it('draws binomials with the right mean and variance, exact and normal regimes alike', () => {
    const random = mulberry32(9);
    for (const [n, p] of [[40, 0.1], [200_000, 0.0001], [5000, 0.3], [200_000, 0.9]] as const) {
      const xs = Array.from({ length: 4000 }, () => binomialDraw(n, p, random));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean - n * p) / Math.sqrt(n * p * (1 - p))).toBeLessThan(0.1);
      expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(variance / (n * p * (1 - p))).toBeLessThan(1.1);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThanOrEqual(n);
    }
    expect(binomialDraw(10, 0, random)).toBe(0);
    expect(binomialDraw(10, 1, random)).toBe(10);
  });

  it('gives the intervals of resampling items one by one (the multinomial shortcut is the same distribution)', () => {
    const random = mulberry32(3);
    const gold = Int8Array.from({ length: 400 }, () => Math.floor(random() * 5));
    const pred = Int8Array.from(gold, (g) => (random() < 0.1 ? -1 : random() < 0.5 ? g : Math.min(4, Math.max(0, g + (random() < 0.5 ? 1 : -1)))));
    // Reference: the textbook bootstrap, items drawn one by one.
    const itemwise = (seed: number) => {
      const r = mulberry32(seed);
      const exacts: number[] = [];
      const kappas: number[] = [];
      for (let b = 0; b < 2000; b++) {
        const counts = new Float64Array(30);
        let hits = 0;
        for (let t = 0; t < gold.length; t++) {
          const i = Math.floor(r() * gold.length);
          if (pred[i] === gold[i]) hits++;
          counts[gold[i]! * 6 + (pred[i]! < 0 ? 5 : pred[i]!)]!++;
        }
        exacts.push(hits / gold.length);
        kappas.push(quadraticKappaFromCounts(counts, 5)!);
      }
      exacts.sort((a, b) => a - b);
      kappas.sort((a, b) => a - b);
      return { exact: [percentile(exacts, 2.5)!, percentile(exacts, 97.5)!], kappa: [percentile(kappas, 2.5)!, percentile(kappas, 97.5)!] };
    };
    const ref = itemwise(11);
    const ours = bootstrapAgreement(gold, pred, 5, { seed: 11, resamples: 2000 });
    expect(ours.exact!.lo).toBeCloseTo(ref.exact[0]!, 1);
    expect(ours.exact!.hi).toBeCloseTo(ref.exact[1]!, 1);
    expect(Math.abs(ours.kappa!.lo - ref.kappa[0]!)).toBeLessThan(0.02);
    expect(Math.abs(ours.kappa!.hi - ref.kappa[1]!)).toBeLessThan(0.02);
  });

  it('gives no interval below two items', () => {
    expect(bootstrapAgreement(Int8Array.of(1), Int8Array.of(1), 5, { seed: 1, resamples: 100 })).toEqual({ exact: null, kappa: null });
  });

  it('hashes group names stably', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
  });
});
