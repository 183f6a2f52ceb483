/**
 * A provider for OpenAI-compatible hosted Batch APIs (a million-row eval on someone else's cluster):
 * upload the input file, create a batch, poll it, download its output and error files. The batch's
 * identity is saved to a state file (never the key) the moment it exists, so an interrupted or crashed
 * run polls the same batch again instead of submitting (and paying for) a second one.
 */
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import OpenAI from 'openai';
import { z } from 'zod';
import { RunAbortedError, UserError } from '../core/errors.ts';

export const BatchState = z.strictObject({
  base_url: z.string(),
  input_file: z.string(),
  input_file_id: z.string(),
  batch_id: z.string(),
  status: z.string(),
  created_at: z.string(),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  request_counts: z.strictObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullable(),
});
export type BatchState = z.infer<typeof BatchState>;

/** Statuses after which a batch changes no more. */
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface HostedBatchOptions {
  baseURL: string;
  apiKey: string | undefined;
  /** The Batch input JSONL (custom_id = item id). */
  inputFile: string;
  /** Where the output (and error) lines are written. */
  outputFile: string;
  /** The batch's state, read on resume. */
  stateFile: string;
  pollMs: number;
  signal?: AbortSignal;
  onProgress?: (state: BatchState) => void;
}

function save(file: string, state: BatchState): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

/**
 * Submit (or resume) a batch and wait for it; writes output + error lines to `outputFile`.
 * @throws RunAbortedError when the batch ends failed/expired/cancelled without output, or on interrupt (resumable).
 */
export async function runHostedBatch(opts: HostedBatchOptions): Promise<BatchState> {
  try {
    return await run(opts);
  } catch (e) {
    if (e instanceof OpenAI.AuthenticationError) {
      throw new UserError(`the Batch API at ${opts.baseURL} refused the API key (401)`, {
        field: 'api_key_env',
        hint: 'Set the key in the variable named by `api_key_env` in the models config, or OPENAI_API_KEY.',
      });
    }
    if (e instanceof OpenAI.APIConnectionError) throw new RunAbortedError(`cannot reach the Batch API at ${opts.baseURL}`, 'Check --base-url and the network; resume with --resume (nothing is submitted twice).');
    if (e instanceof OpenAI.APIError) throw new RunAbortedError(`the Batch API answered ${e.status ?? 'an error'}: ${e.message}`, 'Resume with --resume once the provider is back (nothing is submitted twice).');
    throw e;
  }
}

async function run(opts: HostedBatchOptions): Promise<BatchState> {
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey ?? 'EMPTY', maxRetries: 3 });
  let state: BatchState;
  if (existsSync(opts.stateFile)) {
    state = BatchState.parse(JSON.parse(readFileSync(opts.stateFile, 'utf8')));
  } else {
    const uploaded = await client.files.create({ file: createReadStream(opts.inputFile), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: uploaded.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { source: 'qualbench' } });
    state = {
      base_url: opts.baseURL,
      input_file: opts.inputFile,
      input_file_id: uploaded.id,
      batch_id: batch.id,
      status: batch.status,
      created_at: new Date().toISOString(),
      output_file_id: batch.output_file_id ?? null,
      error_file_id: batch.error_file_id ?? null,
      request_counts: batch.request_counts ?? null,
    };
    save(opts.stateFile, state);
  }
  opts.onProgress?.(state);
  while (!TERMINAL.has(state.status)) {
    if (opts.signal?.aborted) throw new RunAbortedError(`stopped waiting for batch ${state.batch_id}`, 'It keeps running at the provider; resume with the same command and --resume to collect it (nothing is submitted twice).');
    await new Promise((r) => setTimeout(r, opts.pollMs));
    const b = await client.batches.retrieve(state.batch_id);
    const next = { ...state, status: b.status, output_file_id: b.output_file_id ?? null, error_file_id: b.error_file_id ?? null, request_counts: b.request_counts ?? null };
    if (next.status !== state.status || JSON.stringify(next.request_counts) !== JSON.stringify(state.request_counts)) {
      state = next;
      save(opts.stateFile, state);
      opts.onProgress?.(state);
    } else state = next;
  }
  if (!state.output_file_id && !state.error_file_id) {
    throw new RunAbortedError(`batch ${state.batch_id} ended ${state.status} without an output file`, 'See the batch at your provider; fix the cause and start a new batch (delete the state file).');
  }
  // Output lines first, then the error file's lines: `qualbench import` reads both placements of errors.
  let text = '';
  for (const id of [state.output_file_id, state.error_file_id]) {
    if (!id) continue;
    const body = await (await client.files.content(id)).text();
    text += body.endsWith('\n') || body === '' ? body : `${body}\n`;
  }
  writeFileSync(opts.outputFile, text);
  return state;
}
