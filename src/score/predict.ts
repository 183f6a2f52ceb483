import { Rating, Recommendation, type Prediction } from '../core/records.ts';
import type { ParseOutcome } from './parse.ts';

/**
 * The labels the model predicted, read from the recovered object. A field that is not a valid enum
 * value (exact spelling) is null; null overall when no object could be recovered.
 */
export function readPrediction(parsed: ParseOutcome): Prediction | null {
  const v = parsed.value;
  if (v === null) return null;
  const rec = Recommendation.safeParse(v.recommendation);
  const analysis = v.analysis !== null && typeof v.analysis === 'object' ? (v.analysis as Record<string, unknown>) : {};
  const rating = (dim: string): Rating | null => {
    const d = analysis[dim];
    if (d === null || typeof d !== 'object') return null;
    const r = Rating.safeParse((d as Record<string, unknown>).rating);
    return r.success ? r.data : null;
  };
  return {
    recommendation: rec.success ? rec.data : null,
    analysis: {
      educational_pedigree: rating('educational_pedigree'),
      company_pedigree: rating('company_pedigree'),
      trajectory: rating('trajectory'),
      is_software_engineer: rating('is_software_engineer'),
    },
  };
}
