/**
 * Timing like a continuous-batching server (vLLM V1 scheduler, simplified).
 *
 * Per model (as if each had its own GPU): a running set of at most `max-num-seqs` sequences and a FIFO
 * waiting queue. Time advances in engine steps. In each step every decoding sequence emits one token,
 * and prompts are prefilled in chunks under a per-step token budget (chunked prefill); a sequence emits
 * its first token in the step that finishes its prefill. A step lasts
 *
 *     step = base + perSeq * (sequences emitting a token) + prefillPerToken * (prompt tokens prefilled)
 *
 * KV cache: every sequence holds its prompt and generated tokens in 16-token blocks. A new sequence is
 * admitted only if its prompt fits; when decoding outgrows the cache the most recently admitted sequence
 * is preempted (freed, put back at the head of the queue, recomputed later) like vLLM's recompute mode.
 *
 * Time is virtual: a coarse real timer (every few ms) advances virtual time by elapsed real time x speed
 * and runs every step that fits, so `--speed 100` works although single steps are far below timer
 * resolution. A late tick advances by a bounded amount only (see VirtualClock), so host stalls do not
 * become GPU time. Reported latencies (metrics) are in virtual seconds: what a real server would measure.
 */

/** Constants of one model's step-time model, in seconds. */
export interface CapacityProfile {
  stepBaseS: number;
  perSeqS: number;
  prefillPerTokenS: number;
  kvCapacityTokens: number;
  maxBatchedTokens: number;
}

/** The measured operating point a profile is fitted to (bench/calibrate.ts). */
export interface CalibrationTarget {
  /** (prompt + completion tokens) per second at saturation. */
  totalTokensPerS: number;
  promptTokens: number;
  completionTokens: number;
  /** Concurrent requests at which the target was measured. */
  concurrency: number;
  stepBaseS: number;
  /** prefillPerToken / perSeq. */
  prefillRatio: number;
  kvCapacityTokens: number;
  maxBatchedTokens?: number;
}

/** Per-request timings in virtual seconds. */
export interface SeqTimings {
  queueS: number;
  prefillS: number;
  decodeS: number;
  ttftS: number;
  e2eS: number;
  preemptions: number;
}

interface Seq {
  promptTokens: number;
  target: number;
  generated: number;
  prefillRemaining: number;
  arrival: number;
  scheduledAt: number | null;
  firstTokenAt: number | null;
  preemptions: number;
  kvBlocks: number;
  dirty: boolean;
  onTokens: (generated: number) => void;
  resolve: (t: SeqTimings) => void;
}

const BLOCK = 16;
const blocks = (tokens: number) => Math.ceil(tokens / BLOCK);

/** One model's engine: running set, waiting queue and step clock. */
export class Engine {
  readonly profile: CapacityProfile;
  readonly maxNumSeqs: number;
  private running: Seq[] = [];
  private waiting: Seq[] = [];
  private engineTime = 0;
  private step: { end: number; emitters: Seq[] } | null = null;
  private kvUsedBlocks = 0;
  /** Total preemptions so far. */
  preemptions = 0;
  /**
   * Simulated seconds of engine steps so far: the time the simulated GPU was working. A GPU's figures
   * over a batch span its busy time; the idle gaps before and after it are the client's.
   */
  busySeconds = 0;

  constructor(profile: CapacityProfile, maxNumSeqs: number) {
    this.profile = profile;
    this.maxNumSeqs = maxNumSeqs;
  }

  /** Sequences in the running batch (prefilling or decoding). */
  get numRunning(): number {
    return this.running.length;
  }

  /** Sequences waiting for a slot. */
  get numWaiting(): number {
    return this.waiting.length;
  }

  /** Fraction of KV-cache blocks in use, 0..1. */
  get kvUsage(): number {
    return Math.min(1, this.kvUsedBlocks / blocks(this.profile.kvCapacityTokens));
  }

  /** Whether any sequence is queued or running. */
  get busy(): boolean {
    return this.running.length > 0 || this.waiting.length > 0;
  }

  /**
   * Queue a request of `promptTokens` that will generate `outputTokens` tokens. `onTokens` is called
   * (coarsely, once per timer tick) with the number generated so far. Resolves when the last token is out.
   */
  submit(now: number, promptTokens: number, outputTokens: number, onTokens: (generated: number) => void): { done: Promise<SeqTimings>; abort: () => void } {
    let resolve!: (t: SeqTimings) => void;
    const done = new Promise<SeqTimings>((r) => (resolve = r));
    const seq: Seq = {
      promptTokens,
      target: Math.max(1, outputTokens),
      generated: 0,
      prefillRemaining: promptTokens,
      arrival: now,
      scheduledAt: null,
      firstTokenAt: null,
      preemptions: 0,
      kvBlocks: 0,
      dirty: false,
      onTokens,
      resolve,
    };
    if (!this.busy && this.step === null) this.engineTime = Math.max(this.engineTime, now);
    this.waiting.push(seq);
    const abort = () => {
      const w = this.waiting.indexOf(seq);
      if (w >= 0) this.waiting.splice(w, 1);
      const r = this.running.indexOf(seq);
      if (r >= 0) {
        this.running.splice(r, 1);
        this.kvUsedBlocks -= seq.kvBlocks;
        seq.kvBlocks = 0;
      }
      if (this.step) this.step.emitters = this.step.emitters.filter((s) => s !== seq);
    };
    return { done, abort };
  }

