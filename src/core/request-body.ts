import type { RenderedRequest } from './records.ts';

/**
 * The OpenAI-compatible chat-completions body of a rendered request: what the runner sends and
 * what a batch input line carries. Extra body fields (vLLM extensions) first, so they cannot
 * override the model, messages or sampling.
 */
export function chatRequestBody(request: RenderedRequest): Record<string, unknown> {
  return {
    ...(request.extra_body ?? {}),
    model: request.model,
    messages: request.messages,
    temperature: request.params.temperature,
    max_tokens: request.params.max_tokens,
    ...(request.params.top_p !== undefined ? { top_p: request.params.top_p } : {}),
    ...(request.params.seed !== undefined ? { seed: request.params.seed } : {}),
  };
}
