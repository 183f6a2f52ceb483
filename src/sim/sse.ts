/** Server-sent events as vLLM's OpenAI server writes them: `data: <json>\n\n`, ending with `data: [DONE]`. */
import type { ServerResponse } from 'node:http';

/** Start an event stream (status 200). */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

/** Write one `data:` event holding a JSON value. */
export function sendEvent(res: ServerResponse, value: unknown): void {
  if (!res.writableEnded) res.write(`data: ${JSON.stringify(value)}\n\n`);
}

/** Write the terminating `data: [DONE]` and end the response. */
export function endSse(res: ServerResponse): void {
  if (!res.writableEnded) res.end('data: [DONE]\n\n');
}
