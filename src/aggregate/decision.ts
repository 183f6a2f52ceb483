/**
 * The decision the report answers first: can the workload move from the incumbent (model, prompt version)
 * to a candidate? Per candidate: the quality difference against the incumbent on the items both answered,
 * with a seeded paired bootstrap interval, a verdict from that interval, the usable rate, the cost per 1K
 * usable results and the hours for the workload; and the cascade that beats both, when one does.
 * The reports only render this block (summary.decision).
 */
import type { CascadeSummary, DecisionArmSummary, DecisionCandidate, DecisionSpec, DecisionSummary, GroupSummary, RunTrust, ScoreRecord, SpeedValidity } from '../core/records.ts';
import type { ClassLabel } from '../core/task-records.ts';
import { mulberry32 } from '../core/random.ts';
import { quadraticKappaFromCounts, type KappaWeights } from './kappa.ts';
import { multinomialDraw, hash32, percentile, round, type Interval } from './stats.ts';

/** The decision asked when the eval declares none. */
const DEFAULT_SPEC: DecisionSpec = { metric: 'kappa', equivalence_margin: 0.05, floors: {}, workload: 200_000 };

type Verdict = DecisionCandidate['verdict'];

/**
 * The verdict from the 95% interval of candidate − incumbent: entirely above 0 is better, entirely below
 * is worse, entirely inside ±margin is no detectable difference; anything else (it includes 0 but reaches
 * past the margin) is not enough data to tell.
 */
export function verdictOf(ci: Interval | null, margin: number): Verdict {
  if (!ci) return 'not enough data';
  if (ci.lo > 0) return 'better';
  if (ci.hi < 0) return 'worse';
  if (ci.lo >= -margin && ci.hi <= margin) return 'no detectable difference';
  return 'not enough data';
}

export function ruleLine(metric: DecisionSpec['metric'], margin: number): string {
  const m = metric === 'kappa' ? 'κ' : 'exact agreement';
  return `Verdict from the 95% paired bootstrap interval of candidate − incumbent ${m} on the same items: above 0 → better; below 0 → worse; inside ±${margin} → no detectable difference; otherwise (it includes 0 but reaches past ±${margin}) → not enough data.`;
}

/** The statistic on one confusion table (k gold rows × k+1 predicted columns, the last = none). */
function statistic(counts: Float64Array, k: number, metric: DecisionSpec['metric'], weights: KappaWeights): number | null {
  if (metric === 'kappa') return quadraticKappaFromCounts(counts, k, weights);
  let n = 0;
  let hits = 0;
  for (let g = 0; g < k; g++) {
    for (let p = 0; p <= k; p++) n += counts[g * (k + 1) + p]!;
    hits += counts[g * (k + 1) + g]!;
  }
  return n ? hits / n : null;
}

/**
 * Candidate − incumbent on paired items (gold, incumbent's prediction, candidate's; -1 = none), with a
 * seeded percentile bootstrap that resamples items together. As in bootstrapAgreement, a resample is a
 * multinomial draw over the joint (gold, a, b) cells, so the cost does not grow with the items.
 */
export function pairedDifference(
  gold: Int8Array,
  a: Int8Array,
  b: Int8Array,
  k: number,
  opts: { metric: DecisionSpec['metric']; weights: KappaWeights; seed: number; resamples: number },
): { difference: number | null; ci: Interval | null } {
  const n = gold.length;
  const cols = k + 1;
  const joint = new Float64Array(k * cols * cols);
  for (let i = 0; i < n; i++) joint[(gold[i]! * cols + (a[i]! < 0 ? k : a[i]!)) * cols + (b[i]! < 0 ? k : b[i]!)]!++;
  const tables = (cells: Float64Array) => {
    const ca = new Float64Array(k * cols);
    const cb = new Float64Array(k * cols);
    for (let g = 0; g < k; g++)
      for (let x = 0; x < cols; x++)
        for (let y = 0; y < cols; y++) {
          const c = cells[(g * cols + x) * cols + y]!;
          ca[g * cols + x]! += c;
          cb[g * cols + y]! += c;
        }
    const sa = statistic(ca, k, opts.metric, opts.weights);
    const sb = statistic(cb, k, opts.metric, opts.weights);
    return sa === null || sb === null ? null : sb - sa;
  };
  const difference = n ? tables(joint) : null;
  if (difference === null || n < 2 || opts.resamples < 1) return { difference: difference === null ? null : round(difference), ci: null };
  const random = mulberry32(opts.seed);
  const cells: number[] = [];
  for (let c = 0; c < joint.length; c++) if (joint[c]! > 0) cells.push(c);
  const draw = new Float64Array(joint.length);
  const diffs: number[] = [];
  for (let r = 0; r < opts.resamples; r++) {
    multinomialDraw(joint, cells, n, random, draw);
    const d = tables(draw);
    if (d !== null) diffs.push(d);
  }
  if (diffs.length * 2 < opts.resamples) return { difference: round(difference), ci: null };
  const sorted = Float64Array.from(diffs).sort();
  return { difference: round(difference), ci: { lo: round(percentile(sorted, 2.5)!), hi: round(percentile(sorted, 97.5)!) } };
}

