/** The simulator's HTTP plumbing: JSON replies, request bodies, bearer auth, injected stream faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';

/** Path prefixes vLLM guards with `--api-key`. */
export const GUARDED = ['/v1', '/v2', '/inference', '/cohere'];
export const MAX_BODY = 64 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'Request Entity Too Large', 'Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function authorized(req: IncomingMessage, keys: string[]): boolean {
  const header = req.headers.authorization;
  if (!header) return false;
  const space = header.indexOf(' ');
  const scheme = space >= 0 ? header.slice(0, space) : header;
  const token = space >= 0 ? header.slice(space + 1) : '';
  return scheme.toLowerCase() === 'bearer' && keys.includes(token);
}

const SLOW_WRITE_MS = 5;

/**
 * Wrap a response so a streamed answer is cut after a few events (`cut`), or every write is
 * delayed so the answer trickles out (`slow`).
 */
export function faultedResponse(res: ServerResponse, fault: 'cut' | 'slow'): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  let events = 0;
  let delay = 0;
  (res as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (fault === 'cut') {
      if (++events > 3) {
        res.socket?.destroy();
        return false;
      }
      return write(chunk, ...rest);
    }
    // 5 ms a write: streams send a chunk per token, so a 300-token answer trickles for ~1.5 s (as 40 ms
    // a chunk did when chunks held ~8 tokens).
    delay += SLOW_WRITE_MS;
    setTimeout(() => !res.destroyed && write(chunk, ...rest), delay);
    return true;
  };
  (res as unknown as { end: unknown }).end = (...args: unknown[]) => {
    if (fault === 'cut') {
      res.socket?.destroy();
      return res;
    }
    setTimeout(() => !res.destroyed && end(...args), delay + 40);
    return res;
  };
}
