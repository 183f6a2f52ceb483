/**
 * Client overhead against a real server: the harness's mean latency of its answered requests against
 * the server's own mean end-to-end latency of the same requests (vLLM's
 * `vllm:e2e_request_latency_seconds` sum ÷ count over the group's segments). It catches a CPU-starved
 * client host in streamed and non-streamed runs alike: the event-loop wait misses a host whose CPU is
 * shared (a measurement with CPU hogs on qualbench's core kept the wait under 1% of latency while the
 * measured latency doubled), but whatever the client adds shows up as time outside the server.
 */

/**
 * The harness's mean may exceed the server's by this share of the server's mean (plus CLIENT_OVERHEAD_MS).
 * vLLM times a request from its arrival in the engine's front end to its last output; part of the OpenAI
 * server's own work around that (chat template, tokenizing, serializing the answer) can fall outside it,
 * runs on one event loop shared by all requests in flight and grows with concurrency and answer length.
 * 10% is twice the run-to-run spread of `vllm bench serve` on an idle host (see MAX_CLIENT_LAG_SHARE):
 * a client adding more than that moves throughput beyond what repeating the run would. Measured against
 * the simulator (--as-vllm --speed 1, 20 requests of ~5-6 s, concurrency 10): an idle host added 22-31 ms
 * (0.5%), six and sixteen CPU hogs on qualbench's core 99 and 174 ms (1.6%, 2.7%); the measurement that
 * motivated the check (CPU hogs, short requests) doubled the latency.
 */
export const CLIENT_OVERHEAD_SHARE = 0.1;

/**
 * Absolute allowance (ms) for what is outside vLLM's clock whatever the request: a network round trip
 * (well under 1 ms on a LAN, a few ms within a cloud region, ~10-20 ms between nearby regions), the
 * HTTP exchange and the harness's parse of the answer (well under a ms), tokenizing a prompt of a few
 * thousand tokens (a few ms). It keeps short requests (tens of ms) from being flagged for a
 * round trip the GPU would not remove either.
 */
export const CLIENT_OVERHEAD_MS = 25;

/**
 * Fewer answered requests than this and the check is skipped: over a handful of requests one-off costs
 * (opening the HTTP connections, the first request's warm-up, a GC pause) weigh in the harness's mean
 * alone, and a single stall of 200 ms adds 10 ms to a mean over 20 requests.
 */
export const MIN_OVERHEAD_REQUESTS = 20;

/**
 * Server and harness counts must agree within this share (and 1 request) for the two means to be of the
 * same requests; beyond it other clients (SHARED SERVER), another replica or a restart are reported
 * instead and the server's mean is not this harness's.
 */
export const OVERHEAD_COUNT_TOLERANCE = 0.01;

/** The server's and the harness's mean latency of a group's requests. */
export interface OverheadEvidence {
  /** Server: Δ`e2e_request_latency_seconds_sum` ÷ Δ requests finished over the segments, in ms. */
  serverMeanMs: number;
  /** Requests the server finished over the segments (its e2e histogram counts one per finished request). */
  serverRequests: number;
  /** The harness's mean latency of its answered (sent) requests, ms. */
  harnessMeanMs: number;
  /** Answered requests the harness timed. */
  harnessRequests: number;
  /** Segments whose counters went backwards, and attempts in segments without /metrics: either makes the means incomparable. */
  resets: number;
  unmetered: number;
}

/** Why the figures are the client's, not the server's: empty when the means agree or cannot be compared. */
export function clientOverheadReasons(e: OverheadEvidence): string[] {
  if (e.resets > 0 || e.unmetered > 0) return [];
  if (e.harnessRequests < MIN_OVERHEAD_REQUESTS) return [];
  if (Math.abs(e.serverRequests - e.harnessRequests) > Math.max(1, OVERHEAD_COUNT_TOLERANCE * e.harnessRequests)) return [];
  if (!(e.serverMeanMs > 0) || !(e.harnessMeanMs > 0)) return [];
  const excess = e.harnessMeanMs - e.serverMeanMs;
  const allowed = CLIENT_OVERHEAD_SHARE * e.serverMeanMs + CLIENT_OVERHEAD_MS;
  if (excess <= allowed) return [];
  return [
    `CLIENT OVERHEAD: qualbench measured a mean latency of ${e.harnessMeanMs.toFixed(0)} ms over ${e.harnessRequests} answered requests, the server's own /metrics ${e.serverMeanMs.toFixed(0)} ms for the same requests: ` +
      `${((excess / e.harnessMeanMs) * 100).toFixed(0)}% of the measured time (${excess.toFixed(0)} ms a request) was spent outside the server (at most ${CLIENT_OVERHEAD_SHARE * 100}% of the server's mean + ${CLIENT_OVERHEAD_MS} ms allowed): ` +
      `latencies read high and throughput low because of this host or the network, not the GPU; run qualbench on a less loaded host, lower the concurrency, or check the network between it and the server`,
  ];
}
