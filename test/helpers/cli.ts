import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'src/cli.ts');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the qualbench CLI as a user would: a separate Node process, from the repo root. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const child = startCli(args, opts);
  return waitCli(child, opts.timeoutMs ?? 120_000);
}

export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, CI: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function waitCli(child: ChildProcess, timeoutMs = 120_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res, rej) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`CLI timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(t);
      res({ code, signal, stdout, stderr });
    });
  });
}
