import { compareTwoStrings } from 'string-similarity';
import { valueAt } from '../../core/task-records.ts';
import type { Scorer } from '../scorer.ts';
import { defaultScoringTask } from '../default-task.ts';

/**
 * Informational, never gated: how close the answer's free text is to the gold one, for the task's first
 * text label (candidate screening: the answer's `reasoning` against the gold `rationale`), by
 * Sørensen–Dice similarity of character bigrams (string-similarity), in [0, 1]. Two good answers can
 * word the same judgement differently, so a low value is a prompt to read, not a failure.
 * Unscored when the answer has no such string, or the task declares no text label.
 */
export const createRationaleSimilarity = (task = defaultScoringTask()): Scorer => {
  const label = task.labels.find((l) => l.kind === 'text');
  return ({ parsed, item }) => {
    if (!label) return { score: null, label: 'no-text-label', reason: 'the task declares no text label' };
    const text = valueAt(parsed.value, label.answer);
    if (typeof text !== 'string' || text.trim() === '') return { score: null, label: 'no-reasoning', reason: parsed.value === null ? `nothing to compare (${parsed.class})` : `no \`${label.answer}\` string` };
    const gold = valueAt(item.gold, label.gold);
    if (typeof gold !== 'string') return { score: null, label: 'no-gold', reason: `no gold \`${label.gold}\`` };
    const s = compareTwoStrings(text.toLowerCase(), gold.toLowerCase());
    return { score: Number(Math.min(1, Math.max(0, s)).toFixed(4)), label: 'informational' };
  };
};
