/**
 * The README's first command: `npm run demo`. Run as a user would (a separate process that starts the
 * simulator as its own child), on a smaller sample to keep the suite quick — and on purpose while two
 * busy-loop processes load both cores, because the speed figures must be the simulated GPU's, never
 * the host's CPU: their ratios must match the capacity model's (calibrated to the team's GPU) however busy the machine is.
 */
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { verdictOf } from '../../src/aggregate/decision.ts';
import type { DecisionSummary } from '../../src/core/records.ts';
import { measureLoad } from '../../src/sim/clock.ts';
import { DEMO_REQUEST_SIZES, modelSpec } from '../../src/sim/models.ts';

interface Simulated {
  nominal_speed: number;
  total_tokens_per_s: number;
  engine_share: number;
}

interface ModelSummary {
  model: string;
  validity: { json_strict_rate: number; schema_valid_rate: number };
  speed: { total_tokens_per_s: number | null; simulated: Simulated | null };
}

interface Summary {
  models: ModelSummary[];
  groups: Array<ModelSummary & { prompt_version: string }>;
  speed_validity: { valid: boolean; reasons: string[] };
  decision?: DecisionSummary;
}

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const GEMMA = 'google/gemma-3-4b-it';
const QWEN = 'Qwen/Qwen3-4B-Instruct-2507';

/** Keep both cores busy (one spinning process per core) until the returned stop() is called. */
function loadCpu(processes = 2): () => void {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => {
    for (const c of children) c.kill('SIGKILL');
  };
}

