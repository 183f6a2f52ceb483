import { describe, expect, it } from 'vitest';
import { parseResponse } from '../../src/score/parse.ts';
import { SCORER_IDS } from '../../src/score/registry.ts';
// The public API's scorers: called with no task, they score candidate screening with its module.
import { SCORERS } from '../../src/public-scoring.ts';
import { assertScorerIds, buildScorers, scoreResult } from '../../src/score/score-run.ts';
import type { AnsweredResult } from '../../src/score/scorer.ts';
import { UserError } from '../../src/core/errors.ts';
import { ScoreRecord } from '../../src/core/records.ts';
import { answer, result, row } from './aggregate-fixture.ts';

function run(id: keyof typeof SCORERS, content: string, gold = row('c1', 'Yes'), finish: string | null = 'stop') {
  const r = result({ item_id: gold.id, content, finish_reason: finish }) as AnsweredResult;
  return SCORERS[id]()({ result: r, parsed: parseResponse(content, finish), item: gold });
}

describe('schema scorer', () => {
  it.each([
    ['valid answer', answer(), 1, 'valid', undefined],
    ['valid answer in a fence (wrapping is json-strict\'s job)', '```json\n' + answer() + '\n```', 1, 'valid', undefined],
    ['unparsable answer is 0, not unscored', 'I think yes.', 0, 'unparsable', 'nothing to validate (not-json)'],
    ['recommendation off the scale', answer('Definitely'), 0, 'invalid', '/recommendation must be equal to one of the allowed values ("Strong Yes", "Yes", "Maybe", "No", "Strong No")'],
    ['extra property', answer('Yes', { confidence: 0.9 }), 0, 'invalid', '/ must NOT have additional properties ("confidence")'],
    ['missing fields', '{"recommendation": "Yes"}', 0, 'invalid', "/ must have required property 'reasoning'; / must have required property 'analysis'"],
    [
      'bad rating and short reasoning',
      answer('Yes', { analysis: { educational_pedigree: { rating: 'Excellent', reasoning: 'short' }, company_pedigree: { rating: 'Good', reasoning: 'long enough here' }, trajectory: { rating: 'Good', reasoning: 'long enough here' }, is_software_engineer: { rating: 'Good', reasoning: 'long enough here' } } }),
      0,
      'invalid',
      '/analysis/educational_pedigree/rating must be equal to one of the allowed values ("Great", "Good", "Okay", "Weak"); /analysis/educational_pedigree/reasoning must NOT have fewer than 10 characters',
    ],
  ] as const)('%s', (_name, content, score, label, reason) => {
    const s = run('schema', content);
    expect(s).toEqual({ score, label, ...(reason === undefined ? {} : { reason }) });
  });

  it('lists at most three errors and counts the rest', () => {
    const s = run('schema', '{"a": 1, "b": 2, "c": 3}');
    expect(s.reason?.split('; ')).toHaveLength(4);
    expect(s.reason).toMatch(/; and \d+ more$/);
  });
});

describe('json and recommendation scorers', () => {
  it.each([
    ['json-strict', answer(), 1, 'ok'],
    ['json-strict', '```json\n' + answer() + '\n```', 0, 'fenced'],
    ['json-recoverable', '```json\n' + answer() + '\n```', 1, 'fenced'],
    ['json-recoverable', 'no', 0, 'not-json'],
    ['recommendation-match', answer('Yes'), 1, 'match'],
    ['recommendation-match', answer('Strong No'), 0, 'mismatch'],
    ['recommendation-match', answer('yes'), 0, 'missing'],
    ['recommendation-match', 'not json', 0, 'missing'],
  ] as const)('%s on %j', (id, content, score, label) => {
    const s = run(id, content);
    expect(s.score).toBe(score);
    expect(s.label).toBe(label);
  });
});

