/**
 * Inline SVG charts for the HTML report: plain strings, no library, no script. Every text and
 * attribute value that reaches the markup goes through `esc` (labels can be model output or config).
 * Marks carry data-* attributes (series, x, y) so a browser test can check that a chart has data.
 */

/** Escape text for an HTML/SVG text node or a quoted attribute value. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A colour per series, stable by index (colour-blind-friendly Okabe-Ito order). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/** Colours of failure classes, none of them a model's (PALETTE); the first class (`followed`) is neutral grey. */
export const CLASS_PALETTE = ['#BBBBBB', '#CC6677', '#DDCC77', '#882255', '#44AA99', '#332288', '#999933', '#AA4499', '#117733', '#661100'];

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const f = (x: number): string => (Math.round(x * 10) / 10).toString();

function svgOpen(id: string, title: string, width: number, height: number): string {
  return `<svg id="${esc(id)}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${esc(title)}</title>`;
}

/** Round tick values for an axis from lo to hi. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks at 1-2-5 steps on a log axis; 1-1.5-2-3-5-7 when that gives fewer than four. */
export function logTicks(lo: number, hi: number): number[] {
  const at = (steps: number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of steps) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(Number(v.toPrecision(12)));
      }
    }
    return out;
  };
  const coarse = at([1, 2, 5]);
  if (coarse.length >= 4) return coarse;
  const fine = at([1, 1.5, 2, 3, 5, 7]);
  return fine.length >= 2 ? fine : [Number(lo.toPrecision(2)), Number(hi.toPrecision(2))];
}

/** A label's box, for keeping labels apart. */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const textWidth = (t: string): number => t.length * 6.2 + 2;

/**
 * Place each point's label next to it where it overlaps no placed label, no point and stays in the plot;
 * moved further away, it gets a leader line back to its point. Returns [x, y, leader] per point.
 */
export function placeLabels(points: { x: number; y: number; text: string }[], area: Box): { x: number; y: number; anchor: 'start' | 'end'; leader: boolean }[] {
  const placed: Box[] = points.map((p) => ({ x: p.x - 6, y: p.y - 6, w: 12, h: 12 }));
  const offsets: [number, number, boolean][] = [];
  for (const d of [0, 14, 28, 42, 56]) for (const [dx, dy] of [[8, -6], [8, 14], [-8, -6], [-8, 14]] as const) offsets.push([dx + Math.sign(dx) * (d ? 6 : 0), dy + (dy < 0 ? -d : d), d > 0]);
  return points.map((p) => {
    const w = textWidth(p.text);
    for (const [dx, dy, far] of offsets) {
      const x = dx > 0 ? p.x + dx : p.x + dx - w;
      const box = { x, y: p.y + dy - 10, w, h: 12 };
      if (box.x < area.x || box.x + box.w > area.x + area.w || box.y < area.y || box.y + box.h > area.y + area.h) continue;
      if (placed.some((b) => overlaps(b, box))) continue;
      placed.push(box);
      return { x: dx > 0 ? x : x + w, y: p.y + dy, anchor: dx > 0 ? 'start' : 'end', leader: far };
    }
    return { x: p.x + 8, y: p.y - 6, anchor: 'start', leader: false };
  });
}

const shortNum = (v: number): string => (Math.abs(v) >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : `${Number(v.toPrecision(3))}`);

export interface ScatterPoint {
  series: string;
  label: string;
  x: number;
  y: number;
}

/**
 * Points of the Pareto frontier (higher x and higher y are both better): those no other point
 * beats on both. Returned by ascending x.
 */
export function paretoFrontier<T extends { x: number; y: number }>(points: T[]): T[] {
  const sorted = [...points].sort((a, b) => b.x - a.x || b.y - a.y);
  const out: T[] = [];
  let bestY = -Infinity;
  for (const p of sorted) {
    if (p.y > bestY) {
      out.push(p);
      bestY = p.y;
    }
  }
  return out.reverse();
}

