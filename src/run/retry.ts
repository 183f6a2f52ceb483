import OpenAI from 'openai';
import type { ErrorKind } from '../core/records.ts';

export interface ErrorClass {
  retryable: boolean;
  kind: ErrorKind;
  status: number | null;
  message: string;
}

/**
 * Classify an error thrown by the openai SDK (or fetch) into retryable or not.
 * Retried: 429, 5xx, 408, timeouts, connection errors. Recorded as data: every other status.
 */
export function classifyError(error: unknown): ErrorClass {
  const e = error as { status?: unknown; name?: string; message?: string; code?: string; cause?: unknown; error?: unknown };
  const status = typeof e?.status === 'number' ? e.status : null;
  const message = describe(error);
  const name = e?.name ?? '';
  if (error instanceof OpenAI.APIConnectionTimeoutError || name === 'AbortError' || name === 'TimeoutError' || /timed? ?out/i.test(name)) {
    return { retryable: true, kind: 'timeout', status: null, message };
  }
  if (status === null) {
    if (error instanceof OpenAI.APIConnectionError || name === 'FetchError' || isConnectionCode(e?.code) || isConnectionCode((e?.cause as { code?: string } | undefined)?.code)) {
      return { retryable: true, kind: 'connection', status: null, message };
    }
    // A 200 whose body we could not read (cut stream, malformed JSON): worth another attempt.
    if (name === 'SyntaxError' || name === 'InvalidResponseError' || error instanceof OpenAI.APIError) return { retryable: true, kind: 'invalid-response', status: null, message };
    return { retryable: false, kind: 'invalid-response', status: null, message };
  }
  if (status === 429) return { retryable: true, kind: 'rate-limit', status, message };
  if (status >= 500 || status === 408) return { retryable: true, kind: 'server', status, message };
  return { retryable: false, kind: 'http', status, message };
}

function isConnectionCode(code: unknown): boolean {
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CLOSED|EHOSTUNREACH|ENETUNREACH)$/.test(code);
}

/** One line, from vLLM's nested or flat error bodies, the SDK's message, or the cause. */
function describe(error: unknown): string {
  const e = error as { message?: string; error?: { message?: string } | string; cause?: { message?: string } };
  const body = e?.error;
  const fromBody = typeof body === 'string' ? body : body?.message;
  const msg = fromBody || e?.message || String(error);
  const cause = e?.cause?.message && !msg.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  return (msg + cause).replace(/\s+/g, ' ').slice(0, 500);
}

export interface BackoffOptions {
  /** First delay. @default 500 */
  baseMs?: number;
  /** Largest delay. @default 20_000 */
  maxMs?: number;
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from [0, min(max, base * 2^attempt)].
 * `attempt` counts from 0 (the delay before the first retry). `random` is injected so tests are exact.
 * A server's `retry-after` (seconds) wins when given, capped at `maxMs`.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}, retryAfterSeconds?: number): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 20_000;
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(max, retryAfterSeconds * 1000);
  }
  const ceiling = Math.min(max, base * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
