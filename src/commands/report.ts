import { refuseLinks } from '../core/run-dir.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { EXIT, UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { readJsonl } from '../core/jsonl.ts';
import { PricesFile, RUN_FILES, RunManifest, ScoreRecord, Summary, type CascadeSpec } from '../core/records.ts';
import { aggregateRun } from '../aggregate/aggregate-run.ts';
import { CascadeCollector } from '../aggregate/cascade.ts';
import { DecisionCollector } from '../aggregate/decision.ts';
import { combineRuns, type ReportRun } from '../report/combine-runs.ts';
import { renderMarkdownReport } from '../report/render-report.ts';
import { renderHtmlReport } from '../report/render-html.ts';
import { loadRunTask } from '../run-task.ts';
import { parse } from './shared.ts';
import { help } from './help.ts';

/**
 * `qualbench report <run-dir> [<run-dir> ...] [--out DIR] [--label NAME ...] [--prices FILE] [--cascade A:B ...]`:
 * re-render report.md and report.html from what the runs wrote, sending nothing. One run: in place.
 * Several (on one GPU models run one after another): one comparison, environments compared, and
 * cascades across runs computed from their per-item scores.
 */
export async function cmdReport(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: 'string' },
    label: { type: 'string', multiple: true },
    prices: { type: 'string' },
    cascade: { type: 'string', multiple: true },
    'md-template': { type: 'string' },
    'html-template': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return help();
  if (positionals.length === 0) throw new UserError('name one or more run directories', { hint: 'qualbench report runs/<run> [runs/<other-run> ...] [--out DIR]' });
  const labels = values.label ?? [];
  if (labels.length > 0 && labels.length !== positionals.length) {
    throw new UserError(`${labels.length} --label for ${positionals.length} run directories`, { field: '--label', hint: 'Give one --label per run directory, in order, or none.' });
  }
  const cascades = (values.cascade ?? []).map(parseCascade);
  const prices = values.prices ? readJsonFile(resolve(values.prices), PricesFile, 'A prices file is {"models": {"<model id or label>": {"self_hosted": {"gpu_per_hour": 0.75}, "hosted": [...]}}}.', values.prices) : null;

  const runs: (ReportRun & { dir: string })[] = [];
  const used = new Set<string>();
  for (const [i, d] of positionals.entries()) {
    const dir = resolve(d);
    refuseLinks(dir, d);
    const manifestFile = join(dir, RUN_FILES.manifest);
    if (!existsSync(manifestFile)) throw new UserError('not a run directory (no manifest.json)', { file: d, hint: 'Name a directory written by `qualbench eval`, `demo` or `import`.' });
    let manifest = readJsonFile(manifestFile, RunManifest, undefined, relative(process.cwd(), manifestFile));
    const summaryFile = join(dir, RUN_FILES.summary);
    if (!existsSync(summaryFile)) throw new UserError('the run has no summary.json yet', { file: d, hint: `Finish it with \`qualbench eval --resume ${d}\`, or score what it has with \`qualbench rescore ${d}\`.` });
    let summary = readJsonFile(summaryFile, Summary, 'summary.json is written by qualbench; re-create it with `qualbench rescore <run-dir>`.', relative(process.cwd(), summaryFile));
    if (prices || cascades.length) {
      // Re-aggregate from the run's files: new prices or cascades change the figures, not the answers.
      manifest = {
        ...manifest,
        models: manifest.models.map((m) => {
          const p = prices?.models[m.id] ?? prices?.models[m.label];
          return p ? { ...m, pricing: p } : m;
        }),
        cascades: [...(manifest.cascades ?? []), ...cascades],
      };
      summary = await aggregateRun({
        scoresFile: join(dir, RUN_FILES.scores),
        timingFile: join(dir, RUN_FILES.timing),
        manifest,
        task: loadRunTask(process.cwd(), manifest).definition,
        seed: summary.seed,
        resamples: summary.bootstrap_resamples,
      });
    }
    let label = labels[i] ?? basename(dir);
    while (used.has(label)) label = `${label}-${i + 1}`;
    used.add(label);
    runs.push({ label, summary, manifest, dir });
  }

  const combined = combineRuns(runs);
  if (runs.length > 1) {
    const crossRun = await crossRunCascades(runs, [...new Set([...runs.flatMap((r) => r.manifest.cascades ?? []), ...cascades].map((c) => JSON.stringify(c)))].map((c) => JSON.parse(c) as CascadeSpec));
    combined.summary = { ...combined.summary, cascades: [...combined.summary.cascades, ...crossRun.cascades] };
    combined.summary = { ...combined.summary, decision: await crossRunDecision(runs, combined.summary, crossRun.collector) };
  }

  const outDir = values.out ? resolve(values.out) : runs.length === 1 ? runs[0]!.dir : null;
  if (!outDir) throw new UserError('say where to write the combined report', { field: '--out', hint: 'e.g. --out reports/compare-llama-gemma' });
  mkdirSync(outDir, { recursive: true });
  const extras = { runs: combined.runs, differences: combined.differences };
  writeFileSync(join(outDir, RUN_FILES.report), renderMarkdownReport(combined.summary, combined.manifest, { templateFile: values['md-template'], extras }));
  writeFileSync(join(outDir, RUN_FILES.html), renderHtmlReport(combined, { templateFile: values['html-template'] }));
  if (runs.length > 1) writeFileSync(join(outDir, 'comparison.json'), JSON.stringify({ runs: combined.runs, differences: combined.differences, summary: combined.summary }, null, 2) + '\n');
  else if (prices || cascades.length) writeFileSync(join(outDir, RUN_FILES.summary), JSON.stringify(combined.summary, null, 2) + '\n');

  const rel = relative(process.cwd(), outDir) || '.';
  const trustWarnings = combined.summary.trust?.warnings ?? ['UNCHECKED: summary.json predates completeness checks; run `qualbench rescore <run-dir>` to check it.'];
  if (values.json) process.stdout.write(JSON.stringify({ event: 'report-done', out: outDir, runs: runs.length, differences: combined.differences, complete: combined.summary.trust?.complete ?? null, warnings: trustWarnings }) + '\n');
  else {
    // First, and even with --quiet: what makes the figures doubtful.
    for (const w of trustWarnings) process.stderr.write(`warning: ${w}\n`);
  }
  if (!values.json && !values.quiet) {
    for (const d of combined.differences) process.stderr.write(`note: the runs differ in ${d}\n`);
    process.stdout.write(`Report: ${join(rel, RUN_FILES.report)}\nHTML:   ${join(rel, RUN_FILES.html)}\n`);
  }
  return EXIT.ok;
}

