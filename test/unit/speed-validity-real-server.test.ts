/**
 * Speed validity against a real vLLM server: the server's /metrics counters against what this harness
 * sent (another client on the server, a restart, another replica), and the harness's own event-loop lag
 * (a busy client host). Pure checks on recorded figures, then through aggregateRun on recorded
 * timing.jsonl lines; nothing here depends on this machine's speed.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateRun } from '../../src/aggregate/aggregate-run.ts';
import { CLIENT_OVERHEAD_MS, CLIENT_OVERHEAD_SHARE, clientOverheadReasons, MIN_OVERHEAD_REQUESTS, type OverheadEvidence } from '../../src/aggregate/client-overhead.ts';
import { clientLagReasons, counterReasons, MAX_CLIENT_LAG_PER_TOKEN, MAX_CLIENT_LAG_SHARE, type CounterEvidence } from '../../src/aggregate/timing-totals.ts';
import { arrivalWait } from '../../src/run/run-group.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { GroupTiming } from '../../src/core/records.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, jsonl, result, row, timing } from './aggregate-fixture.ts';

/** 10 answered requests of 100 prompt and 50 generated tokens, the server agreeing exactly. */
function evidence(over: { server?: Partial<CounterEvidence['server']>; attempts?: number; resets?: number; unmetered?: number } = {}): CounterEvidence {
  return {
    server: { prompt_tokens: 1000, generation_tokens: 500, requests_finished: 10, ...over.server },
    harness: { prompt_tokens: 1000, completion_tokens: 500, requests: 10, max_prompt_tokens: 120, max_completion_tokens: 80 },
    attempts: over.attempts ?? 10,
    resets: over.resets ?? 0,
    unmetered: over.unmetered ?? 0,
  };
}

