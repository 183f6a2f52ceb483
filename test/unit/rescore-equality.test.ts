/**
 * The refactor to declared tasks must not move a figure: a run directory recorded before it
 * (test/fixtures/pre-task-seam-run: `qualbench eval --sample 40` against the instant simulator at
 * commit 986f300) is re-scored with today's code, and every score, prediction and summary metric
 * must equal what that commit wrote.
 *
 * The same check by hand: copy the fixture, `qualbench rescore <copy>`, and diff scores.jsonl and
 * summary.json against the fixture's.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { rescoreRun } from '../../src/rescore.ts';
import { LabelValues, Summary } from '../../src/core/records.ts';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/pre-task-seam-run');

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * What a score line says about quality: the scores, the labels read and the gold ones. Labels were
 * nested by contract field before declared tasks and are flat by label name since: both are read flat.
 */
/**
 * Grounding changed on purpose after the refactor (the hardening issue: a company name ending in "s",
 * such as Barclays or Redis, was looked up without its "s" and marked unsupported). It is compared on
 * its own below; every other scorer must be unchanged.
 */
const CHANGED_ON_PURPOSE = 'grounding';

function scoreView(r: Record<string, unknown>): unknown {
  const { [CHANGED_ON_PURPOSE]: _changed, ...scores } = r.scores as Record<string, unknown>;
  return {
    id: `${r.model as string}|${r.prompt_version as string}|${r.item_id as string}`,
    scores,
    prediction: LabelValues.nullable().parse(r.prediction),
    gold: LabelValues.parse(r.gold),
    parse: r.parse,
    excerpt: r.excerpt,
  };
}

/**
 * The summary without its timestamps and the git commit of the code that wrote it, read through the
 * Summary schema (which reads the older agreement block as `labels`); `task` and `decision` (the
 * decision block, issue 17) and the server's mean latency are new and absent from the recorded summary.
 */
function summaryView(s: unknown): unknown {
  const { created_at: _c, run: _r, task: _t, decision: _d, groups, models, ...rest } = Summary.parse(s);
  // The server's mean e2e latency (speed.server.e2e_mean_latency_ms) is new too: derived from the recorded /metrics counters.
  const server = (sv: { e2e_mean_latency_ms?: number | null } | null) => {
    if (!sv) return sv;
    const { e2e_mean_latency_ms: _e, ...restOfServer } = sv;
    return restOfServer;
  };
  const without = <T extends { scorers: Record<string, unknown>; speed: { server: { e2e_mean_latency_ms?: number | null } | null } }>(g: T) => ({
    ...g,
    scorers: { ...g.scorers, [CHANGED_ON_PURPOSE]: null },
    speed: { ...g.speed, server: server(g.speed.server) },
  });
  return { ...rest, groups: groups.map(without), models: models.map(without) };
}

describe('rescoring a run recorded before the task seam', () => {
  it('gives the same scores and the same summary', async () => {
    const dir = join(tempDir(), 'run');
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'scores.jsonl'));
    rmSync(join(dir, 'summary.json'));
    await rescoreRun(REPO_ROOT, dir);
    const before = lines(join(FIXTURE, 'scores.jsonl')).map(scoreView);
    const after = lines(join(dir, 'scores.jsonl')).map(scoreView);
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
    // Grounding: only answers the old check marked unsupported for a name that ends in "s" now read grounded.
    const grounding = (file: string) => lines(file).map((r) => (r.scores as Record<string, { score: number | null; reason?: string }>)[CHANGED_ON_PURPOSE]!);
    // Reworded on purpose when grounding became generic over tasks (task.json `grounding`): "the item", not
    // "the profile"; "organisation", not "school or company". Scores and labels are compared as they were.
    const reworded = (g: { score: number | null; reason?: string }) => ({
      ...g,
      ...(g.reason !== undefined ? { reason: g.reason.replace('not in the profile:', 'not in the item:').replace('names no school or company', 'names no organisation').replace(', but the profile is ', ', but the item is about ') } : {}),
    });
    const gBefore = grounding(join(FIXTURE, 'scores.jsonl')).map(reworded);
    const gAfter = grounding(join(dir, 'scores.jsonl'));
    const changed = gBefore.flatMap((g, i) => (JSON.stringify(g) === JSON.stringify(gAfter[i]) ? [] : [{ before: g, after: gAfter[i]! }]));
    expect(changed.length).toBeLessThanOrEqual(6);
    for (const c of changed) {
      expect(c.before.reason).toMatch(/not in the item: "(Barclay|Redi)"/);
      expect(c.after.score).toBe(1);
    }
    // The figures are the same, not just equal after reading: the agreement block holds the same numbers.
    const sBefore = summaryView(JSON.parse(readFileSync(join(FIXTURE, 'summary.json'), 'utf8')));
    const sAfter = summaryView(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
    expect(sAfter).toEqual(sBefore);
  }, 60_000);
});
