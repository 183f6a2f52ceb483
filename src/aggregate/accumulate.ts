import {
  ErrorKind,
  type Distribution,
  type Pricing,
  type ScoreRecord,
  type ServerCounters,
  type SimulatedSpeed,
  type SummaryMetrics,
} from '../core/records.ts';
import type { ClassLabel } from '../core/task-records.ts';
import { SCORER, WRONG_SUBJECT } from '../core/scorer-ids.ts';
import { histogramQuantile, type LogHistogram } from '../core/log-histogram.ts';
import { serverMeanLatencyS, speedValidity, type HostEvidence, type LoopDelay, type TimingTotals } from './timing-totals.ts';
import { ordinalAgreement } from './agreement.ts';
import { computeCost } from './cost.ts';
import { float64s, int8s, type GrowableArray } from './growable.ts';
import { hash32, percentile, round } from './stats.ts';

/**
 * Scorer ids whose means become the validity rates. The aggregate stage does not import the score
 * stage, so these are the registry's ids as strings: a rate is null when its scorer did not run.
 */
export const JSON_STRICT = SCORER.jsonStrict;
export const JSON_RECOVERABLE = SCORER.jsonRecoverable;
export const SCHEMA = SCORER.schema;
export const FOLLOWS_INSTRUCTIONS = SCORER.followsInstructions;

/** Distinct schema-violation reasons kept per accumulator; beyond it new reasons are not counted. */
const MAX_REASONS = 500;
const TOP_REASONS = 5;

/** Extra context for `finish`: what the cost is priced with. */
export interface FinishContext {
  seed: number;
  resamples: number;
  scorerOrder: readonly string[];
  pricing?: Pricing;
  /** The simulator's (nominal) speed for this model from the manifest; null for a real server. */
  speedFactor?: number | 'instant' | null;
}

/** A distribution of sorted samples with vLLM bench's statistics. */
function distribution(sorted: Float64Array): Distribution | null {
  if (sorted.length === 0) return null;
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    n: sorted.length,
    mean: round(sum / sorted.length, 3),
    p50: round(percentile(sorted, 50)!, 3),
    p90: round(percentile(sorted, 90)!, 3),
    p99: round(percentile(sorted, 99)!, 3),
  };
}

function histogramDistribution(h: LogHistogram | null): Distribution | null {
  if (!h || h.count === 0) return null;
  return {
    n: h.count,
    mean: round(h.sum / h.count, 3),
    p50: round(histogramQuantile(h, 0.5)!, 3),
    p90: round(histogramQuantile(h, 0.9)!, 3),
    p99: round(histogramQuantile(h, 0.99)!, 3),
  };
}

/** Whether two token counts agree within 1% (or 1 token). */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(1, 0.01 * Math.max(a, b));

interface ScorerSums {
  sum: number;
  scored: number;
  unscored: number;
}

