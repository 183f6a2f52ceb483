/**
 * Timing of a group summed over its segments in timing.jsonl, the server counters read around them, and
 * whether the speed figures drawn from them can be trusted (speed validity).
 */
import type { GroupTiming, SimulatedSpeed } from '../core/records.ts';
import { emptyHistogram, mergeHistograms, type LogHistogram } from '../core/log-histogram.ts';

/** Timing summed over a group's segments in timing.jsonl. */
export interface TimingTotals {
  wall_ms: number;
  sent: number;
  cached: number;
  retries: number;
  /** Pooled inter-token gaps; null when nothing was streamed. */
  itl: LogHistogram | null;
  /** Server counter deltas (after - before) summed over segments that had /metrics; null when none had. */
  counters: Record<string, number> | null;
  /** Largest KV-cache usage read after a segment. */
  kv_cache_usage_max: number | null;
  /** The simulator's clock speed and timer interval (real s) read after the segments (qualbench's simulator only). */
  sim_speed: number | null;
  sim_tick_seconds: number | null;
  /** Harness event-loop delay: wall-weighted mean, largest p99 and max. */
  event_loop_delay_ms: { mean: number; p99: number; max: number } | null;
}

/** Counters whose before/after difference is meaningful (gauges such as kv_cache_usage are not). */
const COUNTERS = [
  'prompt_tokens',
  'generation_tokens',
  'requests_finished',
  'preemptions',
  'prefix_cache_queries',
  'prefix_cache_hits',
  // qualbench's simulator: its clock (src/run/server-metrics.ts).
  'sim_virtual_seconds',
  'sim_busy_seconds',
  'sim_real_seconds',
  'sim_lag_seconds',
  'sim_engine_real_seconds',
  'sim_held_seconds',
  'sim_client_wait_seconds',
  'e2e_latency_seconds_sum',
];

/**
 * Against the simulator, speed figures are valid when slots were occupied at least this share of the
 * simulated time: Σ simulated time requests spent in the engine / (that + Σ simulated time freed slots
 * waited for the client's next request). The wait is host time the simulator's clock could not hold
 * for (a client stall beyond its grace); it lowers throughput about in proportion.
 */
export const MIN_ENGINE_SHARE = 0.9;

/**
 * Against the simulator, the harness's mean latency × the effective speed must agree with the engine's
 * own mean end-to-end latency in simulated time within this fraction. They agree within ~2% at a speed
 * an idle host holds, within ~20% when busy loops hold the clock back unevenly (reports then scale
 * latencies by `latency_scale`, calibrated to the engine's mean); at an impossible speed a request
 * lives a few ms of real time and the harness's own per-request time is most of what it measures.
 */
export const MAX_LATENCY_DISAGREEMENT = 0.5;

/**
 * Against the simulator, a request's mean life in the engine must span at least this many of the
 * simulator's timer ticks in simulated time (tick × speed). Engine progress and streamed chunks come
 * once a tick, so below it per-request times (TTFT, TPOT, ITL, latency percentiles) are mostly the
 * timer's quantization. At `--speed auto` a request spans hundreds of ticks.
 */
export const MIN_TICKS_PER_REQUEST = 20;

/** One timing.jsonl line as totals. */
export function timingTotals(t: GroupTiming): TimingTotals {
  let counters: Record<string, number> | null = null;
  let kv: number | null = null;
  let simSpeed: number | null = null;
  let simTick: number | null = null;
  if (t.server_metrics) {
    const { before, after } = t.server_metrics;
    counters = {};
    for (const c of COUNTERS) if (before[c] !== undefined && after[c] !== undefined) counters[c] = after[c]! - before[c]!;
    kv = after.kv_cache_usage ?? null;
    simSpeed = after.sim_speed ?? null;
    simTick = after.sim_tick_seconds ?? null;
  }
  return {
    wall_ms: t.wall_ms,
    sent: t.sent,
    cached: t.cached,
    retries: t.retries,
    itl: t.itl ?? null,
    counters,
    kv_cache_usage_max: kv,
    sim_speed: simSpeed,
    sim_tick_seconds: simTick,
    event_loop_delay_ms: t.event_loop_delay_ms ?? null,
  };
}

