/**
 * The public API's scorers: the generic registry with candidate screening (declaration and module) as the
 * task when the caller names none, so `SCORERS['follows-instructions']()` and `scoreAnswer(text, row)` judge
 * a screening answer as they always did. A run always passes its own task.
 */
import type { ItemRow, Score } from './core/records.ts';
import { defaultScoringTask } from './score/default-task.ts';
import { SCORER_IDS, SCORERS as GENERIC_SCORERS, type ScorerId } from './score/registry.ts';
import { scoreAnswer as scoreAnswerWith, type ScoreAnswerOptions } from './score/score-answer.ts';
import type { ScorerFactory, ScoringTask } from './score/scorer.ts';
import { candidateScreening } from './tasks/candidate-screening/index.ts';

/** Candidate screening, with its module: the task the public API scores against by default. */
export function publicDefaultTask(): ScoringTask {
  return { ...defaultScoringTask(), module: candidateScreening };
}

/** Every generic scorer by id; called with no task, it scores a candidate-screening answer. */
export const SCORERS: Record<ScorerId, ScorerFactory> = Object.fromEntries(
  SCORER_IDS.map((id) => [id, (task?: ScoringTask) => GENERIC_SCORERS[id](task ?? publicDefaultTask())]),
) as Record<ScorerId, ScorerFactory>;

/**
 * Score one answer outside a run (e.g. in a team's own prompt tests) with the same scorers a run uses.
 * @param item the dataset row; @default task candidate screening
 * @example scoreAnswer(text, row, { scorers: ['schema', 'follows-instructions'] })['schema'].score
 */
export function scoreAnswer(text: string, item: ItemRow, opts: ScoreAnswerOptions = {}): Partial<Record<ScorerId, Score>> {
  return scoreAnswerWith(text, item, { ...opts, task: opts.task ?? publicDefaultTask() });
}
