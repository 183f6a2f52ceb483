/**
 * report.html: one standalone file (no network, no external assets) from reports/report.html.hbs.
 * Handlebars escapes every {{value}}; the only raw insertions ({{{...}}}) are the SVG charts, built
 * in svg.ts with every text escaped, and the page script (page-script.ts: table sorting, gallery filters and pages), a constant allowed by its hash in
 * the page's Content-Security-Policy, so even a missed escape could not run a model's script.
 */
import { SCORER } from '../core/scorer-ids.ts';
import { trustView } from './trust-view.ts';
import { decisionView } from './decision-view.ts';
import { classCounts, galleryOrder } from './gallery.ts';
import { chartCaptions } from './captions.ts';
import { PAGE_SCRIPT, pageScriptHash } from './page-script.ts';
import { writeFileSync } from 'node:fs';
import { packageFile } from '../core/package-files.ts';
import type { Distribution, GroupSummary, Summary, SummaryMetrics } from '../core/records.ts';
import { costPerUsable, leadAgreement, num, pct, primaryLabel, stat, usd, NONE } from './format.ts';
import { latencyScale, speedScale, simulatedNote, speedValidityView } from './render-report.ts';
import type { CombinedRuns } from './combine-runs.ts';
import { barChart, heatmap, scatterChart, stackedChart } from './svg.ts';
import { orderedClasses, renderTemplate } from './template.ts';

export const DEFAULT_HTML_TEMPLATE = packageFile('reports', 'report.html.hbs');

/** Failed answers per page of the gallery. */
const GALLERY_PAGE = 12;

export { SORT_SCRIPT } from './page-script.ts';

/** A table cell: what is shown, and what it sorts by (a number, or text; empty = no value, sorted last). */
interface Cell {
  text: string;
  v: string;
}
const cell = (text: string, sort: number | string | null | undefined): Cell => ({ text, v: sort === null || sort === undefined ? '' : String(sort) });
const pctCell = (x: number | null | undefined): Cell => cell(pct(x), x);
const numCell = (x: number | null | undefined, digits = 1): Cell => cell(num(x, digits), x);
const usdCell = (x: number | null | undefined, digits = 3): Cell => cell(usd(x, digits), x);

function distCells(d: Distribution | null, scale: number): Cell[] {
  return [numCell(d ? d.p50 * scale : null, 1), numCell(d ? d.p99 * scale : null, 1)];
}

/** ITL p50 / p99, the p50 marked when it is below the simulator's timer tick (see itlCell in render-report.ts). */
function itlCells(g: GroupSummary, scale: number): Cell[] {
  const cells = distCells(g.speed.itl_ms, scale);
  const tick = g.speed.simulated?.tick_s ?? null;
  if (g.speed.itl_ms && tick !== null && tick > 0 && g.speed.itl_ms.p50 * scale < tick * 1000) {
    cells[0] = cell(`${cells[0]!.text} (below the simulator's ${num(tick * 1000, 1)} ms tick: paced, not per step)`, cells[0]!.v);
  }
  return cells;
}

