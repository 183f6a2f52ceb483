import {
  DIMENSIONS,
  ErrorKind,
  RATINGS,
  RECOMMENDATIONS,
  type Dimension,
  type ScoreRecord,
  type SummaryMetrics,
} from '../core/records.ts';
import { ordinalAgreement } from './agreement.ts';
import { float64s, int8s, type GrowableArray } from './growable.ts';
import { hash32, percentile } from './stats.ts';

/**
 * Scorer ids whose means become the validity rates. The aggregate stage does not import the score
 * stage, so these are the registry's ids as strings: a rate is null when its scorer did not run.
 */
const JSON_STRICT = 'json-strict';
const JSON_RECOVERABLE = 'json-recoverable';
const SCHEMA = 'schema';
const FOLLOWS_INSTRUCTIONS = 'follows-instructions';

/** Distinct schema-violation reasons kept per accumulator; beyond it new reasons are not counted. */
const MAX_REASONS = 500;
const TOP_REASONS = 5;

/** Timing summed over a group's segments in timing.jsonl. */
export interface TimingTotals {
  wall_ms: number;
  sent: number;
  cached: number;
  retries: number;
}

export function addTiming(a: TimingTotals | null, b: TimingTotals | null): TimingTotals | null {
  if (a === null) return b;
  if (b === null) return a;
  return { wall_ms: a.wall_ms + b.wall_ms, sent: a.sent + b.sent, cached: a.cached + b.cached, retries: a.retries + b.retries };
}

interface ScorerSums {
  sum: number;
  scored: number;
  unscored: number;
}

/** Counts as an object, most frequent first, then by name. */
const byCount = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));

/** Round away float noise so summaries are stable and readable. */
const round = (x: number, digits = 6): number => Number(x.toFixed(digits));
const ratio = (num: number, den: number): number | null => (den > 0 ? round(num / den) : null);

/**
 * Running totals over score records: counts, sums and small typed arrays (paired labels, latencies),
 * never the records themselves. One per group and one per model; `finish` turns them into metrics.
 */
export class MetricsAccumulator {
  private items = 0;
  private answered = 0;
  private readonly errorsByKind = new Map<ErrorKind, number>();
  private readonly scorers = new Map<string, ScorerSums>();
  private readonly parseClasses = new Map<string, number>();
  private readonly violations = new Map<string, number>();
  private readonly instructionClasses = new Map<string, number>();
  private readonly gold = int8s();
  private readonly pred = int8s();
  private unparsable = 0;
  private readonly dims = new Map<Dimension, { gold: GrowableArray<Int8Array>; pred: GrowableArray<Int8Array> }>(DIMENSIONS.map((d) => [d, { gold: int8s(), pred: int8s() }]));
  private tokensPrompt = 0;
  private tokensCompletion = 0;
  private tokensCount = 0;
  private sentRecords = 0;
  private succeeded = 0;
  private sentPrompt = 0;
  private sentCompletion = 0;
  private readonly latencies = float64s();
  private readonly strata = new Map<string, { n: number; exact: number; within: number; schemaSum: number; schemaScored: number }>();

  add(rec: ScoreRecord): void {
    this.items++;
    if (rec.source === 'sent') this.sentRecords++;
    for (const [id, s] of Object.entries(rec.scores)) {
      const t = this.scorers.get(id) ?? { sum: 0, scored: 0, unscored: 0 };
      if (s.score === null) t.unscored++;
      else {
        t.sum += s.score;
        t.scored++;
      }
      this.scorers.set(id, t);
    }
    if (rec.request_error !== null) {
      this.errorsByKind.set(rec.request_error.kind, (this.errorsByKind.get(rec.request_error.kind) ?? 0) + 1);
      return;
    }
    this.answered++;
    const parseClass = rec.parse?.class ?? rec.scores[JSON_STRICT]?.label ?? rec.scores[JSON_RECOVERABLE]?.label;
    if (parseClass !== undefined) this.parseClasses.set(parseClass, (this.parseClasses.get(parseClass) ?? 0) + 1);
    const instruction = rec.scores[FOLLOWS_INSTRUCTIONS]?.label;
    if (instruction !== undefined) this.instructionClasses.set(instruction, (this.instructionClasses.get(instruction) ?? 0) + 1);
    if (rec.prediction === null) this.unparsable++;
    const schema = rec.scores[SCHEMA];
    if (schema?.score === 0 && schema.label === 'invalid' && schema.reason) {
      const first = schema.reason.split('; ')[0]!;
      const seen = this.violations.get(first);
      if (seen !== undefined) this.violations.set(first, seen + 1);
      else if (this.violations.size < MAX_REASONS) this.violations.set(first, 1);
    }

    const g = RECOMMENDATIONS.indexOf(rec.gold.recommendation);
    const p = rec.prediction?.recommendation ? RECOMMENDATIONS.indexOf(rec.prediction.recommendation) : -1;
    this.gold.push(g);
    this.pred.push(p);
    for (const name of new Set(rec.strata)) {
      const t = this.strata.get(name) ?? { n: 0, exact: 0, within: 0, schemaSum: 0, schemaScored: 0 };
      t.n++;
      if (p === g) t.exact++;
      if (p >= 0 && Math.abs(p - g) <= 1) t.within++;
      if (schema?.score != null) {
        t.schemaSum += schema.score;
        t.schemaScored++;
      }
      this.strata.set(name, t);
    }
    for (const d of DIMENSIONS) {
      const t = this.dims.get(d)!;
      const predicted = rec.prediction?.analysis[d] ?? null;
      t.gold.push(RATINGS.indexOf(rec.gold.analysis[d]));
      t.pred.push(predicted === null ? -1 : RATINGS.indexOf(predicted));
    }

    if (rec.usage) {
      this.tokensPrompt += rec.usage.prompt_tokens;
      this.tokensCompletion += rec.usage.completion_tokens;
      this.tokensCount++;
      if (rec.source === 'sent') {
        this.succeeded++;
        this.sentPrompt += rec.usage.prompt_tokens;
        this.sentCompletion += rec.usage.completion_tokens;
        if (rec.latency_ms !== null) this.latencies.push(rec.latency_ms);
      }
    }
  }