function addCounters(a: Record<string, number> | null, b: Record<string, number> | null): Record<string, number> | null {
  if (a === null) return b;
  if (b === null) return a;
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Sum two totals into a new one (the inputs are not changed). */
export function addTiming(a: TimingTotals | null, b: TimingTotals | null): TimingTotals | null {
  if (a === null) return b;
  if (b === null) return a;
  let itl: LogHistogram | null = null;
  if (a.itl || b.itl) {
    itl = emptyHistogram();
    if (a.itl) mergeHistograms(itl, a.itl);
    if (b.itl) mergeHistograms(itl, b.itl);
  }
  const kv = [a.kv_cache_usage_max, b.kv_cache_usage_max].filter((x): x is number => x !== null);
  const la = a.event_loop_delay_ms;
  const lb = b.event_loop_delay_ms;
  const wall = a.wall_ms + b.wall_ms;
  const loop =
    la && lb
      ? { mean: wall > 0 ? (la.mean * a.wall_ms + lb.mean * b.wall_ms) / wall : Math.max(la.mean, lb.mean), p99: Math.max(la.p99, lb.p99), max: Math.max(la.max, lb.max) }
      : (la ?? lb);
  return {
    wall_ms: wall,
    sent: a.sent + b.sent,
    cached: a.cached + b.cached,
    retries: a.retries + b.retries,
    itl,
    counters: addCounters(a.counters, b.counters),
    kv_cache_usage_max: kv.length ? Math.max(...kv) : null,
    sim_speed: b.sim_speed ?? a.sim_speed,
    sim_tick_seconds: b.sim_tick_seconds ?? a.sim_tick_seconds,
    event_loop_delay_ms: loop,
  };
}


/**
 * Whether speed figures can be trusted. A real server's wall clock is what it is (valid). Against the
 * simulator they need its clock (else they are wall time ÷ nominal speed, which counts the host's CPU as
 * GPU time), and the engine must have been kept full: requests in the simulated engine for at least
 * MIN_ENGINE_SHARE of the time the harness had them in flight.
 */
export function speedValidity(nominal: number | 'instant' | null, simulated: SimulatedSpeed | null): { valid: boolean; reasons: string[] } {
  if (nominal === null) return { valid: true, reasons: [] };
  if (nominal === 'instant') return { valid: false, reasons: ['the simulator ran in instant mode: speed figures measure the harness, not a model'] };
  if (!simulated) return { valid: false, reasons: [`the simulator's clock was not read from /metrics: figures are wall time ÷ ${nominal}, which counts the host's CPU time as GPU time`] };
  const reasons: string[] = [];
  const share = simulated.engine_share;
  if (share === null) reasons.push("the simulator's /metrics lacked its engine and client-wait series");
  else if (share < MIN_ENGINE_SHARE) {
    reasons.push(
      `the simulated engine's slots stood empty waiting for the client ${((1 - share) * 100).toFixed(1)}% of the time (at most ${Math.round((1 - MIN_ENGINE_SHARE) * 100)}% allowed): ` +
        `at speed ${simulated.nominal_speed} the host could not send requests fast enough to keep the simulated GPU full; use a lower --speed (or --speed auto)`,
    );
  }
  const e = simulated.engine_mean_latency_s;
  const h = simulated.harness_mean_latency_s;
  const tick = simulated.tick_s;
  if (e !== null && tick !== null && tick > 0 && e / tick < MIN_TICKS_PER_REQUEST) {
    reasons.push(
      `at speed ${simulated.nominal_speed} one tick of the simulator's timer is ${tick.toPrecision(3)} simulated seconds and a request's mean life (${e.toPrecision(3)} s) only ${(e / tick).toFixed(1)} ticks (at least ${MIN_TICKS_PER_REQUEST} needed): per-request times are the timer's quantization; use a lower --speed (or --speed auto)`,
    );
  }
  if (e !== null && h !== null && e > 0 && Math.abs(h - e) / e > MAX_LATENCY_DISAGREEMENT) {
    reasons.push(
      `the harness's mean latency (${h.toFixed(3)} s GPU-equivalent) differs from the simulated engine's own (${e.toFixed(3)} s) by ${((Math.abs(h - e) / e) * 100).toFixed(0)}% (at most ${MAX_LATENCY_DISAGREEMENT * 100}% allowed): ` +
        `at speed ${simulated.nominal_speed} a request lasts too little real time for the host to time it; use a lower --speed (or --speed auto)`,
    );
  }
  return { valid: reasons.length === 0, reasons };
}

