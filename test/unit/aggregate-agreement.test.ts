import { describe, expect, it } from 'vitest';
import { classScores, classificationReport, confusionMatrix, ordinalAgreement } from '../../src/aggregate/agreement.ts';

const ABC = ['a', 'b', 'c'];
const opts = { seed: 1, resamples: 200 };
const agree = (gold: number[], pred: number[], labels: string[] = ABC) => ordinalAgreement(Int8Array.from(gold), Int8Array.from(pred), labels, opts);

describe('confusion matrix and per-class scores (hand-computed)', () => {
  it('a 3-class table', () => {
    // gold a a a b b c, pred a a b b c c
    const m = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ABC);
    expect(m).toEqual({ labels: ABC, counts: [[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0]] });
    const s = classScores(m);
    // a: TP 2, predicted 2, support 3 -> P 1, R 2/3, F1 0.8
    expect(s.per_class.a).toEqual({ precision: 1, recall: 0.666667, f1: 0.8, support: 3, predicted: 2 });
    // b: TP 1, predicted 2, support 2 -> P 0.5, R 0.5, F1 0.5
    expect(s.per_class.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 });
    // c: TP 1, predicted 2, support 1 -> P 0.5, R 1, F1 2/3
    expect(s.per_class.c).toEqual({ precision: 0.5, recall: 1, f1: 0.666667, support: 1, predicted: 2 });
    expect(s.macro_f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 5);
  });

  it('a missing prediction lowers recall, never precision', () => {
    const a = agree([0, 1, 2, 2], [0, 1, -1, 2]);
    expect(a.confusion.counts).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]]);
    expect(a.per_class.c).toEqual({ precision: 1, recall: 0.5, f1: 0.666667, support: 2, predicted: 1 });
    expect(a).toMatchObject({ n: 4, missing: 1, exact: 0.75, within_one: 0.75 });
    // Hand-computed in aggregate-kappa.test.ts: 17/33.
    expect(a.kappa).toBeCloseTo(17 / 33, 6);
  });

  it('agreement on the 3-class table: exact, within one, kappa 0.75', () => {
    const a = agree([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
    expect(a).toMatchObject({ n: 6, missing: 0, exact: 0.666667, within_one: 1, kappa: 0.75 });
    expect(a.exact_ci).not.toBeNull();
    expect(a.macro_f1).toBeCloseTo(0.655556, 6);
  });
});

describe('degenerate tables', () => {
  it('one class only, all right: kappa undefined, that class perfect, the others undefined', () => {
    const a = agree([2, 2, 2], [2, 2, 2], ['A', 'B', 'C', 'D', 'E']);
    expect(a).toMatchObject({ n: 3, exact: 1, within_one: 1, kappa: null, kappa_ci: null, macro_f1: 1 });
    expect(a.per_class.C).toEqual({ precision: 1, recall: 1, f1: 1, support: 3, predicted: 3 });
    expect(a.per_class.A).toEqual({ precision: null, recall: null, f1: null, support: 0, predicted: 0 });
  });

  it('one gold class, one wrong prediction: kappa 0, precision 0 for the class never in gold', () => {
    const a = agree([1, 1], [1, 0], ['x', 'y']);
    expect(a.kappa).toBe(0);
    expect(a.per_class.x).toEqual({ precision: 0, recall: null, f1: null, support: 0, predicted: 1 });
    expect(a.per_class.y).toEqual({ precision: 1, recall: 0.5, f1: 0.666667, support: 2, predicted: 1 });
    expect(a.macro_f1).toBe(0.666667);
  });

  it('every answer unreadable: nothing right, kappa 0, F1 counts as 0', () => {
    const a = agree([0, 1], [-1, -1], ['x', 'y']);
    expect(a).toMatchObject({ n: 2, missing: 2, exact: 0, within_one: 0, kappa: 0, macro_f1: 0 });
    expect(a.per_class.x).toEqual({ precision: null, recall: 0, f1: null, support: 1, predicted: 0 });
    expect(a.confusion.counts).toEqual([[0, 0, 1], [0, 0, 1]]);
  });

  it('empty input: counts zero, every statistic null', () => {
    const a = agree([], []);
    expect(a).toEqual({
      n: 0,
      missing: 0,
      exact: null,
      exact_ci: null,
      within_one: null,
      kappa: null,
      kappa_ci: null,
      confusion: { labels: ABC, counts: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]] },
      per_class: Object.fromEntries(ABC.map((l) => [l, { precision: null, recall: null, f1: null, support: 0, predicted: 0 }])),
      macro_f1: null,
    });
  });

  it('the bootstrap is seeded: same seed, same intervals', () => {
    const gold = [0, 1, 2, 0, 1, 2, 2, 1, 0, 1];
    const pred = [0, 1, 1, 0, -1, 2, 2, 0, 0, 1];
    expect(agree(gold, pred)).toEqual(agree(gold, pred));
    expect(ordinalAgreement(Int8Array.from(gold), Int8Array.from(pred), ABC, { seed: 2, resamples: 200 }).kappa_ci).not.toEqual(agree(gold, pred).kappa_ci);
  });
});

describe('classificationReport (nominal labels)', () => {
  it('hand-computed precision, recall and macro averages', () => {
    const r = classificationReport(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'b']);
    expect(r.labels).toEqual(['a', 'b', 'c']);
    expect(r.per_class.a).toEqual({ precision: 1, recall: 0.5, f1: 0.666667, support: 2, predicted: 1 });
    expect(r.per_class.b).toEqual({ precision: 0.333333, recall: 1, f1: 0.5, support: 1, predicted: 3 });
    expect(r.per_class.c).toEqual({ precision: null, recall: 0, f1: null, support: 1, predicted: 0 });
    // Macro precision over predicted classes (a, b); macro recall over gold classes (a, b, c).
    expect(r).toMatchObject({ macro_precision: 0.666667, macro_recall: 0.5, accuracy: 0.5 });
  });

  it('keeps the given label order and appends unseen labels', () => {
    expect(classificationReport(['z'], ['y'], ['z', 'q']).labels).toEqual(['z', 'q', 'y']);
    expect(classificationReport([], []).accuracy).toBeNull();
    expect(() => classificationReport(['a'], [])).toThrow(RangeError);
  });
});
