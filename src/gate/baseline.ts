import { Baseline, GATE_METRICS, type BaselineGroup } from '../core/gate-records.ts';
import type { RunManifest } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { encodeValues, type GroupValues } from './item-values.ts';

/** A compact, sorted, diff-friendly baseline from a run's per-item values and its manifest. */
export function buildBaseline(manifest: RunManifest, groups: Map<string, GroupValues>): Baseline {
  const versionSha = new Map(manifest.prompt.versions.map((v) => [v.version, v.sha256]));
  const out: BaselineGroup[] = [...groups.values()]
    .sort((a, b) => a.model.localeCompare(b.model) || a.prompt_version.localeCompare(b.prompt_version))
    .map((g) => {
      const ids = [...g.items.keys()].sort();
      const metrics: Record<string, number | null> = {};
      GATE_METRICS.forEach((m, i) => {
        const xs = ids.map((id) => g.items.get(id)![i]!).filter((x) => !Number.isNaN(x));
        metrics[m] = xs.length ? Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4)) : null;
      });
      return {
        model: g.model,
        prompt_version: g.prompt_version,
        prompt_sha256: versionSha.get(g.prompt_version.replace(/\+schema$/, '')) ?? null,
        metrics,
        items: Object.fromEntries(ids.map((id) => [id, encodeValues(g.items.get(id)!)])),
      };
    });
  return {
    schema_version: 1,
    eval: manifest.eval.name,
    metrics: [...GATE_METRICS],
    fingerprint: {
      dataset: { name: manifest.dataset.name, version: manifest.dataset.version, sha256: manifest.dataset.sha256 },
      sampling: manifest.sampling,
      servers: Object.fromEntries(manifest.models.map((m) => [m.id, m.server?.simulator ? `qualbench-sim ${m.server.vllm_version ?? ''} speed ${m.server.simulator.speed}`.trim() : (m.server?.vllm_version ?? null)])),
    },
    groups: out,
  };
}

/** What kind of server answered: `qualbench-sim` or `vLLM <version>` (speed and address left out: they do not change answers). */
function serverKind(fingerprint: string | null | undefined): string | null {
  if (!fingerprint) return null;
  return fingerprint.startsWith('qualbench-sim') ? 'qualbench-sim' : `vLLM ${fingerprint}`;
}

/** Differences that make a comparison invalid (dataset or prompt text changed, answers from another kind of server). */
export function baselineMismatches(baseline: Baseline, manifest: RunManifest): string[] {
  const out: string[] = [];
  // A baseline answered by the simulator says nothing about a real vLLM's answers, and the other way round.
  for (const m of manifest.models) {
    const then = serverKind(baseline.fingerprint.servers[m.id]);
    const now = serverKind(m.server?.simulator ? 'qualbench-sim' : (m.server?.vllm_version ?? null));
    if (then && now && then !== now) out.push(`${m.label}: the baseline's answers came from ${then}, this run's from ${now}`);
  }
  if (baseline.eval !== manifest.eval.name) out.push(`the baseline is for eval ${baseline.eval}, the run is ${manifest.eval.name}`);
  if (baseline.fingerprint.dataset.sha256 !== manifest.dataset.sha256) {
    out.push(`dataset ${baseline.fingerprint.dataset.name}@${baseline.fingerprint.dataset.version} in the baseline, @${manifest.dataset.version} in the run (sha256 differs)`);
  }
  for (const v of manifest.prompt.versions) {
    for (const g of baseline.groups.filter((b) => b.prompt_version.replace(/\+schema$/, '') === v.version)) {
      if (g.prompt_sha256 && g.prompt_sha256 !== v.sha256) {
        out.push(`prompt ${manifest.prompt.name}@${v.version} text differs from the baseline's`);
        break;
      }
    }
  }
  return out;
}

/** Parse a baseline file's JSON, with file and field in errors. */
export function parseBaseline(json: unknown, file: string): Baseline {
  const r = Baseline.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UserError(i.message, { file, field: i.path.join('.') || undefined, hint: 'Recreate it with `qualbench baseline update <run-dir>`.' });
  }
  return r.data;
}
