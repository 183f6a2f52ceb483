/** What both reports print first: whether the figures can be trusted, and where each group's answers came from. */
import type { Summary } from '../core/records.ts';

export interface TrustView {
  /** "INCOMPLETE: 9 of 300 answered (291 missing, 0 failed)"; "" when complete. */
  headline: string;
  /** Every warning, most serious first; empty when none. */
  warnings: string[];
  /** One row per group: how many answers were sent, cached and imported, and from which server. */
  sources: Array<{ model: string; version: string; sent: string; cached: string; imported: string }>;
}

export function trustView(summary: Summary): TrustView {
  const t = summary.trust;
  if (!t) {
    return { headline: 'UNCHECKED: this summary predates completeness and provenance checks; run `qualbench rescore <run-dir>` to check it.', warnings: [], sources: [] };
  }
  const answered = t.recorded - t.errored;
  const headline = t.complete ? '' : `INCOMPLETE: ${answered} of ${t.expected} answered (${t.missing} missing, ${t.errored} failed)`;
  const label = (id: string) => summary.groups.find((g) => g.model === id)?.model_label ?? summary.environment.models.find((m) => m.id === id)?.label ?? id;
  const cell = (g: (typeof t.groups)[number], how: 'sent' | 'cached' | 'imported') =>
    g.sources
      .filter((s) => s.how === how)
      .map((s) => `${s.count} · ${s.label}`)
      .join('; ');
  return {
    headline,
    warnings: t.warnings,
    sources: t.groups.map((g) => ({ model: label(g.model), version: g.prompt_version, sent: cell(g, 'sent'), cached: cell(g, 'cached'), imported: cell(g, 'imported') })),
  };
}
