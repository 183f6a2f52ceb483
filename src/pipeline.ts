/**
 * The composition root: runs the stages in order and owns the run directory.
 * load -> render -> run -> score -> aggregate -> report. Every stage writes what it produced
 * into the run directory, so later stages can be re-run from disk.
 */
import { refuseLinks } from './core/run-dir.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RUN_FILES, RunManifest, decisionArmProblems, type ItemRow, type GroupTiming, type RunTrust, type SamplingParams, type Summary } from './core/records.ts';
import { UserError } from './core/errors.ts';
import type { QualbenchEnv } from './core/env.ts';
import { readJsonFile } from './core/json-file.ts';
import { JsonlAppender } from './core/jsonl.ts';
import { mulberry32 } from './core/random.ts';
import { loadEval, type LoadedEval } from './load/load-eval.ts';
import type { LoadedTask } from './load/load-task.ts';
import { loadEvalTask, scoringTask, stratifyLabel } from './run-task.ts';
import { loadModels, type ResolvedModel } from './load/load-models.ts';
import { openDataset, samplePositions, type DatasetIndex } from './load/load-dataset.ts';
import { loadPromptVersion, type PromptVersion } from './load/load-prompts.ts';
import { compilePrompt, renderRequest, type CompiledPrompt } from './render/render-request.ts';
import { createOpenAIChatClient, type ChatClient } from './run/chat-client.ts';
import { ResponseStore } from './run/store.ts';
import { probeServer, type ServerInfo } from './run/probe.ts';
import { createReplicaPool } from './run/replicas.ts';
import { runGroup, slotId, type RunPolicy } from './run/run-group.ts';
import { lockRunDir } from './run/run-lock.ts';
import { assertScorerIds, scoreRun } from './score/score-run.ts';
import { aggregateRun } from './aggregate/aggregate-run.ts';
import { renderMarkdownReport } from './report/render-report.ts';
import { renderHtmlReport, singleRun } from './report/render-html.ts';
import type { Progress } from './progress.ts';
import { runStamp } from './core/stamp.ts';
import { PACKAGE_ROOT, packageVersion } from './core/package-files.ts';
import { RETRIED_ERRORS, assertCreatable, checkResumable, readDoneSlots, setAsideErrors, writeJsonAtomic } from './run-dir.ts';
import { AUTO_START, autoInterval, endpoints, launchModelServer, manifestServer, readGauges, scrapeAll, serverRecord } from './servers.ts';

/** qualbench's own folder (the repository, or node_modules/qualbench): see core/package-files.ts. */
export { PACKAGE_ROOT };

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

export interface EvalOutcome {
  runDir: string;
  interrupted: boolean;
  sent: number;
  cached: number;
  /** Completeness and provenance of the finished run (absent when interrupted). */
  trust?: RunTrust;
}

