/** The package's public API, imported by its package name as a team's own tests would. */
import { describe, expect, it } from 'vitest';
import * as api from 'qualbench';
import { checkContract, checkInstructions, createContractChecker, parseResponse, scoreAnswer, SCORER_IDS, classificationReport, type CandidateProfile } from 'qualbench';
import { qualbenchMatchers } from 'qualbench/vitest';
import { answer, row } from './aggregate-fixture.ts';

const profile: CandidateProfile = {
  name: 'Ada Example',
  education: [{ school: 'University of Michigan', degree: 'BS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
  experience: [{ company: 'Stripe', title: 'Software Engineer', start: '2014-07', end: null, description: 'Payments.' }],
  skills: ['Go'],
};
const good = answer('Yes', { reasoning: 'Ada has built payment systems at Stripe since 2014 after a Michigan CS degree.' });

describe('public API', () => {
  it('exports the parser, the checks, the scorers and the metrics', () => {
    for (const name of ['parseResponse', 'checkInstructions', 'checkContract', 'createContractChecker', 'scoreAnswer', 'SCORERS', 'ordinalAgreement', 'classificationReport', 'quadraticKappa', 'importBatchOutput', 'readPrediction']) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('parses and checks an answer', () => {
    expect(parseResponse('```json\n' + good + '\n```').class).toBe('fenced');
    expect(checkInstructions(good, profile)).toEqual({ class: 'followed', followed: true, reason: 'an answer citing "University of Michigan"' });
    expect(checkInstructions('Please fill in the following fields: Recommendation, Reasoning', profile)).toMatchObject({ class: 'fill-in-request', followed: false });
  });

  it('checks the contract, by default or against a given schema, leniently or strictly', () => {
    expect(checkContract(good)).toMatchObject({ pass: true, errors: [] });
    expect(checkContract('{"recommendation": "Yes"}').errors).toEqual(["/ must have required property 'reasoning'", "/ must have required property 'analysis'"]);
    expect(checkContract('nope').errors[0]).toMatch(/^no JSON object to validate \(not-json/);
    const fenced = '```json\n' + good + '\n```';
    expect(checkContract(fenced).pass).toBe(true);
    expect(checkContract(fenced, undefined, { strict: true }).errors[0]).toMatch(/^not the bare JSON object/);
    const draft7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['ok'] };
    const check = createContractChecker(draft7);
    expect(check({ ok: 1 }).pass).toBe(true);
    expect(check('{}').errors).toEqual(["/ must have required property 'ok'"]);
  });

  it('scores an answer with the run scorers', () => {
    const item = { ...row('c1', 'Yes'), candidate: profile };
    const s = scoreAnswer(good, item);
    expect(Object.keys(s)).toEqual([...SCORER_IDS]);
    expect(s.schema).toEqual({ score: 1, label: 'valid' });
    expect(s['recommendation-match']).toMatchObject({ score: 1 });
    expect(s['follows-instructions']).toMatchObject({ score: 1, label: 'followed' });
    expect(s.grounding).toMatchObject({ score: 1, label: 'grounded' });
    expect(s['rationale-similarity']!.score).toBeGreaterThan(0);
    expect(scoreAnswer('', item, { scorers: ['follows-instructions'] })).toEqual({ 'follows-instructions': { score: 0, label: 'empty', reason: 'empty answer' } });
  });

  it('reports a detector against labels', () => {
    expect(classificationReport(['a', 'b'], ['a', 'a']).macro_recall).toBe(0.5);
  });
});

describe('vitest matchers', () => {
  it('toMeetContract and toFollowInstructions pass and fail with a reason', () => {
    expect(good).toMeetContract();
    expect({ recommendation: 'Yes' }).not.toMeetContract();
    expect(good).toFollowInstructions(profile);
    expect(answer('Yes', { reasoning: '[Your reasoning here]' })).not.toFollowInstructions(profile);
    const fail = qualbenchMatchers.toFollowInstructions("I can't make hiring decisions about people.", profile);
    expect(fail.pass).toBe(false);
    expect(fail.message()).toMatch(/is `refusal`: refuses the task/);
    const contract = qualbenchMatchers.toMeetContract('{"recommendation": "Maybe!"}');
    expect(contract.message()).toContain('/recommendation must be equal to one of the allowed values');
    expect(() => expect('not json').toMeetContract()).toThrow(/to meet the contract/);
  });
});
