/**
 * Can this run's figures carry a verdict? Completeness (every expected item recorded and answered) and
 * provenance (who answered each group) from the score records and the manifest. The warnings are what
 * every report prints first, and what `gate` and `baseline update` refuse to judge without being told.
 */
import { GroupTiming, RUN_FILES, ScoreRecord, type RunManifest, type RunTrust } from '../core/records.ts';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonl } from '../core/jsonl.ts';

const IMPORTED = 'imported:';
const UNKNOWN = 'unknown';

interface GroupTally {
  model: string;
  version: string;
  recorded: number;
  errored: number;
  errorKinds: Map<string, number>;
  firstError: string | null;
  sources: Map<string, number>;
}

const key = (model: string, version: string): string => `${model}\u0000${version}`;

type GpuTimeouts = NonNullable<RunTrust['groups'][number]['gpu_timeouts']>;

/** "120 s" / "1.5 s" */
const seconds = (ms: number): string => `${ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`;

export class TrustCollector {
  private readonly groups = new Map<string, GroupTally>();
  private readonly gpu = new Map<string, GpuTimeouts>();

  /** A timing segment: its GPU-equivalent latencies against the timeout (qualbench's simulator), summed per group. */
  addTiming(t: GroupTiming): void {
    if (!t.gpu_timeouts) return;
    const k = key(t.model, t.prompt_version);
    const prev = this.gpu.get(k);
    const x = t.gpu_timeouts;
    this.gpu.set(k, prev ? { timeout_ms: x.timeout_ms, measured: prev.measured + x.measured, over: prev.over + x.over, max_ms: Math.max(prev.max_ms, x.max_ms) } : { ...x });
  }

  add(r: ScoreRecord): void {
    const k = key(r.model, r.prompt_version);
    let g = this.groups.get(k);
    if (!g) this.groups.set(k, (g = { model: r.model, version: r.prompt_version, recorded: 0, errored: 0, errorKinds: new Map(), firstError: null, sources: new Map() }));
    g.recorded++;
    if (r.request_error) {
      g.errored++;
      const kind = r.request_error.status !== null ? `${r.request_error.kind} ${r.request_error.status}` : r.request_error.kind;
      g.errorKinds.set(kind, (g.errorKinds.get(kind) ?? 0) + 1);
      g.firstError ??= `${kind}: ${r.request_error.message}`.slice(0, 300);
      return;
    }
    const server = r.server ?? UNKNOWN;
    const how = server.startsWith(IMPORTED) ? 'imported' : r.source;
    const s = `${how}\u0000${server}`;
    g.sources.set(s, (g.sources.get(s) ?? 0) + 1);
  }