const key = (model: string, version: string): string => `${model}\u0000${version}`;

/** Marks an item a group has no answer for. */
const ABSENT = -2;

/** An Int8Array of at least `n` entries, new ones ABSENT. */
function atLeast(a: Int8Array, n: number): Int8Array {
  if (a.length >= n) return a;
  const next = new Int8Array(Math.max(n, a.length * 2)).fill(ABSENT);
  next.set(a);
  return next;
}

/**
 * Per group, each answered item's gold and predicted value on the primary label (scale indexes; -1 = none),
 * in typed arrays indexed by one item number shared by all groups: two bytes per item and group.
 */
export class DecisionCollector {
  private readonly label: ClassLabel;
  private readonly index = new Map<string, number>();
  private readonly groups = new Map<string, { gold: Int8Array; pred: Int8Array }>();

  constructor(label: ClassLabel) {
    this.label = label;
  }

  add(rec: ScoreRecord): void {
    if (rec.request_error !== null) return;
    const { name, scale } = this.label;
    const gold = scale.indexOf(rec.gold[name] ?? '');
    if (gold < 0) return;
    let i = this.index.get(rec.item_id);
    if (i === undefined) this.index.set(rec.item_id, (i = this.index.size));
    const k = key(rec.model, rec.prompt_version);
    const g = this.groups.get(k) ?? { gold: new Int8Array(0), pred: new Int8Array(0) };
    g.gold = atLeast(g.gold, i + 1);
    g.pred = atLeast(g.pred, i + 1);
    this.groups.set(k, g);
    if (g.pred[i] !== ABSENT) return;
    const p = rec.prediction?.[name];
    g.gold[i] = gold;
    g.pred[i] = p ? scale.indexOf(p) : -1;
  }