  /** Run every step that ends by virtual time `now`, then report progress to the dirty sequences. */
  advance(now: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (this.step) {
        if (this.step.end > now) break;
        this.finishStep(this.step);
        this.engineTime = this.step.end;
        this.step = null;
      }
      if (!this.busy) {
        this.engineTime = Math.max(this.engineTime, now);
        break;
      }
      if (!this.startStep(now)) break;
    }
    for (const s of this.running) this.flush(s);
  }

  private flush(s: Seq): void {
    if (s.dirty) {
      s.dirty = false;
      s.onTokens(s.generated);
    }
  }

  /** Plan the next step at engineTime; false if nothing can run yet. */
  private startStep(now: number): boolean {
    const t = this.engineTime;
    const p = this.profile;
    let budget = p.maxBatchedTokens;
    const emitters: Seq[] = [];
    let prefillTokens = 0;
    // Decoding sequences first: one token each.
    for (const s of this.running) {
      if (s.prefillRemaining === 0) {
        emitters.push(s);
        budget--;
      }
    }
    // Then continue partial prefills, then admit from the queue (FIFO) while slots, cache and budget allow.
    for (const s of this.running) {
      if (s.prefillRemaining > 0 && budget > 0) {
        const chunk = Math.min(s.prefillRemaining, budget);
        s.prefillRemaining -= chunk;
        budget -= chunk;
        prefillTokens += chunk;
        if (s.prefillRemaining === 0) emitters.push(s);
      }
    }
    const capBlocks = blocks(p.kvCapacityTokens);
    while (this.waiting.length > 0 && this.running.length < this.maxNumSeqs && budget > 0) {
      const s = this.waiting[0]!;
      if (s.arrival > t) break;
      const need = blocks(s.prefillRemaining + 1);
      if (this.kvUsedBlocks + need > capBlocks && this.running.length > 0) break;
      this.waiting.shift();
      this.running.push(s);
      s.kvBlocks = need;
      this.kvUsedBlocks += need;
      if (s.scheduledAt === null) s.scheduledAt = t;
      const chunk = Math.min(s.prefillRemaining, budget);
      s.prefillRemaining -= chunk;
      budget -= chunk;
      prefillTokens += chunk;
      if (s.prefillRemaining === 0) emitters.push(s);
    }
    if (this.running.length === 0) {
      // Only future arrivals are queued: jump to the first one if it is already due.
      const next = this.waiting[0];
      if (next && next.arrival <= now) {
        this.engineTime = next.arrival;
        return true;
      }
      return false;
    }
    const dur = p.stepBaseS + p.perSeqS * emitters.length + p.prefillPerTokenS * prefillTokens;
    this.step = { end: t + dur, emitters };
    this.busySeconds += dur;
    return true;
  }

  private finishStep(step: { end: number; emitters: Seq[] }): void {
    const t = step.end;
    for (const s of step.emitters) {
      if (!this.running.includes(s)) continue; // aborted or preempted meanwhile
      s.generated++;
      s.dirty = true;
      if (s.firstTokenAt === null) s.firstTokenAt = t;
      const need = blocks(s.promptTokens + s.generated + 1);
      if (need > s.kvBlocks) {
        this.kvUsedBlocks += need - s.kvBlocks;
        s.kvBlocks = need;
      }
      if (s.generated >= s.target) {
        this.running.splice(this.running.indexOf(s), 1);
        this.kvUsedBlocks -= s.kvBlocks;
        s.kvBlocks = 0;
        this.flush(s);
        const first = s.firstTokenAt ?? t;
        const sched = s.scheduledAt ?? s.arrival;
        s.resolve({
          queueS: sched - s.arrival,
          prefillS: first - sched,
          decodeS: t - first,
          ttftS: first - s.arrival,
          e2eS: t - s.arrival,
          preemptions: s.preemptions,
        });
      }
    }
    // Out of KV cache: preempt the most recently admitted sequences (recompute later).
    const capBlocks = blocks(this.profile.kvCapacityTokens);
    while (this.kvUsedBlocks > capBlocks && this.running.length > 1) {
      const victim = this.running.pop()!;
      this.kvUsedBlocks -= victim.kvBlocks;
      victim.kvBlocks = 0;
      victim.prefillRemaining = victim.promptTokens + victim.generated;
      victim.preemptions++;
      this.preemptions++;
      this.flush(victim);
      this.waiting.unshift(victim);
    }
  }
}

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
  /** Clients, each sending its next request the moment its previous one finishes. */
  concurrency: number;
  promptTokens: number;
  /** Mean completion tokens; each request gets 60%..140% of it (a fixed spread, no randomness). */
  completionTokens: number;
  /** @default 256 */
  maxNumSeqs?: number;
}

/**
 * Total (prompt + completion) tokens per virtual second an engine with `profile` sustains under
 * `load`: the capacity model's own figure, with no timer, HTTP or host CPU involved.
 */
export async function measureSaturation(profile: CapacityProfile, load: SaturationLoad): Promise<{ totalTokensPerS: number; requestsPerS: number; virtualS: number }> {
  const engine = new Engine(profile, load.maxNumSeqs ?? 256);
  let now = 0;
  let next = 0;
  let finished = 0;
  let tokens = 0;
  let due = 0;
  const submit = () => {
    if (next >= load.requests) return;
    next++;
    const c = Math.max(1, Math.round(load.completionTokens * (0.6 + (0.8 * ((next * 7919) % 101)) / 100)));
    void engine.submit(now, load.promptTokens, c, () => {}).done.then(() => {
      finished++;
      tokens += load.promptTokens + c;
      due++;
    });
  };
  for (let i = 0; i < load.concurrency; i++) submit();
  const dt = 0.002;
  while (finished < load.requests) {
    now += dt;
    engine.advance(now);
    await Promise.resolve();
    await Promise.resolve();
    for (; due > 0; due--) submit();
  }
  return { totalTokensPerS: tokens / now, requestsPerS: finished / now, virtualS: now };
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
    this.debts.push({ real: at, virtual: this.clock.now() });
    if (this.debts.length > 65_536) this.debts.shift();
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
