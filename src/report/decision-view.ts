/**
 * The decision block both reports and the pull-request comment open with, from summary.decision: the
 * question, a one-sentence answer, one line per candidate against the incumbent, and the best cascade.
 * Plain strings: the Markdown report escapes them with `md`, Handlebars escapes them in HTML.
 */
import type { DecisionArmSummary, DecisionCandidate, Summary } from '../core/records.ts';
import { num, pct, stat, usd } from './format.ts';

export interface DecisionRowView {
  name: string;
  quality: string;
  difference: string;
  verdict: string;
  /** `better`, `same`, `worse` or `unknown`: a CSS class. */
  tone: string;
  usable: string;
  cost: string;
  hours: string;
  floors: string;
}

export interface DecisionView {
  question: string;
  answer: string;
  metric: string;
  workload: string;
  incumbent: DecisionRowView | null;
  candidates: DecisionRowView[];
  /** The cascades that beat both, as rows after the candidates. */
  cascades: DecisionRowView[];
  rule: string;
  notes: string[];
  source: string;
}

const range = (ci: { lo: number; hi: number } | null): string => (ci ? ` (${stat(ci.lo)} to ${stat(ci.hi)})` : '');
const signed = (x: number | null): string => (x === null ? '–' : x > 0 ? `+${stat(x)}` : stat(x));
const costText = (a: DecisionArmSummary): string => (a.usd_per_1k_usable === null ? '–' : `${usd(a.usd_per_1k_usable)}${a.cost_basis && a.cost_basis !== 'self-hosted' ? ` (${a.cost_basis})` : ''}`);
const hoursText = (h: number | null): string => (h === null ? '–' : `${num(h, 1)} h`);
const TONE: Record<DecisionCandidate['verdict'], string> = { better: 'better', 'no detectable difference': 'same', worse: 'worse', 'not enough data': 'unknown' };

function row(a: DecisionArmSummary, extra: { difference: string; verdict: string; tone: string }): DecisionRowView {
  return {
    name: `${a.model_label} ${a.prompt_version}`,
    quality: `${stat(a.quality)}${range(a.quality_ci)}`,
    ...extra,
    usable: pct(a.usable_rate),
    cost: costText(a),
    hours: hoursText(a.hours),
    floors: a.below_floors.length ? a.below_floors.join('; ') : 'meets',
  };
}

/** The decision block's strings; null when the summary has none (older summaries, nothing scored). */
export function decisionView(summary: Summary): DecisionView | null {
  const d = summary.decision;
  if (!d) return null;
  const m = d.metric === 'kappa' ? 'κ' : 'exact agreement';
  const inc = d.incumbent;
  const floorsDeclared = d.floors.quality !== null || d.floors.usable_rate !== null;
  const candidates = d.candidates.map((c) =>
    row(c, { difference: `${signed(c.difference)}${range(c.difference_ci)}`, verdict: c.verdict, tone: TONE[c.verdict] }),
  );
  const cascades: DecisionRowView[] = d.cascades.map((c) => ({
    name: `Cascade ${c.prompt_version}: ${c.screen_label} → ${c.escalate_label}, ${c.description}`,
    quality: `${stat(c.quality)}${range(c.quality_ci)}`,
    difference: c.paired_items > 0 ? `${signed(c.difference)}${range(c.difference_ci)}` : '– (not paired)',
    verdict: [c.paired_items > 0 ? c.verdict : '', c.saving === null ? '' : `${pct(Math.abs(c.saving), 1)} ${c.saving >= 0 ? 'cheaper' : 'dearer'} than ${c.escalate_label} alone${c.saving_basis === 'time' ? ' (time)' : ''}`].filter(Boolean).join(', ') || 'cascade',
    tone: 'cascade',
    usable: pct(c.usable_rate),
    cost: c.usd_per_1k_usable === null ? '–' : usd(c.usd_per_1k_usable),
    hours: hoursText(c.hours),
    floors: 'meets',
  }));
  return {
    question: d.question,
    answer: answerLine(d, m, floorsDeclared),
    metric: m,
    workload: num(d.workload, 0),
    incumbent: inc ? row(inc, { difference: 'incumbent', verdict: '', tone: 'incumbent' }) : null,
    candidates,
    cascades,
    rule: `${d.rule}${floorsDeclared ? ` Floors${d.floors.name ? ` (${d.floors.name})` : ''}: ${[d.floors.quality === null ? '' : `${m} ≥ ${d.floors.quality}`, d.floors.usable_rate === null ? '' : `usable ≥ ${pct(d.floors.usable_rate, 0)}`].filter(Boolean).join(', ')}.` : ''} Quality is ${m} with the gold ${d.label} on the items both answered.`,
    notes: d.notes,
    source: d.source === 'declared' ? '' : 'No decision is declared in the eval (`decision` block): the incumbent is the best-quality group, and the candidate is the cheapest other group meeting the floors.',
  };
}

/** One clause per candidate: can the workload move to it? */
function answerLine(d: NonNullable<Summary['decision']>, m: string, floorsDeclared: boolean): string {
  if (!d.incumbent) return 'No answer: the incumbent is not in this run.';
  if (!d.trusted) return 'No verdict: the run is not complete (see the warnings above).';
  if (d.candidates.length === 0) return 'No candidate to compare with the incumbent.';
  const incumbent = d.incumbent;
  const inc = `${incumbent.model_label} ${incumbent.prompt_version}`;
  const clause = (c: DecisionCandidate): string => {
    const name = `${c.model_label} ${c.prompt_version}`;
    const figures = `${m} ${stat(c.quality)} vs ${stat(incumbent.quality)}, Δ ${signed(c.difference)}${range(c.difference_ci)}`;
    const floors = c.below_floors.length && floorsDeclared ? ` and misses the floors (${c.below_floors.join(', ')})` : '';
    const cheaper = c.usd_per_1k_usable !== null && incumbent.usd_per_1k_usable ? ` at ${pct(1 - c.usd_per_1k_usable / incumbent.usd_per_1k_usable, 0)} lower cost per usable result` : '';
    if (c.below_floors.length) return `${name}: no, ${c.verdict === 'worse' ? `worse than ${inc}` : c.verdict === 'better' ? `better than ${inc}` : `${c.verdict} against ${inc}`} (${figures})${floors}`;
    if (c.verdict === 'better' || c.verdict === 'no detectable difference') return `${name}: yes, ${c.verdict === 'better' ? 'better than' : 'no detectable difference from'} ${inc} (${figures})${cheaper}`;
    if (c.verdict === 'worse') return `${name}: a trade-off, worse than ${inc} (${figures}) but above the floors${cheaper}`;
    return `${name}: not shown yet, too few items to tell it from ${inc} (${figures})`;
  };
  const match = d.cascades.find((c) => c.paired_items > 0 && (c.verdict === 'better' || c.verdict === 'no detectable difference'));
  const tail = match
    ? ` · Cascade ${match.screen_label} → ${match.escalate_label} (${match.prompt_version}), ${match.description}: ${match.verdict === 'better' ? 'better than' : 'no detectable difference from'} ${inc} (Δ ${signed(match.difference)}${range(match.difference_ci)})${match.saving !== null && match.saving > 0 ? ` at ${pct(match.saving, 1)} lower cost` : ''}.`
    : d.cascades.length
      ? ` · ${d.cascades.length === 1 ? 'A cascade beats' : `${d.cascades.length} cascades beat`} both (the last rows).`
      : '';
  return `${d.candidates.map(clause).join(' · ')}${tail}`;
}
