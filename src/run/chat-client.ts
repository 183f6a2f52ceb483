import OpenAI from 'openai';
import type { ModelResponse, RenderedRequest } from '../core/records.ts';
import { chatRequestBody } from '../core/request-body.ts';
import { GPU_LATENCY_FIELD, GPU_LATENCY_HEADER } from '../core/run-records.ts';

/** A finished request: the answer and, when streamed, its timing as `vllm bench serve` measures it. */
export interface Completion {
  response: ModelResponse;
  /** Time to the first SSE chunk with choices (ms); null when not streamed. */
  ttft_ms: number | null;
  /** Gaps between successive chunks with choices (ms): vLLM's ITL samples; null when not streamed. */
  gaps_ms: number[] | null;
  /** Streaming was asked for, but the server cannot stream: this answer was asked for without it. */
  stream_fallback?: boolean;
  /** qualbench's simulator: the end-to-end latency on the modelled GPU (simulated time, ms). */
  gpu_latency_ms?: number;
}

/** A latency in ms from a header or field value, if it is one. */
function latencyValue(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The one narrow interface the runner needs from a model server. */
export interface ChatClient {
  complete(request: RenderedRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Completion>;
}

/**
 * A ChatClient over the official openai SDK, for any OpenAI-compatible server (vLLM, the simulator,
 * hosted APIs). SDK retries are off: the runner owns retries so it can count and record them.
 */
export function createOpenAIChatClient(opts: {
  baseURL: string;
  apiKey?: string;
  stream?: boolean;
  /** Called once when the server turns out not to stream and the client falls back to plain requests. */
  onStreamFallback?: (reason: string) => void;
}): ChatClient {
  const client = new OpenAI({
    baseURL: opts.baseURL,
    // vLLM without --api-key accepts anything; the SDK insists on a value.
    apiKey: opts.apiKey ?? 'EMPTY',
    maxRetries: 0,
  });
  let streaming = Boolean(opts.stream);
  const plain = async (body: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<Completion> => {
    const { data: completion, response: http } = await client.chat.completions
      .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, {
        timeout: timeoutMs,
        signal,
        maxRetries: 0,
      })
      .withResponse();
    const gpu = latencyValue(http.headers.get(GPU_LATENCY_HEADER));
    const choice = completion.choices?.[0];
    if (!choice || !completion.usage) throw invalidResponse('the server answered 200 without choices or usage');
    const message = choice.message as OpenAI.Chat.ChatCompletionMessage & { reasoning?: string | null; reasoning_content?: string | null };
    return {
      response: {
        content: message.content ?? '',
        reasoning: message.reasoning ?? message.reasoning_content ?? null,
        finish_reason: choice.finish_reason ?? null,
        usage: { prompt_tokens: completion.usage.prompt_tokens, completion_tokens: completion.usage.completion_tokens },
        model: completion.model,
      },
      ttft_ms: null,
      gaps_ms: null,
      ...(gpu !== undefined ? { gpu_latency_ms: gpu } : {}),
    };
  };
  return {
    async complete(request, { timeoutMs, signal }) {
      const body = { ...chatRequestBody(request), stream: false as const };
      if (!streaming) return { ...(await plain(body, timeoutMs, signal)), ...(opts.stream ? { stream_fallback: true } : {}) };
      try {
        return await streamed(client, body, timeoutMs, signal);
      } catch (err) {
        const reason = cannotStream(err);
        if (reason === null) throw err;
        if (streaming) {
          streaming = false;
          opts.onStreamFallback?.(reason);
        }
        return { ...(await plain(body, timeoutMs, signal)), stream_fallback: true };
      }
    },
  };
}

/**
 * Why a failed streaming request shows the server cannot stream (null: some other failure). Either it
 * refused the stream parameters (4xx naming stream), or it answered 200 with something that is not an
 * event stream (a proxy that ignores `stream` and sends one JSON body).
 */
function cannotStream(err: unknown): string | null {
  const e = err as { status?: unknown; name?: string; message?: string };
  if (e?.name === 'NotAnEventStream') return e.message ?? 'the server answered without an event stream';
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 403 && e.status !== 404 && e.status !== 429 && /stream/i.test(String(e.message ?? ''))) {
    return `the server refused streaming (${e.status}: ${String(e.message).slice(0, 200)})`;
  }
  return null;
}

function invalidResponse(message: string): Error {
  const err = new Error(message);
  err.name = 'InvalidResponseError';
  return err;
}

/**
 * Stream with `stream_options.include_usage` and time it as `vllm bench serve` does: TTFT is the
 * first chunk with non-empty choices; ITL samples are the gaps between such chunks; the
 * trailing usage-only chunk does not count.
 */
async function streamed(client: OpenAI, body: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal): Promise<Completion> {
  const start = performance.now();
  const { data: stream, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } } as OpenAI.Chat.ChatCompletionCreateParamsStreaming, { timeout: timeoutMs, signal, maxRetries: 0 })
    .withResponse();
  const type = response.headers.get('content-type') ?? '';
  if (!/text\/event-stream/i.test(type)) {
    stream.controller.abort();
    const err = new Error(`the server answered a streaming request with ${type || 'no content type'}, not an event stream`);
    err.name = 'NotAnEventStream';
    throw err;
  }
  let content = '';
  let reasoning = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  let model = String(body.model);
  let ttft: number | null = null;
  let last = 0;
  const gaps: number[] = [];
  let gpu: number | undefined;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const sim = (chunk as unknown as Record<string, unknown>)[GPU_LATENCY_FIELD];
    if (sim && typeof sim === 'object') gpu = latencyValue((sim as { e2e_ms?: unknown }).e2e_ms) ?? gpu;
    if (chunk.model) model = chunk.model;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const t = performance.now();
    if (ttft === null) ttft = t - start;
    else gaps.push(t - last);
    last = t;
    const delta = choice.delta as { content?: string | null; reasoning?: string | null; reasoning_content?: string | null };
    content += delta.content ?? '';
    reasoning += delta.reasoning ?? delta.reasoning_content ?? '';
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  if (ttft === null || !usage) throw invalidResponse('the stream ended without choices or usage');
  return {
    response: {
      content,
      reasoning: reasoning || null,
      finish_reason: finish,
      usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens },
      model,
    },
    ttft_ms: ttft,
    gaps_ms: gaps,
    ...(gpu !== undefined ? { gpu_latency_ms: gpu } : {}),
  };
}
