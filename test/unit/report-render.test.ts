import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateRun, runEnvironment } from '../../src/aggregate/aggregate-run.ts';
import { scoreRun } from '../../src/score/score-run.ts';
import { renderMarkdownReport, reportView, speedValidityView } from '../../src/report/render-report.ts';
import { renderHtmlReport, singleRun } from '../../src/report/render-html.ts';
import { md, num, pct, stat } from '../../src/report/format.ts';
import { UserError } from '../../src/core/errors.ts';
import type { Summary } from '../../src/core/records.ts';
import { tempDir } from '../helpers/tmp.ts';
import { MANIFEST, TASK, answer, jsonl, result, row, timing } from './aggregate-fixture.ts';
// Candidate screening with its module (the instruction check), as the public API scores by default.
import { publicDefaultTask } from '../../src/public-scoring.ts';

async function summary(): Promise<Summary> {
  const dir = tempDir();
  const items = new Map([row('c1', 'Yes'), row('c2', 'No', ['hard | tricky']), row('c3', 'Maybe')].map((r) => [r.id, r]));
  writeFileSync(
    join(dir, 'results.jsonl'),
    jsonl([
      result({ item_id: 'c1', content: answer('Yes'), usage: [1000, 200] }),
      result({ item_id: 'c2', content: '```json\n' + answer('No', { 'evil|`<b>\nrow': 1 }) + '\n```', usage: [1000, 300] }),
      result({ item_id: 'c3', error: { kind: 'server', status: 503, message: 'busy' } }),
      result({ item_id: 'c1', prompt_version: 'v2', source: 'cached' }),
      result({ item_id: 'c1', model: 'org/model-b', content: 'Sure | here you go' }),
    ]),
  );
  writeFileSync(join(dir, 'timing.jsonl'), jsonl([timing({ sent: 3, wall_ms: 2000 }), timing({ prompt_version: 'v2', cached: 1 }), timing({ model: 'org/model-b', sent: 1 })]));
  await scoreRun({ resultsFile: join(dir, 'results.jsonl'), scoresFile: join(dir, 'scores.jsonl'), scorers: ['json-strict', 'json-recoverable', 'schema', 'recommendation-match', 'follows-instructions'], items, task: publicDefaultTask() });
  return aggregateRun({ scoresFile: join(dir, 'scores.jsonl'), timingFile: join(dir, 'timing.jsonl'), manifest: MANIFEST, task: TASK, seed: 1, resamples: 100, now: () => new Date('2025-03-04T00:00:00Z') });
}

/** The rows of the Markdown table under a heading. */
function tableRows(report: string, heading: string): string[] {
  const section = report.split(`## ${heading}`)[1]!.split('\n## ')[0]!;
  return section.split('\n').filter((l) => l.startsWith('|')).slice(2);
}

/** Cells of a table row, honouring `\|` escapes. */
function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

