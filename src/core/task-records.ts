/**
 * A task: what one kind of eval asks of a model, declared as data in `tasks/<name>/task.json`.
 * The generic stages read a task's labels, scales, contract and policies from here and name none
 * of its fields themselves; a task's own code (scorers that only make sense for it) sits in its folder.
 *
 * @example
 * { "name": "ticket-triage", "contract": "contract.schema.json",
 *   "labels": [{ "name": "priority", "kind": "ordinal", "scale": ["P1", "P2", "P3"], "answer": "priority", "gold": "priority" }],
 *   "primary_label": "priority", "stratify": "priority" }
 */
import { z } from 'zod';

/** A dotted path into a JSON object, e.g. `analysis.tone.rating`. */
const FieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'expected a dotted field path, e.g. analysis.tone.rating');

/** A path into a dataset row where `[]` after a segment walks an array, e.g. `customer.orders[].sku`. */
const ItemPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\[\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\])?)*$/, 'expected a path into the row, e.g. customer.orders[].sku');

const LabelName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'label names are lower_snake_case');

const LabelCommon = {
  name: LabelName,
  /** Where the model's answer holds the label (a path into the recovered JSON object). */
  answer: FieldPath,
  /** Where the dataset row's `gold` holds the label it is compared with. */
  gold: FieldPath,
  description: z.string().optional(),
};

/** An ordered scale, best first (index 0 is best): exact, within-one, quadratically weighted kappa. */
export const OrdinalLabel = z.strictObject({ ...LabelCommon, kind: z.literal('ordinal'), scale: z.array(z.string().min(1)).min(2) });
/** Unordered classes: exact, unweighted kappa, confusion, per-class F1. */
export const NominalLabel = z.strictObject({ ...LabelCommon, kind: z.literal('nominal'), scale: z.array(z.string().min(1)).min(2) });
/** Free text: compared by a similarity scorer, never in agreement tables. */
export const TextLabel = z.strictObject({ ...LabelCommon, kind: z.literal('text') });

export const LabelField = z.discriminatedUnion('kind', [OrdinalLabel, NominalLabel, TextLabel]);
export type LabelField = z.infer<typeof LabelField>;
/** A label with classes (nominal or ordinal): one that agreement, sampling and policies can use. */
export type ClassLabel = Extract<LabelField, { kind: 'ordinal' | 'nominal' }>;

/** `tasks/<name>/task.json`. Paths are relative to the task's folder. */
export const TaskDefinition = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'task names are lower-case kebab-case'),
  description: z.string().optional(),
  /** The dataset rows: the fields templates see (besides `id`), and a JSON Schema every row must meet. */
  item: z.strictObject({
    /** Template variables an item provides, besides `id`, e.g. `["candidate"]`. */
    variables: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).min(1),
    /** JSON Schema file of a dataset row's input fields and gold labels (relative to the task folder). */
    schema: z.string().optional(),
  }),
  /** JSON Schema file of the output contract (relative to the task folder): the `schema` scorer and constrained decoding use it. */
  contract: z.string(),
  /** The labels an answer carries, each compared with a gold field. */
  labels: z.array(LabelField).min(1),
  /** The class label reports lead with (accuracy, kappa, confusion), and the one `watch` and `compare` follow. */
  primary_label: LabelName,
  /** The class label a `--sample` is stratified by. */
  stratify: LabelName,
  /** What the `grounding` scorer checks an answer's named organisations and people against. */
  grounding: z
    .strictObject({
      /** Item fields holding the names an answer may cite (their distinctive words and acronyms); paths into the row, `[]` walks an array. */
      facts: z.array(ItemPath).min(1),
      /** The item field naming who the item is about: an answer naming only other people scores 0 (`wrong-candidate`). */
      subject: ItemPath.optional(),
    })
    .optional(),
  /** Values policies refer to. */
  policies: z
    .strictObject({
      /** A cascade's `threshold` policy escalates items the screen model rates at this value or better on this ordinal label. */
      escalate_at: z.strictObject({ label: LabelName, value: z.string().min(1) }).optional(),
    })
    .optional(),
  /**
   * The task's own code (scorers only it uses, see src/score/task-module.ts): a file relative to the task
   * folder (`.js`, or `.ts` on Node >= 22.18), or `builtin:<name>` for a module compiled into qualbench.
   */
  module: z.string().min(1).optional(),
});
export type TaskDefinition = z.infer<typeof TaskDefinition>;

/** The declared labels that have classes, in declaration order. */
export function classLabels(task: { labels: readonly LabelField[] }): ClassLabel[] {
  return task.labels.filter((l): l is ClassLabel => l.kind !== 'text');
}

/** The value at a dotted path, or undefined. */
export function valueAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A label's value read from an object: its exact spelling on the scale, else null. Text labels: any string. */
export function readLabel(label: LabelField, obj: unknown, path: string): string | null {
  const v = valueAt(obj, path);
  if (typeof v !== 'string') return null;
  if (label.kind === 'text') return v;
  return label.scale.includes(v) ? v : null;
}

/**
 * Check what zod cannot: names refer to declared labels of the right kind, values lie on their scales.
 * @returns problems as [field, message] pairs, empty when the task is consistent.
 */
export function taskProblems(task: TaskDefinition): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const byName = new Map<string, LabelField>();
  for (const l of task.labels) if (!byName.has(l.name)) byName.set(l.name, l);
  task.labels.forEach((l, i) => {
    if (byName.get(l.name) !== l) out.push([`labels.${i}.name`, `label \`${l.name}\` is declared twice`]);
    if (l.kind !== 'text' && new Set(l.scale).size !== l.scale.length) out.push([`labels.${i}.scale`, `the scale of \`${l.name}\` repeats a value`]);
  });
  const classLabel = (field: string, name: string, kinds: string[]) => {
    const l = byName.get(name);
    if (!l) out.push([field, `\`${name}\` is not a declared label (declared: ${task.labels.map((x) => x.name).join(', ')})`]);
    else if (!kinds.includes(l.kind)) out.push([field, `\`${name}\` is a ${l.kind} label; expected ${kinds.join(' or ')}`]);
    return l;
  };
  classLabel('primary_label', task.primary_label, ['ordinal', 'nominal']);
  classLabel('stratify', task.stratify, ['ordinal', 'nominal']);
  const at = task.policies?.escalate_at;
  if (at) {
    const l = classLabel('policies.escalate_at.label', at.label, ['ordinal']);
    if (l && l.kind === 'ordinal' && !l.scale.includes(at.value)) out.push(['policies.escalate_at.value', `\`${at.value}\` is not on the scale of \`${l.name}\` (${l.scale.join(', ')})`]);
  }
  const variables = new Set(task.item.variables);
  const paths: Array<[string, string]> = [...(task.grounding?.facts ?? []).map((f, i) => [`grounding.facts.${i}`, f] as [string, string]), ...(task.grounding?.subject ? [['grounding.subject', task.grounding.subject] as [string, string]] : [])];
  for (const [field, path] of paths) {
    const root = path.split('.')[0]!.replace(/\[\]$/, '');
    if (!variables.has(root)) out.push([field, `\`${path}\` does not start with an item variable (item.variables: ${task.item.variables.join(', ')})`]);
  }
  return out;
}
