import { describe, expect, it } from 'vitest';
import { CLASS_PALETTE, PALETTE, barChart, esc, heatmap, logTicks, paretoFrontier, placeLabels, scatterChart, stackedChart } from '../../src/report/svg.ts';

describe('paretoFrontier', () => {
  it('keeps the points no other point beats on both axes, by ascending x', () => {
    const pts = [
      { x: 1, y: 0.9, n: 'slow-good' },
      { x: 2, y: 0.5, n: 'dominated' },
      { x: 3, y: 0.6, n: 'mid' },
      { x: 10, y: 0.1, n: 'fast-bad' },
      { x: 10, y: 0.05, n: 'fast-worse' },
    ];
    expect(paretoFrontier(pts).map((p) => p.n)).toEqual(['slow-good', 'mid', 'fast-bad']);
    expect(paretoFrontier([])).toEqual([]);
  });
});

describe('charts escape every text', () => {
  const evil = `<script>alert(1)</script>" onload="x`;
  it.each([
    ['scatter', scatterChart({ id: 'a', title: evil, xLabel: evil, yLabel: evil, points: [{ series: evil, label: evil, x: 1, y: 0.5 }], series: [evil], logX: true })],
    ['bars', barChart({ id: 'b', title: evil, xLabel: evil, bars: [{ series: evil, label: evil, value: 1, text: evil }], series: [evil] })],
    ['stacked', stackedChart({ id: 'c', title: evil, rows: [{ label: evil, counts: { [evil]: 2 } }], classes: [evil] })],
    ['heatmap', heatmap({ id: 'd', title: evil, rowLabels: [evil], colLabels: [evil], counts: [[3]] })],
  ])('%s', (_name, svg) => {
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('" onload="');
    expect(svg).toContain(esc(evil));
  });

  it('says so when a chart has no data', () => {
    expect(barChart({ id: 'b', title: 't', xLabel: 'x', bars: [{ series: 's', label: 'l', value: null, text: '–' }], series: ['s'] })).toContain('No data');
    expect(scatterChart({ id: 'a', title: 't', xLabel: 'x', yLabel: 'y', points: [], series: [] })).toContain('No data');
  });
});

describe('readable charts', () => {
  it('puts at least four ticks on a log axis that spans less than a decade', () => {
    expect(logTicks(0.83, 35)).toEqual([1, 2, 5, 10, 20]);
    const narrow = logTicks(0.8, 3);
    expect(narrow.length).toBeGreaterThanOrEqual(4);
    expect(narrow).toEqual([1, 1.5, 2, 3]);
  });

  it('places labels of nearby points apart, with a leader line when moved', () => {
    const points = [0, 1, 2, 3, 4, 5].map((i) => ({ x: 100, y: 100 + i * 3, text: `v${i}` }));
    const placed = placeLabels(points, { x: 0, y: 0, w: 400, h: 300 });
    const boxes = placed.map((p, i) => ({ x: p.anchor === 'start' ? p.x : p.x - points[i]!.text.length * 6.2 - 2, y: p.y - 10, w: points[i]!.text.length * 6.2 + 2, h: 12 }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h, `labels ${i} and ${j} overlap`).toBe(false);
      }
    expect(placed.some((p) => p.leader)).toBe(true);
  });

  it('draws the quality floor with its name and fades the points below it', () => {
    const svg = scatterChart({ id: 'f', title: 't', xLabel: 'x', yLabel: 'y', series: ['A'], logX: true, points: [{ series: 'A', label: 'v1', x: 2, y: 0.3 }, { series: 'A', label: 'v2', x: 1, y: 0.7 }], floor: { y: 0.5, label: 'screening floor: κ 0.50' } });
    expect(svg).toMatch(/<g class="floor" data-y="0.5">/);
    expect(svg).toContain('screening floor: κ 0.50');
    expect(svg).toMatch(/data-label="v1"[^>]*data-below-floor="true"/);
    expect(svg).toMatch(/data-label="v2"[^>]*data-below-floor="false"/);
  });

  it('gives bar charts an axis, stacked bars percentages, and failure classes colours no model has', () => {
    const bars = barChart({ id: 'b', title: 't', xLabel: 'USD', series: ['A'], bars: [{ series: 'A', label: 'A v1', value: 0.12, text: '$0.12' }] });
    expect((bars.match(/class="tick"/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const stacked = stackedChart({ id: 's', title: 't', classes: ['followed', 'prose'], rows: [{ label: 'A v1', counts: { followed: 3, prose: 1 } }] });
    expect(stacked).toContain('>75%</text>');
    expect(stacked).toContain('>100%</text>');
    for (const c of CLASS_PALETTE) expect(PALETTE).not.toContain(c);
    expect(stacked).toContain(`fill="${CLASS_PALETTE[0]}"`);
  });
});
