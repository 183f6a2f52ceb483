import type { DatasetRow, ModelResponse, ResultRecord, Score } from '../core/records.ts';
import type { ParseOutcome } from './parse.ts';

/** A result that has an answer. Failed requests never reach a scorer: `scoreResult` marks them unscored once for all. */
export type AnsweredResult = ResultRecord & { response: ModelResponse };

export interface ScoreContext {
  result: AnsweredResult;
  /** The answer read once by `parseResponse`, shared by every scorer. */
  parsed: ParseOutcome;
  /** The dataset row: gold labels, strata, the candidate profile. */
  item: DatasetRow;
}

/**
 * A scorer: one plain function, one scale. `score` in [0, 1], or null = could not score (say why in `reason`).
 * @example const jsonStrict: Scorer = ({ parsed }) => ({ score: parsed.strict ? 1 : 0, label: parsed.class })
 */
export type Scorer = (ctx: ScoreContext) => Score;

/** Builds a scorer once per run (e.g. compiles a JSON Schema validator). */
export type ScorerFactory = () => Scorer;
