/**
 * Timeouts in the simulated world: the simulator runs faster than real time, so an answer that arrives
 * well inside the client's timeout may have taken longer than it on the modelled GPU. The runner compares
 * the simulator's GPU-equivalent latency (simulated time, sent with each answer) with its timeout; the
 * report says how many requests a real GPU would have timed out, and a large share fails the run (exit 4).
 * No wall-clock assertion: which requests exceed depends only on simulated time (a queue of 16 behind one
 * running sequence, against a timeout set from the unqueued latency), never on how fast this machine is.
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
  it('a queue that would time out on the GPU is counted, warned about first in the report, and fails the run; one at a time nothing is', async () => {
    // One running sequence: with 16 in flight each request waits for those ahead of it, in simulated time.
    const sim = await spawnSimulator(['--speed', '1000', '--max-num-seqs', '1']);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'], stream }) });
      const base = ['eval', '--model', GEMMA, '--base-url', sim.baseURL, '--quiet'];

      // One at a time, no queue, the default 120 s timeout: every answer is measured, none exceeds it, no warning.
      const single = await runCli([...base, '--sample', '4', '--out', 'single', '--concurrency', '1', '--store', 'store1'], { cwd: root });
      expect(single.code, single.stderr).toBe(0);
      const one = results(join(root, 'single/results.jsonl'));
      expect(one.every((x) => typeof x.gpu_latency_ms === 'number' && x.gpu_latency_ms > 0 && x.gpu_timed_out === undefined)).toBe(true);
      const s1 = JSON.parse(readFileSync(join(root, 'single/summary.json'), 'utf8'));
      expect(s1.trust.groups[0].gpu_timeouts).toMatchObject({ timeout_ms: 120_000, measured: 4, over: 0 });
      expect(readFileSync(join(root, 'single/report.md'), 'utf8')).not.toMatch(/GPU TIMEOUTS/);

      // A timeout twice the longest unqueued latency (whole seconds, at least 10): exceeded only by waiting in
      // the queue, whatever the simulator's capacity constants. At speed 1000 the real client never times out.
      const alone = Math.max(...one.map((x) => x.gpu_latency_ms!));
      const timeout = Math.max(10_000, Math.ceil((2 * alone) / 1000) * 1000);
      const t = `${timeout / 1000} s`;
      const queued = [...base, '--sample', '16', '--timeout-ms', String(timeout), '--concurrency', '16'];
      const r = await runCli([...queued, '--out', 'queued', '--store', 'store2'], { cwd: root });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/RUN FAILED \(exit 4\).*would have timed out on the modelled GPU/);
      expect(r.stderr).toMatch(new RegExp(`google/gemma-3-4b-it v2: \\d+ of 16 took longer than the ${t} timeout in simulated GPU time; lower --concurrency or raise --timeout-ms`));

      const rs = results(join(root, 'queued/results.jsonl'));
      expect(rs).toHaveLength(16);
      expect(rs.every((x) => x.source === 'sent' && x.error === null && typeof x.gpu_latency_ms === 'number')).toBe(true);
      const over = rs.filter((x) => x.gpu_timed_out === true);
      expect(over.length).toBeGreaterThan(1);
      // Flagged exactly when the simulated latency exceeds the timeout; answers are kept.
      expect(rs.every((x) => (x.gpu_timed_out === true) === x.gpu_latency_ms! > timeout)).toBe(true);

      const summary = JSON.parse(readFileSync(join(root, 'queued/summary.json'), 'utf8'));
      expect(summary.trust.groups[0].gpu_timeouts).toEqual({ timeout_ms: timeout, measured: 16, over: over.length, max_ms: Math.max(...rs.map((x) => x.gpu_latency_ms!)) });
      const warning = new RegExp(`GPU TIMEOUTS: [^:]+ v2: on the modelled GPU, ${over.length} of 16 requests \\(\\d+%\\) took longer than the ${t} timeout`);
      expect(summary.trust.warnings.some((w: string) => warning.test(w))).toBe(true);
      const report = readFileSync(join(root, 'queued/report.md'), 'utf8');
      const firstLines = report.split('\n').slice(0, 30).join('\n');
      expect(firstLines).toMatch(warning);
      expect(firstLines).toMatch(/would have timed out and been retried or failed\. Lower the concurrency \(--concurrency\) or raise the timeout \(--timeout-ms\)/);

      // --max-error-rate 1 tolerates it: exit 0, the warning stays.
      const tolerated = await runCli([...queued, '--out', 'tolerated', '--max-error-rate', '1', '--store', 'store3'], { cwd: root });
      expect(tolerated.code, tolerated.stderr).toBe(0);
      expect(readFileSync(join(root, 'tolerated/report.md'), 'utf8')).toMatch(/GPU TIMEOUTS/);
    } finally {
      await sim.stop();
    }
  });
});
