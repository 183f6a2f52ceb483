/**
 * The public API's task: which declaration and contract `checkContract`, `scoreAnswer`, `readPrediction`
 * and the vitest matchers judge against. The rule, in order:
 *
 * 1. an explicit argument: a schema, a task object (`task()`'s, or a `ScoringTask`), or `{ task: 'name' }`;
 * 2. else the project's task: the project root is `process.cwd()` (or `{ root }`); its `tasks/<name>/task.json`,
 *    looked up as `qualbench eval` does (the project's folder first, the shipped one second). A project with
 *    one task folder uses it; with several, the caller must name one (the error lists them);
 * 3. only a project with no `tasks/` folder at all (or qualbench's own repository, whose tasks/ are the
 *    shipped ones) falls back to the shipped candidate-screening task.
 *
 * Whatever was chosen is named: a task carries its `contractFile`, and a failing check says which file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from './core/errors.ts';
import { SHIPPED_TASKS_DIR } from './core/package-files.ts';
import { loadTask } from './load/load-task.ts';
import { loadTaskModule } from './run-task.ts';
import { scoringTaskOf, type ScoringTask } from './score/scorer.ts';
import { BUILTIN_TASK_MODULES } from './tasks/builtin.ts';

/** The task the public API falls back to when the project has no tasks/ folder. */
export const SHIPPED_DEFAULT_TASK = 'candidate-screening';

const BRAND = Symbol.for('qualbench.task');

/** A task as the public API takes it: what the scorers see, plus where it was read from. */
export interface QualbenchTask extends ScoringTask {
  name: string;
  /** task.json, relative to the project root when inside it (else absolute). */
  file: string;
  /** The contract file the checks use, relative like `file`. */
  contractFile: string;
  /** `project`: the project's tasks/ folder; `shipped`: the copy inside qualbench. */
  source: 'project' | 'shipped';
  /** A module file task.json names, not imported yet (`task()` is synchronous): use `await loadTaskWithModule()`. */
  moduleFile?: string;
}

export interface TaskLookup {
  /** The project root to look in for tasks/<name>/task.json. @default process.cwd() */
  root?: string;
}

/** A task object made by `task()` / `loadTaskWithModule()`. */
export function isQualbenchTask(x: unknown): x is QualbenchTask {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}

/** The task folders of the project at `root` (names), or null when it has no tasks/ of its own. */
export function projectTaskNames(root: string): string[] | null {
  const dir = join(root, 'tasks');
  if (!existsSync(dir)) return null;
  // qualbench's own repository: its tasks/ are the shipped ones, not a team's project.
  if (resolve(dir) === resolve(SHIPPED_TASKS_DIR)) return null;
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'task.json')))
    .map((e) => e.name)
    .sort();
}

/** The name of the task to use when the caller names none (the rule above). */
export function defaultTaskName(root: string): string {
  const names = projectTaskNames(root);
  if (names === null) return SHIPPED_DEFAULT_TASK;
  if (names.length === 1) return names[0]!;
  if (names.length === 0) {
    throw new UserError(`${join(root, 'tasks')} holds no task (no tasks/<name>/task.json): add one, or pass a schema or { task: 'name' }`, { file: 'tasks/' });
  }
  throw new UserError(
    `the project has ${names.length} tasks (${names.join(', ')}): name the one to check against, e.g. task('${names[0]}'), checkContract(text, { task: '${names[0]}' }) or toMeetContract({ task: '${names[0]}' })`,
    { file: 'tasks/' },
  );
}

const cache = new Map<string, QualbenchTask>();

/**
 * Load a task for the public API: `task()` is the project's (the rule above), `task('my-task')` a named
 * one (the project's folder first, then the shipped one). Synchronous: a built-in module is attached, a
 * module file is not imported (see `loadTaskWithModule`).
 * @example const t = task(); checkContract(text, { task: t }); t.contractFile === 'tasks/candidate-screening/contract.schema.json'
 */
export function task(name?: string, opts: TaskLookup = {}): QualbenchTask {
  const root = resolve(opts.root ?? process.cwd());
  const chosen = name ?? defaultTaskName(root);
  const key = `${root}\0${chosen}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const loaded = loadTask(root, chosen);
  const shipped = resolve(loaded.dir).startsWith(resolve(SHIPPED_TASKS_DIR));
  const ref = loaded.module;
  let module = undefined;
  if (ref && 'builtin' in ref) {
    module = BUILTIN_TASK_MODULES[ref.builtin];
    if (!module) throw new UserError(`no built-in task module \`${ref.builtin}\``, { file: loaded.file, field: 'module' });
  }
  const out: QualbenchTask = {
    ...scoringTaskOf(loaded.definition, loaded.contract, module),
    name: loaded.definition.name,
    file: loaded.file,
    contractFile: loaded.contractFile,
    source: shipped ? 'shipped' : 'project',
    ...(ref && 'file' in ref ? { moduleFile: ref.file } : {}),
  };
  Object.defineProperty(out, BRAND, { value: true, enumerable: false });
  cache.set(key, out);
  return out;
}

/** `task()`, with the module file its task.json names imported (its scorers, e.g. `follows-instructions`). */
export async function loadTaskWithModule(name?: string, opts: TaskLookup = {}): Promise<QualbenchTask> {
  const t = task(name, opts);
  if (t.moduleFile === undefined) return t;
  const root = resolve(opts.root ?? process.cwd());
  const module = await loadTaskModule(loadTask(root, t.name));
  const out: QualbenchTask = { ...t, ...(module ? { module } : {}) };
  delete out.moduleFile;
  Object.defineProperty(out, BRAND, { value: true, enumerable: false });
  return out;
}

/** A task given by name, task object or `ScoringTask`; else the default (the rule above). */
export function resolveTask(ref: string | ScoringTask | undefined, opts: TaskLookup = {}): ScoringTask & { contractFile?: string } {
  if (ref === undefined || typeof ref === 'string') return task(ref, opts);
  return ref;
}

/** For scoring: the task, refusing one whose module file was not imported (its scorers would silently be missing). */
export function resolveScoringTask(ref: string | ScoringTask | undefined, opts: TaskLookup = {}): ScoringTask {
  const t = resolveTask(ref, opts);
  const file = (t as Partial<QualbenchTask>).moduleFile;
  if (file !== undefined && t.module === undefined) {
    throw new UserError(`task \`${t.name}\` has a module file (${file}) that a synchronous call cannot import: pass { task: await loadTaskWithModule('${t.name}') }`, { file: (t as QualbenchTask).file, field: 'module' });
  }
  return t;
}
