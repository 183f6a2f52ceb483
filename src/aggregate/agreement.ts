/**
 * Agreement of predicted labels with gold labels: confusion matrices, per-class precision, recall and F1,
 * and the full ordinal-agreement block of summary.json (exact, within one, quadratic kappa, intervals).
 *
 * Labels are indices into an ordinal scale of k classes; a prediction of -1 is "none" (no valid
 * label: unparsable or off-contract). "none" is a column of the confusion matrix, never a row, and it
 * counts against recall (the item was not predicted correctly) but never against any class's precision.
 */
import { round, bootstrapAgreement, type Interval } from './stats.ts';
import { confusionCounts, quadraticKappa, type KappaWeights } from './kappa.ts';

/** Precision, recall and F1 of one class; null where the ratio has no denominator. */
export interface ClassScores {
  /** Correct predictions of the class / all predictions of the class; null when never predicted. */
  precision: number | null;
  /** Correct predictions of the class / gold items of the class; null when no gold item has it. */
  recall: number | null;
  /** Harmonic mean of precision and recall; 0 when both are 0; null when either is undefined. */
  f1: number | null;
  /** Gold items of the class. */
  support: number;
  /** Items predicted as the class. */
  predicted: number;
}

/** Column label of the "none" prediction in a confusion matrix. */
export const NONE_LABEL = 'none';

export interface ConfusionMatrix {
  /** Row labels (gold), in scale order. */
  labels: string[];
  /** counts[gold][pred]: k rows; k + 1 columns, the last one "none". */
  counts: number[][];
}

const ratio = (num: number, den: number): number | null => (den > 0 ? round(num / den) : null);

/**
 * Confusion matrix of paired labels (pred -1 = none).
 * @example confusionMatrix([0, 1], [0, -1], ['a', 'b']).counts // [[1, 0, 0], [0, 0, 1]]
 */
export function confusionMatrix(gold: ArrayLike<number>, pred: ArrayLike<number>, labels: readonly string[]): ConfusionMatrix {
  const k = labels.length;
  const flat = confusionCounts(gold, pred, k);
  const counts = Array.from({ length: k }, (_, i) => Array.from(flat.subarray(i * (k + 1), (i + 1) * (k + 1))));
  return { labels: [...labels], counts };
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (k rows, k or k + 1 columns), and their
 * macro average over the classes that occur in gold (a class nobody has cannot be recalled).
 * Macro F1 counts a class with gold items but no prediction as F1 0 (it was never found).
 */
export function classScores(m: ConfusionMatrix): { per_class: Record<string, ClassScores>; macro_f1: number | null } {
  const k = m.labels.length;
  const per_class: Record<string, ClassScores> = {};
  const f1s: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = m.counts[c]![c] ?? 0;
    const support = m.counts[c]!.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += m.counts[r]![c] ?? 0;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : round((2 * precision * recall) / (precision + recall));
    per_class[m.labels[c]!] = { precision, recall, f1, support, predicted };
    if (support > 0) f1s.push(f1 ?? 0);
  }
  return { per_class, macro_f1: f1s.length ? round(f1s.reduce((a, b) => a + b, 0) / f1s.length) : null };
}

/** The agreement block of one labelled field (the recommendation or one dimension). */
export interface OrdinalAgreement {
  /** Answered items compared with gold. */
  n: number;
  /** Items with no valid prediction (unparsable or off-contract): counted as wrong everywhere. */
  missing: number;
  exact: number | null;
  exact_ci: Interval | null;
  within_one: number | null;
  kappa: number | null;
  kappa_ci: Interval | null;
  confusion: ConfusionMatrix;
  per_class: Record<string, ClassScores>;
  macro_f1: number | null;
}

/**
 * Every agreement statistic of one ordinal field over paired labels (gold 0..k-1, pred 0..k-1 or -1 = none).
 * A missing prediction is a disagreement in every statistic: it is never right, never within one, and in
 * kappa it is the largest disagreement (see kappa.ts). So failing on hard items cannot raise a score.
 */
export function ordinalAgreement(
  gold: Int8Array,
  pred: Int8Array,
  labels: readonly string[],
  opts: { seed: number; resamples: number; /** A nominal label: plain kappa, no within-one. @default false */ nominal?: boolean },
): OrdinalAgreement {
  const weights: KappaWeights = opts.nominal ? 'none' : 'quadratic';
  const n = gold.length;
  let exact = 0;
  let withinOne = 0;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const p = pred[i]!;
    if (p < 0) {
      missing++;
      continue;
    }
    if (p === gold[i]) exact++;
    if (Math.abs(p - gold[i]!) <= 1) withinOne++;
  }
  const kappa = quadraticKappa(gold, pred, labels.length, weights);
  const ci = bootstrapAgreement(gold, pred, labels.length, { seed: opts.seed, resamples: opts.resamples, weights });
  const roundCi = (x: Interval | null) => (x ? { lo: round(x.lo), hi: round(x.hi) } : null);
  const confusion = confusionMatrix(gold, pred, labels);
  return {
    n,
    missing,
    exact: ratio(exact, n),
    exact_ci: roundCi(ci.exact),
    within_one: opts.nominal ? null : ratio(withinOne, n),
    kappa: kappa === null ? null : round(kappa),
    kappa_ci: roundCi(ci.kappa),
    confusion,
    ...classScores(confusion),
  };
}

/** A classification report over nominal labels (e.g. instruction-following classes). */
export interface ClassificationReport {
  labels: string[];
  per_class: Record<string, ClassScores>;
  /** Mean precision over classes that were predicted; mean recall over classes that occur in gold. */
  macro_precision: number | null;
  macro_recall: number | null;
  macro_f1: number | null;
  /** Share of items whose predicted label equals the expected one. */
  accuracy: number | null;
}

/**
 * Per-class precision, recall and F1 of nominal labels, e.g. a detector's classes against hand labels.
 * @param labels the classes to report, in order; labels found in the data but not listed are appended.
 */
export function classificationReport(expected: readonly string[], predicted: readonly string[], labels: readonly string[] = []): ClassificationReport {
  if (expected.length !== predicted.length) throw new RangeError('expected and predicted differ in length');
  const all = [...labels, ...[...new Set([...expected, ...predicted])].filter((l) => !labels.includes(l)).sort()];
  const index = new Map(all.map((l, i) => [l, i]));
  const counts = all.map(() => all.map(() => 0));
  let hits = 0;
  for (let i = 0; i < expected.length; i++) {
    counts[index.get(expected[i]!)!]![index.get(predicted[i]!)!]!++;
    if (expected[i] === predicted[i]) hits++;
  }
  const { per_class, macro_f1 } = classScores({ labels: all, counts });
  const mean = (xs: (number | null)[]): number | null => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? round(v.reduce((a, b) => a + b, 0) / v.length) : null;
  };
  const present = Object.values(per_class);
  return {
    labels: all,
    per_class,
    macro_precision: mean(present.map((c) => c.precision)),
    macro_recall: mean(present.map((c) => c.recall)),
    macro_f1,
    accuracy: ratio(hits, expected.length),
  };
}
