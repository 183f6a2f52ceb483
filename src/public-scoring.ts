/**
 * The public API's scorers: the generic registry with, when the caller names no task, the project's task
 * (src/public-task.ts: the project's one tasks/<name>/, else the shipped candidate screening with its
 * module). A run always passes its own task.
 */
import type { ItemRow, Score } from './core/records.ts';
import { SCORER_IDS, SCORERS as GENERIC_SCORERS, type ScorerId } from './score/registry.ts';
import { scoreAnswer as scoreAnswerWith, type ScoreAnswerOptions as BaseScoreAnswerOptions } from './score/score-answer.ts';
import type { ScorerFactory, ScoringTask } from './score/scorer.ts';
import { resolveScoringTask, task, SHIPPED_DEFAULT_TASK, type TaskLookup } from './public-task.ts';
import { packageFile } from './core/package-files.ts';

/** Candidate screening as shipped, with its module (whatever the project holds). */
export function publicDefaultTask(): ScoringTask {
  return task(SHIPPED_DEFAULT_TASK, { root: packageFile() });
}

/** Every generic scorer by id; called with no task, it scores against the project's task (see `task()`). */
export const SCORERS: Record<ScorerId, ScorerFactory> = Object.fromEntries(
  SCORER_IDS.map((id) => [id, (t?: ScoringTask) => GENERIC_SCORERS[id](t ?? resolveScoringTask(undefined))]),
) as Record<ScorerId, ScorerFactory>;

export interface ScoreAnswerOptions extends Omit<BaseScoreAnswerOptions, 'task'>, TaskLookup {
  /** The task: a name (`tasks/<name>/`), a task from `task()` / `loadTaskWithModule()`, or a `ScoringTask`. @default the project's task (see `task()`) */
  task?: string | ScoringTask;
}

/**
 * Score one answer outside a run (e.g. in a team's own prompt tests) with the same scorers a run uses.
 * @param item the dataset row; the task is the project's unless `task` names one (see `task()`).
 * @example scoreAnswer(text, row, { scorers: ['schema', 'follows-instructions'] })['schema'].score
 */
export function scoreAnswer(text: string, item: ItemRow, opts: ScoreAnswerOptions = {}): Partial<Record<ScorerId, Score>> {
  const { root, task: ref, ...rest } = opts;
  return scoreAnswerWith(text, item, { ...rest, task: resolveScoringTask(ref, root !== undefined ? { root } : {}) });
}
