/**
 * Unattended model matrix: each model's launch command starts its server (here the simulator, as
 * `vllm serve` would be on a GPU), qualbench waits for /health, runs, stops it, and starts the next.
 * Both servers use the same port, so the second cannot start unless the first was stopped (one GPU).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, REPO_ROOT } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const SIM = join(REPO_ROOT, 'src/sim/main.ts');
const SECRET = 'sk-launch-SECRET-41c7';

function writeModels(root: string, models: unknown[]): void {
  writeFileSync(join(root, 'evals/models.json'), JSON.stringify({ models }, null, 2));
}

describe('launch commands', () => {
  it('starts each model\'s server in turn, waits for /health, runs it, stops it, and records it', async () => {
    const root = tempProject();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/v1`;
    const launch = { command: [process.execPath, SIM, '--port', String(port), '--speed', 'instant', '--api-key', SECRET], ready_timeout_s: 30, stop_grace_s: 5 };
    writeModels(root, [
      { id: 'meta-llama/Llama-3.2-1B-Instruct', label: 'Llama 3.2 1B', base_url: base, api_key_env: 'LAUNCH_KEY', launch },
      { id: 'google/gemma-3-4b-it', label: 'Gemma 3 4B', base_url: base, api_key_env: 'LAUNCH_KEY', launch },
    ]);
    const r = await runCli(['eval', '--sample', '8', '--out', 'run', '--store', 'store'], { cwd: root, env: { LAUNCH_KEY: SECRET } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Starting the server for Llama 3\.2 1B/);
    expect(r.stderr).toMatch(/Stopping the server for Gemma 3 4B/);
    const results = readFileSync(join(root, 'run/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { model: string; error: unknown });
    expect(results).toHaveLength(2 * 3 * 8);
    expect(results.every((x) => x.error === null)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(root, 'run/manifest.json'), 'utf8')) as { models: Array<{ server?: { simulator: unknown }; launch_command?: string }> };
    for (const m of manifest.models) {
      expect(m.server!.simulator).toMatchObject({ speed: 'instant' });
      expect(m.launch_command).toMatch(/main\.ts --port \d+ --speed instant --api-key \[redacted\]/);
    }
    // Stopped: nothing listens on the port any more.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    // Logs are kept, and the key is nowhere in the run directory or the output.
    expect(existsSync(join(root, 'run/server-1.log'))).toBe(true);
    for (const f of readdirSync(join(root, 'run'))) expect(readFileSync(join(root, 'run', f), 'utf8').includes(SECRET), f).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('stops with exit 3 and points at the log when the server exits before it is healthy', async () => {
    const root = tempProject();
    const port = await freePort();
    writeModels(root, [
      { id: 'google/gemma-3-4b-it', base_url: `http://127.0.0.1:${port}/v1`, launch: { command: `echo "loading weights"; echo "CUDA out of memory" >&2; exit 7`, ready_timeout_s: 20 } },
    ]);
    const r = await runCli(['eval', '--sample', '4', '--out', 'run', '--store', 'store'], { cwd: root });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the launch command exited \(code 7\) before http:\/\/127\.0\.0\.1:\d+\/health answered/);
    expect(r.stderr).toMatch(/server-1\.log/);
    expect(readFileSync(join(root, 'run/server-1.log'), 'utf8')).toContain('CUDA out of memory');
  });

  it('gives up after ready_timeout_s and stops the process it started', async () => {
    const root = tempProject();
    const port = await freePort();
    writeModels(root, [{ id: 'google/gemma-3-4b-it', base_url: `http://127.0.0.1:${port}/v1`, launch: { command: ['sleep', '60'], ready_timeout_s: 1, stop_grace_s: 1 } }]);
    const r = await runCli(['eval', '--sample', '4', '--out', 'run', '--store', 'store'], { cwd: root });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/did not answer .*\/health within 1 s/);
  });
});
