/**
 * Fit the simulator's capacity model to the team's GPU measurements, in virtual time only (no HTTP,
 * no timer, so the host's CPU cannot change a figure). For each model, bisect its compute per token
 * (`perTokenS`) until the engine reproduces the team's figure at the operating point it was measured at
 * (5,000-request batches sent at once; Qwen's 10 requests), then the eager-mode step cost from Qwen's
 * enforce_eager batch (other models: scaled by layer count, as kernel launches are per layer). Prints
 * the constants for src/sim/models.ts, the calibration table and the KV arithmetic of docs/simulator.md.
 *
 *   node bench/calibrate.ts            # fit, then evaluate the fitted constants
 *   node bench/calibrate.ts --check    # only evaluate the constants in src/sim/models.ts
 */
import { parseArgs } from 'node:util';
import { measureLoad } from '../src/sim/clock.ts';
import { capacityProfile, DEMO_REQUEST_SIZES, MODEL_SPECS, type ModelSpec, type OperatingPoint } from '../src/sim/models.ts';
import { CARD, kvArithmetic } from '../src/sim/card.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean' } } });

type Fit = Pick<ModelSpec, 'architecture' | 'perTokenS' | 'eagerStepS'>;
const at = (spec: Fit, p: Pick<OperatingPoint, 'promptTokens' | 'completionTokens' | 'requests' | 'concurrency' | 'enforceEager'>) =>
  measureLoad(capacityProfile(spec, { enforceEager: p.enforceEager ?? false }), p);

function bisect(f: (x: number) => number, target: number, lo: number, hi: number): number {
  // f decreasing in x (more cost, fewer tokens/s).
  for (let i = 0; i < 40; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

const fitted = new Map<string, Fit>();
for (const spec of MODEL_SPECS) fitted.set(spec.id, { architecture: spec.architecture, perTokenS: spec.perTokenS, eagerStepS: spec.eagerStepS });
if (!values.check) {
  for (const spec of MODEL_SPECS) {
    const p = spec.operatingPoints.find((o) => o.fits === 'perTokenS')!;
    const f = fitted.get(spec.id)!;
    f.perTokenS = bisect((x) => at({ ...f, perTokenS: x }, p).totalTokensPerS, p.totalTokensPerS, 1e-7, 1e-2);
  }
  const qwen = MODEL_SPECS.find((s) => s.operatingPoints.some((o) => o.fits === 'eagerStepS'))!;
  const ep = qwen.operatingPoints.find((o) => o.fits === 'eagerStepS')!;
  const qf = fitted.get(qwen.id)!;
  qf.eagerStepS = bisect((x) => at({ ...qf, eagerStepS: x }, ep).totalTokensPerS, ep.totalTokensPerS, 1e-5, 10);
  for (const spec of MODEL_SPECS) if (spec !== qwen) fitted.get(spec.id)!.eagerStepS = (qf.eagerStepS * spec.architecture.layers) / qwen.architecture.layers;
  for (const spec of MODEL_SPECS) {
    const f = fitted.get(spec.id)!;
    console.log(`${spec.id}: perTokenS ${f.perTokenS.toPrecision(4)}, eagerStepS ${f.eagerStepS.toPrecision(3)}`);
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const BATCH = { requests: 5000, concurrency: 5000 };
console.log('\n| model | team\'s figure | request (prompt + completion) | requests / in flight | server settings | simulator | diff | running at once | preemptions |\n|---|--:|---|---|---|--:|--:|--:|--:|');
for (const spec of MODEL_SPECS) {
  const f = fitted.get(spec.id)!;
  for (const p of spec.operatingPoints) {
    const r = at(f, p);
    const diff = ((r.totalTokensPerS / p.totalTokensPerS - 1) * 100).toFixed(1);
    console.log(`| ${spec.id} | ${fmt(p.totalTokensPerS)} | ${p.promptTokens} + ${p.completionTokens} | ${fmt(p.requests)} / ${fmt(p.concurrency)} | ${p.enforceEager ? 'enforce_eager' : 'defaults'} | ${fmt(r.totalTokensPerS)} | ${diff}% | ${r.maxRunning} | ${r.preemptions} |`);
  }
}
console.log('\nProjections (not measured): 5,000-request batch at the team\'s sizes with defaults; the demo\'s sizes, 5K batch and 200 requests at 64 in flight');
console.log('| model | 5K batch, defaults | 5K batch, enforce_eager | 10 requests | demo sizes, 5K batch | demo sizes, 200 at 64 |\n|---|--:|--:|--:|--:|--:|');
for (const spec of MODEL_SPECS) {
  const f = fitted.get(spec.id)!;
  const p = spec.operatingPoints[0]!;
  const d = DEMO_REQUEST_SIZES[spec.id]!;
  const row = [
    at(f, { ...p, ...BATCH, enforceEager: false }),
    at(f, { ...p, ...BATCH, enforceEager: true }),
    at(f, { ...p, requests: 10, concurrency: 10, enforceEager: false }),
    at(f, { ...d, ...BATCH }),
    at(f, { ...d, requests: 200, concurrency: 64 }),
  ].map((r) => fmt(r.totalTokensPerS));
  console.log(`| ${spec.id} | ${row.join(' | ')} |`);
}
console.log(`\nKV arithmetic (card: ${CARD.memoryBytes / 1024 ** 3} GiB x ${CARD.gpuMemoryUtilization}, reserve ${CARD.nonKvReserveBytes / 1024 ** 3} GiB)`);
console.log('| model | usable GiB | weights GiB | KV GiB | KV bytes/token | KV tokens | max_model_len |\n|---|--:|--:|--:|--:|--:|--:|');
for (const spec of MODEL_SPECS) {
  const k = kvArithmetic(spec.architecture);
  const g = (b: number) => (b / 1024 ** 3).toFixed(2);
  console.log(`| ${spec.id} | ${g(k.usableBytes)} | ${g(k.weightsBytes)} | ${g(k.kvBytes)} | ${fmt(k.kvBytesPerToken)} | ${fmt(k.kvTokens)} | ${fmt(k.maxModelLen)}${k.needsMaxModelLen ? ' (needs --max-model-len)' : ''} |`);
}
