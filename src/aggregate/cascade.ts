import type { CascadePolicy, CascadeSpec, CascadeSummary, GroupSummary, ScoreRecord } from '../core/records.ts';
import type { ClassLabel } from '../core/task-records.ts';
import { ordinalAgreement } from './agreement.ts';
import { int8s, type GrowableArray } from './growable.ts';
import { isUsable } from './accumulate.ts';
import { hash32, round } from './stats.ts';

/**
 * What a cascade reads of the task: the label its answers are compared with gold on (the primary label),
 * the label the screen model's answers are ranked by (best first) for the threshold and top-k policies
 * (the task's `policies.escalate_at` label, else the primary one), and the threshold's value.
 */
export interface CascadeLabel {
  label: ClassLabel;
  /** The label the threshold and top-k policies rank by. @default label */
  rank?: ClassLabel;
  /** Scale value of the threshold policy (`<value>-or-better`) on `rank`; absent: no threshold policy. */
  escalateAt?: string;
}

/** One (model, prompt version)'s answers as compact per-item arrays. */
interface Table {
  index: Map<string, number>;
  ids: string[];
  gold: GrowableArray<Int8Array>;
  pred: GrowableArray<Int8Array>;
  /** The answer's value on the ranking label, as a scale index (-1: none). */
  rank: GrowableArray<Int8Array>;
  usable: GrowableArray<Int8Array>;
}

/** Per-request price and time of one group, from its summary (GPU-equivalent time). */
interface UnitCost {
  seconds: number | null;
  selfHostedUsd: number | null;
  hostedUsd: number | null;
}

function unitCost(g: GroupSummary): UnitCost {
  const c = g.cost;
  const hosted = c.hosted[0]?.usd_per_1k_requests;
  return {
    seconds: c.requests_per_s ? 1 / c.requests_per_s : null,
    selfHostedUsd: c.self_hosted?.usd_per_1k_requests != null ? c.self_hosted.usd_per_1k_requests / 1000 : null,
    hostedUsd: hosted != null ? hosted / 1000 : null,
  };
}

export interface ResolvedCascade extends CascadeSpec {
  screenLabel: string;
  escalateLabel: string;
}

/**
 * Screen-then-escalate policies simulated from the per-item results of two models: the screen model
 * answers every item; some go on to the escalation model, whose answer then counts. Reported against
 * the escalation model alone: agreement with gold, usable rate, cost and time (each model's measured
 * mean per request; run one after the other on one GPU).
 */
export class CascadeCollector {
  private readonly specs: ResolvedCascade[];
  private readonly models: Set<string>;
  private readonly tables = new Map<string, Table>();
  private readonly on: CascadeLabel;
  /** Each simulated policy's per-item answer on the label (scale index, -1 none), by item id: for paired comparisons. */
  private readonly answers = new Map<string, { ids: string[]; pred: Int8Array }>();

  constructor(specs: ResolvedCascade[], on: CascadeLabel) {
    this.specs = specs;
    this.on = on;
    this.models = new Set(specs.flatMap((s) => [s.screen, s.escalate]));
  }

  add(rec: ScoreRecord): void {
    if (!this.models.has(rec.model)) return;
    const key = `${rec.model}\u0000${rec.prompt_version}`;
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = { index: new Map(), ids: [], gold: int8s(), pred: int8s(), rank: int8s(), usable: int8s() }));
    if (t.index.has(rec.item_id)) return;
    t.index.set(rec.item_id, t.ids.length);
    t.ids.push(rec.item_id);
    const { name, scale } = this.on.label;
    t.gold.push(scale.indexOf(rec.gold[name] ?? ''));
    const predicted = rec.prediction?.[name];
    t.pred.push(predicted ? scale.indexOf(predicted) : -1);
    const rank = this.on.rank ?? this.on.label;
    const ranked = rec.prediction?.[rank.name];
    t.rank.push(ranked ? rank.scale.indexOf(ranked) : -1);
    t.usable.push(isUsable(rec) ? 1 : 0);
  }

  finish(groups: GroupSummary[], opts: { seed: number; resamples: number }): CascadeSummary[] {
    const out: CascadeSummary[] = [];
    for (const spec of this.specs) {
      const versions = groups.filter((g) => g.model === spec.screen).map((g) => g.prompt_version);
      for (const version of versions) {
        const a = this.tables.get(`${spec.screen}\u0000${version}`);
        const b = this.tables.get(`${spec.escalate}\u0000${version}`);
        const ga = groups.find((g) => g.model === spec.screen && g.prompt_version === version);
        const gb = groups.find((g) => g.model === spec.escalate && g.prompt_version === version);
        if (!a || !b || !ga || !gb) continue;
        out.push(simulate(spec, version, a, b, unitCost(ga), unitCost(gb), { ...opts, on: this.on, keep: (policy, ids, pred) => this.answers.set(answersKey(spec.screen, spec.escalate, version, policy), { ids, pred }) }));
      }
    }
    return out;
  }

  /** A finished policy's answers on the label by item id (scale index, -1 none); undefined before finish or for an unknown policy. */
  answersOf(c: Pick<CascadeSummary, 'screen' | 'escalate' | 'prompt_version'>, policy: string): Map<string, number> | undefined {
    const x = this.answers.get(answersKey(c.screen, c.escalate, c.prompt_version, policy));
    return x && new Map(x.ids.map((id, i) => [id, x.pred[i]!]));
  }
}

const answersKey = (screen: string, escalate: string, version: string, policy: string): string => `${screen}\u0000${escalate}\u0000${version}\u0000${policy}`;

type Keep = (policy: string, ids: string[], pred: Int8Array) => void;

