import type { Scorer } from '../scorer.ts';

/** 1 when a JSON object could be recovered from the answer (fence, prose, think tags, small repairs); label = the parse class. */
export const createJsonRecoverable = (): Scorer => ({ parsed }) => ({
  score: parsed.recoverable ? 1 : 0,
  label: parsed.class,
  ...(parsed.recoverable ? {} : { reason: parsed.detail }),
});
