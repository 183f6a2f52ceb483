import { flattenLabels, type Prediction } from '../core/records.ts';
import { classLabels, readLabel } from '../core/task-records.ts';
import type { ParseOutcome } from './parse.ts';
import type { ScoringTask } from './scorer.ts';
import { defaultScoringTask } from './default-task.ts';

/**
 * The labels the model predicted, read from the recovered object at each declared label's `answer`
 * path, by label name. A value that is not on the label's scale (exact spelling) is null; null overall
 * when no object could be recovered.
 * @example readPrediction(parseResponse('{"recommendation": "Yes"}')).recommendation === 'Yes'
 */
export function readPrediction(parsed: ParseOutcome, task: Pick<ScoringTask, 'labels'> = defaultScoringTask()): Prediction | null {
  const v = parsed.value;
  if (v === null) return null;
  return Object.fromEntries(classLabels(task).map((l) => [l.name, readLabel(l, v, l.answer)]));
}

/** The gold labels of a dataset row by declared label name (a gold value off its scale is kept as written). */
export function readGold(gold: unknown, task: Pick<ScoringTask, 'labels'>): Record<string, string | null> {
  return Object.fromEntries(
    classLabels(task).map((l) => {
      const v = readLabel({ ...l, kind: 'text' }, gold, l.gold);
      return [l.name, v];
    }),
  );
}

export { flattenLabels };
