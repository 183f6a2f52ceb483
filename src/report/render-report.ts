import { trustView } from './trust-view.ts';
import { decisionView, type DecisionRowView } from './decision-view.ts';
import { worstItems } from './gallery.ts';
import { SCORER } from '../core/scorer-ids.ts';
import { writeFileSync } from 'node:fs';
import { packageFile } from '../core/package-files.ts';
import { speedValidityView } from './speed-validity-view.ts';
export { speedValidityView } from './speed-validity-view.ts';
import type { GroupSummary, ModelSummary, OrdinalAgreement, RunManifest, Summary, SummaryMetrics } from '../core/records.ts';
import { clip, costPerUsable, leadAgreement, md, num, pct, primaryLabel, stat, usd } from './format.ts';
import { orderedClasses, renderTemplate } from './template.ts';

/** The default Markdown template, under reports/ at the package root. */
export const DEFAULT_REPORT_TEMPLATE = packageFile('reports', 'report.md.hbs');

/** Failed answers listed in report.md (the HTML report shows them all). */
const WORST_ITEMS = 12;

/** Shown instead of speed for a group answered only from the cache. */
const CACHED = 'cached';

function kappaCell(m: SummaryMetrics, primary: string): string {
  const r = leadAgreement(m, primary);
  if (r.kappa === null) return md('–');
  return r.kappa_ci ? `${stat(r.kappa)} (${stat(r.kappa_ci.lo)} to ${stat(r.kappa_ci.hi)})` : stat(r.kappa);
}

function accuracyCell(m: SummaryMetrics, primary: string): string {
  const r = leadAgreement(m, primary);
  const missing = r.missing > 0 ? ` (${r.missing} unreadable)` : '';
  return `${pct(r.exact)}${missing}`;
}

/**
 * Against qualbench's simulator, time runs `speed` times faster than the modelled GPU: throughput is
 * divided and latency multiplied by it, so the report reads in GPU-equivalent units (and says so).
 */
type Scale = (model: string, metrics?: SummaryMetrics) => number;

function speedCell(m: SummaryMetrics, value: number | null, digits = 1, scale = 1): string {
  return m.speed.cached_only ? CACHED : num(value === null ? null : value / scale, digits);
}

function latencyCell(m: SummaryMetrics, withMean: boolean, scale = 1): string {
  if (m.speed.cached_only) return CACHED;
  const l = m.speed.latency_ms;
  if (!l) return '–';
  const p = `${num(l.p50 * scale, 0)} / ${num(l.p99 * scale, 0)} ms`;
  return withMean ? `${num(l.mean * scale, 0)} / ${p}` : p;
}

/** Cells shared by every row that describes metrics: all pre-formatted, all escaped. */
function metricCells(m: SummaryMetrics, scale: number, primary: string) {
  return {
    items: num(m.items, 0),
    errors: num(m.errors.total, 0),
    json_strict: pct(m.validity.json_strict_rate),
    schema_valid: pct(m.validity.schema_valid_rate),
    accuracy: accuracyCell(m, primary),
    within_one: pct(leadAgreement(m, primary).within_one),
    kappa: kappaCell(m, primary),
    total_tps: speedCell(m, m.speed.total_tokens_per_s, 1, scale),
    output_tps: speedCell(m, m.speed.output_tokens_per_s, 1, scale),
    rps: speedCell(m, m.speed.requests_per_s, 2, scale),
    mean_completion: num(m.tokens.mean_completion, 0),
    mean_prompt: num(m.tokens.mean_prompt, 0),
  };
}

/** Cost per 1K usable results: self-hosted when priced, else the first hosted price (named). */
function usableCostCell(m: SummaryMetrics): string {
  const c = costPerUsable(m);
  return c.basis === 'self-hosted' || c.value === null ? usd(c.value) : `${usd(c.value)} (${md(c.basis)})`;
}

/** p50 / p99 of a distribution in ms, scaled to GPU-equivalent. */
function distCell(d: { p50: number; p99: number } | null, scale: number, digits = 0): string {
  return d ? `${num(d.p50 * scale, digits)} / ${num(d.p99 * scale, digits)}` : '–';
}

