/** The regex generator behind `structured_outputs.regex`: every string it draws fully matches; what it cannot honour is refused by name. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/sim/prng.ts';
import { RegexUnsupported, checkRegex, stringMatching } from '../../src/sim/regex-gen.ts';

const SUPPORTED = [
  'yes|no',
  '^\\d{3}-\\d{2,4}$',
  '[A-Za-z_][A-Za-z0-9_]*',
  '(?:ab|c)+?x{2,}',
  '\\{"a": (true|false), "n": -?[1-9]\\d{0,3}\\}',
  '[^a-z\\s]{3}',
  '[\\w.-]+@[a-z]+\\.(com|org)',
  '(?P<y>\\d{4})-(?<m>0[1-9]|1[0-2])',
  '\\Aa\\.b\\*c\\Z',
  '\\x41\\u00e9[\\t ]?',
  'a{,2}',
  '[-a]b[a-]',
  '.{5}',
  '\\{"k": "[a-z]{1,3}"}',
];

describe('regex generator', () => {
  it.each(SUPPORTED)('draws only strings that fully match %s', (pattern) => {
    const re = new RegExp(`^(?:${pattern.replace(/\(\?P</g, '(?<').replace('\\A', '^').replace('\\Z', '$').replace('{,', '{0,')})$`);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const s = stringMatching(pattern, createRng(`seed-${i}`));
      expect(s, pattern).toMatch(re);
      seen.add(s);
    }
    // Seeded draws vary where the pattern leaves room, and repeat for the same seed.
    if (!pattern.startsWith('\\A')) expect(seen.size).toBeGreaterThan(1);
    expect(stringMatching(pattern, createRng('x'))).toBe(stringMatching(pattern, createRng('x')));
  });

  it.each([
    ['(?=a)a', /lookahead/],
    ['(?<!a)b', /lookahead\/lookbehind/],
    ['(a)\\1', /backreference/],
    ['(?P<n>a)(?P=n)', /backreference/],
    ['\\bhi', /word boundaries/],
    ['(?i)abc', /inline flags/],
    ['(?>a)', /atomic/],
    ['a++', /possessive/],
    ['\\p{L}', /Unicode property/],
    ['(a*)*', /nested unbounded/],
    ['(a|b', /unterminated group/],
    ['a)', /unbalanced/],
    ['[abc', /unterminated character class/],
    ['*a', /nothing to repeat/],
    ['[z-a]', /out of order/],
    ['a{3,1}', /max below min/],
    ['[^\\x00-\\x7f]', /no printable character/],
  ])('refuses %s, naming why', (pattern, why) => {
    expect(() => checkRegex(pattern, createRng('probe'))).toThrow(RegexUnsupported);
    expect(() => checkRegex(pattern, createRng('probe'))).toThrow(why);
  });
});
