/**
 * The gate's decision rule on hand-built per-item values: a clean 10-point drop on 100 paired items
 * fails among 36 gates, A/A-sized noise passes, a draft version is gated against another version of
 * the same model, a group without a baseline is named with its metric and the fix, and every
 * regression verdict carries its MDE.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATE_SCHEMA_FILE, gateJsonSchema } from '../../src/gate/gate-json-schema.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { GATE_METRICS, Gates, type Baseline } from '../../src/core/gate-records.ts';
import { evaluateGates, marginWarnings } from '../../src/gate/gate-run.ts';
import { encodeValues, type GroupValues } from '../../src/gate/item-values.ts';

const MODELS = ['llama', 'gemma', 'qwen'];
const VERSIONS = ['v1', 'v2', 'v3'];
const N = 100;
const ids = Array.from({ length: N }, (_, i) => `cand-${String(i).padStart(4, '0')}`);

/** Per-item values: item i passes every metric when i >= failFrom (so the pass rate is 1 − failFrom/N). */
function group(model: string, version: string, failing: (i: number) => boolean): GroupValues {
  return { model, prompt_version: version, items: new Map(ids.map((id, i) => [id, Float64Array.from(GATE_METRICS.map(() => (failing(i) ? 0 : 1)))])) };
}
const key = (g: GroupValues) => `${g.model}\u0000${g.prompt_version}`;
function groups(list: GroupValues[]): Map<string, GroupValues> {
  return new Map(list.map((g) => [key(g), g]));
}
function baselineOf(list: GroupValues[]): Baseline {
  return {
    schema_version: 1,
    eval: 'e',
    metrics: [...GATE_METRICS],
    fingerprint: { dataset: { name: 'd', version: '1', sha256: 'x' }, sampling: {}, servers: {} },
    groups: list.map((g) => ({ model: g.model, prompt_version: g.prompt_version, prompt_sha256: null, metrics: {}, items: Object.fromEntries([...g.items].map(([id, v]) => [id, encodeValues(v)])) })),
  };
}
/** The four metrics the shipped eval gates (label_exact is the same values as recommendation_exact). */
const GATED = GATE_METRICS.filter((m) => m !== 'label_exact');
const RULES = GATED.map((metric) => ({ metric, max_regression: 0.05 }));
const before = MODELS.flatMap((m) => VERSIONS.map((v) => group(m, v, (i) => i < 20)));

