/**
 * `concurrency: "auto"`: keep the server full without tuning. vLLM reports how many requests it is
 * running and how many wait for a slot (`vllm:num_requests_running` / `_waiting`), its KV-cache usage
 * and its preemptions on /metrics. While nothing waits, the KV cache has room and all our slots are
 * in use, the server can take more: grow by a quarter. Preemptions mean the running set outgrew the
 * KV cache and work is being recomputed: step back 10% and hold a few steps, so the limit settles
 * where preemptions begin (about the best throughput). A queue only adds latency (and risks timeouts): shrink towards what is running. A 429 or
 * 503 halves it. Without /metrics (hosted APIs) it stays where it started, halving on throttling.
 */

export interface ServerGauges {
  running: number;
  waiting: number;
  /** KV-cache usage 0..1, when reported. */
  kvUsage?: number;
  /** Cumulative preemptions, when reported. */
  preemptions?: number;
  /**
   * The server's own clock in seconds, when it reports one (qualbench's simulator: simulated time).
   * Control steps are then one per second of that clock, as against a GPU, however fast it runs.
   */
  clockS?: number;
}

export interface AutoConcurrencyOptions {
  initial: number;
  min?: number;
  max?: number;
  /** Reads the server's gauges for this model; null when it has no /metrics. */
  readGauges: () => Promise<ServerGauges | null>;
  /** Requests we have in flight now. */
  inFlight: () => number;
  /** Applies a new limit (e.g. to the queue). */
  apply: (concurrency: number) => void;
  /** @default 1000 */
  intervalMs?: number;
}

/** A waiting queue longer than this share of the running set (or 8) is too long. */
const QUEUE_SHARE = 0.25;
const MIN_QUEUE = 8;
/** KV-cache usage above which the controller stops growing. */
const KV_FULL = 0.9;
/** Control steps without growth after a preemption. */
const HOLD_TICKS = 5;

export class AutoConcurrency {
  current: number;
  /** Largest limit used. */
  peak: number;
  private readonly opts: Required<Omit<AutoConcurrencyOptions, 'readGauges' | 'inFlight' | 'apply'>> & AutoConcurrencyOptions;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private lastPreemptions: number | null = null;
  private hold = 0;
  private lastClock: number | null = null;

  constructor(opts: AutoConcurrencyOptions) {
    this.opts = { min: 4, max: 2048, intervalMs: 1000, ...opts };
    this.current = Math.min(this.opts.max, Math.max(this.opts.min, opts.initial));
    this.peak = this.current;
  }

  start(): void {
    this.opts.apply(this.current);
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One control step from the server's gauges (exposed for tests). */
  decide(g: ServerGauges | null, inFlight: number): number {
    if (!g) return this.current;
    const preempted = g.preemptions !== undefined && this.lastPreemptions !== null && g.preemptions > this.lastPreemptions;
    if (g.preemptions !== undefined) this.lastPreemptions = g.preemptions;
    if (preempted) {
      this.hold = HOLD_TICKS;
      return Math.max(this.opts.min, Math.floor(this.current * 0.9));
    }
    if (g.waiting > Math.max(MIN_QUEUE, QUEUE_SHARE * g.running)) return Math.max(this.opts.min, Math.min(this.current, Math.max(g.running + MIN_QUEUE, Math.floor(this.current * 0.85))));
    if (this.hold > 0) {
      this.hold--;
      return this.current;
    }
    const kvRoom = g.kvUsage === undefined || g.kvUsage < KV_FULL;
    if (g.waiting === 0 && kvRoom && inFlight >= this.current * 0.9) return Math.min(this.opts.max, Math.ceil(this.current * 1.25));
    return this.current;
  }

  /** The server said slow down (429 or 503). */
  throttled(): void {
    this.set(Math.max(this.opts.min, Math.floor(this.current / 2)));
  }

  private set(n: number): void {
    if (n === this.current) return;
    this.current = n;
    this.peak = Math.max(this.peak, n);
    this.opts.apply(n);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const g = await this.opts.readGauges();
      if (g?.clockS !== undefined) {
        // A server clock (the simulator's): one step per second of it, not of ours.
        if (this.lastClock !== null && g.clockS - this.lastClock < 1) return;
        this.lastClock = g.clockS;
      }
      this.set(this.decide(g, this.opts.inFlight()));
    } finally {
      this.busy = false;
    }
  }
}
