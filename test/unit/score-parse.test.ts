import { describe, expect, it } from 'vitest';
import { parseResponse, PARSE_CLASSES, scanObjects, type ParseClass } from '../../src/score/parse.ts';

const OBJ = '{"recommendation": "Yes", "reasoning": "a } and a { in a string, and \\"quotes\\""}';
const VALUE = { recommendation: 'Yes', reasoning: 'a } and a { in a string, and "quotes"' };

type Case = [name: string, text: string, finish: string | null, cls: ParseClass, value: unknown];

const CASES: Case[] = [
  // ok
  ['bare object', OBJ, 'stop', 'ok', VALUE],
  ['object with surrounding whitespace', `\n\n  ${OBJ}  \n`, 'stop', 'ok', VALUE],
  ['complete object although finish_reason is length', '{"a": 1}', 'length', 'ok', { a: 1 }],
  // fenced
  ['fence with json language tag', '```json\n' + OBJ + '\n```', 'stop', 'fenced', VALUE],
  ['fence without language tag', '```\n{"a": [1, {"b": "}"}]}\n```', 'stop', 'fenced', { a: [1, { b: '}' }] }],
  ['fence around lenient JSON', "```json\n{'a': 1,}\n```", 'stop', 'fenced', { a: 1 }],
  // prose-around-json
  ['prose before and after', `Here is my evaluation:\n${OBJ}\nLet me know if you need more.`, 'stop', 'prose-around-json', VALUE],
  ['prose then fence', "Sure! Here's the JSON:\n```json\n{\"a\": 1}\n```\nHope it helps.", 'stop', 'prose-around-json', { a: 1 }],
  ['prose with an apostrophe and non-JSON braces before', "It's {obviously} fine: {\"a\": \"it's\"}", 'stop', 'prose-around-json', { a: "it's" }],
  // reasoning-tags
  ['think tags then object', `<think>The candidate {looks} good.</think>\n${OBJ}`, 'stop', 'reasoning-tags', VALUE],
  ['think tags then fence', '<think>\nhmm\n</think>\n\n```json\n{"a": 1}\n```', 'stop', 'reasoning-tags', { a: 1 }],
  ['closing tag only (opening tag in the chat template)', 'reasoning here</think>{"a": 1}', 'stop', 'reasoning-tags', { a: 1 }],
  // lenient-json
  ['trailing comma', '{"a": 1, "b": [1, 2,],}', 'stop', 'lenient-json', { a: 1, b: [1, 2] }],
  ['single quotes with an escaped apostrophe', "{'a': 'it\\'s \"x\"'}", 'stop', 'lenient-json', { a: 'it\'s "x"' }],
  ['BOM', '\uFEFF{"a": 1}', 'stop', 'lenient-json', { a: 1 }],
  ['smart quotes', '{\u201ca\u201d: \u201cb\u201d}', 'stop', 'lenient-json', { a: 'b' }],
  ['raw newline inside a string', '{"a": "line one\nline two"}', 'stop', 'lenient-json', { a: 'line one\nline two' }],
  ['JSON-encoded string of an object', JSON.stringify('{"a": 1}'), 'stop', 'lenient-json', { a: 1 }],
  // truncated
  ['cut mid-string', '{"recommendation": "Yes", "reasoning": "The candidate has', 'length', 'truncated', null],
  ['unbalanced object without finish_reason', '```json\n{"a": {"b": 1}', 'stop', 'truncated', null],
  ['length with prose only', 'Let me think about this candidate carefully', 'length', 'truncated', null],
  ['cut inside a think block', '<think>the candidate went to', 'length', 'truncated', null],
  // multiple-objects
  ['two different objects', '{"a": 1}\n{"a": 2}', 'stop', 'multiple-objects', null],
  ['an example object then the answer', 'Format: {"recommendation": "..."}. Answer: {"recommendation": "Yes"}', 'stop', 'multiple-objects', null],
  ['the same object twice is recoverable', '{"a": 1}\n\n{"a": 1}', 'stop', 'multiple-objects', { a: 1 }],
  ['the same object compact, then pretty-printed', '{"a":1,"b":[2]}\n{\n  "a": 1,\n  "b": [2]\n}', 'stop', 'multiple-objects', { a: 1, b: [2] }],
  ['the same object in two fences', '```json\n{"a": 1}\n```\n\n```json\n{"a": 1}\n```', 'stop', 'multiple-objects', { a: 1 }],
  ['the same object as a "final answer"', '{"a": 1}\n\nFinal answer:\n{"a": 1}', 'stop', 'multiple-objects', { a: 1 }],
  // not-json
  ['prose', 'I would hire this candidate.', 'stop', 'not-json', null],
  ['a JSON array', '[{"a": 1}]', 'stop', 'not-json', null],
  ['braces that are not JSON', 'Fill in {recommendation} and {reasoning}.', 'stop', 'not-json', null],
  ['think block never closed, stopped normally', '<think>hmm', 'stop', 'not-json', null],
  // empty
  ['empty string', '', 'stop', 'empty', null],
  ['whitespace only', ' \n\t ', null, 'empty', null],
  ['only a reasoning block', '<think>all the thinking</think>\n', 'stop', 'empty', null],
];

