/**
 * Grounding per class of input (src/score/facts.ts and src/tasks/candidate-screening/profile-facts.ts, read by the grounding scorer and the
 * instruction-following check): job-title abbreviations are not organisations, company names ending in
 * "s" keep it, and person names are recognised with diacritics (composed or not).
 */
import { describe, expect, it } from 'vitest';
import type { CandidateProfile } from '../../src/tasks/candidate-screening/records.ts';
import { parseResponse } from '../../src/score/parse.ts';
import { SCORERS } from '../../src/score/registry.ts';
import type { AnsweredResult } from '../../src/score/scorer.ts';
import { fold, inProfile, isCandidate, namedOrganisations, namedPeople, profileFacts } from '../../src/tasks/candidate-screening/profile-facts.ts';
import { answer, result, row } from './aggregate-fixture.ts';

const LUCIA: CandidateProfile = {
  name: 'Lucía Fernández',
  education: [{ school: 'Universidad Politécnica de Madrid', degree: 'BS', field: 'Computer Science', start_year: 2012, end_year: 2016 }],
  experience: [
    { company: 'Databricks', title: 'SWE I', start: '2016-09', end: '2019-03', description: 'Spark runtime.' },
    { company: 'Databricks', title: 'Senior SWE', start: '2019-04', end: null, description: 'Query engine.' },
    { company: 'Goldman Sachs', title: 'Analyst', start: '2015-06', end: '2015-09', description: 'Summer internship.' },
  ],
  skills: ['Scala'],
};
const PRIYA: CandidateProfile = {
  name: 'Priya Raman',
  education: [{ school: 'University of Michigan', degree: 'BS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
  experience: [
    { company: 'Stripe', title: 'Software Engineer', start: '2014-07', end: '2018-12', description: 'Payments.' },
    { company: 'Datadog', title: 'Senior Software Engineer', start: '2019-01', end: null, description: 'Metrics.' },
    { company: 'Atlassian', title: 'Intern', start: '2013-06', end: '2013-08', description: 'Jira plugins.' },
  ],
  skills: ['Go'],
};

function grounding(candidate: CandidateProfile, reasoning: string) {
  const content = answer('Yes', { reasoning });
  const item = { ...row('c1'), candidate };
  return SCORERS.grounding()({ result: result({ item_id: 'c1', content }) as AnsweredResult, parsed: parseResponse(content), item });
}

describe('job titles, levels and degrees are not organisations', () => {
  it.each([
    ['Promoted from SWE I to Senior SWE at Databricks.', ['Databricks']],
    ['She moved from SDE II to SDE III within two years at Stripe.', ['Stripe']],
    ['Joined as an intern, then from L4 to L6 at Datadog.', ['Datadog']],
    ['He came from QA and from PM roles before joining Stripe.', ['Stripe']],
    ['Graduated with a BS in CS from MIT, then with MBA from Wharton.', ['MIT', 'Wharton']],
    ['Worked as TPM for Goldman Sachs.', ['Goldman Sachs']],
  ])('%s', (text, orgs) => {
    expect(namedOrganisations(text)).toEqual(orgs);
  });

  it('scores a correct answer with title abbreviations as grounded (was 0.67)', () => {
    expect(grounding(LUCIA, 'Lucía was promoted from SWE I to Senior SWE at Databricks in under three years.')).toEqual({ score: 1, label: 'grounded' });
    expect(grounding(PRIYA, 'Priya rose from SWE II at Stripe to Senior SWE at Datadog.')).toEqual({ score: 1, label: 'grounded' });
  });

  it('still reports an employer that is not in the profile next to an abbreviation', () => {
    expect(grounding(PRIYA, 'Promoted from SWE I at Microsoft to Senior SWE at Datadog.')).toEqual({ score: 0.5, label: 'unsupported', reason: 'not in the item: "Microsoft"' });
  });
});

describe('company names ending in s', () => {
  it.each([
    ['She joined Databricks in 2016.', 'Databricks'],
    ['An analyst at Goldman Sachs.', 'Goldman Sachs'],
    ["Interned at Atlassian's Sydney office.", 'Atlassian'],
    ["Spent a summer at Goldman Sachs' trading desk.", 'Goldman Sachs'],
    ["Worked at Databricks's query team.", 'Databricks'],
  ])('%s names %s', (text, org) => {
    expect(namedOrganisations(text)).toEqual([org]);
  });

  it('finds the plural and singular forms in the profile', () => {
    const facts = profileFacts(LUCIA);
    expect(inProfile('Databricks', facts)).toBe(true);
    expect(inProfile('Databrick', facts)).toBe(true);
    expect(inProfile('Goldman Sachs', facts)).toBe(true);
    expect(inProfile('Snowflake', facts)).toBe(false);
  });

  it('scores a correct answer naming Databricks and Goldman Sachs as grounded', () => {
    expect(grounding(LUCIA, "Lucía has led Spark work at Databricks since 2016 after a summer at Goldman Sachs.")).toEqual({ score: 1, label: 'grounded' });
  });
});

describe('organisation names with diacritics', () => {
  const WROCLAW: CandidateProfile = {
    name: 'Zofia Müller',
    education: [{ school: 'Wrocław Institute of Applied Informatics', degree: 'BS', field: 'CS', start_year: 2010, end_year: 2014 }, { school: 'University of São Paulo', degree: 'MS', field: 'CS', start_year: 2014, end_year: 2016 }],
    experience: [{ company: 'Société Générale', title: 'Developer', start: '2016-01', end: null, description: 'Java.' }],
    skills: [],
  };
  it.each([
    ['A graduate of the University of Wrocław.', ['University of Wrocław']],
    ['She studied at Wrocław Institute of Applied Informatics.', ['Wrocław Institute of Applied Informatics']],
    ['An MS from the University of São Paulo.', ['University of São Paulo']],
    ['Now a developer at Société Générale.', ['Société Générale']],
  ])('%s', (text, orgs) => {
    expect(namedOrganisations(text)).toEqual(orgs);
  });

  it('finds them in the profile (were cut at the first non-ASCII letter: "Wroc")', () => {
    expect(grounding(WROCLAW, 'Zofia studied at Wrocław Institute of Applied Informatics and the University of São Paulo, and works at Société Générale.')).toEqual({ score: 1, label: 'grounded' });
  });
});

describe('names with diacritics', () => {
  const facts = profileFacts(LUCIA);

  it.each([
    ['Javier Ibáñez has eight years of backend work.', ['Javier Ibáñez']],
    ['Ingrid Müller brings a decade of embedded work.', ['Ingrid Müller']],
    ['The candidate, Zofia Wiśniewska, leads a team.', ['Zofia Wiśniewska']],
    ["Santiago Fernández's experience is in QA.", ['Santiago Fernández']], // shares only the surname
    ['Dr. Łukasiewicz has published widely.', ['Łukasiewicz']],
    ['José Núñez is a backend engineer.'.normalize('NFD'), ['José Núñez']],
    ['Ana de la Cruz has worked at Oracle for years.', ['Ana Cruz']],
    ["Siobhán O'Brien is a strong engineer.", ["Siobhán O'Brien"]],
    ['Nguyễn Văn An has eight years of backend work.', ['Nguyễn Văn An']],
    ['Björn Åström has spent six years at Spotify.', ['Björn Åström']],
  ])('%s is about someone else', (text, people) => {
    const found = namedPeople(text, facts);
    expect(found).toEqual(people);
    for (const p of found) expect(isCandidate(p, facts)).toBe(false);
  });

  it.each([
    'Lucía Fernández has worked at Databricks since 2016.',
    'Lucia Fernandez has worked at Databricks since 2016.',
    'Ms. Fernández leads the query engine team.',
    'Lucía has eight years at Databricks.',
    'Luci\u0301a has eight years at Databricks.',
    'Lucía and Santiago Fernández: Lucía Fernández has eight years at Databricks.',
  ])('%s is about the candidate', (text) => {
    const found = namedPeople(text, facts);
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(isCandidate(p, facts)).toBe(true);
  });

  it('folds case and diacritics', () => {
    expect(fold('Wiśniewska Müller ÍBÁÑEZ')).toBe('wisniewska muller ibanez');
  });

  it('scores an answer about an accented other person as wrong-candidate', () => {
    expect(grounding(PRIYA, 'Javier Ibáñez has eight years at Stripe and Datadog.')).toMatchObject({ score: 0, label: 'wrong-candidate' });
    expect(grounding(LUCIA, 'Lucía Fernández has eight years at Databricks.')).toEqual({ score: 1, label: 'grounded' });
  });
});

describe('single-word names', () => {
  const facts = profileFacts(PRIYA);

  it.each([
    ["Lena has ten years of hands-on backend work at Capital One.", ['Lena']],
    ['Daniel graduated in 2015 and joined Oracle.', ['Daniel']],
    ["In 2015 Daniel graduated from Ohio State.", ['Daniel']],
    ["Lena's degree is from Michigan.", ['Lena']],
  ])('%s names a person', (text, people) => {
    expect(namedPeople(text, facts)).toEqual(people);
  });

  it.each([
    'Google has a famously hard bar, and Stripe is no easier.',
    'Stripe has ten years of payments history; Datadog has a high bar.',
    "Microsoft's engineering ladder would see her as senior.",
    'She worked at Palantir. Palantir has twelve offices.',
    'It has been a steady climb since 2014.',
    'This is the evaluation for Priya. Priya has ten years at Stripe.',
    'An engineer at Stripe; An has been rare there.',
    'Priya has ten years at Stripe and Datadog.',
  ])('%s names no other person', (text) => {
    expect(namedPeople(text, facts).filter((p) => !isCandidate(p, facts))).toEqual([]);
  });
});

describe('hostile input', () => {
  // No timing assertion (tests must pass on a loaded machine): a regular expression that blew up on
  // such input would throw ("Regular expression too large") or hang past the test timeout.
  it('a huge capitalised word neither throws nor hangs', () => {
    const facts = profileFacts(PRIYA);
    const text = `A${'b'.repeat(50_000)} has ten years at S${'t'.repeat(50_000)}.`;
    expect(namedPeople(text, facts)).toEqual([]);
    expect(() => grounding(PRIYA, text)).not.toThrow();
  });
});
