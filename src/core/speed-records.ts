/**
 * Speed and cost figures of `summary.json`: latency distributions, the server's counters, simulated-time
 * speed, speed validity and cost per usable result.
 */
import { z } from 'zod';

/** A rate or share on the one scale, [0, 1]; null = nothing to measure it on. */
const Unit = z.number().min(0).max(1).nullable();

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
  /**
   * The server's own mean end-to-end latency in ms: Δ`vllm:e2e_request_latency_seconds_sum` ÷ Δ requests
   * finished over the segments (by the simulator's clock against qualbench's simulator). Against a real
   * server, compared with `latency_ms.mean` (CLIENT OVERHEAD). Absent without the series (and in older summaries).
   */
  e2e_mean_latency_ms: z.number().nonnegative().nullable().optional(),
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
  /**
   * Harness-measured ms × this = GPU-equivalent ms: the engine's mean latency ÷ the harness's real mean.
   * Reports scale TTFT, TPOT, ITL and E2EL by it (the effective speed would skew them when the host held
   * the clock back unevenly).
   */
  latency_scale: z.number().nonnegative().nullable(),
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
