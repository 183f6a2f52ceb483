import PQueue from 'p-queue';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GroupTiming, ModelResponse, RenderedRequest, ResultRecord } from '../core/records.ts';
import { addSample, emptyHistogram } from '../core/log-histogram.ts';
import { RunAbortedError } from '../core/errors.ts';
import type { ChatClient, Completion } from './chat-client.ts';
import type { ResponseStore } from './store.ts';
import { backoffDelay, classifyError } from './retry.ts';
import { AutoConcurrency, type ServerGauges } from './concurrency.ts';

export interface RunPolicy {
  /** Requests in flight (with `auto`, where to start). */
  concurrency: number;
  /** Adapt the concurrency to the server's running/waiting gauges (see concurrency.ts). */
  auto?: { readGauges: () => Promise<ServerGauges | null>; max?: number; intervalMs?: number };
  /** Per-attempt timeout. @default 120_000 */
  timeoutMs: number;
  /** Attempts per request, the first included. @default 5 */
  maxAttempts: number;
  backoff?: { baseMs?: number; maxMs?: number };
}

export interface RunEvent {
  type: 'finished';
  record: ResultRecord;
  retries: number;
}

export interface RunGroupOptions {
  model: string;
  promptVersion: string;
  requests: Iterable<RenderedRequest> | AsyncIterable<RenderedRequest>;
  client: ChatClient;
  store: ResponseStore;
  /** Called once per finished request, in completion order; must persist it before returning. */
  record: (result: ResultRecord) => void;
  /** Slot ids (see `slotId`) already recorded in this run (resume): skipped, never sent. */
  done: ReadonlySet<string>;
  policy: RunPolicy;
  /** Identity of the server answering (src/core/server-identity.ts), written on every result. */
  server?: string;
  random: () => number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops sending new requests; requests in flight get `drainMs` to finish, then are abandoned unrecorded (a resume sends them). */
  signal?: AbortSignal;
  /** After `signal` aborts, how long requests in flight may take before they are abandoned. @default 30_000 */
  drainMs?: number;
  onEvent?: (event: RunEvent) => void;
}

const round3 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : 0);

/**
 * How long, on average, something arriving at a random moment (an answer, a freed slot) waited for the
 * event loop, in ms, from the sampler's intervals (mean and standard deviation, ms) at `resolution` ms:
 * an interval of resolution + d had the loop blocked for its last d, where an arrival waits d/2 on average,
 * so the wait is E[d²] / (2 E[interval]). The histogram's mean under-weights long stalls (one sample however
 * long the stall); this weights them by the time they take.
 */
export function arrivalWait(meanMs: number, stddevMs: number, resolution: number): number {
  if (!(meanMs > 0)) return 0;
  const d = Math.max(0, meanMs - resolution);
  return (stddevMs * stddevMs + d * d) / (2 * meanMs);
}

/** One result per (model, prompt version, item): the identity used for resume and de-duplication. */
export function slotId(model: string, promptVersion: string, itemId: string): string {
  return `${model}\u0000${promptVersion}\u0000${itemId}`;
}

/** Sleep, cut short by the signal; the listener is removed when the timer fires (no build-up over retries). */
const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });

/**
 * Run one (model, prompt version) group: answer each request from the store when it can,
 * otherwise send it through a bounded queue with retries, and record each outcome the moment
 * it is final. Returns the group's timing segment.
 */
