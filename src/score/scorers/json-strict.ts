import type { Scorer } from '../scorer.ts';

/** 1 when the whole answer is one JSON object and nothing else (parse class `ok`); label = the parse class. */
export const createJsonStrict = (): Scorer => ({ parsed }) => ({
  score: parsed.strict ? 1 : 0,
  label: parsed.class,
  ...(parsed.strict ? {} : { reason: parsed.detail }),
});