/**
 * ITL p50 / p99, with a caveat against the simulator when the median gap is below one tick of its
 * timer in simulated time: tokens released within one tick are spread evenly over it (one chunk per
 * token), so such gaps are the simulator's pacing, not measured per engine step.
 */
function itlCell(g: GroupSummary, lscale: number): string {
  const cell = distCell(g.speed.itl_ms, lscale, 1);
  const tick = g.speed.simulated?.tick_s ?? null;
  if (!g.speed.itl_ms || tick === null || tick <= 0 || g.speed.itl_ms.p50 * lscale >= tick * 1000) return cell;
  return `${cell} (below the simulator's ${num(tick * 1000, 1)} ms tick: paced, not per step)`;
}

function serverCell(m: SummaryMetrics): string {
  const s = m.speed.server;
  if (!s) return '–';
  const check = s.agrees === null ? 'partial' : s.agrees ? 'agrees' : md(`differs (server ${num(s.generation_tokens, 0)} vs ${num(s.harness.completion_tokens, 0)} output tok)`);
  const cache = s.prefix_cache_hit_rate === null ? '' : `; prefix cache ${pct(s.prefix_cache_hit_rate)} hits`;
  // The server's own mean end-to-end latency, beside the harness's (a gap is time spent outside the server).
  const e2e = s.e2e_mean_latency_ms ? `; server mean e2e ${num(s.e2e_mean_latency_ms, 0)} ms` : '';
  return `${check}${cache}${e2e}`;
}

function groupRow(g: GroupSummary, scale: number, primary: string, lscale = scale) {
  return {
    model: md(g.model_label),
    version: md(g.prompt_version),
    ...metricCells(g, scale, primary),
    usable: pct(g.usable.rate),
    usable_cost: usableCostCell(g),
    follows: pct(g.scorers[SCORER.followsInstructions]?.mean ?? null),
    ttft: distCell(g.speed.ttft_ms, lscale),
    tpot: distCell(g.speed.tpot_ms, lscale, 1),
    itl: itlCell(g, lscale),
    e2el: distCell(g.speed.latency_ms, lscale),
    success: pct(g.speed.success_rate),
    server: serverCell(g),
    self_1k: usd(g.cost.self_hosted?.usd_per_1k_requests),
    self_usable: usd(g.cost.self_hosted?.usd_per_1k_usable),
    hosted_1k: usd(g.cost.hosted[0]?.usd_per_1k_requests, 4),
    hosted_usable: usd(g.cost.hosted[0]?.usd_per_1k_usable, 4),
    s_per_usable: num(g.cost.seconds_per_usable, 3),
    sent: num(g.speed.sent, 0),
    cached: num(g.speed.cached, 0),
    retries: num(g.speed.retries, 0),
    wall: g.speed.wall_ms === null ? '–' : `${num((g.speed.wall_ms * scale) / 1000, 1)} s`,
    latency: latencyCell(g, true, lscale),
    projections: projectionCells(g.cost.projections),
  };
}

/** The workload projections of a group or a model, as table cells. */
function projectionCells(projections: GroupSummary['cost']['projections']) {
  return projections.map((p) => ({
    candidates: num(p.candidates, 0),
    hours: num(p.hours, 1),
    usable: num(p.usable, 0),
    self_hosted: usd(p.self_hosted_usd, 2),
    hosted: p.hosted_usd.length ? usd(p.hosted_usd[0]!.usd, 2) : '–',
  }));
}

function modelRow(m: ModelSummary, scale: number, primary: string, lscale = scale) {
  return {
    model: md(m.model_label),
    versions: md(m.prompt_versions.join(', ')),
    ...metricCells(m, scale, primary),
    latency: latencyCell(m, false, lscale),
    usable: pct(m.usable.rate),
    usable_cost: usableCostCell(m),
    projections: projectionCells(m.cost.projections),
  };
}

const mdRow = (r: DecisionRowView): DecisionRowView => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, md(v)])) as unknown as DecisionRowView;

