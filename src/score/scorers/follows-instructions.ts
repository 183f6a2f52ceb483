import type { Scorer } from '../scorer.ts';

/**
 * The classic instruction-following failures of small models, by class (the label):
 * - `template`: the answer is the contract's template with placeholders (`[Your reasoning here]`, `<rating>`, `____`, `...`,
 *   or the enum list `Strong Yes | Yes | ...` as a value) instead of an evaluation;
 * - `fill-in-request`: the model asks the reader to fill in the fields / provide the profile;
 * - `question-back`: no answer, a question to the user;
 * - `refusal`: "I can't / I'm unable to / As an AI";
 * - `prose`: prose instead of a JSON object;
 * - `empty`.
 * Score 1 (`followed`) when an object was recovered and none of these is found; the wrapping (fences,
 * prose) is judged by json-strict. A truncated answer is unscored: the model may have been following.
 */
export const createFollowsInstructions = (): Scorer => ({ parsed, result }) => {
  const text = result.response.content;
  if (parsed.class === 'truncated') return { score: null, label: 'truncated', reason: 'cut off before the answer could be judged' };
  if (parsed.class === 'empty') return { score: 0, label: 'empty', reason: 'empty answer' };
  const placeholder = parsed.value !== null ? findPlaceholder(parsed.value) : findPlaceholderInText(text);
  if (placeholder) return { score: 0, label: 'template', reason: `placeholder ${placeholder}` };
  if (parsed.value !== null) return { score: 1, label: 'followed' };
  const prose = text.trim();
  if (FILL_IN.test(prose)) return { score: 0, label: 'fill-in-request', reason: 'asks the reader to fill in or provide information' };
  if (REFUSAL.test(prose)) return { score: 0, label: 'refusal', reason: 'refuses the task' };
  if (/\?\s*$/.test(prose)) return { score: 0, label: 'question-back', reason: 'ends with a question instead of an answer' };
  return { score: 0, label: 'prose', reason: `prose instead of a JSON object (${parsed.class})` };
};

const FILL_IN = /\b(fill (in|out)|please (provide|share|paste|send)|you can (fill|replace|use this)|replace the placeholders?|(provide|share) (me )?(the|a|with) (candidate|profile|details|information))\b/i;
const REFUSAL = /\b(I (can(no|')t|am unable to|'m unable to|won't|will not) (help|assist|provide|evaluate|do that|comply)|as an AI\b|I'm sorry, but)/i;

/** A placeholder in a string value: bracketed instructions, angle-bracket slots, blanks, ellipses, or an enum list. */
const PLACEHOLDER = /^\s*(\[[^\]]{2,80}\]|<[a-z_ ]{2,40}>|_{3,}|\.{3}|…|(Strong Yes|Yes|Maybe|No|Strong No)( ?[|/] ?(Strong Yes|Yes|Maybe|No|Strong No)){2,}|(Great|Good|Okay|Weak)( ?[|/] ?(Great|Good|Okay|Weak)){2,})\s*$|\[(your|insert|add|brief|explain|reasoning|rating)[^\]]*\]|_{4,}/i;

function findPlaceholder(value: unknown, depth = 0): string | null {
  if (depth > 6) return null;
  if (typeof value === 'string') return PLACEHOLDER.test(value) ? JSON.stringify(value.slice(0, 40)) : null;
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) {
      const found = findPlaceholder(v, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

function findPlaceholderInText(text: string): string | null {
  const m = /\[(your|insert|add|brief|explain)[^\]\n]{0,60}\]|<(rating|recommendation|reasoning)>|_{4,}/i.exec(text);
  return m ? JSON.stringify(m[0]) : null;
}