describe('renderMarkdownReport', () => {
  it('renders the title and a verdict row per model x prompt version', async () => {
    const report = renderMarkdownReport(await summary(), MANIFEST);
    expect(report).toMatch(/^# qualbench report: candidate-screening\n/);
    expect(report).toContain('Dataset **candidates-golden@1.0.0** (10 rows)');
    expect(report).toContain('2025-03-04');
    const rows = tableRows(report, 'Every model × prompt version').map(cells);
    expect(rows).toEqual([
      // ... follows instructions, usable (over all items: 1 of 3), cost per 1K usable (no prices: –).
      ['Model A', 'v1', '3', '1', '50.0%', '50.0%', '100.0%', '100.0%', '1.00 (1.00 to 1.00)', '1,250.0', '250.0', '1.00', '250', '100.0%', '33.3%', '–'],
      ['Model A', 'v2', '1', '0', '100.0%', '100.0%', '100.0%', '100.0%', '–', 'cached', 'cached', 'cached', '50', '100.0%', '100.0%', '–'],
      ['Model B', 'v1', '1', '0', '0.0%', '0.0%', '0.0% (1 unreadable)', '0.0%', '0.00', '150.0', '50.0', '1.00', '50', '0.0%', '0.0%', '–'],
    ]);
  });

  it('puts a caveat beside an ITL below the simulator\'s timer tick (paced chunks), and none above it', async () => {
    const s = await summary();
    const g = s.groups[0]!;
    const simulated = { nominal_speed: 20, effective_speed: null, virtual_s: 10, lag_share: null, held_share: null, engine_share: null, tick_s: 0.06, engine_mean_latency_s: null, harness_mean_latency_s: null, latency_scale: null, requests_per_s: null, output_tokens_per_s: null, total_tokens_per_s: null };
    g.speed.itl_ms = { n: 500, mean: 2, p50: 0.1, p90: 1, p99: 5.8 };
    g.speed.simulated = simulated;
    const itlOf = (r: string) => cells(tableRows(r, 'Latency (vLLM bench definitions, ms, p50 / p99)')[0]!)[5];
    expect(itlOf(renderMarkdownReport(s, MANIFEST))).toBe("0.1 / 5.8 (below the simulator's 60.0 ms tick: paced, not per step)");
    expect(renderHtmlReport(singleRun(s, MANIFEST))).toContain('<td data-v="0.1">0.1 (below the simulator&#x27;s 60.0 ms tick: paced, not per step)</td>');
    g.speed.itl_ms = { n: 500, mean: 80, p50: 75, p90: 90, p99: 120 };
    expect(itlOf(renderMarkdownReport(s, MANIFEST))).toBe('75.0 / 120.0');
    expect(renderHtmlReport(singleRun(s, MANIFEST))).not.toContain('paced, not per step');
    g.speed.simulated = null;
    g.speed.itl_ms = { n: 500, mean: 2, p50: 0.1, p90: 1, p99: 5.8 };
    expect(itlOf(renderMarkdownReport(s, MANIFEST))).toBe('0.1 / 5.8');
  });

  it('lists parse classes per group and request errors', async () => {
    const report = renderMarkdownReport(await summary(), MANIFEST);
    const parse = report.split('## How the answers parsed')[1]!.split('\n## ')[0]!;
    expect(parse).toContain('| Model | Prompt | ok | fenced | not-json |');
    expect(tableRows(report, 'How the answers parsed').map(cells)).toEqual([
      ['Model A', 'v1', '1', '1', '0'],
      ['Model A', 'v2', '1', '0', '0'],
      ['Model B', 'v1', '0', '0', '1'],
    ]);
    expect(tableRows(report, 'Request errors').map(cells)).toEqual([['Model A', 'v1', '1', 'server 1']]);
    expect(tableRows(report, 'By stratum').map(cells)).toEqual([['Model A', 'v1', 'hard \\| tricky', '1', '100.0%', '100.0%', '0.0%']]);
    expect(report).toContain('## How to read this');
  });

  it('shows instruction-following classes, agreement per field and the recommendation confusion matrix', async () => {
    const report = renderMarkdownReport(await summary(), MANIFEST);
    expect(report).toContain('| Model | Prompt | followed | prose |');
    expect(tableRows(report, 'Did the model do the task').map(cells)).toEqual([
      ['Model A', 'v1', '2', '0'],
      ['Model A', 'v2', '1', '0'],
      ['Model B', 'v1', '0', '1'],
    ]);
    const agreement = tableRows(report, 'Agreement with gold labels').map(cells);
    // Model A v1: gold Yes, No; both predicted right.
    expect(agreement[0]).toEqual(['Model A', 'v1', 'recommendation', '2', '0', '100.0%', '100.0%', '1.00 (1.00 to 1.00)', '1.00']);
    // Two items: about half the resamples hold one class only (kappa undefined), so whether an interval is given is a coin toss of the seed.
    expect(agreement.slice(0, 5).map((r) => r[2])).toEqual(['recommendation', 'educational\\_pedigree', 'company\\_pedigree', 'trajectory', 'is\\_software\\_engineer']);
    expect(agreement).toHaveLength(15);
    // Model B v1: one unreadable answer is missing, wrong, and in the `none` column.
    expect(agreement[10]).toEqual(['Model B', 'v1', 'recommendation', '1', '1', '0.0%', '0.0%', '0.00', '0.00']);
    expect(report).toContain('## Confusion matrices: recommendation');
    expect(report).toContain('**Model B v1**');
    expect(report).toContain('| Gold | Strong Yes | Yes | Maybe | No | Strong No | none | Recall | Precision |');
    expect(report).toContain('| Yes | 0 | 0 | 0 | 0 | 0 | 1 | 0.0% | – |');
  });

  it('escapes untrusted text: a `|`, backticks, `<` or a newline cannot break a table', async () => {
    const s = await summary();
    s.groups[0]!.model_label = 'A | B `code` <script>\nnext';
    const report = renderMarkdownReport(s, MANIFEST);
    const rows = tableRows(report, 'Every model × prompt version');
    expect(rows).toHaveLength(3);
    expect(cells(rows[0]!)).toHaveLength(16);
    expect(cells(rows[0]!)[0]).toBe('A \\| B \\`code\\` &lt;script&gt; next');
    const violations = tableRows(report, 'Most frequent contract violations');
    expect(violations).toHaveLength(1);
    expect(cells(violations[0]!)).toHaveLength(4);
    expect(violations[0]).toContain('\\|\\`&lt;b&gt;\\\\nrow');
    expect(report).not.toContain('<script>');
  });

  it('uses a custom template, and names the template when it uses an unknown field', async () => {
    const dir = tempDir();
    const ok = join(dir, 'ok.hbs');
    writeFileSync(ok, '{{#each groups}}{{model}} {{version}} {{json_strict}}\n{{/each}}');
    expect(renderMarkdownReport(await summary(), MANIFEST, { templateFile: ok })).toBe('Model A v1 50.0%\nModel A v2 100.0%\nModel B v1 0.0%\n');
    const bad = join(dir, 'bad.hbs');
    writeFileSync(bad, '{{#each groups}}{{modle}}{{/each}}');
    const err = await summary().then((s) => { try { renderMarkdownReport(s, MANIFEST, { templateFile: bad }); } catch (e) { return e; } });
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).file).toBe(bad);
    expect(() => renderMarkdownReport(s0, MANIFEST, { templateFile: join(dir, 'missing.hbs') })).toThrow(UserError);
  });

  it('builds a view of strings only', async () => {
    const view = reportView(await summary(), MANIFEST);
    expect(view.groups[1]).toMatchObject({ rps: 'cached', latency: 'cached', cached: '1' });
  });
});

