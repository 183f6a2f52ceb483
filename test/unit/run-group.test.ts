import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { runGroup, slotId } from '../../src/run/run-group.ts';
import { ResponseStore } from '../../src/run/store.ts';
import type { ChatClient } from '../../src/run/chat-client.ts';
import type { RenderedRequest, ResultRecord } from '../../src/core/records.ts';
import { sha256 } from '../../src/core/hash.ts';
import { tempDir } from '../helpers/tmp.ts';

const req = (id: string): RenderedRequest => ({
  key: sha256(id),
  item_id: id,
  model: 'm',
  prompt_version: 'v1',
  messages: [{ role: 'user', content: id }],
  params: { temperature: 0, max_tokens: 10 },
});

const ok = (content: string) => ({ content, reasoning: null, finish_reason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 2 }, model: 'm' });

/** A scripted server: per item, a list of outcomes (an Error to throw or a content to return). */
function scripted(plan: Record<string, Array<Error | string>>) {
  const calls: string[] = [];
  const client: ChatClient = {
    async complete(r) {
      calls.push(r.item_id);
      const next = plan[r.item_id]?.shift() ?? 'default';
      if (next instanceof Error) throw next;
      return { response: ok(next), ttft_ms: null, gaps_ms: null };
    },
  };
  return { client, calls };
}

const policy = { concurrency: 2, timeoutMs: 1000, maxAttempts: 3, backoff: { baseMs: 1, maxMs: 2 } };

async function run(requests: RenderedRequest[], client: ChatClient, store: ResponseStore, done = new Set<string>()) {
  const records: ResultRecord[] = [];
  const timing = await runGroup({ model: 'm', promptVersion: 'v1', requests, client, store, record: (r) => records.push(r), done, policy, random: () => 0.5 });
  return { records, timing };
}

