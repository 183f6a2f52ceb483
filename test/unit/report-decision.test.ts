/** The decision block: computed once in aggregate, rendered first in report.md, report.html and the PR comment. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateRun } from '../../src/aggregate/aggregate-run.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { renderMarkdownReport } from '../../src/report/render-report.ts';
import { renderHtmlReport, singleRun } from '../../src/report/render-html.ts';
import { PR_COMMENT_MARKER, renderPrComment } from '../../src/report/pr-comment.ts';
import { worstItems } from '../../src/report/gallery.ts';
import type { RunManifest, Summary } from '../../src/core/records.ts';
import type { GateReport } from '../../src/core/gate-records.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, answer, jsonl, result, row, timing } from './aggregate-fixture.ts';
// Candidate screening with its module (the instruction check), as the public API scores by default.
import { publicDefaultTask } from '../../src/public-scoring.ts';

const SCALE = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] as const;
const N = 60;

/** Model A (v2) right on every item; model B (v2) two steps off on most, prose on some; both v1 prose throughout. */
async function run(manifest: RunManifest, opts: { drop?: number } = {}): Promise<Summary> {
  const dir = tempDir();
  const rows = Array.from({ length: N }, (_, i) => row(`c${i}`, SCALE[i % 5]));
  const items = new Map(rows.map((r) => [r.id, r]));
  const records = rows.flatMap((r, i) => {
    const gold = r.gold.recommendation;
    const off = SCALE[(SCALE.indexOf(gold) + 2) % 5];
    return [
      result({ item_id: r.id, prompt_version: 'v2', content: answer(gold) }),
      ...(i < N - (opts.drop ?? 0) ? [result({ item_id: r.id, model: 'org/model-b', prompt_version: 'v2', content: i % 4 === 0 ? 'Please fill in the candidate fields.' : answer(i % 3 === 0 ? gold : off) })] : []),
      result({ item_id: r.id, prompt_version: 'v1', content: 'I cannot help with that.' }),
      result({ item_id: r.id, model: 'org/model-b', prompt_version: 'v1', content: 'Here is a template: {name}' }),
    ];
  });
  writeFileSync(join(dir, 'results.jsonl'), jsonl(records));
  writeFileSync(join(dir, 'timing.jsonl'), jsonl([timing({ prompt_version: 'v2', sent: N, wall_ms: 60_000 }), timing({ model: 'org/model-b', prompt_version: 'v2', sent: N, wall_ms: 6_000 })]));
  await scoreRun({ resultsFile: join(dir, 'results.jsonl'), scoresFile: join(dir, 'scores.jsonl'), scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match', 'follows-instructions'], items, task: publicDefaultTask() });
  return aggregateRun({ scoresFile: join(dir, 'scores.jsonl'), timingFile: join(dir, 'timing.jsonl'), manifest, task: TASK, seed: 1, resamples: 200 });
}

const DECLARED: RunManifest = {
  ...MANIFEST,
  requests: N * 4,
  cascades: [{ screen: 'org/model-b', escalate: 'org/model-a', top_fraction: 0.2 }],
  decision: {
    question: 'Move screening | from A to B?',
    incumbent: { model: 'org/model-a', prompt_version: 'v2' },
    candidates: [{ model: 'Model B', prompt_version: 'v2' }],
    metric: 'kappa',
    equivalence_margin: 0.05,
    floors: { quality: 0.5, usable_rate: 0.9, name: 'team floor' },
    workload: 200_000,
  },
};

describe('the decision block', () => {
  it('compares the declared candidate with the incumbent on the same items: worse, with the interval, usable rate and hours for the workload', async () => {
    const s = await run(DECLARED);
    const d = s.decision!;
    expect(d.source).toBe('declared');
    expect(d.incumbent).toMatchObject({ model: 'org/model-a', prompt_version: 'v2', usable_rate: 1, below_floors: [] });
    expect(d.incumbent!.hours).toBeCloseTo(200_000 / 1 / 3600, 1); // 60 requests in 60 s: 1 per second
    const b = d.candidates[0]!;
    expect(b).toMatchObject({ model: 'org/model-b', paired_items: N, verdict: 'worse' });
    expect(b.difference!).toBeCloseTo(b.quality! - d.incumbent!.quality!, 6);
    expect(b.difference_ci!.hi).toBeLessThan(0);
    expect(b.below_floors.length).toBeGreaterThan(0);
    expect(b.hours!).toBeCloseTo(200_000 / 10 / 3600, 1);
    // Cascades from B to A that beat both, each compared with A on the same items.
    expect(d.cascades.length).toBeGreaterThan(0);
    for (const c of d.cascades) {
      expect(c).toMatchObject({ screen: 'org/model-b', escalate: 'org/model-a', paired_items: N, saving_basis: 'time' });
      expect(c.difference!).toBeCloseTo(c.quality! - d.incumbent!.quality!, 6);
      expect(c.quality!).toBeGreaterThan(b.quality!);
      expect(c.saving!).toBeGreaterThan(0);
    }
  });

  it('opens report.md (within 25 lines), report.html (before every other table) and the PR comment, escaped', async () => {
    const s = await run(DECLARED);
    const md = renderMarkdownReport(s, DECLARED).split('\n');
    const top = md.slice(0, 25).join('\n');
    expect(top).toContain('## Decision: Move screening \\| from A to B?');
    expect(top).toMatch(/^\| Model B v2 \| −?\d\.\d\d \(.+\) \| −\d\.\d\d \(−\d\.\d\d to −\d\.\d\d\) \| \*\*worse\*\* \| \d+\.\d% \|/m);
    expect(top).toMatch(/Verdict from the 95% paired bootstrap interval/);
    const html = renderHtmlReport(singleRun(s, DECLARED));
    expect(html.indexOf('id="decision"')).toBeGreaterThan(0);
    expect(html.indexOf('id="decision"')).toBeLessThan(html.indexOf('id="table-verdict"'));
    expect(html).toContain('Move screening | from A to B?');
    const gate = { passed: false, baseline: 'b', policy: { inconclusive: 'pass' }, alpha: 0.05, correction: 'holm', looks: 1, counts: { pass: 1, fail: 1, inconclusive: 0 }, unchecked: [], warnings: [], verdicts: [
      { gate: 'schema_valid_rate >= 0.9', kind: 'floor', model: 'org/model-b', prompt_version: 'v2', metric: 'schema_valid_rate', verdict: 'fail', observed: 0.7, ci: { lo: 0.6, hi: 0.8 }, threshold: 0.9, baseline: null, difference: null, p_value: null, n: N, reference: null, discordant: null, mde: null, needed_n: null, note: 'below <the> floor' },
      { gate: 'json ok', kind: 'floor', model: 'org/model-a', prompt_version: 'v2', metric: 'json_strict_rate', verdict: 'pass', observed: 1, ci: null, threshold: 0.9, baseline: null, difference: null, p_value: null, n: N, reference: null, discordant: null, mde: null, needed_n: null, note: '' },
    ] } as unknown as GateReport;
    const comment = renderPrComment(s, DECLARED, gate, { reportUrl: 'https://github.com/o/r/actions/runs/1/artifacts/2' });
    expect(comment.split('\n')[0]).toBe(PR_COMMENT_MARKER);
    expect(comment).toContain('**Gates: FAILED**');
    expect(comment).toMatch(/^\| schema\\_valid\\_rate &gt;= 0\.9 \| Model B \| v2 \| \*\*fail\*\* \| 70\.0% \(60\.0% to 80\.0%\) \| ≥ 90\.0% \| below &lt;the&gt; floor \|$/m);
    expect(comment).not.toContain('json ok');
    expect(comment).toContain('**Decision: Move screening \\| from A to B?**');
    expect(comment).toContain('(https://github.com/o/r/actions/runs/1/artifacts/2)');
  });

  it('gives no verdict on an incomplete run, and says so', async () => {
    const s = await run(DECLARED, { drop: 20 });
    expect(s.trust!.complete).toBe(false);
    expect(s.decision!.trusted).toBe(false);
    expect(s.decision!.candidates[0]!.verdict).toBe('not enough data');
    const md = renderMarkdownReport(s, DECLARED);
    expect(md).toContain('**No verdict: the run is not complete (see the warnings above).**');
    expect(md).toMatch(/> The run is incomplete \(20 missing, 0 failed\)/);
  });

  it('defaults to the best-quality group as incumbent and the cheapest other group as candidate, and lists worst items of those groups first', async () => {
    const s = await run({ ...MANIFEST, requests: N * 4 });
    const d = s.decision!;
    expect(d.source).toBe('default');
    expect(d.incumbent!.model).toBe('org/model-a');
    expect(d.incumbent!.prompt_version).toBe('v2');
    expect(d.candidates).toHaveLength(1);
    expect(d.candidates[0]!.model).toBe('org/model-b');
    expect(renderMarkdownReport(s, MANIFEST)).toContain('No decision is declared in the eval');
    // Worst items: the decided groups' (A v2 has none), not v1's prose.
    const worst = worstItems(s, 12);
    expect(worst.length).toBeGreaterThan(0);
    expect(worst.every((e) => e.model === d.candidates[0]!.model && e.prompt_version === d.candidates[0]!.prompt_version)).toBe(true);
    expect(new Set(worst.map((e) => `${e.kind}: ${e.class}`)).size).toBeGreaterThan(1);
  });
});

describe('the simulator banner', () => {
  it('does not call speed 1 "1x faster"', async () => {
    const { simulatedNote } = await import('../../src/report/render-report.ts');
    const at = (speed: number): RunManifest => ({ ...MANIFEST, models: MANIFEST.models.map((m) => ({ ...m, server: { vllm_version: null, max_model_len: null, root: null, simulator: { speed } } })) });
    expect(simulatedNote(at(1))).toBe("Served by qualbench's vLLM simulator at the modelled GPU's own speed: speeds and times below are simulated, not measured on a GPU.");
    expect(simulatedNote(at(4))).toMatch(/running 4x faster than the modelled GPU: .*measured ÷ 4/);
  });
});