interface Plan {
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

function defaultRunDir(root: string, evalName: string): string {
  const stamp = runStamp();
  return join(root, 'runs', `${evalName}-${stamp}`);
}

/** Load and check everything before any request is sent; user errors surface here. */
async function plan(opts: EvalOptions, resumeManifest: RunManifest | null): Promise<Plan> {
  const loaded = loadEval(opts.root, resumeManifest?.eval.name ?? opts.evalName);
  const def = loaded.definition;
  const task = loadEvalTask(opts.root, def);
  const scorers = assertScorerIds(def.scorers, loaded.file);
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


/**
 * Every prompt version in every decoding mode. A constrained group is labelled `<version>+schema`
 * and adds `response_format: json_schema` with the contract to the model's extra body.
 */
function decodingGroups(
  task: LoadedTask,
  compiled: CompiledPrompt[],
  modes: readonly ('free' | 'json-schema')[],
  extraBody: Record<string, unknown> | undefined,
): Array<{ prompt: CompiledPrompt; extraBody: Record<string, unknown> | undefined }> {
  const groups: Array<{ prompt: CompiledPrompt; extraBody: Record<string, unknown> | undefined }> = [];
  for (const prompt of compiled) {
    for (const mode of modes) {
      if (mode === 'free') groups.push({ prompt, extraBody });
      else
        groups.push({
          prompt: { ...prompt, version: `${prompt.version}+schema` },
          extraBody: { ...extraBody, response_format: { type: 'json_schema', json_schema: { name: contractName(task), schema: task.contract, strict: true } } },
        });
    }
  }
  return groups;
}

/**
 * The name constrained decoding gives the contract. Candidate screening's predates declared tasks and
 * is part of its request keys (so of every stored answer); keeping it keeps the store's answers.
 */
function contractName(task: LoadedTask): string {
  const title = typeof task.contract.title === 'string' ? task.contract.title : task.definition.name;
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}


/**
 * `qualbench eval`: plan, probe the servers, run every model x prompt version, then score,
 * aggregate and report. Interrupted runs are resumed with `resume`.
 */
export async function runEval(opts: EvalOptions): Promise<EvalOutcome> {
  let runDir: string;
  let saved: RunManifest | null = null;
  if (opts.resume) {
    runDir = resolve(opts.root, opts.resume);
    const mf = join(runDir, RUN_FILES.manifest);
    if (!existsSync(mf)) throw new UserError('not a run directory (no manifest.json)', { file: relative(opts.root, runDir) || runDir, field: '--resume' });
    refuseLinks(runDir, relative(opts.root, runDir) || runDir);
    saved = readJsonFile(mf, RunManifest);
  } else {
    runDir = opts.out ? resolve(opts.root, opts.out) : '';
  }
  const p = await plan(opts, saved);
  if (!opts.resume) {
    runDir ||= defaultRunDir(opts.root, p.loaded.definition.name);
    if (existsSync(runDir) && !statSync(runDir).isDirectory()) {
      throw new UserError('the output path exists and is not a folder', { file: relative(opts.root, runDir) || runDir, field: '--out', hint: 'Name a new folder for the run, e.g. --out runs/my-run.' });
    }
    if (existsSync(runDir) && readdirSync(runDir).length > 0) {
      throw new UserError('the output directory already holds files', {
        file: relative(opts.root, runDir) || runDir,
        field: '--out',
        hint: existsSync(join(runDir, RUN_FILES.manifest))
          ? `To continue that run use --resume ${relative(opts.root, runDir) || runDir}; otherwise choose a new --out.`
          : 'It is not a run directory (no manifest.json): choose a new --out, e.g. --out runs/my-run.',
      });
    }
  }
  if (saved) checkResumable(saved, p.manifest, runDir);

  assertCreatable(runDir, opts.root);

  // Probe every running server before sending anything; a launched one is probed once it is up.
  const servers = new Map<string, ServerInfo>();
  for (const m of p.models) {
    if (m.launch) continue;
    // Every replica must serve the model before anything is sent; the first one's answers describe the pool.
    for (const url of endpoints(m).reverse()) servers.set(m.id, await probeServer(url, m.id, opts.env.apiKey(m.api_key_env)));
    refuseWhatWillFail(m, servers.get(m.id)!, p);
  }

  try {
    mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create the run directory (${(e as NodeJS.ErrnoException).code})`, { file: runDir, field: '--out' });
  }
  const unlock = lockRunDir(runDir);
  try {
    const manifest: RunManifest = saved ?? {
      ...p.manifest,
      models: p.manifest.models.map((m) => {
        const info = servers.get(m.id);
        return info ? { ...m, server: serverRecord(info, p.models.find((x) => x.id === m.id)!) } : m;
      }),
    };
    if (saved) {
      // A resume may reach a different server than the one that answered so far: record both, say so.
      let changed = false;
      manifest.models = manifest.models.map((m) => {
        const info = servers.get(m.id);
        if (!info) return m;
        const now = serverRecord(info, p.models.find((x) => x.id === m.id)!);
        if (m.server?.identity === now.identity) return m;
        changed = true;
        if (m.server?.identity) {
          opts.progress.log(
            `warning: ${m.label}: this run's earlier answers came from ${m.server.identity_label ?? m.server.identity}; the rest now come from ${now.identity_label}. The report will say its answers come from two servers.`,
          );
        }
        const previous = m.server?.identity ? [...(m.previous_servers ?? []), { identity: m.server.identity, identity_label: m.server.identity_label ?? m.server.identity }] : m.previous_servers;
        return { ...m, server: now, ...(previous ? { previous_servers: previous } : {}) };
      });
      if (changed) writeJsonAtomic(join(runDir, RUN_FILES.manifest), manifest);
    } else writeJsonAtomic(join(runDir, RUN_FILES.manifest), manifest);

    const resultsFile = join(runDir, RUN_FILES.results);
    if (opts.retryErrors) {
      const moved = await setAsideErrors(runDir);
      opts.progress.log(moved ? `--retry-errors: ${moved} items that ended in an error will be sent again (their error lines are kept in ${RETRIED_ERRORS})` : '--retry-errors: no item ended in an error');
    }
    const done = await readDoneSlots(resultsFile);
    const results = new JsonlAppender(resultsFile);
    const timing = new JsonlAppender(join(runDir, RUN_FILES.timing));
    const store = new ResponseStore(opts.storeDir);
    const random = mulberry32(p.loaded.definition.seed ^ 0x5eed);
    let sent = 0;
    let cached = 0;
    let interrupted = false;
    try {
      for (const model of p.models) {
        const pending = decodingGroups(p.task, p.compiled, p.loaded.definition.decoding, model.extra_body).some(({ prompt }) =>
          p.positions.some((i) => !done.has(slotId(model.id, prompt.version, p.dataset.ids[i]!))),
        );
        if (!pending) continue;
        const launched = model.launch ? await launchModelServer(model, runDir, manifest, opts) : null;
        let closePool = (): void => {};
        try {
          const apiKey = opts.env.apiKey(model.api_key_env);
          const urls = endpoints(model);
          const server = manifest.models.find((m) => m.id === model.id)?.server?.identity;
          let saidFallback = false;
          const onStreamFallback = (reason: string) => {
            if (saidFallback) return;
            saidFallback = true;
            opts.progress.log(`warning: ${model.label}: ${reason}; asking without streaming from now on (TTFT, TPOT and ITL are not measured for these answers)`);
          };
          const clientAt = (baseURL: string) =>
            opts.clientFor
              ? opts.clientFor({ ...model, base_url: baseURL }, apiKey)
              : createOpenAIChatClient({ baseURL, apiKey, stream: p.loaded.definition.stream, onStreamFallback });
          const pool = urls.length > 1 ? createReplicaPool(urls.map((baseURL) => ({ baseURL, client: clientAt(baseURL) }))) : null;
          closePool = () => pool?.close();
          const client = pool ?? clientAt(model.base_url);
          const policy: RunPolicy = {
            // A fixed concurrency is per replica.
            concurrency: model.concurrency === 'auto' ? AUTO_START * urls.length : model.concurrency * urls.length,
            timeoutMs: opts.timeoutMs ?? 120_000,
            maxAttempts: opts.maxAttempts ?? 5,
            ...(model.concurrency === 'auto' ? { auto: { readGauges: () => readGauges(model), ...autoInterval(servers.get(model.id) ?? manifestServer(manifest, model.id)) } } : {}),
          };
          for (const { prompt, extraBody } of decodingGroups(p.task, p.compiled, p.loaded.definition.decoding, model.extra_body)) {
            const remaining = p.positions.filter((i) => !done.has(slotId(model.id, prompt.version, p.dataset.ids[i]!))).length;
            if (remaining === 0) continue;
            opts.progress.start(`${model.label} ${prompt.version}`, remaining);
            const requests = (function* () {
              for (const i of p.positions) {
                if (done.has(slotId(model.id, prompt.version, p.dataset.ids[i]!))) continue;
                yield renderRequest(prompt, p.dataset.rowAt(i), { id: model.id, extra_body: extraBody, ...(server ? { server } : {}) }, p.sampling);
              }
            })();
            const before = await scrapeAll(model);
            const t = await runGroup({
              model: model.id,
              promptVersion: prompt.version,
              requests,
              client,
              store,
              record: (r) => results.append(r),
              done,
              policy,
              ...(server ? { server } : {}),
              random,
              signal: opts.signal,
              onEvent: (e) => opts.progress.tick({ cached: e.record.source === 'cached', error: e.record.error !== null, retries: e.retries }),
            });
            opts.progress.end();
            const after = before ? await scrapeAll(model) : null;
            const { interrupted: stopped, abandoned, ...segment } = t;
            if (abandoned > 0) opts.progress.log(`${abandoned} requests in flight were cut off after the drain time; --resume sends them again`);
            // The next prompt version of this model starts where this one settled.
            if (t.concurrency) policy.concurrency = t.concurrency.final;
            timing.append({ ...segment, ...(before && after ? { server_metrics: { before, after } } : {}) } satisfies GroupTiming);
            sent += t.sent;
            cached += t.cached;
            if (stopped) {
              interrupted = true;
              break;
            }
          }
        } finally {
          closePool();
          if (launched) {
            opts.progress.log(`Stopping the server for ${model.label}`);
            await launched.stop();
          }
        }
        if (interrupted) break;
      }
    } finally {
      results.close();
      store.close();
      timing.close();
    }
    if (interrupted) return { runDir, interrupted, sent, cached };
    const summary = await finishRun(runDir, itemLookup(p.dataset, p.positions), manifest, p.loaded.definition.seed, p.task);
    return { runDir, interrupted, sent, cached, ...(summary.trust ? { trust: summary.trust } : {}) };
  } finally {
    unlock();
    p.dataset.close();
  }
}

