/**
 * Fit the simulator's capacity model to the team's GPU measurements, in virtual time only (no HTTP,
 * no timer, so the host's CPU cannot change a figure): for each model, find `perSeqS` so that 128
 * closed-loop clients sending the team's request sizes reach the measured total tokens/s, then print
 * the constants for src/sim/models.ts and what the fitted engines give at the team's and at the demo's
 * request sizes.
 *
 *   node bench/calibrate.ts            # fit from the targets in src/sim/models.ts
 *   node bench/calibrate.ts --check    # only evaluate the constants in src/sim/models.ts
 */
import { parseArgs } from 'node:util';
import type { CapacityProfile } from '../src/sim/capacity.ts';
import { measureSaturation } from '../src/sim/clock.ts';
import { MODEL_SPECS, DEMO_REQUEST_SIZES } from '../src/sim/models.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, requests: { type: 'string', default: '1500' } } });
const requests = Number(values.requests);

const rows: string[] = [];
const at = async (p: CapacityProfile, prompt: number, completion: number, n = requests, concurrency = 128) =>
  (await measureSaturation(p, { requests: n, concurrency, promptTokens: prompt, completionTokens: completion })).totalTokensPerS;

const results: Record<string, { team: number; demo: number; demo200: number }> = {};
for (const spec of MODEL_SPECS) {
  const t = spec.calibration;
  let profile = spec.capacity;
  if (!values.check) {
    let lo = 1e-6;
    let hi = 0.01;
    const withPerSeq = (perSeqS: number): CapacityProfile => ({ ...spec.capacity, perSeqS, prefillPerTokenS: perSeqS * t.prefillRatio });
    for (let i = 0; i < 40; i++) {
      const mid = Math.sqrt(lo * hi);
      if ((await at(withPerSeq(mid), t.promptTokens, t.completionTokens)) > t.totalTokensPerS) lo = mid;
      else hi = mid;
    }
    profile = withPerSeq(Math.sqrt(lo * hi));
  }
  const d = DEMO_REQUEST_SIZES[spec.id]!;
  results[spec.id] = {
    team: await at(profile, t.promptTokens, t.completionTokens),
    demo: await at(profile, d.promptTokens, d.completionTokens),
    demo200: await at(profile, d.promptTokens, d.completionTokens, 200),
  };
  rows.push(`${spec.id}: perSeqS ${(profile.perSeqS * 1000).toFixed(5)} ms, prefillPerTokenS ${(profile.prefillPerTokenS * 1000).toFixed(5)} ms`);
}
console.log(rows.join('\n'));
console.log('\n| model | target | team sizes | demo sizes, steady | demo sizes, 200 requests |\n|---|--:|--:|--:|--:|');
for (const spec of MODEL_SPECS) {
  const r = results[spec.id]!;
  console.log(`| ${spec.id} | ${spec.calibration.totalTokensPerS} | ${r.team.toFixed(0)} | ${r.demo.toFixed(0)} | ${r.demo200.toFixed(0)} |`);
}
const [l, g, q] = MODEL_SPECS.map((s) => results[s.id]!);
const ratio = (k: 'team' | 'demo' | 'demo200') => `Llama/Gemma ${(l![k] / g![k]).toFixed(2)}, Gemma/Qwen ${(g![k] / q![k]).toFixed(2)}`;
console.log(`\nratios (team 7.89, 1.64): team sizes ${ratio('team')}; demo sizes ${ratio('demo')}; demo, 200 requests ${ratio('demo200')}`);
