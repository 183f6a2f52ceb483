/**
 * A tiny Prometheus registry rendering the text exposition format the way prometheus_client does
 * (counters exposed with `_total`, floats with a decimal point, histogram `_bucket`/`_count`/`_sum`).
 */

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  buckets?: readonly number[];
  series: Map<string, { labels: Labels; value: number; counts?: number[]; sum?: number; count?: number }>;
  collect?: () => { labels: Labels; value: number }[];
}

const key = (labels: Labels) => JSON.stringify(labels);
const fmt = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/** A registry of metric families. Names are the exposed names (counters include `_total`). */
export class Registry {
  private readonly families = new Map<string, Family>();

  /** Declare a counter (name ends in `_total`). */
  counter(name: string, help: string): void {
    this.families.set(name, { name, help, type: 'counter', series: new Map() });
  }

  /** Declare a gauge (or a counter kept elsewhere) whose values are read when scraped. */
  gauge(name: string, help: string, collect: () => { labels: Labels; value: number }[], type: 'gauge' | 'counter' = 'gauge'): void {
    this.families.set(name, { name, help, type, series: new Map(), collect });
  }

  /** Declare a histogram with upper bounds `buckets` (+Inf is added). */
  histogram(name: string, help: string, buckets: readonly number[]): void {
    this.families.set(name, { name, help, type: 'histogram', buckets, series: new Map() });
  }

  /** Add to a counter series. */
  inc(name: string, labels: Labels, by = 1): void {
    const f = this.families.get(name);
    if (!f) throw new Error(`unknown metric ${name}`);
    const k = key(labels);
    const s = f.series.get(k) ?? { labels, value: 0 };
    s.value += by;
    f.series.set(k, s);
  }

  /** Make a series exist at zero (so it is listed before anything happens). */
  touch(name: string, labels: Labels): void {
    const f = this.families.get(name);
    if (f && !f.series.has(key(labels))) {
      if (f.type === 'histogram') f.series.set(key(labels), { labels, value: 0, counts: f.buckets!.map(() => 0), sum: 0, count: 0 });
      else f.series.set(key(labels), { labels, value: 0 });
    }
  }

  /** Record one histogram observation (`times` identical ones). */
  observe(name: string, labels: Labels, value: number, times = 1): void {
    const f = this.families.get(name);
    if (!f || f.type !== 'histogram') throw new Error(`unknown histogram ${name}`);
    this.touch(name, labels);
    const s = f.series.get(key(labels))!;
    f.buckets!.forEach((b, i) => {
      if (value <= b) s.counts![i]! += times;
    });
    s.sum! += value * times;
    s.count! += times;
  }

  /** The exposition text. */
  render(): string {
    const out: string[] = [];
    for (const f of this.families.values()) {
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      if (f.collect) for (const s of f.collect()) out.push(`${f.name}${labelText(s.labels)} ${fmt(s.value)}`);
      for (const s of f.series.values()) {
        if (f.type === 'histogram') {
          const base = f.name;
          f.buckets!.forEach((b, i) => out.push(`${base}_bucket${labelText({ ...s.labels, le: fmt(b) })} ${fmt(s.counts![i]!)}`));
          out.push(`${base}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${fmt(s.count!)}`);
          out.push(`${base}_count${labelText(s.labels)} ${fmt(s.count!)}`);
          out.push(`${base}_sum${labelText(s.labels)} ${fmt(s.sum!)}`);
        } else out.push(`${f.name}${labelText(s.labels)} ${fmt(s.value)}`);
      }
    }
    return out.join('\n') + '\n';
  }
}

/** vLLM's histogram buckets (v1/metrics/loggers.py). */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0] as const;
export const LATENCY_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0] as const;

/** vLLM's buckets for inter-token latency and time per output token (v1/metrics/loggers.py). */
export const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0] as const;

/** vLLM's `build_1_2_5_buckets(max_model_len)`: 1, 2, 5, 10, 20, 50, ... up to `max`. */
export function buckets125(max: number): number[] {
  const out: number[] = [];
  for (let exp = 1; ; exp *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * exp > max) return out;
      out.push(m * exp);
    }
  }
}

/** What the engine-level metrics read from one served model. */
export interface EngineView {
  model: string;
  engine: { kv: { queries: number; hits: number } } | null;
}

/**
 * The vLLM series the capacity model adds: prefix-cache counters (tokens queried and hit), inter-token
 * latency, time per output token (the deprecated per-token one and the per-request one) and the
 * request size histograms. Call `observeEngineRequest` when a request finishes.
 */
export function addEngineMetrics(registry: Registry, views: () => EngineView[], maxModelLen: number): void {
  const each = (f: (v: EngineView) => number) => () => views().map((v) => ({ labels: { model_name: v.model, engine: '0' }, value: f(v) }));
  registry.gauge('vllm:prefix_cache_queries_total', 'Prefix cache queries, in terms of number of queried tokens.', each((v) => v.engine?.kv.queries ?? 0), 'counter');
  registry.gauge('vllm:prefix_cache_hits_total', 'Prefix cache hits, in terms of number of cached tokens.', each((v) => v.engine?.kv.hits ?? 0), 'counter');
  registry.histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', ITL_BUCKETS);
  registry.histogram('vllm:time_per_output_token_seconds', 'Histogram of time per output token in seconds. DEPRECATED: Use vllm:inter_token_latency_seconds instead.', ITL_BUCKETS);
  registry.histogram('vllm:request_time_per_output_token_seconds', 'Histogram of time_per_output_token_seconds per request.', ITL_BUCKETS);
  const sizes = buckets125(maxModelLen);
  registry.histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', sizes);
  registry.histogram('vllm:request_generation_tokens', 'Number of generation tokens processed.', sizes);
  for (const v of views()) for (const h of ENGINE_HISTOGRAMS) registry.touch(h, { model_name: v.model, engine: '0' });
}

const ENGINE_HISTOGRAMS = ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds', 'vllm:request_time_per_output_token_seconds', 'vllm:request_prompt_tokens', 'vllm:request_generation_tokens'];

/** A finished request's timings, as the engine-level histograms need them. */
export interface RequestSample {
  promptTokens: number;
  completionTokens: number;
  /** Decode time (first token to last), simulated seconds; null without an engine (instant mode). */
  decodeS: number | null;
  /** Gaps between successive tokens, simulated seconds (empty without an engine). */
  interTokenS: readonly number[];
}

/** Record a finished request in the engine-level histograms. */
export function observeEngineRequest(registry: Registry, labels: Labels, r: RequestSample): void {
  registry.observe('vllm:request_prompt_tokens', labels, r.promptTokens);
  registry.observe('vllm:request_generation_tokens', labels, r.completionTokens);
  for (const gap of r.interTokenS) {
    registry.observe('vllm:inter_token_latency_seconds', labels, gap);
    registry.observe('vllm:time_per_output_token_seconds', labels, gap);
  }
  if (r.decodeS !== null && r.completionTokens > 1) registry.observe('vllm:request_time_per_output_token_seconds', labels, r.decodeS / (r.completionTokens - 1));
}

/** Sum of a metric's samples in exposition text, optionally filtered by label values. */
export function sumSamples(text: string, name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([^{\s]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(where).every(([k, v]) => labels[k] === v)) total += Number(m[3]);
  }
  return total;
}
