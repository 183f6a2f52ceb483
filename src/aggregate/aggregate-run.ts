import { existsSync } from 'node:fs';
import { GroupTiming, ScoreRecord, type GroupSummary, type RunEnvironment, type RunManifest, type SpeedValidity, type Summary } from '../core/records.ts';
import { readJsonl } from '../core/jsonl.ts';
import { classLabels, type TaskDefinition } from '../core/task-records.ts';
import { MetricsAccumulator } from './accumulate.ts';
import { addTiming, timingTotals, type TimingTotals } from './timing-totals.ts';
import { CascadeCollector, type ResolvedCascade } from './cascade.ts';
import { DecisionCollector } from './decision.ts';
import { ExampleCollector } from './examples.ts';
import { hash32 } from './stats.ts';
import { TrustCollector } from './trust.ts';

/** Bootstrap resamples for the agreement intervals. @default 1000 */
export const DEFAULT_RESAMPLES = 1000;

export interface AggregateRunOptions {
  /** scores.jsonl: ScoreRecord lines. */
  scoresFile: string;
  /** timing.jsonl: GroupTiming lines; a resumed run has several segments per group (summed). May be missing. */
  timingFile: string;
  manifest: RunManifest;
  /** The run's task: agreement is computed for each of its nominal and ordinal labels. */
  task: AggregateTask;
  /** Seed of the bootstrap; each group derives its own from it and its name. */
  seed: number;
  /** @default 1000 */
  resamples?: number;
  /** The clock, for `created_at`. @default () => new Date() */
  now?: () => Date;
}

/** What aggregation reads of a task declaration. */
export type AggregateTask = Pick<TaskDefinition, 'name' | 'labels' | 'primary_label' | 'policies'>;

const groupKey = (model: string, version: string): string => `${model}\u0000${version}`;

/**
 * The one place metrics are computed: stream scores.jsonl and timing.jsonl once into per-group and
 * per-model accumulators, and return the summary (the caller writes summary.json).
 * Groups come in manifest order (models, then prompt versions); a group only in the files follows.
 */
