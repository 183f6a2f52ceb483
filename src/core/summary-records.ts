/**
 * `summary.json` (aggregate -> report/gate): metrics per group and model, agreement per declared label,
 * speed, cost, cascades, the failure gallery, environment and trust. Described by schemas/summary.schema.json.
 */
import { z } from 'zod';
import { SamplingParams } from './config-records.ts';
import { ErrorKind, RunManifest } from './run-records.ts';
import { Cost, Distribution, ServerCounters, SimulatedSpeed, SpeedValidity } from './speed-records.ts';
import { DecisionSummary, Interval } from './decision-records.ts';
export { Interval } from './decision-records.ts';

// ---------------------------------------------------------------------------
// aggregate -> report: `summary.json`
// ---------------------------------------------------------------------------

/** A rate or score on the one scale, [0, 1]; null = nothing to measure it on. */
const Unit = z.number().min(0).max(1).nullable();


/** Mean of one scorer over the items it scored; unscored (null) items are skipped and counted. */
export const ScorerSummary = z.strictObject({
  mean: Unit,
  scored: z.number().int().nonnegative(),
  unscored: z.number().int().nonnegative(),
});
export type ScorerSummary = z.infer<typeof ScorerSummary>;

/** Precision, recall and F1 of one class; null where the ratio has no denominator. */
export const ClassScores = z.strictObject({
  /** Correct predictions of the class / all predictions of the class; null when never predicted. */
  precision: Unit,
  /** Correct predictions of the class / gold items of the class; null when no gold item has it. */
  recall: Unit,
  /** Harmonic mean; 0 when precision and recall are both 0; null when either is undefined. */
  f1: Unit,
  /** Gold items of the class. */
  support: z.number().int().nonnegative(),
  /** Items predicted as the class. */
  predicted: z.number().int().nonnegative(),
});
export type ClassScores = z.infer<typeof ClassScores>;

/** Agreement of one labelled field (the recommendation or one dimension) with gold, over answered items. */
export const OrdinalAgreement = z.strictObject({
  /** Answered items compared with gold. */
  n: z.number().int().nonnegative(),
  /** Answered items with no valid label (unparsable or off-contract): counted as wrong. */
  missing: z.number().int().nonnegative(),
  exact: Unit,
  exact_ci: Interval,
  /** Within one step on the ordinal scale; null for a nominal label. */
  within_one: Unit,
  /** Cohen's kappa, quadratically weighted for an ordinal label, unweighted for a nominal one; a missing prediction is maximal disagreement. null when undefined. */
  kappa: z.number().min(-1).max(1).nullable(),
  kappa_ci: Interval,
  /** Rows: gold labels in scale order; columns: the same labels, then `none` (no valid prediction). */
  confusion: z.strictObject({
    labels: z.array(z.string()),
    counts: z.array(z.array(z.number().int().nonnegative())),
  }),
  /** By gold label. `none` predictions lower recall, never precision. */
  per_class: z.record(z.string(), ClassScores),
  /** Mean F1 over labels with gold items (a label never predicted counts as 0). */
  macro_f1: Unit,
});
export type OrdinalAgreement = z.infer<typeof OrdinalAgreement>;

/** Summaries written before declared tasks held `{unparsable, <label>: {...}, <group>: {<label>: {...}}}`: read them as `labels`. */
function legacyAgreement(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || 'labels' in v) return v;
  const { unparsable, ...rest } = v as Record<string, unknown>;
  const labels: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(rest)) {
    if (x !== null && typeof x === 'object' && !('confusion' in x)) Object.assign(labels, x);
    else labels[k] = x;
  }
  return { unparsable, labels };
}

/**
 * Metrics over a set of score records: one (model, prompt version) group, or one model over all its groups.
 * Rates and agreement are over answered items (no request error); request errors are counted apart.
 */
