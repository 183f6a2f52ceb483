import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';

describe('constrained decoding (decoding: ["free", "json-schema"])', () => {
  let sim: Awaited<ReturnType<typeof spawnSimulator>>;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant']);
  });
  afterAll(async () => sim?.stop());

  it('runs each prompt version free and constrained, side by side', async () => {
    const root = tempProject({ eval: (d) => Object.assign(d, { decoding: ['free', 'json-schema'], prompt_versions: ['v1'] }) });
    const r = await runCli(['eval', '--sample', '40', '--model', 'meta-llama/Llama-3.2-1B-Instruct', '--out', 'run', '--base-url', sim.baseURL, '--store', 'store', '--quiet'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(root, 'run/summary.json'), 'utf8')) as { groups: Array<{ prompt_version: string; items: number; validity: { schema_valid_rate: number; json_strict_rate: number } }> };
    const free = summary.groups.find((g) => g.prompt_version === 'v1')!;
    const constrained = summary.groups.find((g) => g.prompt_version === 'v1+schema')!;
    expect(free.items).toBe(40);
    expect(constrained.items).toBe(40);
    expect(constrained.validity.schema_valid_rate).toBe(1);
    expect(constrained.validity.json_strict_rate).toBe(1);
    expect(free.validity.schema_valid_rate).toBeLessThan(0.6);
    const requests = readFileSync(join(root, 'run/results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string; prompt_version: string });
    const keys = new Set(requests.map((x) => x.key));
    expect(keys.size).toBe(80); // the constraint is part of the request key
    expect(readFileSync(join(root, 'run/report.md'), 'utf8')).toMatch(/v1\+schema/);
  });
});
