/**
 * The simulator's HTTP server: vLLM's OpenAI-compatible API (as of v0.11) on node:http.
 * Endpoints: GET /health, /version, /metrics, /v1/models; POST /v1/chat/completions.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine, type SeqTimings } from './capacity.ts';
import { ClientPacer, VirtualClock } from './clock.ts';
import { ApiError, UNAUTHORIZED_BODY, maxTokensTooLarge, modelNotFound, promptTooLong } from './errors.ts';
import { DEFAULT_RERUN_NOISE, generateAnswer } from './generate.ts';
import { LATENCY_BUCKETS, Registry, TTFT_BUCKETS } from './metrics.ts';
import { MODEL_SPECS, modelSpec, type ModelSpec } from './models.ts';
import { parseChatRequest, type ChatRequest } from './request.ts';
import { endSse, sendEvent, startSse } from './sse.ts';
import { faultPicker, type FaultRates } from './faults.ts';
import { countPromptTokens, tokenize } from './tokenizer.ts';

/** The vLLM version the simulator claims to be (`GET /version`). */
export const VLLM_VERSION = '0.11.0';

export interface ServerOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  /**
   * Multiplier of simulated time, `instant` for no simulated delay, or `auto`: per model, the speed at
   * which its calibrated saturated throughput is `autoTokensPerS` tokens per real second.
   */
  speed: number | 'instant' | 'auto';
  /** With `speed: 'auto'`: simulated tokens per real second each model is sped up to. @default AUTO_TOKENS_PER_S */
  autoTokensPerS?: number;
  /** Model seed: every persona decision. */
  seed: number;
  /** Run seed: which answers diverge from another run at temperature 0 (default 0). */
  runSeed?: number;
  /** Share of answers two runs with different run seeds differ on (default 0.03). */
  rerunNoise?: number;
  /** The generic persona's quality for prompts of tasks the simulator does not know (default: per model). */
  genericQuality?: number;
  /** Accepted API keys; empty = no auth. */
  apiKeys: string[];
  maxNumSeqs: number;
  maxModelLen: number;
  /** Served model ids, in order (the first is the default); empty = all known models. */
  models: string[];
  /** Share of chat requests to fail, by kind (see faults.ts). */
  faults?: FaultRates;
}

export interface RunningServer {
  port: number;
  /** `http://host:port` (no `/v1`). */
  url: string;
  close(): Promise<void>;
}

/**
 * Wrap a response so a streamed answer is cut after a few events (`cut`), or every write is
 * delayed so the answer trickles out (`slow`).
 */
function faultedResponse(res: ServerResponse, fault: 'cut' | 'slow'): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let events = 0;
  let delay = 0;
  (res as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (fault === 'cut') {
      if (++events > 3) {
        res.socket?.destroy();
        return false;
      }
      return write(chunk, ...rest);
    }
    delay += 40;
    setTimeout(() => !res.destroyed && write(chunk, ...rest), delay);
    return true;
  };
  (res as unknown as { end: unknown }).end = (...args: unknown[]) => {
    if (fault === 'cut') {
      res.socket?.destroy();
      return res;
    }
    setTimeout(() => !res.destroyed && end(...args), delay + 40);
    return res;
  };
}

interface Served {
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
 * same: Llama ~1x, Gemma ~8x, Qwen ~13x, some 20 requests a real second each for the demo's request
 * sizes. A busier host only makes the run slower (late ticks are dropped, the clock holds for the
 * client: see VirtualClock and ClientPacer), not the figures (docs/simulator.md).
 */
export const AUTO_TOKENS_PER_S = 20_000;

/** The speed `--speed auto` gives a model: its calibrated total tokens/s scaled to `tokensPerS` a real second. */
export function autoSpeed(spec: ModelSpec, tokensPerS = AUTO_TOKENS_PER_S): number {
  return Math.round((tokensPerS / spec.calibration.totalTokensPerS) * 1000) / 1000;
}

const GUARDED = ['/v1', '/v2', '/inference', '/cohere'];
const MAX_BODY = 64 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'Request Entity Too Large', 'Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function authorized(req: IncomingMessage, keys: string[]): boolean {
  const header = req.headers.authorization;
  if (!header) return false;
  const space = header.indexOf(' ');
  const scheme = space >= 0 ? header.slice(0, space) : header;
  const token = space >= 0 ? header.slice(space + 1) : '';
  return scheme.toLowerCase() === 'bearer' && keys.includes(token);
}

