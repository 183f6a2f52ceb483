/**
 * Timing of a group summed over its segments in timing.jsonl, the server counters read around them, and
 * whether the speed figures drawn from them can be trusted (speed validity).
 */
import type { GroupTiming, SimulatedSpeed } from '../core/records.ts';
import { emptyHistogram, mergeHistograms, type LogHistogram } from '../core/log-histogram.ts';
import { clientOverheadReasons } from './client-overhead.ts';

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
  /** Harness event-loop delay: wall-weighted mean (and expected wait), largest p99 and max. */
  event_loop_delay_ms: LoopDelay | null;
  /** Segments in which a server counter (tokens, finished requests) went backwards: the server restarted. */
  counter_resets: number;
  /** Requests sent in segments without /metrics read around them (their tokens are in no counter delta). */
  unmetered_sent: number;
}

/** The harness's event-loop delay in ms; `wait` (newer runs) is how long an answer arriving at a random moment waited for the loop. */
export interface LoopDelay {
  mean: number;
  p99: number;
  max: number;
  wait?: number;
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

/** Counters a running vLLM server only ever increases: one lower after a segment than before it means the server restarted. */
const MONOTONIC = ['prompt_tokens', 'generation_tokens', 'requests_finished'];

/** One timing.jsonl line as totals. */
export function timingTotals(t: GroupTiming): TimingTotals {
  let counters: Record<string, number> | null = null;
  let kv: number | null = null;
  let simSpeed: number | null = null;
  let simTick: number | null = null;
  let resets = 0;
  if (t.server_metrics) {
    const { before, after } = t.server_metrics;
    counters = {};
    for (const c of COUNTERS) if (before[c] !== undefined && after[c] !== undefined) counters[c] = after[c]! - before[c]!;
    if (MONOTONIC.some((c) => counters![c] !== undefined && counters![c]! < 0)) resets = 1;
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
    counter_resets: resets,
    unmetered_sent: t.server_metrics ? 0 : t.sent + t.retries,
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
  const weighted = (x: number, y: number) => (wall > 0 ? (x * a.wall_ms + y * b.wall_ms) / wall : Math.max(x, y));
  const loop: LoopDelay | null =
    la && lb
      ? {
          mean: weighted(la.mean, lb.mean),
          p99: Math.max(la.p99, lb.p99),
          max: Math.max(la.max, lb.max),
          // An older segment without `wait` counts with its mean (a lower bound of its wait).
          ...(la.wait !== undefined || lb.wait !== undefined ? { wait: weighted(la.wait ?? la.mean, lb.wait ?? lb.mean) } : {}),
        }
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
    counter_resets: a.counter_resets + b.counter_resets,
    unmetered_sent: a.unmetered_sent + b.unmetered_sent,
  };
}


/** What a group's speed figures are checked against besides the simulator's clock. */
export interface HostEvidence {
  /** The server's counters beside the harness's counts; absent without /metrics. */
  counters?: CounterEvidence | null;
  /** The harness's event-loop delay over the group's segments. */
  loop?: LoopDelay | null;
  /** The harness's mean end-to-end latency of the group's answered requests (real ms). */
  meanLatencyMs?: number | null;
  /** The mean gap between streamed chunks (real ms); absent without streaming. */
  meanItlMs?: number | null;
  /** The server's own mean end-to-end latency over the group's segments (ms, from /metrics); absent without it. */
  serverMeanLatencyMs?: number | null;
}

/** The server's counter deltas over a group's segments and what the harness sent in them. */
export interface CounterEvidence {
  server: { prompt_tokens: number | null; generation_tokens: number | null; requests_finished: number | null };
  /** Over the answered (sent) requests, from their `usage`. */
  harness: { prompt_tokens: number; completion_tokens: number; requests: number; max_prompt_tokens: number; max_completion_tokens: number };
  /** Requests sent plus retries: every attempt that may have reached the server's engine. */
  attempts: number;
  /** Segments whose counters went backwards. */
  resets: number;
  /** Attempts in segments without /metrics: their answers are in the harness's counts but in no counter (no "fewer" verdict then). */
  unmetered: number;
}

/**
 * Server and harness counts are compared within this share (and 1 token) beyond what unanswered attempts
 * explain: Prometheus counters are exact integers and `usage` is the server's own count, so on a server
 * this harness alone used they agree exactly; the share only absorbs /metrics read a moment early or late.
 */
export const COUNTER_TOLERANCE = 0.01;

/**
 * Against a real server, the harness's expected delay in reading an answer (its event loop's `wait`)
 * must stay below this share of the mean request latency. An answer that waits w ms for the loop is
 * timed w ms too long, and its slot is refilled w ms late, so latency reads high and throughput low by
 * about w ÷ latency; 5% is the run-to-run spread of `vllm bench serve` on an idle host, the most a host
 * may add before its CPU, not the GPU, is what moves the figures.
 */
export const MAX_CLIENT_LAG_SHARE = 0.05;

/**
 * Against a real server with streaming, the harness's mean event-loop delay (how late it wakes for each
 * chunk) must stay below this share of the mean inter-token gap. A client that wakes late by a good part
 * of the gap between tokens cannot keep pace with the stream: chunks pile up and are read in batches
 * (ITL p50 near 0), and per-token figures (ITL, TPOT) and the time to the last token are the host's
 * scheduling. Measured here: a host with six CPU hogs on qualbench's core had a mean delay of 0.8-1.3×
 * the mean ITL, latency 2-5× and throughput ÷2-5 against the same server; idle, 0.02-0.45× (at an ITL
 * of 1.3 ms; a GPU's is 10-50 ms).
 */
export const MAX_CLIENT_LAG_PER_TOKEN = 0.5;

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * Shared server, restarted server, other replica: the server's counters over the group's segments
 * against what this harness sent. More than the harness's attempts could have produced means another
 * client used the same server meanwhile; fewer means the counters are not of the server that answered.
 */
export function counterReasons(e: CounterEvidence): string[] {
  const reasons: string[] = [];
  if (e.resets > 0) {
    reasons.push(
      `the server's /metrics counters went backwards during ${e.resets} segment${e.resets > 1 ? 's' : ''}: the server restarted mid-run, so the figures include its restart and a cold start (empty prefix cache) and cannot be checked against its counters; re-run the group on a server that stays up (or resume into a fresh run)`,
    );
    return reasons;
  }
  const h = e.harness;
  // Attempts with no answer recorded (retried, failed, cut off) may have been processed by the server:
  // each at most the largest prompt and answer seen.
  const unanswered = Math.max(0, e.attempts - h.requests);
  const slack = (x: number) => Math.max(1, COUNTER_TOLERANCE * x);
  const more: string[] = [];
  const fewer: string[] = [];
  const compare = (what: string, server: number | null, harness: number, extra: number) => {
    if (server === null) return;
    if (server > harness + extra + slack(harness + extra)) more.push(`${fmt(server)} ${what} against ${fmt(harness)} sent by this harness${extra > 0 ? ` (+ at most ${fmt(extra)} from ${unanswered} unanswered attempts)` : ''}`);
    else if (e.unmetered === 0 && server < harness - slack(harness)) fewer.push(`${fmt(server)} ${what} against ${fmt(harness)} in this harness's answers`);
  };
  compare('requests finished', e.server.requests_finished, h.requests, unanswered);
  compare('prompt tokens', e.server.prompt_tokens, h.prompt_tokens, unanswered * h.max_prompt_tokens);
  compare('generated tokens', e.server.generation_tokens, h.completion_tokens, unanswered * h.max_completion_tokens);
  if (more.length > 0) {
    reasons.push(
      `SHARED SERVER: the server's /metrics counted ${more.join(', ')}: another client was using the server during the run, so throughput, latency and cost are not this model's alone; re-run on a server no one else uses`,
    );
  }
  if (fewer.length > 0) {
    reasons.push(
      `the server's /metrics counted fewer than this harness received: ${fewer.join(', ')}: /metrics is not the server that answered (another replica behind a load balancer, or a server that restarted mid-segment), so the run cannot be checked for other clients; scrape the serving replica (list the replicas under \`replicas\`) or run on one server`,
    );
  }
  return reasons;
}

/** A busy client host: the harness's event loop answered late enough to move the figures (real servers). */
export function clientLagReasons(loop: LoopDelay, meanLatencyMs: number | null, meanItlMs: number | null = null): string[] {
  const wait = loop.wait ?? loop.mean;
  const what = `latencies read high and throughput low because of this host's CPU, not the GPU; run on a less loaded host, or lower the concurrency`;
  if (meanLatencyMs !== null && meanLatencyMs > 0 && wait > MAX_CLIENT_LAG_SHARE * meanLatencyMs) {
    return [
      `BUSY CLIENT HOST: qualbench's own event loop was late by ${wait.toFixed(1)} ms on average when an answer arrived (p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms), ${((wait / meanLatencyMs) * 100).toFixed(1)}% of the mean request latency (${meanLatencyMs.toFixed(0)} ms; at most ${MAX_CLIENT_LAG_SHARE * 100}% allowed): ${what}`,
    ];
  }
  if (meanItlMs !== null && meanItlMs > 0 && loop.mean > MAX_CLIENT_LAG_PER_TOKEN * meanItlMs) {
    return [
      `BUSY CLIENT HOST: qualbench's own event loop woke ${loop.mean.toFixed(2)} ms late on average (p99 ${loop.p99.toFixed(1)} ms), ${((loop.mean / meanItlMs) * 100).toFixed(0)}% of the mean inter-token gap (${meanItlMs.toFixed(2)} ms; at most ${MAX_CLIENT_LAG_PER_TOKEN * 100}% allowed): it could not keep pace with the streamed tokens, so ITL, TPOT and ${what}`,
    ];
  }
  return [];
}

/**
 * Whether speed figures can be trusted. A real server's wall clock is what it is, provided no one else
 * used the server (its counters agree with what this harness sent) and this host kept up (its event loop
 * was not late by a noticeable share of a request's latency, and its mean latency is not well above the server's
 * own: CLIENT OVERHEAD). Against the simulator they need its clock (else they are wall time ÷ nominal speed, which counts the host's CPU as
 * GPU time), and the engine must have been kept full: requests in the simulated engine for at least
 * MIN_ENGINE_SHARE of the time the harness had them in flight.
 */
export function speedValidity(nominal: number | 'instant' | null, simulated: SimulatedSpeed | null, host: HostEvidence = {}): { valid: boolean; reasons: string[] } {
  const shared = host.counters ? counterReasons(host.counters) : [];
  // Against the simulator the client's lag is already measured where it matters: as the simulated engine's
  // slots standing empty (engine_share) and as the harness's latency against the engine's (latency_scale).
  if (nominal === null) {
    const reasons = [...shared, ...(host.loop ? clientLagReasons(host.loop, host.meanLatencyMs ?? null, host.meanItlMs ?? null) : []), ...overheadReasons(host)];
    return { valid: reasons.length === 0, reasons };
  }
  const sim = simulatorValidity(nominal, simulated);
  const reasons = [...shared, ...sim.reasons];
  return { valid: reasons.length === 0, reasons };
}

/** The harness's mean latency against the server's own, when /metrics counted the same requests (client-overhead.ts). */
function overheadReasons(host: HostEvidence): string[] {
  const c = host.counters;
  if (!c || c.server.requests_finished === null || host.serverMeanLatencyMs == null || host.meanLatencyMs == null) return [];
  return clientOverheadReasons({
    serverMeanMs: host.serverMeanLatencyMs,
    serverRequests: c.server.requests_finished,
    harnessMeanMs: host.meanLatencyMs,
    harnessRequests: c.harness.requests,
    resets: c.resets,
    unmetered: c.unmetered,
  });
}

function simulatorValidity(nominal: number | 'instant', simulated: SimulatedSpeed | null): { valid: boolean; reasons: string[] } {
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

/**
 * The server's own mean end-to-end latency (s) over a segment's finished requests, from vLLM's
 * `e2e_request_latency_seconds` sum; null without that series or any finished request.
 */
export function serverMeanLatencyS(c: Readonly<Record<string, number | undefined>>): number | null {
  const sum = c.e2e_latency_seconds_sum;
  const finished = c.requests_finished ?? 0;
  return sum !== undefined && sum >= 0 && finished > 0 ? sum / finished : null;
}
