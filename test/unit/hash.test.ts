import { describe, expect, it } from 'vitest';
import { canonicalJson, hashValue } from '../../src/core/hash.ts';
import { requestKey } from '../../src/render/render-request.ts';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: 1, c: [3, { f: 1, e: 2 }] } }, '{"a":{"c":[3,{"e":2,"f":1}],"d":1}}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[undefined, 1], '[null,1]'],
    ['x', '"x"'],
  ])('%j -> %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('refuses non-finite numbers instead of hashing them as null', () => {
    expect(() => canonicalJson({ t: Number.NaN })).toThrow(/non-finite/);
  });

  it('gives equal hashes for equal values in any key order', () => {
    expect(hashValue({ x: 1, y: [1, 2] })).toBe(hashValue({ y: [1, 2], x: 1 }));
    expect(hashValue({ x: 1 })).not.toBe(hashValue({ x: 2 }));
  });
});

describe('requestKey', () => {
  const messages = [{ role: 'user' as const, content: 'hi' }];
  const params = { temperature: 0, max_tokens: 100 };
  const base = requestKey('m', messages, params);

  it('is a sha256 hex string and stable', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey('m', [{ content: 'hi', role: 'user' }], { max_tokens: 100, temperature: 0 })).toBe(base);
  });

  it.each([
    ['model', () => requestKey('other', messages, params)],
    ['message text', () => requestKey('m', [{ role: 'user', content: 'hi!' }], params)],
    ['temperature', () => requestKey('m', messages, { ...params, temperature: 0.7 })],
    ['max_tokens', () => requestKey('m', messages, { ...params, max_tokens: 101 })],
    ['seed', () => requestKey('m', messages, { ...params, seed: 3 })],
    ['extra body', () => requestKey('m', messages, params, { chat_template_kwargs: { enable_thinking: false } })],
  ])('changes with the %s', (_what, make) => {
    expect(make()).not.toBe(base);
  });
});
