/**
 * A compact log-bucketed histogram for latency samples (ms): ~2% relative resolution,
 * constant size whatever the number of samples, mergeable across segments. Used for pooled
 * inter-token latency, where keeping every gap of a 200K-request run would be too much.
 */
import { z } from 'zod';

/** Buckets per doubling: 32 gives ~2.2% bucket width. */
const PER_DOUBLING = 32;
/** Smallest resolved value (ms); smaller samples land in bucket 0. */
const MIN_MS = 0.01;

export const LogHistogram = z.strictObject({
  /** Sparse: bucket index -> count. */
  buckets: z.record(z.string(), z.number().int().positive()),
  count: z.number().int().nonnegative(),
  sum: z.number().nonnegative(),
});
export type LogHistogram = z.infer<typeof LogHistogram>;

export function emptyHistogram(): LogHistogram {
  return { buckets: {}, count: 0, sum: 0 };
}

function bucketOf(ms: number): number {
  return ms <= MIN_MS ? 0 : Math.floor(Math.log2(ms / MIN_MS) * PER_DOUBLING) + 1;
}

/** The geometric middle of a bucket, in ms. */
function valueOf(bucket: number): number {
  return bucket === 0 ? MIN_MS : MIN_MS * 2 ** ((bucket - 0.5) / PER_DOUBLING);
}

export function addSample(h: LogHistogram, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  const b = String(bucketOf(ms));
  h.buckets[b] = (h.buckets[b] ?? 0) + 1;
  h.count++;
  h.sum += ms;
}

export function mergeHistograms(into: LogHistogram, from: LogHistogram): void {
  for (const [b, c] of Object.entries(from.buckets)) into.buckets[b] = (into.buckets[b] ?? 0) + c;
  into.count += from.count;
  into.sum += from.sum;
}

/** Quantile q in [0, 1] (nearest rank on bucket midpoints), or null when empty. */
export function histogramQuantile(h: LogHistogram, q: number): number | null {
  if (h.count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * h.count));
  let seen = 0;
  for (const b of Object.keys(h.buckets).map(Number).sort((x, y) => x - y)) {
    seen += h.buckets[String(b)]!;
    if (seen >= rank) return valueOf(b);
  }
  return null;
}
