/**
 * `qualbench batch`: an eval on an OpenAI-compatible hosted Batch API (a local fake of its endpoints):
 * export, upload, create, poll, download, score. The key stays out of every file; a resumed job
 * polls the batch it already created instead of submitting a second one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { everyFile } from '../helpers/tmp.ts';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { tempProject } from '../helpers/project.ts';
import { startFakeBatchApi, type FakeBatchApi } from '../helpers/fake-batch-api.ts';

const KEY = 'sk-hosted-batch-SECRET-9e21';
const MODEL = 'google/gemma-3-4b-it';
let api: FakeBatchApi | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

describe('qualbench batch (hosted Batch API)', () => {
  it('exports, uploads, creates, polls, downloads and scores; errors recorded, the key written nowhere', async () => {
    api = await startFakeBatchApi({ apiKey: KEY });
    const root = tempProject();
    const r = await runCli(['batch', '--model', MODEL, '--prompt-version', 'v2', '--sample', '20', '--base-url', api.baseURL, '--out', 'job', '--poll-ms', '20', '--json'], { cwd: root, env: { OPENAI_API_KEY: KEY } });
    expect(r.code, r.stderr).toBe(0);
    const done = JSON.parse(r.stdout.trim().split('\n').pop()!) as { event: string; status: string; imported: number; errors: number };
    expect(done).toMatchObject({ event: 'batch-done', status: 'completed', imported: 20, errors: 4 });
    expect(api.batchesCreated).toBe(1);
    const results = readFileSync(join(root, 'job/run/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { item_id: string; error: unknown });
    expect(results).toHaveLength(20);
    expect(new Set(results.map((x) => x.item_id)).size).toBe(20);
    expect(results.filter((x) => x.error !== null)).toHaveLength(4);
    const summary = JSON.parse(readFileSync(join(root, 'job/run/summary.json'), 'utf8')) as { groups: Array<{ validity: { schema_valid_rate: number } }> };
    expect(summary.groups[0]!.validity.schema_valid_rate).toBe(1);
    for (const f of everyFile(join(root, 'job'))) expect(readFileSync(f, 'utf8').includes(KEY), f).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('resumes a job without submitting the batch again', async () => {
    api = await startFakeBatchApi({ apiKey: KEY });
    const root = tempProject();
    const first = await runCli(['batch', '--model', MODEL, '--sample', '10', '--base-url', api.baseURL, '--out', 'job', '--poll-ms', '20', '--quiet'], { cwd: root, env: { OPENAI_API_KEY: KEY } });
    expect(first.code, first.stderr).toBe(0);
    // As if the process died after the batch was created: drop everything downloaded or scored.
    rmSync(join(root, 'job/run'), { recursive: true });
    rmSync(join(root, 'job/output.jsonl'));
    const again = await runCli(['batch', '--resume', 'job', '--poll-ms', '20', '--quiet'], { cwd: root, env: { OPENAI_API_KEY: KEY } });
    expect(again.code, again.stderr).toBe(0);
    expect(api.batchesCreated).toBe(1);
    expect(api.uploads).toBe(1);
    expect(readFileSync(join(root, 'job/run/results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(10);
  });

  it('refuses a wrong key with the provider\'s 401, naming what to set', async () => {
    api = await startFakeBatchApi({ apiKey: KEY });
    const root = tempProject();
    const r = await runCli(['batch', '--model', MODEL, '--sample', '5', '--base-url', api.baseURL, '--out', 'job', '--poll-ms', '20'], { cwd: root, env: { OPENAI_API_KEY: 'sk-wrong', VLLM_API_KEY: '' } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/401/);
    expect(api.batchesCreated).toBe(0);
  });
});
