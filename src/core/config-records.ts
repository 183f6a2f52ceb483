/**
 * Configuration records: sampling, prices, models, evals (files a user writes).
 */
import { z } from 'zod';
import { Gates } from './gate-records.ts';

// ---------------------------------------------------------------------------
// Configuration: models and evals.
// ---------------------------------------------------------------------------

/** Sampling parameters sent with every request; part of the request hash. */
export const SamplingParams = z.strictObject({
  temperature: z.number().min(0).max(2).default(0),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().positive().default(768),
  seed: z.number().int().optional(),
});
export type SamplingParams = z.infer<typeof SamplingParams>;

/** A hosted API offering this model, priced per token (input and output separately). */
export const HostedPrice = z.strictObject({
  /** Who sells it, e.g. "Provider X (serverless)". */
  provider: z.string().min(1),
  /** USD per 1M input (prompt) tokens. */
  input_per_mtok: z.number().nonnegative(),
  /** USD per 1M output (completion) tokens. */
  output_per_mtok: z.number().nonnegative(),
});
export type HostedPrice = z.infer<typeof HostedPrice>;

/**
 * Prices for the cost figures. Self-hosted: the GPU's hourly price x the measured time per request.
 * Hosted: the same model on an API, priced by the tokens this run's answers used. Either or both.
 */
export const Pricing = z.strictObject({
  self_hosted: z
    .strictObject({
      /** USD per GPU hour (e.g. a 16 GB cloud GPU on demand). */
      gpu_per_hour: z.number().nonnegative(),
      /** What the price is for, shown in reports. */
      gpu: z.string().optional(),
    })
    .optional(),
  hosted: z.array(HostedPrice).optional(),
  /** Where the prices come from and when (shown in reports). */
  source: z.string().optional(),
});
export type Pricing = z.infer<typeof Pricing>;

/** `qualbench report --prices FILE`: prices by model id or label, replacing the ones a run recorded. */
export const PricesFile = z.strictObject({
  models: z.record(z.string(), Pricing),
});
export type PricesFile = z.infer<typeof PricesFile>;

export const ModelConfig = z.strictObject({
  /** The served model id, exactly as `GET /v1/models` lists it. */
  id: z.string().min(1),
  /** Short human label for reports; defaults to the id. */
  label: z.string().optional(),
  /** OpenAI-compatible base URL ending in /v1. Defaults to VLLM_BASE_URL, else http://localhost:8000/v1. */
  base_url: z.string().url().optional(),
  /**
   * Several OpenAI-compatible base URLs serving this model (vLLM replicas on several GPUs or machines),
   * used as one: each request goes to the healthy replica with the fewest in flight. Overrides `base_url`;
   * `concurrency` is per replica.
   */
  replicas: z.array(z.string().url()).min(1).optional(),
  /** Name of the environment variable that holds the API key (never the key itself). */
  api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  /**
   * Requests in flight against this endpoint, or `auto` (the default): start at 64 and follow the
   * server's running/waiting gauges on /metrics so it stays full without a queue (see README).
   */
  concurrency: z.union([z.number().int().min(1).max(4096), z.literal('auto')]).optional(),
  /** Extra request body fields (vLLM extensions), e.g. `{"chat_template_kwargs": {"enable_thinking": false}}`. Part of the request hash. */
  extra_body: z.record(z.string(), z.unknown()).optional(),
  pricing: Pricing.optional(),
  /**
   * Start this model's server for its turn and stop it afterwards (an unattended matrix on one GPU):
   * qualbench runs the command, waits for GET /health on `base_url`'s server, runs, then stops it.
   */
  launch: z
    .strictObject({
      /** argv (no shell), e.g. ["vllm", "serve", "google/gemma-3-4b-it", "--port", "8000"], or one shell string. */
      command: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]),
      /** Seconds to wait for /health (loading weights takes minutes). @default 900 */
      ready_timeout_s: z.number().positive().default(900),
      /** Seconds between SIGTERM and SIGKILL when stopping. @default 30 */
      stop_grace_s: z.number().nonnegative().default(30),
      env: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  /** Free-form notes about the server (GPU, gpu_memory_utilization, enforce_eager), copied into the manifest. */
  server_notes: z.string().optional(),
});
export type ModelConfig = z.infer<typeof ModelConfig>;

export const ModelsFile = z.strictObject({
  models: z.array(ModelConfig).min(1),
});
export type ModelsFile = z.infer<typeof ModelsFile>;

/** A cascade to simulate: answer with `screen`, send some items on to `escalate` (model ids or labels). */
export const CascadeSpec = z.strictObject({
  screen: z.string().min(1),
  escalate: z.string().min(1),
  /** The `top-k` policy escalates the screen model's best-rated this fraction of items (0..1). @default 0.2 */
  top_fraction: z.number().gt(0).max(1).default(0.2),
});
export type CascadeSpec = z.infer<typeof CascadeSpec>;