export const SummaryMetrics = z.strictObject({
  /** Distinct items (one per (item, model, prompt version)). */
  items: z.number().int().nonnegative(),
  /** Items with an answer (no request error). The denominator of every rate below. */
  answered: z.number().int().nonnegative(),
  errors: z.strictObject({
    total: z.number().int().nonnegative(),
    by_kind: z.record(ErrorKind, z.number().int().nonnegative()),
  }),
  validity: z.strictObject({
    /** Mean of `json-strict`: the whole answer is one JSON object. null when that scorer did not run. */
    json_strict_rate: Unit,
    /** Mean of `json-recoverable`: a JSON object could be recovered from the answer. */
    json_recoverable_rate: Unit,
    /** Mean of `schema`: the recovered object meets the output contract (unparsable = 0). */
    schema_valid_rate: Unit,
    /** Parse class -> answered items (from the `json-strict` or `json-recoverable` label). */
    parse_classes: z.record(z.string(), z.number().int().nonnegative()),
    /** Instruction-following class (the `follows-instructions` label) -> answered items; empty when that scorer did not run. */
    instruction_classes: z.record(z.string(), z.number().int().nonnegative()),
    /** Most frequent first contract violation (`schema` reason), most frequent first, at most 5. */
    top_schema_violations: z.array(z.strictObject({ reason: z.string(), count: z.number().int().positive() })),
  }),
  /** Every scorer that ran, by id. */
  scorers: z.record(z.string(), ScorerSummary),
  agreement: z.preprocess(
    legacyAgreement,
    z.strictObject({
      /**
       * Answered items from which no JSON object could be recovered. They count as disagreement in every
       * label below (in `missing`, never right, the largest disagreement in kappa) and are reported here too,
       * so a model cannot raise its kappa by failing on hard items.
       */
      unparsable: z.number().int().nonnegative(),
      /** Every declared nominal and ordinal label of the task, by name, in declaration order. */
      labels: z.record(z.string(), OrdinalAgreement),
    }),
  ),
  /** Per dataset stratum (e.g. `hard`), over its answered items, sorted by name. An item may be in several strata. */
  strata: z.array(
    z.strictObject({
      name: z.string(),
      n: z.number().int().nonnegative(),
      exact: Unit,
      within_one: Unit,
      /** Mean of `schema` over the stratum's items; null when that scorer did not run. */
      schema_valid_rate: Unit,
    }),
  ),
  /** Items with a usable result: answered, contract-valid JSON, instructions followed, not about someone else (grounding). Rate over all items. */
  usable: z.strictObject({ count: z.number().int().nonnegative(), rate: Unit }),
  /** Token counts over answered items, sent or cached (a property of the answers, not of the server's speed). */
  tokens: z.strictObject({
    mean_prompt: z.number().nonnegative().nullable(),
    mean_completion: z.number().nonnegative().nullable(),
  }),
  /**
   * Speed over requests actually sent (vLLM bench definitions: throughput = successful sent requests or their tokens / wall seconds).
   * When nothing was sent (all answers from the cache) every rate is null and `cached_only` is true.
   */
  speed: z.strictObject({
    cached_only: z.boolean(),
    /** Sum of the timing segments' wall time; null without timing lines. */
    wall_ms: z.number().nonnegative().nullable(),
    /** From timing.jsonl, summed over segments (a resumed run appends segments). */
    sent: z.number().int().nonnegative(),
    cached: z.number().int().nonnegative(),
    retries: z.number().int().nonnegative(),
    /** Successful sent requests (the numerator of the rates). */
    succeeded: z.number().int().nonnegative(),
    requests_per_s: z.number().nonnegative().nullable(),
    output_tokens_per_s: z.number().nonnegative().nullable(),
    /** (prompt + completion tokens) / wall seconds. */
    total_tokens_per_s: z.number().nonnegative().nullable(),
    /** Answered items / items (cached answers count as answered). */
    success_rate: Unit,
    /** End-to-end latency of successful sent requests (vLLM's E2EL). */
    latency_ms: Distribution.nullable(),
    /** Time to first token of streamed sent requests. */
    ttft_ms: Distribution.nullable(),
    /** Time per output token after the first: (latency - TTFT) / (completion tokens - 1), per request (vLLM's TPOT). */
    tpot_ms: Distribution.nullable(),
    /** Inter-token latency: gaps between streamed chunks, pooled over requests (log histogram, ~2% resolution). */
    itl_ms: Distribution.nullable(),
    server: ServerCounters.nullable(),
    /**
     * Against qualbench's simulator: the figures in simulated (GPU) time, from the simulator's own clock
     * read before and after every segment. null for a real server, an instant simulator, or a simulator
     * without a clock on /metrics. Absent in older summaries.
     */
    simulated: SimulatedSpeed.nullable().optional(),
    /**
     * The harness's event-loop delay (ms): mean weighted by wall time, largest p99 and max over segments;
     * `wait` (newer runs), weighted the same way: how late the harness read an answer arriving at a random moment.
     */
    event_loop_delay_ms: z.strictObject({ mean: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative(), wait: z.number().nonnegative().optional() }).nullable().optional(),
    /** Whether these speed figures can be trusted, and if not why. Absent in older summaries. */
    validity: SpeedValidity.optional(),
  }),
  cost: Cost,
});
export type SummaryMetrics = z.infer<typeof SummaryMetrics>;

