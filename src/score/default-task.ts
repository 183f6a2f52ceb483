import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHIPPED_TASKS_DIR } from '../core/package-files.ts';
import { TaskDefinition } from '../core/task-records.ts';
import { scoringTaskOf, type ScoringTask } from './scorer.ts';

/**
 * The task the public API (`scoreAnswer`, `readPrediction`, `checkContract`) scores against when it is
 * given none: candidate screening, read from its declaration. A run always passes its own task.
 * TODO: remove when the public API takes a task everywhere (a breaking change for its callers).
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
