import type { ScorerFactory } from './scorer.ts';
import { createJsonStrict } from './scorers/json-strict.ts';
import { createJsonRecoverable } from './scorers/json-recoverable.ts';
import { createSchema } from './scorers/schema.ts';
import { createRecommendationMatch } from './scorers/recommendation-match.ts';
import { providedByTask } from './scorers/provided-by-task.ts';
import { createGrounding } from './scorers/grounding.ts';
import { createRationaleSimilarity } from './scorers/rationale-similarity.ts';

/**
 * Every generic scorer id an eval may name (SCORER_IDS, owned by core/scorer-ids.ts). Adding a scorer: one
 * file in scorers/, one id there, one line in SCORERS (the compiler rejects an id without a factory), one
 * test. A scorer only one task needs goes in that task's module instead (task-module.ts).
 */
export { SCORER_IDS, type ScorerId } from '../core/scorer-ids.ts';
import { SCORER_IDS, type ScorerId } from '../core/scorer-ids.ts';

export const SCORERS: Record<ScorerId, ScorerFactory> = {
  'json-strict': createJsonStrict,
  'json-recoverable': createJsonRecoverable,
  schema: createSchema,
  'recommendation-match': createRecommendationMatch,
  /** The same check under a task-neutral name: the answer's primary label equals gold. */
  'label-match': createRecommendationMatch,
  /** Task-specific by nature: the task's module implements it (candidate screening: the instruction check). */
  'follows-instructions': providedByTask('follows-instructions'),
  grounding: createGrounding,
  'rationale-similarity': createRationaleSimilarity,
};

export function isScorerId(id: string): id is ScorerId {
  return (SCORER_IDS as readonly string[]).includes(id);
}