export async function aggregateRun(opts: AggregateRunOptions): Promise<Summary> {
  const { manifest } = opts;
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;

  const timing = new Map<string, TimingTotals>();
  const trust = new TrustCollector();
  if (existsSync(opts.timingFile)) {
    for await (const { value } of readJsonl(opts.timingFile, GroupTiming, { tolerateTornTail: true })) {
      trust.addTiming(value);
      const k = groupKey(value.model, value.prompt_version);
      timing.set(k, addTiming(timing.get(k) ?? null, timingTotals(value))!);
    }
  }

  const labels = classLabels(opts.task);
  const primary = labels.find((l) => l.name === opts.task.primary_label)!;
  const escalateAt = opts.task.policies?.escalate_at;
  const rankLabel = labels.find((l) => l.name === escalateAt?.label) ?? primary;
  const groups = new Map<string, { model: string; version: string; acc: MetricsAccumulator }>();
  const models = new Map<string, MetricsAccumulator>();
  const cascades = new CascadeCollector(resolveCascades(manifest), { label: primary, rank: rankLabel, ...(escalateAt ? { escalateAt: escalateAt.value } : {}) });
  const examples = new ExampleCollector(primary);
  const accumulator = () => new MetricsAccumulator(labels, primary.name);
  const decision = new DecisionCollector(primary);
  for await (const { value } of readJsonl(opts.scoresFile, ScoreRecord)) {
    trust.add(value);
    cascades.add(value);
    examples.add(value);
    decision.add(value);
    const k = groupKey(value.model, value.prompt_version);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { model: value.model, version: value.prompt_version, acc: accumulator() }));
    g.acc.add(value);
    let m = models.get(value.model);
    if (!m) models.set(value.model, (m = accumulator()));
    m.add(value);
  }

  const modelOrder = manifest.models.map((m) => m.id);
  const versionOrder = manifest.prompt.versions.map((v) => v.version);
  const rank = (list: string[], x: string): number => (list.includes(x) ? list.indexOf(x) : list.length);
  const ordered = [...groups.values()].sort(
    (a, b) =>
      rank(modelOrder, a.model) - rank(modelOrder, b.model) ||
      a.model.localeCompare(b.model) ||
      rank(versionOrder, a.version) - rank(versionOrder, b.version) ||
      a.version.localeCompare(b.version),
  );
  const label = (id: string): string => manifest.models.find((m) => m.id === id)?.label ?? id;
  const finishOpts = (name: string, model: string) => {
    const m = manifest.models.find((x) => x.id === model);
    return {
      seed: (opts.seed ^ hash32(name)) >>> 0,
      resamples,
      scorerOrder: manifest.scorers,
      pricing: m?.pricing,
      speedFactor: m?.server?.simulator?.speed ?? null,
    };
  };

  const groupSummaries = ordered.map((g) => ({
    model: g.model,
    model_label: label(g.model),
    prompt_version: g.version,
    ...g.acc.finish(timing.get(groupKey(g.model, g.version)) ?? null, finishOpts(groupKey(g.model, g.version), g.model)),
  }));

  const modelIds = [...new Set(ordered.map((g) => g.model))];
  const modelSummaries = modelIds.map((id) => {
    const versions = ordered.filter((g) => g.model === id).map((g) => g.version);
    const t = versions.reduce<TimingTotals | null>((acc, v) => addTiming(acc, timing.get(groupKey(id, v)) ?? null), null);
    return { model: id, model_label: label(id), prompt_versions: versions, ...models.get(id)!.finish(t, finishOpts(id, id)) };
  });

  const runTrust = trust.finish(manifest);
  const speedValidity = runSpeedValidity(groupSummaries);
  const cascadeSummaries = cascades.finish(groupSummaries, { seed: opts.seed, resamples });
  const decided = decision.finish(groupSummaries, { spec: manifest.decision, cascades: cascadeSummaries, cascadeAnswers: (c, policy) => cascades.answersOf(c, policy), trust: runTrust, speed: speedValidity, seed: opts.seed, resamples });
  return {
    schema_version: 1,
    created_at: (opts.now ?? (() => new Date()))().toISOString(),
    run: { created_at: manifest.created_at, qualbench_version: manifest.qualbench_version, git_commit: manifest.git_commit },
    eval: manifest.eval,
    dataset: manifest.dataset,
    prompt: manifest.prompt,
    scorers: manifest.scorers,
    task: { name: opts.task.name, primary_label: primary.name, labels: labels.map((l) => ({ name: l.name, kind: l.kind, scale: [...l.scale] })) },
    seed: opts.seed,
    bootstrap_resamples: resamples,
    environment: runEnvironment(manifest),
    trust: runTrust,
    groups: groupSummaries,
    models: modelSummaries,
    cascades: cascadeSummaries,
    examples: examples.finish(groupSummaries),
    speed_validity: speedValidity,
    ...(decided ? { decision: decided } : {}),
  };
}

/** The run's speed figures are valid when every group's are; the reasons name the group. */
function runSpeedValidity(groups: Array<Pick<GroupSummary, 'model_label' | 'prompt_version' | 'speed'>>): SpeedValidity {
  const reasons = groups.flatMap((g) => (g.speed.validity?.reasons ?? []).map((r) => `${g.model_label} ${g.prompt_version}: ${r}`));
  return { valid: groups.every((g) => g.speed.validity?.valid !== false), reasons };
}

/** The cascades the manifest asks for, with model labels resolved to ids; ones naming a model not in the run are left out. */
function resolveCascades(manifest: RunManifest): ResolvedCascade[] {
  const find = (x: string) => manifest.models.find((m) => m.id === x || m.label === x);
  return (manifest.cascades ?? []).flatMap((c) => {
    const a = find(c.screen);
    const b = find(c.escalate);
    return a && b ? [{ ...c, screen: a.id, escalate: b.id, screenLabel: a.label, escalateLabel: b.label }] : [];
  });
}

/** A base URL without user name or password. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

/** Where the run was measured, from the manifest. */
export function runEnvironment(manifest: RunManifest): RunEnvironment {
  return {
    node_version: manifest.node_version,
    sampling: manifest.sampling,
    stream: manifest.stream ?? null,
    models: manifest.models.map((m) => ({
      id: m.id,
      label: m.label,
      base_url: withoutCredentials(m.base_url),
      concurrency: m.concurrency,
      vllm_version: m.server?.vllm_version ?? null,
      max_model_len: m.server?.max_model_len ?? null,
      simulator_speed: m.server?.simulator?.speed ?? null,
      server_notes: m.server_notes ?? null,
      extra_body: m.extra_body ?? null,
    })),
  };
}
