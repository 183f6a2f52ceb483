/**
 * Every record that crosses a stage boundary, as a zod schema. Types come from `z.infer`.
 *
 * The pipeline walks once: load -> render -> run -> score -> aggregate -> report.
 * Each stage writes what it produced (JSONL/JSON) into the run directory using these shapes,
 * so a later stage can be re-run from disk without calling a model.
 */
import { z } from 'zod';
import { LogHistogram } from './log-histogram.ts';
import { Gates } from './gate-records.ts';

// ---------------------------------------------------------------------------
// The output contract's vocabularies (ordinal scales, best first).
// ---------------------------------------------------------------------------

/** Overall recommendation, best to worst. Index 0 is best. */
export const RECOMMENDATIONS = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] as const;
export const Recommendation = z.enum(RECOMMENDATIONS);
export type Recommendation = z.infer<typeof Recommendation>;

/** Rating of one dimension, best to worst. Index 0 is best. */
export const RATINGS = ['Great', 'Good', 'Okay', 'Weak'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

/** The four rated dimensions of the contract, in contract order. */
export const DIMENSIONS = [
  'educational_pedigree',
  'company_pedigree',
  'trajectory',
  'is_software_engineer',
] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;

// ---------------------------------------------------------------------------
// Dataset rows (load -> render, load -> score).
// ---------------------------------------------------------------------------

/** `YYYY-MM`, e.g. `2019-06`. */
const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM, e.g. 2019-06');

export const Education = z.strictObject({
  school: z.string().min(1),
  degree: z.string().min(1),
  field: z.string().min(1),
  start_year: z.number().int().min(1950).max(2100),
  end_year: z.number().int().min(1950).max(2100).nullable(),
});
export type Education = z.infer<typeof Education>;

export const Experience = z.strictObject({
  company: z.string().min(1),
  title: z.string().min(1),
  start: YearMonth,
  /** null while the candidate is still in the role. */
  end: YearMonth.nullable(),
  description: z.string(),
});
export type Experience = z.infer<typeof Experience>;

/** A (synthetic) candidate profile: what the prompt shows the model. */
export const CandidateProfile = z.strictObject({
  name: z.string().min(1),
  headline: z.string().optional(),
  location: z.string().optional(),
  education: z.array(Education),
  experience: z.array(Experience),
  skills: z.array(z.string()),
});
export type CandidateProfile = z.infer<typeof CandidateProfile>;

/** Human (gold) labels for one profile. */
export const GoldLabel = z.strictObject({
  recommendation: Recommendation,
  analysis: z.strictObject({
    educational_pedigree: Rating,
    company_pedigree: Rating,
    trajectory: Rating,
    is_software_engineer: Rating,
  }),
  /** One to three sentences a good answer would say. */
  rationale: z.string().min(1),
  /** Facts from the profile a good answer should cite (school, company, title...). */
  key_facts: z.array(z.string()),
  /** Why the label is what it is (required for the hand-written hard subset). */
  note: z.string().optional(),
});
export type GoldLabel = z.infer<typeof GoldLabel>;

const ItemId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'ids are 1-128 characters of A-Z a-z 0-9 . _ -');

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

/** One line of the candidate-screening dataset (the public API's row type; runs read any task's rows as ItemRow). */
export const DatasetRow = z.strictObject({
  id: ItemId,
  candidate: CandidateProfile,
  gold: GoldLabel,
  /** Slices to report metrics by, e.g. `hard`, `career-changer`, `bootcamp`. */
  strata: z.array(z.string()).default([]),
});
export type DatasetRow = z.infer<typeof DatasetRow>;

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
});
export type EvalDefinition = z.infer<typeof EvalDefinition>;

// ---------------------------------------------------------------------------
// render -> run
// ---------------------------------------------------------------------------

