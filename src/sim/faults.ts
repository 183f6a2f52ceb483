/**
 * Faults on demand: a share of chat requests fails the way real servers and networks do.
 * Spec: `--faults "429:0.1,503:0.05,reset:0.02"` (kind:rate, rates are 0..1). Drawn from a PRNG
 * seeded by the server seed and a request counter, so a run is repeatable and a retried request
 * can succeed. Kinds:
 * - `429`, `500`, `503`: vLLM's error envelope with that status (429 carries `retry-after: 0`);
 * - `reset`: the connection is destroyed before any byte of the answer;
 * - `hang`: no answer at all (the client's timeout must fire);
 * - `malformed`: 200 with a JSON body cut in the middle;
 * - `cut`: a streamed answer stops mid-way without `[DONE]` (non-streamed: like `reset`);
 * - `slow`: the answer trickles out in small pieces over ~2 s.
 */
import { mulberry32 } from '../core/random.ts';

export const FAULT_KINDS = ['429', '500', '503', 'reset', 'hang', 'malformed', 'cut', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;

export function parseFaults(spec: string): FaultRates {
  const rates: FaultRates = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kind, rate] = part.split(':');
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`unknown fault \`${kind}\`; known: ${FAULT_KINDS.join(', ')}`);
    const r = Number(rate);
    if (!Number.isFinite(r) || r < 0 || r > 1) throw new Error(`fault rate for \`${kind}\` must be between 0 and 1, got \`${rate}\``);
    rates[kind as FaultKind] = r;
  }
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  if (total > 1) throw new Error(`fault rates add up to ${total}, more than 1`);
  return rates;
}

/** Draws the fault (or none) for each request in turn. */
export function faultPicker(rates: FaultRates, seed: number): () => FaultKind | null {
  const next = mulberry32((seed ^ 0x9e3779b9) >>> 0);
  const entries = FAULT_KINDS.filter((k) => (rates[k] ?? 0) > 0).map((k) => [k, rates[k]!] as const);
  return () => {
    if (entries.length === 0) return null;
    let r = next();
    for (const [k, rate] of entries) {
      if (r < rate) return k;
      r -= rate;
    }
    return null;
  };
}