const s0 = {} as Summary;

describe('format helpers', () => {
  it.each([
    [pct(0.8765), '87.7%'],
    [pct(1), '100.0%'],
    [pct(null), '–'],
    [num(12345.678), '12,345.7'],
    [num(3, 0), '3'],
    [num(undefined), '–'],
    [stat(-0.1234), '−0.12'],
    [stat(0.5), '0.50'],
    [md('a|b\n`c`<d> *e* [f](g) \\'), 'a\\|b \\`c\\`&lt;d&gt; \\*e\\* \\[f\\](g) \\\\'],
    [md('&lt;'), '&amp;lt;'],
  ])('%j', (got, expected) => {
    expect(got).toBe(expected);
  });
});

describe('renderMarkdownReport on an empty run', () => {
  it('renders without groups', () => {
    const s: Summary = {
      schema_version: 1,
      created_at: '2025-03-04T00:00:00.000Z',
      run: { created_at: MANIFEST.created_at, qualbench_version: '0.1.0', git_commit: null },
      eval: MANIFEST.eval,
      dataset: { ...MANIFEST.dataset, sample: 5 },
      prompt: MANIFEST.prompt,
      scorers: MANIFEST.scorers,
      seed: 1,
      bootstrap_resamples: 1000,
      environment: runEnvironment(MANIFEST),
      groups: [],
      models: [],
      cascades: [],
      examples: [],
    };
    const report = renderMarkdownReport(s, MANIFEST);
    expect(report).toContain('a seeded sample of 5 of 10 rows, seed 1');
    // The HTML report too: every chart says it has no data instead of failing.
    const html = renderHtmlReport(singleRun(s, MANIFEST));
    expect(html).toContain('<h2>Every model × prompt version</h2>');
    expect(html.match(/No data|No answers to classify/g)!.length).toBeGreaterThanOrEqual(4);
    expect(tableRows(report, 'Every model × prompt version')).toEqual([]);
    expect(report).not.toContain('commit');
  });
});

