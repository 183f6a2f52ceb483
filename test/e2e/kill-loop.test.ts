import { describe, expect, it } from 'vitest';
import { killLoop } from '../helpers/kill-loop.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('crash safety', () => {
  it('survives SIGKILL at several random points: one record per item, nothing recorded is re-sent', async () => {
    const r = await killLoop({ kills: 4, sample: 20, seed: 11, dir: tempDir() });
    expect(r.kills).toBe(4);
    expect(r.records).toBe(r.total);
    expect(r.unique).toBe(r.total);
    expect(r.resentAfterRecorded).toBe(0);
  }, 120_000);
});
