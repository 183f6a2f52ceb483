/**
 * Read vLLM's Prometheus counters for one model, under both old and new metric names
 * (see shared research notes §4): `_total` suffixes stripped, `gpu_cache_usage_perc`
 * as the fallback for `kv_cache_usage_perc`.
 */

/** The counters qualbench records around each segment, by stable short name. */
const WANTED: Record<string, string[]> = {
  prompt_tokens: ['vllm:prompt_tokens'],
  generation_tokens: ['vllm:generation_tokens'],
  requests_finished: ['vllm:request_success'],
  preemptions: ['vllm:num_preemptions'],
  kv_cache_usage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
  requests_running: ['vllm:num_requests_running'],
  requests_waiting: ['vllm:num_requests_waiting'],
  prefix_cache_queries: ['vllm:prefix_cache_queries', 'vllm:gpu_prefix_cache_queries'],
  prefix_cache_hits: ['vllm:prefix_cache_hits', 'vllm:gpu_prefix_cache_hits'],
  // qualbench's simulator only (docs/simulator.md, Metrics): its clock, so speed is read in simulated time.
  sim_speed: ['qualbench_sim_speed'],
  sim_tick_seconds: ['qualbench_sim_tick_seconds'],
  sim_virtual_seconds: ['qualbench_sim_virtual_seconds'],
  sim_busy_seconds: ['qualbench_sim_busy_seconds'],
  sim_real_seconds: ['qualbench_sim_real_seconds'],
  sim_lag_seconds: ['qualbench_sim_lag_seconds'],
  sim_engine_real_seconds: ['qualbench_sim_engine_real_seconds'],
  sim_held_seconds: ['qualbench_sim_held_seconds'],
  sim_client_wait_seconds: ['qualbench_sim_client_wait_seconds'],
  // vLLM's own: summed end-to-end latency (simulated seconds against the simulator).
  e2e_latency_seconds_sum: ['vllm:e2e_request_latency_seconds_sum'],
};

/** Sum, per wanted counter, the samples whose model_name label is the model (or that carry no model label). */
export function parseVllmMetrics(text: string, modelId: string): Record<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const name = m[1]!.replace(/_total$/, '');
    const labels = m[3] ?? '';
    const model = /model_name="([^"]*)"/.exec(labels)?.[1];
    if (model !== undefined && model !== modelId) continue;
    const value = Number(m[4]);
    if (!Number.isFinite(value)) continue;
    sums.set(name, (sums.get(name) ?? 0) + value);
  }
  const out: Record<string, number> = {};
  for (const [key, names] of Object.entries(WANTED)) {
    const found = names.find((n) => sums.has(n));
    if (found) out[key] = sums.get(found)!;
  }
  return out;
}

/** GET <server>/metrics and read the model's counters; null when the server has no /metrics. */
export async function scrapeServerMetrics(baseURL: string, modelId: string, timeoutMs = 5_000): Promise<Record<string, number> | null> {
  try {
    const res = await fetch(`${baseURL.replace(/\/v1$/, '')}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    return parseVllmMetrics(await res.text(), modelId);
  } catch {
    return null;
  }
}
