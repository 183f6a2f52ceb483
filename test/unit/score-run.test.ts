import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreRun } from '../../src/score/score-run.ts';
import { UserError } from '../../src/core/errors.ts';
import { ScoreRecord } from '../../src/core/records.ts';
import { tempDir } from '../helpers/tmp.ts';
import { answer, jsonl, result, row } from './aggregate-fixture.ts';

const items = new Map([row('c1', 'Yes'), row('c2', 'No')].map((r) => [r.id, r]));

function readScores(file: string): ScoreRecord[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => ScoreRecord.parse(JSON.parse(l)));
}

describe('scoreRun', () => {
  it('keeps the last record of a duplicated slot, counts it once, and overwrites scores.jsonl', async () => {
    const dir = tempDir();
    const resultsFile = join(dir, 'results.jsonl');
    const scoresFile = join(dir, 'scores.jsonl');
    writeFileSync(scoresFile, 'stale\n');
    writeFileSync(
      resultsFile,
      jsonl([
        result({ item_id: 'c1', content: 'garbage' }),
        result({ item_id: 'c2', content: answer('No') }),
        result({ item_id: 'c1', prompt_version: 'v2', content: answer('Maybe') }),
        result({ item_id: 'c1', content: answer('Yes') }),
      ]),
    );
    const out = await scoreRun({ resultsFile, scoresFile, scorers: ['json-strict', 'recommendation-match'], items });
    expect(out).toEqual({ scored: 3 });
    const scores = readScores(scoresFile);
    expect(scores.map((s) => `${s.item_id}/${s.prompt_version}`)).toEqual(['c2/v1', 'c1/v2', 'c1/v1']);
    const c1 = scores.find((s) => s.item_id === 'c1' && s.prompt_version === 'v1')!;
    expect(c1.scores).toEqual({ 'json-strict': { score: 1, label: 'ok' }, 'recommendation-match': { score: 1, label: 'match' } });
    expect(Object.keys(c1.scores)).toEqual(['json-strict', 'recommendation-match']);
  });

  it('refuses a result whose item is not in the dataset, naming file, line and field', async () => {
    const dir = tempDir();
    const resultsFile = join(dir, 'results.jsonl');
    writeFileSync(resultsFile, jsonl([result({ item_id: 'c1' }), result({ item_id: 'zzz' })]));
    const err = await scoreRun({ resultsFile, scoresFile: join(dir, 'scores.jsonl'), scorers: ['schema'], items }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ file: resultsFile, line: 2, field: 'item_id' });
  });

  it('writes an empty scores file for an empty run', async () => {
    const dir = tempDir();
    const resultsFile = join(dir, 'results.jsonl');
    writeFileSync(resultsFile, '');
    expect(await scoreRun({ resultsFile, scoresFile: join(dir, 'scores.jsonl'), scorers: ['schema'], items })).toEqual({ scored: 0 });
    expect(readFileSync(join(dir, 'scores.jsonl'), 'utf8')).toBe('');
  });
});
