import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** The output contract every answer must meet (draft 2020-12), kept in src/core. */
export const CONTRACT_FILE = new URL('../core/candidate-evaluation.schema.json', import.meta.url);

/** Compile the output contract. Called once per run by the `schema` scorer's factory. */
export function compileContract(): ValidateFunction {
  const schema = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  return ajv.compile(schema);
}

/** Longest piece of model text (a property name, a value) quoted in a reason. */
const QUOTE_MAX = 40;

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > QUOTE_MAX ? `${s.slice(0, QUOTE_MAX)}…` : s);
}

/**
 * One ajv error as `path message`, e.g. `/analysis/trajectory/rating must be equal to one of the allowed values`.
 * The path is `/` for the root. May quote model text (an unexpected property name): escape before rendering.
 */
export function formatAjvError(e: ErrorObject): string {
  const path = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  let extra = '';
  if (e.keyword === 'additionalProperties') extra = ` (${quote(params.additionalProperty)})`;
  else if (e.keyword === 'enum') extra = ` (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  return `${path} ${e.message ?? e.keyword}${extra}`;
}
