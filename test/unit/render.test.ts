import { describe, expect, it } from 'vitest';
import { compilePrompt, renderRequest } from '../../src/render/render-request.ts';
import { UserError } from '../../src/core/errors.ts';
import type { DatasetRow } from '../../src/tasks/candidate-screening/records.ts';

const row: DatasetRow = {
  id: 'cand-1',
  candidate: {
    name: 'Ada Example',
    education: [{ school: 'Example University', degree: 'BSc', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
    experience: [{ company: 'Acme', title: 'Software Engineer', start: '2014-07', end: null, description: 'Builds things.' }],
    skills: ['TypeScript'],
  },
  gold: {
    recommendation: 'Yes',
    analysis: { educational_pedigree: 'Good', company_pedigree: 'Okay', trajectory: 'Good', is_software_engineer: 'Great' },
    rationale: 'Solid engineer.',
    key_facts: ['Acme'],
  },
  strata: [],
};

const prompt = (user: string, system: string | null = null) =>
  compilePrompt({ version: 'v9', system, user, files: { system: system === null ? null : 'prompts/x/v9/system.hbs', user: 'prompts/x/v9/user.hbs' } });

function catchError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('render', () => {
  it('renders system and user messages, with the json helper and no HTML escaping', () => {
    const msgs = prompt('Profile of {{candidate.name}} <{{id}}>:\n{{json candidate.skills}}', 'You screen "candidates" & rate them.').render(row);
    expect(msgs).toEqual([
      { role: 'system', content: 'You screen "candidates" & rate them.' },
      { role: 'user', content: 'Profile of Ada Example <cand-1>:\n[\n  "TypeScript"\n]' },
    ]);
  });

  it('names the template file, line and variable when a variable is missing', () => {
    const err = catchError(() => prompt('Hello\n{{candidate.name}} from {{candidate.hometown}}').render(row, { file: 'datasets/x/data.jsonl', line: 7 }));
    expect(err.file).toBe('prompts/x/v9/user.hbs');
    expect(err.line).toBe(2);
    expect(err.field).toBe('candidate.hometown');
    expect(err.format()).toMatch(/cand-1/);
    expect(err.hint).toMatch(/datasets\/x\/data\.jsonl:7/);
  });

  it('rejects an unknown helper when the prompt is compiled, before any row is rendered', () => {
    const err = catchError(() => prompt('{{shout candidate.name}}'));
    expect(err.file).toBe('prompts/x/v9/user.hbs');
    expect(err.message).toMatch(/shout|helper/i);
  });

  it('rejects a syntax error with its line', () => {
    const err = catchError(() => prompt('ok\n{{#if candidate.name}}unclosed'));
    expect(err.file).toBe('prompts/x/v9/user.hbs');
    expect(err.message).toMatch(/does not compile/);
  });

  it('cannot reach prototypes from a template: refused when it compiles, naming the path', () => {
    for (const text of ['{{candidate.constructor.name}}', '{{candidate.__proto__}}', 'x\n{{#each candidate.skills}}{{this.constructor}}{{/each}}', '{{lookup candidate "__proto__"}}']) {
      expect(() => prompt(text), text).toThrow(UserError);
      expect(() => prompt(text), text).toThrow(/template reads `(constructor|__proto__)`, which is not data/);
    }
  });

  it('builds a request whose key depends on the rendered text', () => {
    const a = renderRequest(prompt('{{candidate.name}}'), row, { id: 'm' }, { temperature: 0, max_tokens: 10 });
    const b = renderRequest(prompt('Name: {{candidate.name}}'), row, { id: 'm' }, { temperature: 0, max_tokens: 10 });
    expect(a.item_id).toBe('cand-1');
    expect(a.prompt_version).toBe('v9');
    expect(a.key).not.toBe(b.key);
  });
});