  finish(
    groups: GroupSummary[],
    ctx: {
      spec: DecisionSpec | undefined;
      cascades: CascadeSummary[];
      /** A cascade policy's answers on the label by item id (CascadeCollector.answersOf), for its paired difference. */
      cascadeAnswers?: (c: Pick<CascadeSummary, 'screen' | 'escalate' | 'prompt_version'>, policy: string) => Map<string, number> | undefined;
      trust: RunTrust;
      speed: SpeedValidity;
      seed: number;
      resamples: number;
    },
  ): DecisionSummary | undefined {
    const spec = ctx.spec ?? DEFAULT_SPEC;
    const label = this.label;
    const notes: string[] = [];
    const quality = (g: GroupSummary): { value: number | null; ci: Interval | null } => {
      const a = g.agreement.labels[label.name];
      if (!a) return { value: null, ci: null };
      return spec.metric === 'kappa' ? { value: a.kappa, ci: a.kappa_ci } : { value: a.exact, ci: a.exact_ci };
    };
    const find = (arm: { model: string; prompt_version: string }, field: string): GroupSummary | undefined => {
      const g = groups.find((x) => (x.model === arm.model || x.model_label === arm.model) && x.prompt_version === arm.prompt_version);
      if (!g) notes.push(`${field} ${arm.model} ${arm.prompt_version} is not in this run.`);
      return g;
    };
    const arm = (g: GroupSummary): DecisionArmSummary => {
      const q = quality(g);
      const self = g.cost.self_hosted;
      const hosted = g.cost.hosted[0];
      const basis = self?.usd_per_1k_usable != null ? 'self-hosted' : hosted?.usd_per_1k_usable != null ? hosted.provider : '';
      const perRequest = basis === 'self-hosted' ? self!.usd_per_1k_requests : basis ? hosted!.usd_per_1k_requests : null;
      const below: string[] = [];
      const fq = spec.floors.quality;
      const fu = spec.floors.usable_rate;
      if (fq !== undefined && (q.value === null || q.value < fq)) below.push(`${spec.metric === 'kappa' ? 'κ' : 'exact'} below ${fq}`);
      if (fu !== undefined && (g.usable.rate === null || g.usable.rate < fu)) below.push(`usable below ${round(fu * 100, 2)}%`);
      return {
        model: g.model,
        model_label: g.model_label,
        prompt_version: g.prompt_version,
        quality: q.value,
        quality_ci: q.ci,
        usable_rate: g.usable.rate,
        usd_per_1k_usable: basis === 'self-hosted' ? self!.usd_per_1k_usable : basis ? hosted!.usd_per_1k_usable : null,
        cost_basis: basis,
        hours: g.cost.requests_per_s ? round(spec.workload / g.cost.requests_per_s / 3600, 3) : null,
        usd_workload: perRequest === null ? null : round((perRequest * spec.workload) / 1000, 2),
        below_floors: below,
      };
    };
    const scored = groups.filter((g) => quality(g).value !== null);
    if (scored.length === 0) return undefined;
    const declared = ctx.spec !== undefined && (ctx.spec.incumbent !== undefined || ctx.spec.candidates !== undefined);
    const best = scored.reduce((a, b) => (quality(b).value! > quality(a).value! ? b : a));
    const incumbentGroup = spec.incumbent ? find(spec.incumbent, 'The incumbent') : best;
    let candidateGroups: GroupSummary[];
    if (spec.candidates) {
      candidateGroups = spec.candidates.map((c) => find(c, 'Candidate')).filter((g): g is GroupSummary => g !== undefined && g !== incumbentGroup);
    } else {
      const cost = (g: GroupSummary) => arm(g).usd_per_1k_usable ?? arm(g).hours ?? Infinity;
      const eligible = scored.filter((g) => g !== incumbentGroup && arm(g).below_floors.length === 0).sort((a, b) => cost(a) - cost(b));
      candidateGroups = eligible.slice(0, 1);
      if (!eligible.length) notes.push('No other group meets the floors.');
    }
    const trusted = ctx.trust.complete;
    if (!trusted) notes.unshift(`The run is incomplete (${ctx.trust.missing} missing, ${ctx.trust.errored} failed): no verdict until every item is answered.`);
    if (!ctx.speed.valid) notes.push('Speed figures are invalid: the cost and hours below cannot be trusted.');
    const incumbent = incumbentGroup ? arm(incumbentGroup) : null;
    const k = label.scale.length;
    const weights: KappaWeights = label.kind === 'nominal' ? 'none' : 'quadratic';
    const mine = incumbentGroup ? this.groups.get(key(incumbentGroup.model, incumbentGroup.prompt_version)) : undefined;
    /** Against the incumbent on the items both answered: `other` is an answer per item number (ABSENT: none). */
    const against = (other: Int8Array | undefined, seedName: string) => {
      const both: number[] = [];
      if (mine && other) for (let i = 0; i < Math.min(mine.pred.length, other.length); i++) if (mine.pred[i] !== ABSENT && other[i] !== ABSENT) both.push(i);
      const gold = Int8Array.from(both, (i) => mine!.gold[i]!);
      const pa = Int8Array.from(both, (i) => mine!.pred[i]!);
      const pb = Int8Array.from(both, (i) => other![i]!);
      const seed = (ctx.seed ^ hash32(`decision:${seedName}`)) >>> 0;
      const d = pairedDifference(gold, pa, pb, k, { metric: spec.metric, weights, seed, resamples: ctx.resamples });
      return { paired_items: both.length, difference: d.difference, difference_ci: d.ci, verdict: trusted ? verdictOf(d.ci, spec.equivalence_margin) : ('not enough data' as const) };
    };
    /** A cascade's answers by item id, as an answer per item number. */
    const byNumber = (answers: Map<string, number>): Int8Array => {
      const out = new Int8Array(this.index.size).fill(ABSENT);
      for (const [id, p] of answers) {
        const i = this.index.get(id);
        if (i !== undefined) out[i] = p;
      }
      return out;
    };
    const candidates: DecisionCandidate[] = candidateGroups.map((g) => ({ ...arm(g), ...against(this.groups.get(key(g.model, g.prompt_version))?.pred, `${g.model}@${g.prompt_version}`) }));
    const cascades = (incumbent ? beatingCascades(ctx.cascades, incumbent, candidates, spec) : []).map((c) => {
      const answers = ctx.cascadeAnswers?.({ screen: c.screen, escalate: c.escalate, prompt_version: c.prompt_version }, c.policy);
      return answers ? { ...c, ...against(byNumber(answers), `${c.screen}>${c.escalate}@${c.prompt_version}:${c.policy}`) } : c;
    });
    return {
      question:
        spec.question ??
        (incumbent && candidates.length
          ? `Can the ${spec.workload.toLocaleString('en-US')}-item workload move from ${incumbent.model_label} ${incumbent.prompt_version} to ${candidates.map((c) => `${c.model_label} ${c.prompt_version}`).join(' or ')}?`
          : `Which model and prompt version should run the ${spec.workload.toLocaleString('en-US')}-item workload?`),
      source: declared ? 'declared' : 'default',
      metric: spec.metric,
      label: label.name,
      equivalence_margin: spec.equivalence_margin,
      floors: { quality: spec.floors.quality ?? null, usable_rate: spec.floors.usable_rate ?? null, name: spec.floors.name ?? null },
      workload: spec.workload,
      rule: ruleLine(spec.metric, spec.equivalence_margin),
      trusted,
      notes,
      incumbent,
      candidates,
      cascades,
    };
  }
}

