import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { backoffDelay, classifyError } from '../../src/run/retry.ts';

const apiError = (status: number, body: object = { error: { message: `status ${status}`, type: 'X', param: null, code: status } }) =>
  OpenAI.APIError.generate(status, body, undefined, new Headers());

describe('classifyError', () => {
  it.each([
    [429, true, 'rate-limit'],
    [500, true, 'server'],
    [502, true, 'server'],
    [503, true, 'server'],
    [408, true, 'server'],
    [400, false, 'http'],
    [401, false, 'http'],
    [404, false, 'http'],
    [422, false, 'http'],
  ])('HTTP %i -> retryable %s (%s)', (status, retryable, kind) => {
    const c = classifyError(apiError(status));
    expect(c).toMatchObject({ retryable, kind, status });
  });

  it('reads the message from vLLM nested and flat error bodies', () => {
    expect(classifyError(apiError(404, { error: { message: 'The model `x` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } })).message).toMatch(/does not exist/);
    expect(classifyError(apiError(400, { object: 'error', message: 'flat body message', type: 'BadRequestError', param: null, code: 400 })).message).toMatch(/flat body message|400/);
  });

  it('retries timeouts and connection errors', () => {
    expect(classifyError(new OpenAI.APIConnectionTimeoutError())).toMatchObject({ retryable: true, kind: 'timeout' });
    expect(classifyError(new OpenAI.APIConnectionError({ cause: new Error('ECONNREFUSED') }))).toMatchObject({ retryable: true, kind: 'connection' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyError(refused)).toMatchObject({ retryable: true, kind: 'connection' });
  });

  it('does not retry an unknown non-HTTP failure', () => {
    expect(classifyError(new TypeError('boom'))).toMatchObject({ retryable: false, kind: 'invalid-response' });
  });
});

describe('backoffDelay', () => {
  it('grows exponentially under full jitter and is capped', () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, top, { baseMs: 100, maxMs: 1000 })).toBe(99);
    expect(backoffDelay(1, top, { baseMs: 100, maxMs: 1000 })).toBe(199);
    expect(backoffDelay(3, top, { baseMs: 100, maxMs: 1000 })).toBe(799);
    expect(backoffDelay(10, top, { baseMs: 100, maxMs: 1000 })).toBe(999);
    expect(backoffDelay(5, () => 0, { baseMs: 100 })).toBe(0);
  });

  it('honours retry-after, capped', () => {
    expect(backoffDelay(0, () => 0.5, { maxMs: 5000 }, 2)).toBe(2000);
    expect(backoffDelay(0, () => 0.5, { maxMs: 5000 }, 60)).toBe(5000);
  });
});
