/**
 * The decision block of `summary.json` (aggregate -> report): can the workload move from the incumbent to a
 * candidate? Computed in src/aggregate/decision.ts, rendered first in both reports and the PR comment.
 */
import { z } from 'zod';

/** A 95% interval (bootstrap percentile), or null when there are too few items. */
export const Interval = z.strictObject({ lo: z.number(), hi: z.number() }).nullable();
export type Interval = z.infer<typeof Interval>;

/** One (model, prompt version) as the decision block reads it: quality, usable rate, cost and time for the workload. */
export const DecisionArmSummary = z.strictObject({
  model: z.string(),
  model_label: z.string(),
  prompt_version: z.string(),
  /** The decision's quality metric on the primary label, over the group's answered items. */
  quality: z.number().nullable(),
  quality_ci: Interval,
  usable_rate: z.number().nullable(),
  /** USD per 1K usable results on `cost_basis` (self-hosted, else the first hosted price). */
  usd_per_1k_usable: z.number().nullable(),
  /** `self-hosted`, a hosted provider's name, or '' when unpriced. */
  cost_basis: z.string(),
  /** GPU-equivalent hours for the workload at the measured throughput; null when not timed. */
  hours: z.number().nullable(),
  /** USD for the whole workload on `cost_basis`. */
  usd_workload: z.number().nullable(),
  /** The floors this group misses (empty: meets them all, or none declared). */
  below_floors: z.array(z.string()),
});
export type DecisionArmSummary = z.infer<typeof DecisionArmSummary>;

/** A candidate against the incumbent, on the items both answered. */
export const DecisionCandidate = DecisionArmSummary.extend({
  /** Items answered by both the candidate and the incumbent. */
  paired_items: z.number().int().nonnegative(),
  /** Candidate − incumbent on the paired items. */
  difference: z.number().nullable(),
  /** Seeded 95% paired bootstrap interval of the difference (items resampled together). */
  difference_ci: Interval,
  verdict: z.enum(['better', 'no detectable difference', 'worse', 'not enough data']),
});
export type DecisionCandidate = z.infer<typeof DecisionCandidate>;

/** The report's first answer: can the workload move from the incumbent to a candidate? Computed in src/aggregate/decision.ts. */
export const DecisionSummary = z.strictObject({
  question: z.string(),
  /** `declared` in the eval's `decision` block, or the `default` (best quality as incumbent, cheapest group meeting the floors as candidate). */
  source: z.enum(['declared', 'default']),
  metric: z.enum(['kappa', 'exact']),
  /** The label quality is measured on (the task's primary label). */
  label: z.string(),
  equivalence_margin: z.number(),
  floors: z.strictObject({ quality: z.number().nullable(), usable_rate: z.number().nullable(), name: z.string().nullable() }),
  workload: z.number().int().positive(),
  /** How a verdict is reached, in one line. */
  rule: z.string(),
  /** False when the run is incomplete or its speed figures invalid: verdicts then read "not enough data". */
  trusted: z.boolean(),
  /** Why it is not trusted, or what the reader must know (a declared model not in the run). */
  notes: z.array(z.string()),
  incumbent: DecisionArmSummary.nullable(),
  candidates: z.array(DecisionCandidate),
  /** The cascade policies that beat both (cheaper than the incumbent, as usable, better than the candidate they screen with, within the floors), best quality first; empty when none does. */
  cascades: z.array(
    z.strictObject({
      /** The policy's id in `cascades[].policies` (e.g. `unusable`, `top-k`). */
      policy: z.string(),
      description: z.string(),
      screen: z.string(),
      screen_label: z.string(),
      escalate: z.string(),
      escalate_label: z.string(),
      prompt_version: z.string(),
      usable_rate: z.number().nullable(),
      quality: z.number().nullable(),
      quality_ci: Interval,
      /** USD per 1K usable results (the saving's basis: self-hosted, else hosted). */
      usd_per_1k_usable: z.number().nullable(),
      hours: z.number().nullable(),
      /** 1 − cost ÷ the escalation model's alone, on `saving_basis`. */
      saving: z.number().nullable(),
      saving_basis: z.string().nullable(),
      /** Items answered by both this cascade and the incumbent. */
      paired_items: z.number().int().nonnegative(),
      /** Cascade − incumbent quality on the paired items, with its paired bootstrap interval and verdict (same rule as a candidate's). */
      difference: z.number().nullable(),
      difference_ci: Interval,
      verdict: z.enum(['better', 'no detectable difference', 'worse', 'not enough data']),
    }),
  ),
});
export type DecisionSummary = z.infer<typeof DecisionSummary>;
