import type { RunManifest, Summary } from '../core/records.ts';

/** One run directory's summary and manifest, with a short label for comparisons. */
export interface ReportRun {
  label: string;
  summary: Summary;
  manifest: RunManifest;
}

export interface CombinedRuns {
  summary: Summary;
  manifest: RunManifest;
  /** One line per run: label, when, what. Empty for a single run. */
  runs: { label: string; created: string; eval: string; models: string[]; commit: string | null }[];
  /** What differs between the runs' environments, one line each; empty when they match (or one run). */
  differences: string[];
}

/**
 * Several runs as one: on one GPU models run one after another, so a comparison spans run directories.
 * Groups keep their figures; a model found in more than one run is told apart by the run's label
 * (`id @label`). Differences in dataset, prompts, sampling and servers are listed, so a report can say so.
 */
export function combineRuns(runs: ReportRun[]): CombinedRuns {
  if (runs.length === 1) return { summary: runs[0]!.summary, manifest: runs[0]!.manifest, runs: [], differences: [] };
  const seen = new Map<string, number>();
  for (const r of runs) for (const m of r.manifest.models) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  const rename = (run: ReportRun) => (id: string) => ((seen.get(id) ?? 0) > 1 ? `${id} @${run.label}` : id);
  const relabel = (run: ReportRun) => (id: string, label: string) => ((seen.get(id) ?? 0) > 1 ? `${label} (${run.label})` : label);

  const first = runs[0]!;
  const summary: Summary = {
    ...first.summary,
    prompt: { name: first.summary.prompt.name, versions: unique(runs.flatMap((r) => r.summary.prompt.versions), (v) => `${v.version}:${v.sha256}`) },
    scorers: unique(runs.flatMap((r) => r.summary.scorers), (s) => s),
    environment: { ...first.summary.environment, models: runs.flatMap((r) => r.summary.environment.models.map((m) => ({ ...m, id: rename(r)(m.id), label: relabel(r)(m.id, m.label) }))) },
    groups: runs.flatMap((r) => r.summary.groups.map((g) => ({ ...g, model: rename(r)(g.model), model_label: relabel(r)(g.model, g.model_label) }))),
    models: runs.flatMap((r) => r.summary.models.map((m) => ({ ...m, model: rename(r)(m.model), model_label: relabel(r)(m.model, m.model_label) }))),
    cascades: runs.flatMap((r) =>
      r.summary.cascades.map((c) => ({ ...c, screen: rename(r)(c.screen), escalate: rename(r)(c.escalate), screen_label: relabel(r)(c.screen, c.screen_label), escalate_label: relabel(r)(c.escalate, c.escalate_label) })),
    ),
    examples: runs.flatMap((r) => r.summary.examples.map((e) => ({ ...e, model: rename(r)(e.model), model_label: relabel(r)(e.model, e.model_label) }))),
    trust: combinedTrust(runs, rename),
    // One run's decision does not hold for the comparison: `qualbench report` computes it across the runs.
    decision: undefined,
    // Valid when every run's speed figures are; each reason names its run.
    speed_validity: runs.some((r) => r.summary.speed_validity)
      ? {
          valid: runs.every((r) => r.summary.speed_validity?.valid !== false),
          reasons: runs.flatMap((r) => (r.summary.speed_validity?.reasons ?? []).map((x) => `${r.label}: ${x}`)),
        }
      : undefined,
  };
  const manifest: RunManifest = {
    ...first.manifest,
    prompt: summary.prompt,
    models: runs.flatMap((r) => r.manifest.models.map((m) => ({ ...m, id: rename(r)(m.id), label: relabel(r)(m.id, m.label) }))),
  };
  return {
    summary,
    manifest,
    runs: runs.map((r) => ({
      label: r.label,
      created: r.manifest.created_at,
      eval: r.summary.eval.name,
      models: r.manifest.models.map((m) => m.label),
      commit: r.manifest.git_commit,
    })),
    differences: differences(runs),
  };
}

/** Every run's completeness and provenance as one: complete only if each run is; warnings name their run. */
function combinedTrust(runs: ReportRun[], rename: (run: ReportRun) => (id: string) => string): Summary['trust'] {
  const all = runs.map((r) => ({ r, t: r.summary.trust }));
  const unknown = all.filter((x) => !x.t).map((x) => x.r.label);
  const known = all.flatMap((x) => (x.t ? [{ r: x.r, t: x.t }] : []));
  const sum = (f: (t: NonNullable<Summary['trust']>) => number) => known.reduce((a, x) => a + f(x.t), 0);
  return {
    complete: unknown.length === 0 && known.every((x) => x.t.complete),
    expected: sum((t) => t.expected),
    recorded: sum((t) => t.recorded),
    errored: sum((t) => t.errored),
    missing: sum((t) => t.missing),
    groups: known.flatMap((x) => x.t.groups.map((g) => ({ ...g, model: rename(x.r)(g.model) }))),
    warnings: [
      ...known.flatMap((x) => x.t.warnings.map((w) => `run ${x.r.label}: ${w}`)),
      ...(unknown.length ? [`UNCHECKED: ${unknown.join(', ')}: summary.json predates completeness checks; run \`qualbench rescore <run-dir>\` to check it.`] : []),
    ],
  };
}

function unique<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}

/** Fields whose values differ between runs' environments, as "what: label value; label value". */
export function differences(runs: Array<Pick<ReportRun, 'label' | 'manifest'> & { summary?: Summary }>): string[] {
  const out: string[] = [];
  type Run = Pick<ReportRun, 'label' | 'manifest'> & { summary?: Summary };
  const check = (what: string, value: (r: Run) => string | null) => {
    const values = runs.map((r) => value(r));
    const present = values.filter((v): v is string => v !== null);
    if (new Set(present).size > 1) out.push(`${what}: ${runs.map((r, i) => `${r.label} ${values[i] ?? '–'}`).join('; ')}`);
  };
  check('dataset', (r) => `${r.manifest.dataset.name}@${r.manifest.dataset.version} (sha256 ${r.manifest.dataset.sha256.slice(0, 12)})`);
  check('sample', (r) => (r.manifest.dataset.sample === null ? 'all rows' : `${r.manifest.dataset.sample} rows, seed ${r.manifest.dataset.sample_seed}`));
  const versions = new Set(runs.flatMap((r) => r.manifest.prompt.versions.map((v) => v.version)));
  for (const v of versions) check(`prompt ${v}`, (r) => r.manifest.prompt.versions.find((x) => x.version === v)?.sha256.slice(0, 12) ?? null);
  check('sampling', (r) => JSON.stringify(r.manifest.sampling));
  check('streaming', (r) => (r.manifest.stream === undefined ? null : String(r.manifest.stream)));
  check('qualbench', (r) => r.manifest.qualbench_version);
  check('scorers', (r) => r.manifest.scorers.join(','));
  const server = (r: Run) => {
    const s = r.manifest.models.map((m) => m.server).find((x) => x);
    if (!s) return null;
    if (!s.simulator) return `vLLM ${s.vllm_version ?? 'unknown version'}`;
    if (s.simulator.speed === 'instant') return 'simulator (instant)';
    // Figures read from the simulator's clock do not depend on its speed (with --speed auto every model
    // has its own); older runs divided wall time by it, so there the speed is part of the environment.
    return r.summary?.groups.some((g) => g.speed.simulated) ? 'simulator (simulated time)' : `simulator (speed ${s.simulator.speed})`;
  };
  check('server', server);
  check('server notes', (r) => [...new Set(r.manifest.models.map((m) => m.server_notes ?? ''))].join(' | ') || null);
  return out;
}
