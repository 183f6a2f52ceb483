/**
 * Candidate screening's records: its vocabularies, profile and gold labels, for its own scorers, the public
 * API and the simulator (which imitates models on this task). Runs read candidate rows as generic ItemRow,
 * checked by the task's item schema (tasks/candidate-screening/item.schema.json).
 */
import { z } from 'zod';
import { ItemId } from '../../core/dataset-records.ts';

// ---------------------------------------------------------------------------
// The output contract's vocabularies (ordinal scales, best first).
// ---------------------------------------------------------------------------

/** Overall recommendation, best to worst. Index 0 is best. */
export const RECOMMENDATIONS = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'] as const;
export const Recommendation = z.enum(RECOMMENDATIONS);
export type Recommendation = z.infer<typeof Recommendation>;

/** Rating of one dimension, best to worst. Index 0 is best. */
export const RATINGS = ['Great', 'Good', 'Okay', 'Weak'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

/** The four rated dimensions of the contract, in contract order. */
export const DIMENSIONS = [
  'educational_pedigree',
  'company_pedigree',
  'trajectory',
  'is_software_engineer',
] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;

// ---------------------------------------------------------------------------
// Dataset rows (load -> render, load -> score).
// ---------------------------------------------------------------------------

/** `YYYY-MM`, e.g. `2019-06`. */
const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM, e.g. 2019-06');

export const Education = z.strictObject({
  school: z.string().min(1),
  degree: z.string().min(1),
  field: z.string().min(1),
  start_year: z.number().int().min(1950).max(2100),
  end_year: z.number().int().min(1950).max(2100).nullable(),
});
export type Education = z.infer<typeof Education>;

export const Experience = z.strictObject({
  company: z.string().min(1),
  title: z.string().min(1),
  start: YearMonth,
  /** null while the candidate is still in the role. */
  end: YearMonth.nullable(),
  description: z.string(),
});
export type Experience = z.infer<typeof Experience>;

/** A (synthetic) candidate profile: what the prompt shows the model. */
export const CandidateProfile = z.strictObject({
  name: z.string().min(1),
  headline: z.string().optional(),
  location: z.string().optional(),
  education: z.array(Education),
  experience: z.array(Experience),
  skills: z.array(z.string()),
});
export type CandidateProfile = z.infer<typeof CandidateProfile>;

/** Human (gold) labels for one profile. */
export const GoldLabel = z.strictObject({
  recommendation: Recommendation,
  analysis: z.strictObject({
    educational_pedigree: Rating,
    company_pedigree: Rating,
    trajectory: Rating,
    is_software_engineer: Rating,
  }),
  /** One to three sentences a good answer would say. */
  rationale: z.string().min(1),
  /** Facts from the profile a good answer should cite (school, company, title...). */
  key_facts: z.array(z.string()),
  /** Why the label is what it is (required for the hand-written hard subset). */
  note: z.string().optional(),
});
export type GoldLabel = z.infer<typeof GoldLabel>;


/** One line of the candidate-screening dataset (the public API's row type; runs read any task's rows as ItemRow). */
export const DatasetRow = z.strictObject({
  id: ItemId,
  candidate: CandidateProfile,
  gold: GoldLabel,
  /** Slices to report metrics by, e.g. `hard`, `career-changer`, `bootcamp`. */
  strata: z.array(z.string()).default([]),
});
export type DatasetRow = z.infer<typeof DatasetRow>;