describe('server counters against what the harness sent', () => {
  it('finds nothing when the server counted what the harness sent, or within 1%', () => {
    expect(counterReasons(evidence())).toEqual([]);
    expect(counterReasons(evidence({ server: { prompt_tokens: 1010, generation_tokens: 495 } }))).toEqual([]);
  });

  it('allows each unanswered attempt (retry, failure, cut-off) up to the largest prompt and answer seen', () => {
    // 2 retries: up to 2 × 120 prompt and 2 × 80 generated tokens and 2 requests more are the harness's own.
    expect(counterReasons(evidence({ attempts: 12, server: { prompt_tokens: 1240, generation_tokens: 660, requests_finished: 12 } }))).toEqual([]);
    // Without the retries the same counts are another client's.
    const [r] = counterReasons(evidence({ server: { prompt_tokens: 1240, generation_tokens: 660, requests_finished: 12 } }));
    expect(r).toMatch(/^SHARED SERVER: the server's \/metrics counted 12 requests finished against 10 sent by this harness, 1,240 prompt tokens against 1,000 .*660 generated tokens against 500/);
    expect(r).toMatch(/another client was using the server during the run.*re-run on a server no one else uses/);
  });

  it('calls more tokens than the harness could have caused a shared server, naming both figures', () => {
    const reasons = counterReasons(evidence({ attempts: 11, server: { prompt_tokens: 5000, generation_tokens: 2500, requests_finished: 50 } }));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('50 requests finished against 10 sent by this harness (+ at most 1 from 1 unanswered attempts)');
    expect(reasons[0]).toContain('5,000 prompt tokens against 1,000 sent by this harness (+ at most 120 from 1 unanswered attempts)');
    expect(reasons[0]).toContain('2,500 generated tokens against 500');
  });

  it('says what fewer means (another replica, a restart), unless some segment had no /metrics', () => {
    const [r] = counterReasons(evidence({ server: { prompt_tokens: 500, generation_tokens: 250, requests_finished: 5 } }));
    expect(r).toMatch(/counted fewer than this harness received: 5 requests finished against 10 .*another replica behind a load balancer, or a server that restarted mid-segment/);
    expect(counterReasons(evidence({ unmetered: 5, server: { prompt_tokens: 500, generation_tokens: 250, requests_finished: 5 } }))).toEqual([]);
    // A segment whose counters went backwards: restarted, whatever the sums.
    expect(counterReasons(evidence({ resets: 1 }))[0]).toMatch(/went backwards during 1 segment: the server restarted mid-run/);
  });
});

describe('a busy client host', () => {
  it('flags an event loop late by more than 5% of the mean latency, and only then', () => {
    expect(MAX_CLIENT_LAG_SHARE).toBe(0.05);
    expect(clientLagReasons({ mean: 1, p99: 8, max: 20, wait: 49 }, 1000)).toEqual([]);
    const [r] = clientLagReasons({ mean: 3, p99: 80, max: 200, wait: 51 }, 1000);
    expect(r).toMatch(/^BUSY CLIENT HOST: qualbench's own event loop was late by 51\.0 ms on average when an answer arrived \(p99 80\.0 ms, max 200\.0 ms\), 5\.1% of the mean request latency \(1000 ms/);
    expect(r).toMatch(/this host's CPU, not the GPU/);
    // An older run without `wait`: its mean is the (lower-bound) figure.
    expect(clientLagReasons({ mean: 60, p99: 80, max: 90 }, 1000)).toHaveLength(1);
    expect(clientLagReasons({ mean: 60, p99: 80, max: 90 }, null)).toEqual([]);
  });

  it('flags a loop that wakes late by more than half the mean inter-token gap: it cannot keep pace with the stream', () => {
    expect(MAX_CLIENT_LAG_PER_TOKEN).toBe(0.5);
    // Recorded on this machine: idle, 0.6 ms against 1.33 ms gaps (valid); six CPU hogs on qualbench's core, 3.26 ms against 2.37 ms.
    expect(clientLagReasons({ mean: 0.598, p99: 6.2, max: 46.9, wait: 0.9 }, 408.9, 1.33)).toEqual([]);
    const [r] = clientLagReasons({ mean: 3.259, p99: 19.262, max: 22.752, wait: 1.176 }, 753.5, 2.374);
    expect(r).toMatch(/^BUSY CLIENT HOST: qualbench's own event loop woke 3\.26 ms late on average \(p99 19\.3 ms\), 137% of the mean inter-token gap \(2\.37 ms; at most 50% allowed\): it could not keep pace with the streamed tokens/);
    // Not streamed: no gap to compare with.
    expect(clientLagReasons({ mean: 3.259, p99: 19.262, max: 22.752, wait: 1.176 }, 753.5, null)).toEqual([]);
  });

  it('weights a stall by the time it takes: E[d²] / 2E[interval]', () => {
    // Sampler intervals 10, 10, 10, 110 ms at 10 ms resolution: delays 0, 0, 0, 100 over 140 ms of time;
    // an arrival in the 100 ms stall (100/140 of the time) waits 50 ms on average: 35.71 ms.
    const xs = [10, 10, 10, 110];
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    expect(arrivalWait(mean, sd, 10)).toBeCloseTo(5000 / 140, 6);
    // An idle loop: every interval the resolution.
    expect(arrivalWait(10, 0, 10)).toBe(0);
  });

  it('timing.jsonl lines parse with and without the wait (older runs)', () => {
    const base = timing({ sent: 1 });
    expect(GroupTiming.parse({ ...base, event_loop_delay_ms: { mean: 1, p99: 2, max: 3 } }).event_loop_delay_ms).toEqual({ mean: 1, p99: 2, max: 3 });
    expect(GroupTiming.parse({ ...base, event_loop_delay_ms: { mean: 1, p99: 2, max: 3, wait: 0.5 } }).event_loop_delay_ms?.wait).toBe(0.5);
  });
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);
const items = new Map(ids(24).map((id, i) => row(id, (['Yes', 'No', 'Maybe'] as const)[i % 3])).map((r) => [r.id, r]));

/** `n` (default four) answered requests (100 + 50 tokens, 1 s each) against a real server (no simulator in the manifest). */
async function realServerSummary(timings: ReturnType<typeof timing>[], n = 4) {
  const dir = tempDir();
  const resultsFile = join(dir, 'results.jsonl');
  const scoresFile = join(dir, 'scores.jsonl');
  const timingFile = join(dir, 'timing.jsonl');
  writeFileSync(resultsFile, jsonl(ids(n).map((id) => result({ item_id: id, latency_ms: 1000 }))));
  writeFileSync(timingFile, jsonl(timings));
  await scoreRun({ resultsFile, scoresFile, scorers: ['json-strict'], items });
  return aggregateRun({ scoresFile, timingFile, manifest: MANIFEST, task: TASK, seed: 1, resamples: 10 });
}

const metered = (prompt: [number, number], generated: [number, number], requests: [number, number]) => ({
  before: { prompt_tokens: prompt[0], generation_tokens: generated[0], requests_finished: requests[0] },
  after: { prompt_tokens: prompt[1], generation_tokens: generated[1], requests_finished: requests[1] },
});

describe('speed validity of a run against a real server', () => {
  it('is valid when the counters agree and the host kept up', async () => {
    const s = await realServerSummary([timing({ sent: 4, server_metrics: metered([0, 400], [0, 200], [0, 4]), event_loop_delay_ms: { mean: 0.2, p99: 1, max: 2, wait: 0.1 } })]);
    expect(s.speed_validity).toEqual({ valid: true, reasons: [] });
    expect(s.groups[0]!.speed.event_loop_delay_ms).toEqual({ mean: 0.2, p99: 1, max: 2, wait: 0.1 });
  });

  it('names the group and the shared server when the counters ran ahead in one of two segments', async () => {
    const s = await realServerSummary([
      timing({ sent: 2, server_metrics: metered([0, 200], [0, 100], [0, 2]) }),
      // Another client's 30 requests in the second segment.
      timing({ sent: 2, server_metrics: metered([200, 3400], [100, 1700], [2, 34]) }),
    ]);
    expect(s.speed_validity!.valid).toBe(false);
    expect(s.speed_validity!.reasons).toHaveLength(1);
    expect(s.speed_validity!.reasons[0]).toMatch(/^Model A v1: SHARED SERVER: the server's \/metrics counted 34 requests finished against 4 sent by this harness, 3,400 prompt tokens against 400/);
    expect(s.groups[0]!.speed.server!.agrees).toBe(false);
  });

  it('names a restart (counters went backwards) and a busy host', async () => {
    const s = await realServerSummary([
      timing({ sent: 2, server_metrics: metered([5000, 5200], [900, 1000], [40, 42]), event_loop_delay_ms: { mean: 1, p99: 5, max: 9, wait: 2 } }),
      timing({ sent: 2, server_metrics: metered([5200, 200], [1000, 100], [42, 2]), event_loop_delay_ms: { mean: 20, p99: 300, max: 900, wait: 150 } }),
    ]);
    const reasons = s.speed_validity!.reasons;
    expect(s.speed_validity!.valid).toBe(false);
    expect(reasons.some((r) => /^Model A v1: the server's \/metrics counters went backwards during 1 segment: the server restarted mid-run/.test(r))).toBe(true);
    // Wall-weighted wait over two 1 s segments: (2 + 150) / 2 = 76 ms against 1000 ms of latency.
    expect(reasons.some((r) => /^Model A v1: BUSY CLIENT HOST: .*late by 76\.0 ms on average .*7\.6% of the mean request latency \(1000 ms/.test(r))).toBe(true);
  });

  it('leaves a run without /metrics or loop figures as it was (nothing to check)', async () => {
    const s = await realServerSummary([timing({ sent: 4 })]);
    expect(s.speed_validity).toEqual({ valid: true, reasons: [] });
  });
});

/** 40 requests, the server counting the same 40, its mean `server` ms against the harness's `harness` ms. */
const overhead = (serverMeanMs: number, harnessMeanMs: number, over: Partial<OverheadEvidence> = {}): OverheadEvidence => ({
  serverMeanMs,
  serverRequests: 40,
  harnessMeanMs,
  harnessRequests: 40,
  resets: 0,
  unmetered: 0,
  ...over,
});

describe('client overhead: the harness\'s mean latency against the server\'s own', () => {
  it('allows 10% of the server\'s mean plus 25 ms outside the server, and flags more, naming both means and the share', () => {
    expect([CLIENT_OVERHEAD_SHARE, CLIENT_OVERHEAD_MS, MIN_OVERHEAD_REQUESTS]).toEqual([0.1, 25, 20]);
    // 1000 ms on the server: up to 1125 ms measured is network, HTTP and the server's front end.
    expect(clientOverheadReasons(overhead(1000, 1125))).toEqual([]);
    const [r] = clientOverheadReasons(overhead(1000, 1130));
    expect(r).toMatch(/^CLIENT OVERHEAD: qualbench measured a mean latency of 1130 ms over 40 answered requests, the server's own \/metrics 1000 ms for the same requests: 12% of the measured time \(130 ms a request\) was spent outside the server/);
    expect(r).toMatch(/run qualbench on a less loaded host, lower the concurrency, or check the network/);
    // The measured CPU-starved client: latency doubled.
    expect(clientOverheadReasons(overhead(800, 1600))[0]).toMatch(/1600 ms .* 800 ms .*: 50% of the measured time \(800 ms a request\)/);
    // Short requests: the absolute allowance dominates (a round trip the GPU would not remove).
    expect(clientOverheadReasons(overhead(40, 68))).toEqual([]);
    expect(clientOverheadReasons(overhead(40, 70))).toHaveLength(1);
    // Faster than the server (clock skew, rounding): nothing to say.
    expect(clientOverheadReasons(overhead(1000, 900))).toEqual([]);
  });

  it('compares only the same requests: skips too few, mismatched counts, restarts and unmetered segments', () => {
    expect(clientOverheadReasons(overhead(500, 1000, { harnessRequests: 19, serverRequests: 19 }))).toEqual([]);
    expect(clientOverheadReasons(overhead(500, 1000, { harnessRequests: 20, serverRequests: 20 }))).toHaveLength(1);
    // One request apart (a retry the server finished) still compares; more is another client or replica.
    expect(clientOverheadReasons(overhead(500, 1000, { serverRequests: 41 }))).toHaveLength(1);
    expect(clientOverheadReasons(overhead(500, 1000, { serverRequests: 42 }))).toEqual([]);
    expect(clientOverheadReasons(overhead(500, 1000, { serverRequests: 30 }))).toEqual([]);
    expect(clientOverheadReasons(overhead(500, 1000, { resets: 1 }))).toEqual([]);
    expect(clientOverheadReasons(overhead(500, 1000, { unmetered: 3 }))).toEqual([]);
    expect(clientOverheadReasons(overhead(0, 1000))).toEqual([]);
  });

  /** Counters of `n` requests of 100 + 50 tokens whose server-side e2e latencies sum to `e2eS` seconds. */
  const meteredE2e = (n: number, e2eS: number, from = 0) => ({
    before: { prompt_tokens: from * 100, generation_tokens: from * 50, requests_finished: from, e2e_latency_seconds_sum: from },
    after: { prompt_tokens: (from + n) * 100, generation_tokens: (from + n) * 50, requests_finished: from + n, e2e_latency_seconds_sum: from + e2eS },
  });

  it('flags a non-streamed run whose 1 s latencies the server served in 0.5 s, over two segments, and records the server\'s mean', async () => {
    const s = await realServerSummary([timing({ sent: 12, server_metrics: meteredE2e(12, 6) }), timing({ sent: 12, server_metrics: meteredE2e(12, 6, 12) })], 24);
    expect(s.groups[0]!.speed.server!.e2e_mean_latency_ms).toBe(500);
    expect(s.groups[0]!.speed.server!.agrees).toBe(true);
    expect(s.speed_validity!.valid).toBe(false);
    expect(s.speed_validity!.reasons).toEqual([expect.stringMatching(/^Model A v1: CLIENT OVERHEAD: qualbench measured a mean latency of 1000 ms over 24 answered requests, the server's own \/metrics 500 ms .*50% of the measured time/)]);
  });

  it('stays valid when the server accounts for the latency, and skips a group of four', async () => {
    const close = await realServerSummary([timing({ sent: 24, server_metrics: meteredE2e(24, 24 * 0.95) })], 24);
    expect(close.groups[0]!.speed.server!.e2e_mean_latency_ms).toBe(950);
    expect(close.speed_validity).toEqual({ valid: true, reasons: [] });
    const few = await realServerSummary([timing({ sent: 4, server_metrics: meteredE2e(4, 2) })]);
    expect(few.groups[0]!.speed.server!.e2e_mean_latency_ms).toBe(500);
    expect(few.speed_validity).toEqual({ valid: true, reasons: [] });
  });

  it('leaves the comparison to SHARED SERVER when another client\'s requests are in the server\'s mean', async () => {
    const s = await realServerSummary([timing({ sent: 24, server_metrics: meteredE2e(60, 30) })], 24);
    expect(s.speed_validity!.reasons).toHaveLength(1);
    expect(s.speed_validity!.reasons[0]).toMatch(/^Model A v1: SHARED SERVER/);
  });
});