describe('runGroup', () => {
  it('on interrupt, waits a bounded drain time for requests in flight, then leaves them unrecorded for --resume', async () => {
    // "fast" answers at once; "hung" never answers unless cut off through its signal.
    const client: ChatClient = {
      complete: (r, { signal }) =>
        r.item_id === 'fast'
          ? Promise.resolve({ response: ok('F'), ttft_ms: null, gaps_ms: null })
          : new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new OpenAI.APIUserAbortError()), { once: true })),
    };
    const stop = new AbortController();
    const records: ResultRecord[] = [];
    const timing = await runGroup({
      model: 'm',
      promptVersion: 'v1',
      requests: [req('hung'), req('fast'), req('later')],
      client,
      store: new ResponseStore(tempDir()),
      record: (r) => {
        records.push(r);
        stop.abort(); // Ctrl-C right after the first answer
      },
      done: new Set(),
      policy,
      random: () => 0.5,
      signal: stop.signal,
      drainMs: 100,
    });
    expect(records.map((r) => r.item_id)).toEqual(['fast']);
    expect(timing).toMatchObject({ interrupted: true, abandoned: 1 });
  });

  it('retries 429 and 503 within the budget and records each item once', async () => {
    const { client, calls } = scripted({
      a: [OpenAI.APIError.generate(429, undefined, 'slow down', new Headers()), 'A'],
      b: [OpenAI.APIError.generate(503, undefined, 'busy', new Headers()), OpenAI.APIError.generate(500, undefined, 'oops', new Headers()), 'B'],
    });
    const { records, timing } = await run([req('a'), req('b')], client, new ResponseStore(tempDir()));
    expect(calls.sort()).toEqual(['a', 'a', 'b', 'b', 'b']);
    expect(records.map((r) => [r.item_id, r.response?.content, r.attempts]).sort()).toEqual([
      ['a', 'A', 2],
      ['b', 'B', 3],
    ]);
    expect(timing).toMatchObject({ sent: 2, cached: 0, retries: 3 });
  });

  it('records a non-retryable error as data after one attempt, and gives up after the budget', async () => {
    const { client, calls } = scripted({
      bad: [OpenAI.APIError.generate(400, { error: { message: 'too long', type: 'BadRequestError', param: 'input_tokens', code: 400 } }, undefined, new Headers())],
      down: [1, 2, 3, 4].map(() => OpenAI.APIError.generate(503, undefined, 'busy', new Headers())),
    });
    const store = new ResponseStore(tempDir());
    const { records } = await run([req('bad'), req('down')], client, store);
    const bad = records.find((r) => r.item_id === 'bad')!;
    const down = records.find((r) => r.item_id === 'down')!;
    expect(bad).toMatchObject({ response: null, attempts: 1, error: { kind: 'http', status: 400 } });
    expect(bad.error?.message).toMatch(/too long/);
    expect(down).toMatchObject({ response: null, attempts: 3, error: { kind: 'server', status: 503 } });
    expect(calls.filter((c) => c === 'down')).toHaveLength(3);
    expect(store.has(req('bad').key)).toBe(false); // errors are never cached
  });

  it('answers from the store without sending, and skips slots already done', async () => {
    const store = new ResponseStore(tempDir());
    store.put(req('a').key, ok('stored'));
    const { client, calls } = scripted({});
    const done = new Set([slotId('m', 'v1', 'c')]);
    const { records, timing } = await run([req('a'), req('b'), req('c')], client, store, done);
    expect(calls).toEqual(['b']);
    expect(records.map((r) => [r.item_id, r.source])).toEqual([
      ['a', 'cached'],
      ['b', 'sent'],
    ]);
    expect(records[0]!.response?.content).toBe('stored');
    expect(timing).toMatchObject({ sent: 1, cached: 1 });
    expect(store.get(req('b').key)?.content).toBe('default');
  });

  it('never has more than `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const client: ChatClient = {
      async complete(r) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((res) => setTimeout(res, 2));
        inFlight--;
        return { response: ok(r.item_id), ttft_ms: null, gaps_ms: null };
      },
    };
    const { records } = await run(Array.from({ length: 20 }, (_, i) => req(`i${i}`)), client, new ResponseStore(tempDir()));
    expect(records).toHaveLength(20);
    expect(peak).toBe(2);
  });

  it('on interrupt stops sending, drops queued requests and records those in flight', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const client: ChatClient = {
      async complete(r) {
        calls.push(r.item_id);
        if (calls.length === 3) controller.abort();
        await new Promise((res) => setTimeout(res, 5));
        return { response: ok(r.item_id), ttft_ms: 1, gaps_ms: [2, 3] };
      },
    };
    const records: ResultRecord[] = [];
    const timing = await runGroup({
      model: 'm',
      promptVersion: 'v1',
      requests: Array.from({ length: 50 }, (_, i) => req(`i${i}`)),
      client,
      store: new ResponseStore(tempDir()),
      record: (r) => records.push(r),
      done: new Set(),
      policy,
      random: () => 0.5,
      signal: controller.signal,
    });
    expect(timing.interrupted).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(records.map((r) => r.item_id).sort()).toEqual([...calls].sort());
    expect(timing.sent).toBe(calls.length);
  });
});

describe('runGroup against the simulator: GPU-equivalent latency', () => {
  it('flags an answer whose simulated latency exceeds the timeout, keeps it, and counts it in the segment', async () => {
    const gpu: Record<string, number | undefined> = { fast: 400, edge: 1000, slow: 1500, unknown: undefined };
    const client: ChatClient = {
      async complete(r) {
        const ms = gpu[r.item_id];
        return { response: ok(r.item_id), ttft_ms: null, gaps_ms: null, ...(ms !== undefined ? { gpu_latency_ms: ms } : {}) };
      },
    };
    const { records, timing } = await run(['fast', 'edge', 'slow', 'unknown'].map(req), client, new ResponseStore(tempDir()));
    const by = (id: string) => records.find((r) => r.item_id === id)!;
    expect(by('slow')).toMatchObject({ gpu_latency_ms: 1500, gpu_timed_out: true, response: { content: 'slow' }, error: null });
    expect(by('edge')).toMatchObject({ gpu_latency_ms: 1000 });
    expect(by('edge').gpu_timed_out).toBeUndefined();
    expect(by('fast').gpu_timed_out).toBeUndefined();
    expect(by('unknown').gpu_latency_ms).toBeUndefined();
    expect(timing.gpu_timeouts).toEqual({ timeout_ms: 1000, measured: 3, over: 1, max_ms: 1500 });
  });

  it('writes no gpu_timeouts for a server that sends no simulated latency', async () => {
    const { timing } = await run([req('a')], scripted({}).client, new ResponseStore(tempDir()));
    expect(timing.gpu_timeouts).toBeUndefined();
  });
});