function simulate(spec: ResolvedCascade, version: string, a: Table, b: Table, ca: UnitCost, cb: UnitCost, opts: { seed: number; resamples: number; on: CascadeLabel; keep?: Keep }): CascadeSummary {
  // Items both models have, in the screen model's order.
  const rows: { ia: number; ib: number }[] = [];
  for (let ia = 0; ia < a.ids.length; ia++) {
    const ib = b.index.get(a.ids[ia]!);
    if (ib !== undefined) rows.push({ ia, ib });
  }
  const n = rows.length;
  const aPred = a.pred.view();
  // A usable answer with no value on the ranking label ranks last.
  const aRank = Int8Array.from(a.rank.view(), (x) => (x < 0 ? 99 : x));
  const aUsable = a.usable.view();
  const aGold = a.gold.view();
  const bPred = b.pred.view();
  const bUsable = b.usable.view();
  const gold = Int8Array.from(rows, (r) => aGold[r.ia]!);

  // top-k: the screen model's best-rated usable answers (the scale's first value first), ties by a stable hash of the id.
  const ranked = rows
    .map((r, i) => ({ i, p: aUsable[r.ia] ? aRank[r.ia]! : 99, h: hash32(a.ids[r.ia]!) }))
    .sort((x, y) => x.p - y.p || x.h - y.h);
  const topK = new Uint8Array(n);
  const k = Math.round(spec.top_fraction * n);
  for (let j = 0; j < k && j < ranked.length; j++) if (ranked[j]!.p !== 99) topK[ranked[j]!.i] = 1;

  const seedOf = (name: string): number => (opts.seed ^ hash32(`${spec.screen}>${spec.escalate}@${version}:${name}`)) >>> 0;
  const policy = (name: string, description: string, escalate: (i: number, r: { ia: number; ib: number }) => boolean, screenRuns = true): CascadePolicy => {
    const pred = new Int8Array(n);
    let escalated = 0;
    let usable = 0;
    rows.forEach((r, i) => {
      const up = escalate(i, r);
      if (up) escalated++;
      pred[i] = up ? bPred[r.ib]! : aPred[r.ia]!;
      if (up ? bUsable[r.ib] : aUsable[r.ia]) usable++;
    });
    const f = n > 0 ? escalated / n : 0;
    const mix = (x: number | null, y: number | null): number | null => {
      if (y === null || (screenRuns && x === null)) return null;
      return (screenRuns ? x! : 0) + f * y;
    };
    opts.keep?.(name, rows.map((r) => a.ids[r.ia]!), pred);
    const agreement = ordinalAgreement(gold, pred, opts.on.label.scale, { seed: seedOf(name), resamples: opts.resamples, nominal: opts.on.label.kind === 'nominal' });
    const seconds = name === 'screen-only' ? ca.seconds : mix(ca.seconds, cb.seconds);
    const selfUsd = name === 'screen-only' ? ca.selfHostedUsd : mix(ca.selfHostedUsd, cb.selfHostedUsd);
    const hostedUsd = name === 'screen-only' ? ca.hostedUsd : mix(ca.hostedUsd, cb.hostedUsd);
    return {
      policy: name,
      description,
      escalated: n ? round(f) : null,
      usable_rate: n ? round(usable / n) : null,
      exact: agreement.exact,
      within_one: agreement.within_one,
      kappa: agreement.kappa,
      kappa_ci: agreement.kappa_ci,
      hours_per_200k: seconds === null ? null : round((200_000 * seconds) / 3600, 3),
      self_hosted_usd_per_1k: selfUsd === null ? null : round(selfUsd * 1000),
      hosted_usd_per_1k: hostedUsd === null ? null : round(hostedUsd * 1000),
      saving_vs_escalate: null,
    };
  };

  const never = (): boolean => false;
  const always = (): boolean => true;
  const at = opts.on.escalateAt;
  const threshold = at === undefined ? -1 : (opts.on.rank ?? opts.on.label).scale.indexOf(at);
  const policies = [
    policy('escalate-only', `${spec.escalateLabel} alone`, always, false),
    policy('screen-only', `${spec.screenLabel} alone`, never),
    policy('unusable', `escalate when ${spec.screenLabel}'s answer is unusable`, (_i, r) => !aUsable[r.ia]),
    ...(threshold >= 0
      ? [policy(`${kebab(at!)}-or-better`, `escalate when unusable or ${spec.screenLabel} says ${at} or better`, (_i, r) => !aUsable[r.ia] || aRank[r.ia]! <= threshold)]
      : []),
    policy('top-k', `escalate when unusable or in ${spec.screenLabel}'s top ${Math.round(spec.top_fraction * 100)}%`, (i, r) => !aUsable[r.ia] || topK[i] === 1),
  ];

  // Savings against the escalation model alone, on the best basis both models have.
  const base = policies[0]!;
  const basis: CascadeSummary['saving_basis'] =
    base.self_hosted_usd_per_1k !== null ? 'self-hosted' : base.hosted_usd_per_1k !== null ? 'hosted' : base.hours_per_200k !== null ? 'time' : null;
  const value = (p: CascadePolicy): number | null =>
    basis === 'self-hosted' ? p.self_hosted_usd_per_1k : basis === 'hosted' ? p.hosted_usd_per_1k : basis === 'time' ? p.hours_per_200k : null;
  const baseValue = value(base);
  for (const p of policies) {
    const v = value(p);
    p.saving_vs_escalate = v === null || !baseValue ? null : round(1 - v / baseValue, 4);
  }
  return {
    screen: spec.screen,
    screen_label: spec.screenLabel,
    escalate: spec.escalate,
    escalate_label: spec.escalateLabel,
    prompt_version: version,
    items: n,
    saving_basis: basis,
    policies,
  };
}

/** A scale value as a policy name part: `Maybe` -> `maybe`, `Strong Yes` -> `strong-yes`. */
function kebab(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
