/**
 * Records of one run: requests (render -> run), results (run -> score), scores (score -> aggregate),
 * timing, the manifest and the run directory's file names.
 */
import { z } from 'zod';
import { CascadeSpec, DecisionSpec, Pricing, SamplingParams } from './config-records.ts';
import { LogHistogram } from './log-histogram.ts';
import { Gates } from './gate-records.ts';

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
/** Response header in which qualbench's simulator sends a request's end-to-end latency in simulated (GPU) time, ms. */
export const GPU_LATENCY_HEADER = 'x-qualbench-sim-e2e-ms';
/** Field of a streamed usage chunk in which the simulator sends the same: `{"qualbench_sim": {"e2e_ms": 1234}}`. */
export const GPU_LATENCY_FIELD = 'qualbench_sim';

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
  /**
   * qualbench's simulator only: the successful attempt's end-to-end latency on the modelled GPU (simulated
   * time, ms; the simulator sends it beside the answer). Real time runs faster than simulated time, so the
   * client's timeout is compared with this, not with `latency_ms`.
   */
  gpu_latency_ms: z.number().nonnegative().optional(),
  /** `gpu_latency_ms` exceeded the per-request timeout: on the modelled GPU this request would have timed out. */
  gpu_timed_out: z.boolean().optional(),
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
   * late it read answers and sent the next request. Absent in older runs. `wait` (newer runs): how late
   * an answer arriving at a random moment was read, E[d²] ÷ 2E[interval] over the sampler's intervals
   * (a delay d blocks d of the interval, and an arrival in it waits d/2 on average); the mean alone
   * under-weights long stalls, which take one sample however long they last.
   */
  event_loop_delay_ms: z
    .strictObject({ mean: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative(), wait: z.number().nonnegative().optional() })
    .optional(),
  /**
   * qualbench's simulator only: of the answers received with a GPU-equivalent latency (`measured`), how many
   * took longer than the per-request timeout (`timeout_ms`) in simulated time (`over`), and the longest.
   */
  gpu_timeouts: z.strictObject({ timeout_ms: z.number().positive(), measured: z.number().int().nonnegative(), over: z.number().int().nonnegative(), max_ms: z.number().nonnegative() }).optional(),
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
  /** The eval's gates when the run started: `gate` judges the run by them. Absent in older runs (and evals without gates). */
  gates: Gates.optional(),
  /** Cascades to simulate from the eval definition (absent: none). */
  cascades: z.array(CascadeSpec).optional(),
  /** The eval's decision block (absent: the report picks its default question). */
  decision: DecisionSpec.optional(),
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