export const ChatMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** One request to send: an item rendered with one prompt version for one model. */
export const RenderedRequest = z.strictObject({
  /** Canonical hash of (model id, messages, sampling params, extra body): the store key. */
  key: z.string().regex(/^[0-9a-f]{64}$/),
  item_id: z.string(),
  model: z.string(),
  prompt_version: z.string(),
  messages: z.array(ChatMessage),
  params: SamplingParams,
  extra_body: z.record(z.string(), z.unknown()).optional(),
});
export type RenderedRequest = z.infer<typeof RenderedRequest>;

// ---------------------------------------------------------------------------
// run -> score
// ---------------------------------------------------------------------------

export const Usage = z.strictObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** What the server answered, as stored (content-addressed by request key). */
export const ModelResponse = z.strictObject({
  content: z.string(),
  /** Separated reasoning (`message.reasoning`), when the server runs a reasoning parser. */
  reasoning: z.string().nullable().default(null),
  finish_reason: z.string().nullable(),
  usage: Usage,
  /** Server-reported model id. */
  model: z.string(),
});
export type ModelResponse = z.infer<typeof ModelResponse>;

export const ErrorKind = z.enum([
  'http', // non-retryable HTTP status (400, 401, 404...)
  'rate-limit', // 429 after the retry budget
  'server', // 5xx after the retry budget
  'timeout', // per-request timeout after the retry budget
  'connection', // refused / reset after the retry budget
  'invalid-response', // 200 with a body we could not read
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const RequestError = z.strictObject({
  kind: ErrorKind,
  status: z.number().int().nullable(),
  message: z.string(),
});
export type RequestError = z.infer<typeof RequestError>;

/** One line of `results.jsonl`: the final outcome of one request. Exactly one per (item, model, version). */
export const ResultRecord = z.strictObject({
  key: z.string(),
  item_id: z.string(),
  model: z.string(),
  prompt_version: z.string(),
  /** `cached`: answered from the store, nothing sent. */
  source: z.enum(['sent', 'cached']),
  response: ModelResponse.nullable(),
  error: RequestError.nullable(),
  attempts: z.number().int().nonnegative(),
  /** End-to-end latency of the successful attempt (ms); null when cached or failed. */
  latency_ms: z.number().nonnegative().nullable(),
  /** Time to first token of the successful attempt (ms), when streamed. */
  ttft_ms: z.number().nonnegative().nullable().optional(),
  /**
   * Identity of the server that answered (src/core/server-identity.ts; for `cached`, the server whose
   * answer the store held: the same identity, by construction of the store key), or `imported:<file>`.
   * Absent in older runs.
   */
  server: z.string().optional(),
  /** The answer was asked for without streaming because the server could not stream. */
  stream_fallback: z.boolean().optional(),
  started_at: z.string(),
  finished_at: z.string(),
});
export type ResultRecord = z.infer<typeof ResultRecord>;

// ---------------------------------------------------------------------------
// score -> aggregate
// ---------------------------------------------------------------------------

/**
 * One scorer's verdict on one item. One scale: `score` in [0, 1], or null = unscored
 * (with a `reason`). Metrics skip nulls. `label` names what was found (e.g. a parse class).
 */
export const Score = z.strictObject({
  score: z.number().min(0).max(1).nullable(),
  label: z.string().optional(),
  reason: z.string().optional(),
});
export type Score = z.infer<typeof Score>;

/**
 * Older runs nested labels (`{"a": "x", "group": {"b": "y"}}`); today they are flat by declared label
 * name (`{"a": "x", "b": "y"}`). Flattening one level reads both.
 */
export function flattenLabels(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) Object.assign(out, x);
    else out[k] = x;
  }
  return out;
}

/** Labels by declared name (the task's nominal and ordinal labels): the value on its scale, or null when missing. */
export const LabelValues = z.preprocess(flattenLabels, z.record(z.string(), z.string().nullable()));
export type LabelValues = z.infer<typeof LabelValues>;

/** Labels predicted by the model, by declared label name, when its answer could be read. */
export const Prediction = LabelValues;
export type Prediction = z.infer<typeof Prediction>;