/**
 * Refuse, before anything is sent, what the server's probe already says will fail: a completion
 * budget (`max_tokens`) that leaves no room for a prompt in the model's context.
 */
function refuseWhatWillFail(model: ResolvedModel, info: ServerInfo, p: Plan): void {
  const maxTokens = p.sampling.max_tokens;
  if (info.max_model_len !== null && maxTokens !== undefined && maxTokens >= info.max_model_len) {
    throw new UserError(`max_tokens ${maxTokens} is not below the context length of \`${model.id}\` on ${model.base_url} (max_model_len ${info.max_model_len}): every request would be refused`, {
      file: p.loaded.file,
      field: 'sampling.max_tokens',
      hint: `Lower sampling.max_tokens below ${info.max_model_len} minus the longest prompt, or start the server with a larger --max-model-len.`,
    });
  }
}


/** The rows of a run by id, read from disk on demand (only those in the sample). */
export function itemLookup(dataset: DatasetIndex, positions: number[]): Pick<ReadonlyMap<string, ItemRow>, 'get'> {
  const inRun = new Set(positions.map((i) => dataset.ids[i]!));
  return { get: (id) => (inRun.has(id) ? dataset.get(id) : undefined) };
}

/** score -> aggregate -> report, from the files in the run directory. Sends nothing. */
export async function finishRun(runDir: string, items: Pick<ReadonlyMap<string, ItemRow>, 'get'>, manifest: RunManifest, seed: number, task: LoadedTask): Promise<Summary> {
  const scoresFile = join(runDir, RUN_FILES.scores);
  await scoreRun({
    resultsFile: join(runDir, RUN_FILES.results),
    scoresFile,
    scorers: assertScorerIds(manifest.scorers, join(runDir, RUN_FILES.manifest)),
    task: scoringTask(task),
    items,
  });
  const summary = await aggregateRun({ scoresFile, timingFile: join(runDir, RUN_FILES.timing), manifest, task: task.definition, seed });
  writeJsonAtomic(join(runDir, RUN_FILES.summary), summary);
  writeFileSync(join(runDir, RUN_FILES.report), renderMarkdownReport(summary, manifest));
  writeFileSync(join(runDir, RUN_FILES.html), renderHtmlReport(singleRun(summary, manifest)));
  return summary;
}