describe('follows-instructions scorer', () => {
  it.each([
    ['a real answer', answer(), 1, 'followed'],
    ['a template with bracketed placeholders', answer('Yes', { reasoning: '[Your reasoning here]' }), 0, 'template'],
    ['the enum list as the value', answer('Strong Yes | Yes | Maybe | No | Strong No'), 0, 'template'],
    ['blanks', answer('Yes', { reasoning: '________' }), 0, 'template'],
    ['asks the reader to fill in', 'Please fill in the fields below with the candidate information.', 0, 'fill-in-request'],
    ['asks for the profile', 'Could you please provide the candidate profile?', 0, 'fill-in-request'],
    ['a question back', 'Which role is this candidate being considered for?', 0, 'question-back'],
    ['a refusal', "I'm sorry, but I can't help with evaluating people.", 0, 'refusal'],
    ['prose instead of JSON', 'This candidate looks strong and I would hire them.', 0, 'prose'],
    ['a template in prose', 'Recommendation: <recommendation>\nReasoning: [Insert reasoning]', 0, 'template'],
  ] as const)('%s', (_name, content, score, label) => {
    const s = run('follows-instructions', content);
    expect(s.score).toBe(score);
    expect(s.label).toBe(label);
  });

  it('counts a truncated answer as not following (the rate is over every answered item), class `truncated`', () => {
    expect(run('follows-instructions', '{"recommendation": "Ye', row('c1'), 'length')).toMatchObject({ score: 0, label: 'truncated' });
  });
});

describe('scoreResult', () => {
  const scorers = buildScorers([...SCORER_IDS]);

  it('marks every scorer unscored when the request failed', () => {
    const rec = scoreResult(result({ item_id: 'c1', error: { kind: 'timeout', status: null, message: 'timed out' } }), row('c1'), scorers);
    expect(ScoreRecord.parse(rec)).toEqual(rec);
    expect(Object.keys(rec.scores)).toEqual([...SCORER_IDS]);
    for (const s of Object.values(rec.scores)) expect(s).toEqual({ score: null, reason: 'request failed: timeout' });
    expect(rec.prediction).toBeNull();
    expect(rec.request_error?.kind).toBe('timeout');
  });

  it('carries the prediction (valid enum values only) and the gold labels', () => {
    const content = answer('No', { analysis: { educational_pedigree: { rating: 'Weak', reasoning: 'x' }, company_pedigree: { rating: 'Superb', reasoning: 'x' }, trajectory: 'Good' } });
    const rec = scoreResult(result({ item_id: 'c1', content }), row('c1', 'Maybe', ['hard']), scorers);
    expect(ScoreRecord.parse(rec)).toEqual(rec);
    // Flat by declared label name (tasks/candidate-screening/task.json).
    expect(rec.prediction).toEqual({ recommendation: 'No', educational_pedigree: 'Weak', company_pedigree: null, trajectory: null, is_software_engineer: null });
    expect(rec.gold.recommendation).toBe('Maybe');
    expect(rec.strata).toEqual(['hard']);
    expect(rec.usage).toEqual({ prompt_tokens: 100, completion_tokens: 50 });
  });

  it('turns a throwing scorer into an unscored item', () => {
    const rec = scoreResult(result({ item_id: 'c1' }), row('c1'), [['json-strict', () => { throw new Error('boom'); }]]);
    expect(rec.scores['json-strict']).toEqual({ score: null, label: 'scorer-error', reason: 'scorer failed: boom' });
  });
});

