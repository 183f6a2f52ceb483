import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSample, emptyHistogram, histogramQuantile, mergeHistograms } from '../../src/core/log-histogram.ts';
import { parseVllmMetrics } from '../../src/run/server-metrics.ts';
import { createOpenAIChatClient } from '../../src/run/chat-client.ts';
import { requestKey } from '../../src/render/render-request.ts';
import { spawnSimulator } from '../helpers/sim-process.ts';
import type { RenderedRequest } from '../../src/core/records.ts';

describe('log histogram', () => {
  it('gives quantiles within its ~2% bucket resolution and merges exactly', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    for (let i = 1; i <= 1000; i++) addSample(i <= 500 ? a : b, i);
    mergeHistograms(a, b);
    expect(a.count).toBe(1000);
    expect(a.sum).toBe(500500);
    expect(histogramQuantile(a, 0.5)!).toBeGreaterThan(500 * 0.97);
    expect(histogramQuantile(a, 0.5)!).toBeLessThan(500 * 1.03);
    expect(histogramQuantile(a, 0.99)!).toBeGreaterThan(990 * 0.97);
    expect(histogramQuantile(a, 0.99)!).toBeLessThan(990 * 1.03);
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
  });
});

describe('parseVllmMetrics', () => {
  const text = [
    '# HELP vllm:prompt_tokens_total Number of prefill tokens processed.',
    '# TYPE vllm:prompt_tokens_total counter',
    'vllm:prompt_tokens_total{engine="0",model_name="a"} 100.0',
    'vllm:prompt_tokens_total{engine="0",model_name="b"} 7.0',
    'vllm:generation_tokens_total{engine="0",model_name="a"} 40.0',
    'vllm:request_success_total{engine="0",finished_reason="stop",model_name="a"} 3.0',
    'vllm:request_success_total{engine="0",finished_reason="length",model_name="a"} 1.0',
    'vllm:gpu_cache_usage_perc{engine="0",model_name="a"} 0.25',
  ].join('\n');

  it('sums a model\'s counters across labels, strips _total and falls back to old names', () => {
    expect(parseVllmMetrics(text, 'a')).toEqual({ prompt_tokens: 100, generation_tokens: 40, requests_finished: 4, kv_cache_usage: 0.25 });
    expect(parseVllmMetrics(text, 'b')).toEqual({ prompt_tokens: 7 });
  });
});

describe('streaming client against the simulator', () => {
  let sim: Awaited<ReturnType<typeof spawnSimulator>>;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', '200']);
  });
  afterAll(async () => sim?.stop());

  it('returns the same answer as a plain request, with TTFT and ITL samples', async () => {
    const messages = [{ role: 'user' as const, content: 'Evaluate this candidate and answer in JSON.' }];
    const params = { temperature: 0, max_tokens: 200 };
    const req: RenderedRequest = { key: requestKey('google/gemma-3-4b-it', messages, params), item_id: 'x', model: 'google/gemma-3-4b-it', prompt_version: 'v1', messages, params };
    const plain = await createOpenAIChatClient({ baseURL: sim.baseURL }).complete(req, { timeoutMs: 30_000 });
    const streamed = await createOpenAIChatClient({ baseURL: sim.baseURL, stream: true }).complete(req, { timeoutMs: 30_000 });
    expect(streamed.response).toEqual(plain.response);
    expect(plain.ttft_ms).toBeNull();
    expect(streamed.ttft_ms).toBeGreaterThan(0);
    expect(streamed.gaps_ms!.length).toBeGreaterThan(0);
    expect(streamed.gaps_ms!.every((g) => g >= 0)).toBe(true);
  });
});
