/**
 * Read the output file of an offline batch run (`vllm run-batch`, or the OpenAI Batch API) into
 * `results.jsonl` records, so the score, aggregate and report stages treat it like a run.
 *
 * Accepted line shapes (joined on `custom_id` = dataset item id; lines may come in any order):
 * - vLLM, current: `{custom_id, response: {status_code, request_id, body: ChatCompletion | null}, error: null | string | {"error": {...}}}`;
 *   on an error `body` is null and the error is in `error`, either a plain string (status 400) or the server's
 *   error envelope.
 * - vLLM, older (the README's chat example): `response` is the ChatCompletion itself.
 * - OpenAI Batch: HTTP failures as `response.status_code` != 200 with the error JSON in `body`;
 *   non-HTTP failures (expired, cancelled) as `error: {code, message}` with `response` null.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ErrorKind, ModelResponse, RequestError, ResultRecord } from '../core/records.ts';
import { UserError } from '../core/errors.ts';
import { hashValue } from '../core/hash.ts';
import { JsonlAppender } from '../core/jsonl.ts';
import { nonChatBody } from './batch-file-kind.ts';

export interface ImportBatchOptions {
  /** The batch output file (JSONL). */
  file: string;
  /** Model id to record (the label given with `--model`); the answer's own `model` is kept in `response.model`. */
  model: string;
  /** Prompt version the batch was rendered with, e.g. `v1`. */
  promptVersion: string;
  /**
   * The dataset item ids the run covers (a DatasetIndex's `ids`, a sample's ids, or `map.keys()`):
   * a `custom_id` not among them is skipped and listed in `unknownIds`.
   */
  ids: Iterable<string>;
  /** results.jsonl to append to (created if missing). */
  resultsFile: string;
  /** Written as each result's `server`: where the answers came from, e.g. `imported:batch/output.jsonl`. */
  server?: string;
  /** The clock, for records whose body carries no `created` time. @default () => new Date() */
  now?: () => Date;
}

export interface ImportBatchOutcome {
  /** Result records written (answers and errors). */
  imported: number;
  /** Distinct dataset items among them. */
  distinct: number;
  /** Of those, lines that carried an error (no answer). */
  errors: number;
  /** `custom_id`s not in the dataset (skipped), in file order, without repeats. */
  unknownIds: string[];
  /** Dataset items with no line in the file. */
  missingIds: string[];
  /** `custom_id`s seen more than once: the last line wins when scoring. */
  duplicateIds: string[];
  /** The first line that carried an error, and its message (null when none did). */
  firstError: { line: number; message: string } | null;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const MESSAGE_MAX = 500;

function kindOfStatus(status: number | null): ErrorKind {
  if (status === 429) return 'rate-limit';
  if (status !== null && status >= 500) return 'server';
  if (status === 408) return 'timeout';
  return 'http';
}

/** The message of an error value in any of the shapes servers use: string, `{message}`, `{error: {message}}`, `{error: "..."}`. */
function errorMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (isObject(e)) {
    if (isObject(e.error)) return errorMessage(e.error);
    if (typeof e.error === 'string') return e.error;
    if (typeof e.message === 'string') return e.message;
  }
  return JSON.stringify(e) ?? String(e);
}

/** A status from an error value's `code` (vLLM puts the HTTP status there), if it is one. */
function errorStatus(e: unknown): number | null {
  const inner = isObject(e) && isObject(e.error) ? e.error : e;
  if (isObject(inner) && typeof inner.code === 'number' && inner.code >= 100 && inner.code < 600) return inner.code;
  return null;
}

/** A non-HTTP batch error (`{code: "batch_expired", message}`) to an error kind. */
function kindOfCode(code: unknown): ErrorKind {
  const c = typeof code === 'string' ? code.toLowerCase() : '';
  if (/expired|timeout|timed_out/.test(c)) return 'timeout';
  if (/rate/.test(c)) return 'rate-limit';
  return 'server';
}

const clip = (s: string): string => (s.length > MESSAGE_MAX ? `${s.slice(0, MESSAGE_MAX - 1)}…` : s);

/** A chat completion body to the stored response shape; null when it has no choice to read. */
function readCompletion(body: unknown, fallbackModel: string): ModelResponse | null {
  if (!isObject(body) || !Array.isArray(body.choices) || !isObject(body.choices[0])) return null;
  const choice = body.choices[0];
  const message = isObject(choice.message) ? choice.message : {};
  const content = typeof message.content === 'string' ? message.content : typeof choice.text === 'string' ? choice.text : '';
  const reasoning = typeof message.reasoning === 'string' ? message.reasoning : typeof message.reasoning_content === 'string' ? message.reasoning_content : null;
  const usage = isObject(body.usage) ? body.usage : {};
  const count = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return {
    content,
    reasoning,
    finish_reason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    usage: { prompt_tokens: count(usage.prompt_tokens), completion_tokens: count(usage.completion_tokens) },
    model: typeof body.model === 'string' ? body.model : fallbackModel,
  };
}

