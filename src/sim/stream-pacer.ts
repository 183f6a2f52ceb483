/**
 * One SSE chunk per decoded token, as vLLM streams (one engine step = one token per running
 * sequence, sent as its own chunk). The simulator's engine reports progress once per clock tick
 * (3 ms real): when one tick released several of a sequence's tokens (fast speeds, small batches),
 * they are written one at a time spread evenly over the next tick interval instead of in one burst,
 * so the gaps a client measures between chunks (ITL) follow the engine's step rate. Below what Node's
 * timers resolve (~1 ms real, i.e. `speed` ms simulated) the gaps are the pacing's, not the engine's:
 * the server says so in `/sim/info` (`stream.itl_resolution_s`).
 */

/** Real ms the pacer's timers resolve (Node's setTimeout granularity). */
export const TIMER_RESOLUTION_MS = 1;

export class TokenPacer {
  private released = 0;
  private sent = 0;
  private gapMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;
  private readonly write: (index: number) => void;
  private readonly intervalMs: number;

  /** `write(i)` writes token i's chunk; `intervalMs` is the clock's tick interval. */
  constructor(write: (index: number) => void, intervalMs: number) {
    this.write = write;
    this.intervalMs = intervalMs;
  }

  /** Tokens [0, upto) are generated: write them, spread over the next tick interval. */
  release(upto: number): void {
    if (upto <= this.released) return;
    this.released = upto;
    this.gapMs = this.intervalMs / (this.released - this.sent);
    if (this.timer === null) this.pump();
  }

  private pump(): void {
    this.timer = null;
    if (this.sent < this.released) this.write(this.sent++);
    if (this.sent < this.released) this.timer = setTimeout(() => this.pump(), this.gapMs);
    else if (this.drained) {
      const d = this.drained;
      this.drained = null;
      d();
    }
  }

  /** Resolves once every released token is written. */
  flushed(): Promise<void> {
    if (this.sent >= this.released) return Promise.resolve();
    return new Promise((resolve) => (this.drained = resolve));
  }

  /** Stop writing (the client went away). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.released = this.sent;
    this.drained?.();
    this.drained = null;
  }
}
