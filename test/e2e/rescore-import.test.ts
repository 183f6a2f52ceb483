/**
 * Re-score without the model, and score outputs produced elsewhere (vllm run-batch, OpenAI Batch),
 * through the CLI as a user runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSimulator } from '../helpers/sim-process.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('rescore', () => {
  let sim: Awaited<ReturnType<typeof spawnSimulator>>;
  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant']);
  });
  afterAll(async () => sim?.stop());

  it('recomputes scores, summary and report from stored results and sends nothing', async () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    const first = await runCli(['eval', '--sample', '15', '--model', 'google/gemma-3-4b-it', '--out', run, '--base-url', sim.baseURL, '--store', join(dir, 'store'), '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const scores = readFileSync(join(run, 'scores.jsonl'), 'utf8');
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    writeFileSync(join(run, 'scores.jsonl'), ''); // lose the scores: rescore must rebuild them
    const before = await sim.chatRequests();
    const again = await runCli(['rescore', run]);
    expect(again.code, again.stderr).toBe(0);
    expect(await sim.chatRequests()).toBe(before);
    expect(readFileSync(join(run, 'scores.jsonl'), 'utf8')).toBe(scores);
    const rescored = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    expect({ ...rescored, created_at: null }).toEqual({ ...summary, created_at: null });
  });
});

describe('import', () => {
  const ids = readFileSync(join(REPO_ROOT, 'datasets/candidates-golden/data.jsonl'), 'utf8')
    .split('\n')
    .slice(0, 4)
    .map((l) => (JSON.parse(l) as { id: string }).id);
  const answer = JSON.stringify({
    recommendation: 'Yes',
    reasoning: 'Solid engineering record with steady promotions across strong companies.',
    analysis: Object.fromEntries(['educational_pedigree', 'company_pedigree', 'trajectory', 'is_software_engineer'].map((d) => [d, { rating: 'Good', reasoning: 'Evidence in the profile.' }])),
  });
  const completion = (content: string) => ({
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: 'google/gemma-3-4b-it',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 500, completion_tokens: 120, total_tokens: 620 },
  });

  it.each([
    [
      'vllm run-batch',
      [
        { id: 'vllm-1', custom_id: ids[0], response: { status_code: 200, request_id: 'r1', body: completion(answer) }, error: null },
        { id: 'vllm-2', custom_id: ids[1], response: { status_code: 200, request_id: 'r2', body: completion('Please fill in the fields below: recommendation: ___') }, error: null },
        { id: 'vllm-3', custom_id: ids[2], response: { status_code: 400, request_id: 'r3', body: null }, error: { error: { message: "This model's maximum context length is 8192 tokens.", type: 'BadRequestError', param: 'input_tokens', code: 400 } } },
        { id: 'vllm-4', custom_id: ids[3], response: { status_code: 400, request_id: 'r4', body: null }, error: 'Request must not be sent in stream mode' },
      ],
    ],
    [
      'OpenAI Batch',
      [
        { id: 'batch_req_1', custom_id: ids[0], response: { status_code: 200, request_id: 'q1', body: completion(answer) }, error: null },
        { id: 'batch_req_2', custom_id: ids[1], response: { status_code: 200, request_id: 'q2', body: completion('```json\n' + answer + '\n```') }, error: null },
        { id: 'batch_req_3', custom_id: ids[2], response: { status_code: 429, request_id: 'q3', body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } }, error: null },
        { id: 'batch_req_4', custom_id: ids[3], response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } },
      ],
    ],
  ])('scores a %s output file, errors included', async (_kind, rows) => {
    const dir = tempDir();
    const file = join(dir, 'output.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = join(dir, 'run');
    const r = await runCli(['import', file, '--model', 'google/gemma-3-4b-it', '--prompt-version', 'v2', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ imported: 4, errors: 2 });
    const results = lines(join(out, 'results.jsonl'));
    expect(results.map((x) => x.item_id).sort()).toEqual([...ids].sort());
    const scores = lines(join(out, 'scores.jsonl'));
    const byId = new Map(scores.map((s) => [s.item_id, s as { scores: Record<string, { score: number | null; label?: string }>; request_error: unknown }]));
    expect(byId.get(ids[0]!)!.scores['schema']!.score).toBe(1);
    expect(byId.get(ids[1]!)!.scores['follows-instructions']!.score).toBe(0);
    expect(byId.get(ids[2]!)!.request_error).not.toBeNull();
    expect(byId.get(ids[3]!)!.request_error).not.toBeNull();
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.groups[0].errors.total).toBe(2);
    // Completeness is judged on the items the file covers (4 of the 605), and the source is the file.
    expect(summary.trust).toMatchObject({ complete: false, expected: 4, recorded: 4, errored: 2, missing: 0 });
    expect(summary.trust.groups[0].sources).toEqual([{ how: 'imported', server: expect.stringMatching(/^imported:.*output\.jsonl$/), label: expect.stringMatching(/^imported from .*output\.jsonl$/), count: 2 }]);
    // The model is labelled as in the models config.
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| Gemma 3 4B \| v2 \|/);
  });
});

describe('export-batch -> run-batch -> import', () => {
  it('round-trips: scores equal those of a direct eval on the same items', async () => {
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const dir = tempDir();
      const model = 'meta-llama/Llama-3.2-1B-Instruct';
      const exported = await runCli(['export-batch', '--sample', '12', '--model', model, '--out', join(dir, 'batch'), '--json']);
      expect(exported.code, exported.stderr).toBe(0);
      const files = (JSON.parse(exported.stdout.trim()) as { files: Array<{ file: string; prompt_version: string }> }).files;
      expect(files.map((f) => f.prompt_version)).toEqual(['v1', 'v2', 'v3']);
      const v3 = files.find((f) => f.prompt_version === 'v3')!;
      // Play `vllm run-batch`: send each body to the (simulated) server, write its output format.
      const input = lines(join(REPO_ROOT, v3.file)) as Array<{ custom_id: string; url: string; body: unknown }>;
      expect(input).toHaveLength(12);
      const output: string[] = [];
      for (const line of input) {
        const res = await fetch(`${sim.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(line.body) });
        output.push(JSON.stringify({ id: `vllm-${line.custom_id}`, custom_id: line.custom_id, response: { status_code: res.status, request_id: 'r', body: await res.json() }, error: null }));
      }
      const outFile = join(dir, 'output.jsonl');
      writeFileSync(outFile, output.join('\n') + '\n');
      const imported = await runCli(['import', outFile, '--model', model, '--prompt-version', 'v3', '--out', join(dir, 'imported'), '--json']);
      expect(imported.code, imported.stderr).toBe(0);
      const direct = await runCli(['eval', '--sample', '12', '--model', model, '--out', join(dir, 'direct'), '--base-url', sim.baseURL, '--store', join(dir, 'store'), '--quiet']);
      expect(direct.code, direct.stderr).toBe(0);
      const scoresOf = (run: string, version: string) =>
        lines(join(dir, run, 'scores.jsonl'))
          .filter((s) => s.prompt_version === version)
          .map((s) => JSON.stringify([s.item_id, s.scores, s.prediction]))
          .sort();
      expect(scoresOf('imported', 'v3')).toEqual(scoresOf('direct', 'v3'));
    } finally {
      await sim.stop();
    }
  });
});

describe('import refuses what it cannot score, and leaves nothing behind', () => {
  it('a folder: exit 2, said to be a folder', async () => {
    const dir = tempDir();
    const r = await runCli(['import', dir, '--model', 'google/gemma-3-4b-it', '--prompt-version', 'v2', '--out', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/this is a folder, not a batch output file/);
  });

  const cases: Array<[string, string, string[], RegExp]> = [
    ['an empty file', '', ['--prompt-version', 'v2'], /no line of the file answers an item[\s\S]*The file is empty/],
    ['a batch input file', JSON.stringify({ custom_id: 'cand-0001', method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: 'x' }] } }) + '\n', ['--prompt-version', 'v2'], /batch INPUT file/],
    ['ids of another dataset', JSON.stringify({ custom_id: 'ticket-9', response: { status_code: 200, body: { choices: [{ message: { content: '{}' } }] } } }) + '\n', ['--prompt-version', 'v2'], /not item ids of this eval's dataset/],
    ['a custom_id twice', [1, 2].map(() => JSON.stringify({ custom_id: 'cand-0001', response: { status_code: 200, body: { choices: [{ message: { content: '{}' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } } } })).join('\n') + '\n', ['--prompt-version', 'v2'], /field `custom_id`: 1 custom_id\(s\) appear on more than one line \(cand-0001\)/],
    ['a /score batch output', JSON.stringify({ id: 'b-1', custom_id: 'cand-0001', response: { status_code: 200, request_id: 'r-1', body: { id: 'score-1', object: 'list', created: 1, model: 'm', data: [{ index: 0, object: 'score', score: 0.93 }], usage: { prompt_tokens: 9 } } }, error: null }) + '\n', ['--prompt-version', 'v2'], /output\.jsonl:1: the file is the output of a \/score batch, not of \/v1\/chat\/completions[\s\S]*qualbench export-batch/],
    ['a /rerank batch output', JSON.stringify({ id: 'b-1', custom_id: 'cand-0001', response: { status_code: 200, request_id: 'r-1', body: { id: 'rerank-1', model: 'm', usage: { total_tokens: 9 }, results: [{ index: 0, document: { text: 'x' }, relevance_score: 0.5 }] } }, error: null }) + '\n', ['--prompt-version', 'v2'], /the file is the output of a \/rerank batch/],
    ['a /v1/embeddings batch output', JSON.stringify({ id: 'b-1', custom_id: 'cand-0001', response: { status_code: 200, request_id: 'r-1', body: { id: 'emb-1', object: 'list', created: 1, model: 'm', data: [{ index: 0, object: 'embedding', embedding: [0.1, 0.2] }], usage: { prompt_tokens: 2 } } }, error: null }) + '\n', ['--prompt-version', 'v2'], /the file is the output of a \/v1\/embeddings batch/],
    ['a /v1/completions output', JSON.stringify({ id: 'b-1', custom_id: 'cand-0001', response: { status_code: 200, request_id: 'r-1', body: { id: 'cmpl-1', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: '{{}}', finish_reason: 'stop' }] } }, error: null }) + '\n', ['--prompt-version', 'v2'], /the file is the output of a \/v1\/completions \(text completions\) batch/],
    ['an embeddings request file', JSON.stringify({ custom_id: 'cand-0001', method: 'POST', url: '/v1/embeddings', body: { model: 'm', input: 'x' } }) + '\n', ['--prompt-version', 'v2'], /the file is a batch INPUT file \(requests to \/v1\/embeddings\)/],
    ['an OpenAI Batch error file', [1, 2].map((i) => JSON.stringify({ id: `b-${i}`, custom_id: `cand-000${i}`, response: null, error: { code: 'batch_expired', message: 'could not be executed before the completion window expired' } })).join('\n') + '\n', ['--prompt-version', 'v2'], /output\.jsonl:1: every one of the 2 lines answering an item is a failed request[\s\S]*First error: batch_expired[\s\S]*error_file_id/],
    ['a JSON array of answers', JSON.stringify([{ custom_id: 'cand-0001', response: { status_code: 200, body: { choices: [{ message: { content: '{}' } }] } } }]) + '\n', ['--prompt-version', 'v2'], /output\.jsonl:1: the file is a JSON array, not JSONL[\s\S]*one JSON object per line/],
    ['no --prompt-version with several versions', JSON.stringify({ custom_id: 'cand-0001', response: { status_code: 200, body: { choices: [{ message: { content: '{}' } }] } } }) + '\n', [], /field `--prompt-version`: the eval has prompt versions v1, v2, v3/],
  ];
  it.each(cases)('%s: exit 2, named, no run directory left', async (_name, text, extra, re) => {
    const dir = tempDir();
    const file = join(dir, 'output.jsonl');
    writeFileSync(file, text);
    const out = join(dir, 'run');
    const r = await runCli(['import', file, '--model', 'google/gemma-3-4b-it', '--out', out, ...extra]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(existsSync(out)).toBe(false);
  });
});