/** One output line -> the answer or the error it carries, in every accepted shape. */
export function readBatchLine(line: Json, fallbackModel: string): { response: ModelResponse; error: null; created: number | null } | { response: null; error: RequestError; created: number | null } {
  const resp = line.response;
  const err = line.error;
  // Older vLLM: `response` is the ChatCompletion itself.
  const wrapped = isObject(resp) && ('body' in resp || 'status_code' in resp);
  const body = wrapped ? (resp as Json).body : resp;
  const status = wrapped && typeof (resp as Json).status_code === 'number' ? ((resp as Json).status_code as number) : null;
  const created = isObject(body) && typeof body.created === 'number' ? body.created : null;

  if (err !== null && err !== undefined) {
    // vLLM: a string or the server's {"error": {...}} envelope, with the status in response.status_code.
    // OpenAI: {code, message} for non-HTTP failures, with response null.
    if (isObject(err) && !isObject(err.error) && typeof err.code === 'string' && status === null) {
      return { response: null, error: { kind: kindOfCode(err.code), status: null, message: clip(`${err.code}: ${errorMessage(err)}`) }, created };
    }
    const st = status !== null && status !== 200 ? status : errorStatus(err);
    return { response: null, error: { kind: kindOfStatus(st), status: st, message: clip(errorMessage(err)) }, created };
  }
  if (status !== null && status !== 200) {
    // OpenAI: an HTTP failure, the error JSON in the body.
    return { response: null, error: { kind: kindOfStatus(status), status, message: clip(body === null || body === undefined ? `HTTP ${status}` : errorMessage(body)) }, created };
  }
  const response = readCompletion(body, fallbackModel);
  if (response === null) {
    const endpoint = nonChatBody(body);
    const message = body === null || body === undefined ? 'no response body and no error' : endpoint ? `the response body is the output of ${endpoint}, not a chat completion` : 'the response body has no choices (not a chat completion)';
    return { response: null, error: { kind: 'invalid-response', status, message }, created };
  }
  return { response, error: null, created };
}

/**
 * Import a batch output file: one ResultRecord per line whose `custom_id` is a dataset item, appended
 * to `resultsFile` (source `sent`, no latency: the batch runner does not report it). Streams the file.
 * @throws UserError (file and line) for a line that is not a JSON object or has no string `custom_id`.
 * @example await importBatchOutput({ file: 'out.jsonl', model: 'llama-1b', promptVersion: 'v1', ids: dataset.ids, resultsFile: 'runs/x/results.jsonl' })
 */
export async function importBatchOutput(opts: ImportBatchOptions): Promise<ImportBatchOutcome> {
  const now = opts.now ?? (() => new Date());
  const known = new Set(opts.ids);
  const out = new JsonlAppender(opts.resultsFile);
  const unknown = new Set<string>();
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  let imported = 0;
  let errors = 0;
  let firstError: ImportBatchOutcome['firstError'] = null;
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(opts.file, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const raw of lines) {
      lineNo++;
      const text = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      let line: unknown;
      try {
        line = JSON.parse(text);
      } catch (e) {
        throw new UserError(`not a JSON line (${(e as Error).message})`, { file: opts.file, line: lineNo, hint: 'Expected the output file of `vllm run-batch` or the OpenAI Batch API: one JSON object per line.' });
      }
      if (!isObject(line) || typeof line.custom_id !== 'string') {
        throw new UserError('expected an object with a string `custom_id`', { file: opts.file, line: lineNo, field: 'custom_id', hint: 'Batch input lines must carry custom_id = the dataset item id.' });
      }
      const id = line.custom_id;
      if (!known.has(id)) {
        unknown.add(id);
        continue;
      }
      if (seen.has(id)) duplicates.add(id);
      seen.add(id);
      const read = readBatchLine(line, opts.model);
      const at = (read.created !== null ? new Date(read.created * 1000) : now()).toISOString();
      const record: ResultRecord = {
        key: hashValue({ imported: 'batch', model: opts.model, prompt_version: opts.promptVersion, item_id: id }),
        item_id: id,
        model: opts.model,
        prompt_version: opts.promptVersion,
        source: 'sent',
        response: read.response,
        error: read.error,
        attempts: 1,
        latency_ms: null,
        ...(opts.server ? { server: opts.server } : {}),
        started_at: at,
        finished_at: at,
      };
      out.append(record);
      imported++;
      if (read.error !== null) {
        errors++;
        firstError ??= { line: lineNo, message: read.error.message };
      }
    }
  } finally {
    out.close();
  }
  const missingIds = [...known].filter((id) => !seen.has(id));
  return { imported, distinct: seen.size, errors, unknownIds: [...unknown], missingIds, duplicateIds: [...duplicates], firstError };
}
