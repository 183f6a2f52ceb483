/**
 * Timing like a continuous-batching server (vLLM V1 scheduler, simplified).
 *
 * Per model (as if each had its own GPU): a running set of at most `max-num-seqs` sequences and a FIFO
 * waiting queue. Time advances in engine steps. In each step every decoding sequence emits one token,
 * and prompts are prefilled in chunks under a per-step token budget (chunked prefill); a sequence emits
 * its first token in the step that finishes its prefill. A step lasts
 *
 *     step = base + perSeq * (sequences emitting a token) + prefillPerToken * (prompt tokens prefilled)
 *            + attnPerContextToken * (context tokens the step's sequences attend to) [+ eager cost]
 *
 * `base` is reading the weights once (memory-bound decode), the per-token terms are compute, the
 * attention term reads each scheduled sequence's KV cache, so a step costs more as contexts grow.
 *
 * KV cache (kv-cache.ts): every sequence holds its prompt and generated tokens in 16-token blocks, and
 * with prefix caching shares the cached blocks of a common prompt prefix (those skip prefill). A new
 * sequence is admitted only if its prompt fits; when decoding outgrows the cache the most recently
 * admitted sequence is preempted (freed, put back at the head of the queue, recomputed later) like
 * vLLM's recompute mode.
 *
 * Time is virtual: a coarse real timer (every few ms) advances virtual time by elapsed real time x speed
 * and runs every step that fits, so `--speed 100` works although single steps are far below timer
 * resolution. A late tick advances by a bounded amount only (see VirtualClock), so host stalls do not
 * become GPU time. Reported latencies (metrics) are in virtual seconds: what a real server would measure.
 */

import { BLOCK_SIZE, blocksFor, KvCache, type SeqBlocks } from './kv-cache.ts';

/** Constants of one model's step-time model, in seconds. */
export interface CapacityProfile {
  /** Fixed cost of every step: reading the weights once, plus scheduling and sampling. */
  stepBaseS: number;
  /** Per sequence emitting a token in the step (decode compute). */
  perSeqS: number;
  /** Per prompt token prefilled in the step (prefill compute). */
  prefillPerTokenS: number;
  /**
   * Attention: per token of context a scheduled sequence attends to (its KV cache read once a step,
   * decode or prefill chunk). 0 = no attention term.
   */
  attnPerContextTokenS?: number;
  /** Extra fixed cost of a step without CUDA graphs (`--enforce-eager`). */
  eagerStepS?: number;
  /** Run without CUDA graphs: every step costs `eagerStepS` more. */
  enforceEager?: boolean;
  kvCapacityTokens: number;
  /** Per-step token budget (vLLM's `max_num_batched_tokens`). */
  maxBatchedTokens: number;
  /** Automatic prefix caching (vLLM's default: on). */
  prefixCaching?: boolean;
}

/** Per-request timings in virtual seconds. */
export interface SeqTimings {
  queueS: number;
  prefillS: number;
  decodeS: number;
  ttftS: number;
  e2eS: number;
  preemptions: number;
  /** Prompt tokens found in the prefix cache at (last) admission. */
  cachedTokens: number;
  /** Gaps between successive tokens (one per token after the first), virtual seconds. */
  interTokenS: number[];
}

/** What a request brings besides its sizes. */
export interface SubmitOptions {
  /** Hashes of its prompt's full blocks (prefix.ts), for prefix caching. */
  blockHashes?: readonly string[];
  /** Called once with the result when the last token is out (synchronously, unlike `done`). */
  onDone?: (t: SeqTimings) => void;
}

interface Seq {
  promptTokens: number;
  target: number;
  generated: number;
  prefillRemaining: number;
  arrival: number;
  scheduledAt: number | null;
  firstTokenAt: number | null;
  lastTokenAt: number;
  gaps: number[];
  preemptions: number;
  kv: SeqBlocks | null;
  hashes: readonly string[];
  cachedTokens: number;
  dirty: boolean;
  onTokens: (generated: number) => void;
  resolve: (t: SeqTimings) => void;
  onDone: ((t: SeqTimings) => void) | undefined;
}

/** One model's engine: running set, waiting queue, KV cache and step clock. */
export class Engine {
  readonly profile: CapacityProfile;
  readonly maxNumSeqs: number;
  readonly kv: KvCache;
  private running: Seq[] = [];
  private waiting: Seq[] = [];
  private engineTime = 0;
  private step: { end: number; emitters: Seq[] } | null = null;
  /** Total preemptions so far. */
  preemptions = 0;
  /**
   * Simulated seconds of engine steps so far: the time the simulated GPU was working. A GPU's figures
   * over a batch span its busy time; the idle gaps before and after it are the client's.
   */
  busySeconds = 0;
  /** Prompt tokens actually prefilled (recomputation after preemption included; cache hits not). */
  prefilledTokens = 0;

  constructor(profile: CapacityProfile, maxNumSeqs: number) {
    this.profile = profile;
    this.maxNumSeqs = maxNumSeqs;
    this.kv = new KvCache(blocksFor(profile.kvCapacityTokens), profile.prefixCaching ?? false);
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
    return this.kv.usage;
  }

  /** Whether any sequence is queued or running. */
  get busy(): boolean {
    return this.running.length > 0 || this.waiting.length > 0;
  }

