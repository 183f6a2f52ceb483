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
