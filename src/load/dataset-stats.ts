import type { ItemRow } from '../core/records.ts';
import type { StratifyBy } from './load-dataset.ts';
import { valueAt } from '../core/task-records.ts';

export interface DatasetStats {
  rows: number;
  /** Rows per value of the stratification label (empty without one). */
  classes: Array<{ value: string; rows: number; share: number }>;
  strata: Array<{ stratum: string; rows: number; share: number }>;
  /** Approximate tokens of the item as the prompt shows it (its input fields as JSON, ~4 characters a token). */
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

/** The fields of a row a prompt shows: everything but its id, gold labels and strata. */
function inputOf(row: ItemRow): unknown {
  const { id: _id, gold: _gold, strata: _strata, ...input } = row;
  const values = Object.values(input);
  return values.length === 1 ? values[0] : input;
}

/** Class balance (by the stratification label), strata and item lengths of a dataset (or a sample of it). */
export function datasetStats(rows: ItemRow[], by?: StratifyBy): DatasetStats {
  const n = rows.length;
  const strata = new Map<string, number>();
  for (const r of rows) for (const s of r.strata) strata.set(s, (strata.get(s) ?? 0) + 1);
  const lengths = rows.map((r) => approxTokens(JSON.stringify(inputOf(r), null, 2))).sort((a, b) => a - b);
  return {
    rows: n,
    classes: (by?.scale ?? []).map((value) => {
      const c = rows.filter((r) => valueAt(r.gold, by!.gold) === value).length;
      return { value, rows: c, share: n ? c / n : 0 };
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
