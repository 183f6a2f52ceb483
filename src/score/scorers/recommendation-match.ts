import type { Scorer } from '../scorer.ts';
import { readPrediction } from '../predict.ts';

/**
 * 1 when the recovered recommendation equals the gold one. An answer with no valid recommendation
 * (unparsable, missing, misspelt) is a disagreement, 0, labelled `missing` so it can be counted apart.
 */
export const createRecommendationMatch = (): Scorer => ({ parsed, item }) => {
  const predicted = readPrediction(parsed)?.recommendation ?? null;
  const gold = item.gold.recommendation;
  if (predicted === null) {
    return { score: 0, label: 'missing', reason: parsed.recoverable ? 'no valid `recommendation` in the answer' : `unparsable answer (${parsed.class})` };
  }
  return predicted === gold ? { score: 1, label: 'match' } : { score: 0, label: 'mismatch', reason: `predicted ${predicted}, gold ${gold}` };
};