/** One line of `scores.jsonl`. */
export const ScoreRecord = z.strictObject({
  key: z.string(),
  item_id: z.string(),
  model: z.string(),
  prompt_version: z.string(),
  strata: z.array(z.string()),
  /** The request failed: no answer to score (scores are then all unscored, except where a scorer says otherwise). */
  request_error: RequestError.nullable(),
  scores: z.record(z.string(), Score),
  prediction: Prediction.nullable(),
  /** How the answer parsed (src/score/parse.ts): the class and one line of detail; null when the request failed. Absent in older runs. */
  parse: z.strictObject({ class: z.string(), detail: z.string() }).nullable().optional(),
  /** The gold labels by declared label name (older runs: nested, read flat). */
  gold: LabelValues,
  usage: Usage.nullable(),
  latency_ms: z.number().nullable(),
  /** Time to first token (ms) of a streamed sent request; absent otherwise. */
  ttft_ms: z.number().nonnegative().nullable().optional(),
  /** The start of the answer (at most 1,000 characters) when it failed a check: for the failure gallery. Untrusted text. */
  excerpt: z.string().optional(),
  source: z.enum(['sent', 'cached']),
  /** The result's `server` (who answered); absent in older runs. */
  server: z.string().optional(),
});
export type ScoreRecord = z.infer<typeof ScoreRecord>;

// ---------------------------------------------------------------------------
// The run directory
// ---------------------------------------------------------------------------

/** Wall-clock timing of one (model, prompt version) group, written by the runner to `timing.jsonl`. */
export const GroupTiming = z.strictObject({
  model: z.string(),
  prompt_version: z.string(),
  /** Requests actually sent in this segment (resumes append more segments). */
  sent: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  started_at: z.string(),
  finished_at: z.string(),
  wall_ms: z.number().nonnegative(),
  /** Pooled inter-token latency samples of this segment's streamed requests (vLLM's ITL). */
  itl: LogHistogram.optional(),
  /** With `concurrency: "auto"`: the limit at the end of the segment and the largest used. */
  concurrency: z.strictObject({ final: z.number().int(), peak: z.number().int() }).optional(),
  /**
   * The harness's own event-loop delay during the segment (perf_hooks.monitorEventLoopDelay, ms): how
   * late it read answers and sent the next request. Absent in older runs.
   */
  event_loop_delay_ms: z.strictObject({ mean: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative() }).optional(),
  /** Server counters read from /metrics before and after this segment, when the server exposes them. */
  server_metrics: z
    .strictObject({
      before: z.record(z.string(), z.number()),
      after: z.record(z.string(), z.number()),
    })
    .optional(),
});
export type GroupTiming = z.infer<typeof GroupTiming>;

/** `manifest.json`: what ran, enough to trust or reproduce a result later. */
export const RunManifest = z.strictObject({
  qualbench_version: z.string(),
  node_version: z.string(),
  created_at: z.string(),
  git_commit: z.string().nullable(),
  eval: z.strictObject({ name: z.string(), file: z.string(), sha256: z.string() }),
  /** The task declaration the run used. Absent in older runs (their task is the eval's name). */
  task: z.strictObject({ name: z.string(), file: z.string(), sha256: z.string() }).optional(),
  dataset: z.strictObject({
    name: z.string(),
    version: z.string(),
    sha256: z.string(),
    rows: z.number().int(),
    sample: z.number().int().nullable(),
    sample_seed: z.number().int(),
  }),
  prompt: z.strictObject({
    name: z.string(),
    versions: z.array(z.strictObject({ version: z.string(), sha256: z.string() })),
  }),
  models: z.array(
    z.strictObject({
      id: z.string(),
      label: z.string(),
      base_url: z.string(),
      concurrency: z.union([z.number().int(), z.literal('auto')]),
      extra_body: z.record(z.string(), z.unknown()).optional(),
      server_notes: z.string().optional(),
      /** Copied from the models config; reports price the run with it (a later `qualbench report --prices` may override). */
      pricing: Pricing.optional(),
      /** The launch command qualbench ran for this model (secrets redacted). */
      launch_command: z.string().optional(),
      /** Replicas the requests were spread over (base URLs). */
      replicas: z.array(z.string()).optional(),
      server: z
        .strictObject({
          vllm_version: z.string().nullable(),
          max_model_len: z.number().int().nullable(),
          root: z.string().nullable(),
          /** Set when the server is qualbench's simulator: its time runs `speed` times faster than the modelled GPU. */
          simulator: z.looseObject({ speed: z.union([z.number().positive(), z.literal('instant')]) }).nullable().optional(),
          /** What served the answers (src/core/server-identity.ts): the store is keyed by it. Absent in older runs. */
          identity: z.string().optional(),
          identity_label: z.string().optional(),
        })
        .optional(),
      /** Servers that answered earlier parts of this run (a resume found a different server). */
      previous_servers: z.array(z.strictObject({ identity: z.string(), identity_label: z.string() })).optional(),
    }),
  ),
  sampling: SamplingParams,
  /** Streamed (TTFT, TPOT, ITL measured). Absent in older runs. */
  stream: z.boolean().optional(),
  /** Cascades to simulate from the eval definition (absent: none). */
  cascades: z.array(CascadeSpec).optional(),
  scorers: z.array(z.string()),
  requests: z.number().int(),
  /** Items each (model, prompt version) group is meant to answer when that is not the sample: an import covers the items its file holds. */
  items_per_group: z.number().int().nonnegative().optional(),
});
export type RunManifest = z.infer<typeof RunManifest>;

