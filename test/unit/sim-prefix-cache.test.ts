/**
 * Automatic prefix caching (on by default, as in vLLM): requests whose prompts share a long prefix
 * prefill only what differs, share the prefix's KV blocks, and the server's prefix-cache counters show
 * the hit rate. Engine figures are in virtual time; the HTTP part checks counters and cards, never speed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { measureLoad } from '../../src/sim/clock.ts';
import { capacityProfile, modelSpec } from '../../src/sim/models.ts';
import { promptBlockHashes } from '../../src/sim/prefix.ts';
import { countPromptTokens } from '../../src/sim/tokenizer.ts';
import { sumSamples } from '../../src/sim/metrics.ts';

const GEMMA = 'google/gemma-3-4b-it';
const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';

// A long shared instruction (the v3 prompt's template shares most of its tokens), then a short per-request part.
const SYSTEM = 'You screen candidates for software engineering roles. Return JSON only. '.repeat(40);
const messages = (i: number) => [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: `Candidate ${i}: ${'worked at company number '.repeat(5)}${i * 7919}.` },
];

describe('prefix caching', () => {
  it('a shared prefix hits the cache, skips its prefill and shortens time to first token (virtual time)', () => {
    const spec = modelSpec(GEMMA)!;
    const promptTokens = countPromptTokens(messages(1), spec.template);
    const shared = countPromptTokens([messages(1)[0]!], spec.template);
    expect(shared / promptTokens).toBeGreaterThan(0.8);
    const load = { requests: 40, concurrency: 4, promptTokens, completionTokens: 50, blockHashes: (i: number) => promptBlockHashes(GEMMA, messages(i), spec.template) };
    const on = measureLoad(capacityProfile(spec), load);
    const off = measureLoad(capacityProfile(spec, { prefixCaching: false }), load);
    // Hit rate: the first request computes the prefix; the others find all its full blocks.
    const hitRate = on.cachedTokens / (load.requests * promptTokens);
    expect(hitRate, `hit rate ${hitRate}`).toBeGreaterThan(0.7);
    expect(off.cachedTokens).toBe(0);
    expect(on.prefilledTokens).toBeLessThan(off.prefilledTokens * 0.3);
    expect(on.meanTtftS).toBeLessThan(off.meanTtftS * 0.6);
    expect(on.totalTokensPerS).toBeGreaterThan(off.totalTokensPerS);
    // Different prompts share nothing.
    const distinct = measureLoad(capacityProfile(spec), { ...load, blockHashes: (i: number) => promptBlockHashes(GEMMA, [{ role: 'user', content: `${i} ${SYSTEM}` }], spec.template) });
    expect(distinct.cachedTokens).toBe(0);
  });

  it('the server counts prefix-cache queries and hits, and the ITL/TPOT/request-size histograms; --no-enable-prefix-caching turns it off', async () => {
    const post = (baseURL: string, i: number) =>
      fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: LLAMA, messages: messages(i), max_tokens: 40 }) }).then((r) => r.json());
    const counters = async (args: string[]) => {
      const sim = await spawnSimulator(['--speed', '20', '--model', LLAMA, ...args]);
      try {
        await post(sim.baseURL, 0); // computes the shared prefix; the next five find it cached
        await Promise.all([1, 2, 3, 4, 5].map((i) => post(sim.baseURL, i)));
        const text = await sim.metrics();
        const models = (await (await fetch(`${sim.baseURL}/models`)).json()) as { data: { max_model_len: number }[]; qualbench_sim?: string };
        return { text, models };
      } finally {
        await sim.stop();
      }
    };
    const { text, models } = await counters([]);
    const queries = sumSamples(text, 'vllm:prefix_cache_queries_total');
    const hits = sumSamples(text, 'vllm:prefix_cache_hits_total');
    expect(queries).toBe([0, 1, 2, 3, 4, 5].reduce((n, i) => n + countPromptTokens(messages(i), modelSpec(LLAMA)!.template), 0));
    expect(hits / queries).toBeGreaterThan(0.6);
    expect(sumSamples(text, 'vllm:request_prompt_tokens_count')).toBe(6);
    expect(sumSamples(text, 'vllm:request_generation_tokens_sum')).toBeGreaterThan(6);
    expect(sumSamples(text, 'vllm:inter_token_latency_seconds_count')).toBe(sumSamples(text, 'vllm:generation_tokens_total') - 6);
    expect(sumSamples(text, 'vllm:request_time_per_output_token_seconds_count')).toBe(6);
    expect(text).toMatch(/^vllm:request_prompt_tokens_bucket\{model_name="meta-llama\/Llama-3\.2-1B-Instruct",engine="0",le="500\.0"\} /m);
    // One model per server: the context length it would get on a 16 GB card (native 131,072 fits), no demo note.
    expect(models.data).toHaveLength(1);
    expect(models.data[0]!.max_model_len).toBe(131_072);
    expect(models.qualbench_sim).toBeUndefined();

    const off = await counters(['--no-enable-prefix-caching']);
    expect(sumSamples(off.text, 'vllm:prefix_cache_hits_total')).toBe(0);
  }, 60_000);

  it('single-model mode gives a 4B model the context that fits its KV cache; multi-model mode says what it is', async () => {
    const gemma = await spawnSimulator(['--speed', 'instant', '--model', GEMMA]);
    try {
      const m = (await (await fetch(`${gemma.baseURL}/models`)).json()) as { data: { max_model_len: number }[] };
      expect(m.data[0]!.max_model_len).toBeGreaterThan(38_000);
      expect(m.data[0]!.max_model_len).toBeLessThan(45_000);
    } finally {
      await gemma.stop();
    }
    const multi = await spawnSimulator(['--speed', 'instant']);
    try {
      const m = (await (await fetch(`${multi.baseURL}/models`)).json()) as { data: { max_model_len: number }[]; qualbench_sim: string };
      expect(m.data).toHaveLength(3);
      expect(m.data[0]!.max_model_len).toBe(8192);
      expect(m.qualbench_sim).toMatch(/multi-model demo mode/);
      const info = (await (await fetch(`${multi.baseURL.replace(/\/v1$/, '')}/sim/info`)).json()) as { mode: string };
      expect(info.mode).toBe('multi-model');
    } finally {
      await multi.stop();
    }
  }, 60_000);
});
