/**
 * The instruction-following check per class of input from the hardening issue (src/tasks/candidate-screening/instructions.ts).
 * The hand-labelled corpus (score-instruction-corpus.test.ts) measures it on realistic outputs; these pin
 * each class of input and its guards.
 */
import { describe, expect, it } from 'vitest';
import type { CandidateProfile } from '../../src/tasks/candidate-screening/records.ts';
import { checkInstructions } from '../../src/tasks/candidate-screening/instructions.ts';

const PRIYA: CandidateProfile = {
  name: 'Priya Raman',
  education: [{ school: 'University of Michigan', degree: 'BS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
  experience: [
    { company: 'Stripe', title: 'SWE I', start: '2014-07', end: '2018-12', description: 'Payments ledger in Go.' },
    { company: 'Datadog', title: 'Senior SWE', start: '2019-01', end: null, description: 'Metrics pipeline.' },
  ],
  skills: ['Go'],
};
const DIMS = { educational_pedigree: 'Michigan CS degree.', company_pedigree: 'Stripe and Datadog.', trajectory: 'Lead at Datadog.', is_software_engineer: 'Writes Go daily.' };

function obj(reasoning: string | null, notes: Partial<typeof DIMS> = {}, recommendation: string | null = 'Yes', rating: string | null = 'Good'): Record<string, unknown> {
  const analysis = Object.fromEntries(Object.entries({ ...DIMS, ...notes }).map(([k, v]) => [k, { rating, reasoning: v }]));
  return { recommendation, reasoning, analysis };
}
const check = (text: string, prompt?: string) => checkInstructions(text, PRIYA, { finishReason: 'stop', prompt });
const classOf = (value: Record<string, unknown>) => check(JSON.stringify(value, null, 2)).class;

describe('bracketed slots of any length are templates', () => {
  it.each([
    ["<Explain the candidate's career progression>"],
    ['<2-5 sentences citing specific schools, companies and titles from the profile>'],
    ['[Provide a two to three sentence justification of the recommendation, citing the candidate profile]'],
    ["{{overall reasoning about the candidate's suitability for the role}}"],
    ['Priya has <number> years at <company name>.'],
    ['She joined {{company}} in {{year}}.'],
    ['[List the schools and companies here]'],
    ['(reasoning goes here)'],
    ['Your reasoning goes here.'],
    ['<<Insert a detailed rationale that references the schools here>>'],
  ])('%s', (reasoning) => {
    expect(classOf(obj(reasoning))).toBe('template');
  });

  it.each([
    ['Her tenure at Stripe was <5 years, and the move Stripe -> Datadog was a step up.'],
    ['Stripe (<2y as SWE I) vs Datadog (>4y as Senior SWE): clear growth.'],
    ['At Stripe for <5 years; at Datadog for > 4 years.'],
    ['Datadog <b>lead</b>, Stripe before that.'],
  ])('a "<" in real reasoning stays followed: %s', (reasoning) => {
    expect(classOf(obj(reasoning))).toBe('followed');
  });
});

describe('descriptions of a field copied in as its value are templates', () => {
  it.each([
    ['One sentence of evidence from the profile.'],
    ['Two to five sentences that justify the recommendation with evidence from the profile.'],
    ['A short paragraph explaining the overall recommendation.'],
    ['Brief justification for the rating.'],
    ['Ordinal rating of one dimension, best to worst.'],
  ])('%s', (note) => {
    expect(classOf(obj('Priya built the Stripe ledger and leads at Datadog.', { trajectory: note }))).toBe('template');
  });

  it.each([['One of Great, Good, Okay or Weak'], ['Great / Good / Okay / Weak'], ['either Great, Good, Okay, or Weak']])('the scale as a rating: %s', (rating) => {
    expect(classOf(obj('Priya built the Stripe ledger and leads at Datadog.', {}, 'Yes', rating))).toBe('template');
  });

  it.each([
    ['In one sentence: Priya leads the Datadog metrics team after Stripe.'],
    ['The evidence from the profile is strong: Stripe, then a lead role at Datadog.'],
    ['A brief stint at Stripe, then years at Datadog.'],
    ['Good, not Great: Michigan is strong but not top five.'],
  ])('real reasoning that sounds like one stays followed: %s', (reasoning) => {
    expect(classOf(obj(reasoning))).toBe('followed');
  });
});

describe('the empty skeleton', () => {
  const empty = obj('', { educational_pedigree: '', company_pedigree: '', trajectory: '', is_software_engineer: '' }, '', '');
  const nulls = obj(null, { educational_pedigree: null as never, company_pedigree: null as never, trajectory: null as never, is_software_engineer: null as never }, null, null);

  it('is a template alone, a fill-in request with any hand-back', () => {
    expect(classOf(empty)).toBe('template');
    expect(classOf(nulls)).toBe('template');
    for (const outro of ['Your Turn! Please fill in the fields above.', 'Your turn!', "Now it's your turn.", 'Fill out each field based on the profile.', 'Complete the JSON with your assessment.', 'Over to you: plug in your ratings and reasoning.']) {
      expect(check('```json\n' + JSON.stringify(empty, null, 2) + '\n```\n\n' + outro).class, outro).toBe('fill-in-request');
      expect(check(JSON.stringify(nulls) + '\n' + outro).class, outro).toBe('fill-in-request');
    }
  });

  it('one empty dimension note in a real answer is not a skeleton', () => {
    expect(classOf(obj('Priya built the Stripe ledger and leads at Datadog.', { trajectory: '' }))).toBe('followed');
  });
});

describe('a non-answer as the top-level reasoning is ungrounded, whatever the dimension notes cite', () => {
  it.each([['N/A'], ['n/a'], ['N/A - see the analysis below.'], ['Not applicable; the ratings speak for themselves.'], ['None.'], [''], ['-'], ['See below.'], ['No reasoning provided.']])('%j', (reasoning) => {
    const v = check(JSON.stringify(obj(reasoning)));
    expect(v.class).toBe('ungrounded');
    expect(v.reason).toMatch(/non-answer/);
  });

  it.each([['None of her roles outside Stripe involved code, but Datadog does.'], ['- Strong Go work at Stripe and Datadog.'], ['A CS GPA is N/A here; the Stripe ledger work is what counts.'], ['Nothing in the profile is weak: Stripe, then Datadog.']])('real reasoning stays followed: %s', (reasoning) => {
    expect(classOf(obj(reasoning))).toBe('followed');
  });
});

describe('the same object written twice is multiple-answers', () => {
  const one = JSON.stringify(obj('Priya built the Stripe ledger and leads at Datadog.'), null, 2);
  it.each([
    ['twice', `${one}\n\n${one}`],
    ['two fences', '```json\n' + one + '\n```\n```json\n' + one + '\n```'],
    ['compact then pretty', `${JSON.stringify(JSON.parse(one))}\n${one}`],
    ['after a reasoning block', `<think>ok</think>\n${one}\n${one}`],
  ])('%s', (_name, text) => {
    const v = check(text);
    expect(v.class).toBe('multiple-answers');
    expect(v.reason).toMatch(/more than once/);
  });

  it('one object with braces after it stays followed', () => {
    expect(check(`${one}\n\nThe {ratings} follow your rubric.`).class).toBe('followed');
  });
});

describe("the prompt's worked example, about another person", () => {
  const EXAMPLE = '{"recommendation": "Yes", "reasoning": "Lena has ten years of hands-on backend work at Capital One. Her University of Michigan degree is strong.", "analysis": {"educational_pedigree": {"rating": "Good", "reasoning": "BS from the University of Michigan."}, "company_pedigree": {"rating": "Okay", "reasoning": "Capital One, a bank."}, "trajectory": {"rating": "Good", "reasoning": "Promoted after five years."}, "is_software_engineer": {"rating": "Great", "reasoning": "Writes backend code."}}}';

  it('is wrong-candidate, even when it shares the candidate\'s school', () => {
    expect(check(EXAMPLE).class).toBe('wrong-candidate');
    expect(check(`Here is the evaluation for Lena:\n\n${EXAMPLE}`).class).toBe('wrong-candidate');
  });

  it('with the prompt known, a mention of its example person alone is enough', () => {
    const prompt = 'Example candidate:\nName: Lena Ortiz. Education: BS, University of Michigan.\n\nNow the real candidate (JSON):\n{"name": "Priya Raman"}';
    const copy = JSON.stringify(obj('Ortiz is a solid backend engineer from the University of Michigan.'));
    expect(check(copy).class).toBe('followed');
    expect(check(copy, prompt).class).toBe('wrong-candidate');
    expect(check(JSON.stringify(obj('Unlike Lena Ortiz in the example, Priya leads a team at Datadog.')), prompt).class).toBe('followed');
  });

  it.each([
    ['Priya has ten years at Stripe and Datadog.'],
    ['Google has a famously hard bar; Stripe and Datadog are close to it.'],
    ['It has been a steady climb since 2014 at Stripe.'],
  ])('guards: %s', (reasoning) => {
    expect(classOf(obj(reasoning))).toBe('followed');
  });
});
