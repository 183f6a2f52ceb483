/**
 * The simulator's HTTP server: vLLM's OpenAI-compatible API (as of v0.11) on node:http.
 * Endpoints: GET /health, /version, /metrics, /v1/models; POST /v1/chat/completions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Engine } from './capacity.ts';
import { handleChat, type ChatContext } from './chat.ts';
import { ClientPacer, VirtualClock } from './clock.ts';
import { ApiError, UNAUTHORIZED_BODY } from './errors.ts';
import { DEFAULT_RERUN_NOISE } from './generate.ts';
import { GUARDED, authorized, sendJson } from './http.ts';
import { capacityProfile, DEFAULT_MAX_NUM_BATCHED_TOKENS, MODEL_SPECS, modelSpec, type LaunchOptions } from './models.ts';
import { CARD } from './card.ts';
import { addEngineMetrics } from './metrics.ts';
import { autoSpeed, buildMetrics, modelCard, type Served } from './served.ts';
import { faultPicker, type FaultRates } from './faults.ts';
import { TIMER_RESOLUTION_MS } from './stream-pacer.ts';
import { DEFAULT_VLLM_VERSION, vllmBehaviour } from './vllm-version.ts';

export { AUTO_TOKENS_PER_S, autoSpeed } from './served.ts';

/** The vLLM version the simulator claims to be by default (`GET /version`; `--vllm-version`). */
export const VLLM_VERSION = DEFAULT_VLLM_VERSION;

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
  /** Engine arguments of the capacity model (prefix caching, enforce_eager, memory, token budget). */
  launch?: LaunchOptions;
  /** The vLLM version to behave as (`--vllm-version`, default 0.11.0; see vllm-version.ts). */
  vllmVersion?: string;
  /** `--reasoning-parser` (`qwen3`): a thinking model's `<think>` text goes to the reasoning field, not `content`. */
  reasoningParser?: string | null;
  /**
   * Testing only (`--as-vllm`, not in --help): look like a real vLLM server to a client: no `/sim/info`,
   * no `qualbench_sim_*` series in /metrics, no `x-qualbench-sim-*` header. The clock still runs at `speed`,
   * but never holds for the client (as a GPU: a slow client leaves it idle, it does not slow it down).
   */
  asVllm?: boolean;
}

/**
 * Multi-model mode: several models from one process, each on its own simulated GPU (the demo's
 * setup); a real vLLM server serves one model. Single-model mode is `--model` given once.
 */
export function isMultiModel(options: Pick<ServerOptions, 'models'>): boolean {
  return options.models.length !== 1;
}
const MULTI_MODEL_NOTE = 'qualbench-sim multi-model demo mode: these models are served by one process, each on its own simulated 16 GB GPU; a real vLLM server serves one model (start the simulator with one --model for that)';

export interface RunningServer {
  port: number;
  /** `http://host:port` (no `/v1`). */
  url: string;
  close(): Promise<void>;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

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
    const engine = new Engine(capacityProfile(spec, options.launch), options.maxNumSeqs);
    clock.add(engine);
    // As a real GPU, an --as-vllm server never holds its clock for a slow client.
    served.set(id, { spec, engine, clock, pacer: options.asVllm ? null : new ClientPacer(clock) });
  }
  const defaultModel = ids[0]!;
  const created = Math.floor(Date.now() / 1000);
  const metrics = buildMetrics(served);
  addEngineMetrics(metrics.registry, () => [...served.values()].map((x) => ({ model: x.spec.id, engine: x.engine })), options.maxModelLen);
  const pickFault = faultPicker(options.faults ?? {}, options.seed);
  const vllm = vllmBehaviour(options.vllmVersion ?? DEFAULT_VLLM_VERSION);
  const chat: ChatContext = { options, served, defaultModel, metrics, pickFault, vllm, reasoningParser: options.reasoningParser ?? null };

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
    if (path === '/v1/chat/completions' && method === 'POST') return handleChat(chat, req, res, guarded);
    if (guarded && method !== 'OPTIONS' && options.apiKeys.length > 0 && !authorized(req, options.apiKeys)) return sendJson(res, 401, UNAUTHORIZED_BODY);
    if (method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-length': 0 });
      return void res.end();
    }
    if (method === 'GET' && path === '/version') return sendJson(res, 200, { version: vllm.version });
    // Not part of vLLM: lets a client label figures measured against the simulator (speed-scaled time).
    if (method === 'GET' && path === '/sim/info' && !options.asVllm) {
      return sendJson(res, 200, {
        simulator: 'qualbench-sim',
        speed: options.speed,
        // Per model: the speed its clock runs at (with `auto`, each model has its own), and the finest
        // inter-token gap its stream resolves in simulated seconds (stream-pacer.ts): ITL below it is
        // the timer's, not the engine's.
        models: Object.fromEntries(
          [...served].map(([id, x]) => [id, x.clock ? { speed: x.clock.speed, itl_resolution_s: round6((TIMER_RESOLUTION_MS / 1000) * x.clock.speed) } : { speed: 'instant' }]),
        ),
        seed: options.seed,
        run_seed: options.runSeed ?? 0,
        rerun_noise: options.rerunNoise ?? DEFAULT_RERUN_NOISE,
        max_num_seqs: options.maxNumSeqs,
        max_model_len: options.maxModelLen,
        mode: isMultiModel(options) ? 'multi-model' : 'single-model',
        // The engine arguments that change speed (part of the server's identity; KV sizes follow from them).
        engine: {
          prefix_caching: options.launch?.prefixCaching ?? true,
          enforce_eager: options.launch?.enforceEager ?? false,
          gpu_memory_utilization: options.launch?.gpuMemoryUtilization ?? CARD.gpuMemoryUtilization,
          max_num_batched_tokens: options.launch?.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS,
        },
        vllm_version: vllm.version,
        ...(chat.reasoningParser ? { reasoning_parser: chat.reasoningParser } : {}),
        // One SSE chunk per decoded token (vLLM's default stream interval), not one per clock tick.
        stream_chunks: 'per-token',
      });
    }
    if (method === 'GET' && path === '/metrics') {
      const all = metrics.registry.render();
      const text = options.asVllm ? all.split('\n').filter((l) => !/^(# (HELP|TYPE) )?qualbench_/.test(l)).join('\n') : all;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    if (method === 'GET' && path === '/v1/models') {
      const list = { object: 'list', data: ids.map((id) => modelCard(id, created, options.maxModelLen)) };
      return sendJson(res, 200, isMultiModel(options) ? { ...list, qualbench_sim: MULTI_MODEL_NOTE } : list);
    }
    if (['/health', '/version', '/metrics', '/v1/models', '/v1/chat/completions'].includes(path)) return sendJson(res, 405, { detail: 'Method Not Allowed' });
    return sendJson(res, 404, { detail: 'Not Found' });
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

