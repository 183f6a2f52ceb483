/**
 * Shared writing for the personas: ratings with noise, reasoning sentences that cite the profile,
 * off-contract values, JSON layouts, prose around JSON (the non-answers are in non-answers.ts).
 */
import { DIMENSIONS, RATINGS, RECOMMENDATIONS } from '../../tasks/candidate-screening/records.ts';
import type { Judgement, Level, ProfileFacts } from '../knowledge.ts';
import type { Rng } from '../prng.ts';
import type { Evaluation } from './types.ts';
import { DIM_LABELS } from './non-answers.ts';

export { genericEssay, noProfileAnswer, placeholderTemplate, profileSummary, questionBack, refusal } from './non-answers.ts';

export interface NoiseModel {
  /** Std-dev (in scale steps) added to each dimension. */
  dimSd: number;
  /** Std-dev (in scale steps) added to the recommendation. */
  recSd: number;
  /** Shift of the recommendation (negative = more positive answers). */
  recBias: number;
}

/** Verbosity of reasoning: 0 terse (Llama), 1 balanced (Gemma), 2 detailed (Qwen). */
export type Verbosity = 0 | 1 | 2;

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/** The persona's own ratings: the judgement plus Gaussian noise, rounded to the scales. */
export function noisyRatings(j: Judgement, rng: Rng, noise: NoiseModel, temperature: number): { levels: Record<string, Level>; rec: number } {
  const t = 1 + 0.3 * clamp(temperature, 0, 2);
  const levels: Record<string, Level> = {};
  for (const d of DIMENSIONS) {
    levels[d] = clamp(Math.round(j.levels[d] + rng.fork(`dim:${d}`).normal() * noise.dimSd * t), 0, 3) as Level;
  }
  // The recommendation follows the persona's own view of the dimensions a little, plus its bias.
  const own = (0.15 * levels.educational_pedigree! + 0.3 * levels.company_pedigree! + 0.25 * levels.trajectory! + 0.3 * levels.is_software_engineer!) * 1.45;
  const base = 0.7 * j.recommendation + 0.3 * own;
  const rec = clamp(Math.round(base + noise.recBias + rng.fork('rec').normal() * noise.recSd * t), 0, 4);
  return { levels, rec };
}

