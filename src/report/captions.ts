/** One sentence under each chart of the HTML report: what to read from it, with the run's own figures. */
import type { GroupSummary, Summary } from '../core/records.ts';
import { costPerUsable, leadAgreement, num, pct, stat, usd } from './format.ts';

const name = (g: GroupSummary): string => `${g.model_label} ${g.prompt_version}`;

/** The group with the smallest (or largest) non-null value, or null. */
function extreme(groups: GroupSummary[], value: (g: GroupSummary) => number | null, largest = false): { g: GroupSummary; v: number } | null {
  let best: { g: GroupSummary; v: number } | null = null;
  for (const g of groups) {
    const v = value(g);
    if (v === null || !Number.isFinite(v)) continue;
    if (!best || (largest ? v > best.v : v < best.v)) best = { g, v };
  }
  return best;
}

export function chartCaptions(summary: Summary, ctx: { instant: boolean; throughput: (g: GroupSummary) => number | null; primary: string }) {
  const groups = summary.groups;
  const floor = summary.decision?.metric === 'kappa' ? summary.decision.floors.quality : null;
  const floorName = summary.decision?.floors.name ?? 'quality floor';
  const kappa = (g: GroupSummary) => leadAgreement(g, ctx.primary).kappa;
  const above = floor === null ? groups : groups.filter((g) => (kappa(g) ?? -Infinity) >= floor);
  const fastest = extreme(above, ctx.throughput, true);
  const frontier =
    floor !== null
      ? `Up is closer to the human ratings (κ), right is faster; the dashed line is the ${floorName} (κ ${stat(floor)}): a point below it is no option however fast${fastest ? `, and ${name(fastest.g)} is the fastest above it (${num(fastest.v, 2)} items/s)` : ', and no group is above it'}.`
      : `Up is closer to the human ratings (κ), right is faster; ringed points are the frontier (no other group is both faster and better), which says nothing about whether their quality is enough.`;
  const cheap = extreme(groups, (g) => costPerUsable(g).value);
  const dear = extreme(groups, (g) => costPerUsable(g).value, true);
  const cost = cheap && dear
    ? `Shorter is cheaper per usable result: ${name(cheap.g)} costs least (${usd(cheap.v)}), ${name(dear.g)} most (${usd(dear.v)}); a group that often fails pays for its failures here.`
    : 'No cost per usable result: the models have no prices, or nothing was timed.';
  const followed = (g: GroupSummary) => {
    const c = g.validity.instruction_classes;
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    return total ? (c.followed ?? 0) / total : null;
  };
  const worst = extreme(groups, followed);
  const failures = worst
    ? `Grey is the share of answers that did the task, each colour a way of failing it; ${name(worst.g)} did the task least often (${pct(worst.v)}).`
    : 'No instruction-following classes in this run.';
  const quick = extreme(groups, (g) => g.speed.latency_ms?.p50 ?? null);
  const slow = extreme(groups, (g) => g.speed.latency_ms?.p50 ?? null, true);
  const latency = quick && slow
    ? `Shorter is a faster answer per request${ctx.instant ? ' (instant simulator: the harness, not a model)' : ''}: ${name(quick.g)} is the quickest at the median and ${name(slow.g)} the slowest; throughput, not latency, sets the hours for a batch.`
    : 'No latency: nothing was sent.';
  return { frontier, cost, failures, latency };
}