/** Start the simulator; resolves once it listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const ids = options.models.length > 0 ? options.models : MODEL_SPECS.map((m) => m.id);
  const served = new Map<string, Served>();
  for (const id of ids) {
    const spec = modelSpec(id);
    if (!spec) throw new Error(`unknown model ${id}; the simulator serves ${MODEL_SPECS.map((m) => m.id).join(', ')}`);
    if (options.speed === 'instant') {
      served.set(id, { spec, engine: null, clock: null, pacer: null });
      continue;
    }
    const clock = new VirtualClock(options.speed === 'auto' ? autoSpeed(spec, options.autoTokensPerS) : options.speed);
    const engine = new Engine(spec.capacity, options.maxNumSeqs);
    clock.add(engine);
    served.set(id, { spec, engine, clock, pacer: new ClientPacer(clock) });
  }
  const defaultModel = ids[0]!;
  const created = Math.floor(Date.now() / 1000);
  const metrics = buildMetrics(served);
  const pickFault = faultPicker(options.faults ?? {}, options.seed);

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof ApiError) {
        if (!res.headersSent) sendJson(res, e.status, e.body());
        return;
      }
      process.stderr.write(`qualbench-sim: internal error: ${(e as Error).stack ?? String(e)}\n`);
      if (!res.headersSent) sendJson(res, 500, new ApiError(500, 'InternalServerError', 'Internal server error').body());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const guarded = GUARDED.some((p) => path === p || path.startsWith(`${p}/`));
    if (path === '/v1/chat/completions' && method === 'POST') return chat(req, res, guarded);
    if (guarded && method !== 'OPTIONS' && options.apiKeys.length > 0 && !authorized(req, options.apiKeys)) return sendJson(res, 401, UNAUTHORIZED_BODY);
    if (method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-length': 0 });
      return void res.end();
    }
    if (method === 'GET' && path === '/version') return sendJson(res, 200, { version: VLLM_VERSION });
    // Not part of vLLM: lets a client label figures measured against the simulator (speed-scaled time).
    if (method === 'GET' && path === '/sim/info') {
      return sendJson(res, 200, {
        simulator: 'qualbench-sim',
        speed: options.speed,
        // Per model: the speed its clock runs at (with `auto`, each model has its own).
        models: Object.fromEntries([...served].map(([id, x]) => [id, { speed: x.clock?.speed ?? 'instant' }])),
        seed: options.seed,
        run_seed: options.runSeed ?? 0,
        rerun_noise: options.rerunNoise ?? DEFAULT_RERUN_NOISE,
        max_num_seqs: options.maxNumSeqs,
        max_model_len: options.maxModelLen,
      });
    }
    if (method === 'GET' && path === '/metrics') {
      const text = metrics.registry.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: ids.map((id) => modelCard(id, created, options.maxModelLen)) });
    }
    if (['/health', '/version', '/metrics', '/v1/models', '/v1/chat/completions'].includes(path)) return sendJson(res, 405, { detail: 'Method Not Allowed' });
    return sendJson(res, 404, { detail: 'Not Found' });
  }

  async function chat(req: IncomingMessage, res: ServerResponse, guarded: boolean): Promise<void> {
    const raw = await readBody(req);
    const count = (model: string, status: number) => metrics.registry.inc('qualbench_sim_chat_requests_total', { model_name: model, status: String(status) });
    const bestModel = () => {
      try {
        const m = (JSON.parse(raw) as { model?: unknown }).model;
        return typeof m === 'string' ? m : defaultModel;
      } catch {
        return defaultModel;
      }
    };
    if (guarded && options.apiKeys.length > 0 && !authorized(req, options.apiKeys)) {
      count(bestModel(), 401);
      return sendJson(res, 401, UNAUTHORIZED_BODY);
    }
    let request: ChatRequest;
    let s: Served;
    let promptTokens: number;
    let budget: number;
    try {
      request = parseChatRequest(raw);
      const model = request.model ?? defaultModel;
      const found = served.get(model);
      if (!found) throw modelNotFound(model);
      s = found;
      promptTokens = countPromptTokens(request.messages, s.spec.template);
      if (promptTokens >= options.maxModelLen) throw promptTooLong(options.maxModelLen, promptTokens);
      if (request.maxTokens !== null && promptTokens + request.maxTokens > options.maxModelLen) {
        throw maxTokensTooLarge(request.maxTokens, options.maxModelLen, promptTokens);
      }
      budget = request.maxTokens ?? options.maxModelLen - promptTokens;
    } catch (e) {
      if (e instanceof ApiError) count(bestModel(), e.status);
      throw e;
    }
    const model = s.spec.id;
    const fault = pickFault();
    if (fault === '429' || fault === '500' || fault === '503') {
      const status = Number(fault);
      count(model, status);
      const body = new ApiError(status, status === 429 ? 'RateLimitError' : 'InternalServerError', status === 429 ? 'Too many requests (injected fault)' : 'Internal server error (injected fault)').body();
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(status === 429 ? { 'retry-after': '0' } : {}) });
      return void res.end(text);
    }
    if (fault === 'reset' || (fault === 'cut' && !request.stream)) {
      count(model, 0);
      return void req.socket.destroy();
    }
    if (fault === 'hang') {
      count(model, 0);
      return; // never answers; the socket closes when the client gives up
    }
    if (fault === 'malformed') {
      count(model, 200);
      const text = '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    if (fault === 'cut' || fault === 'slow') faultedResponse(res, fault);
    count(model, 200);

    const full = generateAnswer({
      serverSeed: options.seed,
      runSeed: options.runSeed,
      rerunNoise: options.rerunNoise,
      ...(options.genericQuality !== undefined ? { genericQuality: options.genericQuality } : {}),
      model,
      messages: request.messages,
      temperature: request.temperature,
      seed: request.seed,
      maxTokens: request.maxTokens,
      mode: request.mode,
      schema: request.schema,
      thinking: request.thinking,
    });
    const allPieces = tokenize(full);
    const pieces = allPieces.slice(0, budget);
    const finishReason = allPieces.length > budget ? 'length' : 'stop';
    const completionTokens = pieces.length;
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const createdAt = Math.floor(Date.now() / 1000);
    const usage = (generated: number) => ({ prompt_tokens: promptTokens, total_tokens: promptTokens + generated, completion_tokens: generated, prompt_tokens_details: null });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id, object: 'chat.completion.chunk', created: createdAt, model, choices, ...extra });
    const labels = { model_name: model, engine: '0' };

    const record = (t: SeqTimings | null, reason: string) => {
      const r = metrics.registry;
      r.inc('vllm:prompt_tokens_total', labels, promptTokens);
      r.inc('vllm:generation_tokens_total', labels, completionTokens);
      r.inc('vllm:request_success_total', { ...labels, finished_reason: reason });
      const tt = t ?? { queueS: 0, prefillS: 0, decodeS: 0, ttftS: 0, e2eS: 0, preemptions: 0 };
      r.observe('vllm:time_to_first_token_seconds', labels, tt.ttftS);
      r.observe('vllm:e2e_request_latency_seconds', labels, tt.e2eS);
      r.observe('vllm:request_queue_time_seconds', labels, tt.queueS);
      r.observe('vllm:request_prefill_time_seconds', labels, tt.prefillS);
      r.observe('vllm:request_decode_time_seconds', labels, tt.decodeS);
    };

    const clock = s.clock;
    // A request enters and leaves the engine: the pacer holds the clock while the client owes a freed
    // slot; the real seconds spent in the engine are counted beside (the rest of the client's latency
    // is HTTP and turnaround, host time).
    const engineSpan = () => {
      const t0 = performance.now();
      s.pacer?.arrived(t0, !s.engine!.busy);
      return () => {
        const t1 = performance.now();
        s.pacer?.finished(t1);
        metrics.registry.inc('qualbench_sim_engine_real_seconds_total', { model_name: model }, (t1 - t0) / 1000);
      };
    };

    if (!request.stream) {
      if (s.engine && clock) {
        const span = engineSpan();
        const job = s.engine.submit(clock.now(), promptTokens, completionTokens, () => {});
        void job.done.then(span);
        clock.wake();
        let closed = false;
        res.on('close', () => {
          if (!res.writableFinished && !closed) {
            closed = true;
            job.abort();
            metrics.registry.inc('vllm:request_success_total', { ...labels, finished_reason: 'abort' });
          }
        });
        const timings = await job.done;
        if (closed) return;
        record(timings, finishReason);
        // Not part of vLLM: the request's end-to-end latency in simulated (GPU) time, for the client's timeout (GPU_LATENCY_HEADER in src/core/run-records.ts).
        res.setHeader('x-qualbench-sim-e2e-ms', String(Math.round(timings.e2eS * 1000)));
      } else record(null, finishReason);
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created: createdAt,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: pieces.join(''), refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], reasoning_content: null },
            logprobs: null,
            finish_reason: finishReason,
            stop_reason: null,
          },
        ],
        service_tier: null,
        system_fingerprint: null,
        usage: usage(completionTokens),
        prompt_logprobs: null,
        kv_transfer_params: null,
      });
    }

    // Streaming.
    startSse(res);
    const cont = (n: number) => (request.continuousUsage && request.includeUsage ? { usage: usage(n) } : {});
    sendEvent(res, chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], cont(0)));
    let sent = 0;
    const emitUpTo = (generated: number, final: boolean) => {
      const upto = Math.min(generated, pieces.length);
      const text = pieces.slice(sent, upto).join('');
      sent = upto;
      if (final) {
        sendEvent(res, chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: finishReason, stop_reason: null }], cont(sent)));
      } else if (text) {
        sendEvent(res, chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }], cont(sent)));
      }
    };
    const finish = (t: SeqTimings | null = null) => {
      emitUpTo(pieces.length, true);
      // Not part of vLLM: the simulated (GPU) end-to-end latency rides on the usage chunk (GPU_LATENCY_FIELD in src/core/run-records.ts).
      if (request.includeUsage) sendEvent(res, chunk([], { usage: usage(completionTokens), ...(t ? { qualbench_sim: { e2e_ms: Math.round(t.e2eS * 1000) } } : {}) }));
      endSse(res);
    };
    if (s.engine && clock) {
      const span = engineSpan();
      const job = s.engine.submit(clock.now(), promptTokens, completionTokens, (g) => {
        if (g < pieces.length) emitUpTo(g, false);
      });
      void job.done.then(span);
      clock.wake();
      let closed = false;
      res.on('close', () => {
        if (!res.writableFinished && !closed) {
          closed = true;
          job.abort();
          metrics.registry.inc('vllm:request_success_total', { ...labels, finished_reason: 'abort' });
        }
      });
      const timings = await job.done;
      if (closed) return;
      record(timings, finishReason);
      finish(timings);
    } else {
      for (let i = 8; i < pieces.length; i += 8) emitUpTo(i, false);
      record(null, finishReason);
      finish();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const x of served.values()) x.clock?.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function modelCard(id: string, created: number, maxModelLen: number) {
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

function buildMetrics(served: Map<string, Served>) {
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