/** Everything the HTML template shows: plain strings (Handlebars escapes them) and pre-built SVG. */
export function htmlView(combined: CombinedRuns) {
  const { summary, manifest } = combined;
  const scale = speedScale(manifest);
  const lscale = latencyScale(manifest);
  const series = [...new Set(summary.groups.map((g) => g.model_label))];
  const label = (g: GroupSummary) => `${g.model_label} ${g.prompt_version}`;
  const instant = manifest.models.some((m) => m.server?.simulator?.speed === 'instant');
  const throughput = (g: GroupSummary): number | null => g.cost.requests_per_s ?? (g.speed.requests_per_s === null ? null : g.speed.requests_per_s / scale(g.model, g));
  const follows = (m: SummaryMetrics) => m.scorers[SCORER.followsInstructions]?.mean ?? null;
  const primary = primaryLabel(summary);

  const verdict = summary.groups.map((g) => {
    const c = costPerUsable(g);
    const k = leadAgreement(g, primary);
    return {
      model: g.model_label,
      version: g.prompt_version,
      cells: [
        cell(g.model_label, g.model_label),
        cell(g.prompt_version, g.prompt_version),
        numCell(g.items, 0),
        pctCell(g.validity.json_strict_rate),
        pctCell(follows(g)),
        pctCell(g.validity.schema_valid_rate),
        pctCell(g.usable.rate),
        cell(k.kappa === null ? NONE : k.kappa_ci ? `${stat(k.kappa)} (${stat(k.kappa_ci.lo)}–${stat(k.kappa_ci.hi)})` : stat(k.kappa), k.kappa),
        pctCell(k.exact),
        numCell(throughput(g), 2),
        numCell(g.speed.total_tokens_per_s === null ? null : g.speed.total_tokens_per_s / scale(g.model, g), 0),
        usdCell(c.value),
      ],
    };
  });

  const speed = summary.groups.map((g) => {
    const s = scale(g.model, g);
    const ls = lscale(g.model, g);
    const sv = g.speed.server;
    return [
      cell(g.model_label, g.model_label),
      cell(g.prompt_version, g.prompt_version),
      numCell(g.speed.sent, 0),
      numCell(g.speed.cached, 0),
      numCell(g.speed.retries, 0),
      pctCell(g.speed.success_rate),
      numCell(g.speed.wall_ms === null ? null : (g.speed.wall_ms * s) / 1000, 1),
      numCell(g.speed.requests_per_s === null ? null : g.speed.requests_per_s / s, 2),
      numCell(g.speed.output_tokens_per_s === null ? null : g.speed.output_tokens_per_s / s, 0),
      numCell(g.speed.total_tokens_per_s === null ? null : g.speed.total_tokens_per_s / s, 0),
      ...distCells(g.speed.ttft_ms, ls),
      ...distCells(g.speed.tpot_ms, ls),
      ...itlCells(g, ls),
      ...distCells(g.speed.latency_ms, ls),
      cell(
        (sv === null ? NONE : sv.agrees === null ? 'partial' : sv.agrees ? `agrees (${num(sv.generation_tokens, 0)} output tok)` : `differs: server ${num(sv.generation_tokens, 0)} vs ${num(sv.harness.completion_tokens, 0)} output tok`) +
          (sv?.prefix_cache_hit_rate == null ? '' : `; prefix cache ${pct(sv.prefix_cache_hit_rate)} hits`) +
          (sv?.e2e_mean_latency_ms ? `; server mean e2e ${num(sv.e2e_mean_latency_ms, 0)} ms` : ''),
        sv?.agrees === undefined || sv?.agrees === null ? null : sv.agrees ? 1 : 0,
      ),
    ];
  });

  const cost = summary.groups.map((g) => [
    cell(g.model_label, g.model_label),
    cell(g.prompt_version, g.prompt_version),
    pctCell(g.usable.rate),
    numCell(g.cost.seconds_per_usable, 3),
    usdCell(g.cost.self_hosted?.usd_per_1k_requests),
    usdCell(g.cost.self_hosted?.usd_per_1k_usable),
    usdCell(g.cost.hosted[0]?.usd_per_1k_requests),
    usdCell(g.cost.hosted[0]?.usd_per_1k_usable),
    numCell(g.cost.projections.find((p) => p.candidates === 200_000)?.hours, 1),
  ]);

  const projections = summary.groups.flatMap((m) =>
    m.cost.projections.map((p) => [
      cell(m.model_label, m.model_label),
      cell(m.prompt_version, m.prompt_version),
      numCell(p.candidates, 0),
      numCell(p.hours, 1),
      numCell(p.usable, 0),
      usdCell(p.self_hosted_usd, 2),
      ...(p.hosted_usd.length ? [usdCell(p.hosted_usd[0]!.usd, 2)] : [cell(NONE, null)]),
    ]),
  );

  const instructionClasses = orderedClasses(summary.groups.map((g) => g.validity.instruction_classes), 'followed');
  const frontierPoints = summary.groups.flatMap((g) => {
    const x = throughput(g);
    const y = leadAgreement(g, primary).kappa;
    return x === null || y === null ? [] : [{ series: g.model_label, label: g.prompt_version, x, y }];
  });

  return {
    title: `qualbench report: ${summary.eval.name}`,
    primary_label: primary,
    subtitle: `Dataset ${summary.dataset.name}@${summary.dataset.version} (${summary.dataset.sample ? `a seeded sample of ${summary.dataset.sample} of ${summary.dataset.rows} rows` : `${summary.dataset.rows} rows`}) · prompt ${summary.prompt.name} ${[...new Set(summary.prompt.versions.map((v) => v.version))].join(', ')} · ${summary.created_at.slice(0, 10)}`,
    run_line: `qualbench ${summary.run.qualbench_version}${summary.run.git_commit ? ` · commit ${summary.run.git_commit.slice(0, 12)}` : ''} · Node ${summary.environment.node_version} · scorers: ${summary.scorers.join(', ')}`,
    simulated_note: simulatedNote(manifest, summary),
    speed_validity: speedValidityView(summary),
    trust: trustView(summary),
    decision: decisionView(summary),
    captions: chartCaptions(summary, { instant, throughput, primary }),
    runs: combined.runs.map((r) => ({ ...r, models: r.models.join(', '), created: r.created.replace('T', ' ').replace(/\..*$/, ' UTC') })),
    differences: combined.differences,
    verdict,
    charts: {
      frontier: scatterChart({
        id: 'chart-frontier',
        title: 'Quality against throughput',
        xLabel: instant ? 'items per second (measured; instant simulator: harness speed, not a model)' : 'items per second, GPU-equivalent (log scale)',
        yLabel: `κ with human ratings (${primary})`,
        points: frontierPoints,
        series,
        logX: true,
        ...(summary.decision?.metric === 'kappa' && summary.decision.floors.quality !== null
          ? { floor: { y: summary.decision.floors.quality, label: `${summary.decision.floors.name ?? 'quality floor'}: κ ${stat(summary.decision.floors.quality)}` } }
          : {}),
      }),
      cost: barChart({
        id: 'chart-cost',
        title: 'Cost per 1,000 usable results',
        xLabel: `USD per 1,000 usable results, ${[...new Set(summary.groups.map((g) => costPerUsable(g).basis).filter(Boolean))].join(' / ') || 'unpriced'}`,
        bars: summary.groups.map((g) => {
          const c = costPerUsable(g);
          return { series: g.model_label, label: label(g), value: c.value, text: usd(c.value) };
        }),
        series,
      }),
      failures: stackedChart({
        id: 'chart-failures',
        title: 'Did the model do the task: instruction-following classes',
        rows: summary.groups.map((g) => ({ label: label(g), counts: g.validity.instruction_classes })),
        classes: instructionClasses,
      }),
      latency: barChart({
        id: 'chart-latency',
        title: 'Median end-to-end latency',
        xLabel: instant ? 'ms, measured (instant simulator)' : 'ms per request, p50, GPU-equivalent',
        bars: summary.groups.map((g) => {
          const p = g.speed.latency_ms ? g.speed.latency_ms.p50 * lscale(g.model, g) : null;
          return { series: g.model_label, label: label(g), value: p, text: p === null ? NONE : `${num(p, 0)} ms` };
        }),
        series,
      }),
      confusions: summary.groups
        .filter((g) => leadAgreement(g, primary).n > 0)
        .map((g, i) => ({
          title: label(g),
          svg: heatmap({
            id: `chart-confusion-${i}`,
            title: `${label(g)}: gold (rows) against predicted (columns)`,
            rowLabels: leadAgreement(g, primary).confusion.labels,
            colLabels: [...leadAgreement(g, primary).confusion.labels, 'none'],
            counts: leadAgreement(g, primary).confusion.counts,
          }),
        })),
    },
    speed,
    cost,
    projections,
    pricing_sources: [...new Set(manifest.models.map((m) => m.pricing?.source).filter((s): s is string => Boolean(s)))],
    cascades: summary.cascades.map((c) => ({
      title: `${c.screen_label} → ${c.escalate_label}, prompt ${c.prompt_version} (${c.items} items; saving measured on ${c.saving_basis ?? 'nothing: no prices or timing'})`,
      rows: c.policies.map((p) => [
        cell(p.description, p.policy),
        pctCell(p.escalated),
        pctCell(p.usable_rate),
        pctCell(p.exact),
        cell(p.kappa === null ? NONE : p.kappa_ci ? `${stat(p.kappa)} (${stat(p.kappa_ci.lo)}–${stat(p.kappa_ci.hi)})` : stat(p.kappa), p.kappa),
        usdCell(p.self_hosted_usd_per_1k),
        usdCell(p.hosted_usd_per_1k, 4),
        numCell(p.hours_per_200k, 1),
        cell(p.saving_vs_escalate === null ? NONE : pct(p.saving_vs_escalate), p.saving_vs_escalate),
      ]),
    })),
    strata: summary.groups.flatMap((g) =>
      g.strata.map((st) => [
        cell(g.model_label, g.model_label),
        cell(g.prompt_version, g.prompt_version),
        cell(st.name, st.name),
        numCell(st.n, 0),
        pctCell(st.exact),
        pctCell(st.within_one),
        pctCell(st.schema_valid_rate),
      ]),
    ),
    gallery_total: summary.examples.length,
    gallery_page_size: GALLERY_PAGE,
    gallery_models: [...new Set(summary.examples.map((e) => e.model_label))],
    gallery_versions: [...new Set(summary.examples.map((e) => e.prompt_version))].sort(),
    gallery_classes: classCounts(summary.examples),
    gallery: galleryOrder(summary).map((e) => ({
      model: e.model_label,
      version: e.prompt_version,
      class_key: `${e.kind}: ${e.class}`,
      heading: `${e.model_label} ${e.prompt_version} · ${e.item_id}`,
      kind: e.kind,
      class: e.class,
      reason: e.reason,
      gold: e.gold,
      predicted: e.predicted ?? NONE,
      excerpt: e.excerpt,
    })),
    environment: summary.environment.models.map((m) => [
      cell(m.label, m.label),
      cell(m.id, m.id),
      cell(m.simulator_speed !== null ? `qualbench simulator (${m.simulator_speed === 'instant' ? 'instant' : `${m.simulator_speed}x`})` : `vLLM ${m.vllm_version ?? '?'}`, null),
      numCell(m.max_model_len, 0),
      m.concurrency === 'auto' ? cell('auto', null) : numCell(m.concurrency, 0),
      cell(m.server_notes ?? '', null),
      cell(m.extra_body ? JSON.stringify(m.extra_body) : '', null),
    ]),
    sampling: JSON.stringify(summary.environment.sampling),
    stream: summary.environment.stream === null ? 'unknown' : summary.environment.stream ? 'yes (TTFT, TPOT and ITL measured)' : 'no (TTFT, TPOT and ITL not measured)',
    page_script: PAGE_SCRIPT,
    csp: `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${pageScriptHash()}'`,
  };
}

/** Render report.html from a Handlebars template (default reports/report.html.hbs), compiled strictly, escaping every value. */
export function renderHtmlReport(combined: CombinedRuns, opts: { templateFile?: string } = {}): string {
  return renderTemplate(opts.templateFile ?? DEFAULT_HTML_TEMPLATE, () => htmlView(combined), { escape: true, viewSource: 'htmlView() in src/report/render-html.ts' });
}

export function writeHtmlReport(file: string, combined: CombinedRuns, opts: { templateFile?: string } = {}): void {
  writeFileSync(file, renderHtmlReport(combined, opts));
}

/** One run as a CombinedRuns (no comparison lines). */
export function singleRun(summary: Summary, manifest: CombinedRuns['manifest']): CombinedRuns {
  return { summary, manifest, runs: [], differences: [] };
}
