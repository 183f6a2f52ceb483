import type { CandidateProfile } from '../../core/records.ts';
import type { Scorer } from '../scorer.ts';
import { checkInstructions } from '../instructions.ts';

/**
 * Did the model do the task (src/score/instructions.ts)? 1 for `followed`, 0 for every failure class
 * (fill-in request, template, prose, refusal, question back, prompt echo, repetition, empty, wrong candidate,
 * ungrounded, multiple answers), null for `truncated` (cut off before it could be judged).
 * The label is the class; the reason says what was found.
 */
export const createFollowsInstructions = (): Scorer => ({ parsed, result, item }) => {
  // Candidate screening's scorer: its item schema (tasks/candidate-screening/item.schema.json) checked the profile at load.
  const v = checkInstructions(result.response.content, item.candidate as CandidateProfile, { finishReason: result.response.finish_reason, parsed });
  return { score: v.followed === null ? null : v.followed ? 1 : 0, label: v.class, reason: v.reason };
};
