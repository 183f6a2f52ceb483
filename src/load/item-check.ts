import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

/** What is wrong with a dataset row: the field (dotted path) and why. */
export interface RowProblem {
  field: string | undefined;
  message: string;
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
