/**
 * The one owner of pass/fail. Each rule is checked on each (model, prompt version) group it
 * names: an absolute floor against the 95% Wilson interval of the metric, and a largest allowed
 * regression against the baseline, paired by item (exact McNemar, Holm-corrected across the
 * family, and a seeded paired bootstrap interval of the difference). A verdict is pass, fail
 * or inconclusive, with the numbers behind it.
 */
import { GATE_METRICS, type Baseline, type Gates, type GateVerdict } from '../core/gate-records.ts';
import type { GroupValues } from './item-values.ts';
import { decodeValues } from './item-values.ts';
import { holm, mcnemarExact, pairedBootstrapDiff, wilson } from './stats.ts';

export interface GateOutcome {
  verdicts: GateVerdict[];
  passed: boolean;
  /** What the baseline did not match (labelled, never silent). */
  warnings: string[];
}

export function evaluateGates(gates: Gates, groups: Map<string, GroupValues>, baseline: Baseline | null, seed: number): GateOutcome {
  const verdicts: GateVerdict[] = [];
  const warnings: string[] = [];
  const pending: Array<{ v: GateVerdict; p: number; ciHi: number; ciLo: number; margin: number }> = [];
  gates.rules.forEach((rule, r) => {
    const m = GATE_METRICS.indexOf(rule.metric);
    for (const g of groups.values()) {
      if (rule.models && !rule.models.includes(g.model)) continue;
      if (rule.prompt_versions && !rule.prompt_versions.includes(g.prompt_version)) continue;
      const values = [...g.items.values()].map((v) => v[m]!).filter((x) => !Number.isNaN(x));
      const n = values.length;
      const passes = values.reduce((a, b) => a + b, 0);
      const observed = n ? passes / n : null;
      const name = `${rule.metric} ${g.model} ${g.prompt_version}`;
      if (rule.min !== undefined) {
        const ci = wilson(passes, n);
        const verdict = n === 0 ? 'inconclusive' : ci.hi < rule.min ? 'fail' : ci.lo >= rule.min ? 'pass' : 'inconclusive';
        verdicts.push({
          gate: `rules[${r}] floor: ${name}`,
          kind: 'floor',
          model: g.model,
          prompt_version: g.prompt_version,
          metric: rule.metric,
          verdict,
          observed,
          ci,
          threshold: rule.min,
          baseline: null,
          difference: null,
          p_value: null,
          n,
          note: verdict === 'fail' ? `the whole 95% interval lies below ${rule.min}` : verdict === 'inconclusive' ? `the 95% interval straddles ${rule.min}` : `at or above ${rule.min}`,
        });
      }
      if (rule.max_regression !== undefined) {
        const base = baseline?.groups.find((b) => b.model === g.model && b.prompt_version === g.prompt_version);
        if (!base) {
          warnings.push(`no baseline for ${g.model} ${g.prompt_version}: regression gate not checked`);
          continue;
        }
        const before: number[] = [];
        const now: number[] = [];
        let b = 0;
        let c = 0;
        let onlyHere = 0;
        for (const [id, v] of g.items) {
          const enc = base.items[id];
          if (enc === undefined) {
            onlyHere++;
            continue;
          }
          const x = decodeValues(enc)[m]!;
          const y = v[m]!;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          before.push(x);
          now.push(y);
          if (x === 1 && y === 0) b++;
          if (x === 0 && y === 1) c++;
        }
        const onlyThere = Object.keys(base.items).filter((id) => !g.items.has(id)).length;
        if (onlyHere || onlyThere) warnings.push(`${g.model} ${g.prompt_version}: ${onlyHere} items only in this run, ${onlyThere} only in the baseline (compared on the ${before.length} in both)`);
        const mean = (xs: number[]) => (xs.length ? xs.reduce((a, z) => a + z, 0) / xs.length : 0);
        const diff = mean(now) - mean(before);
        const ci = pairedBootstrapDiff(before, now, seed + r * 7919 + verdicts.length);
        const v: GateVerdict = {
          gate: `rules[${r}] regression: ${name}`,
          kind: 'regression',
          model: g.model,
          prompt_version: g.prompt_version,
          metric: rule.metric,
          verdict: 'pass',
          observed: before.length ? mean(now) : null,
          ci,
          threshold: rule.max_regression,
          baseline: before.length ? mean(before) : null,
          difference: before.length ? diff : null,
          p_value: b > c ? mcnemarExact(b, c) : 1,
          n: before.length,
          note: `${b} items newly failing, ${c} newly passing`,
        };
        pending.push({ v, p: v.p_value!, ciHi: ci.hi, ciLo: ci.lo, margin: rule.max_regression });
      }
    }
  });
  const adjusted = holm(pending.map((x) => x.p));
  pending.forEach((x, i) => {
    x.v.p_value = adjusted[i]!;
    // Fail only when the drop beyond the allowed margin is supported: the whole interval lies
    // below -margin and the paired test says the drop is real. Pass when the interval rules out
    // a drop larger than the margin. Anything else is inconclusive.
    if (x.ciHi < -x.margin && adjusted[i]! < gates.alpha) x.v.verdict = 'fail';
    else if (x.ciLo >= -x.margin) x.v.verdict = 'pass';
    else x.v.verdict = 'inconclusive';
    x.v.note += `; Holm-adjusted p = ${adjusted[i]!.toPrecision(3)}`;
    verdicts.push(x.v);
  });
  const passed = verdicts.every((v) => v.verdict === 'pass' || (v.verdict === 'inconclusive' && gates.policy.inconclusive === 'pass'));
  return { verdicts, passed, warnings };
}
