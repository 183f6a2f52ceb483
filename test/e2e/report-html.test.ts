/// <reference lib="dom" />
/**
 * report.html in real headless Chromium: it renders with no console errors and no network, every
 * chart has data, tables sort, the demo's frontier shows the three personas, and model output or
 * config text carrying script is shown as text and never runs. Screenshots go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli, REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { tempProject } from '../helpers/project.ts';
import { artifactPath, launchChromium, openFile } from '../helpers/browser.ts';
import { spawnSimulator } from '../helpers/sim-process.ts';

const LLAMA = 'Llama 3.2 1B';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('the demo report in Chromium', () => {
  let out: string;
  beforeAll(async () => {
    out = join(tempDir(), 'demo');
    const r = await runCli(['demo', '--out', out, '--sample', '60', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('renders without errors or network, every chart has data, and keeps a screenshot', async () => {
    const { page, problems, requests } = await openFile(browser, join(out, 'report.html'));
    await page.screenshot({ path: artifactPath('report-demo.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const marks = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart')].map((svg) => ({ id: svg.id, marks: svg.querySelectorAll('.point, .bar, .segment, .cell').length })),
    );
    expect(marks.map((m) => m.id)).toEqual(expect.arrayContaining(['chart-frontier', 'chart-cost', 'chart-failures', 'chart-latency', 'chart-confusion-0']));
    for (const m of marks) expect(m.marks, m.id).toBeGreaterThan(0);
    // Charts are drawn at a real size, not collapsed.
    const box = await page.locator('#chart-frontier').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(200);
  });

  it('shows the three personas on the frontier chart, Llama 1B fastest and not the cheapest per usable result on the team prompt', async () => {
    const { page } = await openFile(browser, join(out, 'report.html'));
    await page.locator('#chart-frontier').screenshot({ path: artifactPath('report-frontier.png') });
    const points = await page.evaluate(() =>
      [...document.querySelectorAll('#chart-frontier .point')].map((p) => ({
        series: p.getAttribute('data-series')!,
        label: p.getAttribute('data-label')!,
        x: Number(p.getAttribute('data-x')),
        y: Number(p.getAttribute('data-y')),
        frontier: p.getAttribute('data-frontier') === 'true',
      })),
    );
    expect(new Set(points.map((p) => p.series))).toEqual(new Set([LLAMA, 'Gemma 3 4B', 'Qwen 3 4B']));
    expect(points).toHaveLength(9);
    const fastest = points.reduce((a, b) => (b.x > a.x ? b : a));
    expect(fastest.series).toBe(LLAMA);
    // The fastest point is on the frontier by definition; the best quality is not Llama's.
    expect(fastest.frontier).toBe(true);
    const best = points.reduce((a, b) => (b.y > a.y ? b : a));
    expect(best.series).not.toBe(LLAMA);
    expect(points.filter((p) => p.frontier).some((p) => p.series !== LLAMA)).toBe(true);

    const cost = await page.evaluate(() =>
      [...document.querySelectorAll('#chart-cost .bar')].map((b) => ({ label: b.getAttribute('data-label')!, value: Number(b.getAttribute('data-value')) })),
    );
    expect(cost).toHaveLength(9);
    const llamaV1 = cost.find((c) => c.label === `${LLAMA} v1`)!;
    expect(llamaV1.value).toBeGreaterThan(Math.min(...cost.map((c) => c.value)));
    // The figures in the chart are those of summary.json.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { groups: Array<{ model_label: string; prompt_version: string; cost: { self_hosted: { usd_per_1k_usable: number } } }> };
    const g = summary.groups.find((x) => x.model_label === LLAMA && x.prompt_version === 'v1')!;
    expect(llamaV1.value).toBe(g.cost.self_hosted.usd_per_1k_usable);
  });

  it('reports the Llama 1B -> Gemma 4B cascade against Gemma alone', async () => {
    const { page } = await openFile(browser, join(out, 'report.html'));
    const tables = await page.evaluate(() =>
      [...document.querySelectorAll('table.cascade')].map((t) => [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim()))),
    );
    expect(tables).toHaveLength(3); // one per prompt version
    for (const rows of tables) {
      expect(rows[0]![0]).toBe('Gemma 3 4B alone');
      expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining([`escalate when ${LLAMA}'s answer is unusable`]));
      // Every policy has a cost, a time and an agreement.
      for (const r of rows) {
        expect(r[3]).toMatch(/%$/);
        expect(r[5]).toMatch(/^\$\d/);
        expect(r[7]).toMatch(/^\d/);
      }
    }
  });

  it('fits a 1,400 px window and a 390 px phone: no page-wide horizontal scroll, the decision in the first 900 px, the gallery collapsed', async () => {
    for (const width of [1400, 390]) {
      const { page, problems } = await openFile(browser, join(out, 'report.html'), { width, height: 900 });
      const shot = artifactPath(`report-demo-${width}px.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
      expect(problems).toEqual([]);
      const m = await page.evaluate(() => {
        const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
        // Anything reaching past the window's right edge outside a table's own scroll box.
        const outside = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !e.closest('.scroll'))
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`);
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          outside: outside.slice(0, 5),
          decisionTop: box('#decision').top,
          answerBottom: box('#decision .answer').bottom,
          tableInBox: document.querySelector('#table-verdict')!.parentElement!.className,
          gallery: box('#gallery-box').height,
          page: document.documentElement.scrollHeight,
        };
      });
      expect(m.scrollWidth, `${width} px`).toBeLessThanOrEqual(m.clientWidth);
      expect(m.outside, `${width} px`).toEqual([]);
      expect(m.tableInBox).toBe('scroll');
      expect(m.decisionTop, `${width} px`).toBeLessThan(900);
      expect(m.answerBottom, `${width} px`).toBeLessThan(900);
      expect(m.gallery, `${width} px: the collapsed gallery is one line`).toBeLessThan(120);
      await page.click('#gallery-box > summary');
      const opened = await page.evaluate(() => document.querySelector('#gallery-box')!.getBoundingClientRect().height);
      expect(opened).toBeGreaterThan(m.gallery * 5);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      console.log(`${width} px: page ${m.scrollWidth} px wide, ${m.page} px tall, decision at ${Math.round(m.decisionTop)} px, gallery ${Math.round(m.gallery)} px collapsed / ${Math.round(opened)} px open`);
    }
  });

  it('answers the declared question first, and the gallery filters by model, version and class a page at a time', async () => {
    const { page, problems } = await openFile(browser, join(out, 'report.html'));
    const rows = await page.evaluate(() => [...document.querySelectorAll('#table-decision tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent!.trim())));
    expect(rows[0]!.slice(0, 3)).toEqual(['Gemma 3 4B v3', expect.stringMatching(/^0\.\d\d \(0\.\d\d to 0\.\d\d\)$/), 'incumbent']);
    expect(rows[1]![0]).toBe(`${LLAMA} v3`);
    expect(rows[1]![2]).toMatch(/^−0\.\d\d \(−?0\.\d\d to −?0\.\d\d\)$/);
    expect(['worse', 'not enough data']).toContain(rows[1]![3]);
    // The floor the eval declares is drawn on the frontier, and the points under it say so.
    expect(await page.getAttribute('#chart-frontier .floor', 'data-y')).toBe('0.5');
    // Every chart has a caption.
    expect(await page.evaluate(() => [...document.querySelectorAll('.charts figure')].every((f) => (f.querySelector('p.caption')?.textContent ?? '').length > 40))).toBe(true);

    await page.click('#gallery-box > summary');
    const visible = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#gallery .example')].filter((e) => !e.hidden).map((e) => ({ model: e.dataset.model!, version: e.dataset.version!, cls: e.dataset.class! })));
    const first = await visible();
    const size = Number(await page.getAttribute('#gallery', 'data-page-size'));
    const total = await page.evaluate(() => document.querySelectorAll('#gallery .example').length);
    expect(first.length).toBe(Math.min(size, total));
    // The first page is the decided groups', more than one model's, and not all v1.
    expect(new Set(first.map((e) => e.model)).size).toBeGreaterThan(1);
    expect(first.filter((e) => e.version === 'v3').length).toBeGreaterThan(first.length / 2);
    await page.selectOption('#gallery-filters select[data-filter="model"]', LLAMA);
    await page.selectOption('#gallery-filters select[data-filter="version"]', 'v1');
    const llamaV1 = await visible();
    expect(llamaV1.length).toBeGreaterThan(0);
    expect(llamaV1.every((e) => e.model === LLAMA && e.version === 'v1')).toBe(true);
    const cls = llamaV1[0]!.cls;
    await page.selectOption('#gallery-filters select[data-filter="class"]', cls);
    expect((await visible()).every((e) => e.cls === cls && e.model === LLAMA)).toBe(true);
    // Pages: with no filter, Next shows the next cards.
    for (const f of ['model', 'version', 'class']) await page.selectOption(`#gallery-filters select[data-filter="${f}"]`, '');
    if (total > size) {
      await page.click('#gallery-pager button[data-page="1"]');
      expect((await visible()).length).toBe(Math.min(size, total - size));
      expect(await page.textContent('#gallery-page')).toMatch(/^Page 2 of \d+/);
    }
    expect(problems).toEqual([]);
  });

  it('sorts a table when a column header is clicked', async () => {
    const { page } = await openFile(browser, join(out, 'report.html'));
    const column = async () => page.evaluate(() => [...document.querySelectorAll<HTMLTableRowElement>('#table-verdict tbody tr')].map((r) => Number(r.cells[9]!.getAttribute('data-v'))));
    await page.click('#table-verdict th:nth-child(10)');
    const asc = await column();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await page.click('#table-verdict th:nth-child(10)');
    const desc = await column();
    expect(desc).toEqual([...asc].reverse());
  });
});

describe('untrusted text in the HTML report', () => {
  const PAYLOADS = [
    `<script>window.__xss = 'script'</script>`,
    `<img src=x onerror="window.__xss='img'">`,
    `<a id="jsurl" href="javascript:window.__xss='href'">see the fields</a>`,
    `<svg onload="window.__xss='svg'"><circle r="5"/></svg>`,
    `"><script>window.__xss='attr'</script><p title="`,
    `</pre><iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  ];
  const LABEL = `Llama <img src=y onerror="window.__xss='label'">`;
  const RUN_LABEL = `<b onmouseover="window.__xss='run'">run</b>`;
  const STRATUM = `<svg onload="window.__xss='stratum'">`;

  it('shows script, event-handler, javascript: and SVG payloads as text; none runs (model output, dataset strata and names, model labels, run labels)', async () => {
    const root = tempProject();
    // Dataset values: a six-row dataset whose strata and candidate names carry a payload.
    const rows = readFileSync(join(REPO_ROOT, 'datasets/candidates-golden/data.jsonl'), 'utf8').split('\n').slice(0, 6).map((l) => JSON.parse(l) as { id: string; strata: string[]; candidate: { name: string } });
    for (const row of rows) {
      row.strata = [...row.strata, STRATUM];
      row.candidate.name = `${row.candidate.name} <img src=z onerror="window.__xss='name'">`;
    }
    const data = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    writeFileSync(join(root, 'datasets/candidates-golden/data.jsonl'), data);
    const dsManifest = join(root, 'datasets/candidates-golden/manifest.json');
    writeFileSync(dsManifest, JSON.stringify({ ...JSON.parse(readFileSync(dsManifest, 'utf8')), rows: 6, sha256: createHash('sha256').update(data).digest('hex') }, null, 2));
    // Model output: an imported batch file whose answers carry every payload (whichever the gallery picks shows them all).
    const ids = rows.map((r) => r.id);
    const completion = (content: string) => ({ id: 'c', object: 'chat.completion', created: 0, model: 'google/gemma-3-4b-it', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 500, completion_tokens: 60, total_tokens: 560 } });
    const all = PAYLOADS.join('\n');
    // Half prose asking to fill in fields, half JSON with the payloads in its reasoning and a far-off recommendation.
    const json = JSON.stringify({
      recommendation: 'Strong No',
      reasoning: all,
      analysis: Object.fromEntries(['educational_pedigree', 'company_pedigree', 'trajectory', 'is_software_engineer'].map((d) => [d, { rating: 'Weak', reasoning: 'See above.' }])),
    });
    const contents = ids.map((_, i) => (i % 2 === 0 ? `Please fill in the fields:\n${all}` : json));
    const file = join(root, 'output.jsonl');
    writeFileSync(file, ids.map((id, i) => JSON.stringify({ id: `b${i}`, custom_id: id, response: { status_code: 200, request_id: `r${i}`, body: completion(contents[i]!) }, error: null })).join('\n') + '\n');
    const imported = await runCli(['import', file, '--model', 'google/gemma-3-4b-it', '--prompt-version', 'v2', '--out', 'imported', '--json'], { cwd: root });
    expect(imported.code, imported.stderr).toBe(0);

    // A model label from config, through a real eval against the simulator.
    const models = JSON.parse(readFileSync(join(root, 'evals/models.json'), 'utf8')) as { models: Array<Record<string, unknown>> };
    models.models[0]!.label = LABEL;
    writeFileSync(join(root, 'evals/models.json'), JSON.stringify(models, null, 2));
    const sim = await spawnSimulator(['--speed', 'instant']);
    try {
      const run = await runCli(['eval', '--sample', '6', '--model', 'meta-llama/Llama-3.2-1B-Instruct', '--out', 'labelled', '--base-url', sim.baseURL, '--store', 'store', '--quiet'], { cwd: root });
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await sim.stop();
    }
    // Both runs in one comparison, one of them with a hostile run label.
    const combined = await runCli(['report', 'imported', 'labelled', '--out', 'combined', '--label', RUN_LABEL, '--label', 'plain', '--quiet'], { cwd: root });
    expect(combined.code, combined.stderr).toBe(0);

    for (const html of ['imported/report.html', 'combined/report.html']) {
      const { page, problems, requests } = await openFile(browser, join(root, html));
      await page.waitForTimeout(300);
      await page.screenshot({ path: artifactPath(`report-xss-${html.split('/')[0]}.png`), fullPage: true });
      expect(problems, html).toEqual([]);
      expect(requests, html).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), html).toBeUndefined();
      // No element was created from the payloads: one script (the report's own), no img, iframe, handler or javascript: link.
      const dom = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script').length,
        injected: document.querySelectorAll('img, iframe, b, #jsurl, [onerror], [onload], a[href^="javascript"]').length,
        svgInGallery: document.querySelectorAll('#gallery svg').length,
      }));
      expect(dom, html).toEqual({ scripts: 1, injected: 0, svgInGallery: 0 });
      // The text is there, as the model wrote it.
      const gallery = (await page.textContent('#gallery'))!;
      for (const p of PAYLOADS) expect(gallery, html).toContain(p);
      await page.click('#gallery-box > summary');
      await page.click('#gallery .example:not([hidden]) pre');
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), html).toBeUndefined();
    }
    const { page } = await openFile(browser, join(root, 'combined/report.html'));
    expect(await page.textContent('#table-verdict')).toContain(LABEL);
    expect(await page.textContent('#table-runs')).toContain(RUN_LABEL);
    expect(await page.textContent('#table-strata')).toContain(STRATUM);
    const chartText = await page.evaluate(() => [...document.querySelectorAll('svg.chart text, svg.chart title')].map((t) => t.textContent).join('\n'));
    expect(chartText).toContain(LABEL);
    // The Markdown reports escape the same text.
    for (const md of ['imported/report.md', 'combined/report.md']) expect(readFileSync(join(root, md), 'utf8')).not.toMatch(/<script|<img|<iframe|<svg on|<b>/);
  });
});
