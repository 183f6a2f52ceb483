/**
 * Which failed answers the reports show first: balanced across models and prompt versions (one group's
 * failures cannot fill the page), and within a group across failure classes.
 */
import type { FailureExample, Summary } from '../core/records.ts';

const groupKey = (e: { model: string; prompt_version: string }): string => `${e.model}\u0000${e.prompt_version}`;

/** Take one from each list in turn until all are empty. */
function roundRobin<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const queues = lists.map((l) => [...l]);
  for (let left = true; left; ) {
    left = false;
    for (const q of queues) {
      const x = q.shift();
      if (x !== undefined) {
        out.push(x);
        left = true;
      }
    }
  }
  return out;
}

/** Each group's examples alternating over its failure classes, then the groups interleaved (in summary order). */
export function balancedExamples(examples: FailureExample[]): FailureExample[] {
  const groups = new Map<string, Map<string, FailureExample[]>>();
  for (const e of examples) {
    let classes = groups.get(groupKey(e));
    if (!classes) groups.set(groupKey(e), (classes = new Map()));
    const c = `${e.kind}: ${e.class}`;
    classes.set(c, [...(classes.get(c) ?? []), e]);
  }
  return roundRobin([...groups.values()].map((classes) => roundRobin([...classes.values()])));
}

/**
 * The groups a reader would ship: the decision's incumbent and candidates when the summary has a
 * decision, else each model's last prompt version.
 */
export function shippedGroups(summary: Summary): Set<string> {
  const d = summary.decision;
  if (d?.incumbent) return new Set([d.incumbent, ...d.candidates].map(groupKey));
  const last = new Map<string, string>();
  for (const g of summary.groups) last.set(g.model, g.prompt_version);
  return new Set([...last].map(([model, prompt_version]) => groupKey({ model, prompt_version })));
}

/** The worst few of each shipped group, balanced; all groups' when none of the shipped ones failed. */
export function worstItems(summary: Summary, max: number): FailureExample[] {
  const shipped = shippedGroups(summary);
  const mine = summary.examples.filter((e) => shipped.has(groupKey(e)));
  return balancedExamples(mine.length ? mine : summary.examples).slice(0, max);
}

/** Every example for the HTML gallery: the shipped groups' first (balanced), then the others'. */
export function galleryOrder(summary: Summary): FailureExample[] {
  const shipped = shippedGroups(summary);
  return [...balancedExamples(summary.examples.filter((e) => shipped.has(groupKey(e)))), ...balancedExamples(summary.examples.filter((e) => !shipped.has(groupKey(e))))];
}

/** Failure classes with their counts in the gallery, most frequent first. */
export function classCounts(examples: FailureExample[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(`${e.kind}: ${e.class}`, (counts.get(`${e.kind}: ${e.class}`) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
