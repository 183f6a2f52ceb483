import type { ItemRow, ModelResponse, ResultRecord, Score } from '../core/records.ts';
import type { LabelField } from '../core/task-records.ts';
import type { ParseOutcome } from './parse.ts';

/** A result that has an answer. Failed requests never reach a scorer: `scoreResult` marks them unscored once for all. */
export type AnsweredResult = ResultRecord & { response: ModelResponse };

export interface ScoreContext {
  result: AnsweredResult;
  /** The answer read once by `parseResponse`, shared by every scorer. */
  parsed: ParseOutcome;
  /** The dataset row: gold labels, strata, the candidate profile. */
  item: ItemRow;
}

/**
 * A scorer: one plain function, one scale. `score` in [0, 1], or null = could not score (say why in `reason`).
 * @example const jsonStrict: Scorer = ({ parsed }) => ({ score: parsed.strict ? 1 : 0, label: parsed.class })
 */
export type Scorer = (ctx: ScoreContext) => Score;

/** What a scorer may know of the run's task: its declared labels and its output contract. */
export interface ScoringTask {
  labels: readonly LabelField[];
  primary_label: string;
  /** The output contract (JSON Schema). */
  contract: Record<string, unknown>;
}

/**
 * Builds a scorer once per run (e.g. compiles the task's contract).
 * @param task the run's task; @default candidate screening (the public API's default, see default-task.ts)
 */
export type ScorerFactory = (task?: ScoringTask) => Scorer;
