/**
 * The non-answers small models produce instead of an evaluation: a placeholder copy of the requested
 * format, a question back, a generic essay, a profile restatement, a refusal. Split from writing.ts.
 */
import { DIMENSIONS } from '../../core/records.ts';
import type { ProfileFacts } from '../knowledge.ts';
import type { Rng } from '../prng.ts';

/** The contract's dimensions as people write them. */
export const DIM_LABELS: Record<string, string> = {
  educational_pedigree: 'Educational Pedigree',
  company_pedigree: 'Company Pedigree',
  trajectory: 'Trajectory',
  is_software_engineer: 'Is Software Engineer',
};

/** A copy of the requested format with placeholders instead of an assessment. */
export function placeholderTemplate(rng: Rng, bare: boolean): string {
  const style = rng.int(0, 2);
  const rec = ['[Strong Yes/Yes/Maybe/No/Strong No]', '<recommendation>', 'Strong Yes | Yes | Maybe | No | Strong No'][style]!;
  const rating = ['[Great/Good/Okay/Weak]', '<rating>', 'Great | Good | Okay | Weak'][style]!;
  const why = ['[Your reasoning here]', '<reasoning>', 'Explain your reasoning'][style]!;
  const analysis: Record<string, unknown> = {};
  const flat = rng.chance(0.5);
  for (const d of DIMENSIONS) analysis[d] = flat ? rating : { rating, reasoning: style === 2 ? `Explain the ${DIM_LABELS[d]!.toLowerCase()} rating` : why };
  const json = JSON.stringify({ recommendation: rec, reasoning: why, analysis }, null, flat ? 1 : 2);
  if (bare) return json;
  const intro = rng.pick([
    "Here's the evaluation in the requested format:",
    'Here is the JSON output for the candidate evaluation:',
    'To evaluate the candidate, you can use the following format:',
  ]);
  const outro = rng.pick([
    'Please fill in the fields with your assessment of the candidate.',
    "Replace the placeholders with the candidate's information and your evaluation.",
    'You can fill in the ratings and reasoning based on the candidate profile above.',
  ]);
  return `${intro}\n\n\`\`\`json\n${json}\n\`\`\`\n\n${outro}`;
}

/** A question back instead of an answer. */
export function questionBack(f: ProfileFacts | null, rng: Rng): string {
  const who = f ? f.name : 'the candidate';
  return rng.pick([
    `I'd be happy to help evaluate ${who}. However, I need a bit more information first. Could you please tell me which role you are hiring for and what level of seniority you expect? Different teams weigh education, company background and career trajectory differently, so knowing the job requirements will help me give you an accurate recommendation.`,
    `Before I provide an evaluation of ${who}, could you clarify the criteria you would like me to use? For example, should "Great" educational pedigree only apply to top universities, and what counts as a software engineer for your purposes? Once I have this information I can complete the assessment.`,
    `Can you provide the job description for this position? Without knowing the requirements of the role, it is difficult to judge whether ${who} would be a good fit. Please share the details and I will evaluate the profile.`,
  ]);
}

/** A generic essay on candidate evaluation that never evaluates this candidate. */
export function genericEssay(rng: Rng): string {
  const paras = [
    'Evaluating a software engineering candidate involves looking at several factors, including their education, the companies they have worked for, the progression of their career, and their hands-on technical skills.',
    '**Educational Pedigree:** A degree from a well-known university can be a good signal, but it is not the only indicator of ability. Many excellent engineers come from non-traditional backgrounds such as bootcamps or self-study.',
    '**Company Pedigree:** Experience at companies with a high hiring bar suggests the candidate has passed rigorous interviews. However, engineers at smaller companies often take on broader responsibilities.',
    '**Trajectory:** Look for steady growth in responsibilities and titles, such as moving from Junior Engineer to Senior Engineer. Frequent job changes or long gaps may need explanation.',
    '**Software Engineering Experience:** Check whether the candidate has worked in roles that involve writing production code, such as Software Engineer, Backend Developer or Site Reliability Engineer.',
    'In conclusion, a holistic evaluation that considers all of these factors will help you make the best hiring decision.',
  ];
  return rng.chance(0.3) ? paras.join('\n\n') : [paras[0], paras[3], paras[5]].join('\n\n');
}

/** A restatement of the profile with no judgement. */
export function profileSummary(f: ProfileFacts, rng: Rng): string {
  const lines = [
    `Based on the provided profile, ${f.name} is currently working as ${f.currentTitle ?? 'an unknown role'} at ${f.currentCompany ?? 'an unknown company'}.`,
    f.school ? `${f.firstName} has a ${f.degree} in ${f.field} from ${f.school}.` : `${f.firstName} has no formal education listed.`,
    `${f.firstName} has worked at ${f.companies.join(', ') || 'no companies'} over about ${f.years} years.`,
    f.skills.length ? `Their skills include ${f.skills.join(', ')}.` : '',
  ].filter(Boolean);
  const tail = rng.pick([
    `Overall, ${f.firstName} has a diverse background in the technology industry.`,
    `${f.firstName} seems to be a motivated professional with relevant experience.`,
    'Let me know if you would like me to provide more details about any part of the profile.',
  ]);
  return `${lines.join(' ')}\n\n${tail}`;
}

/** A cautious refusal, as small instruction-tuned models sometimes give about real-looking people. */
export function refusal(rng: Rng): string {
  return rng.pick([
    "I can't make hiring decisions or provide recommendations about specific individuals, as that could lead to unfair or biased outcomes. However, I can offer some general guidance on how to evaluate candidates fairly: focus on the skills and experience required for the role, use structured interviews, and assess every candidate against the same criteria.",
    "I can't help with evaluating this individual's suitability for employment. Hiring decisions should be made by qualified people following your organization's policies. Is there anything else I can help you with?",
  ]);
}

/** What a model answers when the prompt holds no candidate profile at all. */
export function noProfileAnswer(rng: Rng, mode: 'free' | 'json_object'): string {
  if (mode === 'json_object') return placeholderTemplate(rng, true);
  return rng.pick([
    "I don't see a candidate profile in your message. Could you please share the candidate's education, work experience and skills? Once you provide them, I'll evaluate the candidate and return the recommendation in the requested format.",
    placeholderTemplate(rng, false),
  ]);
}
