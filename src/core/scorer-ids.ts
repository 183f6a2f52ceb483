/**
 * Scorer ids: the names other modules (aggregate, gate, report, commands) read scores by. Owned here,
 * in core, because those stages may not import the score stage; the score stage's registry
 * (`SCORERS: Record<ScorerId, ScorerFactory>`) makes the compiler reject an id without a factory.
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

/**
 * The `grounding` label for an answer about someone other than the item's subject (task.json
 * `grounding.subject`): such an answer is not usable (aggregate's `isUsable`), whatever else it got right.
 */
export const WRONG_SUBJECT = 'wrong-candidate';

/** The ids other modules name, as constants: a renamed scorer is a compile error there, not a silent null. */
export const SCORER = {
  jsonStrict: 'json-strict',
  jsonRecoverable: 'json-recoverable',
  schema: 'schema',
  recommendationMatch: 'recommendation-match',
  labelMatch: 'label-match',
  followsInstructions: 'follows-instructions',
  grounding: 'grounding',
  rationaleSimilarity: 'rationale-similarity',
} as const satisfies Record<string, ScorerId>;
