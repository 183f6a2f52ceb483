/**
 * The value checks vLLM makes after the request schema, when it builds SamplingParams
 * (`SamplingParams._verify_args`, in its order) and when the engine accepts the request (logprobs
 * against `--max-logprobs`, default 20): each is a ValueError, answered 400 `BadRequestError` with
 * vLLM's message (floats printed as Python prints them).
 */
import { ApiError, badRequest } from './errors.ts';
import { pyFloat } from './pydantic.ts';
import type { ChatRequest } from './request.ts';

/** The most answers one request may ask for (`n`) from the simulator. */
export const MAX_N = 64;

/** vLLM's default `--max-logprobs`. */
export const MAX_LOGPROBS = 20;

/** Throws the first failing check's 400; `maxTokens` is the budget vLLM settled on (request's or the default). */
export function verifySampling(req: ChatRequest, maxTokens: number | null): void {
  const s = req.sampling;
  const fail = (message: string) => {
    throw badRequest(message);
  };
  const n = s.n ?? 1;
  if (n < 1) fail(`n must be at least 1, got ${n}.`);
  if (s.presencePenalty !== null && !(s.presencePenalty >= -2 && s.presencePenalty <= 2)) fail(`presence_penalty must be in [-2, 2], got ${pyFloat(s.presencePenalty)}.`);
  if (s.frequencyPenalty !== null && !(s.frequencyPenalty >= -2 && s.frequencyPenalty <= 2)) fail(`frequency_penalty must be in [-2, 2], got ${pyFloat(s.frequencyPenalty)}.`);
  if (s.repetitionPenalty !== null && !(s.repetitionPenalty > 0)) fail(`repetition_penalty must be greater than zero, got ${pyFloat(s.repetitionPenalty)}.`);
  if (s.temperature !== null && s.temperature < 0) fail(`temperature must be non-negative, got ${pyFloat(s.temperature)}.`);
  if (s.topP !== null && !(s.topP > 0 && s.topP <= 1)) fail(`top_p must be in (0, 1], got ${pyFloat(s.topP)}.`);
  if (s.topK !== null && s.topK < -1) fail(`top_k must be 0 (disable), or at least 1, got ${s.topK}.`);
  if (s.minP !== null && !(s.minP >= 0 && s.minP <= 1)) fail(`min_p must be in [0, 1], got ${pyFloat(s.minP)}.`);
  if (maxTokens !== null && maxTokens < 1) fail(`max_tokens must be at least 1, got ${maxTokens}.`);
  if (s.minTokens !== null && s.minTokens < 0) fail(`min_tokens must be greater than or equal to 0, got ${s.minTokens}.`);
  if (s.minTokens !== null && maxTokens !== null && s.minTokens > maxTokens) fail(`min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${s.minTokens}.`);
  if (s.stop.some((x) => x === '')) fail('stop cannot contain an empty string.');
  const logprobs = s.logprobs ? (s.topLogprobs ?? 0) : null;
  if (logprobs !== null && logprobs > MAX_LOGPROBS) fail(`Requested sample logprobs of ${logprobs}, which is greater than max allowed: ${MAX_LOGPROBS}`);
  // Not vLLM (which allows up to VLLM_MAX_N_SEQUENCES, 16,384): each answer costs the simulator's host a persona's writing.
  if (n > MAX_N) throw new ApiError(400, 'BadRequestError', `qualbench-sim supports n up to ${MAX_N}, got ${n}.`, 'n');
  if (req.messages.length === 0) throw badRequest('List index out of range: messages must not be empty.', 'messages');
}
