/** What the server holds per served model, its `/v1/models` card and its Prometheus metrics. */
import { randomUUID } from 'node:crypto';
import type { Engine } from './capacity.ts';
import type { ClientPacer, VirtualClock } from './clock.ts';
import { LATENCY_BUCKETS, Registry, TTFT_BUCKETS } from './metrics.ts';
import type { ModelSpec } from './models.ts';

export interface Served {
  spec: ModelSpec;
  engine: Engine | null;
  /** The model's own simulated clock (each model is its own GPU, at its own speed). */
  clock: VirtualClock | null;
  /** Holds the clock while the client owes the engine a request (see ClientPacer). */
  pacer: ClientPacer | null;
}

/**
 * `--speed auto`: each model's clock runs at the speed that makes its calibrated saturated throughput
 * this many simulated tokens per real second. What the host must sustain is the real rate of requests
 * (HTTP, answer generation, streaming, client turnaround), not the simulated one: at 1x Llama 1B alone
 * makes ~46 requests a second, Gemma ~2.3, Qwen ~1.4. At 20,000 every model costs the host about the
 * same: Llama ~1x, Gemma ~8x, Qwen ~7x (its saturated figure is projected, see docs/simulator.md), some 20 requests a real second each for the demo's request
 * sizes. A busier host only makes the run slower (late ticks are dropped, the clock holds for the
 * client: see VirtualClock and ClientPacer), not the figures (docs/simulator.md).
 */
export const AUTO_TOKENS_PER_S = 20_000;

/** The speed `--speed auto` gives a model: its calibrated total tokens/s scaled to `tokensPerS` a real second. */
export function autoSpeed(spec: ModelSpec, tokensPerS = AUTO_TOKENS_PER_S): number {
  return Math.round((tokensPerS / spec.calibration.totalTokensPerS) * 1000) / 1000;
}

export function modelCard(id: string, created: number, maxModelLen: number) {
  return {
    id,
    object: 'model',
    created,
    owned_by: 'vllm',
    root: id,
    parent: null,
    max_model_len: maxModelLen,
    permission: [
      {
        id: `modelperm-${randomUUID().replace(/-/g, '')}`,
        object: 'model_permission',
        created,
        allow_create_engine: false,
        allow_sampling: true,
        allow_logprobs: true,
        allow_search_indices: false,
        allow_view: true,
        allow_fine_tuning: false,
        organization: '*',
        group: null,
        is_blocking: false,
      },
    ],
  };
}

export function buildMetrics(served: Map<string, Served>) {
  const registry = new Registry();
  const each = (f: (s: Served) => number) => [...served.values()].map((s) => ({ labels: { model_name: s.spec.id, engine: '0' }, value: f(s) }));
  registry.gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', () => each((s) => s.engine?.numRunning ?? 0));
  registry.gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', () => each((s) => s.engine?.numWaiting ?? 0));
  registry.gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', () => each((s) => s.engine?.kvUsage ?? 0));
  registry.gauge('vllm:num_preemptions_total', 'Cumulative number of preemption from the engine.', () => each((s) => s.engine?.preemptions ?? 0), 'counter');
  registry.counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.');
  registry.counter('vllm:generation_tokens_total', 'Number of generation tokens processed.');
  registry.counter('vllm:request_success_total', 'Count of successfully processed requests.');
  registry.histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', TTFT_BUCKETS);
  registry.histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', LATENCY_BUCKETS);
  registry.histogram('vllm:request_queue_time_seconds', 'Histogram of time spent in WAITING phase for request.', LATENCY_BUCKETS);
  registry.histogram('vllm:request_prefill_time_seconds', 'Histogram of time spent in PREFILL phase for request.', LATENCY_BUCKETS);
  registry.histogram('vllm:request_decode_time_seconds', 'Histogram of time spent in DECODE phase for request.', LATENCY_BUCKETS);
  registry.counter('qualbench_sim_chat_requests_total', 'qualbench simulator: POST /v1/chat/completions requests received, by model and HTTP status.');
  // The simulator's own clock, per model (each model is its own simulated GPU); absent in instant mode.
  const clocked = () => [...served.values()].filter((s) => s.clock);
  const perClock = (f: (c: VirtualClock) => number) => () => clocked().map((s) => ({ labels: { model_name: s.spec.id }, value: f(s.clock!) }));
  registry.gauge('qualbench_sim_speed', 'qualbench simulator: simulated seconds per real second this model\'s clock runs at (nominal).', perClock((c) => c.speed));
  registry.gauge('qualbench_sim_tick_seconds', 'qualbench simulator: real seconds between the clock\'s timer ticks (streamed chunks and engine progress come once a tick).', perClock((c) => c.tickSeconds));
  registry.gauge('qualbench_sim_virtual_seconds_total', 'qualbench simulator: simulated (GPU) seconds elapsed on this model\'s clock.', perClock((c) => c.now()), 'counter');
  registry.gauge(
    'qualbench_sim_busy_seconds_total',
    'qualbench simulator: simulated seconds of engine steps (the simulated GPU working) for this model.',
    () => clocked().map((s) => ({ labels: { model_name: s.spec.id }, value: s.engine!.busySeconds })),
    'counter',
  );
  registry.gauge('qualbench_sim_real_seconds_total', 'qualbench simulator: real seconds this model\'s clock has run, lag included.', perClock((c) => c.realSeconds()), 'counter');
  registry.gauge('qualbench_sim_lag_seconds_total', 'qualbench simulator: real seconds not turned into simulated time because the clock\'s timer ran late (host CPU).', perClock((c) => c.lagSeconds()), 'counter');
  registry.counter('qualbench_sim_engine_real_seconds_total', 'qualbench simulator: real seconds requests spent inside the engine (queued or running), summed.');
  registry.gauge('qualbench_sim_held_seconds_total', 'qualbench simulator: real seconds this model\'s clock held still waiting for the client to refill freed slots.', perClock((c) => c.heldSeconds()), 'counter');
  registry.gauge(
    'qualbench_sim_client_wait_seconds_total',
    'qualbench simulator: simulated seconds freed slots stood empty waiting for the client\'s next request (what holding the clock could not absorb).',
    () => clocked().map((s) => ({ labels: { model_name: s.spec.id }, value: s.pacer?.clientWaitS ?? 0 })),
    'counter',
  );
  for (const s of served.values()) {
    const labels = { model_name: s.spec.id, engine: '0' };
    if (s.engine) registry.touch('qualbench_sim_engine_real_seconds_total', { model_name: s.spec.id });
    registry.touch('vllm:prompt_tokens_total', labels);
    registry.touch('vllm:generation_tokens_total', labels);
    for (const reason of ['stop', 'length', 'abort']) registry.touch('vllm:request_success_total', { ...labels, finished_reason: reason });
    for (const h of ['vllm:time_to_first_token_seconds', 'vllm:e2e_request_latency_seconds', 'vllm:request_queue_time_seconds', 'vllm:request_prefill_time_seconds', 'vllm:request_decode_time_seconds']) {
      registry.touch(h, labels);
    }
  }
  return { registry };
}
