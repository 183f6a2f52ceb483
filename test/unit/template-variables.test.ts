import { describe, expect, it } from 'vitest';
import { templateVariables } from '../../src/render/template-variables.ts';

describe('templateVariables', () => {
  it.each([
    ['Hello {{candidate.name}}', ['candidate.name']],
    ['{{json candidate}}', ['candidate']],
    ['{{#each candidate.experience}}{{title}} at {{company}}{{/each}}', ['candidate.experience', 'candidate.experience[].company', 'candidate.experience[].title']],
    ['{{#if candidate.headline}}{{candidate.headline}}{{/if}} {{@index}} {{this}}', ['candidate.headline']],
    ['{{#each candidate.skills}}{{this}}{{@index}}{{/each}}', ['candidate.skills']],
    ['no variables at all', []],
  ])('%s', (text, expected) => {
    expect(templateVariables(text)).toEqual(expected);
  });
});
