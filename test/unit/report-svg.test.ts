import { describe, expect, it } from 'vitest';
import { barChart, esc, heatmap, paretoFrontier, scatterChart, stackedChart } from '../../src/report/svg.ts';

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
