import type { Scorer } from '../scorer.ts';
import { compileSchema, formatAjvError } from '../contract.ts';
import { defaultScoringTask } from '../default-task.ts';

/** How many ajv errors go into a reason. */
const MAX_ERRORS = 3;

/**
 * 1 when the recovered object meets the output contract (the task's `contract`, e.g. tasks/candidate-screening/contract.schema.json), else 0.
 * Scored on the recovered object, so a fenced but valid answer is schema-valid (json-strict judges the wrapping).
 * An answer with nothing recoverable counts as 0, labelled `unparsable`: the schema-valid rate is over every answer.
 * The reason lists the first ajv errors (in ajv order), separated by `; `.
 */
export const createSchema = (task = defaultScoringTask()): Scorer => {
  const validate = compileSchema(task.contract);
  return ({ parsed }) => {
    if (parsed.value === null) return { score: 0, label: 'unparsable', reason: `nothing to validate (${parsed.class})` };
    if (validate(parsed.value)) return { score: 1, label: 'valid' };
    const errors = validate.errors ?? [];
    const shown = errors.slice(0, MAX_ERRORS).map(formatAjvError);
    const more = errors.length > MAX_ERRORS ? `; and ${errors.length - MAX_ERRORS} more` : '';
    return { score: 0, label: 'invalid', reason: shown.join('; ') + more };
  };
};
