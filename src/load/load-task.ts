import { SHIPPED_TASKS_DIR } from '../core/package-files.ts';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { TaskDefinition, taskProblems } from '../core/task-records.ts';
import { UserError } from '../core/errors.ts';
import { readJsonFile } from '../core/json-file.ts';
import { sha256 } from '../core/hash.ts';
import { allChecks, goldCheck, itemCheck, type RowCheck } from './item-check.ts';

/** A task as a run uses it: its declaration and its output contract, read once. */
export interface LoadedTask {
  definition: TaskDefinition;
  /** task.json, relative to the project root when it sits inside it. */
  file: string;
  /** The task's folder (absolute). */
  dir: string;
  /** sha256 of task.json. */
  sha256: string;
  /** The output contract (JSON Schema). */
  contract: Record<string, unknown>;
  /** The contract file, relative like `file`. */
  contractFile: string;
  /** Checks a dataset row's gold labels against the declared scales, then against the task's item schema. */
  checkRow: RowCheck | null;
  /** The task's module (`module`): a file in its folder (absolute), or a built-in module's name; null when none. */
  module: { file: string } | { builtin: string } | null;
}

/** The prefix of a module compiled into qualbench, e.g. `builtin:candidate-screening`. */
export const BUILTIN_MODULE = 'builtin:';

/** Tasks shipped with qualbench, for a project that has no tasks/<name>/ of its own. */
const SHIPPED_TASKS = SHIPPED_TASKS_DIR;

/** Where `tasks/<name>/task.json` is: the project's own tasks first, then the shipped ones. */
export function taskDir(root: string, name: string): string | null {
  for (const base of [join(root, 'tasks'), SHIPPED_TASKS]) {
    if (existsSync(join(base, name, 'task.json'))) return join(base, name);
  }
  return null;
}

/** A path inside the task folder, or a user error naming the field. */
function inside(dir: string, rel: string, file: string, field: string): string {
  const abs = resolve(dir, rel);
  if (!abs.startsWith(resolve(dir) + sep)) throw new UserError(`\`${rel}\` must sit inside the task folder`, { file, field });
  if (!existsSync(abs)) throw new UserError(`\`${rel}\` not found in the task folder`, { file, field });
  return abs;
}

/**
 * Load and check `tasks/<name>/task.json` and its contract: every label a policy or the sample names
 * is declared with the right kind, every value it names is on its scale.
 * @example loadTask(process.cwd(), 'candidate-screening').definition.primary_label === 'recommendation'
 */
export function loadTask(root: string, name: string): LoadedTask {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UserError(`task name \`${name}\` is not a kebab-case name`, { field: 'task' });
  const dir = taskDir(root, name);
  if (!dir) throw new UserError(`no task named \`${name}\``, { file: join('tasks', name, 'task.json'), hint: 'Each task is a folder under tasks/ with a task.json (see ARCHITECTURE.md).' });
  const abs = join(dir, 'task.json');
  const show = (p: string) => (p.startsWith(resolve(root) + sep) ? relative(root, p) : p);
  const file = show(abs);
  const definition = readJsonFile(abs, TaskDefinition, undefined, file);
  if (definition.name !== name) throw new UserError(`the task's name \`${definition.name}\` differs from its folder's`, { file, field: 'name' });
  const problem = taskProblems(definition)[0];
  if (problem) throw new UserError(problem[1], { file, field: problem[0] });
  const contractAbs = inside(dir, definition.contract, file, 'contract');
  let contract: Record<string, unknown>;
  try {
    contract = JSON.parse(readFileSync(contractAbs, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`the contract is not valid JSON (${(e as Error).message})`, { file: show(contractAbs) });
  }
  let module: LoadedTask['module'] = null;
  if (definition.module?.startsWith(BUILTIN_MODULE)) module = { builtin: definition.module.slice(BUILTIN_MODULE.length) };
  else if (definition.module) {
    const moduleFile = inside(dir, definition.module, file, 'module');
    // A link could lead out of the folder: the module must be a regular file, really inside it.
    if (!lstatSync(moduleFile).isFile() || !realpathSync(moduleFile).startsWith(realpathSync(dir) + sep)) throw new UserError(`\`${definition.module}\` is not a regular file inside the task folder`, { file, field: 'module' });
    if (!/\.([mc]?js|[mc]?ts)$/.test(moduleFile)) throw new UserError(`\`${definition.module}\` is not a JavaScript or TypeScript module (.js, .mjs, .cjs, .ts, .mts, .cts)`, { file, field: 'module' });
    module = { file: moduleFile };
  }
  const checkRow = allChecks(goldCheck(file, definition.labels), definition.item.schema ? itemCheck(inside(dir, definition.item.schema, file, 'item.schema')) : null);
  return { definition, file, dir, sha256: sha256(readFileSync(abs)), contract, contractFile: show(contractAbs), checkRow, module };
}
