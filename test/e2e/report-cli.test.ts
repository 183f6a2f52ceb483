/**
 * `qualbench report`: re-report without the model, combine runs made one after another (as on one
 * GPU), label differing environments, cascade across runs, re-price; and the speed figures against
 * the simulator's own counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { execFileSync } from 'node:child_process';
import { tempDir } from '../helpers/tmp.ts';
import type { DecisionSummary } from '../../src/core/records.ts';

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const GEMMA = 'google/gemma-3-4b-it';

interface Group {
  model: string;
  prompt_version: string;
  items: number;
  speed: { succeeded: number; server: { prompt_tokens: number; generation_tokens: number; requests_finished: number; harness: { prompt_tokens: number; completion_tokens: number; requests: number }; agrees: boolean } | null; ttft_ms: { n: number } | null; tpot_ms: { n: number } | null; itl_ms: { n: number } | null };
  cost: { self_hosted: { usd_per_1k_requests: number | null } | null };
}
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('qualbench report', () => {
  let simA: SimProcess;
  let simB: SimProcess;
  let dir: string;
  beforeAll(async () => {
    // Two different servers: the models are "run one after the other" in different environments (a simulator
    // read in simulated time, and one in instant mode whose speed figures measure the harness).
    [simA, simB] = await Promise.all([spawnSimulator(['--speed', '200']), spawnSimulator(['--speed', 'instant'])]);
    dir = tempDir();
    const [a, b] = await Promise.all([
      runCli(['eval', '--sample', '30', '--model', LLAMA, '--out', join(dir, 'llama'), '--base-url', simA.baseURL, '--store', join(dir, 'store-a'), '--quiet']),
      runCli(['eval', '--sample', '30', '--model', GEMMA, '--out', join(dir, 'gemma'), '--base-url', simB.baseURL, '--store', join(dir, 'store-b'), '--quiet']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await simA?.stop();
    await simB?.stop();
  });

  it('records streamed TTFT, TPOT and ITL, and token counts equal to the simulator\'s own counters', async () => {
    const s = json(join(dir, 'llama/summary.json')) as { groups: Group[] };
    expect(s.groups).toHaveLength(3);
    for (const g of s.groups) {
      expect(g.speed.ttft_ms!.n).toBe(30);
      expect(g.speed.tpot_ms!.n).toBe(30);
      // Gaps between streamed chunks: how many depends on how the simulator's timer batches tokens under load.
      expect(g.speed.itl_ms!.n).toBeGreaterThan(0);
      // The server's counter deltas around each group equal the harness's sums over the same requests.
      const sv = g.speed.server!;
      expect(sv.agrees).toBe(true);
      expect(sv.requests_finished).toBe(30);
      expect(sv.harness.requests).toBe(30);
      expect(sv.prompt_tokens).toBe(sv.harness.prompt_tokens);
      expect(sv.generation_tokens).toBe(sv.harness.completion_tokens);
      // Prefix caching (on by default, as in vLLM): the prompt template's shared blocks hit the cache.
      expect((sv as { prefix_cache_hit_rate?: number | null }).prefix_cache_hit_rate).toBeGreaterThan(0.2);
    }
    expect(readFileSync(join(dir, 'llama/report.md'), 'utf8')).toMatch(/agrees; prefix cache \d+(\.\d+)?% hits/);
    // And over the run: the simulator's request counter saw exactly the requests the summary counts.
    expect(await simA.chatRequests(LLAMA)).toBe(s.groups.reduce((a, g) => a + g.speed.succeeded, 0));
  });

  it('combines runs into one comparison, labels the different environments and cascades across runs, sending nothing', async () => {
    const before = (await simA.chatRequests()) + (await simB.chatRequests());
    const r = await runCli(['report', join(dir, 'llama'), join(dir, 'gemma'), '--out', join(dir, 'combined'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((await simA.chatRequests()) + (await simB.chatRequests())).toBe(before);
    const event = JSON.parse(r.stdout.trim());
    expect(event).toMatchObject({ event: 'report-done', runs: 2 });
    expect(event.differences.join('\n')).toMatch(/server: llama simulator \(simulated time\); gemma simulator \(instant\)/);
    const md = readFileSync(join(dir, 'combined/report.md'), 'utf8');
    expect(md).toContain('These runs were measured in different environments');
    expect(md).toMatch(/\| Llama 3\.2 1B \| v1 \|/);
    expect(md).toMatch(/\| Gemma 3 4B \| v3 \|/);
    // The eval's Llama -> Gemma cascade needs both runs' per-item scores.
    const comparison = json(join(dir, 'combined/comparison.json')) as { summary: { cascades: Array<{ prompt_version: string; items: number; policies: Array<{ policy: string; exact: number }> }> } };
    expect(comparison.summary.cascades.map((c) => [c.prompt_version, c.items])).toEqual([['v1', 30], ['v2', 30], ['v3', 30]]);
    const gemmaAlone = comparison.summary.cascades[0]!.policies.find((p) => p.policy === 'escalate-only')!;
    const gemmaV1 = (json(join(dir, 'gemma/summary.json')) as { groups: Array<{ prompt_version: string; agreement: { labels: { recommendation: { exact: number } } } }> }).groups.find((g) => g.prompt_version === 'v1')!;
    expect(gemmaAlone.exact).toBe(gemmaV1.agreement.labels.recommendation.exact);
    expect(readFileSync(join(dir, 'combined/report.html'), 'utf8')).toContain('These runs were measured in different environments');
    // The eval's decision (Gemma v3 -> Llama v3) is answered across the two runs, pairing their items.
    const decision = (json(join(dir, 'combined/comparison.json')) as { summary: { decision: DecisionSummary } }).summary.decision;
    expect(decision.incumbent).toMatchObject({ model: GEMMA, prompt_version: 'v3' });
    expect(decision.candidates.map((c) => [c.model, c.prompt_version, c.paired_items])).toEqual([[LLAMA, 'v3', 30]]);
    expect(decision.notes).toContain('Candidate Qwen/Qwen3-4B-Instruct-2507 v3 is not in this run.');
    // The pull-request comment of one run, as the workflow writes it: marker first, the decision, the artefact link.
    const comment = execFileSync(process.execPath, [join(REPO_ROOT, 'tools/pr-comment.ts'), join(dir, 'gemma'), '--report-url', 'https://example.test/artifacts/1'], { encoding: 'utf8' });
    expect(comment.split('\n')[0]).toBe('<!-- qualbench-report -->');
    expect(comment).toContain('**Decision: Can we move candidate screening from Gemma 3 4B to Llama 3.2 1B for 200,000 candidates?**');
    expect(comment).toContain('[report.html and report.md](https://example.test/artifacts/1)');
    expect(md.split('\n').slice(0, 30).join('\n')).toMatch(/^\| Llama 3\.2 1B v3 \| .+ \| [−+]?\d\.\d\d( \(.+\))? \| \*\*(better|worse|no detectable difference|not enough data)\*\* \|/m);
  });

  it('re-prices a run from a prices file without touching its answers', async () => {
    const prices = join(dir, 'prices.json');
    writeFileSync(prices, JSON.stringify({ models: { 'Llama 3.2 1B': { self_hosted: { gpu_per_hour: 7.5 } } } }));
    const before = json(join(dir, 'llama/summary.json')) as { groups: Group[] };
    const r = await runCli(['report', join(dir, 'llama'), '--prices', prices, '--out', join(dir, 'repriced'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const after = json(join(dir, 'repriced/summary.json')) as { groups: Group[] };
    // Ten times the GPU price, ten times the cost per request; everything else unchanged.
    const g0 = before.groups[0]!.cost.self_hosted!.usd_per_1k_requests!;
    // (summary.json keeps 6 decimals of USD: compare the ratio)
    expect(after.groups[0]!.cost.self_hosted!.usd_per_1k_requests! / g0).toBeCloseTo(10, 2);
    expect(after.groups.map((g) => g.items)).toEqual(before.groups.map((g) => g.items));
  });

  it.each([
    [['report'], /name one or more run directories/],
    [['report', 'nowhere'], /nowhere: not a run directory/],
    [['report', '__RUN__', '__RUN__'], /say where to write the combined report/],
    [['report', '__RUN__', '--label', 'a', '--label', 'b'], /2 --label for 1 run directories/],
    [['report', '__RUN__', '--cascade', 'nonsense'], /cannot read the cascade `nonsense`/],
  ])('refuses bad input clearly: %j', async (args, message) => {
    const r = await runCli(args.map((a) => (a === '__RUN__' ? join(dir, 'llama') : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
