/**
 * Candidate screening's task module (tasks/candidate-screening/task.json: `"module": "builtin:candidate-screening"`):
 * the scorers only this task has. Its declaration (labels, contract, grounding facts, policies) is data, in
 * tasks/candidate-screening/; this is the code it cannot say as data.
 */
import type { TaskModule } from '../../score/task-module.ts';
import { SCORER } from '../../core/scorer-ids.ts';
import { createFollowsInstructions } from './follows-instructions.ts';

export const scorers: TaskModule['scorers'] = {
  /** The instruction-following detector (instructions.ts), in the generic `follows-instructions` slot. */
  [SCORER.followsInstructions]: createFollowsInstructions,
};

export const candidateScreening: TaskModule = { scorers };
