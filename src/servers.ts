/**
 * The model servers of a run, for the composition root: their endpoints (replicas), their /metrics counters
 * and gauges, what the manifest records of them, and the servers qualbench launches itself.
 */
import { join } from 'node:path';
import { RUN_FILES, type RunManifest } from './core/records.ts';
import type { ResolvedModel } from './load/load-models.ts';
import { probeServer, type ServerInfo } from './run/probe.ts';
import { describeCommand, inlineSecrets, launchServer, type LaunchedServer } from './run/launch.ts';
import type { ServerGauges } from './run/concurrency.ts';
import { scrapeServerMetrics } from './run/server-metrics.ts';
import { serverIdentity } from './core/server-identity.ts';
import { writeJsonAtomic } from './run-dir.ts';
import type { QualbenchEnv } from './core/env.ts';
import type { Progress } from './progress.ts';

/** Where `concurrency: "auto"` starts (it grows by a quarter each second while the server has room). */
export const AUTO_START = 64;

/** The base URLs requests go to: the replicas, or the one base URL. */
export function endpoints(model: ResolvedModel): string[] {
  return model.replicas && model.replicas.length > 0 ? [...model.replicas] : [model.base_url];
}

/** The model's vLLM counters summed over its replicas (gauges too: running and waiting add up); null if none answers. */
export async function scrapeAll(model: ResolvedModel, timeoutMs?: number): Promise<Record<string, number> | null> {
  const all = await Promise.all(endpoints(model).map((u) => scrapeServerMetrics(u, model.id, timeoutMs)));
  const found = all.filter((x): x is Record<string, number> => x !== null);
  if (found.length === 0) return null;
  const out: Record<string, number> = {};
  for (const m of found) for (const [k, v] of Object.entries(m)) out[k] = k === 'kv_cache_usage' ? Math.max(out[k] ?? 0, v) : (out[k] ?? 0) + v;
  return out;
}

export async function readGauges(model: ResolvedModel): Promise<ServerGauges | null> {
  const m = await scrapeAll(model, 2_000);
  if (!m || m.requests_running === undefined || m.requests_waiting === undefined) return null;
  return {
    running: m.requests_running,
    waiting: m.requests_waiting,
    ...(m.kv_cache_usage !== undefined ? { kvUsage: m.kv_cache_usage } : {}),
    ...(m.preemptions !== undefined ? { preemptions: m.preemptions } : {}),
    ...(m.sim_virtual_seconds !== undefined ? { clockS: m.sim_virtual_seconds } : {}),
  };
}

/**
 * Against the simulator, `auto` concurrency steps once per simulated second (as against a GPU) rather
 * than per wall second: it polls `speed` times as often and skips polls until its clock has moved a second.
 */
export function autoInterval(server: Pick<ServerInfo, 'simulator'> | null | undefined): { intervalMs?: number } {
  const speed = server?.simulator?.speed;
  return typeof speed === 'number' && speed > 1 ? { intervalMs: Math.max(100, Math.round(1000 / speed)) } : {};
}

export function manifestServer(manifest: RunManifest, id: string): Pick<ServerInfo, 'simulator'> | undefined {
  return manifest.models.find((m) => m.id === id)?.server as Pick<ServerInfo, 'simulator'> | undefined;
}

export function serverRecord(info: ServerInfo, model: ResolvedModel): NonNullable<RunManifest['models'][number]['server']> {
  const identity = serverIdentity({ urls: endpoints(model), vllm_version: info.vllm_version, root: info.root, simulator: info.simulator });
  return { vllm_version: info.vllm_version, max_model_len: info.max_model_len, root: info.root, simulator: info.simulator, identity: identity.id, identity_label: identity.label };
}


/**
 * Start a model's server (its `launch` command), wait for /health, probe it and record it in the
 * manifest. The server's output goes to `server-<n>.log` in the run directory, secrets redacted.
 */
export async function launchModelServer(
  model: ResolvedModel,
  runDir: string,
  manifest: RunManifest,
  opts: { env: QualbenchEnv; progress: Progress; signal?: AbortSignal | undefined },
): Promise<LaunchedServer> {
  const secrets = opts.env.secrets([model.api_key_env]);
  const index = manifest.models.findIndex((m) => m.id === model.id);
  // Keys written into the command itself are redacted everywhere the command is shown.
  const shownSecrets = [...secrets, ...inlineSecrets(model.launch!.command)];
  opts.progress.log(`Starting the server for ${model.label}: ${describeCommand(model.launch!.command, shownSecrets)}`);
  const launched = await launchServer(model.launch!, {
    baseURL: model.base_url,
    logFile: join(runDir, `server-${index + 1}.log`),
    secrets,
    env: opts.env.childEnv(model.launch!.env),
    signal: opts.signal,
    warn: (m) => opts.progress.log(`warning: ${model.label}: ${m}`),
  });
  try {
    const info = await probeServer(model.base_url, model.id, opts.env.apiKey(model.api_key_env));
    const before = manifest.models[index]!;
    const now = serverRecord(info, model);
    const previous =
      before.server?.identity && before.server.identity !== now.identity
        ? [...(before.previous_servers ?? []), { identity: before.server.identity, identity_label: before.server.identity_label ?? before.server.identity }]
        : before.previous_servers;
    manifest.models[index] = { ...before, server: now, ...(previous ? { previous_servers: previous } : {}), launch_command: describeCommand(model.launch!.command, shownSecrets) };
    writeJsonAtomic(join(runDir, RUN_FILES.manifest), manifest);
  } catch (e) {
    await launched.stop();
    throw e;
  }
  return launched;
}
