/**
 * A model served by several vLLM replicas (one per GPU or machine), used as one: each request goes
 * to the healthy replica with the fewest requests outstanding (ties in turn). A replica that refuses
 * connections or resets is marked down and the error goes back to the runner, whose retry lands on
 * another replica; a down replica is checked with GET /health every second and rejoins when it answers.
 */
import type { ChatClient } from './chat-client.ts';
import { classifyError } from './retry.ts';

export interface Replica {
  baseURL: string;
  client: ChatClient;
}

export interface ReplicaStats {
  baseURL: string;
  sent: number;
  failed: number;
  healthy: boolean;
}

export interface ReplicaPool extends ChatClient {
  stats(): ReplicaStats[];
  close(): void;
}

interface State extends ReplicaStats {
  client: ChatClient;
  outstanding: number;
  downSince: number;
}

export function createReplicaPool(
  replicas: Replica[],
  opts: { healthIntervalMs?: number; checkHealth?: (baseURL: string) => Promise<boolean>; now?: () => number } = {},
): ReplicaPool {
  if (replicas.length === 0) throw new RangeError('a replica pool needs at least one replica');
  const now = opts.now ?? Date.now;
  const checkHealth =
    opts.checkHealth ??
    (async (baseURL: string) => {
      try {
        return (await fetch(`${baseURL.replace(/\/v1\/?$/, '')}/health`, { signal: AbortSignal.timeout(2_000) })).ok;
      } catch {
        return false;
      }
    });
  const states: State[] = replicas.map((r) => ({ baseURL: r.baseURL, client: r.client, sent: 0, failed: 0, healthy: true, outstanding: 0, downSince: 0 }));
  let turn = 0;

  const timer = setInterval(() => {
    for (const s of states) {
      if (s.healthy) continue;
      void checkHealth(s.baseURL).then((ok) => {
        if (ok) s.healthy = true;
      });
    }
  }, opts.healthIntervalMs ?? 1_000);
  timer.unref();

  /** The healthy replica with the fewest outstanding; if none is healthy, the one down longest (it may be back). */
  const pick = (): State => {
    const healthy = states.filter((s) => s.healthy);
    if (healthy.length === 0) return states.reduce((a, b) => (b.downSince < a.downSince ? b : a));
    const least = Math.min(...healthy.map((s) => s.outstanding));
    const tied = healthy.filter((s) => s.outstanding === least);
    return tied[turn++ % tied.length]!;
  };

  return {
    async complete(request, options) {
      const s = pick();
      s.outstanding++;
      s.sent++;
      try {
        return await s.client.complete(request, options);
      } catch (err) {
        s.failed++;
        if (classifyError(err).kind === 'connection' && s.healthy) {
          s.healthy = false;
          s.downSince = now();
        }
        throw err;
      } finally {
        s.outstanding--;
      }
    },
    stats: () => states.map(({ baseURL, sent, failed, healthy }) => ({ baseURL, sent, failed, healthy })),
    close: () => clearInterval(timer),
  };
}
