/**
 * A task's own code: what a task folder's `module` (task.json) exports. Generic scorers are named by id in
 * an eval; a task module adds the scorers that only make sense for its task, e.g. candidate screening's
 * instruction check. The run's composition layer imports the module (src/task-module-loader.ts) and hands it
 * to the scorers with the task (`ScoringTask.module`).
 *
 * @example
 * // tasks/my-task/module.js (or .ts on Node >= 22.18)
 * export const scorers = {
 *   // fills the generic `follows-instructions` slot (aggregate's follows-instructions rate and gate read it)
 *   'follows-instructions': () => ({ result }) => ({ score: result.response.content.includes('{') ? 1 : 0 }),
 *   // a task-specific scorer: an eval names it `my-task/short-summary`
 *   'short-summary': () => ({ parsed }) => ({ score: String(parsed.value?.summary ?? '').length < 200 ? 1 : 0 }),
 * };
 */
import { SCORER } from '../core/scorer-ids.ts';
import type { ScorerFactory } from './scorer.ts';

/** The generic scorer ids whose implementation a task provides (there is no task-neutral way to judge them). */
export const TASK_PROVIDED_SCORERS: readonly string[] = [SCORER.followsInstructions];

export interface TaskModule {
  /**
   * Scorers by name. A name in TASK_PROVIDED_SCORERS implements that generic id for this task; any other
   * name is registered under the task's namespace, `<task>/<name>`, which is how an eval names it.
   */
  scorers?: Readonly<Record<string, ScorerFactory>>;
}

/** The id an eval uses for a module's scorer. */
export function moduleScorerId(task: string, name: string): string {
  return TASK_PROVIDED_SCORERS.includes(name) ? name : `${task}/${name}`;
}

/**
 * What is wrong with a module's exports, as [field, message] pairs (empty when it is usable).
 * @param exports the imported module namespace
 */
export function taskModuleProblems(exports: unknown): Array<[string, string]> {
  if (exports === null || typeof exports !== 'object') return [['module', 'does not export an object']];
  const scorers = (exports as { scorers?: unknown }).scorers;
  if (scorers === undefined) return [['module', 'exports no `scorers` (a map of scorer name to factory)']];
  if (scorers === null || typeof scorers !== 'object' || Array.isArray(scorers)) return [['module', '`scorers` must be an object mapping a scorer name to a factory function']];
  const out: Array<[string, string]> = [];
  for (const [name, f] of Object.entries(scorers)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) out.push(['module', `scorer name \`${name}\` is not kebab-case`]);
    else if (typeof f !== 'function') out.push(['module', `scorers.${name} is not a function (expected a factory: (task) => (ctx) => ({ score, label?, reason? }))`]);
  }
  return out;
}
