import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHIPPED_TASKS_DIR } from '../core/package-files.ts';
import { TaskDefinition } from '../core/task-records.ts';
import { scoringTaskOf, type ScoringTask } from './scorer.ts';

/**
 * The score stage's fallback when a scorer factory is called with no task: the SHIPPED candidate screening,
 * read from its declaration. A run always passes its own task, and the public API never relies on this: it
 * resolves the project's task first (src/public-task.ts: the cwd's tasks/<name>/, shipped only without a
 * tasks/ folder). Only internal callers and `CONTRACT_FILE` (the shipped contract, by name) use it.
 */
const DEFAULT_TASK_DIR = pathToFileURL(join(SHIPPED_TASKS_DIR, 'candidate-screening') + '/');

/**
 * The default task's declaration and contract, read from tasks/candidate-screening/ (data only: the public
 * API adds its module's scorers, src/public-scoring.ts).
 */
export function defaultScoringTask(): ScoringTask {
  const def = TaskDefinition.parse(JSON.parse(readFileSync(new URL('task.json', DEFAULT_TASK_DIR), 'utf8')));
  const contract = JSON.parse(readFileSync(new URL(def.contract, DEFAULT_TASK_DIR), 'utf8')) as Record<string, unknown>;
  return scoringTaskOf(def, contract);
}

/** The default contract file (the candidate-screening task's). */
export const DEFAULT_CONTRACT_FILE = new URL('contract.schema.json', DEFAULT_TASK_DIR);
