import { SCORER } from '../core/scorer-ids.ts';
import { GATE_METRICS, type GateMetric } from '../core/gate-records.ts';
import { ScoreRecord } from '../core/records.ts';
import { readJsonl } from '../core/jsonl.ts';

/** Per-item pass/fail values of one (model, prompt version) group: 1, 0, or NaN when unscored. */
export interface GroupValues {
  model: string;
  prompt_version: string;
  items: Map<string, Float64Array>;
}

/** Which scorer result stands for which gate metric (1 = passed). */
function valueOf(metric: GateMetric, s: ScoreRecord): number {
  const score = (id: string) => s.scores[id]?.score;
  const v =
    metric === 'json_strict_rate' ? score(SCORER.jsonStrict)
    : metric === 'schema_valid_rate' ? score(SCORER.schema)
    : metric === 'follows_instructions' ? score(SCORER.followsInstructions)
    : metric === 'label_exact' ? (score(SCORER.labelMatch) ?? score(SCORER.recommendationMatch))
    : (score(SCORER.recommendationMatch) ?? score(SCORER.labelMatch));
  // A failed request did not produce a valid answer: it counts as a fail, not as unscored.
  if (s.request_error) return 0;
  return v === null || v === undefined ? Number.NaN : v >= 0.5 ? 1 : 0;
}

/** Read scores.jsonl into per-group per-item values, in GATE_METRICS order. */
export async function readGroupValues(scoresFile: string): Promise<Map<string, GroupValues>> {
  const groups = new Map<string, GroupValues>();
  for await (const { value } of readJsonl(scoresFile, ScoreRecord)) {
    const key = `${value.model}\u0000${value.prompt_version}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { model: value.model, prompt_version: value.prompt_version, items: new Map() }));
    g.items.set(value.item_id, Float64Array.from(GATE_METRICS.map((m) => valueOf(m, value))));
  }
  return groups;
}

/** Encode/decode one item's values as a short string for the committed baseline: '1', '0', '-'. */
export function encodeValues(v: Float64Array): string {
  return [...v].map((x) => (Number.isNaN(x) ? '-' : x >= 0.5 ? '1' : '0')).join('');
}
export function decodeValues(s: string): Float64Array {
  return Float64Array.from([...s].map((c) => (c === '1' ? 1 : c === '0' ? 0 : Number.NaN)));
}