  /**
   * @param timing the group's (or model's) timing totals, null when timing.jsonl has none.
   * @param scorerOrder scorer ids in the order to list them (others follow, sorted).
   */
  finish(timing: TimingTotals | null, opts: { seed: number; resamples: number; scorerOrder: readonly string[] }): SummaryMetrics {
    const byKind = Object.fromEntries(ErrorKind.options.map((k) => [k, this.errorsByKind.get(k) ?? 0])) as Record<ErrorKind, number>;
    const errorsTotal = [...this.errorsByKind.values()].reduce((a, b) => a + b, 0);
    const ids = [...opts.scorerOrder.filter((id) => this.scorers.has(id)), ...[...this.scorers.keys()].filter((id) => !opts.scorerOrder.includes(id)).sort()];
    const scorers = Object.fromEntries(
      ids.map((id) => {
        const t = this.scorers.get(id)!;
        return [id, { mean: ratio(t.sum, t.scored), scored: t.scored, unscored: t.unscored }];
      }),
    );
    const mean = (id: string): number | null => scorers[id]?.mean ?? null;

    // The recommendation keeps the group's seed (its intervals are unchanged from earlier summaries);
    // each dimension gets its own stream, derived from the seed and the dimension's name.
    const agreementOf = (field: string, gold: Int8Array, pred: Int8Array, labels: readonly string[]) =>
      ordinalAgreement(gold, pred, labels, { seed: field === 'recommendation' ? opts.seed : (opts.seed ^ hash32(field)) >>> 0, resamples: opts.resamples });

    const wallS = timing && timing.wall_ms > 0 ? timing.wall_ms / 1000 : null;
    const cachedOnly = this.items > 0 && this.sentRecords === 0;
    const rate = (x: number): number | null => (cachedOnly || wallS === null ? null : round(x / wallS, 3));
    const lat = Float64Array.from(this.latencies.view()).sort();
    const latMean = lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : null;

    return {
      items: this.items,
      answered: this.answered,
      errors: { total: errorsTotal, by_kind: byKind },
      validity: {
        json_strict_rate: mean(JSON_STRICT),
        json_recoverable_rate: mean(JSON_RECOVERABLE),
        schema_valid_rate: mean(SCHEMA),
        parse_classes: byCount(this.parseClasses),
        instruction_classes: byCount(this.instructionClasses),
        top_schema_violations: [...this.violations]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, TOP_REASONS)
          .map(([reason, count]) => ({ reason, count })),
      },
      scorers,
      agreement: {
        unparsable: this.unparsable,
        recommendation: agreementOf('recommendation', this.gold.view(), this.pred.view(), RECOMMENDATIONS),
        analysis: Object.fromEntries(
          DIMENSIONS.map((d) => [d, agreementOf(d, this.dims.get(d)!.gold.view(), this.dims.get(d)!.pred.view(), RATINGS)]),
        ) as SummaryMetrics['agreement']['analysis'],
      },
      strata: [...this.strata]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([name, t]) => ({ name, n: t.n, exact: ratio(t.exact, t.n), within_one: ratio(t.within, t.n), schema_valid_rate: ratio(t.schemaSum, t.schemaScored) })),
      tokens: {
        mean_prompt: this.tokensCount ? round(this.tokensPrompt / this.tokensCount, 3) : null,
        mean_completion: this.tokensCount ? round(this.tokensCompletion / this.tokensCount, 3) : null,
      },
      speed: {
        cached_only: cachedOnly,
        wall_ms: timing ? round(timing.wall_ms, 3) : null,
        sent: timing?.sent ?? 0,
        cached: timing?.cached ?? 0,
        retries: timing?.retries ?? 0,
        succeeded: this.succeeded,
        requests_per_s: rate(this.succeeded),
        output_tokens_per_s: rate(this.sentCompletion),
        total_tokens_per_s: rate(this.sentPrompt + this.sentCompletion),
        latency_ms:
          latMean === null || cachedOnly
            ? null
            : { mean: round(latMean, 3), p50: round(percentile(lat, 50)!, 3), p99: round(percentile(lat, 99)!, 3) },
      },
    };
  }
}
