/**
 * Server faults on demand (the simulator's --faults): every item ends answered or with its final
 * error after bounded retries, nothing hangs past its timeout, and retries show in the summary.
 */
import { waitFor } from '../helpers/wait.ts';
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

const FAULTS = '429:0.08,500:0.04,503:0.04,reset:0.03,hang:0.02,malformed:0.03,cut:0.03,slow:0.02';

describe('faults', () => {
  it.each([[true], [false]])('completes a run under every fault kind (streaming %s)', async (stream) => {
    const sim = await spawnSimulator(['--speed', 'instant', '--faults', FAULTS, '--seed', '7']);
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'], stream }) });
      const r = await runCli(['eval', '--sample', '60', '--model', 'google/gemma-3-4b-it', '--out', 'run', '--base-url', sim.baseURL, '--store', 'store', '--timeout-ms', '1500', '--max-attempts', '6', '--concurrency', '16', '--quiet'], { cwd: root });
      expect(r.code, r.stderr).toBe(0);
      const results = readFileSync(join(root, 'run/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; response: unknown; error: { kind: string } | null; attempts: number });
      expect(results).toHaveLength(60);
      expect(new Set(results.map((x) => x.item_id)).size).toBe(60);
      for (const x of results) expect(x.response !== null || x.error !== null).toBe(true);
      expect(results.some((x) => x.attempts > 1)).toBe(true);
      expect(results.every((x) => x.attempts <= 6)).toBe(true);
      const answered = results.filter((x) => x.response !== null).length;
      expect(answered).toBeGreaterThanOrEqual(57); // ~29% of attempts fail; 6 attempts make a final failure rare
      const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8')) as { groups: Array<{ speed: { retries: number } }> };
      expect(summary.groups[0]!.speed.retries).toBeGreaterThan(5);
    } finally {
      await sim.stop();
    }
  });

  it('survives the server restarting mid-run', async () => {
    let sim = await spawnSimulator(['--speed', '20']);
    const port = sim.port;
    try {
      const root = tempProject({ eval: (d) => Object.assign(d, { prompt_versions: ['v2'] }) });
      const child = startCli(['eval', '--sample', '30', '--model', 'google/gemma-3-4b-it', '--out', 'run', '--base-url', sim.baseURL, '--store', 'store', '--max-attempts', '8', '--concurrency', '4', '--quiet'], { cwd: root });
      const done = waitCli(child);
      const results = join(root, 'run/results.jsonl');
      await waitFor(() => existsSync(results) && readFileSync(results, 'utf8').split('\n').length > 6, { timeoutMs: 30_000, everyMs: 20 }).catch(() => {});
      await sim.stop();
      await new Promise((r) => setTimeout(r, 400));
      sim = await spawnSimulator(['--speed', '20', '--port', String(port)]);
      const r = await done;
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; response: unknown; attempts: number });
      expect(lines).toHaveLength(30);
      expect(new Set(lines.map((l) => l.item_id)).size).toBe(30);
      expect(lines.every((l) => l.response !== null)).toBe(true);
      expect(lines.some((l) => l.attempts > 1)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});
