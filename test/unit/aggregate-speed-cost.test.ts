/**
 * Speed (vLLM bench definitions), the server-counter cross-check, cost, cascades and the failure
 * gallery, on a run small enough to compute by hand.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateRun } from '../../src/aggregate/aggregate-run.ts';
import { computeCost } from '../../src/aggregate/cost.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { emptyHistogram, addSample } from '../../src/core/log-histogram.ts';
import type { RunManifest, Summary } from '../../src/core/records.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, answer, jsonl, result, row, timing } from './aggregate-fixture.ts';
// Candidate screening with its module (the instruction check), as the public API scores by default.
import { publicDefaultTask } from '../../src/public-scoring.ts';

const A = 'org/model-a';
const B = 'org/model-b';
const items = new Map([row('c1', 'Yes'), row('c2', 'No'), row('c3', 'Maybe'), row('c4', 'Yes')].map((r) => [r.id, r]));
const FILL_IN = 'Sure! Please fill in the fields below with the candidate details:\nRecommendation: [your answer here]\nReasoning: [fill in]';

const manifest: RunManifest = {
  ...MANIFEST,
  scorers: ['json-strict', 'json-recoverable', 'schema', 'follows-instructions', 'recommendation-match'],
  stream: true,
  models: [
    { ...MANIFEST.models[0]!, base_url: 'http://user:secret@127.0.0.1:8000/v1', pricing: { self_hosted: { gpu_per_hour: 3.6, gpu: 'test GPU' }, hosted: [{ provider: 'P', input_per_mtok: 0.1, output_per_mtok: 0.2 }] } },
    { ...MANIFEST.models[1]!, pricing: { self_hosted: { gpu_per_hour: 3.6 }, hosted: [{ provider: 'P', input_per_mtok: 0.4, output_per_mtok: 0.8 }] } },
  ],
  cascades: [{ screen: 'Model A', escalate: B, top_fraction: 0.25 }],
};

function itl(gaps: number[]) {
  const h = emptyHistogram();
  for (const g of gaps) addSample(h, g);
  return h;
}

async function summary(m: RunManifest = manifest): Promise<Summary> {
  const dir = tempDir();
  const resultsFile = join(dir, 'results.jsonl');
  const scoresFile = join(dir, 'scores.jsonl');
  const timingFile = join(dir, 'timing.jsonl');
  writeFileSync(
    resultsFile,
    jsonl([
      // Screen model A: right, far off (Strong Yes for a No), a "fill in the fields" answer, off by two.
      result({ item_id: 'c1', content: answer('Yes'), latency_ms: 1000, ttft_ms: 100 }),
      result({ item_id: 'c2', content: answer('Strong Yes'), latency_ms: 2000, ttft_ms: 200 }),
      result({ item_id: 'c3', content: FILL_IN, latency_ms: 1000, ttft_ms: 100 }),
      result({ item_id: 'c4', content: answer('No'), latency_ms: 1500, ttft_ms: 300 }),
      // Escalation model B: all right.
      ...(['Yes', 'No', 'Maybe', 'Yes'] as const).map((r, i) => result({ item_id: `c${i + 1}`, model: B, content: answer(r), usage: [100, 50], latency_ms: 4000 })),
    ]),
  );
  writeFileSync(
    timingFile,
    jsonl([
      timing({ sent: 3, wall_ms: 600, itl: itl([10, 20, 30]), server_metrics: { before: { prompt_tokens: 1000, generation_tokens: 500, requests_finished: 10, kv_cache_usage: 0.1 }, after: { prompt_tokens: 1300, generation_tokens: 650, requests_finished: 13, kv_cache_usage: 0.3 } } }),
      timing({ sent: 1, wall_ms: 400, itl: itl([40]), server_metrics: { before: { prompt_tokens: 1300, generation_tokens: 650, requests_finished: 13, kv_cache_usage: 0.2 }, after: { prompt_tokens: 1400, generation_tokens: 700, requests_finished: 14, kv_cache_usage: 0.25 } } }),
      timing({ model: B, sent: 4, wall_ms: 4000 }),
    ]),
  );
  await scoreRun({ resultsFile, scoresFile, scorers: m.scorers as never, items, task: publicDefaultTask() });
  return aggregateRun({ scoresFile, timingFile, manifest: m, task: TASK, seed: 7, resamples: 200 });
}

describe('speed with vLLM bench definitions', () => {
  it('computes TTFT, TPOT and ITL by hand, and cross-checks the server counters', async () => {
    const s = await summary();
    const a = s.groups.find((g) => g.model === A)!;
    // 4 successful sent requests in 1 s of wall time; 100 prompt + 50 completion tokens each.
    expect(a.speed).toMatchObject({ requests_per_s: 4, output_tokens_per_s: 200, total_tokens_per_s: 600, success_rate: 1 });
    // TTFT samples 100, 100, 200, 300.
    expect(a.speed.ttft_ms).toEqual({ n: 4, mean: 175, p50: 150, p90: 270, p99: 297 });
    // TPOT = (E2EL - TTFT) / (50 - 1): 900/49, 1800/49, 900/49, 1200/49.
    const tpot = [900, 900, 1200, 1800].map((x) => x / 49);
    expect(a.speed.tpot_ms!.n).toBe(4);
    expect(a.speed.tpot_ms!.mean).toBeCloseTo(tpot.reduce((x, y) => x + y) / 4, 3);
    expect(a.speed.tpot_ms!.p50).toBeCloseTo((tpot[1]! + tpot[2]!) / 2, 3);
    // ITL pooled over both segments' histograms: gaps 10, 20, 30, 40 (mean exact; quantiles within a bucket, ~2%).
    expect(a.speed.itl_ms!.n).toBe(4);
    expect(a.speed.itl_ms!.mean).toBe(25);
    expect(a.speed.itl_ms!.p50).toBeGreaterThan(19.5);
    expect(a.speed.itl_ms!.p50).toBeLessThan(20.5);
    expect(a.speed.latency_ms).toMatchObject({ n: 4, mean: 1375, p50: 1250 });
    // Counters: deltas summed over two segments (300 + 100 prompt, 150 + 50 generation) = the harness's sums.
    expect(a.speed.server).toEqual({
      prompt_tokens: 400,
      generation_tokens: 200,
      requests_finished: 4,
      preemptions: null,
      kv_cache_usage_max: 0.3,
      prefix_cache_hit_rate: null,
      harness: { prompt_tokens: 400, completion_tokens: 200, requests: 4 },
      agrees: true,
    });
    expect(s.groups.find((g) => g.model === B)!.speed.server).toBeNull();
  });

  it('flags server counters that disagree with the harness', async () => {
    const s = await summary();
    const a = s.groups.find((g) => g.model === A)!;
    expect(a.speed.server!.agrees).toBe(true);
    const dir = tempDir();
    const scoresFile = join(dir, 'scores.jsonl');
    const timingFile = join(dir, 'timing.jsonl');
    writeFileSync(join(dir, 'results.jsonl'), jsonl([result({ item_id: 'c1' })]));
    writeFileSync(timingFile, jsonl([timing({ sent: 1, server_metrics: { before: { prompt_tokens: 0, generation_tokens: 0 }, after: { prompt_tokens: 300, generation_tokens: 50 } } })]));
    await scoreRun({ resultsFile: join(dir, 'results.jsonl'), scoresFile, scorers: ['json-strict'], items });
    const t = await aggregateRun({ scoresFile, timingFile, manifest: MANIFEST, task: TASK, seed: 1, resamples: 10 });
    expect(t.groups[0]!.speed.server).toMatchObject({ prompt_tokens: 300, harness: { prompt_tokens: 100 }, agrees: false });
  });
});

describe('cost', () => {
  it('prices a request, a usable result and 100K-1M candidates by hand', async () => {
    const s = await summary();
    const a = s.groups.find((g) => g.model === A)!;
    // 3 of 4 usable: the "fill in the fields" answer is not.
    expect(a.usable).toEqual({ count: 3, rate: 0.75 });
    expect(a.validity.instruction_classes).toMatchObject({ 'fill-in-request': 1 });
    // Self-hosted: $3.60/h at 4 req/s = $0.00025 a request = $0.25 per 1K; per 1K usable ÷ 0.75.
    expect(a.cost.self_hosted).toEqual({ gpu: 'test GPU', gpu_per_hour: 3.6, usd_per_1k_requests: 0.25, usd_per_1k_usable: 0.333333 });
    // Hosted: (100 × $0.1 + 50 × $0.2) / 1M = $0.00002 a request.
    expect(a.cost.hosted).toEqual([{ provider: 'P', usd_per_1k_requests: 0.02, usd_per_1k_usable: 0.026667 }]);
    expect(a.cost.seconds_per_usable).toBeCloseTo(1 / 4 / 0.75, 6);
    expect(a.cost.projections[0]).toEqual({ candidates: 100_000, hours: 6.9444, usable: 75_000, self_hosted_usd: 25, hosted_usd: [{ provider: 'P', usd: 2 }] });
    expect(a.cost.projections.map((p) => p.candidates)).toEqual([100_000, 200_000, 1_000_000]);
  });

  it('divides simulated throughput by the speed factor, and has no time in instant mode', () => {
    const base = { items: 10, usable: 5, requestsPerS: 100, meanPromptTokens: 100, meanCompletionTokens: 10, pricing: { self_hosted: { gpu_per_hour: 1 } } };
    const sim = computeCost({ ...base, speedFactor: 50 });
    expect(sim.requests_per_s).toBe(2);
    expect(sim.speed_factor).toBe(50);
    expect(sim.seconds_per_usable).toBe(1);
    const instant = computeCost({ ...base, speedFactor: 'instant' });
    expect(instant.requests_per_s).toBeNull();
    expect(instant.self_hosted!.usd_per_1k_requests).toBeNull();
    expect(instant.projections[0]!.hours).toBeNull();
    expect(instant.usable_rate).toBe(0.5);
    const unpriced = computeCost({ ...base, speedFactor: null, pricing: undefined });
    expect(unpriced.self_hosted).toBeNull();
    expect(unpriced.hosted).toEqual([]);
    expect(unpriced.projections[1]).toMatchObject({ candidates: 200_000, usable: 100_000, self_hosted_usd: null });
  });
});

describe('cascades', () => {
  it('simulates each policy against the escalation model alone, by hand', async () => {
    const s = await summary();
    expect(s.cascades).toHaveLength(1);
    const c = s.cascades[0]!;
    expect(c).toMatchObject({ screen: A, screen_label: 'Model A', escalate: B, prompt_version: 'v1', items: 4, saving_basis: 'self-hosted' });
    const by = Object.fromEntries(c.policies.map((p) => [p.policy, p]));
    // B alone: every answer right; $1 per 1K (3.6/h at 1 req/s); 200K x 1 s = 55.556 h.
    expect(by['escalate-only']).toMatchObject({ escalated: 1, exact: 1, self_hosted_usd_per_1k: 1, hours_per_200k: 55.556, saving_vs_escalate: 0 });
    expect(by['screen-only']).toMatchObject({ escalated: 0, exact: 0.25, usable_rate: 0.75, self_hosted_usd_per_1k: 0.25, saving_vs_escalate: 0.75 });
    // Escalate the one unusable answer (c3): c1 and c3 right; A's $0.25 + 1/4 of B's $1.
    expect(by['unusable']).toMatchObject({ escalated: 0.25, exact: 0.5, usable_rate: 1, self_hosted_usd_per_1k: 0.5, hours_per_200k: 27.778, saving_vs_escalate: 0.5 });
    // Maybe or better: c1 (Yes), c2 (Strong Yes), c3 (unusable) go on; c4 (A said No) stays wrong.
    expect(by['maybe-or-better']).toMatchObject({ escalated: 0.75, exact: 0.75, self_hosted_usd_per_1k: 1, saving_vs_escalate: 0 });
    // Top 25% = A's best-rated usable answer (c2, Strong Yes), plus the unusable c3.
    expect(by['top-k']).toMatchObject({ escalated: 0.5, exact: 0.75, self_hosted_usd_per_1k: 0.75, saving_vs_escalate: 0.25 });
    // Hosted: A $0.02 per 1K, B (100 × 0.4 + 50 × 0.8)/1M = $0.08 per 1K.
    expect(by['unusable']!.hosted_usd_per_1k).toBeCloseTo(0.02 + 0.25 * 0.08, 9);
  });

  it('leaves out a cascade naming a model that is not in the run', async () => {
    const s = await summary({ ...manifest, cascades: [{ screen: A, escalate: 'org/absent', top_fraction: 0.2 }] });
    expect(s.cascades).toEqual([]);
  });
});

describe('failure gallery and environment', () => {
  it('keeps the failed answers with their class, and the environment without credentials', async () => {
    const s = await summary();
    const a = s.examples.filter((e) => e.model === A);
    expect(a.map((e) => [e.item_id, e.kind, e.class])).toEqual([
      ['c3', 'instruction', 'fill-in-request'],
      ['c4', 'disagreement', 'off by 2'],
      ['c2', 'disagreement', 'off by 3'],
    ]);
    expect(a[0]!.excerpt).toBe(FILL_IN);
    expect(s.examples.filter((e) => e.model === B)).toEqual([]);
    expect(s.environment.models[0]!.base_url).toBe('http://127.0.0.1:8000/v1');
    expect(JSON.stringify(s)).not.toContain('secret');
    expect(s.environment.stream).toBe(true);
  });
});

describe("speed against the simulator's clock", () => {
  /** Model A's four answers (latencies 1000, 2000, 1000, 1500 ms; 100 + 50 tokens each) in one segment of `wallMs`. */
  async function simulated(sim: Record<string, number>, after: Record<string, number>, wallMs = 1000, speed: number | 'instant' = 10): Promise<Summary> {
    const dir = tempDir();
    const resultsFile = join(dir, 'results.jsonl');
    const scoresFile = join(dir, 'scores.jsonl');
    const timingFile = join(dir, 'timing.jsonl');
    writeFileSync(
      resultsFile,
      jsonl([1000, 2000, 1000, 1500].map((latency_ms, i) => result({ item_id: `c${i + 1}`, content: answer('Yes'), usage: [100, 50], latency_ms }))),
    );
    writeFileSync(timingFile, jsonl([timing({ sent: 4, wall_ms: wallMs, server_metrics: { before: sim, after } })]));
    const m: RunManifest = { ...manifest, models: [{ ...manifest.models[0]!, server: { vllm_version: '0.11.0', max_model_len: 8192, root: null, simulator: { speed } } }] };
    await scoreRun({ resultsFile, scoresFile, scorers: m.scorers as never, items, task: publicDefaultTask() });
    return aggregateRun({ scoresFile, timingFile, manifest: m, task: TASK, seed: 7, resamples: 50 });
  }
  const before = { requests_finished: 0, sim_virtual_seconds: 100, sim_busy_seconds: 50, sim_real_seconds: 10, sim_lag_seconds: 1, sim_held_seconds: 0, sim_client_wait_seconds: 0, e2e_latency_seconds_sum: 0 };

  it('takes GPU-equivalent time from the busy simulated seconds, whatever the wall time', async () => {
    // 4 requests, 600 tokens, in 12 busy simulated seconds; the engine's mean latency 15 s matches the
    // harness's 1.375 s x (12 / 1.1) = 15.0 s.
    const after = { ...before, requests_finished: 4, sim_speed: 10, sim_tick_seconds: 0.003, sim_virtual_seconds: 114, sim_busy_seconds: 62, sim_real_seconds: 11.1, sim_lag_seconds: 1.111, sim_held_seconds: 0.111, sim_client_wait_seconds: 0.6, e2e_latency_seconds_sum: 60 };
    const s = await simulated(before, after, 1100);
    const g = s.groups[0]!;
    expect(g.speed.simulated).toMatchObject({ nominal_speed: 10, virtual_s: 12, requests_per_s: 0.333, total_tokens_per_s: 50, engine_mean_latency_s: 15, tick_s: 0.03 });
    expect(g.speed.simulated!.effective_speed).toBeCloseTo(12 / 1.1, 3);
    expect(g.speed.simulated!.lag_share).toBeCloseTo(0.111 / 1.1, 3);
    expect(g.speed.simulated!.engine_share).toBeCloseTo(60 / 60.6, 3);
    // Latencies in reports: harness ms x (engine mean 15 s / harness mean 1.375 s).
    expect(g.speed.simulated!.latency_scale).toBeCloseTo(15 / 1.375, 4);
    expect(g.speed.validity).toEqual({ valid: true, reasons: [] });
    // The same work measured over twice the wall time (a busier host) gives the same GPU-equivalent cost.
    const slow = await simulated(before, after, 2200);
    expect(slow.groups[0]!.speed.simulated!.total_tokens_per_s).toBe(50);
    expect(slow.groups[0]!.cost.requests_per_s).toBeCloseTo(g.cost.requests_per_s!, 4);
    expect(s.speed_validity).toEqual({ valid: true, reasons: [] });
  });

  it('marks the figures invalid when slots waited for the client, a request spans few timer ticks, or the clock is missing', async () => {
    const starved = { ...before, requests_finished: 4, sim_speed: 10, sim_tick_seconds: 0.003, sim_virtual_seconds: 114, sim_busy_seconds: 62, sim_real_seconds: 11.1, sim_client_wait_seconds: 20, e2e_latency_seconds_sum: 60 };
    const a = await simulated(before, starved, 1100);
    expect(a.speed_validity!.valid).toBe(false);
    expect(a.speed_validity!.reasons).toEqual([expect.stringMatching(/^Model A v1: the simulated engine's slots stood empty waiting for the client 25\.0% of the time/)]);

    const coarse = { ...starved, sim_client_wait_seconds: 0, sim_speed: 2000 };
    const b = await simulated(before, coarse, 1100, 2000);
    expect(b.speed_validity!.reasons).toEqual([expect.stringMatching(/one tick of the simulator's timer is 6\.00 simulated seconds and a request's mean life \(15\.0 s\) only 2\.5 ticks/)]);

    // An older simulator without the clock series: wall time ÷ speed is not trusted.
    const c = await simulated({ requests_finished: 0 }, { requests_finished: 4 }, 1100);
    expect(c.groups[0]!.speed.simulated).toBeNull();
    expect(c.speed_validity!.reasons).toEqual([expect.stringMatching(/clock was not read from \/metrics/)]);

    const d = await simulated({}, {}, 1100, 'instant');
    expect(d.speed_validity!.reasons).toEqual([expect.stringMatching(/instant mode/)]);
  });
});
