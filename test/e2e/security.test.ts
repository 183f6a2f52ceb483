/**
 * API keys never land in anything a run writes; names cannot escape their folders.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { everyFile } from '../helpers/tmp.ts';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

describe('security', () => {
  it('keeps API keys out of run files, the store, logs and reports', async () => {
    const key = 'sk-qualbench-SECRET-7f3a9c';
    const sim = await spawnSimulator(['--speed', 'instant', '--api-key', key]);
    try {
      const root = tempProject();
      const models = JSON.parse(readFileSync(join(root, 'evals/models.json'), 'utf8')) as { models: Array<Record<string, unknown>> };
      models.models[1]!.api_key_env = 'TEAM_VLLM_KEY';
      writeFileSync(join(root, 'evals/models.json'), JSON.stringify(models, null, 2));
      // Without the key the server refuses, and the message names the variable, not a value.
      const refused = await runCli(['eval', '--sample', '3', '--model', 'google/gemma-3-4b-it', '--out', 'r0', '--base-url', sim.baseURL, '--store', 'store'], { cwd: root, env: { VLLM_API_KEY: '', OPENAI_API_KEY: '' } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/401/);
      const r = await runCli(['eval', '--sample', '6', '--model', 'google/gemma-3-4b-it', '--out', 'run', '--base-url', sim.baseURL, '--store', 'store'], {
        cwd: root,
        env: { TEAM_VLLM_KEY: key, OPENAI_API_KEY: key, VLLM_API_KEY: key },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(key);
      const files = [...everyFile(join(root, 'run')), ...everyFile(join(root, 'store'))];
      expect(files.length).toBeGreaterThan(5);
      for (const f of files) expect(readFileSync(f, 'utf8').includes(key), f).toBe(false);
    } finally {
      await sim.stop();
    }
  });

  it.each([
    [['eval', '--eval', '../x'], /eval name `\.\.\/x` is not a kebab-case name/],
    [['prompts', 'list', '../../etc'], /no prompt named `\.\.\/\.\.\/etc`/],
    [['datasets', 'stats', '../../etc'], /no dataset named `\.\.\/\.\.\/etc`/],
    [['prompts', 'diff', 'candidate-screening@v1', '..@v2'], /name@vN/],
  ])('refuses names that would escape their folder: %j', async (args, message) => {
    const r = await runCli(args, { cwd: tempProject() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
