/**
 * Number formatting and Markdown escaping for reports. Numbers are formatted here, not in templates;
 * every string that reaches a template goes through `md` (model text, labels, reasons alike).
 */
import type { OrdinalAgreement, Summary, SummaryMetrics } from '../core/records.ts';

/** Shown for a value that does not exist (null): no data, not zero. */
export const NONE = '–';

/** Round half away from zero at `digits` decimals, after removing binary noise (0.8765 * 100 is 87.64999…). */
function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(Math.abs(Number((x * f).toPrecision(12)))) / f;
  return x < 0 ? -r : r;
}

/**
 * A rate in [0, 1] as a percentage.
 * @example pct(0.8765) === '87.7%'; pct(null) === '–'
 */
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? NONE : `${roundTo(x * 100, digits).toFixed(digits)}%`;
}

/**
 * A number with thousands separators and a fixed number of decimals.
 * @example num(12345.678) === '12,345.7'; num(3, 0) === '3'
 */
export function num(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return NONE;
  return roundTo(x, digits).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Kappa-like statistics: two decimals, a real minus sign. */
export function stat(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined) return NONE;
  const s = roundTo(x, digits).toFixed(digits);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/**
 * Escape untrusted text for a Markdown table cell or a line of prose: it cannot end the cell (`|`),
 * open code spans or HTML, start a new line, or format (`*`, `_`, `[`, `]`, `~`). For inline use (cells, mid-line).
 * @example md('a|b\n`c`<d>') === 'a\\|b \\`c\\`&lt;d&gt;'
 */
export function md(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([|`*_[\]~])/g, '\\$1')
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ');
}

/** Shorten long untrusted text before escaping it. */
export function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * USD with a dollar sign.
 * @example usd(0.0955) === '$0.096'; usd(null) === '–'
 */
export function usd(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? NONE : `$${num(x, digits)}`;
}

/**
 * The price reports use for "cost per 1K usable results": self-hosted when priced, else the first hosted
 * price; `basis` says which ('self-hosted' or the provider), '' when neither is priced.
 */
export function costPerUsable(m: { cost: { self_hosted: { usd_per_1k_usable: number | null } | null; hosted: { provider: string; usd_per_1k_usable: number | null }[] } }): { value: number | null; basis: string } {
  if (m.cost.self_hosted?.usd_per_1k_usable != null) return { value: m.cost.self_hosted.usd_per_1k_usable, basis: 'self-hosted' };
  const h = m.cost.hosted[0];
  if (h?.usd_per_1k_usable != null) return { value: h.usd_per_1k_usable, basis: h.provider };
  return { value: null, basis: '' };
}

/**
 * The label reports lead with (accuracy, kappa, confusion): the summary's declared primary label, else
 * (summaries written before declared tasks) the first label of the agreement block.
 */
export function primaryLabel(summary: Pick<Summary, 'task' | 'groups'>): string {
  return summary.task?.primary_label ?? Object.keys(summary.groups[0]?.agreement.labels ?? {})[0] ?? '';
}

/** An empty agreement block, for a label a group has no figures for. */
const NO_AGREEMENT: OrdinalAgreement = { n: 0, missing: 0, exact: null, exact_ci: null, within_one: null, kappa: null, kappa_ci: null, confusion: { labels: [], counts: [] }, per_class: {}, macro_f1: null };

/** The agreement of one metrics block on the primary label. */
export function leadAgreement(m: Pick<SummaryMetrics, 'agreement'>, primary: string): OrdinalAgreement {
  return m.agreement.labels[primary] ?? NO_AGREEMENT;
}