  /** Virtual time at which the step under way ends (null: none). */
  get stepEnd(): number | null {
    return this.step?.end ?? null;
  }

  /**
   * Queue a request of `promptTokens` that will generate `outputTokens` tokens. `onTokens` is called
   * (coarsely, once per timer tick) with the number generated so far. Resolves when the last token is out.
   */
  submit(now: number, promptTokens: number, outputTokens: number, onTokens: (generated: number) => void, opts: SubmitOptions = {}): { done: Promise<SeqTimings>; abort: () => void } {
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
      lastTokenAt: 0,
      gaps: [],
      preemptions: 0,
      kv: null,
      hashes: opts.blockHashes ?? [],
      cachedTokens: 0,
      dirty: false,
      onTokens,
      resolve,
      onDone: opts.onDone,
    };
    if (!this.busy && this.step === null) this.engineTime = Math.max(this.engineTime, now);
    this.waiting.push(seq);
    const abort = () => {
      const w = this.waiting.indexOf(seq);
      if (w >= 0) this.waiting.splice(w, 1);
      const r = this.running.indexOf(seq);
      if (r >= 0) {
        this.running.splice(r, 1);
        this.free(seq);
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

  private free(s: Seq): void {
    if (s.kv) this.kv.release(s.kv);
    s.kv = null;
  }

  /** Prefill a chunk of `s` within `budget`; returns the tokens prefilled and adds its attention context. */
  private prefillChunk(s: Seq, budget: number, emitters: Seq[], work: { prefill: number; context: number }): number {
    const chunk = Math.min(s.prefillRemaining, budget);
    s.prefillRemaining -= chunk;
    work.prefill += chunk;
    work.context += s.promptTokens + s.generated - s.prefillRemaining;
    if (s.prefillRemaining === 0) {
      emitters.push(s);
      if (s.kv) this.kv.register(s.kv, s.hashes, s.promptTokens);
    }
    return chunk;
  }

  /** Plan the next step at engineTime; false if nothing can run yet. */
  private startStep(now: number): boolean {
    const t = this.engineTime;
    const p = this.profile;
    let budget = p.maxBatchedTokens;
    const emitters: Seq[] = [];
    const work = { prefill: 0, context: 0 };
    // Decoding sequences first: one token each, attending to their whole context.
    for (const s of this.running) {
      if (s.prefillRemaining === 0) {
        emitters.push(s);
        work.context += s.promptTokens + s.generated;
        budget--;
      }
    }
    // Then continue partial prefills, then admit from the queue (FIFO) while slots, cache and budget allow.
    for (const s of this.running) {
      if (s.prefillRemaining > 0 && budget > 0) budget -= this.prefillChunk(s, budget, emitters, work);
    }
    while (this.waiting.length > 0 && this.running.length < this.maxNumSeqs && budget > 0) {
      const s = this.waiting[0]!;
      if (s.arrival > t) break;
      const tokens = s.promptTokens + s.generated;
      const total = blocksFor(tokens + 1);
      const hit = this.kv.lookup(s.hashes, tokens);
      if (this.kv.cost(s.hashes, hit, total) > this.kv.freeBlocks && this.running.length > 0) break;
      this.waiting.shift();
      this.running.push(s);
      s.kv = this.kv.allocate(s.hashes, hit, total - hit, tokens);
      s.cachedTokens = hit * BLOCK_SIZE;
      s.prefillRemaining = tokens - s.cachedTokens;
      if (s.scheduledAt === null) s.scheduledAt = t;
      budget -= this.prefillChunk(s, budget, emitters, work);
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
    const dur =
      p.stepBaseS +
      p.perSeqS * emitters.length +
      p.prefillPerTokenS * work.prefill +
      (p.attnPerContextTokenS ?? 0) * work.context +
      (p.enforceEager ? (p.eagerStepS ?? 0) : 0);
    this.prefilledTokens += work.prefill;
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
      else s.gaps.push(t - s.lastTokenAt);
      s.lastTokenAt = t;
      const have = s.kv!.shared.length + s.kv!.own;
      const need = blocksFor(s.promptTokens + s.generated + 1);
      if (need > have) this.kv.grow(s.kv!, need - have);
      if (s.generated >= s.target) {
        this.running.splice(this.running.indexOf(s), 1);
        this.free(s);
        this.flush(s);
        const first = s.firstTokenAt ?? t;
        const sched = s.scheduledAt ?? s.arrival;
        const timings: SeqTimings = {
          queueS: sched - s.arrival,
          prefillS: first - sched,
          decodeS: t - first,
          ttftS: first - s.arrival,
          e2eS: t - s.arrival,
          preemptions: s.preemptions,
          cachedTokens: s.cachedTokens,
          interTokenS: s.gaps,
        };
        s.onDone?.(timings);
        s.resolve(timings);
      }
    }
    // Out of KV cache: preempt the most recently admitted sequences (recompute later).
    while (this.kv.usedBlocks > this.kv.totalBlocks && this.running.length > 1) {
      const victim = this.running.pop()!;
      this.free(victim);
      victim.prefillRemaining = victim.promptTokens + victim.generated;
      victim.preemptions++;
      this.preemptions++;
      this.flush(victim);
      this.waiting.unshift(victim);
    }
  }
}