describe('assertScorerIds', () => {
  it('accepts known ids and drops duplicates', () => {
    expect(assertScorerIds(['schema', 'json-strict', 'schema'], 'evals/x.json')).toEqual(['schema', 'json-strict']);
  });

  it('names the file, the field, the unknown id and the known ones', () => {
    try {
      assertScorerIds(['json-strict', 'jsn-strict'], 'evals/x.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      const u = e as UserError;
      expect(u.file).toBe('evals/x.json');
      expect(u.field).toBe('scorers.1');
      expect(u.format()).toContain('unknown scorer `jsn-strict`');
      for (const id of SCORER_IDS) expect(u.format()).toContain(id);
    }
  });
});

describe('grounding and rationale-similarity scorers', () => {
  const item = {
    ...row('c1', 'Yes'),
    candidate: {
      name: 'Priya Raman',
      education: [{ school: 'University of Michigan', degree: 'BS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
      experience: [
        { company: 'Stripe', title: 'Software Engineer', start: '2014-07', end: '2018-12', description: 'Payments.' },
        { company: 'Datadog', title: 'Senior Software Engineer', start: '2019-01', end: null, description: 'Metrics.' },
      ],
      skills: ['Go'],
    },
  };
  const with_ = (reasoning: string) => answer('Yes', { reasoning });

  it.each([
    ['names only profile entities', with_('Priya worked at Stripe and joined Datadog after the University of Michigan.'), 1, 'grounded', undefined],
    ['short forms count (Michigan)', with_('A Michigan graduate who spent years at Stripe.'), 1, 'grounded', undefined],
    ['an employer not in the profile', with_('Priya worked at Stripe and at Microsoft before joining Datadog.'), 0.666667, 'unsupported', 'not in the item: "Microsoft"'],
    ['a school not in the profile', with_('A Stanford University graduate now at Datadog.'), 0.5, 'unsupported', 'not in the item: "Stanford University"'],
    ['about someone else', with_('John Doe is a seasoned engineer at Stripe.'), 0, 'wrong-candidate', 'about John Doe, but the item is about Priya Raman'],
    ['names nothing', with_('A strong engineer with a steady record.'), null, 'nothing-named', 'names no organisation'],
  ] as const)('%s', (_name, content, score, label, reason) => {
    const r = result({ item_id: 'c1', content }) as AnsweredResult;
    const s = SCORERS.grounding()({ result: r, parsed: parseResponse(content), item });
    expect(s).toEqual({ score, label, ...(reason === undefined ? {} : { reason }) });
  });

  it('rationale similarity is informational, in [0, 1], unscored without reasoning', () => {
    const g = { ...row('c1'), gold: { ...row('c1').gold, rationale: 'A solid engineer.' } };
    const same = run('rationale-similarity', answer('Yes', { reasoning: 'A solid engineer.' }), g);
    expect(same).toEqual({ score: 1, label: 'informational' });
    const other = run('rationale-similarity', answer('Yes', { reasoning: 'Completely unrelated words here.' }), g);
    expect(other.score).toBeGreaterThanOrEqual(0);
    expect(other.score).toBeLessThan(0.5);
    expect(run('rationale-similarity', 'not json', g)).toEqual({ score: null, label: 'no-reasoning', reason: 'nothing to compare (not-json)' });
  });
});

describe('follows-instructions scorer on every class', () => {
  const item = { ...row('c1'), candidate: { name: 'Priya Raman', education: [], experience: [{ company: 'Stripe', title: 'Engineer', start: '2014-07', end: null, description: '' }], skills: [] } };
  it.each([
    ['followed', answer('Yes', { reasoning: 'Priya has shipped payments code at Stripe for years.' })],
    ['ungrounded', answer('Yes', { reasoning: 'The candidate has a strong background and good skills.' })],
    ['wrong-candidate', answer('Yes', { reasoning: 'John Doe has shipped payments code at Stripe for years.' })],
    ['repetition', 'The candidate is a good fit. '.repeat(20)],
    ['prompt-echo', 'You are an expert technical recruiter. Respond with a single JSON object and nothing else.'],
    ['empty', '<think>hmm</think>'],
    ['multiple-answers', '{"recommendation": "Yes"} {"recommendation": "No"}'],
    ['prose', 'ing\n\nThe candidate has strong experience at Stripe.'],
  ] as const)('%s', (label, content) => {
    const r = result({ item_id: 'c1', content }) as AnsweredResult;
    const s = SCORERS['follows-instructions']()({ result: r, parsed: parseResponse(content), item });
    expect(s.label).toBe(label);
    expect(s.score).toBe(label === 'followed' ? 1 : 0);
    expect(s.reason).toBeTruthy();
  });
});
