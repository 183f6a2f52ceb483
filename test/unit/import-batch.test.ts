import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importBatchOutput, readBatchLine } from '../../src/run/import-batch.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { aggregateRun } from '../../src/aggregate/aggregate-run.ts';
import { UserError } from '../../src/core/errors.ts';
import { ResultRecord, ScoreRecord } from '../../src/core/records.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, row } from './aggregate-fixture.ts';
// Candidate screening with its module (the instruction check), as the public API scores by default.
import { publicDefaultTask } from '../../src/public-scoring.ts';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/batch');
const items = new Map(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((id) => [id, row(id, 'Yes')]));
const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);

async function importAndScore(fixture: string, model: string) {
  const dir = tempDir();
  const resultsFile = join(dir, 'results.jsonl');
  const scoresFile = join(dir, 'scores.jsonl');
  const outcome = await importBatchOutput({ file: join(FIXTURES, fixture), model, promptVersion: 'v1', ids: items.keys(), resultsFile, now: () => new Date('2025-01-01T00:00:00Z') });
  const results = lines(resultsFile).map((l) => ResultRecord.parse(l));
  await scoreRun({ resultsFile, scoresFile, scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match', 'follows-instructions'], items, task: publicDefaultTask() });
  const scores = lines(scoresFile).map((l) => ScoreRecord.parse(l));
  const summary = await aggregateRun({
    scoresFile,
    timingFile: join(dir, 'timing.jsonl'),
    manifest: { ...MANIFEST, models: [{ id: model, label: model, base_url: 'batch', concurrency: 1 }], scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match', 'follows-instructions'] },
    task: TASK,
    seed: 1,
    resamples: 50,
  });
  const byId = (id: string) => results.find((r) => r.item_id === id)!;
  const scoreOf = (id: string) => scores.find((s) => s.item_id === id)!;
  return { outcome, results, scores, summary, byId, scoreOf };
}

describe('importBatchOutput: vllm run-batch', () => {
  it('reads answers, both error placements and the older unwrapped form, and skips unknown ids', async () => {
    const { outcome, byId, scoreOf, summary } = await importAndScore('vllm-run-batch-output.jsonl', 'llama-1b');
    expect(outcome).toEqual({ imported: 5, distinct: 5, errors: 2, unknownIds: ['zz-not-in-dataset'], missingIds: ['c6', 'c7'], duplicateIds: [], firstError: { line: 3, message: expect.stringMatching(/maximum context length/) } });

    expect(byId('c1').response).toMatchObject({ finish_reason: 'stop', usage: { prompt_tokens: 412, completion_tokens: 100 }, model: 'meta-llama/Llama-3.2-1B-Instruct', reasoning: null });
    expect(byId('c1')).toMatchObject({ model: 'llama-1b', prompt_version: 'v1', source: 'sent', latency_ms: null, error: null, started_at: '2025-01-02T03:04:05.000Z' });
    // Error envelope {"error": {...}} with status_code 400 and body null.
    expect(byId('c3')).toMatchObject({ response: null, error: { kind: 'http', status: 400 } });
    expect(byId('c3').error!.message).toMatch(/maximum context length/);
    // Plain string error.
    expect(byId('c4')).toMatchObject({ response: null, error: { kind: 'http', status: 400, message: 'Request must not be sent in stream mode' } });
    // Older form: `response` is the ChatCompletion itself.
    expect(byId('c5').response!.content).toMatch(/^```json/);

    expect(scoreOf('c1').scores['json-strict']).toMatchObject({ score: 1, label: 'ok' });
    expect(scoreOf('c2').scores['follows-instructions']).toMatchObject({ score: 0, label: 'fill-in-request' });
    expect(scoreOf('c3').scores['schema']).toEqual({ score: null, reason: 'request failed: http' });
    expect(scoreOf('c5').scores['json-strict']).toMatchObject({ score: 0, label: 'fenced' });
    const g = summary.groups[0]!;
    expect(g).toMatchObject({ items: 5, answered: 3, errors: { total: 2 } });
    expect(g.validity.instruction_classes).toEqual({ followed: 2, 'fill-in-request': 1 });
    expect(g.speed).toMatchObject({ wall_ms: null, requests_per_s: null });
  });
});

describe('importBatchOutput: OpenAI Batch API', () => {
  it('reads HTTP errors from response.status_code and the body, and non-HTTP errors from `error`', async () => {
    const { outcome, byId, scoreOf } = await importAndScore('openai-batch-output.jsonl', 'gpt-4o-mini');
    expect(outcome).toEqual({ imported: 6, distinct: 6, errors: 4, unknownIds: [], missingIds: ['c7'], duplicateIds: [], firstError: { line: 2, message: 'Rate limit reached for requests' } });
    expect(byId('c2').error).toEqual({ kind: 'rate-limit', status: 429, message: 'Rate limit reached for requests' });
    expect(byId('c3').error).toEqual({ kind: 'http', status: 400, message: "Invalid 'messages': empty array." });
    expect(byId('c4').error).toEqual({ kind: 'timeout', status: null, message: 'batch_expired: This request could not be executed before the completion window expired.' });
    expect(byId('c6').error).toMatchObject({ kind: 'server', status: 500 });
    expect(byId('c5').response).toMatchObject({ finish_reason: 'length', model: 'gpt-4o-mini-2024-07-18' });
    expect(scoreOf('c5').scores['json-recoverable']).toMatchObject({ score: 0, label: 'truncated' });
    expect(scoreOf('c1').scores['recommendation-match']).toMatchObject({ score: 1, label: 'match' });
  });
});

describe('importBatchOutput: malformed input', () => {
  it.each([
    ['not JSON', '{"custom_id": "c1", \n', 1, /not a JSON line/],
    ['no custom_id', '{"id": "x", "response": null, "error": "boom"}\n', 1, /custom_id/],
    ['second line bad', '{"custom_id": "c1", "response": null, "error": "boom"}\n[1, 2]\n', 2, /custom_id/],
  ] as const)('%s: a user error naming the file and line', async (_name, text, line, message) => {
    const dir = tempDir();
    const file = join(dir, 'out.jsonl');
    writeFileSync(file, text);
    const err = await importBatchOutput({ file, model: 'm', promptVersion: 'v1', ids: items.keys(), resultsFile: join(dir, 'results.jsonl') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).file).toBe(file);
    expect((err as UserError).line).toBe(line);
    expect((err as UserError).message).toMatch(message);
  });

  it('counts repeated ids, and blank lines and a BOM are harmless', async () => {
    const dir = tempDir();
    const file = join(dir, 'out.jsonl');
    writeFileSync(file, '\uFEFF{"custom_id": "c1", "response": null, "error": "first"}\n\n{"custom_id": "c1", "response": null, "error": "second"}\n');
    const outcome = await importBatchOutput({ file, model: 'm', promptVersion: 'v1', ids: items.keys(), resultsFile: join(dir, 'results.jsonl') });
    expect(outcome).toMatchObject({ imported: 2, errors: 2, duplicateIds: ['c1'] });
  });
});

describe('readBatchLine', () => {
  it.each([
    ['200 without choices', { custom_id: 'a', response: { status_code: 200, body: { id: 'x' } }, error: null }, { kind: 'invalid-response', status: 200 }],
    ['no response and no error', { custom_id: 'a', response: null, error: null }, { kind: 'invalid-response', status: null }],
    ['vLLM flat (pre-0.10.1) error object', { custom_id: 'a', response: { status_code: 404, body: null }, error: { object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 } }, { kind: 'http', status: 404, message: 'The model `x` does not exist.' }],
    ['vLLM 500 envelope', { custom_id: 'a', response: { status_code: 500, body: null }, error: { error: { message: 'Internal server error', code: 500 } } }, { kind: 'server', status: 500 }],
  ] as const)('%s', (_name, line, error) => {
    const r = readBatchLine(line as unknown as Record<string, unknown>, 'm');
    expect(r.response).toBeNull();
    expect(r.error).toMatchObject(error);
  });

  it('keeps separated reasoning and tolerates a null content', () => {
    const body = { model: 'qwen', choices: [{ message: { content: null, reasoning_content: 'thinking' }, finish_reason: 'length' }] };
    expect(readBatchLine({ custom_id: 'a', response: { status_code: 200, body }, error: null }, 'm').response).toEqual({
      content: '',
      reasoning: 'thinking',
      finish_reason: 'length',
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      model: 'qwen',
    });
  });
});