const DIM_SENTENCES: Record<(typeof DIMENSIONS)[number], readonly ((f: ProfileFacts) => string)[][]> = {
  educational_pedigree: [
    [
      (f) => `${f.school} is one of the strongest programs for ${f.field ?? 'this field'}.`,
      (f) => `A ${f.degree} in ${f.field} from ${f.school} is an excellent academic signal.`,
    ],
    [
      (f) => `${f.school} is a well-regarded university and the ${f.degree} in ${f.field} is relevant.`,
      (f) => `${f.degree} from ${f.school}, a respected school with a good ${f.field ?? 'engineering'} program.`,
    ],
    [
      (f) => `${f.school} is a reasonable school but not a top-tier program.`,
      (f) => `The ${f.degree} from ${f.school} is solid, though the school is not especially selective.`,
    ],
    [
      (f) => (f.school ? `${f.school} is a non-traditional or less selective path, a weaker academic signal.` : 'No formal education is listed.'),
      (f) => (f.school ? `Education at ${f.school} does not carry much pedigree.` : 'There is no degree on the profile.'),
    ],
  ],
  company_pedigree: [
    [
      (f) => `${f.bestCompany} is a top-tier employer with a very high hiring bar.`,
      (f) => `Experience at ${f.bestCompany} is a strong signal of quality.`,
    ],
    [
      (f) => `${f.bestCompany ?? f.currentCompany} is a well-known technology company.`,
      (f) => `Work at ${f.companies.slice(0, 2).join(' and ')} shows a good level of company quality.`,
    ],
    [
      (f) => `${f.companies.slice(0, 2).join(' and ') || 'The employers'} are reputable but not known for a selective engineering bar.`,
      (f) => `${f.currentCompany ?? 'The current employer'} is a mid-tier company.`,
    ],
    [
      (f) => (f.companies.length ? `${f.companies.slice(0, 2).join(' and ')} are not recognised technology employers.` : 'No employers are listed.'),
      (f) => (f.companies.length ? `None of the employers (${f.companies.slice(0, 2).join(', ')}) stand out.` : 'There is no work history to assess.'),
    ],
  ],
  trajectory: [
    [
      (f) => `Rapid progression from ${f.firstTitle} to ${f.currentTitle} in ${f.years} years.`,
      (f) => `Moved up quickly to ${f.currentTitle} within ${f.years} years.`,
    ],
    [
      (f) => `Steady progression from ${f.firstTitle} to ${f.currentTitle} over ${f.years} years.`,
      (f) => `Consistent growth across ${f.roles} roles, now ${f.currentTitle}.`,
    ],
    [
      (f) => `Progression is slow: ${f.roles} role(s) in ${f.years} years, currently ${f.currentTitle}.`,
      (f) => `Career has been mostly flat at the ${f.currentTitle} level.`,
    ],
    [
      (f) =>
        f.roles
          ? `Little upward movement${f.longestGapMonths > 8 ? ` and a ${f.longestGapMonths}-month gap` : ''}; currently ${f.currentTitle}.`
          : 'No career history to show a trajectory.',
      (f) => (f.roles ? `The career path is short or unfocused (${f.roles} role(s) in ${f.years} years).` : 'No roles are listed.'),
    ],
  ],
  is_software_engineer: [
    [
      (f) => `Works as ${f.currentTitle} at ${f.currentCompany} with hands-on skills in ${f.skills.slice(0, 3).join(', ') || 'software'}.`,
      (f) => `Clearly a software engineer: ${f.currentTitle}, building with ${f.skills.slice(0, 2).join(' and ') || 'modern tools'}.`,
    ],
    [
      (f) => `Mostly engineering work; currently ${f.currentTitle} at ${f.currentCompany}.`,
      (f) => `The ${f.currentTitle} role involves real software development.`,
    ],
    [
      (f) => `${f.currentTitle} is adjacent to software engineering rather than core development.`,
      (f) => `Some technical work, but the ${f.currentTitle} role is not primarily coding.`,
    ],
    [
      (f) => (f.currentTitle ? `${f.currentTitle} is not a software engineering role.` : 'No software engineering experience is listed.'),
      (f) => (f.currentTitle ? `The background as ${f.currentTitle} is outside software engineering.` : 'No engineering roles are listed.'),
    ],
  ],
};

const DETAIL_SENTENCES: Record<(typeof DIMENSIONS)[number], (f: ProfileFacts, level: Level) => string> = {
  educational_pedigree: (f, l) => (l <= 1 ? `This gives a strong foundation in ${f.field ?? 'the fundamentals'}.` : 'Practical experience will matter more than the degree here.'),
  company_pedigree: (f, l) => (l <= 1 ? `Engineers at ${f.bestCompany ?? f.currentCompany} usually pass a rigorous interview process.` : `The ${f.roles} employer(s) listed give limited signal about the engineering bar.`),
  trajectory: (f, l) => (l <= 1 ? 'The increase in scope suggests strong performance reviews.' : `Over ${f.years} years one would expect more growth in scope.`),
  is_software_engineer: (f, l) => (l <= 1 ? 'The descriptions show ownership of production systems.' : 'The day-to-day work appears to involve little production code.'),
};

