/**
 * The pull-request comment the GitHub workflow posts (one comment, updated on each push): what makes the
 * figures doubtful, the decision block, the gates that failed or could not decide, and a link to the
 * HTML report. Every string from the run is escaped for Markdown.
 */
import type { RunManifest, Summary } from '../core/records.ts';
import type { GateReport } from '../core/gate-records.ts';
import { decisionView } from './decision-view.ts';
import { md, pct } from './format.ts';
import { trustView } from './trust-view.ts';
import { speedValidityView } from './render-report.ts';

/** The hidden first line that marks qualbench's comment, so a later push updates it instead of adding one. */
export const PR_COMMENT_MARKER = '<!-- qualbench-report -->';

const cells = (xs: string[]): string => `| ${xs.join(' | ')} |`;

export function renderPrComment(summary: Summary, manifest: RunManifest, gate: GateReport | null, opts: { reportUrl?: string } = {}): string {
  const out: string[] = [PR_COMMENT_MARKER, `### qualbench: ${md(summary.eval.name)} on ${md(`${summary.dataset.name}@${summary.dataset.version}`)}`, ''];
  const trust = trustView(summary);
  if (trust.headline) out.push(`**${md(trust.headline)}**`, '');
  for (const w of trust.warnings) out.push(`> - ${md(w)}`);
  const speed = speedValidityView(summary);
  if (speed && !speed.valid) out.push(`> **${md(speed.headline)}**`, ...speed.reasons.map((r) => `> - ${md(r)}`));
  if (trust.warnings.length || (speed && !speed.valid)) out.push('');

  if (gate) {
    const bad = gate.verdicts.filter((v) => v.verdict !== 'pass');
    const label = (id: string) => manifest.models.find((m) => m.id === id)?.label ?? id;
    out.push(`**Gates: ${gate.passed ? 'passed' : 'FAILED'}** (${gate.counts.pass} pass, ${gate.counts.fail} fail, ${gate.counts.inconclusive} inconclusive${gate.partial ? `; ${md(gate.partial)}` : ''})`, '');
    if (bad.length) {
      out.push(cells(['Gate', 'Model', 'Prompt', 'Verdict', 'Observed (95% CI)', 'Threshold', 'Note']), '|---|---|---|---|--:|--:|---|');
      for (const v of bad) {
        const observed = `${pct(v.observed)}${v.ci ? ` (${pct(v.ci.lo)} to ${pct(v.ci.hi)})` : ''}`;
        const threshold = v.kind === 'floor' ? `≥ ${pct(v.threshold)}` : `drop ≤ ${pct(v.threshold)}${v.reference ? ` vs ${md(v.reference)}` : ''}`;
        out.push(cells([md(v.gate), md(label(v.model)), md(v.prompt_version), v.verdict === 'fail' ? '**fail**' : 'inconclusive', observed, threshold, md(v.note)]));
      }
      out.push('');
    }
  }

  const d = decisionView(summary);
  if (d) {
    out.push(`**Decision: ${md(d.question)}**`, '', md(d.answer), '');
    for (const n of d.notes) out.push(`> ${md(n)}`, '');
    out.push(cells(['Model, prompt', `${d.metric} (95% CI)`, 'Δ vs incumbent (95% CI)', 'Verdict', 'Usable', '$ / 1K usable', `Hours for ${d.workload}`, 'Floors']), '|---|--:|--:|---|--:|--:|--:|---|');
    const rows = [...(d.incumbent ? [{ ...d.incumbent, difference: 'incumbent', verdict: '–' }] : []), ...d.candidates, ...d.cascades];
    for (const r of rows) out.push(cells([md(r.name), md(r.quality), md(r.difference), md(r.verdict), md(r.usable), md(r.cost), md(r.hours), md(r.floors)]));
    out.push('', `<sub>${md(d.rule)}</sub>`, '');
  } else {
    out.push(`No decision block: no group has a ${md(summary.task?.primary_label ?? 'quality')} figure.`, '');
  }
  out.push(opts.reportUrl ? `Full report: [report.html and report.md](${encodeURI(opts.reportUrl)}) (workflow artefact).` : 'Full report: report.html and report.md in the workflow run\'s artefacts.');
  return `${out.join('\n')}\n`;
}
