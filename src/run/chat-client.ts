import OpenAI from 'openai';
import type { ModelResponse, RenderedRequest } from '../core/records.ts';

/** The one narrow interface the runner needs from a model server. */
export interface ChatClient {
  complete(request: RenderedRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<ModelResponse>;
}

/**
 * A ChatClient over the official openai SDK, for any OpenAI-compatible server (vLLM, the simulator,
 * hosted APIs). SDK retries are off: the runner owns retries so it can count and record them.
 */
export function createOpenAIChatClient(opts: { baseURL: string; apiKey?: string }): ChatClient {
  const client = new OpenAI({
    baseURL: opts.baseURL,
    // vLLM without --api-key accepts anything; the SDK insists on a value.
    apiKey: opts.apiKey ?? 'EMPTY',
    maxRetries: 0,
  });
  return {
    async complete(request, { timeoutMs, signal }) {
      const body = {
        ...(request.extra_body ?? {}),
        model: request.model,
        messages: request.messages,
        temperature: request.params.temperature,
        max_tokens: request.params.max_tokens,
        ...(request.params.top_p !== undefined ? { top_p: request.params.top_p } : {}),
        ...(request.params.seed !== undefined ? { seed: request.params.seed } : {}),
        stream: false as const,
      };
      const completion = await client.chat.completions.create(body as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, {
        timeout: timeoutMs,
        signal,
        maxRetries: 0,
      });
      const choice = completion.choices?.[0];
      if (!choice || !completion.usage) {
        const err = new Error('the server answered 200 without choices or usage');
        err.name = 'InvalidResponseError';
        throw err;
      }
      const message = choice.message as OpenAI.Chat.ChatCompletionMessage & { reasoning?: string | null; reasoning_content?: string | null };
      return {
        content: message.content ?? '',
        reasoning: message.reasoning ?? message.reasoning_content ?? null,
        finish_reason: choice.finish_reason ?? null,
        usage: { prompt_tokens: completion.usage.prompt_tokens, completion_tokens: completion.usage.completion_tokens },
        model: completion.model,
      };
    },
  };
}