describe('parseResponse', () => {
  it.each(CASES)('%s', (_name, text, finish, cls, value) => {
    const out = parseResponse(text, finish);
    expect(out.class).toBe(cls);
    expect(out.value).toEqual(value);
    expect(out.recoverable).toBe(value !== null);
    expect(out.strict).toBe(cls === 'ok');
    expect(out.detail.length).toBeGreaterThan(0);
  });

  it('covers every class with at least two cases', () => {
    for (const cls of PARSE_CLASSES) expect(CASES.filter((c) => c[3] === cls).length, cls).toBeGreaterThanOrEqual(2);
  });

  it('says what was repaired', () => {
    expect(parseResponse("{'a': True, // note\n}").detail).toBe("repaired: single quotes, Python literals, trailing comma, comments");
  });
});

describe('scanObjects', () => {
  it.each([
    ['{"a": "}"} tail', [[0, 10]], null],
    ['x {"a": "\\"}"} y {} z', [[2, 14], [17, 19]], null],
    ['{"a": [ {"b": 1} ] } {', [[0, 20]], 21],
    ["don't {\"a\": 1}", [[6, 14]], null],
  ] as const)('%s', (text, spans, unclosedAt) => {
    const out = scanObjects(text);
    expect(out.spans.map((s) => [s.start, s.end])).toEqual(spans);
    expect(out.unclosedAt).toBe(unclosedAt);
  });
});

describe('objects: how many JSON objects the answer holds', () => {
  it.each([
    ['one object', '{"a": 1}', 1],
    ['one object in a fence', '```json\n{"a": 1}\n```', 1],
    ['one object with braces in prose after it', '{"a": 1}\nThe {ratings} follow the rubric.', 1],
    ['the same object twice', '{"a": 1}\n{"a": 1}', 2],
    ['the same object three times', '{"a": 1} {"a": 1} {"a": 1}', 3],
    ['the same object twice after a reasoning block', '<think>hmm</think>\n{"a": 1}\n{"a": 1}', 2],
    ['two different objects', '{"a": 1}\n{"a": 2}', 2],
    ['no object', 'I would hire them.', 0],
    ['cut off', '{"a": ', 0],
  ] as const)('%s', (_name, text, objects) => {
    expect(parseResponse(text, 'stop').objects).toBe(objects);
  });

  it('keeps the wrapper class outermost: reasoning tags around two copies', () => {
    const out = parseResponse('<think>hmm</think>\n{"a": 1}\n{"a": 1}', 'stop');
    expect(out.class).toBe('reasoning-tags');
    expect(out.value).toEqual({ a: 1 });
    expect(out.detail).toContain('2 copies of the same object');
  });
});
