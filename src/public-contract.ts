/**
 * The public API's contract checks: `checkContract` and `createContractChecker` against a given schema, a
 * given task, or the project's task (the rule in src/public-task.ts), and each result names the contract
 * file it was checked against, so a wrong default shows.
 */
import type { Prediction } from './core/records.ts';
import { createContractChecker as checkerFor, type ContractCheck, type ContractCheckOptions } from './score/contract.ts';
import type { ParseOutcome } from './score/parse.ts';
import { readPrediction as readPredictionWith } from './score/predict.ts';
import type { ScoringTask } from './score/scorer.ts';
import { isQualbenchTask, resolveTask, type QualbenchTask, type TaskLookup } from './public-task.ts';

/** Which contract to check against: a task (by name or object) or a schema; neither = the project's task. */
export interface ContractChoice extends TaskLookup {
  /** A task name (`tasks/<name>/`), or a task from `task()`. */
  task?: string | ScoringTask;
  /** A JSON Schema to check against instead of a task's contract. */
  schema?: Record<string, unknown>;
}

export type PublicContractOptions = ContractCheckOptions & ContractChoice;

/** A contract check's result, with the contract it used. */
export interface PublicContractCheck extends ContractCheck {
  /** The contract file checked against (relative to the project root when inside it), or `the given schema`. */
  contractFile: string;
}

/** The option names (typed, so a renamed option cannot drift from this list). */
const OPTION_KEYS = new Set(Object.keys({ task: true, root: true, schema: true, strict: true, finishReason: true } satisfies Record<keyof PublicContractOptions, true>));

/** `{ task }`, `{ strict }`... rather than a JSON Schema: a non-empty object of option keys only. */
export function isContractOptions(x: unknown): x is PublicContractOptions {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || isQualbenchTask(x)) return false;
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => OPTION_KEYS.has(k));
}

/** A `ScoringTask` someone built (labels, primary_label, contract), not a schema. */
function isScoringTask(x: unknown): x is ScoringTask {
  return isQualbenchTask(x) || (typeof x === 'object' && x !== null && 'contract' in x && 'labels' in x && 'primary_label' in x);
}

/**
 * Normalise the call shapes: `(schema?, opts?)` (the original), `(task, opts?)`, `(opts)`.
 * @returns the schema, the name of its file for messages, and the check options.
 */
export function contractTarget(first?: unknown, second?: PublicContractOptions): { schema: Record<string, unknown>; contractFile: string; opts: ContractCheckOptions } {
  let choice: PublicContractOptions = { ...(second ?? {}) };
  if (isContractOptions(first)) choice = { ...choice, ...first };
  else if (isScoringTask(first)) choice = { ...choice, task: first };
  else if (first !== undefined && first !== null) choice = { ...choice, schema: first as Record<string, unknown> };
  const opts: ContractCheckOptions = {
    ...(choice.strict !== undefined ? { strict: choice.strict } : {}),
    ...(choice.finishReason !== undefined ? { finishReason: choice.finishReason } : {}),
  };
  if (choice.schema) return { schema: choice.schema, contractFile: 'the given schema', opts };
  const t = resolveTask(choice.task, choice.root !== undefined ? { root: choice.root } : {});
  const file = (t as Partial<QualbenchTask>).contractFile ?? `the contract of task \`${t.name ?? '?'}\``;
  return { schema: t.contract, contractFile: file, opts };
}

type Checker = ReturnType<typeof checkerFor>;
const compiled = new WeakMap<Record<string, unknown>, Checker>();

/** The schema's checker, compiled once per schema object (a task from `task()` is cached, so its contract is too). */
function checkerOf(schema: Record<string, unknown>): Checker {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = checkerFor(schema)));
  return c;
}

/**
 * Build a checker (compiled once; use it in loops) for a schema, a task, or by default the project's task.
 * @example const check = createContractChecker({ task: 'my-task' }); check(text).pass
 */
export function createContractChecker(
  schemaOrChoice?: Record<string, unknown> | ScoringTask | PublicContractOptions,
  choice?: ContractChoice,
): (answer: string | Record<string, unknown>, opts?: ContractCheckOptions) => PublicContractCheck {
  const target = contractTarget(schemaOrChoice, choice);
  const check = checkerOf(target.schema);
  return (answer, opts = {}) => ({ ...check(answer, { ...target.opts, ...opts }), contractFile: target.contractFile });
}

/**
 * Check one answer (text or object) against a schema, a task, or by default the project's task.
 * @example checkContract(text)                          // the project's task (tasks/<name>/contract.schema.json)
 * @example checkContract(text, { task: 'my-task', strict: true })
 * @example checkContract(text, mySchema, { strict: true })
 */
export function checkContract(
  answer: string | Record<string, unknown>,
  schemaOrOpts?: Record<string, unknown> | ScoringTask | PublicContractOptions,
  opts: PublicContractOptions = {},
): PublicContractCheck {
  const target = contractTarget(schemaOrOpts, opts);
  return { ...checkerOf(target.schema)(answer, target.opts), contractFile: target.contractFile };
}

/** The labels the model predicted (by declared label name), for a task or by default the project's task. */
export function readPrediction(parsed: ParseOutcome, taskRef?: string | Pick<ScoringTask, 'labels'>, lookup: TaskLookup = {}): Prediction | null {
  const t = typeof taskRef === 'object' ? taskRef : resolveTask(taskRef, lookup);
  return readPredictionWith(parsed, t);
}
