import type { ScorerFactory } from './scorer.ts';
import { createJsonStrict } from './scorers/json-strict.ts';
import { createJsonRecoverable } from './scorers/json-recoverable.ts';
import { createSchema } from './scorers/schema.ts';
import { createRecommendationMatch } from './scorers/recommendation-match.ts';
import { createFollowsInstructions } from './scorers/follows-instructions.ts';
import { createGrounding } from './scorers/grounding.ts';
import { createRationaleSimilarity } from './scorers/rationale-similarity.ts';

/**
 * Every scorer id an eval may name. Adding a scorer: one file in scorers/, one id here, one line in SCORERS
 * (the compiler rejects an id without a factory), one test.
 */
export const SCORER_IDS = [
  'json-strict',
  'json-recoverable',
  'schema',
  'recommendation-match',
  'label-match',
  'follows-instructions',
  'grounding',
  'rationale-similarity',
] as const;
export type ScorerId = (typeof SCORER_IDS)[number];

export const SCORERS: Record<ScorerId, ScorerFactory> = {
  'json-strict': createJsonStrict,
  'json-recoverable': createJsonRecoverable,
  schema: createSchema,
  'recommendation-match': createRecommendationMatch,
  /** The same check under a task-neutral name: the answer's primary label equals gold. */
  'label-match': createRecommendationMatch,
  'follows-instructions': createFollowsInstructions,
  grounding: createGrounding,
  'rationale-similarity': createRationaleSimilarity,
};

export function isScorerId(id: string): id is ScorerId {
  return (SCORER_IDS as readonly string[]).includes(id);
}