/** File names inside a run directory: one owner for them. */
export const RUN_FILES = {
  manifest: 'manifest.json',
  requests: 'requests.jsonl',
  results: 'results.jsonl',
  timing: 'timing.jsonl',
  scores: 'scores.jsonl',
  summary: 'summary.json',
  report: 'report.md',
  html: 'report.html',
  lock: '.lock',
} as const;

// ---------------------------------------------------------------------------
// aggregate -> report: `summary.json`
// ---------------------------------------------------------------------------

/** A rate or score on the one scale, [0, 1]; null = nothing to measure it on. */
const Unit = z.number().min(0).max(1).nullable();

/** A 95% interval (bootstrap percentile), or null when there are too few items. */
export const Interval = z.strictObject({ lo: z.number(), hi: z.number() }).nullable();
export type Interval = z.infer<typeof Interval>;

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

/** A latency distribution in ms, with vLLM bench's statistics (median = p50). */
export const Distribution = z.strictObject({
  n: z.number().int().nonnegative(),
  mean: z.number().nonnegative(),
  p50: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  p99: z.number().nonnegative(),
});
export type Distribution = z.infer<typeof Distribution>;

/**
 * The server's own counters (vLLM /metrics, read before and after each segment; deltas summed) beside
 * the harness's sums over the same requests: a cross-check that the figures above measure what the server did.
 */
export const ServerCounters = z.strictObject({
  prompt_tokens: z.number().nullable(),
  generation_tokens: z.number().nullable(),
  requests_finished: z.number().nullable(),
  preemptions: z.number().nullable(),
  /** Largest KV-cache usage (0..1) read after a segment. */
  kv_cache_usage_max: z.number().nullable(),
  /** Prefix-cache hits / queries over the run, when the server counts them. */
  prefix_cache_hit_rate: z.number().nullable(),
  harness: z.strictObject({ prompt_tokens: z.number(), completion_tokens: z.number(), requests: z.number() }),
  /** Server and harness token counts agree within 1% (retried requests the server finished can make the server's larger). */
  agrees: z.boolean().nullable(),
});
export type ServerCounters = z.infer<typeof ServerCounters>;

/**
 * Speed figures in the simulator's simulated time. `virtual_s` is the simulated seconds its engine had
 * work over the segments (what a GPU's wall clock shows from a batch's first request to its last
 * answer); rates are the sent requests (and their tokens) over it.
 */