export async function runGroup(opts: RunGroupOptions): Promise<GroupTiming & { interrupted: boolean; abandoned: number }> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const queue = new PQueue({ concurrency: opts.policy.concurrency });
  const auto = opts.policy.auto
    ? new AutoConcurrency({
        initial: opts.policy.concurrency,
        ...(opts.policy.auto.max ? { max: opts.policy.auto.max } : {}),
        ...(opts.policy.auto.intervalMs ? { intervalMs: opts.policy.auto.intervalMs } : {}),
        readGauges: opts.policy.auto.readGauges,
        inFlight: () => queue.pending,
        apply: (n) => (queue.concurrency = n),
      })
    : null;
  auto?.start();
  // How late this process gets to answers and to sending the next request (against a fast simulator,
  // a few ms here are many simulated seconds with the engine short of work).
  const LOOP_RESOLUTION_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  const startedAt = now();
  let sent = 0;
  let cached = 0;
  let retries = 0;
  let abandoned = 0;
  const inFlight = new Set<string>();

  // Bounded drain: once interrupted, in-flight requests get drainMs, then they are cut off and left
  // unrecorded, so `--resume` sends them again (nothing half-recorded, nothing lost). Each request has
  // its own controller: one signal shared by 200K requests would collect a listener per request.
  const live = new Set<AbortController>();
  let drained = false;
  let drainTimer: NodeJS.Timeout | undefined;
  opts.signal?.addEventListener(
    'abort',
    () => {
      drainTimer = setTimeout(() => {
        drained = true;
        for (const c of live) c.abort();
      }, opts.drainMs ?? 30_000);
      drainTimer.unref();
    },
    { once: true },
  );

  const itl = emptyHistogram();
  // The simulator's GPU-equivalent latencies against the timeout: real time runs faster than simulated time,
  // so an answer that arrived in time may have taken longer than the timeout on the modelled GPU. The answer
  // is kept (what a retry on the GPU would have returned is unknown); the run is flagged (aggregate's trust).
  const gpu = { measured: 0, over: 0, max_ms: 0 };
  const finish = (
    req: RenderedRequest,
    source: 'sent' | 'cached',
    response: ModelResponse | null,
    error: ResultRecord['error'],
    attempts: number,
    started: number,
    latency: number | null,
    itemRetries: number,
    ttft: number | null = null,
    streamFallback = false,
    gpuLatency?: number,
  ) => {
    const gpuTimedOut = gpuLatency !== undefined && gpuLatency > opts.policy.timeoutMs;
    if (gpuLatency !== undefined) {
      gpu.measured++;
      if (gpuTimedOut) gpu.over++;
      gpu.max_ms = Math.max(gpu.max_ms, gpuLatency);
    }
    const record: ResultRecord = {
      key: req.key,
      item_id: req.item_id,
      model: req.model,
      prompt_version: req.prompt_version,
      source,
      response,
      error,
      attempts,
      latency_ms: latency,
      ...(ttft !== null ? { ttft_ms: ttft } : {}),
      ...(opts.server !== undefined ? { server: opts.server } : {}),
      ...(streamFallback ? { stream_fallback: true } : {}),
      ...(gpuLatency !== undefined ? { gpu_latency_ms: gpuLatency } : {}),
      ...(gpuTimedOut ? { gpu_timed_out: true } : {}),
      started_at: new Date(started).toISOString(),
      finished_at: new Date(now()).toISOString(),
    };
    opts.record(record);
    opts.onEvent?.({ type: 'finished', record, retries: itemRetries });
  };

  // A failure to persist (full disk, read-only folder) stops the run: resumable, never recorded as a model error.
  let fatal: Error | undefined;
  const persist = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      fatal ??= e as Error;
      queue.clear();
    }
  };

  const send = async (req: RenderedRequest) => {
    sent++;
    const started = now();
    let attempt = 0;
    for (;;) {
      attempt++;
      const t0 = now();
      let done: Completion;
      try {
        const cut = new AbortController();
        live.add(cut);
        try {
          done = await opts.client.complete(req, { timeoutMs: opts.policy.timeoutMs, signal: cut.signal });
        } finally {
          live.delete(cut);
        }
      } catch (err) {
        if (drained) {
          abandoned++;
          return;
        }
        const c = classifyError(err);
        if (c.status === 429 || c.status === 503) auto?.throttled();
        const budgetLeft = attempt < opts.policy.maxAttempts;
        if (!c.retryable || !budgetLeft || opts.signal?.aborted || fatal) {
          persist(() => finish(req, 'sent', null, { kind: c.kind, status: c.status, message: c.message }, attempt, started, null, attempt - 1));
          return;
        }
        retries++;
        const retryAfter = Number((err as { headers?: Headers | Record<string, string> })?.headers instanceof Headers ? ((err as { headers: Headers }).headers.get('retry-after') ?? NaN) : NaN);
        await sleep(backoffDelay(attempt - 1, opts.random, opts.policy.backoff, Number.isFinite(retryAfter) ? retryAfter : undefined), opts.signal);
        continue;
      }
      for (const gap of done.gaps_ms ?? []) addSample(itl, gap);
      persist(() => {
        opts.store.put(req.key, done.response);
        finish(req, 'sent', done.response, null, attempt, started, now() - t0, attempt - 1, done.ttft_ms, done.stream_fallback === true, done.gpu_latency_ms);
      });
      return;
    }
  };

  // On interrupt, drop what is queued but not started; requests in flight finish and are recorded.
  opts.signal?.addEventListener('abort', () => queue.clear(), { once: true });
  for await (const req of opts.requests) {
    if (opts.signal?.aborted || fatal) break;
    const slot = slotId(req.model, req.prompt_version, req.item_id);
    if (opts.done.has(slot) || inFlight.has(slot)) continue;
    const hit = opts.store.get(req.key);
    if (hit) {
      cached++;
      const t = now();
      finish(req, 'cached', hit, null, 0, t, null, 0);
      continue;
    }
    inFlight.add(slot);
    // Backpressure: never hold more than twice the concurrency in memory.
    if (queue.size >= queue.concurrency) await queue.onSizeLessThan(queue.concurrency);
    // Once recorded, a slot leaves the set (item ids are unique per dataset): memory stays bounded by what is in flight.
    void queue.add(() => send(req).finally(() => inFlight.delete(slot)));
  }
  await queue.onIdle();
  auto?.stop();
  loopDelay.disable();
  clearTimeout(drainTimer);
  if (fatal) {
    const code = (fatal as NodeJS.ErrnoException).code ?? fatal.message;
    throw new RunAbortedError(
      `cannot write the run's results or the response store (${code})`,
      'Free disk space or make the folders writable, then resume the run with --resume: everything recorded so far is kept.',
    );
  }
  const finishedAt = now();
  return {
    model: opts.model,
    prompt_version: opts.promptVersion,
    sent,
    cached,
    retries,
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(finishedAt).toISOString(),
    wall_ms: finishedAt - startedAt,
    ...(itl.count > 0 ? { itl } : {}),
    ...(auto ? { concurrency: { final: auto.current, peak: auto.peak } } : {}),
    ...(gpu.measured > 0 ? { gpu_timeouts: { timeout_ms: opts.policy.timeoutMs, measured: gpu.measured, over: gpu.over, max_ms: gpu.max_ms } } : {}),
    ...(loopDelay.count > 0
      ? {
          // The histogram's samples include the sampling interval itself; what is beyond it is the delay.
          event_loop_delay_ms: {
            mean: round3(Math.max(0, loopDelay.mean / 1e6 - LOOP_RESOLUTION_MS)),
            p99: round3(Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS)),
            max: round3(Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS)),
            wait: round3(arrivalWait(loopDelay.mean / 1e6, loopDelay.stddev / 1e6, LOOP_RESOLUTION_MS)),
          },
        }
      : {}),
    interrupted: Boolean(opts.signal?.aborted),
    abandoned,
  };
}
