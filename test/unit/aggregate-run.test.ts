import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { aggregateRun } from '../../src/aggregate/aggregate-run.ts';
import { SUMMARY_SCHEMA_FILE, summaryJsonSchema } from '../../src/aggregate/summary-json-schema.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { Summary } from '../../src/core/records.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, answer, jsonl, result, row, timing } from './aggregate-fixture.ts';

const items = new Map([row('c1', 'Yes'), row('c2', 'No', ['hard']), row('c3', 'Maybe', ['hard', 'bootcamp']), row('c4', 'Yes', ['hard'])].map((r) => [r.id, r]));
const A = 'org/model-a';
const B = 'org/model-b';

/** A small run: model A v1 (mixed, resumed once), model A v2 (all cached), model B v1 (one item). */
async function fixtureSummary(): Promise<Summary> {
  const dir = tempDir();
  const resultsFile = join(dir, 'results.jsonl');
  const scoresFile = join(dir, 'scores.jsonl');
  const timingFile = join(dir, 'timing.jsonl');
  writeFileSync(
    resultsFile,
    jsonl([
      result({ item_id: 'c1', content: answer('Yes'), usage: [100, 50], latency_ms: 1000 }),
      result({ item_id: 'c2', content: '```json\n' + answer('No') + '\n```', usage: [200, 100], latency_ms: 3000 }),
      result({ item_id: 'c3', content: 'I think | maybe', usage: [100, 10], latency_ms: 2000 }),
      result({ item_id: 'c4', error: { kind: 'timeout', status: null, message: 'timed out' }, latency_ms: null, attempts: 5 }),
      result({ item_id: 'c1', prompt_version: 'v2', source: 'cached', content: answer('Yes'), usage: [120, 60] }),
      result({ item_id: 'c2', prompt_version: 'v2', source: 'cached', content: answer('Yes', { extra: 1 }), usage: [220, 80] }),
      result({ item_id: 'c1', model: B, content: answer('Strong Yes'), usage: [100, 40], latency_ms: 500 }),
    ]),
  );
  writeFileSync(
    timingFile,
    jsonl([
      timing({ sent: 2, retries: 1, wall_ms: 1000 }),
      timing({ sent: 2, retries: 2, wall_ms: 3000 }),
      timing({ prompt_version: 'v2', cached: 2, wall_ms: 5 }),
      timing({ model: B, sent: 1, wall_ms: 500 }),
    ]),
  );
  await scoreRun({ resultsFile, scoresFile, scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match'], items });
  return aggregateRun({ scoresFile, timingFile, manifest: MANIFEST, task: TASK, seed: 7, resamples: 200, now: () => new Date('2025-02-03T04:05:06Z') });
}

describe('aggregateRun', () => {
  it('computes rates, agreement and speed equal to the hand computation', async () => {
    const s = await fixtureSummary();
    expect(s.groups.map((g) => `${g.model_label}/${g.prompt_version}`)).toEqual(['Model A/v1', 'Model A/v2', 'Model B/v1']);
    const g = s.groups[0]!;
    expect(g.items).toBe(4);
    expect(g.answered).toBe(3);
    expect(g.errors.total).toBe(1);
    expect(g.errors.by_kind).toEqual({ http: 0, 'rate-limit': 0, server: 0, timeout: 1, connection: 0, 'invalid-response': 0 });
    expect(g.validity.json_strict_rate).toBeCloseTo(1 / 3, 6);
    expect(g.validity.json_recoverable_rate).toBeCloseTo(2 / 3, 6);
    expect(g.validity.schema_valid_rate).toBeCloseTo(2 / 3, 6);
    expect(g.validity.parse_classes).toEqual({ fenced: 1, 'not-json': 1, ok: 1 });
    expect(g.scorers['json-strict']).toEqual({ mean: 0.333333, scored: 3, unscored: 1 });
    const r = g.agreement.labels.recommendation!;
    expect(r).toMatchObject({ n: 3, missing: 1, exact: 0.666667, within_one: 0.666667 });
    // gold [Yes, No, Maybe], pred [Yes, No, none]: hand-computed kappa 5/29 (see aggregate-kappa.test.ts).
    expect(r.kappa).toBeCloseTo(5 / 29, 6);
    expect(r.kappa_ci).not.toBeNull();
    expect(g.agreement.labels.trajectory).toMatchObject({ n: 3, missing: 1, exact: 0.666667 });
    expect(g.agreement.unparsable).toBe(1);
    // c4 (hard) failed: strata count answered items only.
    expect(g.strata).toEqual([
      { name: 'bootcamp', n: 1, exact: 0, within_one: 0, schema_valid_rate: 0 },
      { name: 'hard', n: 2, exact: 0.5, within_one: 0.5, schema_valid_rate: 0.5 },
    ]);
    expect(g.tokens).toEqual({ mean_prompt: 133.333, mean_completion: 53.333 });
    // Two timing segments summed: 4 s wall; 3 successful sent requests, 160 output and 560 total tokens.
    expect(g.speed).toEqual({
      cached_only: false,
      wall_ms: 4000,
      sent: 4,
      cached: 0,
      retries: 3,
      succeeded: 3,
      requests_per_s: 0.75,
      output_tokens_per_s: 40,
      total_tokens_per_s: 140,
      success_rate: 0.75,
      // latencies 1000, 2000, 3000: numpy-style interpolation gives p90 2800, p99 2980.
      latency_ms: { n: 3, mean: 2000, p50: 2000, p90: 2800, p99: 2980 },
      ttft_ms: null,
      tpot_ms: null,
      itl_ms: null,
      server: null,
      // A real server (no simulator in the manifest): wall time is what it is.
      simulated: null,
      event_loop_delay_ms: null,
      validity: { valid: true, reasons: [] },
    });
  });

  it('reports a group answered only from the cache as cached (speed null), its quality intact', async () => {
    const s = await fixtureSummary();
    const g = s.groups[1]!;
    expect(g.speed).toMatchObject({ cached_only: true, cached: 2, sent: 0, requests_per_s: null, output_tokens_per_s: null, total_tokens_per_s: null, latency_ms: null });
    expect(g.validity.schema_valid_rate).toBe(0.5);
    expect(g.validity.top_schema_violations).toEqual([{ reason: '/ must NOT have additional properties ("extra")', count: 1 }]);
    expect(g.agreement.labels.recommendation).toMatchObject({ n: 2, exact: 0.5, within_one: 0.5 });
    expect(g.tokens).toEqual({ mean_prompt: 170, mean_completion: 70 });
  });

  it('pools a model over its groups', async () => {
    const s = await fixtureSummary();
    expect(s.models.map((m) => [m.model, m.prompt_versions])).toEqual([[A, ['v1', 'v2']], [B, ['v1']]]);
    const a = s.models[0]!;
    expect(a.items).toBe(6);
    expect(a.answered).toBe(5);
    expect(a.speed).toMatchObject({ cached_only: false, wall_ms: 4005, sent: 4, cached: 2, succeeded: 3 });
    expect(a.speed.requests_per_s).toBeCloseTo(3 / 4.005, 3);
    const b = s.models[1]!;
    expect(b.agreement.labels.recommendation).toMatchObject({ n: 1, exact: 0, within_one: 1, kappa: 0, kappa_ci: null });
    expect(b.speed.requests_per_s).toBe(2);
  });

  it('copies the run identity from the manifest', async () => {
    const s = await fixtureSummary();
    expect(s).toMatchObject({ schema_version: 1, created_at: '2025-02-03T04:05:06.000Z', eval: MANIFEST.eval, dataset: MANIFEST.dataset, prompt: MANIFEST.prompt, seed: 7, bootstrap_resamples: 200 });
    expect(s.run).toEqual({ created_at: MANIFEST.created_at, qualbench_version: '0.1.0', git_commit: MANIFEST.git_commit });
  });

  it('is deterministic for a seed', async () => {
    const [x, y] = [await fixtureSummary(), await fixtureSummary()];
    expect(x).toEqual(y);
  });

  it('matches the zod Summary and the committed JSON Schema', async () => {
    const s = await fixtureSummary();
    expect(Summary.parse(s)).toEqual(s);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, SUMMARY_SCHEMA_FILE), 'utf8')) as object;
    const validate = ajv.compile(schema);
    expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...s, schema_version: 2 })).toBe(false);
  });
});

