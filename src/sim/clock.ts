/**
 * The simulator's clock: simulated time that a busy host slows but never turns into GPU time
 * (VirtualClock, with bounded late ticks and holds for the client, ClientPacer), and a saturation
 * measurement of the capacity model in pure virtual time (measureSaturation). Split from capacity.ts,
 * which keeps the engine itself.
 */
import { Engine, type CapacityProfile } from './capacity.ts';

/**
 * Simulated time for one or more engines, driven by a coarse real-time timer.
 *
 * Every tick advances virtual time by the real time elapsed since the last tick x `speed`, but by at
 * most `maxAdvanceTicks` tick intervals of real time: a tick that comes late (the process was starved
 * of CPU, or its event loop was busy generating answers) advances only that much, and the rest is
 * counted as lag. So a busy host slows the run, never the GPU: host stalls are not turned into
 * simulated GPU time. While no engine has work the timer stops; idle real time then counts in full
 * (a GPU idles at the same rate), since there is nothing a stall could hold back.
 */
export class VirtualClock {
  private readonly currentSpeed: number;
  private readonly tickMs: number;
  private readonly maxAdvanceMs: number;
  private timer: NodeJS.Timeout | null = null;
  /** Whether ticks are due (the timer runs, or the caller drives ticks by hand). */
  private running = false;
  private readonly manual: boolean;
  private readonly engines = new Set<Engine>();
  private readonly realNow: () => number;
  /** Virtual seconds at `lastReal`. */
  private virtualS = 0;
  private lastReal: number;
  /** Real ms accounted up to `lastReal`; of those, the ones dropped as lag and the ones held. */
  private realMs = 0;
  private lagMs = 0;
  private heldMs = 0;
  /** Real time (ms) until which the clock holds still (see ClientPacer). */
  private heldUntil = -Infinity;

  /** `manual`: no real timer; the caller calls tick() (tests). */
  constructor(speed: number, tickMs = 3, opts: { maxAdvanceTicks?: number; realNow?: () => number; manual?: boolean } = {}) {
    this.currentSpeed = speed;
    this.manual = opts.manual ?? false;
    this.tickMs = tickMs;
    this.maxAdvanceMs = tickMs * (opts.maxAdvanceTicks ?? 2);
    this.realNow = opts.realNow ?? (() => performance.now());
    this.lastReal = this.realNow();
  }

  /** The timer's interval, real seconds. */
  get tickSeconds(): number {
    return this.tickMs / 1000;
  }

  /** Simulated seconds per real second, now. */
  get speed(): number {
    return this.currentSpeed;
  }

  /**
   * How the real ms from `lastReal` to `t` divide: held (the clock waits for the client), used
   * (simulated time) and lag (dropped: a late tick; all of it counts while idle).
   */
  private split(t: number): { held: number; used: number; lag: number } {
    const elapsed = Math.max(0, t - this.lastReal);
    const held = Math.min(elapsed, Math.max(0, this.heldUntil - this.lastReal));
    const rest = elapsed - held;
    const used = this.running ? Math.min(rest, this.maxAdvanceMs) : rest;
    return { held, used, lag: rest - used };
  }

  /** Current virtual time in seconds (never ahead of what the next tick will reach). */
  now(): number {
    return this.virtualS + (this.split(this.realNow()).used / 1000) * this.currentSpeed;
  }

  /** Hold the clock still until real time `until` (ms, performance.now()); -Infinity releases it. */
  holdUntil(until: number): void {
    this.account();
    this.heldUntil = until;
  }

  /** Seconds of real time the clock held still waiting for the client. */
  heldSeconds(): number {
    return (this.heldMs + this.split(this.realNow()).held) / 1000;
  }

  /** Seconds of real time this clock has run, lag included. */
  realSeconds(): number {
    return (this.realMs + Math.max(0, this.realNow() - this.lastReal)) / 1000;
  }

  /** Seconds of real time dropped because ticks came late (host CPU, not GPU). */
  lagSeconds(): number {
    return (this.lagMs + this.split(this.realNow()).lag) / 1000;
  }

  /** Whether any of this clock's engines has requests waiting for a slot. */
  get queued(): boolean {
    for (const e of this.engines) if (e.numWaiting > 0) return true;
    return false;
  }

  /** Register an engine to be advanced by this clock. */
  add(engine: Engine): void {
    this.engines.add(engine);
  }