/** The decision block, every string escaped for Markdown. */
function mdDecision(summary: Summary) {
  const d = decisionView(summary);
  if (!d) return null;
  return {
    ...d,
    question: md(d.question),
    answer: md(d.answer),
    incumbent: d.incumbent && mdRow(d.incumbent),
    candidates: d.candidates.map(mdRow),
    cascades: d.cascades.map(mdRow),
    rule: md(d.rule),
    notes: d.notes.map(md),
    source: md(d.source),
  };
}

/** Extra lines when several runs are combined into one report. */
export interface ReportExtras {
  runs?: { label: string; created: string; models: string[] }[];
  differences?: string[];
}

function agreementKappa(a: OrdinalAgreement): string {
  if (a.kappa === null) return '–';
  return a.kappa_ci ? `${stat(a.kappa)} (${stat(a.kappa_ci.lo)} to ${stat(a.kappa_ci.hi)})` : stat(a.kappa);
}

/** One row per declared label of one group, in declaration order. */
function agreementRows(g: GroupSummary) {
  const fields: [string, OrdinalAgreement][] = Object.entries(g.agreement.labels);
  return fields.map(([name, a]) => ({
    model: md(g.model_label),
    version: md(g.prompt_version),
    field: md(name),
    n: num(a.n, 0),
    missing: num(a.missing, 0),
    exact: pct(a.exact),
    within_one: pct(a.within_one),
    kappa: agreementKappa(a),
    macro_f1: stat(a.macro_f1),
  }));
}

/** The primary label's confusion matrix of one group: gold rows, predicted columns, then `none`. */
function confusionView(g: GroupSummary, primary: string) {
  const a = leadAgreement(g, primary);
  const c = a.confusion;
  return {
    title: md(`${g.model_label} ${g.prompt_version}`),
    columns: [...c.labels, 'none'].map((l) => md(l)),
    rows: c.labels.map((l, i) => ({
      gold: md(l),
      counts: c.counts[i]!.map((x) => num(x, 0)),
      recall: pct(a.per_class[l]?.recall ?? null),
      precision: pct(a.per_class[l]?.precision ?? null),
    })),
  };
}

/** Instruction-following classes over all groups: `followed` first, then by total count. */
const instructionColumns = (groups: GroupSummary[]): string[] => orderedClasses(groups.map((g) => g.validity.instruction_classes), 'followed');

/** Parse classes in a stable order: `ok` first, then by total count. */
const parseColumns = (groups: GroupSummary[]): string[] => orderedClasses(groups.map((g) => g.validity.parse_classes), 'ok');

/** The values the template sees: every string pre-formatted and escaped. */
/**
 * Measured ÷ this = GPU-equivalent. Against the simulator: the speed its clock actually ran at over the
 * figures' segments (simulated ÷ wall seconds, from its /metrics), else (older runs) its nominal speed.
 */
export function speedScale(manifest: RunManifest): Scale {
  const factor = new Map(manifest.models.map((m) => [m.id, typeof m.server?.simulator?.speed === 'number' ? m.server.simulator.speed : 1]));
  return (model, metrics) => metrics?.speed.simulated?.effective_speed || factor.get(model) || 1;
}

/**
 * Harness-measured ms × this = GPU-equivalent ms. Against the simulator's clock: the engine's own mean
 * latency ÷ the harness's (real) mean, so latencies agree with the engine's however unevenly the host
 * slowed the run; else the throughput scale.
 */
export function latencyScale(manifest: RunManifest): Scale {
  const speed = speedScale(manifest);
  return (model, metrics) => metrics?.speed.simulated?.latency_scale || speed(model, metrics);
}