const TERSE: Record<(typeof DIMENSIONS)[number], readonly ((f: ProfileFacts) => string)[]> = {
  educational_pedigree: [
    (f) => `${f.school} is a top school.`,
    (f) => `${f.school} is a good school.`,
    (f) => `${f.school} is an average school.`,
    (f) => (f.school ? `${f.school} is not a strong school.` : 'No degree listed.'),
  ],
  company_pedigree: [
    (f) => `${f.bestCompany} is a top company.`,
    (f) => `${f.bestCompany ?? f.currentCompany} is a well-known company.`,
    (f) => `${f.currentCompany ?? 'The employer'} is an average company.`,
    (f) => (f.currentCompany ? `${f.currentCompany} is not well known.` : 'No employers listed.'),
  ],
  trajectory: [
    (f) => `Fast growth to ${f.currentTitle}.`,
    (f) => `Good growth to ${f.currentTitle}.`,
    (f) => `Slow growth, now ${f.currentTitle}.`,
    (f) => (f.roles ? `Little growth, now ${f.currentTitle}.` : 'No roles listed.'),
  ],
  is_software_engineer: [
    (f) => `${f.currentTitle} is a software engineer.`,
    (f) => `Works as ${f.currentTitle}.`,
    (f) => `${f.currentTitle} is partly technical.`,
    (f) => (f.currentTitle ? `${f.currentTitle} is not engineering.` : 'No engineering roles.'),
  ],
};

/** One or two sentences on one dimension at the persona's rating, citing the profile. */
export function dimensionReasoning(dim: (typeof DIMENSIONS)[number], level: Level, f: ProfileFacts, rng: Rng, verbosity: Verbosity): string {
  if (verbosity === 0 && rng.chance(0.85)) return TERSE[dim][level]!(f);
  const first = rng.pick(DIM_SENTENCES[dim][level]!)(f);
  if (verbosity === 0) return first;
  if (verbosity === 1 && !rng.chance(0.5)) return first;
  return `${first} ${DETAIL_SENTENCES[dim](f, level)}`;
}

const REC_OPENERS = [
  (f: ProfileFacts, r: string) => `${r} for ${f.name}.`,
  (f: ProfileFacts, r: string) => `${f.name} is a ${r}.`,
  (f: ProfileFacts, r: string) => `Recommendation: ${r}.`,
] as const;

/** The overall reasoning: 2-5 sentences, citing school, company and title. */
export function overallReasoning(rec: number, levels: Record<string, Level>, f: ProfileFacts, rng: Rng, verbosity: Verbosity): string {
  const strengths: string[] = [];
  const weaknesses: string[] = [];
  const say = (l: Level | undefined, good: string, bad: string) => ((l ?? 3) <= 1 ? strengths.push(good) : weaknesses.push(bad));
  say(levels.company_pedigree, `experience at ${f.bestCompany ?? f.currentCompany}`, `limited company pedigree (${f.currentCompany ?? 'no employer listed'})`);
  say(levels.educational_pedigree, `a ${f.degree ?? 'degree'} from ${f.school}`, f.school ? `a less selective education at ${f.school}` : 'no formal education');
  say(levels.trajectory, `strong growth to ${f.currentTitle}`, 'a slow or uneven trajectory');
  say(levels.is_software_engineer, `hands-on engineering as ${f.currentTitle}`, `a background (${f.currentTitle ?? 'none'}) that is not core software engineering`);
  const recWord = RECOMMENDATIONS[rec] ?? 'Maybe';
  const opener = rng.pick(REC_OPENERS)(f, recWord);
  const s1 = strengths.length ? `${f.firstName} brings ${strengths.slice(0, 2).join(' and ')}.` : `${f.firstName} has few clear strengths for a software engineering role.`;
  const s2 = weaknesses.length ? `The main concern is ${weaknesses[0]}.` : 'There are no significant concerns.';
  if (verbosity === 0) return rng.chance(0.4) ? `${s1} ${s2}` : s1;
  const s3 = `With ${f.years} years of experience, ${f.firstName} ${rec <= 1 ? 'would likely do well in a technical interview loop' : rec === 2 ? 'could be worth a phone screen' : 'is unlikely to meet the bar'}.`;
  if (verbosity === 1) return `${opener} ${s1} ${s2} ${s3}`;
  const s4 = weaknesses.length > 1 ? `Other gaps include ${weaknesses.slice(1, 3).join(' and ')}.` : `Skills such as ${f.skills.slice(0, 3).join(', ') || 'the listed ones'} support this.`;
  return `${opener} ${s1} ${s2} ${s3} ${s4}`;
}