  finish(manifest: RunManifest): RunTrust {
    const perGroup = manifest.items_per_group ?? Math.min(manifest.dataset.sample ?? manifest.dataset.rows, manifest.dataset.rows);
    const labels = new Map<string, string>();
    for (const m of manifest.models) {
      if (m.server?.identity) labels.set(m.server.identity, m.server.identity_label ?? m.server.identity);
      for (const p of m.previous_servers ?? []) labels.set(p.identity, p.identity_label);
    }
    const labelOf = (server: string): string =>
      server.startsWith(IMPORTED) ? `imported from ${server.slice(IMPORTED.length)}` : server === UNKNOWN ? 'not recorded (a run made before qualbench recorded servers)' : (labels.get(server) ?? server);

    // Expected groups: every model x prompt version (constrained-decoding groups appear as `<version>+schema`).
    const present = [...this.groups.values()];
    const expectedGroups = perGroup > 0 ? Math.round(manifest.requests / perGroup) : 0;
    const absent: Array<{ model: string; version: string }> = [];
    if (present.length < expectedGroups) {
      for (const m of manifest.models) for (const v of manifest.prompt.versions) if (!this.groups.has(key(m.id, v.version))) absent.push({ model: m.id, version: v.version });
    }
    const groups: RunTrust['groups'] = [
      ...present.map((g) => ({
        model: g.model,
        prompt_version: g.version,
        expected: Math.max(perGroup, g.recorded),
        recorded: g.recorded,
        errored: g.errored,
        missing: Math.max(0, perGroup - g.recorded),
        first_error: g.firstError,
        ...(this.gpu.has(key(g.model, g.version)) ? { gpu_timeouts: this.gpu.get(key(g.model, g.version))! } : {}),
        sources: [...g.sources.entries()]
          .map(([k, count]) => {
            const [how, server] = k.split('\u0000') as ['sent' | 'cached' | 'imported', string];
            return { how, server, label: labelOf(server), count };
          })
          .sort((a, b) => b.count - a.count),
      })),
      ...absent.slice(0, Math.max(0, expectedGroups - present.length)).map((a) => ({ model: a.model, prompt_version: a.version, expected: perGroup, recorded: 0, errored: 0, missing: perGroup, first_error: null, sources: [] })),
    ];
    const recorded = groups.reduce((a, g) => a + g.recorded, 0);
    const errored = groups.reduce((a, g) => a + g.errored, 0);
    const expected = Math.max(manifest.requests, groups.reduce((a, g) => a + g.expected, 0));
    const missing = Math.max(0, expected - recorded);

    const label = (id: string) => manifest.models.find((m) => m.id === id)?.label ?? id;
    const warnings: string[] = [];
    if (missing > 0) {
      warnings.push(
        `INCOMPLETE: ${recorded} of ${expected} expected answers are on record, ${missing} missing (the run was stopped or killed before it finished). Every figure below covers only what was recorded. Finish it with \`qualbench eval --resume <run-dir>\`.`,
      );
    }
    for (const g of groups) {
      if (g.errored === 0) continue;
      const t = this.groups.get(key(g.model, g.prompt_version));
      const kinds = t ? [...t.errorKinds.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} x${n}`).join(', ') : '';
      warnings.push(`FAILED REQUESTS: ${label(g.model)} ${g.prompt_version}: ${g.errored} of ${g.recorded} requests ended in an error (${kinds}); first: ${g.first_error}. Rates below are over the answered items only. Send them again with \`qualbench eval --resume <run-dir> --retry-errors\`.`);
    }
    for (const g of groups) {
      const t = g.gpu_timeouts;
      if (!t || t.over === 0) continue;
      warnings.push(
        `GPU TIMEOUTS: ${label(g.model)} ${g.prompt_version}: on the modelled GPU, ${t.over} of ${t.measured} requests (${gpuShareText(t)}) took longer than the ${seconds(t.timeout_ms)} timeout (longest ${seconds(t.max_ms)} of simulated time); they were answered only because the simulator runs faster than real time. On a real GPU they would have timed out and been retried or failed. Lower the concurrency (--concurrency) or raise the timeout (--timeout-ms).`,
      );
    }
    for (const g of groups) {
      const servers = [...new Set(g.sources.map((s) => s.server))];
      if (servers.length > 1) {
        warnings.push(`MIXED SOURCES: ${label(g.model)} ${g.prompt_version}: answers come from ${servers.length} servers: ${servers.map((sv) => `${labelOf(sv)} (${g.sources.filter((s) => s.server === sv).reduce((a, s) => a + s.count, 0)})`).join('; ')}.`);
      }
    }
    return { complete: missing === 0 && errored === 0, expected, recorded, errored, missing, groups, warnings };
  }
}

/** Share of a group's measured requests that would have timed out on the modelled GPU (0 when not measured). */
export function gpuTimeoutShare(g: RunTrust['groups'][number]): number {
  const t = g.gpu_timeouts;
  return t && t.measured > 0 ? t.over / t.measured : 0;
}

function gpuShareText(t: GpuTimeouts): string {
  const pct = (100 * t.over) / t.measured;
  return `${pct >= 10 ? Math.round(pct) : Math.round(pct * 10) / 10}%`;
}

/** Share of a group's expected requests that failed or never ran. */
export function failedShare(g: RunTrust['groups'][number]): number {
  return g.expected > 0 ? (g.errored + g.missing) / g.expected : 0;
}

/** The trust of a run straight from its scores.jsonl and manifest (what gate and baseline judge). */
export async function trustOfRun(scoresFile: string, manifest: RunManifest): Promise<RunTrust> {
  const t = new TrustCollector();
  for await (const { value } of readJsonl(scoresFile, ScoreRecord)) t.add(value);
  const timingFile = join(dirname(scoresFile), RUN_FILES.timing);
  if (existsSync(timingFile)) for await (const { value } of readJsonl(timingFile, GroupTiming, { tolerateTornTail: true })) t.addTiming(value);
  return t.finish(manifest);
}
