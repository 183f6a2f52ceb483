/**
 * The one owner of pass/fail. Each rule is checked on each (model, prompt version) group it
 * names: an absolute floor against the 95% Wilson interval of the metric, and a largest allowed
 * regression against a reference (the committed baseline, or another prompt version of the same
 * model in this run), paired by item.
 *
 * Regression decision rule, with margin δ (`max_regression`) and one-sided level α (`alpha`):
 * - fail: the drop is significant (one-sided exact McNemar on the items that flipped, H0 "no
 *   change", corrected for multiplicity, see `correction`) AND the observed drop is at least δ;
 * - pass: non-inferiority is shown: the one-sided (1 − α) lower bound of the paired difference
 *   (Newcombe's hybrid score interval) lies at or above −δ;
 * - inconclusive otherwise (too few items, or too much re-run noise, to say either).
 * A verdict carries its minimum detectable effect (MDE) at power 0.8 for its sample size.
 */
import { GATE_METRICS, type Baseline, type GateMetric, type Gates, type GateVerdict } from '../core/gate-records.ts';
import type { GroupValues } from './item-values.ts';
import { decodeValues } from './item-values.ts';
import { benjaminiHochberg, floorMde, holm, holmByFamily, mcnemarDropP, newcombePairedDiff, normalQuantile, pairedMde, pairedSampleSize, wilson, type PairedCounts } from './stats.ts';

export interface GateOutcome {
  verdicts: GateVerdict[];
  passed: boolean;
  counts: { pass: number; fail: number; inconclusive: number };
  /** Groups a regression rule could not check, each naming the metric(s), the group and how to fix it. */
  unchecked: string[];
  /** What the baseline did not match, margins below the MDE (labelled, never silent). */
  warnings: string[];
}

