import type { FailureExample, ScoreRecord } from '../core/records.ts';
import type { ClassLabel } from '../core/task-records.ts';
import { hash32 } from './stats.ts';
import { FOLLOWS_INSTRUCTIONS, JSON_STRICT, SCHEMA } from './accumulate.ts';

/** Examples kept per (group, kind, class), and disagreements kept per group. */
const PER_CLASS = 2;
const DISAGREEMENTS = 3;

interface Candidate {
  rank: number;
  example: Omit<FailureExample, 'model_label'>;
}

/** What failed in a scored answer, first match wins: instructions, then parsing, then the contract, then the rating. */
function classify(rec: ScoreRecord, label: ClassLabel): Pick<FailureExample, 'kind' | 'class' | 'reason'> | null {
  const follows = rec.scores[FOLLOWS_INSTRUCTIONS];
  if (follows?.score === 0) return { kind: 'instruction', class: follows.label ?? 'not followed', reason: follows.reason ?? '' };
  const strict = rec.scores[JSON_STRICT];
  if (strict?.score === 0) return { kind: 'parse', class: rec.parse?.class ?? strict.label ?? 'not-json', reason: rec.parse?.detail ?? strict.reason ?? '' };
  const schema = rec.scores[SCHEMA];
  if (schema?.score === 0) return { kind: 'schema', class: schema.label ?? 'invalid', reason: schema.reason ?? '' };
  const predicted = rec.prediction?.[label.name];
  const p = predicted ? label.scale.indexOf(predicted) : -1;
  const g = label.scale.indexOf(rec.gold[label.name] ?? '');
  if (p < 0) return { kind: 'disagreement', class: `no ${label.name}`, reason: `no valid ${label.name} in the answer` };
  const said = `said ${predicted}, gold ${rec.gold[label.name]}`;
  if (label.kind === 'nominal') return p === g ? null : { kind: 'disagreement', class: 'mismatch', reason: said };
  if (Math.abs(p - g) >= 2) return { kind: 'disagreement', class: `off by ${Math.abs(p - g)}`, reason: said };
  return null;
}

/**
 * A bounded, deterministic selection of failed answers per (model, prompt version) for the report's
 * failure gallery: per failure class the items with the smallest id hash, and the largest disagreements.
 * Memory is a few examples per class, whatever the run's size.
 */
export class ExampleCollector {
  private readonly byGroup = new Map<string, Map<string, Candidate[]>>();
  private readonly label: ClassLabel;

  /** @param label the task's primary label: disagreements are on it. */
  constructor(label: ClassLabel) {
    this.label = label;
  }

  add(rec: ScoreRecord): void {
    if (rec.request_error !== null || rec.excerpt === undefined) return;
    const what = classify(rec, this.label);
    if (!what) return;
    const group = `${rec.model}\u0000${rec.prompt_version}`;
    let classes = this.byGroup.get(group);
    if (!classes) this.byGroup.set(group, (classes = new Map()));
    const slot = `${what.kind}\u0000${what.class}`;
    const list = classes.get(slot) ?? [];
    const distance = what.kind === 'disagreement' ? Number(/\d+/.exec(what.class)?.[0] ?? 5) : 0;
    // Lower rank is kept: larger disagreements first, then a stable hash of the item id.
    const rank = -distance * 2 ** 32 + hash32(rec.item_id);
    const limit = what.kind === 'disagreement' ? DISAGREEMENTS : PER_CLASS;
    if (list.length >= limit && rank >= list[list.length - 1]!.rank) return;
    list.push({
      rank,
      example: {
        model: rec.model,
        prompt_version: rec.prompt_version,
        item_id: rec.item_id,
        ...what,
        gold: rec.gold[this.label.name] ?? '',
        predicted: rec.prediction?.[this.label.name] ?? null,
        excerpt: rec.excerpt,
      },
    });
    list.sort((a, b) => a.rank - b.rank);
    if (list.length > limit) list.pop();
    classes.set(slot, list);
  }

  /** Examples of the groups in the order given, each group's by kind then class. */
  finish(groups: { model: string; model_label: string; prompt_version: string }[]): FailureExample[] {
    const kinds = ['instruction', 'parse', 'schema', 'disagreement'];
    return groups.flatMap((g) => {
      const classes = this.byGroup.get(`${g.model}\u0000${g.prompt_version}`);
      if (!classes) return [];
      return [...classes.values()]
        .flat()
        .sort((a, b) => kinds.indexOf(a.example.kind) - kinds.indexOf(b.example.kind) || a.example.class.localeCompare(b.example.class) || a.rank - b.rank)
        .map((c) => ({ ...c.example, model_label: g.model_label }));
    });
  }
}
