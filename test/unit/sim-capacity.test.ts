/**
 * The capacity model, measured from outside like `vllm bench serve` would: at each operating point the
 * team measured (request sizes, requests in flight, server settings), total tokens/s must come within
 * 10% of the team's figure, measured in the engine's virtual time so a loaded host cannot change it.
 * The KV cache comes from the architecture on a 16 GB card. The HTTP part checks queueing, gauges,
 * streaming and aborts, never speed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { ClientPacer, measureLoad, VirtualClock } from '../../src/sim/clock.ts';
import { Engine } from '../../src/sim/capacity.ts';
import { capacityProfile, MODEL_SPECS, modelSpec } from '../../src/sim/models.ts';
import { kvArithmetic } from '../../src/sim/card.ts';
import { parseSimArgs } from '../../src/sim/main.ts';

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

  it("reproduces each of the team's figures at the operating point it was measured at, within 10% (virtual time)", () => {
    // Llama 19,813 and Gemma 2,511 tok/s: 5,000-request batches (sent at once: the server runs at its own
    // limits); Qwen 1,533 on 10 requests; Qwen 740 on a 5K batch with enforce_eager.
    const points = MODEL_SPECS.flatMap((m) => m.operatingPoints.map((p) => ({ m, p })));
    expect(points).toHaveLength(4);
    const got: Record<string, number> = {};
    for (const { m, p } of points) {
      const r = measureLoad(capacityProfile(m, { enforceEager: p.enforceEager ?? false }), p);
      got[`${m.id} ${p.label}`] = r.totalTokensPerS;
      expect(r.totalTokensPerS, `${m.id}: ${p.label}`).toBeGreaterThan(p.totalTokensPerS * 0.9);
      expect(r.totalTokensPerS, `${m.id}: ${p.label}`).toBeLessThan(p.totalTokensPerS * 1.1);
    }
    // Requests per second at the team's batches: Llama:Gemma ~20x (5,000 in 1.8 min against 36.8 min).
    const rate = (id: string) => {
      const m = modelSpec(id)!;
      return measureLoad(m.capacity, m.operatingPoints[0]!).requestsPerS;
    };
    const ratio = rate(LLAMA) / rate(GEMMA);
    expect(ratio, JSON.stringify(got)).toBeGreaterThan((36.8 / 1.8) * 0.9);
    expect(ratio).toBeLessThan((36.8 / 1.8) * 1.1);
  });

  it('derives the KV cache from the architecture: the 4B models hold a few dozen requests on 16 GB and preempt beyond, Llama is limited by max-num-seqs', () => {
    const gemma = kvArithmetic(modelSpec(GEMMA)!.architecture);
    // 2 x 34 layers x 4 KV heads x 256 x 2 bytes; 16 GiB x 0.9 - 8.6 GB weights - 1 GiB reserve.
    expect(gemma.kvBytesPerToken).toBe(139_264);
    expect(gemma.kvTokens).toBeGreaterThan(38_000);
    expect(gemma.kvTokens).toBeLessThan(45_000);
    expect(kvArithmetic(modelSpec(QWEN)!.architecture).kvBytesPerToken).toBe(147_456);
    expect(kvArithmetic(modelSpec(LLAMA)!.architecture).kvBytesPerToken).toBe(32_768);
    const g = measureLoad(modelSpec(GEMMA)!.capacity, { requests: 400, concurrency: 400, promptTokens: 788, completionTokens: 308 });
    expect(g.maxRunning).toBeGreaterThan(25);
    expect(g.maxRunning).toBeLessThan(70);
    expect(g.preemptions).toBeGreaterThan(0);
    const l = measureLoad(modelSpec(LLAMA)!.capacity, { requests: 600, concurrency: 600, promptTokens: 308, completionTokens: 121 });
    expect(l.maxRunning).toBe(256);
    expect(l.preemptions).toBe(0);
    // Less memory for the KV cache, fewer requests at once.
    const low = measureLoad(capacityProfile(modelSpec(GEMMA)!, { gpuMemoryUtilization: 0.7 }), { requests: 400, concurrency: 400, promptTokens: 788, completionTokens: 308 });
    expect(low.maxRunning).toBeLessThan(g.maxRunning / 2);
  });

  it('attention cost grows with context; enforce_eager and a smaller token budget are slower', () => {
    const q = modelSpec(QWEN)!;
    const perToken = (prompt: number, opts = {}) => {
      const r = measureLoad(capacityProfile(q, opts), { requests: 8, concurrency: 8, promptTokens: prompt, completionTokens: 200 });
      return (r.virtualS - r.meanTtftS) / 200; // roughly the decode time per token
    };
    expect(perToken(8000)).toBeGreaterThan(perToken(500) * 1.2);
    expect(perToken(500, { enforceEager: true })).toBeGreaterThan(perToken(500) * 3);
    const ttft = (budget: number) => measureLoad(capacityProfile(q, { maxNumBatchedTokens: budget }), { requests: 1, concurrency: 1, promptTokens: 6000, completionTokens: 10 }).meanTtftS;
    expect(ttft(512)).toBeGreaterThan(ttft(8192));
  });

  it('launch flags: vLLM engine arguments, one model per server with the context that fits, refusals with vLLM\'s message', () => {
    const opts = (argv: string[]) => {
      const o = parseSimArgs(argv, {});
      if (o === 'help') throw new Error('help');
      return o;
    };
    expect(opts([]).launch).toEqual({ gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 2048, enforceEager: false, prefixCaching: true });
    expect(opts(['--enforce-eager', '--no-enable-prefix-caching', '--gpu-memory-utilization', '0.8', '--max-num-batched-tokens', '8192']).launch).toEqual({
      gpuMemoryUtilization: 0.8,
      maxNumBatchedTokens: 8192,
      enforceEager: true,
      prefixCaching: false,
    });
    expect(opts([]).maxModelLen).toBe(8192); // multi-model demo mode
    expect(opts(['--model', LLAMA]).maxModelLen).toBe(131_072);
    expect(opts(['--model', QWEN]).maxModelLen).toBe(kvArithmetic(modelSpec(QWEN)!.architecture).kvTokens);
    expect(opts(['--model', QWEN, '--gpu-memory-utilization', '0.95']).maxModelLen).toBeGreaterThan(opts(['--model', QWEN]).maxModelLen);
    expect(opts(['--model', GEMMA, '--max-model-len', '16384']).maxModelLen).toBe(16_384);
    expect(() => opts(['--model', GEMMA, '--max-model-len', '131072'])).toThrow(/google\/gemma-3-4b-it: to serve at least one request with the models's max seq len \(131072\).*the estimated maximum model length is 41552/);
    expect(() => opts(['--model', GEMMA, '--gpu-memory-utilization', '0.5'])).toThrow(/no available memory for the cache blocks/);
    expect(() => opts(['--gpu-memory-utilization', '1.5'])).toThrow(/--gpu-memory-utilization must be a share/);
  });

  it('client pacer: a request sent after the batch (the client raising its concurrency) owes nothing; a straggler of the batch does', () => {
    let real = 1000;
    const clock = new VirtualClock(10, 3, { realNow: () => real, manual: true });
    const pacer = new ClientPacer(clock, { graceMs: 500, burstGapMs: 100, burstMaxMs: 5000 });
    clock.wake();
    pacer.arrived(real, true); // a batch of one starts the engine
    real += 50;
    pacer.arrived(real, false); // a straggler within the gap: the clock held, nothing leaked
    expect(pacer.clientWaitS).toBe(0);
    for (let i = 0; i < 100; i++) {
      real += 3;
      clock.tick(); // the batch runs 300 ms (3 simulated s); nothing has finished
    }
    real += 1;
    pacer.arrived(real, false); // the client grows its concurrency: a new send, not owed
    expect(pacer.clientWaitS).toBe(0);

    // Twenty slots freed and left unfilled for 2 s, then refilled: at most 8 were owed (a client holding
    // back on purpose), each charged the simulated time since it was freed.
    const settle = () => {
      for (let i = 0; i < 700; i++) {
        real += 3;
        clock.tick();
      }
    };
    const v0 = clock.now();
    for (let i = 0; i < 20; i++) pacer.finished(real);
    settle(); // 2.1 s real: the clock holds 500 ms, then runs (the client is taken to be draining)
    const waited = clock.now() - v0;
    for (let i = 0; i < 20; i++) pacer.arrived(real, false);
    expect(pacer.clientWaitS).toBeCloseTo(8 * waited, 6);
  });

  it('client pacer: a slot freed while requests are queued is taken by the queue, so the client owes nothing', () => {
    let real = 1000;
    const clock = new VirtualClock(10, 3, { realNow: () => real, manual: true });
    const engine = new Engine({ stepBaseS: 0.01, perSeqS: 0.001, prefillPerTokenS: 0.0001, kvCapacityTokens: 100_000, maxBatchedTokens: 2048 }, 1);
    clock.add(engine);
    const pacer = new ClientPacer(clock, { graceMs: 500 });
    for (let i = 0; i < 3; i++) void engine.submit(clock.now(), 100, 1000, () => {});
    clock.wake();
    clock.tick();
    expect(engine.numWaiting).toBe(2);
    pacer.arrived(real, false);
    pacer.finished(real);
    for (let i = 0; i < 400; i++) {
      real += 3;
      clock.tick();
    }
    pacer.arrived(real, false);
    expect(pacer.clientWaitS).toBe(0);
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
