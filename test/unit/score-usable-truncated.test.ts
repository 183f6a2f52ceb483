/**
 * Issue 16's scorer wiring, through a recorded run re-scored from its files (test/fixtures/pre-task-seam-run,
 * 40 candidates, real prompts and dataset): a truncated answer counts against the follows-instructions rate,
 * and an answer grounding finds to be about someone else is not usable.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rescoreRun } from '../../src/rescore.ts';
import type { Summary } from '../../src/core/records.ts';
import { readGroupValues } from '../../src/gate/item-values.ts';
import { GATE_METRICS } from '../../src/core/gate-records.ts';

interface Line { item_id: string; prompt_version: string; response: { content: string; finish_reason: string | null } | null; scores?: Record<string, { score: number | null; label?: string }> }

function copyRun(): string {
  const run = join(tempDir(), 'run');
  cpSync(join(REPO_ROOT, 'test/fixtures/pre-task-seam-run'), run, { recursive: true });
  return run;
}
const read = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
function edit(run: string, file: string, change: (lines: Line[]) => void): void {
  const lines = read(join(run, file));
  change(lines);
  writeFileSync(join(run, file), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
const group = (s: Summary, version: string) => s.groups.find((g) => g.prompt_version === version)!;

describe('the follows-instructions rate counts every answered item', () => {
  it('two answers cut off at max_tokens are failures (class truncated), not left out of the denominator', async () => {
    const run = copyRun();
    const before = group((await rescoreRun(REPO_ROOT, run)) as Summary, 'v3');
    const followedBefore = Math.round(before.scorers['follows-instructions']!.mean! * before.scorers['follows-instructions']!.scored);
    let cut = 0;
    edit(run, 'results.jsonl', (lines) => {
      for (const l of lines) {
        if (cut < 2 && l.prompt_version === 'v3' && l.response && l.response.content.length > 40 && read(join(run, 'scores.jsonl')).find((s) => s.item_id === l.item_id && s.prompt_version === 'v3')!.scores!['follows-instructions']!.score === 1) {
          l.response = { ...l.response, content: l.response.content.slice(0, 30), finish_reason: 'length' };
          cut++;
        }
      }
    });
    expect(cut).toBe(2);
    const summary = await rescoreRun(REPO_ROOT, run);
    const g = group(summary, 'v3');
    const follows = g.scorers['follows-instructions']!;
    // Every answered item is in the denominator: 40 asked, 40 judged; the two cut-off answers count as not following.
    expect(follows.scored).toBe(g.answered);
    expect(follows.unscored).toBe(0);
    expect(follows.mean).toBeCloseTo((followedBefore - 2) / g.answered, 3);
    expect(g.validity.instruction_classes.truncated).toBe(2);
    // The gate reads the same per-item values: 0 for a truncated answer, never a gap.
    const scores = read(join(run, 'scores.jsonl')).filter((s) => s.prompt_version === 'v3');
    const truncated = scores.filter((s) => s.scores!['follows-instructions']!.label === 'truncated');
    const values = [...(await readGroupValues(join(run, 'scores.jsonl'))).values()].find((v) => v.prompt_version === 'v3')!;
    const at = GATE_METRICS.indexOf('follows_instructions');
    expect(truncated.map((s) => values.items.get(s.item_id)![at])).toEqual([0, 0]);
    // The report's rate is the summary's.
    expect(readFileSync(join(run, 'report.md'), 'utf8')).toContain(`${(follows.mean! * 100).toFixed(1)}%`);
  }, 60_000);
});

describe('usable and grounding', () => {
  it('an answer about someone else is not usable, even when the instruction check is not run', async () => {
    const run = copyRun();
    // A team that runs no instruction check: only grounding can see the wrong person.
    const mf = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as { scorers: string[] };
    writeFileSync(join(run, 'manifest.json'), JSON.stringify({ ...mf, scorers: mf.scorers.filter((s) => s !== 'follows-instructions') }, null, 2));
    const before = group(await rescoreRun(REPO_ROOT, run), 'v3');
    // Take a usable answer and make it about another person (same ratings, same contract-valid shape).
    const usable = read(join(run, 'scores.jsonl')).find((s) => s.prompt_version === 'v3' && s.scores!.schema!.score === 1 && s.scores!.grounding!.label !== 'wrong-candidate')!;
    edit(run, 'results.jsonl', (lines) => {
      const l = lines.find((x) => x.item_id === usable.item_id && x.prompt_version === 'v3')!;
      const obj = JSON.parse(l.response!.content.replace(/^[^{]*/, '').replace(/[^}]*$/, '')) as { reasoning: string };
      obj.reasoning = 'Jonathan Whitfield has ten years of experience and Jonathan Whitfield is a strong engineer.';
      l.response = { ...l.response!, content: JSON.stringify(obj) };
    });
    const after = group(await rescoreRun(REPO_ROOT, run), 'v3');
    const rec = read(join(run, 'scores.jsonl')).find((s) => s.item_id === usable.item_id && s.prompt_version === 'v3')!;
    expect(rec.scores!.grounding).toMatchObject({ score: 0, label: 'wrong-candidate' });
    expect(rec.scores!.schema!.score).toBe(1);
    expect(after.usable.count).toBe(before.usable.count - 1);
  }, 60_000);
});