describe('schemas/summary.schema.json', () => {
  it('is up to date with the zod Summary (regenerate: node src/aggregate/write-summary-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(join(REPO_ROOT, SUMMARY_SCHEMA_FILE), 'utf8')) as unknown;
    expect(committed).toEqual(summaryJsonSchema());
  });
});

describe('aggregateRun edge cases', () => {
  it('gives null rates (not zeros) for a group whose every request failed, and tolerates a missing timing file', async () => {
    const dir = tempDir();
    const resultsFile = join(dir, 'results.jsonl');
    const scoresFile = join(dir, 'scores.jsonl');
    writeFileSync(resultsFile, jsonl([result({ item_id: 'c1', error: { kind: 'connection', status: null, message: 'refused' }, latency_ms: null })]));
    await scoreRun({ resultsFile, scoresFile, scorers: ['json-strict', 'schema'], items });
    const s = await aggregateRun({ scoresFile, timingFile: join(dir, 'none.jsonl'), manifest: MANIFEST, task: TASK, seed: 1 });
    const g = s.groups[0]!;
    expect(g).toMatchObject({ items: 1, answered: 0, errors: { total: 1 } });
    expect(g.validity).toMatchObject({ json_strict_rate: null, json_recoverable_rate: null, schema_valid_rate: null, parse_classes: {} });
    expect(g.scorers.schema).toEqual({ mean: null, scored: 0, unscored: 1 });
    expect(g.agreement.labels.recommendation).toMatchObject({ n: 0, exact: null, kappa: null, kappa_ci: null });
    expect(g.speed).toMatchObject({ cached_only: false, wall_ms: null, requests_per_s: null, latency_ms: null });
  });

  it('summarises an empty run', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scores.jsonl'), '');
    const s = await aggregateRun({ scoresFile: join(dir, 'scores.jsonl'), timingFile: join(dir, 'timing.jsonl'), manifest: MANIFEST, task: TASK, seed: 1 });
    expect(s.groups).toEqual([]);
    expect(s.models).toEqual([]);
  });
});
