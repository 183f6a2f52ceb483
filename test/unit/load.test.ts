import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModels } from '../../src/load/load-models.ts';
import { loadDataset, openDataset, sampleRows } from '../../src/load/load-dataset.ts';
import { loadEval } from '../../src/load/load-eval.ts';
import { hashPromptTexts, loadPromptVersion } from '../../src/load/load-prompts.ts';
import { sha256 } from '../../src/core/hash.ts';
import { UserError } from '../../src/core/errors.ts';
import type { DatasetRow } from '../../src/tasks/candidate-screening/records.ts';
import { loadTask } from '../../src/load/load-task.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

function write(root: string, file: string, text: string) {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

async function userError(fn: () => unknown): Promise<UserError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

const row = (id: string, rec: DatasetRow['gold']['recommendation'] = 'Yes'): DatasetRow => ({
  id,
  candidate: { name: `Person ${id}`, education: [], experience: [], skills: [] },
  gold: { recommendation: rec, analysis: { educational_pedigree: 'Good', company_pedigree: 'Good', trajectory: 'Good', is_software_engineer: 'Good' }, rationale: 'r', key_facts: [] },
  strata: [],
});

function writeDataset(root: string, lines: string[], rows = lines.length) {
  const data = lines.join('\n') + '\n';
  write(root, 'datasets/d/data.jsonl', data);
  write(root, 'datasets/d/manifest.json', JSON.stringify({ name: 'd', version: '1.0.0', file: 'data.jsonl', rows, sha256: sha256(data), provenance: 'test' }, null, 2));
}

describe('loadModels', () => {
  it('names the file, line and field of a bad entry', async () => {
    const root = tempDir();
    write(root, 'evals/models.json', '{\n  "models": [\n    { "id": "a" },\n    {\n      "id": "b",\n      "concurrency": 0\n    }\n  ]\n}\n');
    const err = await userError(() => loadModels(root, 'evals/models.json', { defaultBaseUrl: 'http://x/v1' }));
    expect(err.file).toBe('evals/models.json');
    expect(err.field).toBe('models.1.concurrency');
    expect(err.line).toBe(6);
  });

  it('resolves defaults and rejects unknown ids', async () => {
    const root = tempDir();
    write(root, 'evals/models.json', JSON.stringify({ models: [{ id: 'a' }, { id: 'b', base_url: 'http://b:1/v1/', concurrency: 3 }] }));
    const { models } = loadModels(root, 'evals/models.json', { defaultBaseUrl: 'http://x/v1' });
    expect(models.map((m) => [m.id, m.label, m.base_url, m.concurrency])).toEqual([
      ['a', 'a', 'http://x/v1', 'auto'],
      ['b', 'b', 'http://b:1/v1', 3],
    ]);
    const err = await userError(() => loadModels(root, 'evals/models.json', { defaultBaseUrl: 'http://x/v1', only: ['zz'] }));
    expect(err.message).toMatch(/unknown model `zz`/);
    expect(err.hint).toMatch(/a, b/);
  });
});

describe('loadDataset', () => {
  it('loads rows checked against the manifest', async () => {
    const root = tempDir();
    writeDataset(root, [JSON.stringify(row('a')), JSON.stringify(row('b'))]);
    const ds = await loadDataset(root, 'd');
    expect(ds.rows.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('indexes rows by byte offset and reads them back by id, with a BOM, CRLF and blank lines', async () => {
    const root = tempDir();
    const ü = { ...row('b'), candidate: { ...row('b').candidate, name: 'Zoë Ünal 😀' } };
    writeDataset(root, ['\uFEFF' + JSON.stringify(row('a')) + '\r', '', JSON.stringify(ü) + '\r', JSON.stringify(row('c', 'No'))], 3);
    const ds = await openDataset(root, 'd', { gold: 'recommendation', scale: ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] });
    expect(ds.ids).toEqual(['a', 'b', 'c']);
    expect([...ds.classes]).toEqual([1, 1, 3]);
    expect((ds.get('b') as DatasetRow | undefined)?.candidate.name).toBe('Zoë Ünal 😀');
    expect(ds.get('a')).toEqual(row('a'));
    expect(ds.rowAt(2).id).toBe('c');
    expect(ds.lineAt(1)).toBe(3);
    expect(ds.get('zz')).toBeUndefined();
    ds.close();
  });

  it('refuses a data file that no longer matches its manifest', async () => {
    const root = tempDir();
    writeDataset(root, [JSON.stringify(row('a'))]);
    writeFileSync(join(root, 'datasets/d/data.jsonl'), JSON.stringify(row('a2')) + '\n');
    const err = await userError(() => loadDataset(root, 'd'));
    expect(err.file).toBe('datasets/d/data.jsonl');
    expect(err.message).toMatch(/sha256/);
    expect(err.hint).toMatch(/immutable/);
  });

  it('names both lines of a duplicate id', async () => {
    const root = tempDir();
    writeDataset(root, [JSON.stringify(row('a')), JSON.stringify(row('b')), JSON.stringify(row('a'))]);
    const err = await userError(() => loadDataset(root, 'd'));
    expect(err).toMatchObject({ file: 'datasets/d/data.jsonl', line: 3, field: 'id' });
    expect(err.message).toMatch(/first on line 1/);
  });

  it('names the line and field of a wrong type', async () => {
    const root = tempDir();
    const bad = { ...row('b'), gold: { ...row('b').gold, recommendation: 'Hire' } };
    writeDataset(root, [JSON.stringify(row('a')), JSON.stringify(bad)]);
    const err = await userError(() => loadDataset(root, 'd', loadTask(REPO_ROOT, 'candidate-screening').checkRow!));
    expect(err).toMatchObject({ file: 'datasets/d/data.jsonl', line: 2, field: 'gold.recommendation' });
  });
});

describe('sampleRows', () => {
  const BY_REC = { gold: 'recommendation', scale: ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] };
  const rows = [...Array(60)].map((_, i) => row(`r${i}`, i < 30 ? 'Yes' : i < 50 ? 'No' : 'Maybe'));

  it('keeps the class balance, is seeded and keeps dataset order', () => {
    const s = sampleRows(rows, 12, 7, BY_REC);
    expect(s).toHaveLength(12);
    const count = (rec: string) => s.filter((r) => r.gold.recommendation === rec).length;
    expect([count('Yes'), count('No'), count('Maybe')]).toEqual([6, 4, 2]);
    expect(sampleRows(rows, 12, 7, BY_REC)).toEqual(s);
    expect(sampleRows(rows, 12, 8, BY_REC)).not.toEqual(s);
    const idx = s.map((r) => rows.indexOf(r));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });

  it('returns everything when asked for more than there is', () => {
    expect(sampleRows(rows, 100, 1, BY_REC)).toHaveLength(60);
  });
});

describe('loadPromptVersion and loadEval', () => {
  it('refuses an edited released prompt and says to create a new version', async () => {
    const root = tempDir();
    write(root, 'prompts/p/v1/user.hbs', 'Rate {{json candidate}}');
    write(root, 'prompts/p/v1/meta.json', JSON.stringify({ version: 'v1', date: '2026-11-23', changes: 'first', why: 'start' }));
    write(root, 'prompts/p/prompts.lock.json', JSON.stringify({ v1: hashPromptTexts(null, 'Rate {{json candidate}}') }));
    expect(loadPromptVersion(root, 'p', 'v1').released).toBe(true);
    write(root, 'prompts/p/v1/user.hbs', 'Rate carefully {{json candidate}}');
    const err = await userError(() => loadPromptVersion(root, 'p', 'v1'));
    expect(err.file).toBe('prompts/p/v1/user.hbs');
    expect(err.hint).toMatch(/v2/);
    const missing = await userError(() => loadPromptVersion(root, 'p', 'v7'));
    expect(missing.hint).toMatch(/Known versions: v1/);
  });

  it('loads an eval and rejects a threshold-like typo in its fields', async () => {
    const root = tempDir();
    write(root, 'evals/e.json', JSON.stringify({ name: 'e', dataset: 'd', prompt: 'p', prompt_versions: ['v1'], scorers: ['json-strict'] }));
    expect(loadEval(root).definition.models).toBe('evals/models.json');
    write(root, 'evals/e.json', JSON.stringify({ name: 'e', dataset: 'd', prompt: 'p', prompt_versions: ['v1'], scorers: ['json-strict'], sampling: { temperature: 5 } }, null, 2));
    const err = await userError(() => loadEval(root, 'e'));
    expect(err).toMatchObject({ file: 'evals/e.json', field: 'sampling.temperature' });
  });
});
