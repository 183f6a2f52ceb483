/**
 * A second task with another contract (tasks/ticket-triage/: nominal category, ordinal priority, free-text
 * summary) runs end to end against the simulator's generic schema-following persona: eval, gate, report,
 * compare and watch, with nothing in src/ naming it.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { waitFor } from '../helpers/wait.ts';
import type { Summary } from '../../src/core/records.ts';

describe('the ticket-triage task', () => {
  it('runs eval, gate, report, compare and watch from its declaration', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    const root = tempProject();
    const common = ['--base-url', sim.baseURL, '--store', 'store'];
    const e = await runCli(['eval', '--eval', 'ticket-triage', '--sample', '40', '--out', 'run', ...common, '--quiet'], { cwd: root });
    expect(e.code, e.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8')) as Summary;
    expect(summary.task).toMatchObject({ name: 'ticket-triage', primary_label: 'category' });
    expect(summary.groups).toHaveLength(6);
    for (const g of summary.groups) {
      expect(Object.keys(g.agreement.labels)).toEqual(['category', 'priority']);
      // Nominal: no within-one; ordinal: within-one.
      expect(g.agreement.labels.category!.within_one).toBeNull();
      expect(g.agreement.labels.priority!.within_one).not.toBeNull();
      expect(g.agreement.labels.category!.confusion.labels).toEqual(['outage', 'bug', 'account', 'billing', 'feature-request']);
      expect(g.scorers['rationale-similarity']?.mean).not.toBeNull();
    }
    // The rubric in v2 makes every model's category agreement better than v1's.
    for (const model of ['google/gemma-3-4b-it', 'Qwen/Qwen3-4B-Instruct-2507']) {
      const acc = (v: string) => summary.groups.find((g) => g.model === model && g.prompt_version === v)!.agreement.labels.category!.exact!;
      expect(acc('v2'), model).toBeGreaterThan(acc('v1'));
    }
    // The cascade's threshold policy comes from the task's `policies.escalate_at` (priority P2 or more urgent).
    expect(summary.cascades[0]!.policies.map((p) => p.policy)).toContain('p2-or-better');
    // Stratified by the declared label: every category is in the sample of 40, 8 each.
    const scores = readFileSync(join(root, 'run/scores.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { model: string; prompt_version: string; gold: Record<string, string> });
    const one = scores.filter((s) => s.model === 'google/gemma-3-4b-it' && s.prompt_version === 'v1');
    expect(new Set(one.map((s) => s.gold.category)).size).toBe(5);

    const gate = await runCli(['gate', 'run'], { cwd: root });
    expect(gate.code, gate.stdout + gate.stderr).toBe(0);
    expect(gate.stdout).toMatch(/qualbench gates: ticket-triage/);

    const report = readFileSync(join(root, 'run/report.md'), 'utf8');
    expect(report).toContain('## Confusion matrices: category');
    expect(report).toMatch(/Per label: category, priority/);

    const cmp = await runCli(['compare', 'run', 'run', '--json'], { cwd: root });
    expect(cmp.code, cmp.stderr).toBe(0);
    expect((JSON.parse(cmp.stdout) as { groups: unknown[] }).groups).toHaveLength(6);

    // watch: a draft v3 (a copy of v2) against the released v2.
    const v3 = join(root, 'prompts/ticket-triage/v3');
    cpSync(join(root, 'prompts/ticket-triage/v2'), v3, { recursive: true });
    writeFileSync(join(v3, 'meta.json'), JSON.stringify({ version: 'v3', date: '2026-12-06', changes: '', why: '' }));
    const child = startCli(['watch', '--prompt', 'ticket-triage@v3', '--model', 'google/gemma-3-4b-it', '--sample', '20', ...common, '--no-noise-floor', '--json'], { cwd: root });
    const done = waitCli(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('\n'), { timeoutMs: 60_000 }).catch(() => {});
    child.kill('SIGINT');
    await done;
    const first = JSON.parse(out.split('\n')[0]!) as { event: string; metrics: Record<string, { value: number | null }> };
    expect(first.event).toBe('watch-run');
    expect(first.metrics.accuracy!.value).not.toBeNull();
    await sim.stop();
  }, 240_000);
});