/** Counts as an object, most frequent first, then by name. */
const byCount = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));

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
  private unparsable = 0;
  /** Paired gold and predicted scale indices (-1 = none) per declared class label. */
  private readonly pairs: Map<string, { label: ClassLabel; gold: GrowableArray<Int8Array>; pred: GrowableArray<Int8Array> }>;
  private readonly primary: ClassLabel;
  private tokensPrompt = 0;
  private tokensCompletion = 0;
  private tokensCount = 0;
  private sentRecords = 0;
  private succeeded = 0;
  private sentPrompt = 0;
  private sentCompletion = 0;
  private maxPrompt = 0;
  private maxCompletion = 0;
  private readonly latencies = float64s();
  private readonly ttfts = float64s();
  private readonly tpots = float64s();
  private usable = 0;
  private readonly strata = new Map<string, { n: number; exact: number; within: number; schemaSum: number; schemaScored: number }>();

  /**
   * @param labels the task's nominal and ordinal labels, in declaration order.
   * @param primary the label strata report exact and within-one agreement on.
   */
  constructor(labels: readonly ClassLabel[], primary: string) {
    this.pairs = new Map(labels.map((label) => [label.name, { label, gold: int8s(), pred: int8s() }]));
    const p = labels.find((l) => l.name === primary);
    if (!p) throw new Error(`primary label ${primary} is not among the labels`);
    this.primary = p;
  }

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

    for (const t of this.pairs.values()) {
      const predicted = rec.prediction?.[t.label.name] ?? null;
      t.gold.push(t.label.scale.indexOf(rec.gold[t.label.name] ?? ''));
      t.pred.push(predicted === null ? -1 : t.label.scale.indexOf(predicted));
    }
    const scale = this.primary.scale;
    const g = scale.indexOf(rec.gold[this.primary.name] ?? '');
    const predicted = rec.prediction?.[this.primary.name];
    const p = predicted ? scale.indexOf(predicted) : -1;
    for (const name of new Set(rec.strata)) {
      const t = this.strata.get(name) ?? { n: 0, exact: 0, within: 0, schemaSum: 0, schemaScored: 0 };
      t.n++;
      if (p === g) t.exact++;
      if (p >= 0 && (this.primary.kind === 'ordinal' ? Math.abs(p - g) <= 1 : p === g)) t.within++;
      if (schema?.score != null) {
        t.schemaSum += schema.score;
        t.schemaScored++;
      }
      this.strata.set(name, t);
    }

    if (rec.usage) {
      this.tokensPrompt += rec.usage.prompt_tokens;
      this.tokensCompletion += rec.usage.completion_tokens;
      this.tokensCount++;
      if (rec.source === 'sent') {
        this.succeeded++;
        this.sentPrompt += rec.usage.prompt_tokens;
        this.sentCompletion += rec.usage.completion_tokens;
        this.maxPrompt = Math.max(this.maxPrompt, rec.usage.prompt_tokens);
        this.maxCompletion = Math.max(this.maxCompletion, rec.usage.completion_tokens);
        if (rec.latency_ms !== null) {
          this.latencies.push(rec.latency_ms);
          if (rec.ttft_ms != null) {
            this.ttfts.push(rec.ttft_ms);
            // vLLM bench: TPOT = (E2EL - TTFT) / (output tokens - 1), for requests with more than one token.
            if (rec.usage.completion_tokens > 1) this.tpots.push((rec.latency_ms - rec.ttft_ms) / (rec.usage.completion_tokens - 1));
          }
        }
      }
    }
    if (isUsable(rec)) this.usable++;
  }

  /**
   * @param timing the group's (or model's) timing totals, null when timing.jsonl has none.
   * @param scorerOrder scorer ids in the order to list them (others follow, sorted).
   */
  finish(timing: TimingTotals | null, opts: FinishContext): SummaryMetrics {
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

    // The primary label keeps the group's seed (its intervals are unchanged from earlier summaries);
    // each other label gets its own stream, derived from the seed and the label's name.
    const agreementOf = (t: { label: ClassLabel; gold: GrowableArray<Int8Array>; pred: GrowableArray<Int8Array> }) =>
      ordinalAgreement(t.gold.view(), t.pred.view(), t.label.scale, {
        seed: t.label === this.primary ? opts.seed : (opts.seed ^ hash32(t.label.name)) >>> 0,
        resamples: opts.resamples,
        nominal: t.label.kind === 'nominal',
      });

    const wallS = timing && timing.wall_ms > 0 ? timing.wall_ms / 1000 : null;
    const cachedOnly = this.items > 0 && this.sentRecords === 0;
    const rate = (x: number): number | null => (cachedOnly || wallS === null ? null : round(x / wallS, 3));
    const sorted = (a: GrowableArray<Float64Array>): Float64Array => Float64Array.from(a.view()).sort();
    const requestsPerS = rate(this.succeeded);
    const simulated = cachedOnly ? null : this.simulatedSpeed(timing, opts.speedFactor ?? null);
    const server = this.serverCounters(timing);
    const validity = cachedOnly ? { valid: true, reasons: [] } : speedValidity(opts.speedFactor ?? null, simulated, this.hostEvidence(timing, server));
    const meanPrompt = this.tokensCount ? round(this.tokensPrompt / this.tokensCount, 3) : null;
    const meanCompletion = this.tokensCount ? round(this.tokensCompletion / this.tokensCount, 3) : null;

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
        labels: Object.fromEntries([...this.pairs.values()].map((t) => [t.label.name, agreementOf(t)])),
      },
      strata: [...this.strata]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([name, t]) => ({ name, n: t.n, exact: ratio(t.exact, t.n), within_one: ratio(t.within, t.n), schema_valid_rate: ratio(t.schemaSum, t.schemaScored) })),
      usable: { count: this.usable, rate: ratio(this.usable, this.items) },
      tokens: { mean_prompt: meanPrompt, mean_completion: meanCompletion },
      speed: {
        cached_only: cachedOnly,
        wall_ms: timing ? round(timing.wall_ms, 3) : null,
        sent: timing?.sent ?? 0,
        cached: timing?.cached ?? 0,
        retries: timing?.retries ?? 0,
        succeeded: this.succeeded,
        requests_per_s: requestsPerS,
        output_tokens_per_s: rate(this.sentCompletion),
        total_tokens_per_s: rate(this.sentPrompt + this.sentCompletion),
        success_rate: ratio(this.answered, this.items),
        latency_ms: cachedOnly ? null : distribution(sorted(this.latencies)),
        ttft_ms: cachedOnly ? null : distribution(sorted(this.ttfts)),
        tpot_ms: cachedOnly ? null : distribution(sorted(this.tpots)),
        itl_ms: cachedOnly ? null : histogramDistribution(timing?.itl ?? null),
        server,
        simulated,
        event_loop_delay_ms: timing?.event_loop_delay_ms ? loopDelayFigures(timing.event_loop_delay_ms) : null,
        validity,
      },
      cost: computeCost({
        items: this.items,
        usable: this.usable,
        requestsPerS,
        // Against the simulator's clock, measured ÷ the speed it actually ran at (simulated ÷ wall seconds).
        speedFactor: simulated?.effective_speed ?? opts.speedFactor ?? null,
        meanPromptTokens: meanPrompt,
        meanCompletionTokens: meanCompletion,
        pricing: opts.pricing,
      }),
    };
  }

  /** The figures in the simulator's simulated time; null unless its clock was read around the segments. */
  private simulatedSpeed(timing: TimingTotals | null, nominal: number | 'instant' | null): SimulatedSpeed | null {
    const c = timing?.counters;
    if (!timing || !c || c.sim_virtual_seconds === undefined || nominal === 'instant') return null;
    const speed = timing.sim_speed ?? (typeof nominal === 'number' ? nominal : null);
    if (speed === null || !(speed > 0)) return null;
    // The GPU-equivalent duration: simulated seconds the engine had work (as `vllm bench serve` times a
    // batch from first request to last answer); the clock's idle time around a segment is the harness's.
    const virtualS = c.sim_busy_seconds ?? c.sim_virtual_seconds;
    const wallS = timing.wall_ms / 1000;
    const per = (x: number): number | null => (virtualS > 0 ? round(x / virtualS, 3) : null);
    const realS = c.sim_real_seconds;
    const inEngine = c.e2e_latency_seconds_sum;
    const wait = c.sim_client_wait_seconds;
    const effective = wallS > 0 ? virtualS / wallS : null;
    const engineMean = serverMeanLatencyS(c);
    const harnessMeanMs = this.meanLatencyMs();
    const harnessMeanReal = harnessMeanMs === null ? null : harnessMeanMs / 1000;
    const harnessMean = harnessMeanReal !== null && effective !== null ? harnessMeanReal * effective : null;
    return {
      nominal_speed: speed,
      effective_speed: effective === null ? null : round(effective, 4),
      virtual_s: round(virtualS, 3),
      lag_share: realS !== undefined && realS > 0 ? round(Math.min(1, Math.max(0, (c.sim_lag_seconds ?? 0) / realS)), 4) : null,
      held_share: realS !== undefined && realS > 0 && c.sim_held_seconds !== undefined ? round(Math.min(1, Math.max(0, c.sim_held_seconds / realS)), 4) : null,
      engine_share: inEngine !== undefined && wait !== undefined && inEngine + wait > 0 ? round(inEngine / (inEngine + wait), 4) : null,
      tick_s: timing.sim_tick_seconds === null ? null : round(timing.sim_tick_seconds * speed, 6),
      engine_mean_latency_s: engineMean === null ? null : round(engineMean, 4),
      harness_mean_latency_s: harnessMean === null ? null : round(harnessMean, 4),
      latency_scale: engineMean !== null && harnessMeanReal ? round(engineMean / harnessMeanReal, 6) : null,
      requests_per_s: per(this.succeeded),
      output_tokens_per_s: per(this.sentCompletion),
      total_tokens_per_s: per(this.sentPrompt + this.sentCompletion),
    };
  }

  /** What the speed figures are checked against besides the simulator's clock: the server's counters, the harness's event loop. */
  private hostEvidence(timing: TimingTotals | null, server: ServerCounters | null): HostEvidence {
    return {
      counters:
        timing && server
          ? {
              server: { prompt_tokens: server.prompt_tokens, generation_tokens: server.generation_tokens, requests_finished: server.requests_finished },
              harness: { ...server.harness, max_prompt_tokens: this.maxPrompt, max_completion_tokens: this.maxCompletion },
              attempts: timing.sent + timing.retries,
              resets: timing.counter_resets,
              unmetered: timing.unmetered_sent,
            }
          : null,
      loop: timing?.event_loop_delay_ms ?? null,
      meanLatencyMs: this.meanLatencyMs(),
      meanItlMs: timing?.itl && timing.itl.count > 0 ? timing.itl.sum / timing.itl.count : null,
      serverMeanLatencyMs: server?.e2e_mean_latency_ms ?? null,
    };
  }

  /** The harness's mean end-to-end latency (ms) of its successful sent requests; null without any. */
  private meanLatencyMs(): number | null {
    if (this.latencies.length === 0) return null;
    let sum = 0;
    for (const l of this.latencies.view()) sum += l;
    return sum / this.latencies.length;
  }

  /** The server's counters beside the harness's sums over the same sent requests; null without /metrics. */
  private serverCounters(timing: TimingTotals | null): ServerCounters | null {
    const c = timing?.counters;
    if (!c) return null;
    const get = (k: string): number | null => (c[k] === undefined ? null : round(c[k]!, 3));
    const prompt = get('prompt_tokens');
    const generation = get('generation_tokens');
    const queries = c.prefix_cache_queries;
    const serverMean = serverMeanLatencyS(c);
    return {
      prompt_tokens: prompt,
      generation_tokens: generation,
      requests_finished: get('requests_finished'),
      preemptions: get('preemptions'),
      kv_cache_usage_max: timing.kv_cache_usage_max,
      prefix_cache_hit_rate: queries ? ratio(c.prefix_cache_hits ?? 0, queries) : null,
      // Absent (not null) without the e2e series, as in summaries written before it was recorded.
      ...(serverMean !== null ? { e2e_mean_latency_ms: round(serverMean * 1000, 3) } : {}),
      harness: { prompt_tokens: this.sentPrompt, completion_tokens: this.sentCompletion, requests: this.succeeded },
      agrees: prompt === null || generation === null ? null : close(prompt, this.sentPrompt) && close(generation, this.sentCompletion),
    };
  }
}

function loopDelayFigures(l: LoopDelay): LoopDelay {
  return { mean: round(l.mean, 3), p99: round(l.p99, 3), max: round(l.max, 3), ...(l.wait !== undefined ? { wait: round(l.wait, 3) } : {}) };
}

/**
 * A usable result: answered, the recovered object meets the contract, the instructions were followed,
 * and grounding does not find it to be about someone else (when those scorers ran; a scorer that did not
 * run does not disqualify). An answer that names organisations the item does not hold stays usable:
 * grounding's share is best-effort name extraction, reported as its own rate; an answer about another
 * person is no screening of this one, whatever its ratings.
 */
export function isUsable(rec: Pick<ScoreRecord, 'request_error' | 'scores'>): boolean {
  if (rec.request_error !== null) return false;
  const schema = rec.scores[SCHEMA];
  const follows = rec.scores[FOLLOWS_INSTRUCTIONS];
  if (schema && schema.score !== 1) return false;
  if (follows && follows.score !== 1) return false;
  if (rec.scores[SCORER.grounding]?.label === WRONG_SUBJECT) return false;
  return schema !== undefined || follows !== undefined || rec.scores[JSON_RECOVERABLE]?.score === 1;
}