describe('qualbench demo', () => {
  it(
    'on a CPU loaded on purpose: three personas x three prompt versions, Llama clearly worst, speed figures valid and in the ratios of the capacity model calibrated to the team\'s GPU',
    async () => {
      const out = join(tempDir(), 'demo');
      const stop = loadCpu();
      let r;
      try {
        r = await runCli(['demo', '--out', out, '--sample', '60', '--json', '--quiet'], { timeoutMs: 170_000 });
      } finally {
        stop();
      }
      expect(r.code, r.stderr).toBe(0);
      // The first thing printed says whether the speed figures can be trusted.
      expect(JSON.parse(r.stdout.trim())).toMatchObject({ event: 'demo-done', speed_valid: true, speed_invalid_reasons: [], sent: 60 * 9, cached: 0 });
      for (const f of ['manifest.json', 'results.jsonl', 'scores.jsonl', 'summary.json', 'report.md', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);

      // --speed auto: each model's clock at its own speed (Llama near real time, the 4B models faster).
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { models: Array<{ id: string; server: { simulator: { speed: number } } }> };
      const speedOf = (id: string) => manifest.models.find((m) => m.id === id)!.server.simulator.speed;
      expect(speedOf(GEMMA)).toBeGreaterThan(speedOf(LLAMA) * 4);

      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
      expect(summary.speed_validity, JSON.stringify(summary.speed_validity)).toEqual({ valid: true, reasons: [] });
      const by = (id: string) => summary.models.find((m) => m.model === id)!;
      const llama = by(LLAMA);
      const gemma = by(GEMMA);
      const qwen = by(QWEN);

      // Llama 1B clearly worst at producing a valid answer.
      expect(llama.validity.schema_valid_rate).toBeLessThan(gemma.validity.schema_valid_rate - 0.15);
      expect(llama.validity.schema_valid_rate).toBeLessThan(qwen.validity.schema_valid_rate - 0.15);
      expect(new Set([llama, gemma, qwen].map((m) => m.validity.json_strict_rate)).size).toBe(3);

      // The small-model prompt (v3) lifts Llama's validity over the original (v1).
      const llamaV = (v: string) => summary.groups.find((g) => g.model === LLAMA && g.prompt_version === v)!;
      expect(llamaV('v3').validity.json_strict_rate).toBeGreaterThan(llamaV('v1').validity.json_strict_rate + 0.2);

      // GPU-equivalent total tokens/s, read from the simulator's clock: within 20% of the ratios the
      // capacity model (calibrated to the team's GPU figures) gives in virtual time for the demo's request
      // sizes (200 requests, 64 in flight: Llama/Gemma ~6.9, Gemma/Qwen ~0.87), with both cores busy.
      const virtualTps = (id: string) => measureLoad(modelSpec(id)!.capacity, { ...DEMO_REQUEST_SIZES[id]!, requests: 200, concurrency: 64 }).totalTokensPerS;
      const [vl, vg, vq] = [virtualTps(LLAMA), virtualTps(GEMMA), virtualTps(QWEN)];
      const tps = (m: ModelSummary) => m.speed.simulated!.total_tokens_per_s;
      const lg = tps(llama) / tps(gemma);
      const gq = tps(gemma) / tps(qwen);
      const figures = `Llama ${tps(llama)}, Gemma ${tps(gemma)}, Qwen ${tps(qwen)} tok/s; capacity model ${vl.toFixed(0)}, ${vg.toFixed(0)}, ${vq.toFixed(0)}`;
      expect(lg, figures).toBeGreaterThan((vl / vg) * 0.8);
      expect(lg, figures).toBeLessThan((vl / vg) * 1.2);
      expect(gq, figures).toBeGreaterThan((vg / vq) * 0.8);
      expect(gq, figures).toBeLessThan((vg / vq) * 1.2);
      for (const m of [llama, gemma, qwen]) expect(m.speed.simulated!.engine_share).toBeGreaterThan(0.9);

      // Both reports say so in their first lines, and show the same GPU-equivalent figures.
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      expect(report.split('\n').slice(0, 4).join('\n')).toMatch(/^> \*\*Speed figures: valid \(simulated time from the simulator's clock/m);
      expect(report).toMatch(/Llama 3\.2 1B/);
      expect(report).toMatch(/Gemma 3 4B/);
      expect(report).toMatch(/Qwen 3 4B/);
      expect(report).toMatch(/speeds, times and costs below are GPU-equivalent, read from the simulator's own clock in simulated time/);
      const gemmaRow = report.split('\n').find((l) => l.startsWith('| Gemma 3 4B | v2 |'))!;
      const totalTps = Number(gemmaRow.split('|')[10]!.trim().replace(/,/g, ''));
      const gemmaV2 = summary.groups.find((g) => g.model === GEMMA && g.prompt_version === 'v2')!;
      expect(Math.abs(totalTps - gemmaV2.speed.simulated!.total_tokens_per_s)).toBeLessThan(1);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html.split('\n')[1]).toBe('<!-- qualbench: speed figures valid -->');
      expect(html.slice(html.indexOf('<body>'), html.indexOf('<body>') + 300)).toMatch(/<h1>[^<]*<\/h1>\s*<div class="note" id="speed-validity"><strong>Speed figures: valid/);

      // The team's question is answered in the first 25 lines: the figures, the paired interval and the verdict.
      const top = report.split('\n').slice(0, 25).join('\n');
      expect(top).toContain('## Decision: Can we move candidate screening from Gemma 3 4B to Llama 3.2 1B for 200,000 candidates?');
      expect(top).toMatch(/^\| Gemma 3 4B v3 \| 0\.\d\d \(0\.\d\d to 0\.\d\d\) \| incumbent \|/m);
      expect(top).toMatch(/^\| Llama 3\.2 1B v3 \| 0\.\d\d \(0\.\d\d to 0\.\d\d\) \| −0\.\d\d \(−?0\.\d\d to −?0\.\d\d\) \| \*\*(worse|not enough data)\*\* \| \d+\.\d% \| \$0\.\d+ \| [\d.]+ h \|/m);
      const llamaV3 = summary.decision!.candidates.find((c) => c.model === LLAMA)!;
      expect(llamaV3.verdict).toBe(verdictOf(llamaV3.difference_ci, summary.decision!.equivalence_margin));
      expect(llamaV3.difference!).toBeLessThan(0);
    },
    180_000,
  );

  it('marks the speed figures of an impossible setup (a huge --speed) invalid, in summary.json, the output and both reports first lines', async () => {
    const out = join(tempDir(), 'demo-fast');
    const r = await runCli(['demo', '--out', out, '--sample', '10', '--speed', '100000', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Speed figures: INVALID (throughput, latency, cost per usable result and hours cannot be trusted):');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.speed_validity.valid).toBe(false);
    // Every group: at 100,000x one 3 ms timer tick is 300 simulated seconds, longer than a whole request.
    expect(summary.speed_validity.reasons.filter((x) => /one tick of the simulator's timer is 300 simulated seconds/.test(x))).toHaveLength(9);
    const report = readFileSync(join(out, 'report.md'), 'utf8').split('\n');
    expect(report[2]).toBe('> **SPEED FIGURES INVALID: throughput, latency, cost per usable result and hours below cannot be trusted.**');
    expect(report[3]).toMatch(/^> - Llama 3\.2 1B v1: /);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.split('\n')[1]).toBe('<!-- qualbench: speed figures INVALID (see the top of the page) -->');
    expect(html.slice(html.indexOf('<body>'), html.indexOf('<body>') + 300)).toMatch(/<h1>[^<]*<\/h1>\s*<div class="warn" id="speed-validity"><strong>SPEED FIGURES INVALID/);
  });
});