/** Quality against throughput, log x, frontier drawn as a step line and its points ringed. */
export function scatterChart(opts: { id: string; title: string; xLabel: string; yLabel: string; points: ScatterPoint[]; series: string[]; logX?: boolean; floor?: { y: number; label: string } }): string {
  const W = 600;
  const H = 360;
  const m = { l: 56, r: 140, t: 16, b: 44 };
  const pts = opts.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!opts.logX || p.x > 0));
  let out = svgOpen(opts.id, opts.title, W, H);
  if (pts.length === 0) return `${out}<text x="20" y="40" ${FONT}>No data: nothing was timed or scored.</text></svg>`;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const log = opts.logX === true;
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (log) {
    x0 /= 1.3;
    x1 *= 1.3;
  } else {
    const pad = (x1 - x0 || Math.abs(x1) || 1) * 0.1;
    x0 -= pad;
    x1 += pad;
  }
  const floorY = opts.floor?.y;
  const y0 = Math.min(0, Math.min(...ys) - 0.05);
  const y1 = Math.min(1, Math.max(...ys, floorY ?? -Infinity) + 0.1);
  const px = (x: number): number => m.l + ((log ? Math.log(x / x0) / Math.log(x1 / x0) : (x - x0) / (x1 - x0)) * (W - m.l - m.r));
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  // Axes and grid.
  for (const t of log ? logTicks(x0, x1) : ticks(x0, x1)) {
    out += `<line x1="${f(px(t))}" x2="${f(px(t))}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/><text x="${f(px(t))}" y="${H - m.b + 14}" text-anchor="middle" ${FONT}>${esc(shortNum(t))}</text>`;
  }
  for (const t of ticks(y0, y1)) {
    out += `<line x1="${m.l}" x2="${W - m.r}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#eee"/><text x="${m.l - 6}" y="${f(py(t) + 4)}" text-anchor="end" ${FONT}>${esc(t.toFixed(2))}</text>`;
  }
  out += `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#888"/><line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#888"/>`;
  out += `<text x="${f((m.l + W - m.r) / 2)}" y="${H - 8}" text-anchor="middle" ${FONT}>${esc(opts.xLabel)}</text>`;
  out += `<text transform="translate(14 ${f((m.t + H - m.b) / 2)}) rotate(-90)" text-anchor="middle" ${FONT}>${esc(opts.yLabel)}</text>`;
  // Frontier: a step line through the non-dominated points.
  const front = paretoFrontier(pts);
  if (front.length > 1) {
    let d = `M${f(px(front[0]!.x))},${f(py(front[0]!.y))}`;
    for (let i = 1; i < front.length; i++) d += ` L${f(px(front[i]!.x))},${f(py(front[i - 1]!.y))} L${f(px(front[i]!.x))},${f(py(front[i]!.y))}`;
    out += `<path class="frontier" d="${d}" fill="none" stroke="#444" stroke-dasharray="4 3"/>`;
  }
  if (floorY !== undefined) {
    out += `<g class="floor" data-y="${floorY}"><line x1="${m.l}" x2="${W - m.r}" y1="${f(py(floorY))}" y2="${f(py(floorY))}" stroke="#b71c1c" stroke-width="1.5" stroke-dasharray="6 4"/>`;
    out += `<text x="${W - m.r - 4}" y="${f(py(floorY) - 4)}" text-anchor="end" fill="#b71c1c" ${FONT}>${esc(opts.floor!.label)}</text></g>`;
  }
  const labels = placeLabels(
    pts.map((p) => ({ x: px(p.x), y: py(p.y), text: p.label })),
    { x: m.l, y: m.t, w: W - m.l - m.r, h: H - m.t - m.b },
  );
  pts.forEach((p, i) => {
    const color = PALETTE[Math.max(0, opts.series.indexOf(p.series)) % PALETTE.length]!;
    const onFront = front.includes(p);
    const below = floorY !== undefined && p.y < floorY;
    const l = labels[i]!;
    out += `<g class="point" data-series="${esc(p.series)}" data-label="${esc(p.label)}" data-x="${p.x}" data-y="${p.y}" data-frontier="${onFront}" data-below-floor="${below}">`;
    out += `<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="6" fill="${color}" fill-opacity="${below ? 0.35 : 0.85}"${onFront ? ' stroke="#000" stroke-width="2"' : ''}><title>${esc(`${p.series} ${p.label}: x ${shortNum(p.x)}, y ${p.y.toFixed(3)}${below ? ' (below the floor)' : ''}`)}</title></circle>`;
    if (l.leader) out += `<line class="leader" x1="${f(px(p.x))}" y1="${f(py(p.y))}" x2="${f(l.anchor === 'start' ? l.x - 1 : l.x + 1)}" y2="${f(l.y - 4)}" stroke="${color}" stroke-width="0.8"/>`;
    out += `<text class="label" x="${f(l.x)}" y="${f(l.y)}" text-anchor="${l.anchor}" ${FONT}>${esc(p.label)}</text></g>`;
  });
  out += legend(opts.series, W - m.r + 12, m.t + 4);
  const note = floorY !== undefined ? ['ringed: frontier', '(fastest for its κ)', 'faded: below floor'] : ['ringed: frontier', '(fastest for its κ)'];
  note.forEach((t, i) => (out += `<text x="${W - m.r + 12}" y="${m.t + 20 + opts.series.length * 16 + i * 14}" ${FONT}>${esc(t)}</text>`));
  return `${out}</svg>`;
}