export interface GateOptions {
  /** Released prompt versions (in prompts.lock.json), for `"reference": "latest-released"`. */
  released?: readonly string[];
  /**
   * Planned looks of a sequential eval (default 1). Each look spends alpha ÷ looks (Bonferroni over
   * looks), for regressions and for the floors' Wilson intervals, so a verdict stays valid however
   * many looks were taken before it.
   */
  looks?: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const versionNumber = (v: string) => Number(v.replace(/^v/, '').replace(/\+.*$/, ''));
const splitVersion = (v: string) => {
  const m = /^(v\d+)(.*)$/.exec(v);
  return m ? { base: m[1]!, suffix: m[2]! } : { base: v, suffix: '' };
};

/** The reference version a group is compared with, or null when the rule does not apply to it. */
function referenceVersion(reference: string, promptVersion: string, released: readonly string[]): string | null | { missing: string } {
  const { base, suffix } = splitVersion(promptVersion);
  let ref: string | undefined;
  if (reference === 'latest-released') {
    ref = [...released].sort((a, b) => versionNumber(a) - versionNumber(b)).pop();
    if (!ref) return { missing: 'no released prompt version in prompts.lock.json' };
  } else ref = reference;
  // Only versions newer than the reference are gated against it (the reference itself and older ones are not candidates).
  if (versionNumber(base) <= versionNumber(ref)) return null;
  return ref + suffix;
}

interface Pending {
  v: GateVerdict;
  rule: number;
  counts: PairedCounts;
  p: number;
  margin: number;
}

export function evaluateGates(gatesIn: Gates, groups: Map<string, GroupValues>, baseline: Baseline | null, options: GateOptions = {}): GateOutcome {
  const looks = Math.max(1, options.looks ?? 1);
  const gates: Gates = { ...gatesIn, alpha: gatesIn.alpha / looks };
  const floorZ = normalQuantile(1 - 0.025 / looks);
  const floorLevel = looks === 1 ? '95%' : `${(100 * (1 - 0.05 / looks)).toFixed(2).replace(/\.?0+$/, '')}%`;
  const verdicts: GateVerdict[] = [];
  const warnings: string[] = [];
  const unchecked = new Map<string, { metrics: string[]; rules: number[]; why: string }>();
  const skip = (group: string, why: string, metric: string, rule: number) => {
    const key = `${group}\u0000${why}`;
    const u = unchecked.get(key) ?? { metrics: [], rules: [], why };
    u.metrics.push(metric);
    u.rules.push(rule);
    unchecked.set(key, u);
  };
  const pending: Pending[] = [];
  const subsetOfBaseline = new Set<string>();
  const notInBaseline = new Map<string, string>();
  const byVersion = new Map([...groups.values()].map((g) => [`${g.model}\u0000${g.prompt_version}`, g]));
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
        const ci = wilson(passes, n, floorZ);
        const verdict = n === 0 ? 'inconclusive' : ci.hi < rule.min ? 'fail' : ci.lo >= rule.min ? 'pass' : 'inconclusive';
        const mde = floorMde(n, rule.min, floorZ);
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
          reference: null,
          discordant: null,
          mde,
          needed_n: null,
          note:
            (verdict === 'fail' ? `the whole ${floorLevel} interval lies below ${rule.min}` : verdict === 'inconclusive' ? `the ${floorLevel} interval straddles ${rule.min}` : `at or above ${rule.min}`) +
            `; a true rate ${pct(mde)} below the floor is detected with power 0.8 at n = ${n}`,
        });
      }
      if (rule.max_regression !== undefined) {
        const reference = rule.reference ?? 'baseline';
        let refItems: Map<string, number> | null = null;
        let refLabel = 'baseline';
        if (reference === 'baseline') {
          const base = baseline?.groups.find((b) => b.model === g.model && b.prompt_version === g.prompt_version);
          if (!base) {
            skip(`${g.model} ${g.prompt_version}`, baseline ? 'not in the baseline' : 'no baseline file', rule.metric, r);
            continue;
          }
          const at = baseline!.metrics.indexOf(rule.metric);
          if (at < 0) {
            skip(`${g.model} ${g.prompt_version}`, `the baseline predates the metric ${rule.metric}`, rule.metric, r);
            continue;
          }
          refItems = new Map(Object.entries(base.items).map(([id, enc]) => [id, decodeValues(enc)[at]!]));
        } else {
          const ref = referenceVersion(reference, g.prompt_version, options.released ?? []);
          if (ref === null) continue;
          if (typeof ref === 'object') {
            skip(`${g.model} ${g.prompt_version}`, ref.missing, rule.metric, r);
            continue;
          }
          const refGroup = byVersion.get(`${g.model}\u0000${ref}`);
          if (!refGroup) {
            skip(`${g.model} ${g.prompt_version}`, `its reference ${ref} is not in this run`, rule.metric, r);
            continue;
          }
          refLabel = ref;
          refItems = new Map([...refGroup.items].map(([id, v]) => [id, v[m]!]));
        }
        const k: PairedCounts = { n11: 0, b: 0, c: 0, n00: 0 };
        let onlyHere = 0;
        for (const [id, v] of g.items) {
          const x = refItems.get(id);
          if (x === undefined) {
            onlyHere++;
            continue;
          }
          const y = v[m]!;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          if (x === 1 && y === 1) k.n11++;
          else if (x === 1) k.b++;
          else if (y === 1) k.c++;
          else k.n00++;
        }
        const onlyThere = [...refItems.keys()].filter((id) => !g.items.has(id)).length;
        // Items missing from the baseline are worth a line each; a run on a sample of the baseline's items is the normal case (one line below).
        // Once per group, not once per rule (each metric pairs its own count of items with a value in both).
        const groupKey = `${g.model} ${g.prompt_version}`;
        if (reference === 'baseline' && onlyHere && !notInBaseline.has(groupKey)) notInBaseline.set(groupKey, `${groupKey}: ${onlyHere} items only in this run, ${onlyThere} only in the baseline (compared on the ${g.items.size - onlyHere} in both)`);
        else if (reference === 'baseline' && onlyThere) subsetOfBaseline.add(`${g.model} ${g.prompt_version}`);
        const paired = k.n11 + k.b + k.c + k.n00;
        const v: GateVerdict = {
          gate: `rules[${r}] regression: ${name}${refLabel === 'baseline' ? '' : ` vs ${refLabel}`}`,
          kind: 'regression',
          model: g.model,
          prompt_version: g.prompt_version,
          metric: rule.metric,
          verdict: 'inconclusive',
          observed: paired ? (k.n11 + k.c) / paired : null,
          ci: null,
          threshold: rule.max_regression,
          baseline: paired ? (k.n11 + k.b) / paired : null,
          difference: paired ? (k.c - k.b) / paired : null,
          p_value: null,
          n: paired,
          reference: refLabel,
          discordant: { b: k.b, c: k.c },
          mde: null,
          needed_n: null,
          note: `${k.b} items newly failing, ${k.c} newly passing`,
        };
        pending.push({ v, rule: r, counts: k, p: mcnemarDropP(k.b, k.c), margin: rule.max_regression });
      }
    }
  });

  const p = pending.map((x) => x.p);
  const adjusted =
    gates.correction === 'holm-per-rule' ? holmByFamily(p, pending.map((x) => x.rule))
    : gates.correction === 'holm' ? holm(p)
    : gates.correction === 'bh' ? benjaminiHochberg(p)
    : p;
  const familySize = (rule: number) => (gates.correction === 'none' ? 1 : gates.correction === 'holm-per-rule' ? pending.filter((x) => x.rule === rule).length : pending.length);
  const z = normalQuantile(1 - gates.alpha);
  pending.forEach((x, i) => {
    const { v, counts: k } = x;
    const n = v.n;
    const diff = v.difference ?? 0;
    const family = familySize(x.rule);
    const mdeAlpha = gates.alpha / family;
    v.ci = newcombePairedDiff(k, z);
    v.p_value = adjusted[i]!;
    v.mde = pairedMde(n, n ? (k.b + k.c) / n : 0, mdeAlpha);
    v.needed_n = x.margin > 0 && x.margin < v.mde ? pairedSampleSize(x.margin, n ? (k.b + k.c) / n : 0, mdeAlpha) : null;
    if (n > 0 && adjusted[i]! < gates.alpha && diff <= -x.margin + 1e-12) v.verdict = 'fail';
    else if (n > 0 && v.ci.lo >= -x.margin) v.verdict = 'pass';
    else v.verdict = 'inconclusive';
    v.note +=
      `; one-sided McNemar p = ${x.p.toPrecision(3)} (${gates.correction === 'none' ? 'uncorrected' : `${gates.correction} over ${family}: ${adjusted[i]!.toPrecision(3)}`})` +
      `; ${pct(1 - gates.alpha)} lower bound of the difference ${(100 * v.ci.lo).toFixed(1)} pts` +
      (v.verdict === 'fail' ? `: a significant drop of ${pct(-diff)} ≥ the ${pct(x.margin)} margin` : v.verdict === 'pass' ? ` ≥ −${pct(x.margin)}: no drop beyond the margin` : `: neither a significant drop beyond ${pct(x.margin)} nor one ruled out`);
    verdicts.push(v);
  });
  // One line per rule whose margin is below what its sample can detect.
  gates.rules.forEach((rule, r) => {
    const vs = pending.filter((x) => x.rule === r).map((x) => x.v);
    const below = vs.filter((v) => v.needed_n !== null);
    if (!below.length || rule.max_regression === undefined) return;
    const mdes = below.map((v) => v.mde!);
    const ns = below.map((v) => v.n);
    warnings.push(
      `rules[${r}] regression ${rule.metric}: the ${pct(rule.max_regression)} margin is below the minimum detectable drop in ${below.length} of ${vs.length} groups ` +
        `(MDE ${pct(Math.min(...mdes)) === pct(Math.max(...mdes)) ? pct(mdes[0]!) : `${pct(Math.min(...mdes))}–${pct(Math.max(...mdes))}`} at n = ${Math.min(...ns) === Math.max(...ns) ? ns[0] : `${Math.min(...ns)}–${Math.max(...ns)}`}, power 0.8, one-sided alpha ${(gates.alpha / familySize(r)).toPrecision(2)}); ` +
        `about ${Math.max(...below.map((v) => v.needed_n!))} paired items per group would be needed (e.g. \`--sample ${Math.max(...below.map((v) => v.needed_n!))}\`)`,
    );
  });
  const counts = { pass: 0, fail: 0, inconclusive: 0 };
  for (const v of verdicts) counts[v.verdict]++;
  const passed = verdicts.every((v) => v.verdict === 'pass' || (v.verdict === 'inconclusive' && gates.policy.inconclusive === 'pass'));
  warnings.push(...notInBaseline.values());
  if (subsetOfBaseline.size) warnings.push(`${subsetOfBaseline.size} group(s) ran a sample of the baseline's items: compared on the items in both`);
  if (looks > 1) warnings.unshift(`sequential: ${looks} planned looks, each at alpha ${gatesIn.alpha} ÷ ${looks} = ${gates.alpha.toPrecision(3)} (Bonferroni over looks); floors use ${floorLevel} Wilson intervals`);
  const uncheckedLines = [...unchecked.entries()].map(([key, u]) => {
    const group = key.split('\u0000')[0]!;
    const fix = u.why.startsWith('its reference') ? 'add that version to the eval\'s prompt_versions' : u.why.startsWith('no released') ? 'release a version (`qualbench prompts release <prompt>@<version>`)' : 'add one with `qualbench baseline update <run-dir>` from a run that has this group, or set "reference": "latest-released" on the rule to compare with the released version in the same run';
    return `regression ${[...new Set(u.metrics)].join(', ')} (rules[${[...new Set(u.rules)].join('], rules[')}]) not checked for ${group}: ${u.why}; ${fix}`;
  });
  return { verdicts, passed, counts, unchecked: uncheckedLines, warnings: [...new Set(warnings)] };
}