/** A contract-shaped evaluation at the given ratings. */
export function buildEvaluation(j: Judgement, ratings: { levels: Record<string, Level>; rec: number }, rng: Rng, verbosity: Verbosity): Evaluation {
  const analysis: Evaluation['analysis'] = {};
  for (const d of DIMENSIONS) {
    const level = ratings.levels[d] ?? 2;
    analysis[d] = { rating: RATINGS[level]!, reasoning: dimensionReasoning(d, level, j.facts, rng.fork(`why:${d}`), verbosity) };
  }
  return {
    recommendation: RECOMMENDATIONS[ratings.rec] ?? 'Maybe',
    reasoning: overallReasoning(ratings.rec, ratings.levels, j.facts, rng.fork('why:overall'), verbosity),
    analysis,
  };
}

const OFF_RECOMMENDATIONS: Record<string, readonly string[]> = {
  'Strong Yes': ['Strongly Recommend', 'Hire', 'Definitely Yes', 'Strong Hire'],
  Yes: ['Recommend', 'Lean Yes', 'Yes, with reservations', 'Hire'],
  Maybe: ['Neutral', 'Strong Maybe', 'Possibly', 'Borderline'],
  No: ['Lean No', 'Not Recommended', 'No Hire', 'Unlikely'],
  'Strong No': ['Definitely Not', 'Reject', 'Strong Reject', 'No Hire'],
};
const OFF_RATINGS: Record<string, readonly string[]> = {
  Great: ['Excellent', 'Strong', 'High', 'Outstanding', '5/5'],
  Good: ['Above Average', 'Solid', 'High', 'Strong', '4/5'],
  Okay: ['Average', 'Moderate', 'Fair', 'Medium', '3/5'],
  Weak: ['Poor', 'Low', 'Below Average', 'N/A', '1/5'],
};

/** Replace one or two values with near-synonyms outside the contract's vocabularies. */
export function offEnum(e: Evaluation, rng: Rng): Evaluation {
  const out: Evaluation = { ...e, analysis: { ...e.analysis } };
  if (rng.chance(0.5)) out.recommendation = rng.pick(OFF_RECOMMENDATIONS[e.recommendation] ?? ['Neutral']);
  // Only rated entries (a field a prompt asked for as a bare value has no rating to drift).
  const dims = Object.keys(out.analysis).filter((d) => typeof out.analysis[d] === 'object');
  const count = out.recommendation === e.recommendation ? rng.int(1, 2) : rng.int(0, 1);
  for (let i = 0; i < count; i++) {
    const d = rng.pick(dims);
    const cur = out.analysis[d]!;
    out.analysis[d] = { ...cur, rating: rng.pick(OFF_RATINGS[cur.rating] ?? ['Average']) };
  }
  return out;
}

/** Drop a required member (what small models do when the prompt is long). */
export function dropField(e: Evaluation, rng: Rng): Record<string, unknown> {
  const choice = rng.int(0, 2);
  if (choice === 0) {
    const { reasoning: _r, ...rest } = e;
    return rest;
  }
  if (choice === 1) {
    const analysis = { ...e.analysis };
    delete analysis[rng.pick(Object.keys(analysis))];
    return { ...e, analysis };
  }
  // ratings as bare strings instead of {rating, reasoning}
  return { ...e, analysis: Object.fromEntries(Object.entries(e.analysis).map(([k, v]) => [k, typeof v === 'object' ? v.rating : v])) };
}

