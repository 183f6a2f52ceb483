/**
 * Dataset records for any task: one row (id, gold labels, strata, the task's item fields) and the
 * dataset's manifest.
 */
import { z } from 'zod';

export const ItemId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'ids are 1-128 characters of A-Z a-z 0-9 . _ -');

/**
 * One line of a dataset JSONL file, for any task: its id, its gold labels, its strata and the task's
 * item fields (the template variables the task declares). The task's item schema checks the rest.
 */
export const ItemRow = z.looseObject({
  id: ItemId,
  gold: z.record(z.string(), z.unknown()),
  /** Slices to report metrics by, e.g. `hard`, `career-changer`, `bootcamp`. */
  strata: z.array(z.string()).default([]),
});
export type ItemRow = z.infer<typeof ItemRow>;

/** `datasets/<name>/manifest.json`. */
export const DatasetManifest = z.strictObject({
  name: z.string(),
  version: z.string(),
  file: z.string(),
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  released: z.string().optional(),
  provenance: z.string(),
  description: z.string().optional(),
});
export type DatasetManifest = z.infer<typeof DatasetManifest>;
