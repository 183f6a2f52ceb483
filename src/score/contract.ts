import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { parseResponse, type ParseOutcome } from './parse.ts';

import { DEFAULT_CONTRACT_FILE } from './default-task.ts';

/** The default output contract (draft 2020-12): the candidate-screening task's. A run uses its task's. */
export const CONTRACT_FILE = DEFAULT_CONTRACT_FILE;

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

/** What `checkContract` found. */
export interface ContractCheck {
  /** The answer is (or holds) one JSON object that meets the schema, and, with `strict`, nothing else. */
  pass: boolean;
  /** ajv errors as `path message`, or why there was nothing to validate. Empty when `pass`. */
  errors: string[];
  /** How the text parsed; null when an object was given. */
  parsed: ParseOutcome | null;
}

export interface ContractCheckOptions {
  /** Also require the whole answer to be the JSON object, nothing around it (parse class `ok`). @default false */
  strict?: boolean;
  /** The answer's finish_reason: `length` names a cut-off answer `truncated`. */
  finishReason?: string | null;
}

/**
 * Compile a JSON Schema (draft 2020-12, or draft-07/06/04 when its `$schema` says so) with every error reported.
 * Unknown keywords are allowed, since teams bring their own schemas.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const older = typeof schema.$schema === 'string' && /draft-0[467]/.test(schema.$schema);
  const ajv = older ? new Ajv({ allErrors: true, strict: false }) : new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

/**
 * Build a checker for one schema (compiled once; use it in loops).
 * @param schema a JSON Schema; @default the candidate-evaluation contract.
 * @example const check = createContractChecker(); check('```json\n{...}\n```').pass
 */
export function createContractChecker(schema?: Record<string, unknown>): (answer: string | Record<string, unknown>, opts?: ContractCheckOptions) => ContractCheck {
  const validate = schema ? compileSchema(schema) : compileContract();
  return (answer, opts = {}) => {
    let value: unknown = answer;
    let parsed: ParseOutcome | null = null;
    if (typeof answer === 'string') {
      parsed = parseResponse(answer, opts.finishReason);
      if (parsed.value === null) return { pass: false, errors: [`no JSON object to validate (${parsed.class}: ${parsed.detail})`], parsed };
      value = parsed.value;
    }
    const errors = validate(value) ? [] : (validate.errors ?? []).map(formatAjvError);
    if (opts.strict && parsed !== null && !parsed.strict) errors.unshift(`not the bare JSON object the contract asks for (${parsed.class}: ${parsed.detail})`);
    return { pass: errors.length === 0, errors, parsed };
  };
}

/**
 * Check one answer (text or object) against a schema, by default the candidate-evaluation contract.
 * Compiles the schema on every call: for many answers, use `createContractChecker`.
 * @example checkContract('{"recommendation": "Yes"}').errors[0] === "/ must have required property 'reasoning'"
 */
export function checkContract(answer: string | Record<string, unknown>, schema?: Record<string, unknown>, opts: ContractCheckOptions = {}): ContractCheck {
  return createContractChecker(schema)(answer, opts);
}
