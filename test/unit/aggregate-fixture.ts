/** Small hand-checkable records for the score, aggregate and report tests. */
import type { GroupTiming, ResultRecord, RunManifest } from '../../src/core/records.ts';
import type { DatasetRow, Recommendation } from '../../src/tasks/candidate-screening/records.ts';
import { loadTask } from '../../src/load/load-task.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

export const MANIFEST: RunManifest = {
  qualbench_version: '0.1.0',
  node_version: 'v24.0.0',
  created_at: '2025-01-02T03:04:05.000Z',
  git_commit: 'abcdef1234567890',
  eval: { name: 'candidate-screening', file: 'evals/candidate-screening.json', sha256: 'e'.repeat(64) },
  dataset: { name: 'candidates-golden', version: '1.0.0', sha256: 'd'.repeat(64), rows: 10, sample: null, sample_seed: 1 },
  prompt: { name: 'candidate-screening', versions: [{ version: 'v1', sha256: '1'.repeat(64) }, { version: 'v2', sha256: '2'.repeat(64) }] },
  models: [
    { id: 'org/model-a', label: 'Model A', base_url: 'http://127.0.0.1:8000/v1', concurrency: 4 },
    { id: 'org/model-b', label: 'Model B', base_url: 'http://127.0.0.1:8000/v1', concurrency: 4 },
  ],
  sampling: { temperature: 0, max_tokens: 768 },
  scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match'],
  requests: 4,
};

export function row(id: string, recommendation: Recommendation = 'Yes', strata: string[] = []): DatasetRow {
  return {
    id,
    candidate: { name: 'Ada Example', education: [], experience: [], skills: ['ts'] },
    gold: {
      recommendation,
      analysis: { educational_pedigree: 'Good', company_pedigree: 'Great', trajectory: 'Okay', is_software_engineer: 'Great' },
      rationale: 'A solid engineer.',
      key_facts: [],
    },
    strata,
  };
}

/** A contract-valid answer. */
export function answer(recommendation: string = 'Yes', over: Record<string, unknown> = {}): string {
  const dim = (rating: string) => ({ rating, reasoning: 'Ten or more characters of reasoning.' });
  return JSON.stringify({
    recommendation,
    reasoning: 'The candidate has a strong record of shipping software at good companies.',
    analysis: { educational_pedigree: dim('Good'), company_pedigree: dim('Great'), trajectory: dim('Okay'), is_software_engineer: dim('Great') },
    ...over,
  });
}

export function result(over: Partial<ResultRecord> & { item_id: string; content?: string; finish_reason?: string | null; usage?: [number, number] }): ResultRecord {
  const { content, finish_reason, usage, ...rest } = over;
  return {
    key: `k-${over.item_id}-${over.model ?? 'org/model-a'}-${over.prompt_version ?? 'v1'}`,
    model: 'org/model-a',
    prompt_version: 'v1',
    source: 'sent',
    response:
      over.error
        ? null
        : { content: content ?? answer(), reasoning: null, finish_reason: finish_reason === undefined ? 'stop' : finish_reason, usage: { prompt_tokens: usage?.[0] ?? 100, completion_tokens: usage?.[1] ?? 50 }, model: over.model ?? 'org/model-a' },
    error: null,
    attempts: 1,
    latency_ms: over.source === 'cached' ? null : 1000,
    started_at: '2025-01-02T03:04:05.000Z',
    finished_at: '2025-01-02T03:04:06.000Z',
    ...rest,
  };
}

export function timing(over: Partial<GroupTiming>): GroupTiming {
  return {
    model: 'org/model-a',
    prompt_version: 'v1',
    sent: 0,
    cached: 0,
    retries: 0,
    started_at: '2025-01-02T03:04:05.000Z',
    finished_at: '2025-01-02T03:04:06.000Z',
    wall_ms: 1000,
    ...over,
  };
}

export function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}


/** The candidate-screening task's declaration, as a run passes it to aggregation. */
export const TASK = loadTask(REPO_ROOT, 'candidate-screening').definition;