/**
 * The cascade policies (neither model alone) escalating to the incumbent at its prompt version that beat
 * both sides: cheaper than the incumbent alone, at least as usable, better quality than the candidate it
 * screens with (its screen model at that version; else every candidate), and meeting the floors. Best
 * quality first; then the cheaper.
 */
export function beatingCascades(cascades: CascadeSummary[], incumbent: DecisionArmSummary, candidates: DecisionCandidate[], spec: DecisionSpec): DecisionSummary['cascades'] {
  const q = (p: CascadeSummary['policies'][number]) => (spec.metric === 'kappa' ? p.kappa : p.exact);
  // The candidate a cascade has to beat: its own screen model at its prompt version, else every candidate.
  const barOf = (c: CascadeSummary): number => {
    const own = candidates.find((x) => x.model === c.screen && x.prompt_version === c.prompt_version);
    return own ? (own.quality ?? -Infinity) : Math.max(-Infinity, ...candidates.map((x) => x.quality ?? -Infinity));
  };
  const options = cascades
    .filter((c) => c.escalate === incumbent.model && c.prompt_version === incumbent.prompt_version)
    .flatMap((c) => c.policies.filter((p) => p.policy !== 'escalate-only' && p.policy !== 'screen-only').map((p) => ({ c, p, bar: barOf(c) })))
    .filter(({ p, bar }) => {
      const quality = q(p);
      if (quality === null || p.saving_vs_escalate === null || p.saving_vs_escalate <= 0) return false;
      if (p.usable_rate === null || (incumbent.usable_rate !== null && p.usable_rate < incumbent.usable_rate)) return false;
      if (quality <= bar) return false;
      if (spec.floors.quality !== undefined && quality < spec.floors.quality) return false;
      return spec.floors.usable_rate === undefined || p.usable_rate >= spec.floors.usable_rate;
    })
    .sort((x, y) => q(y.p)! - q(x.p)! || y.p.saving_vs_escalate! - x.p.saving_vs_escalate!);
  return options.map(({ c, p }) => {
    const perRequest = c.saving_basis === 'hosted' ? p.hosted_usd_per_1k : (p.self_hosted_usd_per_1k ?? p.hosted_usd_per_1k);
    return {
      policy: p.policy,
      description: p.description,
      screen: c.screen,
      screen_label: c.screen_label,
      escalate: c.escalate,
      escalate_label: c.escalate_label,
      prompt_version: c.prompt_version,
      usable_rate: p.usable_rate,
      quality: q(p),
      quality_ci: spec.metric === 'kappa' ? p.kappa_ci : null,
      usd_per_1k_usable: perRequest === null || !p.usable_rate ? null : round(perRequest / p.usable_rate),
      hours: p.hours_per_200k === null ? null : round((p.hours_per_200k * spec.workload) / 200_000, 3),
      saving: p.saving_vs_escalate,
      saving_basis: c.saving_basis,
      paired_items: 0,
      difference: null,
      difference_ci: null,
      verdict: 'not enough data' as const,
    };
  });
}