  /** Make sure the timer runs (call after submitting work). */
  wake(): void {
    if (this.running) return;
    this.account();
    this.running = true;
    if (!this.manual) this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /** Move the accounting point to now: advance virtual time, count dropped real time as lag. */
  private account(): void {
    const t = this.realNow();
    const { held, used, lag } = this.split(t);
    this.virtualS += (used / 1000) * this.currentSpeed;
    this.realMs += Math.max(0, t - this.lastReal);
    this.lagMs += lag;
    this.heldMs += held;
    this.lastReal = t;
  }

  /** Advance every engine to the current virtual time; stop the timer when all are idle. */
  tick(): void {
    this.account();
    const now = this.virtualS;
    let busy = false;
    for (const e of this.engines) {
      e.advance(now);
      busy ||= e.busy;
    }
    if (!busy) this.stop();
  }

  /** Stop the timer. */
  stop(): void {
    if (!this.running) return;
    this.account();
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** A closed-loop load on one engine, in virtual time only. */
export interface SaturationLoad {
  /** Requests in all. */
  requests: number;
  /** Clients, each sending its next request the moment its previous one finishes (= requests: a batch sent at once). */
  concurrency: number;
  promptTokens: number;
  /** Mean completion tokens; each request gets 60%..140% of it (a fixed spread, no randomness). */
  completionTokens: number;
  /** @default 256 */
  maxNumSeqs?: number;
  /** Block hashes of request `i`'s prompt (prefix caching); none by default. */
  blockHashes?: (i: number) => readonly string[];
}

export interface LoadResult {
  totalTokensPerS: number;
  requestsPerS: number;
  /** From the first request to the last answer, simulated seconds. */
  virtualS: number;
  preemptions: number;
  /** Most sequences running at once. */
  maxRunning: number;
  /** Prompt tokens prefilled, and found in the prefix cache. */
  prefilledTokens: number;
  cachedTokens: number;
  meanTtftS: number;
}

/**
 * Total (prompt + completion) tokens per virtual second an engine with `profile` sustains under
 * `load`: the capacity model's own figure, with no timer, HTTP or host CPU involved. Runs step by step
 * (each refill arrives when the request it replaces finishes).
 */
export function measureLoad(profile: CapacityProfile, load: SaturationLoad): LoadResult {
  const engine = new Engine(profile, load.maxNumSeqs ?? 256);
  let now = 0;
  let next = 0;
  let finished = 0;
  let tokens = 0;
  let maxRunning = 0;
  let cached = 0;
  let ttft = 0;
  const submit = () => {
    if (next >= load.requests) return;
    const i = next++;
    const c = Math.max(1, Math.round(load.completionTokens * (0.6 + (0.8 * (((i + 1) * 7919) % 101)) / 100)));
    engine.submit(now, load.promptTokens, c, () => {}, {
      ...(load.blockHashes ? { blockHashes: load.blockHashes(i) } : {}),
      onDone: (t) => {
        finished++;
        tokens += load.promptTokens + c;
        cached += t.cachedTokens;
        ttft += t.ttftS;
        submit();
      },
    });
  };
  for (let i = 0; i < load.concurrency; i++) submit();
  engine.advance(0);
  while (finished < load.requests) {
    const end = engine.stepEnd;
    if (end === null) throw new Error('measureLoad: the engine stalled with requests left');
    now = end;
    engine.advance(now);
    maxRunning = Math.max(maxRunning, engine.numRunning);
  }
  return { totalTokensPerS: tokens / now, requestsPerS: finished / now, virtualS: now, preemptions: engine.preemptions, maxRunning, prefilledTokens: engine.prefilledTokens, cachedTokens: cached, meanTtftS: ttft / finished };
}

/** measureLoad, as a promise (the older interface). */
export async function measureSaturation(profile: CapacityProfile, load: SaturationLoad): Promise<LoadResult> {
  return measureLoad(profile, load);
}


/**
 * Keeps the client's turnaround out of simulated time. A real GPU's client (on the same machine, idle
 * otherwise) refills a freed slot within a millisecond; here the harness and the simulator share a
 * possibly busy host, and the real time between a request finishing and the client's next request
 * reaching the engine (HTTP, answer generation, the client's event loop, CPU contention) would be
 * `speed` times as much simulated time with the engine short of work. So:
 *
 * - after a request finishes, the clock holds still until a new request takes its place, for at most
 *   `graceMs` of real time per finished request (FIFO: each arrival pays the oldest debt);
 * - when requests start arriving at an idle engine, it holds while they keep coming (gaps under
 *   `burstGapMs`, `burstMaxMs` in all), so a batch sent at once starts at once;
 * - once a debt goes unpaid for `graceMs` the client is taken to be draining (a batch's tail: nothing
 *   left to send) and the clock runs freely until the next arrival, which still pays that debt (the
 *   simulated time it waited is counted).
 *
 * Holding never bends the simulated timeline (the engine does nothing while the clock stands); it only
 * costs real time. What the holds could not absorb is measured: `clientWaitS`, the simulated seconds
 * slots stood empty between a request finishing (or a batch starting) and the next arrival.
 */
/**
 * At most this many freed slots are owed at once. A client that keeps more unfilled is doing so on
 * purpose (qualbench's auto concurrency steps back 10-15% when the KV cache is full or the queue long),
 * not because the host is slow; without the cap those slots were charged as client wait when its
 * concurrency grew back (11-14% of Gemma's and Qwen's time in the 200-request demo).
 */
const MAX_OWED_SLOTS = 8;

/** Debts older than this many graces are not paired with arrivals any more (a tail's leftovers). */
const STALE_DEBT_GRACES = 20;

export class ClientPacer {
  /** Simulated seconds freed slots waited for the client's next request. */
  clientWaitS = 0;
  private readonly clock: VirtualClock;
  private readonly graceMs: number;
  private readonly burstGapMs: number;
  private readonly burstMaxMs: number;
  private debts: { real: number; virtual: number }[] = [];
  private draining = false;
  private burst: { real: number; virtual: number } | null = null;
  private lastArrival = -Infinity;

  constructor(clock: VirtualClock, opts: { graceMs?: number; burstGapMs?: number; burstMaxMs?: number } = {}) {
    this.clock = clock;
    this.graceMs = opts.graceMs ?? 500;
    this.burstGapMs = opts.burstGapMs ?? 1000;
    this.burstMaxMs = opts.burstMaxMs ?? 5000;
  }

  /** A request reaches the engine at real time `at` (ms); `engineIdle`: nothing queued or running before it. */
  arrived(at: number, engineIdle: boolean): void {
    if (engineIdle) {
      this.debts = [];
      this.burst = { real: at, virtual: this.clock.now() };
    }
    // An arrival after the burst's hold ran out (a gap longer than burstGapMs) is not a straggler of the
    // batch but a new send (e.g. the client raising its concurrency): the slots it fills were not owed.
    if (this.burst && !engineIdle && at - this.lastArrival > this.burstGapMs) this.burst = null;
    this.expire(at);
    const debt = this.debts.shift();
    if (debt) this.clientWaitS += Math.max(0, this.clock.now() - debt.virtual);
    else if (this.burst) this.clientWaitS += Math.max(0, this.clock.now() - this.burst.virtual);
    this.draining = false;
    this.lastArrival = at;
    this.update(at);
  }

  /** A request left the engine at real time `at` (ms). */
  finished(at: number): void {
    this.burst = null; // the batch has started: from now on refills pay debts
    // Requests still queued take the freed slot: the GPU is not short of work, and the client owes
    // nothing (it may well be holding back on purpose, e.g. shrinking its concurrency while the KV
    // cache is full).
    if (this.clock.queued) return this.update(at);
    this.debts.push({ real: at, virtual: this.clock.now() });
    // More freed slots left unfilled at once than a host stall explains: the client is holding back on
    // purpose (e.g. lowering its concurrency after preemptions), and those slots are not owed.
    while (this.debts.length > MAX_OWED_SLOTS) this.debts.shift();
    this.update(at);
  }

  /** A debt older than the grace means the client is draining; much older ones are forgotten. */
  private expire(at: number): void {
    while (this.debts.length > 0 && at - this.debts[0]!.real > STALE_DEBT_GRACES * this.graceMs) this.debts.shift();
    if (this.debts.length > 0 && at - this.debts[0]!.real > this.graceMs) this.draining = true;
    if (this.burst && at - this.burst.real > this.burstMaxMs) this.burst = null;
  }

  private update(at: number): void {
    this.expire(at);
    let until = -Infinity;
    if (!this.draining && this.debts.length > 0) until = this.debts[0]!.real + this.graceMs;
    if (this.burst) until = Math.max(until, Math.min(this.lastArrival + this.burstGapMs, this.burst.real + this.burstMaxMs));
    this.clock.holdUntil(until);
  }
}