describe('regression gates', () => {
  it('a clean 10-point drop on 100 paired items fails among 36 gates; the unchanged 35 pass', () => {
    const gates = Gates.parse({ rules: RULES });
    const after = before.map((g) => (g.model === 'gemma' && g.prompt_version === 'v2' ? group('gemma', 'v2', (i) => i < 30) : g));
    const out = evaluateGates(gates, groups(after), baselineOf(before));
    expect(out.verdicts).toHaveLength(36);
    const failed = out.verdicts.filter((v) => v.verdict === 'fail');
    expect(failed.map((v) => `${v.model} ${v.prompt_version} ${v.metric}`).sort()).toEqual(GATED.map((m) => `gemma v2 ${m}`).sort());
    const f = failed[0]!;
    expect(f.discordant).toEqual({ b: 10, c: 0 });
    expect(f.difference).toBeCloseTo(-0.1, 10);
    // one-sided p = 2^-10, Holm within the rule's 9 groups: 9/1024
    expect(f.p_value).toBeCloseTo(9 / 1024, 12);
    expect(out.passed).toBe(false);
    expect(out.counts).toEqual({ pass: 32, fail: 4, inconclusive: 0 });
    // Identical groups prove non-inferiority: the one-sided 95% lower bound of the difference is within 5 points.
    expect(out.verdicts.filter((v) => v.verdict === 'pass')).toHaveLength(32);
    // Holm over all 36 (the old family): 36/1024 = 0.035, still below 0.05 one-sided; BH too.
    expect(evaluateGates(Gates.parse({ rules: RULES, correction: 'holm' }), groups(after), baselineOf(before)).counts.fail).toBe(4);
    expect(evaluateGates(Gates.parse({ rules: RULES, correction: 'bh' }), groups(after), baselineOf(before)).counts.fail).toBe(4);
  });

  it('A/A-sized noise (2 down, 1 up) is not a regression; a significant drop smaller than the margin does not fail', () => {
    const gates = Gates.parse({ rules: [{ metric: 'json_strict_rate', max_regression: 0.05 }] });
    const base = [group('gemma', 'v2', (i) => i < 20)];
    const noisy = group('gemma', 'v2', (i) => i < 20 ? i !== 5 : i === 50 || i === 51);
    const v = evaluateGates(gates, groups([noisy]), baselineOf(base)).verdicts[0]!;
    expect(v.discordant).toEqual({ b: 2, c: 1 });
    expect(v.verdict).toBe('pass');
    // 4 down, 0 up: below the margin and not proven within it either; 6 down, 0 up: p = 1/64 and a drop of at least 5 points: fails.
    const four = evaluateGates(gates, groups([group('gemma', 'v2', (i) => i < 24)]), baselineOf(base)).verdicts[0]!;
    expect([four.discordant, four.verdict]).toEqual([{ b: 4, c: 0 }, 'inconclusive']);
    const six = evaluateGates(gates, groups([group('gemma', 'v2', (i) => i < 26)]), baselineOf(base)).verdicts[0]!;
    expect(six.verdict).toBe('fail');
    expect(six.p_value).toBeCloseTo(1 / 64, 12);
  });

  it('every regression verdict reports its MDE, and the items needed when the margin is below it', () => {
    const gates = Gates.parse({ rules: RULES });
    const out = evaluateGates(gates, groups(before), baselineOf(before));
    const v = out.verdicts[0]!;
    // no discordance, alpha 0.05/9 one-sided: δ√100 = 2.5392√δ + 0.8416√(δ − δ²)
    expect(v.mde).toBeCloseTo(0.11107, 4);
    expect(v.needed_n).toBeGreaterThan(N);
    expect(out.warnings.some((w) => /rules\[0\] regression json_strict_rate: the 5\.0% margin is below the minimum detectable drop in 9 of 9 groups .* n = 100.* about \d+ paired items per group/.test(w))).toBe(true);
    expect(marginWarnings(gates, before.map((g) => ({ model: g.model, prompt_version: g.prompt_version, n: 100 })))[0]).toMatch(/a 5\.0% margin is below what 100 items can detect \(MDE ≥ 11\.1%.*about \d+ items per group/);
    expect(marginWarnings(gates, before.map((g) => ({ model: g.model, prompt_version: g.prompt_version, n: 600 })))).toEqual([]);
  });

  it('a run on a sample of the baseline is compared on the items in both, said once; items missing from the baseline are named per group', () => {
    const gates = Gates.parse({ rules: RULES });
    const half = (g: GroupValues): GroupValues => ({ ...g, items: new Map([...g.items].slice(0, 50)) });
    const out = evaluateGates(gates, groups(before.map(half)), baselineOf(before));
    expect(out.verdicts.every((v) => v.kind !== 'regression' || v.n === 50)).toBe(true);
    expect(out.warnings.filter((w) => /baseline's items/.test(w))).toEqual(["9 group(s) ran a sample of the baseline's items: compared on the items in both"]);
    const extra = before.map((g) => ({ ...g, items: new Map([...g.items, ['new-item', Float64Array.from([1, 1, 1, 1])]]) }));
    expect(evaluateGates(gates, groups(extra), baselineOf(before)).warnings).toContain('gemma v2: 1 items only in this run, 0 only in the baseline (compared on the 100 in both)');
    // One line per group however many regression rules there are, even when a metric has no value for an item
    // (each rule then pairs a different count).
    const gappy = extra.map((g) => ({ ...g, items: new Map([...g.items].map(([id, v], i) => [id, i === 0 ? Float64Array.from([v[0]!, NaN, v[2]!, v[3]!]) : v])) }));
    const w = evaluateGates(gates, groups(gappy), baselineOf(before)).warnings.filter((x) => x.startsWith('gemma v2:'));
    expect(gates.rules.filter((r) => r.max_regression !== undefined).length).toBeGreaterThan(1);
    expect(w).toEqual(['gemma v2: 1 items only in this run, 0 only in the baseline (compared on the 100 in both)']);
  });

  it('"reference": "v3" gates a draft v4 against v3 of the same model, paired by item; only newer versions are gated', () => {
    const gates = Gates.parse({ rules: [{ metric: 'json_strict_rate', max_regression: 0.05, reference: 'v3' }] });
    const v3 = group('gemma', 'v3', (i) => i < 25); // 75% valid
    const v4 = group('gemma', 'v4', (i) => i < 67); // 33% valid
    const out = evaluateGates(gates, groups([group('gemma', 'v2', () => false), v3, v4]), null);
    expect(out.verdicts).toHaveLength(1);
    const v = out.verdicts[0]!;
    expect([v.prompt_version, v.reference, v.verdict, v.discordant]).toEqual(['v4', 'v3', 'fail', { b: 42, c: 0 }]);
    expect(v.gate).toBe('rules[0] regression: json_strict_rate gemma v4 vs v3');
    // latest-released: the newest version in the lock
    const latest = evaluateGates(Gates.parse({ rules: [{ metric: 'json_strict_rate', max_regression: 0.05, reference: 'latest-released' }] }), groups([v3, v4]), null, { released: ['v1', 'v2', 'v3'] });
    expect(latest.verdicts.map((x) => [x.prompt_version, x.reference, x.verdict])).toEqual([['v4', 'v3', 'fail']]);
    const missing = evaluateGates(gates, groups([v4]), null);
    expect(missing.unchecked).toEqual(['regression json_strict_rate (rules[0]) not checked for gemma v4: its reference v3 is not in this run; add that version to the eval\'s prompt_versions']);
  });

  it('a group without a baseline is named with its metrics and how to add one, not skipped silently', () => {
    const gates = Gates.parse({ rules: RULES });
    const out = evaluateGates(gates, groups([...before, group('gemma', 'v4', () => false)]), baselineOf(before));
    expect(out.unchecked).toHaveLength(1);
    expect(out.unchecked[0]).toMatch(/^regression json_strict_rate, schema_valid_rate, follows_instructions, recommendation_exact \(rules\[0\], rules\[1\], rules\[2\], rules\[3\]\) not checked for gemma v4: not in the baseline; add one with `qualbench baseline update <run-dir>`/);
    expect(evaluateGates(gates, groups([group('gemma', 'v4', () => false)]), null).unchecked[0]).toMatch(/gemma v4: no baseline file/);
  });
});

describe('schemas/gate.schema.json', () => {
  it('is up to date with the zod GateReport (regenerate: node src/gate/write-gate-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, GATE_SCHEMA_FILE), 'utf8')) as unknown;
    expect(committed).toEqual(gateJsonSchema());
  });
});

describe('eval --sequential --looks', () => {
  it('parses increasing sample sizes with `all` last, and refuses anything else', async () => {
    const { parseLooks } = await import('../../src/commands/eval.ts');
    expect(parseLooks(undefined)).toEqual([100, 200, 400, 'all']);
    expect(parseLooks('40, 80,160')).toEqual([40, 80, 160]);
    for (const bad of ['100,50', 'all,100', '0,10', 'x', '10,10']) expect(() => parseLooks(bad)).toThrow(/--looks must be increasing sample sizes/);
  });
});

describe('baselines keyed by metric name', () => {
  /** A baseline made before label_exact existed: four metrics, four characters per item. */
  function olderBaseline(list: GroupValues[]): Baseline {
    const names = ['json_strict_rate', 'schema_valid_rate', 'follows_instructions', 'recommendation_exact'];
    const at = names.map((n) => GATE_METRICS.indexOf(n as (typeof GATE_METRICS)[number]));
    const b = baselineOf(list);
    return { ...b, metrics: names, groups: b.groups.map((g) => ({ ...g, items: Object.fromEntries(Object.entries(g.items).map(([id, enc]) => [id, at.map((i) => enc[i]).join('')])) })) };
  }

  it('reads a baseline made with fewer metrics by name, and lists a rule on a newer metric as not checked', () => {
    const after = before.map((g) => (g.model === 'gemma' && g.prompt_version === 'v2' ? group('gemma', 'v2', (i) => i < 30) : g));
    const out = evaluateGates(Gates.parse({ rules: [{ metric: 'recommendation_exact', max_regression: 0.05 }, { metric: 'label_exact', max_regression: 0.05 }] }), groups(after), olderBaseline(before));
    const failed = out.verdicts.filter((v) => v.verdict === 'fail').map((v) => `${v.model} ${v.prompt_version} ${v.metric}`);
    expect(failed).toEqual(['gemma v2 recommendation_exact']);
    expect(out.verdicts.filter((v) => v.metric === 'label_exact')).toEqual([]);
    expect(out.unchecked.join('\n')).toMatch(/label_exact .*the baseline predates the metric label_exact/);
  });
});

