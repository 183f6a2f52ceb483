import { RECOMMENDATIONS, type DatasetRow } from '../core/records.ts';

export interface DatasetStats {
  rows: number;
  classes: Array<{ recommendation: string; rows: number; share: number }>;
  strata: Array<{ stratum: string; rows: number; share: number }>;
  /** Approximate tokens of the profile as the prompt shows it (JSON, ~4 characters a token). */
  profileTokens: { min: number; p50: number; p90: number; max: number; mean: number };
}

/** Approximate token count: ~4 characters a token, the usual rule of thumb for English and JSON. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Class balance, strata and profile lengths of a dataset (or a sample of it). */
export function datasetStats(rows: DatasetRow[]): DatasetStats {
  const n = rows.length;
  const strata = new Map<string, number>();
  for (const r of rows) for (const s of r.strata) strata.set(s, (strata.get(s) ?? 0) + 1);
  const lengths = rows.map((r) => approxTokens(JSON.stringify(r.candidate, null, 2))).sort((a, b) => a - b);
  return {
    rows: n,
    classes: RECOMMENDATIONS.map((rec) => {
      const c = rows.filter((r) => r.gold.recommendation === rec).length;
      return { recommendation: rec, rows: c, share: n ? c / n : 0 };
    }),
    strata: [...strata.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([stratum, c]) => ({ stratum, rows: c, share: n ? c / n : 0 })),
    profileTokens: {
      min: lengths[0] ?? 0,
      p50: quantile(lengths, 0.5),
      p90: quantile(lengths, 0.9),
      max: lengths[lengths.length - 1] ?? 0,
      mean: n ? Math.round(lengths.reduce((a, b) => a + b, 0) / n) : 0,
    },
  };
}
