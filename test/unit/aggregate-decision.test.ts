import { describe, expect, it } from 'vitest';
import { beatingCascades, pairedDifference, ruleLine, verdictOf } from '../../src/aggregate/decision.ts';
import { quadraticKappa } from '../../src/aggregate/kappa.ts';
import { decisionArmProblems } from '../../src/core/config-records.ts';

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

describe('cascades in the decision', () => {
  const policy = (policy: string, kappa: number, usable: number, saving: number, cost: number) => ({
    policy, description: policy, escalated: 0.3, usable_rate: usable, exact: 0.5, within_one: 0.8, kappa, kappa_ci: { lo: kappa - 0.1, hi: kappa + 0.1 },
    hours_per_200k: 10, self_hosted_usd_per_1k: cost, hosted_usd_per_1k: null, saving_vs_escalate: saving,
  });
  const cascade = {
    screen: 'small', screen_label: 'Small', escalate: 'big', escalate_label: 'Big', prompt_version: 'v3', items: 200, saving_basis: 'self-hosted' as const,
    policies: [policy('escalate-only', 0.62, 0.965, 0, 0.1), policy('screen-only', 0.35, 0.79, 0.9, 0.01), policy('unusable', 0.54, 0.995, 0.3, 0.07), policy('top-k', 0.59, 0.985, 0.5, 0.05), policy('dear', 0.6, 0.99, -0.1, 0.11), policy('less-usable', 0.6, 0.9, 0.2, 0.08)],
  };
  const arm = (model: string, quality: number, usable: number) => ({ model, model_label: model, prompt_version: 'v3', quality, quality_ci: null, usable_rate: usable, usd_per_1k_usable: 0.1, cost_basis: 'self-hosted', hours: 1, usd_workload: 1, below_floors: [] });
  const incumbent = arm('big', 0.62, 0.965);
  const candidate = { ...arm('small', 0.35, 0.79), paired_items: 200, difference: -0.27, difference_ci: { lo: -0.37, hi: -0.16 }, verdict: 'worse' as const };
  const spec = { metric: 'kappa' as const, equivalence_margin: 0.05, floors: {}, workload: 100_000 };

  it('keeps the policies that beat both (cheaper than the incumbent, as usable, better than their screen model), best quality first', () => {
    const out = beatingCascades([cascade], incumbent, [candidate], spec);
    expect(out.map((c) => c.description)).toEqual(['top-k', 'unusable']);
    expect(out[0]).toMatchObject({ quality: 0.59, usable_rate: 0.985, saving: 0.5, hours: 5 });
    expect(out[0]!.usd_per_1k_usable).toBeCloseTo(0.05 / 0.985, 6);
  });

  it('drops those under a declared floor, and those escalating to another model or version', () => {
    expect(beatingCascades([cascade], incumbent, [candidate], { ...spec, floors: { quality: 0.55 } }).map((c) => c.description)).toEqual(['top-k']);
    expect(beatingCascades([{ ...cascade, prompt_version: 'v2' }], incumbent, [candidate], spec)).toEqual([]);
  });
});

describe('a decision naming what the eval does not run', () => {
  it('is named with its field', () => {
    const models = [{ id: 'org/a', label: 'A' }, { id: 'org/b', label: 'B' }];
    const decision = { metric: 'kappa' as const, equivalence_margin: 0.05, floors: {}, workload: 10, incumbent: { model: 'A', prompt_version: 'v2' }, candidates: [{ model: 'org/typo', prompt_version: 'v2' }, { model: 'org/b', prompt_version: 'v9' }, { model: 'org/b', prompt_version: 'v2+schema' }] };
    expect(decisionArmProblems({ decision, prompt_versions: ['v1', 'v2'] }, models)).toEqual([
      'decision.candidates.0.model: `org/typo` is not among the models of this run',
      "decision.candidates.1.prompt_version: `v9` is not among the eval's prompt versions",
    ]);
    expect(decisionArmProblems({ prompt_versions: ['v1'] }, models)).toEqual([]);
  });
});
