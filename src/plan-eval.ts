/**
 * Planning an eval: load and check everything before any request is sent (eval, task, models, dataset,
 * sample, prompts, every row rendered once) and write down what the run is, its manifest. User errors
 * surface here, before a model is called.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { decisionArmProblems, type RunManifest, type SamplingParams } from './core/records.ts';
import { UserError } from './core/errors.ts';
import type { QualbenchEnv } from './core/env.ts';
import { runStamp } from './core/stamp.ts';
import { packageVersion } from './core/package-files.ts';
import { loadEval, type LoadedEval } from './load/load-eval.ts';
import type { LoadedTask } from './load/load-task.ts';
import { loadModels, type ResolvedModel } from './load/load-models.ts';
import { openDataset, samplePositions, type DatasetIndex } from './load/load-dataset.ts';
import { loadPromptVersion, type PromptVersion } from './load/load-prompts.ts';
import { compilePrompt, type CompiledPrompt } from './render/render-request.ts';
import type { ChatClient } from './run/chat-client.ts';
import { assertScorerIds } from './score/score-run.ts';
import type { Progress } from './progress.ts';
import { loadEvalTask, scoringTask, stratifyLabel } from './run-task.ts';

export function qualbenchVersion(): string {
  return packageVersion();
}

function gitCommit(root: string): string | null {
  // The demo's project is the installed package: git there would name the enclosing project's commit.
  if (/[\\/]node_modules[\\/]/.test(root)) return null;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

export interface EvalOptions {
  root: string;
  env: QualbenchEnv;
  evalName?: string;
  /** Prompt versions to run instead of the eval's (watch, A/B work). */
  promptVersions?: string[];
  models?: string[];
  sample?: number;
  concurrency?: number | 'auto';
  /** New run directory (must not hold a run yet). */
  out?: string;
  /** Existing run directory to resume. */
  resume?: string;
  /** Overrides every model's base URL (the demo). */
  baseUrl?: string;
  storeDir: string;
  timeoutMs?: number;
  maxAttempts?: number;
  progress: Progress;
  signal?: AbortSignal;
  /** For tests: a client factory instead of the openai SDK. */
  clientFor?: (model: ResolvedModel, apiKey: string | undefined) => ChatClient;
  /** With `resume`: send again the items whose request ended in an error (their error lines move to retried-errors.jsonl). */
  retryErrors?: boolean;
}

export interface Plan {
  loaded: LoadedEval;
  task: LoadedTask;
  models: ResolvedModel[];
  dataset: DatasetIndex;
  /** Positions of the rows in this run (the sample), in dataset order. */
  positions: number[];
  prompts: PromptVersion[];
  compiled: CompiledPrompt[];
  sampling: SamplingParams;
  manifest: RunManifest;
}

export function defaultRunDir(root: string, evalName: string): string {
  const stamp = runStamp();
  return join(root, 'runs', `${evalName}-${stamp}`);
}

/** Load and check everything before any request is sent; user errors surface here. */
export async function plan(opts: EvalOptions, resumeManifest: RunManifest | null): Promise<Plan> {
  const loaded = loadEval(opts.root, resumeManifest?.eval.name ?? opts.evalName);
  const def = loaded.definition;
  const task = loadEvalTask(opts.root, def);
  const scorers = assertScorerIds(def.scorers, loaded.file, await scoringTask(task));
  const only = resumeManifest ? resumeManifest.models.map((m) => m.id) : opts.models?.length ? opts.models : def.model_ids;
  const { models } = loadModels(opts.root, def.models, {
    defaultBaseUrl: opts.env.vllmBaseUrl,
    baseUrlOverride: opts.baseUrl,
    only,
    concurrency: opts.concurrency ?? resumeManifest?.models[0]?.concurrency,
  });
  // A cascade naming a model outside this run is left out of the summary; say so (a typo would hide it).
  if (!only?.length) def.cascades?.forEach((c, i) => {
    for (const field of ['screen', 'escalate'] as const) {
      if (!models.some((m) => m.id === c[field] || m.label === c[field])) {
        opts.progress.log(`note: ${loaded.file} cascades.${i}.${field}: \`${c[field]}\` is not among the models of this run; that cascade is skipped`);
      }
    }
  });
  // Likewise the decision's incumbent and candidates (its table would be left empty).
  if (!only?.length) for (const n of decisionArmProblems(def, models)) opts.progress.log(`note: ${loaded.file} ${n}`);
  const dataset = await openDataset(opts.root, def.dataset, stratifyLabel(task), task.checkRow ?? undefined);
  const sampleN = resumeManifest ? resumeManifest.dataset.sample : (opts.sample ?? def.sample ?? null);
  if (sampleN !== null && sampleN !== undefined && (!Number.isInteger(sampleN) || sampleN < 1)) {
    throw new UserError(`--sample must be a whole number from 1 up, got ${sampleN}`, { field: '--sample' });
  }
  if (!resumeManifest && sampleN !== null && sampleN !== undefined && sampleN > dataset.total) {
    // Running them all while the report says "a sample of 100000 of 605" would mislead.
    throw new UserError(`--sample ${sampleN} is more than the ${dataset.total} rows of dataset ${dataset.manifest.name}`, { field: opts.sample !== undefined ? '--sample' : 'sample', hint: 'Leave out --sample to run every row.' });
  }
  const positions = samplePositions(dataset.ids, dataset.classes, sampleN ?? dataset.total, def.seed);
  const versions = resumeManifest ? resumeManifest.prompt.versions.map((v) => v.version) : (opts.promptVersions ?? def.prompt_versions);
  const prompts = versions.map((v) => loadPromptVersion(opts.root, def.prompt, v));
  const compiled = prompts.map((p) => compilePrompt(p, task.definition.item.variables));
  // Render every row once now, so a missing variable stops the run before the first request.
  for (const i of positions) {
    const row = dataset.rowAt(i);
    for (const c of compiled) c.render(row, { file: dataset.file, line: dataset.lineAt(i) });
  }

  const manifest: RunManifest = {
    qualbench_version: qualbenchVersion(),
    node_version: process.version,
    created_at: new Date().toISOString(),
    git_commit: gitCommit(opts.root),
    eval: { name: def.name, file: loaded.file, sha256: loaded.sha256 },
    task: { name: task.definition.name, file: task.file, sha256: task.sha256 },
    dataset: {
      name: dataset.manifest.name,
      version: dataset.manifest.version,
      sha256: dataset.manifest.sha256,
      rows: dataset.total,
      sample: sampleN ?? null,
      sample_seed: def.seed,
    },
    prompt: { name: def.prompt, versions: prompts.map((p) => ({ version: p.version, sha256: p.sha256 })) },
    models: models.map((m) => ({
      id: m.id,
      label: m.label,
      base_url: m.base_url,
      concurrency: m.concurrency,
      ...(m.extra_body ? { extra_body: m.extra_body } : {}),
      ...(m.server_notes ? { server_notes: m.server_notes } : {}),
      ...(m.pricing ? { pricing: m.pricing } : {}),
      ...(m.replicas && m.replicas.length > 1 ? { replicas: m.replicas } : {}),
    })),
    sampling: def.sampling,
    stream: def.stream,
    ...(def.cascades?.length ? { cascades: def.cascades } : {}),
    ...(def.decision ? { decision: def.decision } : {}),
    ...(def.gates ? { gates: def.gates } : {}),
    scorers,
    requests: positions.length * prompts.length * def.decoding.length * models.length,
  };
  return { loaded, task, models, dataset, positions, prompts, compiled, sampling: def.sampling, manifest };
}

