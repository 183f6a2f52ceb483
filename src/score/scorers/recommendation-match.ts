import type { Scorer } from '../scorer.ts';
import { readGold, readPrediction } from '../predict.ts';
import { defaultScoringTask } from '../default-task.ts';

/**
 * 1 when the answer's primary label (the task's `primary_label`; candidate screening: the recommendation)
 * equals the gold one. An answer with no valid value (unparsable, missing, misspelt) is a disagreement, 0,
 * labelled `missing` so it can be counted apart.
 */
export const createRecommendationMatch = (task = defaultScoringTask()): Scorer => {
  const label = task.labels.find((l) => l.name === task.primary_label)!;
  return ({ parsed, item }) => {
    const predicted = readPrediction(parsed, task)?.[label.name] ?? null;
    const gold = readGold(item.gold, task)[label.name];
    if (predicted === null) {
      return { score: 0, label: 'missing', reason: parsed.recoverable ? `no valid \`${label.answer}\` in the answer` : `unparsable answer (${parsed.class})` };
    }
    return predicted === gold ? { score: 1, label: 'match' } : { score: 0, label: 'mismatch', reason: `predicted ${predicted}, gold ${gold}` };
  };
};