export const SimulatedSpeed = z.strictObject({
  /** The speed the simulator's clock was set to for this model. */
  nominal_speed: z.number().positive(),
  /** Simulated (busy) seconds per wall second of the harness over these segments: GPU-equivalent = measured ÷ this. */
  effective_speed: z.number().nonnegative().nullable(),
  virtual_s: z.number().nonnegative(),
  /** Share of the simulator's real time not turned into simulated time (its timer ran late: host CPU). */
  lag_share: z.number().min(0).max(1).nullable(),
  /** Share of the simulator's real time its clock held still waiting for the client to refill freed slots. */
  held_share: z.number().min(0).max(1).nullable(),
  /**
   * Simulated time requests spent in the engine / (that + simulated time freed slots waited for the
   * client's next request). Below 1 by the share the host's client turnaround (HTTP, its event loop,
   * CPU contention) left the simulated GPU short of work beyond what the held clock absorbed.
   */
  engine_share: z.number().min(0).max(1).nullable(),
  /** One tick of the simulator's timer in simulated seconds (its real interval × speed). */
  tick_s: z.number().nonnegative().nullable(),
  /** Mean end-to-end latency by the engine's own clock (simulated seconds, from /metrics). */
  engine_mean_latency_s: z.number().nonnegative().nullable(),
  /** The harness's mean latency × effective_speed: must agree with the engine's for latency figures to mean anything. */
  harness_mean_latency_s: z.number().nonnegative().nullable(),
  requests_per_s: z.number().nonnegative().nullable(),
  output_tokens_per_s: z.number().nonnegative().nullable(),
  total_tokens_per_s: z.number().nonnegative().nullable(),
});
export type SimulatedSpeed = z.infer<typeof SimulatedSpeed>;

/** Whether speed figures can be trusted: `valid` false with the reasons when not. */
export const SpeedValidity = z.strictObject({
  valid: z.boolean(),
  reasons: z.array(z.string()),
});
export type SpeedValidity = z.infer<typeof SpeedValidity>;

/** Projected size of a screening batch. */
export const PROJECTION_SIZES = [100_000, 200_000, 1_000_000] as const;

/**
 * What the answers cost. A usable result is an answered item whose JSON meets the contract and that
 * followed the instructions. Time is GPU-equivalent: measured throughput ÷ the simulator's (effective) speed factor.
 */
export const Cost = z.strictObject({
  /** Requests per second the cost is based on (GPU-equivalent); null when nothing was sent or the simulator was instant. */
  requests_per_s: z.number().nonnegative().nullable(),
  /**
   * What the measurement was divided by to get GPU-equivalent time: against a simulator with a clock, the
   * speed it actually ran at (simulated busy seconds ÷ wall seconds, `speed.simulated.effective_speed`),
   * else its nominal speed; null for a real server.
   */
  speed_factor: z.number().positive().nullable(),
  usable_rate: Unit,
  /** Seconds of server time per usable result. */
  seconds_per_usable: z.number().nonnegative().nullable(),
  self_hosted: z
    .strictObject({
      gpu: z.string().nullable(),
      gpu_per_hour: z.number().nonnegative(),
      usd_per_1k_requests: z.number().nonnegative().nullable(),
      usd_per_1k_usable: z.number().nonnegative().nullable(),
    })
    .nullable(),
  hosted: z.array(
    z.strictObject({
      provider: z.string(),
      usd_per_1k_requests: z.number().nonnegative().nullable(),
      usd_per_1k_usable: z.number().nonnegative().nullable(),
    }),
  ),
  projections: z.array(
    z.strictObject({
      candidates: z.number().int().positive(),
      hours: z.number().nonnegative().nullable(),
      usable: z.number().nonnegative().nullable(),
      self_hosted_usd: z.number().nonnegative().nullable(),
      hosted_usd: z.array(z.strictObject({ provider: z.string(), usd: z.number().nonnegative().nullable() })),
    }),
  ),
});
export type Cost = z.infer<typeof Cost>;

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
  /** Items with a usable result: answered, contract-valid JSON, instructions followed. Rate over all items. */
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
    /** The harness's event-loop delay (ms): mean weighted by wall time, largest p99 and max over segments. */
    event_loop_delay_ms: z.strictObject({ mean: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative() }).nullable().optional(),
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
});
export type Summary = z.infer<typeof Summary>;