/** "screen:escalate" (ids or labels; ids may contain '/', so ':' or '>' separates). */
function parseCascade(text: string): CascadeSpec {
  const m = /^(.+?)\s*(?:>|:)\s*(.+)$/.exec(text);
  if (!m) throw new UserError(`cannot read the cascade \`${text}\``, { field: '--cascade', hint: 'Write --cascade SCREEN:ESCALATE, e.g. --cascade "Llama 3.2 1B:Gemma 3 4B".' });
  return { screen: m[1]!.trim(), escalate: m[2]!.trim(), top_fraction: 0.2 };
}

/**
 * Cascades whose two models were run in different run directories (same dataset): their per-item
 * scores are streamed from both runs into one collector. Models found in several runs are skipped.
 */
async function crossRunCascades(runs: (ReportRun & { dir: string })[], specs: CascadeSpec[]) {
  const home = (name: string) => {
    const hits = runs.flatMap((r) => r.manifest.models.filter((m) => m.id === name || m.label === name).map((m) => ({ run: r, model: m })));
    return hits.length === 1 ? hits[0]! : null;
  };
  const resolved = specs.flatMap((c) => {
    const a = home(c.screen);
    const b = home(c.escalate);
    if (!a || !b || a.run === b.run) return [];
    if (a.run.manifest.dataset.sha256 !== b.run.manifest.dataset.sha256) return [];
    return [{ ...c, screen: a.model.id, escalate: b.model.id, screenLabel: a.model.label, escalateLabel: b.model.label, runs: [a.run, b.run] }];
  });
  if (resolved.length === 0) return { cascades: [], collector: null };
  const task = loadRunTask(process.cwd(), runs[0]!.manifest).definition;
  const labels = task.labels.flatMap((l) => (l.kind === 'text' ? [] : [l]));
  const at = task.policies?.escalate_at;
  const primary = labels.find((l) => l.name === task.primary_label)!;
  const rank = labels.find((l) => l.name === at?.label) ?? primary;
  const collector = new CascadeCollector(resolved, { label: primary, rank, ...(at ? { escalateAt: at.value } : {}) });
  const dirs = [...new Set(resolved.flatMap((c) => c.runs.map((r) => r.dir)))];
  for (const dir of dirs) for await (const { value } of readJsonl(join(dir, RUN_FILES.scores), ScoreRecord)) collector.add(value);
  const groups = runs.flatMap((r) => r.summary.groups);
  const first = runs[0]!.summary;
  return { cascades: collector.finish(groups, { seed: first.seed, resamples: first.bootstrap_resamples }), collector };
}

/**
 * The decision across runs made one after another: the first declared question (else the default one),
 * with every run's per-item answers paired by item id. Model ids in several runs are renamed as
 * combineRuns renames them (`id @label`).
 */
async function crossRunDecision(runs: (ReportRun & { dir: string })[], summary: Summary, cascades: CascadeCollector | null) {
  const seen = new Map<string, number>();
  for (const r of runs) for (const m of r.manifest.models) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  const task = loadRunTask(process.cwd(), runs[0]!.manifest).definition;
  const primary = task.labels.find((l) => l.name === task.primary_label);
  if (!primary || primary.kind === 'text') return undefined;
  const collector = new DecisionCollector(primary);
  for (const r of runs) {
    for await (const { value } of readJsonl(join(r.dir, RUN_FILES.scores), ScoreRecord)) {
      collector.add((seen.get(value.model) ?? 0) > 1 ? { ...value, model: `${value.model} @${r.label}` } : value);
    }
  }
  const first = runs[0]!.summary;
  return collector.finish(summary.groups, {
    spec: runs.find((r) => r.manifest.decision)?.manifest.decision,
    cascades: summary.cascades,
    ...(cascades ? { cascadeAnswers: (c: Parameters<CascadeCollector['answersOf']>[0], policy: string) => cascades.answersOf(c, policy) } : {}),
    trust: summary.trust ?? { complete: true, expected: 0, recorded: 0, errored: 0, missing: 0, groups: [], warnings: [] },
    speed: summary.speed_validity ?? { valid: true, reasons: [] },
    seed: first.seed,
    resamples: first.bootstrap_resamples,
  });
}
