import { readFileSync } from 'node:fs';
import { classLabels, valueAt, type LabelField } from '../core/task-records.ts';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

/** What is wrong with a dataset row: the field (dotted path) and why. */
export interface RowProblem {
  field: string | undefined;
  message: string;
  /** What to do, when the default ("the task's item schema says what a row holds") would not say. */
  hint?: string;
}

/** Checks one parsed dataset row; null when it is fine. */
export type RowCheck = (row: unknown) => RowProblem | null;

/** An ajv error as a dotted field and a message (a `description` on the failing schema is its message). */
function problemOf(e: ErrorObject): RowProblem {
  const path = e.instancePath.split('/').filter(Boolean);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return { field: [...path, String(params.missingProperty)].join('.'), message: `missing required field \`${String(params.missingProperty)}\`` };
  if (e.keyword === 'additionalProperties') return { field: path.join('.') || undefined, message: `unknown field \`${String(params.additionalProperty)}\`` };
  const described = (e.parentSchema as { description?: unknown } | undefined)?.description;
  if (e.keyword === 'pattern' && typeof described === 'string') return { field: path.join('.'), message: described };
  const allowed = e.keyword === 'enum' ? ` (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})` : '';
  return { field: path.join('.') || undefined, message: `${e.message ?? e.keyword}${allowed}` };
}

/**
 * Compile a task's item schema (a JSON Schema file) into a row check that names the first problem.
 * @example itemCheck('tasks/ticket-triage/item.schema.json')({ id: 'x', gold: {} })?.field === 'ticket'
 */
export function itemCheck(schemaFile: string): RowCheck {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv2020({ allErrors: false, strict: false, verbose: true }).compile(schema);
  return (row) => (validate(row) ? null : problemOf(validate.errors![0]!));
}

/**
 * A row's gold labels against the task's declaration: every class label's gold value is present and
 * on its scale. The message names the label, where the row holds it and the allowed values.
 * @example goldCheck('tasks/t/task.json', labels)({ id: 'x', gold: {} })?.field === 'gold.priority'
 */
export function goldCheck(taskFile: string, labels: readonly LabelField[]): RowCheck {
  const declared = classLabels({ labels });
  return (row) => {
    const gold = (row as { gold?: unknown }).gold;
    for (const l of declared) {
      const v = valueAt(gold, l.gold);
      if (typeof v === 'string' && l.scale.includes(v)) continue;
      const allowed = l.scale.map((x) => JSON.stringify(x)).join(', ');
      const hint = `Give every row its gold \`${l.name}\`, one of the values ${taskFile} declares for it (labels → ${l.name} → scale).`;
      const field = `gold.${l.gold}`;
      if (v === undefined) return { field, message: `the gold label \`${l.name}\` is missing; allowed: ${allowed}`, hint };
      const off = typeof v === 'string' && l.scale.some((x) => x.toLowerCase() === v.trim().toLowerCase()) ? ` (the scale spells it ${JSON.stringify(l.scale.find((x) => x.toLowerCase() === v.trim().toLowerCase()))})` : '';
      return { field, message: `the gold label \`${l.name}\` is ${shown(v)}, not on its scale${off}; allowed: ${allowed}`, hint };
    }
    return null;
  };
}

/** A value as JSON, cut to 60 characters. */
function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Run checks in turn; the first problem wins. */
export function allChecks(...checks: Array<RowCheck | null>): RowCheck | null {
  const list = checks.filter((c): c is RowCheck => c !== null);
  if (list.length === 0) return null;
  return (row) => {
    for (const c of list) {
      const p = c(row);
      if (p) return p;
    }
    return null;
  };
}
