/**
 * The prompt engineer's loop: `qualbench watch` re-runs on every save of the template.
 */
import { waitFor } from '../helpers/wait.ts';
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

interface Line {
  event: string;
  sent?: number;
  cached?: number;
  message?: string;
  metrics?: Record<string, { value: number | null; vs_previous: number | null; vs_released: number | null; vs_previous_ci: { lo: number; hi: number } | null }>;
  flipped?: Array<{ id: string }>;
  noise_floor?: { sent: number; flips: number; n: number } | null;
  change?: string | null;
  flip_directions?: { better: number; worse: number; sideways: number } | null;
}

describe('qualbench watch', () => {
  it('re-runs on save with deltas and flipped items, shows a template error and keeps watching', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    const root = tempProject();
    const v4 = join(root, 'prompts/candidate-screening/v4');
    cpSync(join(root, 'prompts/candidate-screening/v1'), v4, { recursive: true });
    writeFileSync(join(v4, 'meta.json'), JSON.stringify({ version: 'v4', date: '2026-11-23', changes: '', why: '' }));
    const child = startCli(['watch', '--prompt', 'candidate-screening@v4', '--model', 'meta-llama/Llama-3.2-1B-Instruct', '--sample', '20', '--base-url', sim.baseURL, '--store', 'store', '--json'], { cwd: root });
    const done = waitCli(child);
    const lines: Line[] = [];
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as Line);
        buffer = buffer.slice(nl + 1);
      }
    });
    const next = async (n: number) => {
      await waitFor(() => lines.length >= n, { timeoutMs: 30_000 }).catch(() => {});
      expect(lines.length, 'watch output').toBeGreaterThanOrEqual(n);
      return lines[n - 1]!;
    };
    try {
      const first = await next(1);
      expect(first).toMatchObject({ event: 'watch-run', sent: 40, cached: 0 }); // v4 and the released v3, 20 items each
      expect(first.metrics!['JSON strict']!.vs_previous).toBeNull();
      // The noise floor: the same version once more with every request sent again.
      expect(first.noise_floor).toMatchObject({ sent: 20, n: 20 });
      const before = await sim.chatRequests();

      // v1's loose wording -> v2's exact contract and "JSON only" (v2's user message, no system message).
      const v2user = readFileSync(join(root, 'prompts/candidate-screening/v2/user.hbs'), 'utf8');
      writeFileSync(join(v4, 'user.hbs'), v2user);
      const second = await next(2);
      expect(second.event).toBe('watch-run');
      expect(second.sent).toBe(20); // only the edited version; v3 comes from the store
      expect(second.cached).toBe(20);
      expect((await sim.chatRequests()) - before).toBe(20);
      expect(second.metrics!['JSON strict']!.vs_previous).toBeGreaterThan(0);
      expect(second.metrics!['JSON strict']!.vs_released).not.toBeNull();
      expect(second.flipped!.length).toBeGreaterThan(0);
      const ci = second.metrics!['JSON strict']!.vs_previous_ci!;
      expect(ci.lo).toBeLessThanOrEqual(second.metrics!['JSON strict']!.vs_previous!);
      expect(ci.hi).toBeGreaterThanOrEqual(second.metrics!['JSON strict']!.vs_previous!);
      expect(['detectable', 'none-detectable']).toContain(second.change);
      const dirs = second.flip_directions!;
      expect(dirs.better + dirs.worse + dirs.sideways).toBe(second.flipped!.length);

      writeFileSync(join(v4, 'user.hbs'), 'Rate {{candidate.nickname}}\n{{json candidate}}');
      const broken = await next(3);
      expect(broken.event).toBe('watch-error');
      expect(broken.message).toMatch(/user\.hbs:1: field `candidate\.nickname`/);

      writeFileSync(join(v4, 'user.hbs'), v2user);
      const fixed = await next(4);
      expect(fixed).toMatchObject({ event: 'watch-run', sent: 0, cached: 40 }); // identical to the second save: all from the store
      expect(fixed.flipped).toEqual([]);
    } finally {
      child.kill('SIGINT');
      const end = await done;
      expect(end.code).toBe(0);
      await sim.stop();
    }
  });
});