/**
 * Margins a sample of this size cannot detect, for `baseline update`: with one run the re-run
 * discordance is unknown, so the MDE assumes none (a lower bound: noise only makes it larger).
 */
export function marginWarnings(gates: Gates, groups: Array<{ model: string; prompt_version: string; n: number }>): string[] {
  const out: string[] = [];
  gates.rules.forEach((rule, r) => {
    if (rule.max_regression === undefined) return;
    const applies = groups.filter((g) => (!rule.models || rule.models.includes(g.model)) && (!rule.prompt_versions || rule.prompt_versions.includes(g.prompt_version)));
    if (!applies.length) return;
    const family = gates.correction === 'none' ? 1 : gates.correction === 'holm-per-rule' ? applies.length : groups.length * gates.rules.filter((x) => x.max_regression !== undefined).length;
    const alpha = gates.alpha / family;
    const n = Math.min(...applies.map((g) => g.n));
    const mde = pairedMde(n, 0, alpha);
    if (rule.max_regression >= mde) return;
    out.push(
      `rules[${r}] regression ${rule.metric as GateMetric}: a ${pct(rule.max_regression)} margin is below what ${n} items can detect (MDE ≥ ${pct(mde)} at power 0.8, one-sided alpha ${alpha.toPrecision(2)}, even with no re-run noise); ` +
        `about ${pairedSampleSize(rule.max_regression, 0, alpha)} items per group would be needed, more with noise`,
    );
  });
  return out;
}
