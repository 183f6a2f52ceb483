import type { Scorer } from '../../score/scorer.ts';
import type { CandidateProfile } from './records.ts';
import { checkInstructions } from './instructions.ts';

/**
 * Did the model do the task (instructions.ts)? 1 for `followed`, 0 for every failure class
 * (fill-in request, template, prose, refusal, question back, prompt echo, repetition, empty, wrong candidate,
 * ungrounded, multiple answers) and for `truncated` (cut off at max_tokens before it could be judged: the
 * model did not deliver an answer, so it counts against the rate; the class says why).
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
  // A truncated answer (cut off at max_tokens) did not do the task: it counts as not following, so the
  // rate's denominator is every answered item (40 asked, 20 followed: 50%, not 20 of the 38 judged).
  if (v.class === 'truncated') return { score: 0, label: v.class, reason: `${v.reason}: counted as not following` };
  return { score: v.followed ? 1 : 0, label: v.class, reason: v.reason };
};
