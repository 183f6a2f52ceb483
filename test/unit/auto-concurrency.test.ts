import { describe, expect, it } from 'vitest';
import { AutoConcurrency } from '../../src/run/concurrency.ts';

function controller(initial = 64) {
  const applied: number[] = [];
  const c = new AutoConcurrency({ initial, readGauges: async () => null, inFlight: () => 0, apply: (n) => applied.push(n) });
  return { c, applied };
}

describe('AutoConcurrency', () => {
  it('grows while the server has room and our slots are full', () => {
    const { c } = controller(64);
    expect(c.decide({ running: 64, waiting: 0, kvUsage: 0.5, preemptions: 0 }, 64)).toBe(80);
  });

  it('does not grow when our own slots are not in use, the KV cache is nearly full, or without gauges', () => {
    const { c } = controller(64);
    expect(c.decide({ running: 10, waiting: 0 }, 10)).toBe(64);
    expect(c.decide({ running: 64, waiting: 0, kvUsage: 0.95 }, 64)).toBe(64);
    expect(c.decide(null, 64)).toBe(64);
  });

  it('shrinks towards what runs when a queue builds up at the server', () => {
    const { c } = controller(512);
    expect(c.decide({ running: 256, waiting: 200 }, 512)).toBe(435);
    const { c: d } = controller(300);
    expect(d.decide({ running: 256, waiting: 40 }, 300)).toBe(300); // a short queue (under a quarter of what runs) is fine
    expect(d.decide({ running: 256, waiting: 70 }, 300)).toBe(264);
  });

  it('steps back on preemptions and holds before growing again', () => {
    const { c } = controller(200);
    c.current = c.decide({ running: 200, waiting: 0, preemptions: 5 }, 200); // first reading: a baseline
    expect(c.current).toBe(250);
    c.current = c.decide({ running: 200, waiting: 0, preemptions: 9 }, 250);
    expect(c.current).toBe(225);
    for (let i = 0; i < 5; i++) expect(c.decide({ running: 225, waiting: 0, preemptions: 9 }, 225)).toBe(225);
    expect(c.decide({ running: 225, waiting: 0, preemptions: 9 }, 225)).toBe(282);
  });

  it('halves on 429/503 and never goes below its minimum', () => {
    const { c, applied } = controller(64);
    c.throttled();
    c.throttled();
    c.throttled();
    c.throttled();
    expect(applied).toEqual([32, 16, 8, 4]);
    c.throttled();
    expect(c.current).toBe(4);
  });

  it("steps once per second of the server's own clock when it reports one (the simulator's simulated time)", async () => {
    let clockS = 0;
    const applied: number[] = [];
    const c = new AutoConcurrency({
      initial: 64,
      intervalMs: 5,
      // Every poll the server is full with room to grow; its clock moves a quarter second per poll.
      readGauges: async () => ({ running: 1000, waiting: 0, kvUsage: 0.1, clockS: (clockS += 0.25) }),
      inFlight: () => 100_000,
      apply: (n) => applied.push(n),
    });
    c.start();
    while (clockS < 3) await new Promise((r) => setTimeout(r, 5));
    c.stop();
    // Polled ~12 times over 3 clock seconds: grew at most 3-4 times (64 -> 80 -> 100 -> 125 -> 157), not 12.
    expect(applied[0]).toBe(64);
    expect(applied.length - 1).toBeGreaterThanOrEqual(2);
    expect(applied.length - 1).toBeLessThanOrEqual(4);
  });
});
