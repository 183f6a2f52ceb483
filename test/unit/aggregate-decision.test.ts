import { describe, expect, it } from 'vitest';
import { pairedDifference, ruleLine, verdictOf } from '../../src/aggregate/decision.ts';
import { quadraticKappa } from '../../src/aggregate/kappa.ts';

const opts = { metric: 'kappa' as const, weights: 'quadratic' as const, seed: 7, resamples: 500 };

/** n items on a 3-point scale, gold cycling 0, 1, 2. */
const golds = (n: number) => Int8Array.from({ length: n }, (_, i) => i % 3);

describe('the decision verdict', () => {
  it('reads the interval: above 0 better, below 0 worse, inside ±margin no detectable difference, else not enough data', () => {
    expect(verdictOf({ lo: 0.01, hi: 0.3 }, 0.05)).toBe('better');
    expect(verdictOf({ lo: -0.4, hi: -0.2 }, 0.05)).toBe('worse');
    expect(verdictOf({ lo: -0.03, hi: 0.04 }, 0.05)).toBe('no detectable difference');
    expect(verdictOf({ lo: -0.2, hi: 0.1 }, 0.05)).toBe('not enough data');
    expect(verdictOf(null, 0.05)).toBe('not enough data');
    expect(ruleLine('kappa', 0.05)).toMatch(/±0.05 → no detectable difference/);
  });

  it('gives the candidate − incumbent difference on the same items, equal to the two kappas apart', () => {
    const gold = golds(90);
    const a = Int8Array.from(gold, (g, i) => (i % 5 === 0 ? (g + 1) % 3 : g)); // incumbent: 1 in 5 off
    const b = Int8Array.from(gold, (g, i) => (i % 2 === 0 ? -1 : g)); // candidate: half unreadable
    const d = pairedDifference(gold, a, b, 3, opts);
    expect(d.difference).toBeCloseTo(quadraticKappa(gold, b, 3)! - quadraticKappa(gold, a, 3)!, 6);
    expect(d.ci!.hi).toBeLessThan(0);
    expect(verdictOf(d.ci, 0.05)).toBe('worse');
    // Swapped, the candidate is better.
    const swapped = pairedDifference(gold, b, a, 3, opts);
    expect(swapped.difference).toBeCloseTo(-d.difference!, 6);
    expect(verdictOf(swapped.ci, 0.05)).toBe('better');
  });

  it('finds no detectable difference between identical answers, and not enough data on 6 items that differ once', () => {
    const gold = golds(300);
    const same = Int8Array.from(gold, (g, i) => (i % 4 === 0 ? (g + 1) % 3 : g));
    const d = pairedDifference(gold, same, same, 3, opts);
    expect(d).toEqual({ difference: 0, ci: { lo: 0, hi: 0 } });
    expect(verdictOf(d.ci, 0.05)).toBe('no detectable difference');
    const few = golds(6);
    const once = Int8Array.from(few, (g, i) => (i === 0 ? 1 : g));
    const small = pairedDifference(few, few, once, 3, { ...opts, metric: 'exact' });
    expect(small.ci!.lo).toBeLessThan(-0.05);
    expect(small.ci!.hi).toBe(0);
    expect(verdictOf(small.ci, 0.05)).toBe('not enough data');
  });

  it('computes exact agreement differences by hand, and is deterministic for a seed', () => {
    const gold = Int8Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    const a = Int8Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]); // 10/10
    const b = Int8Array.from([0, 1, 2, 0, 1, 2, 0, 0, -1, 1]); // 7/10
    const d = pairedDifference(gold, a, b, 3, { ...opts, metric: 'exact' });
    expect(d.difference).toBeCloseTo(-0.3, 6);
    expect(pairedDifference(gold, a, b, 3, { ...opts, metric: 'exact' })).toEqual(d);
  });
});
