import { describe, expect, it } from 'vitest';
import { APIConnectionError } from 'openai';
import { createReplicaPool } from '../../src/run/replicas.ts';
import type { ChatClient, Completion } from '../../src/run/chat-client.ts';
import type { RenderedRequest } from '../../src/core/records.ts';

const req = { key: 'k', item_id: 'i', model: 'm', prompt_version: 'v1', messages: [], params: { temperature: 0, max_tokens: 10 } } as RenderedRequest;
const answer: Completion = { response: { content: '{}', reasoning: null, finish_reason: 'stop', usage: { prompt_tokens: 1, completion_tokens: 1 }, model: 'm' }, ttft_ms: null, gaps_ms: null };

function fake(delayMs: number, fail = false): ChatClient {
  return {
    complete: () =>
      new Promise((resolve, reject) =>
        setTimeout(() => (fail ? reject(new APIConnectionError({ message: 'Connection error.' })) : resolve(answer)), delayMs),
      ),
  };
}

describe('replica pool', () => {
  it('sends to the replica with the fewest outstanding: a slow replica gets fewer requests', async () => {
    const pool = createReplicaPool([
      { baseURL: 'http://fast/v1', client: fake(2) },
      { baseURL: 'http://slow/v1', client: fake(40) },
    ]);
    // 8 workers, back to back.
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 10; i++) await pool.complete(req, { timeoutMs: 1000 });
    }));
    const [fast, slow] = pool.stats();
    expect(fast!.sent + slow!.sent).toBe(80);
    expect(fast!.sent).toBeGreaterThan(slow!.sent * 2);
    pool.close();
  });

  it('takes a refusing replica out, and back in once /health answers', async () => {
    let healthy = false;
    const pool = createReplicaPool(
      [
        { baseURL: 'http://a/v1', client: fake(1) },
        { baseURL: 'http://b/v1', client: fake(1, true) },
      ],
      { healthIntervalMs: 10, checkHealth: async () => healthy },
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => pool.complete(req, { timeoutMs: 1000 })));
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThanOrEqual(1);
    expect(pool.stats()[1]!.healthy).toBe(false);
    const failedBefore = pool.stats()[1]!.failed;
    for (let i = 0; i < 10; i++) await pool.complete(req, { timeoutMs: 1000 });
    expect(pool.stats()[1]!.failed).toBe(failedBefore); // nothing more sent to the down replica
    healthy = true;
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.stats()[1]!.healthy).toBe(true);
    pool.close();
  });
});
