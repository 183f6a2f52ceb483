import type { ItemRow, ModelResponse, ResultRecord, Score } from '../core/records.ts';
import type { LabelField, TaskDefinition } from '../core/task-records.ts';
import type { ParseOutcome } from './parse.ts';
import type { TaskModule } from './task-module.ts';

/** A result that has an answer. Failed requests never reach a scorer: `scoreResult` marks them unscored once for all. */
export type AnsweredResult = ResultRecord & { response: ModelResponse };

export interface ScoreContext {
  result: AnsweredResult;
  /** The answer read once by `parseResponse`, shared by every scorer. */
  parsed: ParseOutcome;
  /** The dataset row: its input fields, gold labels and strata. */
  item: ItemRow;
  /**
   * The prompt the model saw (system and user text, as rendered for this item and prompt version), when
   * known: a run passes it at score time and re-renders it at rescore time.
   */
  prompt?: string;
}

/**
 * A scorer: one plain function, one scale. `score` in [0, 1], or null = could not score (say why in `reason`).
 * @example const jsonStrict: Scorer = ({ parsed }) => ({ score: parsed.strict ? 1 : 0, label: parsed.class })
 */
export type Scorer = (ctx: ScoreContext) => Score;

/** What a scorer may know of the run's task: its declared labels, output contract, grounding and own code. */
export interface ScoringTask {
  /** The task's name (its module's scorers are registered as `<name>/<scorer>`). */
  name?: string;
  labels: readonly LabelField[];
  primary_label: string;
  /** The output contract (JSON Schema). */
  contract: Record<string, unknown>;
  /** The item's input fields (task.json `item.variables`). */
  variables?: readonly string[];
  /** Where an item's facts are (task.json `grounding`): the grounding scorer reads them. */
  grounding?: { facts: readonly string[]; subject?: string | undefined };
  /** The task's own code (task.json `module`), imported by the run's composition layer. */
  module?: TaskModule;
}

/**
 * Builds a scorer once per run (e.g. compiles the task's contract).
 * @param task the run's task; @default candidate screening (the public API's default, see default-task.ts)
 */
export type ScorerFactory = (task?: ScoringTask) => Scorer;

/** What the scorers see of a declared task, with its contract and (when it names one) its module. */
export function scoringTaskOf(def: TaskDefinition, contract: Record<string, unknown>, module?: TaskModule): ScoringTask {
  return {
    name: def.name,
    labels: def.labels,
    primary_label: def.primary_label,
    contract,
    variables: def.item.variables,
    ...(def.grounding ? { grounding: def.grounding } : {}),
    ...(module ? { module } : {}),
  };
}
