/**
 * The task of a run, for the layer that wires stages: which declaration a run directory was made with,
 * its module (the task's own scorers), and the views of it the score and aggregate stages take.
 */
import { pathToFileURL } from 'node:url';
import type { RunManifest } from './core/records.ts';
import { UserError } from './core/errors.ts';
import { loadTask, type LoadedTask } from './load/load-task.ts';
import type { StratifyBy } from './load/load-dataset.ts';
import { scoringTaskOf, type ScoringTask } from './score/scorer.ts';
import { taskModuleProblems, type TaskModule } from './score/task-module.ts';
import { BUILTIN_TASK_MODULES } from './tasks/builtin.ts';

/**
 * The task a run used: the one its manifest names, else (runs made before tasks were declared) the
 * task named like its eval.
 */
export function loadRunTask(root: string, manifest: Pick<RunManifest, 'task' | 'eval'>): LoadedTask {
  return loadTask(root, manifest.task?.name ?? manifest.eval.name);
}

/**
 * The task's module: a built-in one by name, or the file its task.json names, imported by file URL
 * (load-task checked it is a regular file inside the task folder). Its code runs: a task folder is the
 * project's own code, like its evals' prompts, never model output.
 * @throws UserError naming task.json and `module` when it is unknown, fails to import, or exports no usable scorers.
 */
export async function loadTaskModule(task: LoadedTask): Promise<TaskModule | undefined> {
  const ref = task.module;
  if (ref === null) return undefined;
  if ('builtin' in ref) {
    const m = BUILTIN_TASK_MODULES[ref.builtin];
    if (!m) throw new UserError(`no built-in task module \`${ref.builtin}\` (built in: ${Object.keys(BUILTIN_TASK_MODULES).join(', ')})`, { file: task.file, field: 'module' });
    return m;
  }
  let exports: unknown;
  try {
    exports = await import(pathToFileURL(ref.file).href);
  } catch (e) {
    const ts = /\.m?ts$/.test(ref.file) ? ' (a .ts module needs Node >= 22.18 and must sit outside node_modules; or compile it to .js)' : '';
    throw new UserError(`the task's module could not be imported: ${(e as Error).message}${ts}`, { file: task.file, field: 'module' });
  }
  // `export const scorers = {...}`, or `export default { scorers }` (a CommonJS module's `module.exports`).
  const ns = exports as { scorers?: unknown; default?: unknown };
  const module = ns.scorers === undefined && ns.default !== null && typeof ns.default === 'object' ? ns.default : ns;
  const problem = taskModuleProblems(module)[0];
  if (problem) throw new UserError(`the task's module ${problem[1]}`, { file: task.file, field: problem[0] });
  return module as TaskModule;
}

/** What the scorers see of a task: its declaration, contract and module. */
export async function scoringTask(task: LoadedTask): Promise<ScoringTask> {
  return scoringTaskOf(task.definition, task.contract, await loadTaskModule(task));
}

/** The task an eval names (`task`, else the eval's own name). */
export function loadEvalTask(root: string, def: { name: string; task?: string | undefined }): LoadedTask {
  return loadTask(root, def.task ?? def.name);
}

/** The label a task's samples are stratified by, with its scale. */
export function stratifyLabel(task: LoadedTask): StratifyBy {
  const l = task.definition.labels.find((x) => x.name === task.definition.stratify)!;
  return { gold: l.gold, scale: l.kind === 'text' ? [] : l.scale };
}
