/** Progress lines on simulated time: no ETA from the first few answers, then one from the rate. */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/progress.ts';

function capture() {
  const lines: string[] = [];
  const stream = { write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream;
  return { lines, stream };
}

describe('progress', () => {
  it('waits for 10 answers before it gives an ETA, then derives it from the rate', () => {
    let t = 0;
    const { lines, stream } = capture();
    const p = createProgress('lines', stream, () => t);
    p.start('Gemma v2', 200);
    t = 6_000; // one answer after a whole request's latency
    p.tick({ cached: false, error: false, retries: 0 });
    expect(lines.at(-1)).toBe('Gemma v2: 1/200 done, 0.2 req/s, 0 cached, 0 errors, 0 retries, ETA …\n');
    for (let i = 0; i < 19; i++) p.tick({ cached: false, error: false, retries: 0 });
    t = 12_000; // 20 done in 12 s: 180 left at 1.67/s
    p.tick({ cached: false, error: false, retries: 0 });
    expect(lines.at(-1)).toBe('Gemma v2: 21/200 done, 1.8 req/s, 0 cached, 0 errors, 0 retries, ETA 1m42s\n');
    p.end();
    expect(lines.at(-1)).toMatch(/ETA 0s\n$/);
  });

  it('in JSON mode the ETA is null until it is known', () => {
    let t = 0;
    const { lines, stream } = capture();
    const p = createProgress('json', stream, () => t);
    p.start('Llama v1', 100);
    t = 6_000;
    p.tick({ cached: false, error: false, retries: 0 });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: 'progress', done: 1, eta_s: null });
  });
});
