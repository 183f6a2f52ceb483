import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, floorMde, holm, holmByFamily, mcnemarDropP, mcnemarExact, newcombePairedDiff, normalQuantile, pairedMde, pairedSampleSize, wilson } from '../../src/gate/stats.ts';
import { pairedBootstrapDiff } from '../../src/aggregate/paired.ts';

describe('gate statistics', () => {
  it.each([
    [8, 2, 0.109375], // 2 * (C(10,0)+C(10,1)+C(10,2)) / 2^10 = 2 * 56/1024
    [0, 0, 1],
    [5, 5, 1],
    [6, 0, 0.03125], // 2 / 2^6
    [0, 10, 0.001953125], // 2 / 2^10
  ])('McNemar exact b=%i c=%i -> p=%f', (b, c, p) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 10);
  });

  it('Wilson interval matches a hand computation', () => {
    const { lo, hi } = wilson(45, 50); // p = 0.9, n = 50
    expect(lo).toBeCloseTo(0.7864, 3);
    expect(hi).toBeCloseTo(0.9565, 3);
    expect(wilson(0, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it('Holm adjusts step-down and keeps the order', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holm([])).toEqual([]);
  });

  it('paired bootstrap is seeded and centred on the mean difference', () => {
    const before = Array.from({ length: 200 }, (_, i) => (i % 10 < 9 ? 1 : 0));
    const now = Array.from({ length: 200 }, (_, i) => (i % 10 < 8 ? 1 : 0));
    const a = pairedBootstrapDiff(before, now, 7);
    expect(pairedBootstrapDiff(before, now, 7)).toEqual(a);
    expect(a.lo).toBeLessThan(-0.1 + 0.001);
    expect(a.hi).toBeGreaterThan(-0.1 - 0.001);
    expect(a.hi).toBeLessThan(0);
    expect(pairedBootstrapDiff(before, before, 1)).toEqual({ lo: 0, hi: 0 });
  });
});

describe('gate statistics for the regression rule and its power (hand-computed, scipy cross-checked)', () => {
  it.each([
    [10, 0, 1 / 1024], // P(X >= 10 | n = 10) = 2^-10
    [10, 1, 12 / 2048], // (C(11,10) + C(11,11)) / 2^11
    [7, 2, 46 / 512], // (C(9,7) + C(9,8) + C(9,9)) / 2^9 = (36 + 9 + 1) / 512
    [0, 5, 1],
    [0, 0, 1],
  ])('one-sided McNemar for a drop b=%i c=%i -> p=%f', (b, c, p) => {
    expect(mcnemarDropP(b, c)).toBeCloseTo(p, 12);
  });

  it('Benjamini-Hochberg and per-family Holm', () => {
    // sorted 0.01, 0.03, 0.04 (m = 3): 0.04*3/3 = 0.04; 0.03*3/2 = 0.045 -> min 0.04; 0.01*3/1 = 0.03
    expect(benjaminiHochberg([0.01, 0.04, 0.03])).toEqual([0.03, 0.04, 0.04]);
    // two families: {0.01, 0.04} -> [0.02, 0.04]; {0.03} -> [0.03]
    expect(holmByFamily([0.01, 0.04, 0.03], [0, 0, 1])).toEqual([0.02, 0.04, 0.03]);
  });

  it('normal quantiles', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212, 6);
    expect(normalQuantile(1 - 0.05 / 9)).toBeCloseTo(2.5391848, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
  });

  it("Newcombe's paired interval (method 10), one-sided 95% bounds", () => {
    const z = normalQuantile(0.95);
    // 80 pass both, 10 newly failing, 0 newly passing, 10 fail both: difference -0.10
    const a = newcombePairedDiff({ n11: 80, b: 10, c: 0, n00: 10 }, z);
    expect(a.lo).toBeCloseTo(-0.155472, 5);
    expect(a.hi).toBeCloseTo(-0.051816, 5);
    // A/A-like: 2 down, 1 up out of 100: the lower bound -4.68% rules out a 5-point drop.
    expect(newcombePairedDiff({ n11: 90, b: 2, c: 1, n00: 7 }, z).lo).toBeCloseTo(-0.046756, 5);
    const same = newcombePairedDiff({ n11: 95, b: 0, c: 0, n00: 5 }, z);
    expect(same.lo).toBeCloseTo(-0.023708, 5);
    expect(same.hi).toBeCloseTo(0.023708, 5);
  });

  it('minimum detectable effect and sample size (Connor 1987 normal approximation)', () => {
    // no noise: δ√100 = 1.6449√δ + 0.8416√(δ − δ²) -> δ = 0.06055
    expect(pairedMde(100, 0, 0.05)).toBeCloseTo(0.060545, 4);
    expect(pairedMde(100, 0.1, 0.05)).toBeCloseTo(0.077811, 4);
    // n = ((1.6449√0.1 + 0.8416√(0.1 − 0.0025)) / 0.05)² = 245.6 -> 246
    expect(pairedSampleSize(0.05, 0.1, 0.05)).toBe(246);
    expect(pairedSampleSize(0.05, 0, 0.05)).toBe(122);
    expect(floorMde(100, 0.85)).toBeCloseTo(0.10675, 4);
    expect(pairedMde(0, 0, 0.05)).toBe(1);
  });
});
