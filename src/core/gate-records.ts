/**
 * Records of the gate stage: gate rules (in the eval definition), the committed baseline, verdicts.
 * One scale: every threshold is a share in [0, 1].
 */
import { z } from 'zod';

/**
 * Per-item pass/fail metrics a gate can check, by name. `label_exact` is exact agreement on the task's
 * primary label (the `label-match` scorer); `recommendation_exact` is its older name (`recommendation-match`).
 * A baseline stores the names it was made with, so adding a metric here leaves committed baselines readable.
 */
export const GATE_METRICS = ['json_strict_rate', 'schema_valid_rate', 'follows_instructions', 'recommendation_exact', 'label_exact'] as const;
export const GateMetric = z.enum(GATE_METRICS);
export type GateMetric = z.infer<typeof GateMetric>;

const Share = z.number().superRefine((x, ctx) => {
  if (x > 1) ctx.addIssue({ code: 'custom', message: `thresholds are shares on the 0..1 scale: write ${x <= 100 ? x / 100 : 'a value from 0 to 1'}, not ${x}` });
  else if (x < 0) ctx.addIssue({ code: 'custom', message: 'thresholds are shares on the 0..1 scale, from 0 to 1' });
});

export const GateRule = z.strictObject({
  metric: GateMetric,
  /** Absolute floor: the metric's 95% interval must not lie wholly below it. */
  min: Share.optional(),
  /** Largest allowed drop against the baseline, paired by item (e.g. 0.05 = five points). */
  max_regression: Share.optional(),
  /**
   * What a regression is measured against, paired by item within the same model: `baseline` (the
   * committed baseline file, default), another prompt version of this run (`"v3"`), or
   * `latest-released` (the newest version in prompts.lock.json other than the one gated, in this run).
   */
  reference: z.union([z.literal('baseline'), z.literal('latest-released'), z.string().regex(/^v\d+$/, 'a prompt version like "v3", "baseline" or "latest-released"')]).optional(),
  /** Model ids the rule applies to; default all. */
  models: z.array(z.string()).optional(),
  /** Prompt versions the rule applies to; default all. */
  prompt_versions: z.array(z.string()).optional(),
});
export type GateRule = z.infer<typeof GateRule>;

/**
 * Multiplicity correction of the regression tests: `holm-per-rule` (default: Holm within each rule,
 * i.e. one metric across the groups it names), `holm` (one family of every regression gate),
 * `bh` (Benjamini-Hochberg false discovery rate over every regression gate), `none`.
 */
export const GATE_CORRECTIONS = ['holm-per-rule', 'holm', 'bh', 'none'] as const;

export const Gates = z.strictObject({
  policy: z.strictObject({ inconclusive: z.enum(['pass', 'fail']).default('pass') }).default({ inconclusive: 'pass' }),
  /** One-sided significance level of the regression tests (per family, see correction). */
  alpha: Share.default(0.05),
  correction: z.enum(GATE_CORRECTIONS).default('holm-per-rule'),
  rules: z.array(GateRule).min(1),
});
export type Gates = z.infer<typeof Gates>;

/** Per-item values of one group in a baseline: item id -> one character per entry of the baseline's `metrics` ('1', '0', '-' unscored). */
export const BaselineGroup = z.strictObject({
  model: z.string(),
  prompt_version: z.string(),
  prompt_sha256: z.string().nullable(),
  metrics: z.record(z.string(), z.number().nullable()),
  items: z.record(z.string(), z.string()),
});
export type BaselineGroup = z.infer<typeof BaselineGroup>;

export const Baseline = z.strictObject({
  schema_version: z.literal(1),
  eval: z.string(),
  /** The metric of each character of an item's values, in order (names, so a metric added later does not shift them). */
  metrics: z.array(z.string()),
  fingerprint: z.strictObject({
    dataset: z.strictObject({ name: z.string(), version: z.string(), sha256: z.string() }),
    sampling: z.record(z.string(), z.unknown()),
    servers: z.record(z.string(), z.string().nullable()),
  }),
  groups: z.array(BaselineGroup),
});
export type Baseline = z.infer<typeof Baseline>;

export const GateVerdict = z.strictObject({
  gate: z.string(),
  kind: z.enum(['floor', 'regression']),
  model: z.string(),
  prompt_version: z.string(),
  metric: GateMetric,
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  observed: z.number().nullable(),
  ci: z.strictObject({ lo: z.number(), hi: z.number() }).nullable(),
  threshold: z.number(),
  baseline: z.number().nullable(),
  difference: z.number().nullable(),
  /** Regression: the corrected one-sided p-value of the drop (exact McNemar). Floors: null. */
  p_value: z.number().nullable(),
  n: z.number().int(),
  /** Regression: what the group was compared with (`baseline` or a prompt version). */
  reference: z.string().nullable(),
  /** Regression: items newly failing (b) and newly passing (c). */
  discordant: z.strictObject({ b: z.number().int(), c: z.number().int() }).nullable(),
  /**
   * Minimum detectable effect at power 0.8 for this n: the drop a regression gate detects at its
   * corrected alpha (from the discordance rate), or the shortfall below a floor.
   */
  mde: z.number().nullable(),
  /** Items needed for the MDE to reach the threshold (margin or distance), when it does not yet; else null. */
  needed_n: z.number().int().nullable(),
  note: z.string(),
});
export type GateVerdict = z.infer<typeof GateVerdict>;

/** `gate.json` in a run directory. */
export const GateReport = z.strictObject({
  passed: z.boolean(),
  /** Set when a run with missing or failed items was gated with --allow-partial: "incomplete: 9 of 30 answered (...)". */
  partial: z.string().optional(),
  baseline: z.string(),
  policy: z.strictObject({ inconclusive: z.enum(['pass', 'fail']) }),
  /** The eval's alpha; with `looks` > 1 each look tests at alpha ÷ looks. */
  alpha: z.number(),
  correction: z.enum(GATE_CORRECTIONS),
  /** Planned looks of a sequential eval (1 = a fixed sample). */
  looks: z.number().int().min(1),
  counts: z.strictObject({ pass: z.number().int(), fail: z.number().int(), inconclusive: z.number().int() }),
  /** Groups a regression rule could not check, and why (no baseline, no reference version). */
  unchecked: z.array(z.string()),
  warnings: z.array(z.string()),
  verdicts: z.array(GateVerdict),
});
export type GateReport = z.infer<typeof GateReport>;