function legend(series: string[], x: number, y: number, palette: string[] = PALETTE): string {
  return series
    .map((s, i) => `<rect x="${x}" y="${y + i * 16}" width="10" height="10" fill="${palette[i % palette.length]}"/><text x="${x + 14}" y="${y + i * 16 + 9}" ${FONT}>${esc(s)}</text>`)
    .join('');
}

export interface Bar {
  series: string;
  label: string;
  value: number | null;
  /** Shown at the bar's end. */
  text: string;
}

/** Horizontal bars, one per row; a null value is drawn as "no data". */
export function barChart(opts: { id: string; title: string; xLabel: string; bars: Bar[]; series: string[] }): string {
  const rowH = 22;
  const m = { l: 170, r: 90, t: 10, b: 40 };
  const W = 600;
  const H = m.t + m.b + Math.max(1, opts.bars.length) * rowH;
  let out = svgOpen(opts.id, opts.title, W, H);
  const values = opts.bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return `${out}<text x="20" y="30" ${FONT}>No data for this chart (no prices or no timing).</text></svg>`;
  const axis = ticks(0, Math.max(...values) || 1, 4);
  const max = Math.max(...values, axis[axis.length - 1]!) || 1;
  const px = (v: number): number => m.l + (v / max) * (W - m.l - m.r);
  for (const t of axis) {
    out += `<g class="tick"><line x1="${f(px(t))}" x2="${f(px(t))}" y1="${m.t}" y2="${H - m.b}" stroke="#eee"/><text x="${f(px(t))}" y="${H - m.b + 12}" text-anchor="middle" ${FONT}>${esc(shortNum(t))}</text></g>`;
  }
  out += `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#888"/>`;
  opts.bars.forEach((b, i) => {
    const y = m.t + i * rowH;
    const color = PALETTE[Math.max(0, opts.series.indexOf(b.series)) % PALETTE.length]!;
    out += `<text x="${m.l - 6}" y="${y + 15}" text-anchor="end" ${FONT}>${esc(b.label)}</text>`;
    if (b.value === null || !Number.isFinite(b.value)) {
      out += `<text x="${m.l + 4}" y="${y + 15}" fill="#888" ${FONT}>no data</text>`;
    } else {
      out += `<g class="bar" data-series="${esc(b.series)}" data-label="${esc(b.label)}" data-value="${b.value}"><rect x="${m.l}" y="${y + 4}" width="${f(Math.max(1, px(b.value) - m.l))}" height="${rowH - 8}" fill="${color}"><title>${esc(`${b.label}: ${b.text}`)}</title></rect>`;
      out += `<text x="${f(px(b.value) + 4)}" y="${y + 15}" ${FONT}>${esc(b.text)}</text></g>`;
    }
  });
  out += `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#888"/>`;
  out += `<text x="${f((m.l + W - m.r) / 2)}" y="${H - 8}" text-anchor="middle" ${FONT}>${esc(opts.xLabel)}</text>`;
  return `${out}</svg>`;
}