/** The evaluation with keys the model invented, when the prompt never named the contract's. */
export function inventedShape(e: Evaluation, j: Judgement, rng: Rng): Record<string, unknown> {
  const r = (d: string) => e.analysis[d]?.rating ?? 'Okay';
  const variants: (() => Record<string, unknown>)[] = [
    () => ({
      candidate: j.facts.name,
      recommendation: e.recommendation,
      summary: e.reasoning,
      strengths: [j.facts.bestCompany ? `Experience at ${j.facts.bestCompany}` : 'Relevant skills', `${j.facts.degree ?? 'Education'} from ${j.facts.school ?? 'n/a'}`],
      weaknesses: [j.facts.longestGapMonths > 8 ? 'Employment gap' : 'Limited leadership experience'],
    }),
    () => ({
      recommendation: e.recommendation,
      reasoning: e.reasoning,
      analysis: { education: r('educational_pedigree'), experience: r('company_pedigree'), career_growth: r('trajectory'), technical_skills: r('is_software_engineer') },
    }),
    () => ({
      name: j.facts.name,
      overall_rating: e.recommendation,
      education: { rating: r('educational_pedigree'), comment: e.analysis.educational_pedigree?.reasoning ?? '' },
      experience: { rating: r('company_pedigree'), comment: e.analysis.company_pedigree?.reasoning ?? '' },
      decision: e.reasoning,
    }),
  ];
  return rng.pick(variants)();
}

/** JSON text in one of the layouts models produce. */
export function toJson(value: unknown, indent: number): string {
  return indent > 0 ? JSON.stringify(value, null, indent) : JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ');
}

/** Wrap in a markdown fence, as chat models love to. */
export function fence(json: string, rng: Rng): string {
  return rng.chance(0.8) ? `\`\`\`json\n${json}\n\`\`\`` : `\`\`\`\n${json}\n\`\`\``;
}

/** Small syntax slips: a trailing comma, single quotes, or a Python literal. */
export function lenientSlip(json: string, rng: Rng): string {
  const kind = rng.int(0, 2);
  if (kind === 0) return json.replace(/("[^"]*")(\s*\n\s*\}\s*)$/, '$1,$2').replace(/\}(\s*\n\s*\})$/, '},$1');
  if (kind === 1) return json.replace(/"(recommendation|reasoning|analysis)"/g, "'$1'");
  return json.replace(/\n\}$/, ',\n  "confidence": None\n}');
}

// ---------------------------------------------------------------------------
// Non-answers
// ---------------------------------------------------------------------------

/** The evaluation written as markdown prose (when the prompt never asked for JSON). */
export function markdownEvaluation(e: Evaluation, j: Judgement): string {
  const lines = [`**Candidate Evaluation: ${j.facts.name}**`, '', `**Recommendation:** ${e.recommendation}`, '', e.reasoning, ''];
  for (const [k, v] of Object.entries(e.analysis)) lines.push(typeof v === 'object' ? `* **${DIM_LABELS[k] ?? k}:** ${v.rating} - ${v.reasoning}` : `* **${DIM_LABELS[k] ?? k}:** ${String(v)}`);
  return lines.join('\n');
}

/** A sentence or two a chat model puts before its JSON. */
export function proseBefore(f: ProfileFacts, rng: Rng): string {
  return rng.pick([
    `Here's an evaluation of ${f.name}'s profile based on the information provided:`,
    `Okay, here's my assessment of ${f.name} as a software engineering candidate.`,
    `Based on the profile, here is the evaluation of ${f.name}:`,
    `Here is the evaluation in JSON format:`,
  ]);
}

/** A remark a chat model adds after its JSON. */
export function proseAfter(f: ProfileFacts, e: Evaluation, rng: Rng): string {
  return rng.pick([
    `**Key takeaways:** ${f.firstName}'s time at ${f.bestCompany ?? f.currentCompany ?? 'their employers'} is the most important factor in this recommendation.`,
    `Let me know if you'd like me to adjust the criteria or evaluate another candidate.`,
    `Note: this assessment is based only on the profile provided; an interview would be needed to confirm ${f.firstName}'s technical depth.`,
    `The overall recommendation is **${e.recommendation}**.`,
  ]);
}
