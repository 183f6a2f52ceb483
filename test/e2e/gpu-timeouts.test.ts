/**
 * Timeouts in the simulated world: the simulator runs faster than real time, so an answer that arrives
 * well inside the client's timeout may have taken longer than it on the modelled GPU. The runner compares
 * the simulator's GPU-equivalent latency (simulated time, sent with each answer) with its timeout; the
 * report says how many requests a real GPU would have timed out, and a large share fails the run (exit 4).
 * No wall-clock assertion: which requests exceed depends only on simulated time (a queue of 16 behind one
 * running sequence), never on how fast this machine is.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

const GEMMA = 'google/gemma-3-4b-it';
const results = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { source: string; error: unknown; latency_ms: number | null; gpu_latency_ms?: number; gpu_timed_out?: boolean });

describe.each([
  ['streamed', true],
  ['not streamed', false],
])('GPU-equivalent timeouts against the simulator (%s)', (_name, stream) => {
  it('a queue that would time out on the GPU is counted, warned about first in the report, and fails the run; at concurrency 1 nothing is', async () => {
    // One running sequence: with 16 in flight each request waits for the others, in simulated time.
    const sim = await spawnSimulator(['--speed', '1000', '--max-num-seqs', '1']);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'], stream }) });
      // 10 s of GPU time is 10 ms of real time at speed 1000: the real client never times out.
      const base = ['eval', '--sample', '16', '--model', GEMMA, '--store', 'store', '--base-url', sim.baseURL, '--timeout-ms', '10000', '--quiet'];
      const r = await runCli([...base, '--out', 'queued', '--concurrency', '16'], { cwd: root });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/RUN FAILED \(exit 4\).*would have timed out on the modelled GPU/);
      expect(r.stderr).toMatch(/google\/gemma-3-4b-it v2: \d+ of 16 took longer than the 10 s timeout in simulated GPU time; lower --concurrency or raise --timeout-ms/);

      const rs = results(join(root, 'queued/results.jsonl'));
      expect(rs).toHaveLength(16);
      expect(rs.every((x) => x.source === 'sent' && x.error === null && typeof x.gpu_latency_ms === 'number')).toBe(true);
      const over = rs.filter((x) => x.gpu_timed_out === true);
      expect(over.length).toBeGreaterThan(1);
      // Flagged exactly when the simulated latency exceeds the timeout; answers are kept.
      expect(rs.every((x) => (x.gpu_timed_out === true) === x.gpu_latency_ms! > 10_000)).toBe(true);

      const summary = JSON.parse(readFileSync(join(root, 'queued/summary.json'), 'utf8'));
      expect(summary.trust.groups[0].gpu_timeouts).toEqual({ timeout_ms: 10_000, measured: 16, over: over.length, max_ms: Math.max(...rs.map((x) => x.gpu_latency_ms!)) });
      const warning = new RegExp(`GPU TIMEOUTS: [^:]+ v2: on the modelled GPU, ${over.length} of 16 requests \\(\\d+%\\) took longer than the 10 s timeout`);
      expect(summary.trust.warnings.some((w: string) => warning.test(w))).toBe(true);
      const report = readFileSync(join(root, 'queued/report.md'), 'utf8');
      const firstLines = report.split('\n').slice(0, 30).join('\n');
      expect(firstLines).toMatch(warning);
      expect(firstLines).toMatch(/would have timed out and been retried or failed\. Lower the concurrency \(--concurrency\) or raise the timeout \(--timeout-ms\)/);

      // --max-error-rate 1 tolerates it: exit 0, the warning stays.
      const tolerated = await runCli([...base, '--out', 'tolerated', '--concurrency', '16', '--max-error-rate', '1', '--store', 'store2'], { cwd: root });
      expect(tolerated.code, tolerated.stderr).toBe(0);
      expect(readFileSync(join(root, 'tolerated/report.md'), 'utf8')).toMatch(/GPU TIMEOUTS/);

      // One at a time, no queue: every request is measured, none exceeds the timeout, no warning.
      const single = await runCli([...base, '--out', 'single', '--concurrency', '1', '--store', 'store3', '--sample', '4'], { cwd: root });
      expect(single.code, single.stderr).toBe(0);
      const one = results(join(root, 'single/results.jsonl'));
      expect(one.every((x) => typeof x.gpu_latency_ms === 'number' && x.gpu_latency_ms < 10_000 && x.gpu_timed_out === undefined)).toBe(true);
      const s1 = JSON.parse(readFileSync(join(root, 'single/summary.json'), 'utf8'));
      expect(s1.trust.groups[0].gpu_timeouts).toMatchObject({ measured: 4, over: 0 });
      expect(readFileSync(join(root, 'single/report.md'), 'utf8')).not.toMatch(/GPU TIMEOUTS/);
    } finally {
      await sim.stop();
    }
  });
});
