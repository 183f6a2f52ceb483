import type { RenderedRequest } from '../core/records.ts';
import { chatRequestBody } from '../core/request-body.ts';

/**
 * One line of a `vllm run-batch` / OpenAI Batch API input file. `custom_id` is the dataset item id,
 * which is how `qualbench import` joins the output back to the golden labels.
 */
export function batchInputLine(request: RenderedRequest): string {
  const body = chatRequestBody(request);
  return JSON.stringify({ custom_id: request.item_id, method: 'POST', url: '/v1/chat/completions', body });
}

/** A file-name-safe slug of a model id: `google/gemma-3-4b-it` -> `google--gemma-3-4b-it`. */
export function modelSlug(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '--').replace(/^[.-]+/, '') || 'model';
}
