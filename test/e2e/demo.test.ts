/**
 * The README's first command: `npm run demo`. Run as a user would (a separate process that
 * starts the simulator as its own child), on a smaller sample to keep the suite quick.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

interface ModelSummary {
  model: string;
  validity: { json_strict_rate: number; schema_valid_rate: number };
  speed: { total_tokens_per_s: number | null };
}

describe('qualbench demo', () => {
  it('evaluates three personas x three prompt versions, Llama clearly worst, tokens/s ordered as the team measured', async () => {
    const out = join(tempDir(), 'demo');
    const r = await runCli(['demo', '--out', out, '--sample', '80', '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ event: 'demo-done', sent: 80 * 9, cached: 0 });
    for (const f of ['manifest.json', 'results.jsonl', 'scores.jsonl', 'summary.json', 'report.md']) expect(existsSync(join(out, f)), f).toBe(true);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.models[0].server.simulator).toMatchObject({ speed: 50 });

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { models: ModelSummary[]; groups: Array<ModelSummary & { prompt_version: string }> };
    const by = (id: string) => summary.models.find((m) => m.model === id)!;
    const llama = by('meta-llama/Llama-3.2-1B-Instruct');
    const gemma = by('google/gemma-3-4b-it');
    const qwen = by('Qwen/Qwen3-4B-Instruct-2507');

    // Llama 1B clearly worst at producing a valid answer.
    expect(llama.validity.schema_valid_rate).toBeLessThan(gemma.validity.schema_valid_rate - 0.15);
    expect(llama.validity.schema_valid_rate).toBeLessThan(qwen.validity.schema_valid_rate - 0.15);
    expect(new Set([llama, gemma, qwen].map((m) => m.validity.json_strict_rate)).size).toBe(3);

    // Throughput ratios from one run: Llama > Gemma > Qwen, as in the team's table.
    expect(llama.speed.total_tokens_per_s!).toBeGreaterThan(gemma.speed.total_tokens_per_s!);
    expect(gemma.speed.total_tokens_per_s!).toBeGreaterThan(qwen.speed.total_tokens_per_s!);

    // The small-model prompt (v3) lifts Llama's validity over the original (v1).
    const llamaV = (v: string) => summary.groups.find((g) => g.model === llama.model && g.prompt_version === v)!;
    expect(llamaV('v3').validity.json_strict_rate).toBeGreaterThan(llamaV('v1').validity.json_strict_rate + 0.2);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/Llama 3\.2 1B/);
    expect(report).toMatch(/Gemma 3 4B/);
    expect(report).toMatch(/Qwen 3 4B/);
    // Speeds read in the modelled GPU's units, and say that they are simulated.
    expect(report).toMatch(/running 50x faster than the modelled GPU: speeds and times below are GPU-equivalent/);
    const gemmaRow = report.split('\n').find((l) => l.startsWith('| Gemma 3 4B | v2 |'))!;
    const totalTps = Number(gemmaRow.split('|')[10]!.trim().replace(/,/g, ''));
    expect(totalTps).toBeCloseTo(summary.groups.find((g) => g.model === gemma.model && g.prompt_version === 'v2')!.speed.total_tokens_per_s! / 50, 0);
  });
});
