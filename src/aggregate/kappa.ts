/**
 * Quadratically weighted Cohen's kappa on an ordinal scale of `k` classes, with one extra prediction
 * column for "none" (no valid prediction: unparsable or off-contract).
 *
 * Weights: w(i, j) = (i - j)² / (k - 1)² between classes, and w(i, none) = 1, the largest disagreement
 * on the scale: an unreadable answer is as wrong as the farthest class, whatever the gold label, and it
 * does not borrow the marginal of a real class. Gold is never "none".
 *
 * kappa = 1 - Σ w·O / Σ w·E, with E(i, j) = row(i) · col(j) / n.
 * null when undefined: no items, or no expected disagreement (e.g. gold and predictions all one class).
 */

/** `quadratic` for an ordinal scale; `none` (plain Cohen's kappa: every disagreement weighs 1) for nominal classes. */
export type KappaWeights = 'quadratic' | 'none';

/** Index of the "none" column for a scale of k classes. */
export const noneIndex = (k: number): number => k;

/**
 * @param counts confusion counts, flat row-major: `counts[gold * (k + 1) + pred]`, pred = k for none.
 * @example quadraticKappaFromCounts(Float64Array.from([5,0,0, 0,5,0]), 2) === 1
 */
export function quadraticKappaFromCounts(counts: ArrayLike<number>, k: number, weights: KappaWeights = 'quadratic'): number | null {
  const cols = k + 1;
  if (counts.length !== k * cols) throw new RangeError(`expected ${k * cols} counts for ${k} classes, got ${counts.length}`);
  const row = new Float64Array(k);
  const col = new Float64Array(cols);
  let n = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < cols; j++) {
      const c = counts[i * cols + j]!;
      row[i]! += c;
      col[j]! += c;
      n += c;
    }
  }
  if (n === 0) return null;
  const denom = k > 1 ? (k - 1) * (k - 1) : 1;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < cols; j++) {
      const w = j === k ? 1 : weights === 'none' ? (i === j ? 0 : 1) : ((i - j) * (i - j)) / denom;
      if (w === 0) continue;
      observed += w * counts[i * cols + j]!;
      expected += (w * row[i]! * col[j]!) / n;
    }
  }
  if (expected <= 1e-12) return null;
  return 1 - observed / expected;
}

/**
 * Kappa from paired labels: gold in 0..k-1, pred in 0..k-1 or -1 for none.
 * @example quadraticKappa([0, 1, 2], [0, 1, 2], 3) === 1
 */
export function quadraticKappa(gold: ArrayLike<number>, pred: ArrayLike<number>, k: number, weights: KappaWeights = 'quadratic'): number | null {
  return quadraticKappaFromCounts(confusionCounts(gold, pred, k), k, weights);
}

export function confusionCounts(gold: ArrayLike<number>, pred: ArrayLike<number>, k: number): Float64Array {
  if (gold.length !== pred.length) throw new RangeError('gold and pred differ in length');
  const counts = new Float64Array(k * (k + 1));
  for (let i = 0; i < gold.length; i++) {
    const p = pred[i]!;
    counts[gold[i]! * (k + 1) + (p < 0 ? k : p)]!++;
  }
  return counts;
}
