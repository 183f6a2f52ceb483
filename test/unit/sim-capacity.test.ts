/**
 * The capacity model, measured from outside like `vllm bench serve` would: total tokens/s at
 * saturation must reproduce the team's measurements (19,813 / 2,511 / 1,533 tok/s) at their request
 * sizes within 3%, measured in the engine's virtual time so a loaded host cannot change the figure.
 * The HTTP part checks queueing, gauges, streaming and aborts, never speed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { measureSaturation } from '../../src/sim/clock.ts';
import { DEMO_REQUEST_SIZES, MODEL_SPECS, modelSpec } from '../../src/sim/models.ts';

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const GEMMA = 'google/gemma-3-4b-it';
const QWEN = 'Qwen/Qwen3-4B-Instruct-2507';

function profile(i: number) {
  const schools = ['Stanford University', 'Purdue University', 'Lakeview Community College'];
  const companies = ['Google', 'Shopify', 'Nimbus Labs', 'Greenway Retail'];
  return {
    name: `Candidate ${i}`,
    education: [{ school: schools[i % 3]!, degree: 'BS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
    experience: [
      { company: companies[i % 4]!, title: 'Software Engineer', start: '2014-06', end: '2018-05', description: 'Backend services.' },
      { company: companies[(i + 1) % 4]!, title: i % 2 ? 'Senior Software Engineer' : 'Account Manager', start: '2018-06', end: null, description: 'Platform work.' },
    ],
    skills: ['Python', 'Go', 'SQL'],
  };
}

const INSTRUCTIONS = `You screen candidates for software engineering roles. Return JSON only, no code fences: "recommendation" (Strong Yes, Yes, Maybe, No, Strong No), "reasoning", and "analysis" with educational_pedigree, company_pedigree, trajectory and is_software_engineer, each {"rating": Great, Good, Okay or Weak, "reasoning"}.
${'Weigh the education, the employers, the career trajectory and whether the person writes software for a living. '.repeat(9)}`;

describe('capacity model', () => {

  it("reproduces the team's measured throughput at the team's request sizes, and keeps the ratios at the demo's (virtual time)", async () => {
    // The closed loop runs in the engine's virtual time only (no timer, no HTTP), so the figure is the
    // capacity model's and never the host's CPU. Measured on the GPU: 19,813 / 2,511 / 1,533 total tok/s.
    const at = async (model: string, promptTokens: number, completionTokens: number, requests = 1500) =>
      (await measureSaturation(modelSpec(model)!.capacity, { requests, concurrency: 128, promptTokens, completionTokens })).totalTokensPerS;
    for (const m of MODEL_SPECS) {
      const t = m.calibration;
      const measured = await at(m.id, t.promptTokens, t.completionTokens);
      expect(measured, m.id).toBeGreaterThan(t.totalTokensPerS * 0.97);
      expect(measured, m.id).toBeLessThan(t.totalTokensPerS * 1.03);
    }
    // At the demo's request sizes (Llama's prompts are ~2.8x the team's), in 200-request groups as the
    // demo sends them: the ratios stay within 10% of the team's 7.89 and 1.64.
    const demo = async (model: string) => at(model, DEMO_REQUEST_SIZES[model]!.promptTokens, DEMO_REQUEST_SIZES[model]!.completionTokens, 200);
    const [l, g, q] = [await demo(LLAMA), await demo(GEMMA), await demo(QWEN)];
    expect(l / g, `llama ${l.toFixed(0)} gemma ${g.toFixed(0)}`).toBeGreaterThan(7.89 * 0.9);
    expect(l / g).toBeLessThan(7.89 * 1.1);
    expect(g / q, `gemma ${g.toFixed(0)} qwen ${q.toFixed(0)}`).toBeGreaterThan(1.64 * 0.9);
    expect(g / q).toBeLessThan(1.64 * 1.1);
  });

  it('queues beyond --max-num-seqs, keeps the gauges true, streams tokens as they are produced and frees aborted requests', async () => {
    const small = await spawnSimulator(['--speed', '5', '--max-num-seqs', '2', '--model', QWEN]);
    try {
      const body = (i: number, stream = false) =>
        JSON.stringify({ model: QWEN, messages: [{ role: 'user', content: `${INSTRUCTIONS}\n${JSON.stringify(profile(i), null, 2)}` }], max_tokens: 768, stream });
      const post = (i: number, signal?: AbortSignal, stream = false) =>
        fetch(`${small.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i, stream), signal });
      const controller = new AbortController();
      const pending = [1, 2, 3, 4].map((i) => post(i, controller.signal).catch(() => null));
      await new Promise((r) => setTimeout(r, 150));
      const gauge = (text: string, name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
      const m = await small.metrics();
      expect(gauge(m, 'vllm:num_requests_running')).toBe(2);
      expect(gauge(m, 'vllm:num_requests_waiting')).toBe(2);
      expect(gauge(m, 'vllm:kv_cache_usage_perc')).toBeGreaterThan(0);
      controller.abort();
      await Promise.all(pending);
      await new Promise((r) => setTimeout(r, 50));
      const after = await small.metrics();
      expect(gauge(after, 'vllm:num_requests_running')).toBe(0);
      expect(gauge(after, 'vllm:num_requests_waiting')).toBe(0);

      // Streaming: content arrives in several network reads spread over time.
      const res = await post(9, undefined, true);
      const reader = res.body!.getReader();
      let reads = 0;
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        reads++;
        text += new TextDecoder().decode(value);
      }
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(reads).toBeGreaterThan(5);
      const final = await small.metrics();
      expect(final).toMatch(/vllm:request_success_total\{model_name="Qwen\/Qwen3-4B-Instruct-2507",engine="0",finished_reason="abort"\} 4\.0/);
      expect(final).toMatch(/vllm:e2e_request_latency_seconds_count\{model_name="Qwen\/Qwen3-4B-Instruct-2507",engine="0"\} 1\.0/);
    } finally {
      await small.stop();
    }
  });
});
