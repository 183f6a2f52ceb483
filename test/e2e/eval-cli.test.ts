/**
 * End to end: the CLI as a separate process, against the simulator as a separate process,
 * with real files on disk. Nothing of qualbench is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.ts';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli, startCli, waitCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

type Sim = Awaited<ReturnType<typeof spawnSimulator>>;

/** Complete lines only: a line still being written (no newline yet) is not a record. */
function jsonl(file: string): Array<Record<string, unknown>> {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // the part after the last newline: empty, or a line in progress
  return lines
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function slot(r: Record<string, unknown>): string {
  return `${r.model}|${r.prompt_version}|${r.item_id}`;
}

describe('qualbench eval against the simulator', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant']);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('runs every model x prompt version, writes the run directory, and a second run sends nothing', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const before = await sim.chatRequests();
    const first = await runCli(['eval', '--sample', '24', '--out', join(dir, 'run1'), '--base-url', sim.baseURL, '--store', store, '--quiet', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const sent = (await sim.chatRequests()) - before;
    expect(sent).toBe(24 * 3 * 3);

    const run1 = join(dir, 'run1');
    for (const f of ['manifest.json', 'results.jsonl', 'timing.jsonl', 'scores.jsonl', 'summary.json', 'report.md']) {
      expect(existsSync(join(run1, f)), f).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(run1, 'manifest.json'), 'utf8'));
    expect(manifest.models.map((m: { id: string }) => m.id)).toEqual(['meta-llama/Llama-3.2-1B-Instruct', 'google/gemma-3-4b-it', 'Qwen/Qwen3-4B-Instruct-2507']);
    expect(manifest.prompt.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v2', 'v3']);
    expect(manifest.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.models[0].server.max_model_len).toBeGreaterThan(0);
    const results1 = jsonl(join(run1, 'results.jsonl'));
    expect(results1).toHaveLength(24 * 9);
    expect(new Set(results1.map(slot)).size).toBe(24 * 9);

    const second = await runCli(['eval', '--sample', '24', '--out', join(dir, 'run2'), '--base-url', sim.baseURL, '--store', store, '--quiet', '--json']);
    expect(second.code).toBe(0);
    expect((await sim.chatRequests()) - before).toBe(sent); // zero new requests
    expect(JSON.parse(second.stdout.trim())).toMatchObject({ sent: 0, cached: 24 * 9 });

    const scoresOf = (run: string) =>
      jsonl(join(dir, run, 'scores.jsonl'))
        .map((s) => JSON.stringify([slot(s), s.scores, s.prediction]))
        .sort();
    expect(scoresOf('run2')).toEqual(scoresOf('run1'));
  });

  it('resumes a SIGKILLed run without re-sending finished requests and without duplicates', async () => {
    const slow = await spawnSimulator(['--speed', '20']);
    try {
      const dir = tempDir();
      const runDir = join(dir, 'run');
      const args = ['--sample', '30', '--base-url', slow.baseURL, '--store', join(dir, 'store'), '--quiet', '--json', '--concurrency', '8'];
      const child = startCli(['eval', '--out', runDir, ...args]);
      const done = waitCli(child);
      const results = join(runDir, 'results.jsonl');
      // Kill once some, but not all, results are on disk.
      await waitFor(() => existsSync(results) && statSync(results).size > 0 && jsonl(results).length >= 40, { everyMs: 25 }).catch(() => {});
      child.kill('SIGKILL');
      const killed = await done;
      expect(killed.signal).toBe('SIGKILL');
      await new Promise((r) => setTimeout(r, 300)); // let requests in flight reach the server
      const recorded = jsonl(results);
      const total = 30 * 9;
      expect(recorded.length).toBeGreaterThan(0);
      expect(recorded.length).toBeLessThan(total);
      const sentAtKill = await slow.chatRequests();

      const resumed = await runCli(['eval', '--resume', runDir, ...args.filter((a, i, all) => a !== '--sample' && all[i - 1] !== '--sample')]);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const outcome = JSON.parse(resumed.stdout.trim()) as { sent: number; cached: number };
      const sentOnResume = (await slow.chatRequests()) - sentAtKill;

      const final = jsonl(results);
      expect(final).toHaveLength(total);
      expect(new Set(final.map(slot)).size).toBe(total);
      // Nothing recorded before the kill was sent again: the resume sent (or took from the store) exactly the rest.
      expect(sentOnResume).toBe(outcome.sent);
      expect(outcome.sent + outcome.cached).toBe(total - recorded.length);
      const before = new Set(recorded.map(slot));
      expect(final.slice(0, recorded.length).map(slot)).toEqual(recorded.map(slot));
      expect(final.slice(recorded.length).every((r) => !before.has(slot(r)))).toBe(true);
      expect(existsSync(join(runDir, 'summary.json'))).toBe(true);
    } finally {
      await slow.stop();
    }
  });

  it('stops sending on Ctrl-C, exits 3 with the resume command, and the resume completes the run', async () => {
    const slow = await spawnSimulator(['--speed', '10']);
    try {
      const dir = tempDir();
      const runDir = join(dir, 'run');
      const common = ['--base-url', slow.baseURL, '--store', join(dir, 'store'), '--concurrency', '4'];
      const child = startCli(['eval', '--sample', '20', '--out', runDir, ...common]);
      const done = waitCli(child);
      const results = join(runDir, 'results.jsonl');
      await waitFor(() => existsSync(results) && jsonl(results).length >= 10, { timeoutMs: 60_000, everyMs: 25 }).catch(() => {});
      child.kill('SIGINT');
      const stopped = await done;
      expect(stopped.code).toBe(3);
      // A command that runs as typed from where the user is: here the repository root of a checkout.
      expect(stopped.stderr).toMatch(/Resume with: npm run qualbench -- eval --resume \S+/);
      const partial = jsonl(results).length;
      expect(partial).toBeLessThan(20 * 9);
      const sentBefore = await slow.chatRequests();
      // Every request that reached the server before the stop was finished and recorded.
      expect(sentBefore).toBe(partial);
      const resumed = await runCli(['eval', '--resume', runDir, ...common, '--quiet']);
      expect(resumed.code).toBe(0);
      const final = jsonl(results);
      expect(final).toHaveLength(20 * 9);
      expect(new Set(final.map(slot)).size).toBe(20 * 9);
      expect((await slow.chatRequests()) - sentBefore).toBe(20 * 9 - partial);
    } finally {
      await slow.stop();
    }
  });

  it('refuses a second eval on a run directory in use, and repairs a half-written last line on resume', async () => {
    const slow = await spawnSimulator(['--speed', '10']);
    try {
      const dir = tempDir();
      const runDir = join(dir, 'run');
      const common = ['--base-url', slow.baseURL, '--store', join(dir, 'store'), '--quiet', '--concurrency', '4'];
      const child = startCli(['eval', '--sample', '10', '--out', runDir, ...common]);
      const done = waitCli(child);
      const results = join(runDir, 'results.jsonl');
      await waitFor(() => existsSync(results) && jsonl(results).length >= 3, { timeoutMs: 30_000, everyMs: 20 }).catch(() => {});
      const second = await runCli(['eval', '--resume', runDir, ...common]);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/another qualbench process \(pid \d+\) is writing this run/);
      child.kill('SIGKILL');
      await done;
      // A crash mid-write leaves a torn line: the resume cuts it and carries on.
      appendFileSync(results, '{"key":"abc","item_id":"cand-');
      const resumed = await runCli(['eval', '--resume', runDir, ...common]);
      expect(resumed.code, resumed.stderr).toBe(0);
      const final = jsonl(results);
      expect(final).toHaveLength(90);
      expect(new Set(final.map(slot)).size).toBe(90);
      expect(readFileSync(results, 'utf8')).not.toMatch(/"item_id":"cand-\n/);
    } finally {
      await slow.stop();
    }
  });

  it('explains how to start a server when nothing answers, and exits 3', async () => {
    const dir = tempDir();
    const r = await runCli(['eval', '--sample', '3', '--out', join(dir, 'run'), '--base-url', 'http://127.0.0.1:9/v1', '--store', join(dir, 'store'), '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:9\/v1/);
    expect(r.stderr).toMatch(/vllm serve/);
    expect(r.stderr).toMatch(/npm run sim/);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it('rejects an unknown model with exit 2, naming the known ones, before sending anything', async () => {
    const dir = tempDir();
    const before = await sim.chatRequests();
    const r = await runCli(['eval', '--model', 'no/such-model', '--out', join(dir, 'run'), '--base-url', sim.baseURL, '--store', join(dir, 'store'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evals\/models\.json/);
    expect(r.stderr).toMatch(/unknown model `no\/such-model`/);
    expect(r.stderr).toMatch(/google\/gemma-3-4b-it/);
    expect(await sim.chatRequests()).toBe(before);
  });
});
