/**
 * qualbench's public API: the answer parser, the scorers and the agreement metrics, for teams that
 * test prompts in their own code. Vitest matchers are in `qualbench/vitest`.
 *
 * @example
 * import { parseResponse, checkInstructions, checkContract } from 'qualbench';
 * const parsed = parseResponse(text);                 // class: ok | fenced | prose-around-json | ... | not-json | empty
 * const verdict = checkInstructions(text, profile);   // class: followed | fill-in-request | template | refusal | ...
 * const contract = checkContract(text);               // { pass, errors: [...], contractFile: 'tasks/<name>/contract.schema.json' }
 *
 * The task (contract, labels) when none is given: the project's (`task()`): the cwd's one
 * tasks/<name>/task.json, a name required when there are several, the shipped candidate screening only
 * when the project has no tasks/ folder. See src/public-task.ts.
 */

// Reading an answer.
export { parseResponse, PARSE_CLASSES, type ParseClass, type ParseOutcome } from './score/parse.ts';

// The task the checks judge against: the project's by default, or a named one.
export { task, loadTaskWithModule, isQualbenchTask, defaultTaskName, SHIPPED_DEFAULT_TASK, type QualbenchTask, type TaskLookup } from './public-task.ts';

// The output contract.
export { checkContract, createContractChecker, readPrediction, type ContractChoice, type PublicContractOptions, type PublicContractCheck } from './public-contract.ts';
export { compileSchema, CONTRACT_FILE, type ContractCheck, type ContractCheckOptions } from './score/contract.ts';

// Instruction-following and grounding.
export {
  checkInstructions,
  INSTRUCTION_CLASSES,
  type CheckInstructionsOptions,
  type InstructionClass,
  type InstructionVerdict,
} from './tasks/candidate-screening/instructions.ts';
export { profileFacts, citedFact, namedPeople, namedOrganisations, type ProfileFacts } from './tasks/candidate-screening/profile-facts.ts';
export { findRepetition, type Repetition } from './score/repetition.ts';

// Scorers, as a run uses them.
export { SCORER_IDS, isScorerId, type ScorerId } from './score/registry.ts';
export { SCORERS, scoreAnswer } from './public-scoring.ts';
export type { ScoreAnswerOptions } from './public-scoring.ts';
export type { Scorer, ScorerFactory, ScoreContext, AnsweredResult, ScoringTask } from './score/scorer.ts';
// A task's own code (task.json `module`): what it exports.
export type { TaskModule } from './score/task-module.ts';

// Agreement with gold labels.
export {
  classificationReport,
  classScores,
  confusionMatrix,
  ordinalAgreement,
  NONE_LABEL,
  type ClassificationReport,
  type ConfusionMatrix,
} from './aggregate/agreement.ts';
export { quadraticKappa, quadraticKappaFromCounts } from './aggregate/kappa.ts';

// Batch outputs produced elsewhere.
export { importBatchOutput, readBatchLine, type ImportBatchOptions, type ImportBatchOutcome } from './run/import-batch.ts';

// Records and vocabularies.
export { type ClassScores, type OrdinalAgreement, type Prediction, type Score, type ScoreRecord, type Summary } from './core/records.ts';
export {
  CandidateProfile,
  DatasetRow,
  DIMENSIONS,
  RATINGS,
  RECOMMENDATIONS,
  type Dimension,
  type Rating,
  type Recommendation,
} from './tasks/candidate-screening/records.ts';