export const GroupSummary = z.strictObject({
  model: z.string(),
  model_label: z.string(),
  prompt_version: z.string(),
  ...SummaryMetrics.shape,
});
export type GroupSummary = z.infer<typeof GroupSummary>;

export const ModelSummary = z.strictObject({
  model: z.string(),
  model_label: z.string(),
  prompt_versions: z.array(z.string()),
  ...SummaryMetrics.shape,
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/** One simulated policy of a cascade, over the items both models answered or failed. */
export const CascadePolicy = z.strictObject({
  /** `screen-only`, `escalate-only` (the baselines), `unusable`, `maybe-or-better`, `top-k`. */
  policy: z.string(),
  description: z.string(),
  /** Items sent on to the escalation model / items. */
  escalated: Unit,
  usable_rate: Unit,
  exact: Unit,
  within_one: Unit,
  kappa: z.number().min(-1).max(1).nullable(),
  kappa_ci: Interval,
  /** Server hours for 200,000 candidates (GPU-equivalent), one model after the other. */
  hours_per_200k: z.number().nonnegative().nullable(),
  /** Self-hosted USD per 1K candidates; null without GPU prices for both models. */
  self_hosted_usd_per_1k: z.number().nonnegative().nullable(),
  /** Hosted USD per 1K candidates with each model's first hosted price; null without them. */
  hosted_usd_per_1k: z.number().nonnegative().nullable(),
  /** 1 - this policy's cost / the escalation model's alone (self-hosted, else hosted, else time). */
  saving_vs_escalate: z.number().nullable(),
});
export type CascadePolicy = z.infer<typeof CascadePolicy>;

export const CascadeSummary = z.strictObject({
  screen: z.string(),
  screen_label: z.string(),
  escalate: z.string(),
  escalate_label: z.string(),
  prompt_version: z.string(),
  /** Items present for both models. */
  items: z.number().int().nonnegative(),
  /** What saving_vs_escalate compares: `self-hosted`, `hosted` or `time`. */
  saving_basis: z.enum(['self-hosted', 'hosted', 'time']).nullable(),
  policies: z.array(CascadePolicy),
});
export type CascadeSummary = z.infer<typeof CascadeSummary>;

/** One failed answer for the failure gallery. `excerpt` is the model's untrusted text. */
export const FailureExample = z.strictObject({
  model: z.string(),
  model_label: z.string(),
  prompt_version: z.string(),
  item_id: z.string(),
  /** What went wrong: `instruction`, `parse`, `schema` or `disagreement`. */
  kind: z.enum(['instruction', 'parse', 'schema', 'disagreement']),
  /** The failure class (instruction or parse class, or `off by N`). */
  class: z.string(),
  reason: z.string(),
  gold: z.string(),
  predicted: z.string().nullable(),
  excerpt: z.string(),
});
export type FailureExample = z.infer<typeof FailureExample>;

/** Where a run was measured: compared runs that differ here are labelled as such. */
export const RunEnvironment = z.strictObject({
  node_version: z.string(),
  sampling: SamplingParams,
  stream: z.boolean().nullable(),
  models: z.array(
    z.strictObject({
      id: z.string(),
      label: z.string(),
      /** The server's address without credentials. */
      base_url: z.string(),
      concurrency: z.union([z.number().int(), z.literal('auto')]),
      vllm_version: z.string().nullable(),
      max_model_len: z.number().int().nullable(),
      simulator_speed: z.union([z.number(), z.literal('instant')]).nullable(),
      server_notes: z.string().nullable(),
      extra_body: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});
export type RunEnvironment = z.infer<typeof RunEnvironment>;

/**
 * Whether the run's figures can carry a verdict, listed first in every report and checked by `gate` and
 * `baseline update`: every expected item recorded and answered, answers from one server per group.
 */
export const RunTrust = z.strictObject({
  /** Every expected (model, prompt version, item) has an answer: nothing missing, nothing failed. */
  complete: z.boolean(),
  /** Requests the run was planned to make (models x prompt versions x decoding modes x items). */
  expected: z.number().int().nonnegative(),
  /** Results on record (answered or failed). */
  recorded: z.number().int().nonnegative(),
  /** Results that ended in an error after retries. */
  errored: z.number().int().nonnegative(),
  /** Expected but never recorded (a killed or interrupted run). */
  missing: z.number().int().nonnegative(),
  groups: z.array(
    z.strictObject({
      model: z.string(),
      prompt_version: z.string(),
      expected: z.number().int().nonnegative(),
      recorded: z.number().int().nonnegative(),
      errored: z.number().int().nonnegative(),
      missing: z.number().int().nonnegative(),
      /** The first error's kind, status and message, for the cause. */
      first_error: z.string().nullable(),
      /** Where the answers came from: one line per (how, server). */
      sources: z.array(
        z.strictObject({
          /** `sent` to the server, `cached` from the store (of that same server), `imported` from a file. */
          how: z.enum(['sent', 'cached', 'imported']),
          server: z.string(),
          label: z.string(),
          count: z.number().int().nonnegative(),
        }),
      ),
      /**
       * Against qualbench's simulator: of the answers sent with a GPU-equivalent latency (`measured`), how many took
       * longer than the per-request timeout (`timeout_ms`) in simulated time (`over`): on the modelled GPU they would
       * have timed out. Absent for other servers and older runs.
       */
      gpu_timeouts: z.strictObject({ timeout_ms: z.number().positive(), measured: z.number().int().nonnegative(), over: z.number().int().nonnegative(), max_ms: z.number().nonnegative() }).optional(),
    }),
  ),
  /** What a reader must know before trusting any figure below, most serious first. Empty: nothing to warn about. */
  warnings: z.array(z.string()),
});
export type RunTrust = z.infer<typeof RunTrust>;

/** `summary.json`: written by aggregate, read by report and gates. Described by schemas/summary.schema.json. */
export const Summary = z.strictObject({
  schema_version: z.literal(1),
  created_at: z.string(),
  run: z.strictObject({
    created_at: z.string(),
    qualbench_version: z.string(),
    git_commit: z.string().nullable(),
  }),
  eval: RunManifest.shape.eval,
  dataset: RunManifest.shape.dataset,
  prompt: RunManifest.shape.prompt,
  scorers: z.array(z.string()),
  /** The task's labels as the run declared them (reports read names, kinds and scales here). Absent in older summaries. */
  task: z
    .strictObject({
      name: z.string(),
      primary_label: z.string(),
      labels: z.array(z.strictObject({ name: z.string(), kind: z.enum(['ordinal', 'nominal']), scale: z.array(z.string()) })),
    })
    .optional(),
  /** Seed of the bootstrap intervals. */
  seed: z.number().int(),
  bootstrap_resamples: z.number().int().nonnegative(),
  environment: RunEnvironment,
  /** Completeness and provenance; absent in summaries written before it existed. */
  trust: RunTrust.optional(),
  groups: z.array(GroupSummary),
  models: z.array(ModelSummary),
  cascades: z.array(CascadeSummary),
  /** A bounded, deterministic selection of failed answers per group (for the report's gallery). */
  examples: z.array(FailureExample),
  /**
   * Whether the run's speed figures (throughput, latency, cost per usable result, hours) can be trusted:
   * false when any group's cannot, with one reason per group (`<model> <prompt version>: why`). Against
   * the simulator: its clock was missing, or requests spent too little of their time in the simulated
   * engine (the host could not keep it full at the chosen speed). Absent in older summaries.
   */
  speed_validity: SpeedValidity.optional(),
  /** The decision the report answers first (absent in older summaries, and when the run has no group with a quality figure). */
  decision: DecisionSummary.optional(),
});
export type Summary = z.infer<typeof Summary>;
