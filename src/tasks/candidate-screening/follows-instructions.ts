import type { Scorer } from '../../score/scorer.ts';
import type { CandidateProfile } from './records.ts';
import { checkInstructions } from './instructions.ts';

/**
 * Did the model do the task (instructions.ts)? 1 for `followed`, 0 for every failure class
 * (fill-in request, template, prose, refusal, question back, prompt echo, repetition, empty, wrong candidate,
 * ungrounded, multiple answers), null for `truncated` (cut off before it could be judged).
 * The label is the class; the reason says what was found. Given the rendered prompt (a run passes it), a
 * copy of the prompt is `prompt-echo` and the prompt's example person is `wrong-candidate`.
 */
export const createFollowsInstructions = (): Scorer => ({ parsed, result, item, prompt }) => {
  // The task's item schema (tasks/candidate-screening/item.schema.json) checked the profile at load.
  const v = checkInstructions(result.response.content, item.candidate as CandidateProfile, {
    finishReason: result.response.finish_reason,
    parsed,
    ...(prompt !== undefined ? { prompt } : {}),
  });
  return { score: v.followed === null ? null : v.followed ? 1 : 0, label: v.class, reason: v.reason };
};
