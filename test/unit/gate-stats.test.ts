import { describe, expect, it } from 'vitest';
import { holm, mcnemarExact, pairedBootstrapDiff, wilson } from '../../src/gate/stats.ts';

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