/** 100% stacked horizontal bars: each row's shares of its classes. */
export function stackedChart(opts: { id: string; title: string; rows: { label: string; counts: Record<string, number> }[]; classes: string[] }): string {
  const rowH = 22;
  const m = { l: 170, r: 150, t: 10, b: 40 };
  const W = 600;
  const H = Math.max(m.t + m.b + Math.max(1, opts.rows.length) * rowH, m.t + 10 + opts.classes.length * 16);
  let out = svgOpen(opts.id, opts.title, W, H);
  if (opts.rows.length === 0 || opts.classes.length === 0) return `${out}<text x="20" y="30" ${FONT}>No answers to classify.</text></svg>`;
  const width = W - m.l - m.r;
  opts.rows.forEach((r, i) => {
    const y = m.t + i * rowH;
    const total = opts.classes.reduce((a, c) => a + (r.counts[c] ?? 0), 0);
    out += `<text x="${m.l - 6}" y="${y + 15}" text-anchor="end" ${FONT}>${esc(r.label)}</text>`;
    let x = m.l;
    opts.classes.forEach((c, k) => {
      const n = r.counts[c] ?? 0;
      if (n === 0 || total === 0) return;
      const w = (n / total) * width;
      const share = `${Math.round((n / total) * 100)}%`;
      out += `<rect class="segment" data-series="${esc(r.label)}" data-class="${esc(c)}" data-value="${n}" x="${f(x)}" y="${y + 4}" width="${f(w)}" height="${rowH - 8}" fill="${CLASS_PALETTE[k % CLASS_PALETTE.length]}"><title>${esc(`${r.label}: ${c} ${n} of ${total} (${share})`)}</title></rect>`;
      if (w >= 30) out += `<text class="share" x="${f(x + w / 2)}" y="${y + 15}" text-anchor="middle" fill="${k === 0 || k === 2 || k === 4 ? '#000' : '#fff'}" ${FONT}>${share}</text>`;
      x += w;
    });
  });
  const bottom = m.t + Math.max(1, opts.rows.length) * rowH;
  for (const t of [0, 25, 50, 75, 100]) {
    const tx = m.l + (t / 100) * width;
    out += `<g class="tick"><line x1="${f(tx)}" x2="${f(tx)}" y1="${bottom}" y2="${bottom + 4}" stroke="#888"/><text x="${f(tx)}" y="${bottom + 15}" text-anchor="middle" ${FONT}>${t}%</text></g>`;
  }
  out += `<line x1="${m.l}" x2="${m.l + width}" y1="${bottom}" y2="${bottom}" stroke="#888"/>`;
  out += `<text x="${f(m.l + width / 2)}" y="${bottom + 30}" text-anchor="middle" ${FONT}>share of answered items</text>`;
  out += legend(opts.classes, W - m.r + 12, m.t + 4, CLASS_PALETTE);
  return `${out}</svg>`;
}

/** A confusion matrix as a heatmap: rows gold, columns predicted (then `none`), shade by row share. */
export function heatmap(opts: { id: string; title: string; rowLabels: string[]; colLabels: string[]; counts: number[][] }): string {
  const cell = 34;
  const m = { l: 84, t: 56, r: 10, b: 10 };
  const W = m.l + m.r + opts.colLabels.length * cell;
  const H = m.t + m.b + opts.rowLabels.length * cell;
  let out = svgOpen(opts.id, opts.title, W, H);
  opts.colLabels.forEach((c, j) => {
    out += `<text transform="translate(${f(m.l + j * cell + cell / 2 + 4)} ${m.t - 6}) rotate(-45)" ${FONT}>${esc(c)}</text>`;
  });
  opts.rowLabels.forEach((r, i) => {
    const row = opts.counts[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    out += `<text x="${m.l - 6}" y="${f(m.t + i * cell + cell / 2 + 4)}" text-anchor="end" ${FONT}>${esc(r)}</text>`;
    opts.colLabels.forEach((c, j) => {
      const n = row[j] ?? 0;
      const share = total ? n / total : 0;
      const fill = i === j ? `rgba(0,114,178,${f(0.1 + 0.9 * share)})` : `rgba(213,94,0,${f(0.05 + 0.95 * share)})`;
      out += `<g class="cell" data-row="${esc(r)}" data-col="${esc(c)}" data-value="${n}"><rect x="${m.l + j * cell}" y="${m.t + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"><title>${esc(`gold ${r}, predicted ${c}: ${n}`)}</title></rect>`;
      out += `<text x="${f(m.l + j * cell + cell / 2 - 1)}" y="${f(m.t + i * cell + cell / 2 + 3)}" text-anchor="middle" ${FONT}>${n}</text></g>`;
    });
  });
  return `${out}</svg>`;
}
