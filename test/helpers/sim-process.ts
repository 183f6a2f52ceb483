/**
 * Start the vLLM-compatible simulator as a separate process (as users and the CLI do) and read its
 * counters from /metrics.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SimProcess {
  /** OpenAI base URL, ending in `/v1`. */
  baseURL: string;
  port: number;
  /** POST /v1/chat/completions requests received (any status), for one model or all. */
  chatRequests(model?: string): Promise<number>;
  /** The raw /metrics text. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
  /** SIGKILL: the server dies mid-request, as a crashed replica would. */
  kill(): Promise<void>;
}

function sumSeries(text: string, name: string, where: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([^{\s]+)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(where).every(([k, v]) => labels[k] === v)) total += Number(m[3]);
  }
  return total;
}

/** Spawn `node src/sim/main.ts --port 0 ...args` from the repo root; resolves once it listens. */
export function spawnSimulator(args: string[] = [], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SimProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'src/sim/main.ts'), '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the simulator did not start within ${opts.timeoutMs ?? 20_000} ms\n${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (code ${code}, signal ${signal}) before listening\n${stderr}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^qualbench-sim listening on (http:\/\/[^\s]+):(\d+)$/m.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const origin = `${m[1]}:${m[2]}`;
      const metrics = async () => {
        const res = await fetch(`${origin}/metrics`);
        return res.text();
      };
      resolvePromise({
        baseURL: `${origin}/v1`,
        port: Number(m[2]),
        metrics,
        async chatRequests(model?: string) {
          return sumSeries(await metrics(), 'qualbench_sim_chat_requests_total', model ? { model_name: model } : {});
        },
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}