/** One model at one prompt version, by model id or label. */
export const DecisionArm = z.strictObject({
  model: z.string().min(1),
  prompt_version: z.string().regex(/^v\d+(\+schema)?$/),
});
export type DecisionArm = z.infer<typeof DecisionArm>;

/**
 * The question the report answers first ("can we move from the incumbent to a candidate?"). Every field
 * is optional: without an incumbent the best-quality group is one; without candidates, the cheapest
 * group that meets the floors.
 */
export const DecisionSpec = z.strictObject({
  /** The question in the team's words, shown above the answer. */
  question: z.string().min(1).optional(),
  incumbent: DecisionArm.optional(),
  candidates: z.array(DecisionArm).min(1).optional(),
  /** Quality: agreement with gold on the task's primary label, as `kappa` or `exact` agreement. @default kappa */
  metric: z.enum(['kappa', 'exact']).default('kappa'),
  /** A difference inside ±margin (the whole 95% interval) is "no detectable difference". @default 0.05 */
  equivalence_margin: z.number().positive().max(1).default(0.05),
  /** The floors a candidate must meet to be worth switching to. */
  floors: z
    .strictObject({
      /** Minimum quality (same metric), e.g. 0.5 for kappa. */
      quality: z.number().min(-1).max(1).optional(),
      /** Minimum usable rate (0..1). */
      usable_rate: z.number().min(0).max(1).optional(),
      /** The floor's name, drawn on the frontier chart (e.g. "minimum for screening"). */
      name: z.string().min(1).optional(),
    })
    .default({}),
  /** Items the decision is about (hours and cost are projected for it). @default 200000 */
  workload: z.number().int().positive().default(200_000),
});
export type DecisionSpec = z.infer<typeof DecisionSpec>;

/** The decision's incumbent and candidates that name a model or prompt version the eval does not run, as `field: problem`. */
export function decisionArmProblems(def: { decision?: DecisionSpec | undefined; prompt_versions: string[] }, models: { id: string; label: string }[]): string[] {
  const d = def.decision;
  if (!d) return [];
  const arms = [...(d.incumbent ? [['incumbent', d.incumbent] as const] : []), ...(d.candidates ?? []).map((c, i) => [`candidates.${i}`, c] as const)];
  return arms.flatMap(([field, arm]) => {
    if (!models.some((m) => m.id === arm.model || m.label === arm.model)) return [`decision.${field}.model: \`${arm.model}\` is not among the models of this run`];
    if (!def.prompt_versions.includes(arm.prompt_version.replace(/\+schema$/, ''))) return [`decision.${field}.prompt_version: \`${arm.prompt_version}\` is not among the eval's prompt versions`];
    return [];
  });
}

/** `evals/<name>.json`. Paths are relative to the project root. */
export const EvalDefinition = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'eval names are lower-case kebab-case'),
  description: z.string().optional(),
  /** Dataset folder name under datasets/. */
  dataset: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** The task (tasks/<name>/task.json): item fields, output contract, labels and their scales. @default the eval's name */
  task: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
  /** Prompt folder name under prompts/. */
  prompt: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Prompt versions to run; every model runs every version. */
  prompt_versions: z.array(z.string().regex(/^v\d+$/)).min(1),
  /** Models config file, relative to the project root. */
  models: z.string().default('evals/models.json'),
  /** Model ids from the models config to run; default all. */
  model_ids: z.array(z.string()).optional(),
  scorers: z.array(z.string()).min(1),
  sampling: SamplingParams.default({ temperature: 0, max_tokens: 768 }),
  /** Default sample size (stratified, seeded); omitted = the whole dataset. */
  sample: z.number().int().positive().optional(),
  /** Seed for sampling and bootstrap statistics. */
  seed: z.number().int().default(1),
  /** Stream responses (SSE with usage) to measure TTFT, TPOT and ITL as `vllm bench serve` does. Not part of the request key. */
  stream: z.boolean().default(false),
  /**
   * Decoding modes to run each prompt version in. `json-schema` asks the server for constrained
   * decoding with the output contract (`response_format: json_schema`, which vLLM maps to structured
   * outputs; the removed `guided_json` would be silently ignored). Its groups are labelled `<version>+schema`,
   * side by side with the free ones, since constraint can fix validity while changing the ratings.
   */
  decoding: z.array(z.enum(['free', 'json-schema'])).min(1).default(['free']),
  /** Quality gates checked by `qualbench gate` and `eval --ci` (see README, CI gating). */
  gates: Gates.optional(),
  /** Screen-then-escalate policies simulated from per-item results (see README, Cascades). */
  cascades: z.array(CascadeSpec).optional(),
  /** The decision the report answers first (see README, Reports). */
  decision: DecisionSpec.optional(),
});
export type EvalDefinition = z.infer<typeof EvalDefinition>;
