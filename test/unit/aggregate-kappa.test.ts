import { describe, expect, it } from 'vitest';
import { confusionCounts, quadraticKappa, quadraticKappaFromCounts } from '../../src/aggregate/kappa.ts';
import { bootstrapAgreement, hash32, percentile } from '../../src/aggregate/stats.ts';

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

  it('gives no interval below two items', () => {
    expect(bootstrapAgreement(Int8Array.of(1), Int8Array.of(1), 5, { seed: 1, resamples: 100 })).toEqual({ exact: null, kappa: null });
  });

  it('hashes group names stably', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
  });
});
