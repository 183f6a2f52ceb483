/**
 * Unattended model matrix on one GPU: a model may carry a launch command (e.g. `vllm serve MODEL
 * --gpu-memory-utilization 0.8`); qualbench starts it, waits for GET /health, runs that model's groups,
 * stops it (SIGTERM to its process group, SIGKILL after a grace period) and moves on. The server's
 * output goes to a log in the run directory with every known secret replaced by `[redacted]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { RunAbortedError } from '../core/errors.ts';

export interface LaunchSpec {
  /** argv (run without a shell) or one string (run with /bin/sh -c). */
  command: string[] | string;
  /** Seconds to wait for /health to answer 200. */
  ready_timeout_s: number;
  /** Seconds between SIGTERM and SIGKILL when stopping. */
  stop_grace_s: number;
}

export interface LaunchedServer {
  pid: number;
  log: string;
  /** Stop the server and its children; resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Server processes still running, killed synchronously if qualbench exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Replace every secret (of 4+ characters) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * Secrets written literally in a launch command (`--api-key sk-...`, `--api-key=...`, `VLLM_API_KEY=...`,
 * `--hf-token ...`): they are redacted from the server's log like the ones from the environment, and the
 * caller warns, since a models config is usually committed. `$VARS` are left alone (the shell expands them).
 */
export function inlineSecrets(command: string[] | string): string[] {
  const text = typeof command === 'string' ? command : command.join(' ');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:--(?:api-key|hf-token|token)[= ]+|\b(?:[A-Z_]*API_KEY|HF_TOKEN|[A-Z_]*_TOKEN)=)(["']?)([^\s"']+)\1/g)) {
    const value = m[2]!;
    if (!value.startsWith('$') && value.length >= 4) out.push(value);
  }
  return out;
}

/** The launch command as shown in manifests and messages: `--api-key X` style values redacted. */
export function describeCommand(command: string[] | string, secrets: readonly string[]): string {
  const text = typeof command === 'string' ? command : command.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  return redact(text, secrets).replace(/(--api-key[= ])(\S+)/g, '$1[redacted]');
}

/**
 * Start a server and wait until GET <origin>/health answers 200.
 * @throws RunAbortedError when the command exits first or /health does not answer in time (the process is stopped).
 */
export async function launchServer(
  spec: LaunchSpec,
  opts: { baseURL: string; logFile: string; secrets: readonly string[]; env: NodeJS.ProcessEnv; signal?: AbortSignal; warn?: (message: string) => void },
): Promise<LaunchedServer> {
  installExitHook();
  const [file, args] = typeof spec.command === 'string' ? ['/bin/sh', ['-c', spec.command]] : [spec.command[0]!, spec.command.slice(1)];
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: opts.env });
  running.add(child);
  const inline = inlineSecrets(spec.command);
  if (inline.length) opts.warn?.('the launch command holds an API key or token written in full: it is kept out of the server log, but a models config is usually committed; write it as $VLLM_API_KEY (the shell expands it) and set the variable instead');
  const secrets = [...opts.secrets, ...inline];
  const write = (d: Buffer) => log.write(redact(d.toString(), secrets));
  child.stdout!.on('data', write);
  child.stderr!.on('data', write);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve();
    });
    child.on('error', (e) => {
      spawnError = e;
      running.delete(child);
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited || spawnError) {
      log.end();
      return;
    }
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), spec.stop_grace_s * 1000);
    await exitPromise;
    clearTimeout(timer);
    await new Promise<void>((r) => log.end(r));
  };

  const health = `${opts.baseURL.replace(/\/v1\/?$/, '')}/health`;
  const deadline = Date.now() + spec.ready_timeout_s * 1000;
  const shown = describeCommand(spec.command, secrets);
  for (;;) {
    if (spawnError) {
      await stop();
      throw new RunAbortedError(`cannot start the server: ${(spawnError as Error).message}`, `Launch command: ${shown}. Check that the program is installed and on PATH.`);
    }
    if (exited) {
      await stop();
      const e = exited as { code: number | null; signal: NodeJS.Signals | null };
      throw new RunAbortedError(`the launch command exited (${e.signal ?? `code ${e.code}`}) before ${health} answered`, `Launch command: ${shown}. Its output is in ${opts.logFile}.`);
    }
    if (opts.signal?.aborted) {
      await stop();
      throw new RunAbortedError('interrupted while waiting for the server to start', 'The run is resumable; nothing was sent to this model yet.');
    }
    if (Date.now() > deadline) {
      await stop();
      throw new RunAbortedError(`the server did not answer ${health} within ${spec.ready_timeout_s} s`, `Launch command: ${shown}. Its output is in ${opts.logFile}; raise launch.ready_timeout_s for large models.`);
    }
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid!, log: opts.logFile, stop };
}