export function simulatedNote(manifest: RunManifest, summary?: Summary): string | null {
  const sims = manifest.models.filter((m) => m.server?.simulator);
  if (sims.length === 0) return null;
  const speeds = [...new Set(sims.map((m) => m.server!.simulator!.speed))];
  if (speeds.includes('instant')) return 'Served by qualbench\'s simulator in instant mode: speed figures measure the harness, not a model.';
  const clocked = summary?.groups.some((g) => g.speed.simulated);
  if (clocked) {
    return `Served by qualbench's vLLM simulator (clock speed ${speeds.map((x) => `${x}x`).join(' / ')}): speeds, times and costs below are GPU-equivalent, read from the simulator's own clock in simulated time (a busy host slows the run, not the figures); simulated, not measured on a GPU.`;
  }
  if (speeds.every((x) => x === 1)) return 'Served by qualbench\'s vLLM simulator at the modelled GPU\'s own speed: speeds and times below are simulated, not measured on a GPU.';
  return `Served by qualbench's vLLM simulator running ${speeds.join('/')}x faster than the modelled GPU: speeds and times below are GPU-equivalent (measured ÷ ${speeds.join('/')}), simulated, not measured on a GPU.`;
}

export function reportView(summary: Summary, manifest: RunManifest, extras: ReportExtras = {}) {
  const scaleOf = speedScale(manifest);
  const latencyOf = latencyScale(manifest);
  const validity = speedValidityView(summary);
  const columns = parseColumns(summary.groups);
  const instruction = instructionColumns(summary.groups);
  const sample = summary.dataset.sample;
  const primary = primaryLabel(summary);
  return {
    primary_label: md(primary),
    labels_note: md(Object.keys(summary.groups[0]?.agreement.labels ?? {}).join(', ')),
    title: md(`qualbench report: ${summary.eval.name}`),
    decision: mdDecision(summary),
    dataset: md(`${summary.dataset.name}@${summary.dataset.version}`),
    items_note: md(sample ? `a seeded sample of ${sample} of ${summary.dataset.rows} rows, seed ${summary.dataset.sample_seed}` : `${summary.dataset.rows} rows`),
    prompt: md(`${summary.prompt.name} ${summary.prompt.versions.map((v) => v.version).join(', ')}`),
    date: md(summary.created_at.slice(0, 10)),
    run_created: md(manifest.created_at.replace('T', ' ').replace(/\..*$/, ' UTC')),
    qualbench_version: md(summary.run.qualbench_version),
    git_commit: summary.run.git_commit ? md(summary.run.git_commit.slice(0, 12)) : '',
    scorers: md(summary.scorers.join(', ')),
    seed: num(summary.seed, 0),
    resamples: num(summary.bootstrap_resamples, 0),
    groups: summary.groups.map((g) => groupRow(g, scaleOf(g.model, g), primary, latencyOf(g.model, g))),
    models: summary.models.map((m) => modelRow(m, scaleOf(m.model, m), primary, latencyOf(m.model, m))),
    simulated_note: simulatedNote(manifest, summary),
    speed_validity: validity && { ...validity, headline: md(validity.headline), reasons: validity.reasons.map((r) => md(r)) },
    trust: (() => {
      const v = trustView(summary);
      return { headline: md(v.headline), warnings: v.warnings.map(md), sources: v.sources.map((r) => ({ model: md(r.model), version: md(r.version), sent: md(r.sent || '—'), cached: md(r.cached || '—'), imported: md(r.imported || '—') })) };
    })(),
    parse_columns: columns.map((c) => md(c)),
    parse_rows: summary.groups.map((g) => ({
      model: md(g.model_label),
      version: md(g.prompt_version),
      counts: columns.map((c) => num(g.validity.parse_classes[c] ?? 0, 0)),
    })),
    instruction_columns: instruction.map((c) => md(c)),
    instruction_rows: instruction.length
      ? summary.groups.map((g) => ({ model: md(g.model_label), version: md(g.prompt_version), counts: instruction.map((c) => num(g.validity.instruction_classes[c] ?? 0, 0)) }))
      : [],
    agreement: summary.groups.flatMap(agreementRows),
    confusions: summary.groups.filter((g) => leadAgreement(g, primary).n > 0).map((g) => confusionView(g, primary)),
    violations: summary.groups.flatMap((g) =>
      g.validity.top_schema_violations.map((v) => ({ model: md(g.model_label), version: md(g.prompt_version), count: num(v.count, 0), reason: md(clip(v.reason)) })),
    ),
    strata: summary.groups.flatMap((g) =>
      g.strata.map((st) => ({
        model: md(g.model_label),
        version: md(g.prompt_version),
        name: md(st.name),
        n: num(st.n, 0),
        accuracy: pct(st.exact),
        within_one: pct(st.within_one),
        schema_valid: pct(st.schema_valid_rate),
      })),
    ),
    runs: (extras.runs ?? []).map((r) => ({ label: md(r.label), created: md(r.created.replace('T', ' ').replace(/\..*$/, ' UTC')), models: md(r.models.join(', ')) })),
    differences: (extras.differences ?? []).map((d) => md(d)),
    pricing_sources: [...new Set(manifest.models.map((m) => m.pricing?.source).filter((x): x is string => Boolean(x)))].map((x) => md(x)),
    cascades: summary.cascades.map((c) => ({
      title: md(`${c.screen_label} → ${c.escalate_label}, prompt ${c.prompt_version}, ${c.items} items`),
      basis: md(c.saving_basis ?? 'nothing (no prices or timing)'),
      rows: c.policies.map((p) => ({
        policy: md(p.description),
        escalated: pct(p.escalated),
        usable: pct(p.usable_rate),
        exact: pct(p.exact),
        kappa: p.kappa === null ? '–' : p.kappa_ci ? `${stat(p.kappa)} (${stat(p.kappa_ci.lo)} to ${stat(p.kappa_ci.hi)})` : stat(p.kappa),
        self_hosted: usd(p.self_hosted_usd_per_1k),
        hosted: usd(p.hosted_usd_per_1k, 4),
        hours: num(p.hours_per_200k, 1),
        saving: p.saving_vs_escalate === null ? '–' : pct(p.saving_vs_escalate),
      })),
    })),
    worst: worstItems(summary, WORST_ITEMS).map((e) => ({
      model: md(e.model_label),
      version: md(e.prompt_version),
      item: md(e.item_id),
      what: md(`${e.kind}: ${e.class}`),
      gold: md(e.gold),
      predicted: md(e.predicted ?? '–'),
      excerpt: md(clip(e.excerpt, 160)),
    })),
    environment: summary.environment.models.map((m) => ({
      label: md(m.label),
      server: md(m.simulator_speed !== null ? `qualbench simulator (${m.simulator_speed === 'instant' ? 'instant' : `${m.simulator_speed}x`})` : `vLLM ${m.vllm_version ?? 'unknown'}`),
      max_model_len: num(m.max_model_len, 0),
      concurrency: m.concurrency === 'auto' ? 'auto' : num(m.concurrency, 0),
      notes: md(m.server_notes ?? ''),
    })),
    sampling: md(JSON.stringify(summary.environment.sampling)),
    errors: summary.groups
      .filter((g) => g.errors.total > 0)
      .map((g) => ({
        model: md(g.model_label),
        version: md(g.prompt_version),
        total: num(g.errors.total, 0),
        by_kind: md(
          Object.entries(g.errors.by_kind)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(', '),
        ),
      })),
  };
}

/**
 * Render the Markdown report from a Handlebars template (default reports/report.md.hbs).
 * The template gets pre-formatted, pre-escaped strings (`reportView`), so it never HTML-escapes;
 * it is compiled strictly, so a misspelt variable is an error, not an empty cell.
 */
export function renderMarkdownReport(summary: Summary, manifest: RunManifest, opts: { templateFile?: string; extras?: ReportExtras } = {}): string {
  return renderTemplate(opts.templateFile ?? DEFAULT_REPORT_TEMPLATE, () => reportView(summary, manifest, opts.extras), { escape: false, viewSource: 'reportView() in src/report/render-report.ts' });
}

/** Render and write report.md. */
export function writeMarkdownReport(file: string, summary: Summary, manifest: RunManifest, opts: { templateFile?: string } = {}): void {
  writeFileSync(file, renderMarkdownReport(summary, manifest, opts));
}