describe('trust in the reports', () => {
  it('leads both reports with what makes the figures doubtful, the server text escaped', async () => {
    const s = await summary();
    // c3 failed with a server message; plant markup in it as a hostile server might.
    const hostile = { ...s, trust: { ...s.trust!, warnings: s.trust!.warnings.map((w) => w.replace('busy', '<img src=x onerror=alert(1)>busy')) } };
    expect(s.trust!.errored).toBe(1);
    expect(s.trust!.warnings.some((w) => w.startsWith('FAILED REQUESTS:') && w.includes('server 503 x1'))).toBe(true);
    const report = renderMarkdownReport(hostile, MANIFEST);
    const head = report.split('\n').slice(0, 12).join('\n');
    expect(head).toMatch(/\*\*INCOMPLETE: \d+ of \d+ answered \(\d+ missing, 1 failed\)\*\*/);
    expect(head).toContain('FAILED REQUESTS');
    expect(report).not.toContain('<img');
    const html = renderHtmlReport(singleRun(hostile, MANIFEST));
    const body = html.slice(html.indexOf('<body>'));
    expect(body.indexOf('id="trust-headline"')).toBeLessThan(body.indexOf('<h2>'));
    expect(body).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;busy');
    expect(body).not.toContain('<img src=x');
    expect(html).toContain('id="table-sources"');
  });
});

describe('control characters from data', () => {
  it('never reach report.md or report.html (a NUL from model output or a label is shown as U+FFFD)', async () => {
    const s = await summary();
    const dirty = { ...s, groups: s.groups.map((g) => ({ ...g, model_label: `bad\u0000label\u001b[31m` })), examples: s.examples.map((e) => ({ ...e, excerpt: `x\u0000y` })) };
    for (const text of [renderMarkdownReport(dirty, MANIFEST), renderHtmlReport(singleRun(dirty, MANIFEST))]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
      expect(text).toContain('bad\uFFFDlabel\uFFFD');
    }
  });
});

describe('speed validity against a real server', () => {
  it('says what was checked: counters matched, none sent, or no /metrics to check against', async () => {
    const s = await summary();
    // The fixture's timing has no /metrics counters: nothing proves the server was not shared.
    const unchecked = speedValidityView(s)!;
    expect(unchecked.valid).toBe(true);
    expect(unchecked.headline).toMatch(/^Speed figures: not checked against the server for \d+ of \d+ model × prompt versions \(no \/metrics counters\)/);
    const measured = s.groups.filter((g) => g.speed.sent > 0);
    const counters = { prompt_tokens: 1, generation_tokens: 1, requests_finished: 1, preemptions: 0, kv_cache_usage_max: null, prefix_cache_hit_rate: null, harness: { prompt_tokens: 1, completion_tokens: 1, requests: 1 }, agrees: true };
    const checked = { ...s, groups: s.groups.map((g) => ({ ...g, speed: { ...g.speed, server: counters } })) };
    expect(measured.length).toBeGreaterThan(0);
    expect(speedValidityView(checked)!.headline).toMatch(/^Speed figures: valid \(the server's \/metrics counters match/);
    const none = { ...s, groups: s.groups.map((g) => ({ ...g, speed: { ...g.speed, sent: 0 } })) };
    expect(speedValidityView(none)!.headline).toMatch(/none measured/);
  });
});
