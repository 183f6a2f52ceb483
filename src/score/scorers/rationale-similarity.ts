import { compareTwoStrings } from 'string-similarity';
import type { Scorer } from '../scorer.ts';

/**
 * Informational, never gated: how close the answer's `reasoning` is to the gold rationale, by
 * Sørensen–Dice similarity of character bigrams (string-similarity), in [0, 1]. Two good answers can
 * word the same judgement differently, so a low value is a prompt to read, not a failure.
 * Unscored when the answer has no `reasoning` string.
 */
export const createRationaleSimilarity = (): Scorer => ({ parsed, item }) => {
  const reasoning = parsed.value?.reasoning;
  if (typeof reasoning !== 'string' || reasoning.trim() === '') return { score: null, label: 'no-reasoning', reason: parsed.value === null ? `nothing to compare (${parsed.class})` : 'no `reasoning` string' };
  const s = compareTwoStrings(reasoning.toLowerCase(), item.gold.rationale.toLowerCase());
  return { score: Number(Math.min(1, Math.max(0, s)).toFixed(4)), label: 'informational' };
};
