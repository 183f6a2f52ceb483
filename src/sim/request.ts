/**
 * Reading a `POST /v1/chat/completions` body the way vLLM's `ChatCompletionRequest` (pydantic, lax
 * mode) does: its `mode="before"` model validators first (one ValueError ends validation), then every
 * field's type, all errors reported together (worded like pydantic's). Unknown fields are ignored
 * (`extra="allow"`). Value ranges checked later by SamplingParams are in sampling.ts; structured
 * outputs in structured.ts.
 */
import { validationError, type PydanticError } from './errors.ts';
import type { OutputMode } from './personas/types.ts';
import { Fields, isObject, pyTruthy } from './pydantic.ts';
import { readStructuredOutputs, type Constraint } from './structured.ts';
import type { VllmBehaviour } from './vllm-version.ts';

/** Sampling parameters as sent (null = not set), for the SamplingParams checks. */
export interface SamplingFields {
  n: number | null;
  presencePenalty: number | null;
  frequencyPenalty: number | null;
  repetitionPenalty: number | null;
  temperature: number | null;
  topP: number | null;
  topK: number | null;
  minP: number | null;
  minTokens: number | null;
  logprobs: boolean;
  topLogprobs: number | null;
  stop: string[];
  includeStopStr: boolean;
}

/** A validated chat request. */
export interface ChatRequest {
  model: string | null;
  messages: { role: string; content: string }[];
  stream: boolean;
  includeUsage: boolean;
  continuousUsage: boolean;
  /** `max_completion_tokens` if set, else `max_tokens`, else null. */
  maxTokens: number | null;
  temperature: number;
  seed: number | null;
  n: number;
  mode: OutputMode;
  schema: unknown;
  /** `structured_outputs.choice` / `.regex` (or 0.11's `guided_choice` / `guided_regex`). */
  constraint: Constraint | null;
  thinking: boolean;
  sampling: SamplingFields;
  /** `include_reasoning` (default true): with a reasoning parser, false drops the reasoning text. */
  includeReasoning: boolean;
  /** `tool_choice` as vLLM resolves it (`auto` when tools are given without one); null = none. */
  toolChoice: 'auto' | 'required' | 'named' | null;
}

const ROLES = new Set(['system', 'user', 'assistant', 'developer', 'tool', 'function']);
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** The route's content-type check (vLLM's `validate_json_request`): before the body is read as JSON. */
export function checkContentType(header: string | undefined): void {
  const media = (header ?? '').toLowerCase().split(';', 1)[0]!.trim();
  if (media !== 'application/json') throw validationError(["Unsupported Media Type: Only 'application/json' is allowed"]);
}

/** `ChatCompletionRequest`'s `mode="before"` validators, last defined first; the first failure is the only error. */
function beforeValidators(b: Record<string, unknown>): string | null {
  if (b.cache_salt !== undefined && b.cache_salt !== null && (typeof b.cache_salt !== 'string' || b.cache_salt === '')) {
    return "Parameter 'cache_salt' must be a non-empty string if provided.";
  }
  if (pyTruthy(b.continue_final_message) && pyTruthy(b.add_generation_prompt)) {
    return 'Cannot set both `continue_final_message` and `add_generation_prompt` to True.';
  }
  const tools = checkToolUsage(b);
  if (tools) return tools;
  const so = b.structured_outputs;
  if (isObject(so)) {
    const count = ['json', 'regex', 'choice'].filter((k) => so[k] !== undefined && so[k] !== null).length;
    if (count > 1) return "You can only use one kind of constraints for structured outputs ('json', 'regex' or 'choice').";
  }
  if (typeof b.prompt_logprobs === 'number') {
    if (pyTruthy(b.stream) && (b.prompt_logprobs > 0 || b.prompt_logprobs === -1)) return '`prompt_logprobs` are not available when `stream=True`.';
    if (b.prompt_logprobs < 0 && b.prompt_logprobs !== -1) return '`prompt_logprobs` must be a positive value or -1.';
  }
  if (typeof b.top_logprobs === 'number') {
    if (b.top_logprobs < 0 && b.top_logprobs !== -1) return '`top_logprobs` must be a positive value or -1.';
    if ((b.top_logprobs === -1 || b.top_logprobs > 0) && !pyTruthy(b.logprobs)) return 'when using `top_logprobs`, `logprobs` must be set to true.';
  }
  if (pyTruthy(b.stream_options) && !pyTruthy(b.stream)) return 'Stream options can only be defined when `stream=True`.';
  return null;
}

/** vLLM's `check_tool_usage`. */
function checkToolUsage(b: Record<string, unknown>): string | null {
  const choice = 'tool_choice' in b ? b.tool_choice : pyTruthy(b.tools) ? 'auto' : undefined;
  if (choice === undefined || choice === null || choice === 'none') return null;
  if (b.tools === undefined || b.tools === null) return 'When using `tool_choice`, `tools` must be set.';
  if (choice !== 'auto' && choice !== 'required' && !isObject(choice)) {
    return `Invalid value for \`tool_choice\`: ${String(choice)}! Only named tools, "none", "auto" or "required" are supported.`;
  }
  if (isObject(choice)) {
    const usage = 'Correct usage: `{"type": "function", "function": {"name": "my_function"}}`';
    const fn = choice.function;
    if (!isObject(fn)) return `Invalid value for \`function\`: \`${JSON.stringify(fn ?? null)}\` in \`tool_choice\`! ${usage}`;
    if (!('name' in fn)) return `Expected field \`name\` in \`function\` in \`tool_choice\`! ${usage}`;
    if (typeof fn.name !== 'string' || fn.name === '') return `Invalid \`name\` in \`function\`: \`${String(fn.name)}\` in \`tool_choice\`! ${usage}`;
    const names = Array.isArray(b.tools) ? b.tools.map((t) => (isObject(t) && isObject(t.function) ? t.function.name : undefined)) : [];
    if (!names.includes(fn.name)) return 'The tool specified in `tool_choice` does not match any of the specified `tools`';
  }
  return null;
}

/** Parse and check a raw request body; throws ApiError (400) like vLLM would. */
export function parseChatRequest(raw: string, vllm: VllmBehaviour): ChatRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    throw validationError([{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: (e as Error).message } }]);
  }
  if (!isObject(body)) {
    throw validationError([{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }]);
  }
  const b = body;
  const before = beforeValidators(b);
  if (before) throw validationError([{ type: 'value_error', loc: ['body'], msg: `Value error, ${before}`, input: b, valueError: before }]);

  const errors: PydanticError[] = [];
  const f = new Fields(b, ['body'], errors);
  const messages = readMessages(b, errors);

  const model = f.str('model');
  const maxTokensField = f.int('max_tokens');
  const maxCompletionTokens = f.int('max_completion_tokens');
  const seedRaw = b.seed;
  let seed = f.int('seed');
  if (seed !== null && typeof seedRaw === 'number' && BigInt(seedRaw) > LONG_MAX) {
    errors.push({ type: 'less_than_equal', loc: ['body', 'seed'], msg: `Input should be less than or equal to ${LONG_MAX}`, input: seedRaw, ctx: { le: Number(LONG_MAX) } });
    seed = null;
  } else if (seed !== null && typeof seedRaw === 'number' && BigInt(seedRaw) < LONG_MIN) {
    errors.push({ type: 'greater_than_equal', loc: ['body', 'seed'], msg: `Input should be greater than or equal to ${LONG_MIN}`, input: seedRaw, ctx: { ge: Number(LONG_MIN) } });
    seed = null;
  }
  const sampling: SamplingFields = {
    n: f.int('n'),
    presencePenalty: f.float('presence_penalty'),
    frequencyPenalty: f.float('frequency_penalty'),
    repetitionPenalty: f.float('repetition_penalty'),
    temperature: f.float('temperature'),
    topP: f.float('top_p'),
    topK: f.int('top_k'),
    minP: f.float('min_p'),
    minTokens: f.int('min_tokens'),
    logprobs: f.bool('logprobs') ?? false,
    topLogprobs: f.int('top_logprobs'),
    stop: f.strOrList('stop') ?? [],
    includeStopStr: f.bool('include_stop_str_in_output') ?? false,
  };
  const stream = f.bool('stream') ?? false;
  const includeReasoning = f.bool('include_reasoning') ?? true;
  for (const k of ['ignore_eos', 'use_beam_search', 'skip_special_tokens', 'spaces_between_special_tokens', 'echo', 'add_generation_prompt', 'continue_final_message', 'add_special_tokens', 'parallel_tool_calls', 'return_tokens_as_token_ids', 'return_token_ids']) f.bool(k);
  for (const k of ['length_penalty']) f.float(k);
  for (const k of ['prompt_logprobs', 'priority']) f.int(k);
  f.int('truncate_prompt_tokens', { ge: -1 });
  for (const k of ['user', 'chat_template', 'request_id', 'cache_salt']) f.str(k);
  for (const k of ['mm_processor_kwargs', 'kv_transfer_params', 'vllm_xargs', 'logit_bias']) f.dict(k);
  for (const k of ['stop_token_ids', 'allowed_token_ids']) f.list(k, f.intItem);
  f.list('bad_words', f.strItem);
  f.literal('reasoning_effort', vllm.reasoningEfforts);

  let includeUsage = false;
  let continuousUsage = false;
  if (b.stream_options !== undefined && b.stream_options !== null) {
    if (!isObject(b.stream_options)) errors.push({ type: 'model_type', loc: ['body', 'stream_options'], msg: 'Input should be a valid dictionary or instance of StreamOptions', input: b.stream_options, ctx: { class_name: 'StreamOptions' } });
    else {
      const so = new Fields(b.stream_options, ['body', 'stream_options'], errors);
      includeUsage = so.bool('include_usage') ?? b.stream_options.include_usage === undefined;
      continuousUsage = so.bool('continuous_usage_stats') ?? false;
    }
  }

  const structured = readStructuredOutputs(b, errors, vllm);

  let thinking = true;
  const ctk = f.dict('chat_template_kwargs');
  // Qwen3's template: `{%- if enable_thinking is defined and enable_thinking is false %}`: only false turns it off.
  if (ctk && 'enable_thinking' in ctk) thinking = ctk.enable_thinking !== false;
  else if (typeof b.reasoning_effort === 'string') thinking = b.reasoning_effort !== 'none';

  if (errors.length > 0) throw validationError(inFieldOrder(errors));

  return {
    model,
    messages,
    stream,
    includeUsage: stream && includeUsage,
    continuousUsage,
    maxTokens: maxCompletionTokens ?? maxTokensField,
    temperature: sampling.temperature ?? 1,
    seed,
    n: sampling.n ?? 1,
    mode: structured.mode,
    schema: structured.schema,
    constraint: structured.constraint,
    thinking,
    sampling,
    includeReasoning,
    toolChoice: resolvedToolChoice(b),
  };
}

function resolvedToolChoice(b: Record<string, unknown>): ChatRequest['toolChoice'] {
  const choice = 'tool_choice' in b ? b.tool_choice : pyTruthy(b.tools) ? 'auto' : null;
  if (choice === 'auto' || choice === 'required') return choice;
  return isObject(choice) ? 'named' : null;
}

/** ChatCompletionRequest's fields in definition order: pydantic reports field errors in this order. */
const FIELD_ORDER = [
  'messages', 'model', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'max_tokens', 'max_completion_tokens', 'n',
  'presence_penalty', 'response_format', 'seed', 'stop', 'stream', 'stream_options', 'temperature', 'top_p', 'tools', 'tool_choice',
  'reasoning_effort', 'include_reasoning', 'parallel_tool_calls', 'user', 'use_beam_search', 'top_k', 'min_p', 'repetition_penalty',
  'length_penalty', 'stop_token_ids', 'include_stop_str_in_output', 'ignore_eos', 'min_tokens', 'skip_special_tokens',
  'spaces_between_special_tokens', 'truncate_prompt_tokens', 'prompt_logprobs', 'allowed_token_ids', 'bad_words', 'echo',
  'add_generation_prompt', 'continue_final_message', 'add_special_tokens', 'documents', 'chat_template', 'chat_template_kwargs',
  'mm_processor_kwargs', 'structured_outputs', 'guided_json', 'guided_regex', 'guided_choice', 'guided_grammar', 'structural_tag',
  'guided_decoding_backend', 'guided_whitespace_pattern', 'priority', 'request_id', 'logits_processors', 'return_tokens_as_token_ids',
  'return_token_ids', 'cache_salt', 'kv_transfer_params', 'vllm_xargs',
];

function inFieldOrder(errors: PydanticError[]): PydanticError[] {
  const rank = (e: PydanticError) => {
    const i = FIELD_ORDER.indexOf(String(e.loc[1] ?? ''));
    return i < 0 ? FIELD_ORDER.length : i;
  };
  return errors.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
}

/** `messages`: a required list of message objects (content a string, a list of text parts, or null). */
function readMessages(b: Record<string, unknown>, errors: PydanticError[]): { role: string; content: string }[] {
  const messages: { role: string; content: string }[] = [];
  if (!('messages' in b)) errors.push({ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: b });
  else if (!Array.isArray(b.messages)) errors.push({ type: 'list_type', loc: ['body', 'messages'], msg: 'Input should be a valid list', input: b.messages });
  else {
    b.messages.forEach((m, i) => {
      if (!isObject(m)) {
        errors.push({ type: 'model_type', loc: ['body', 'messages', i], msg: 'Input should be a valid dictionary', input: m });
        return;
      }
      if (typeof m.role !== 'string') {
        errors.push(m.role === undefined ? { type: 'missing', loc: ['body', 'messages', i, 'role'], msg: 'Field required', input: m } : { type: 'string_type', loc: ['body', 'messages', i, 'role'], msg: 'Input should be a valid string', input: m.role });
        return;
      }
      if (!ROLES.has(m.role)) {
        errors.push({ type: 'literal_error', loc: ['body', 'messages', i, 'role'], msg: "Input should be 'system', 'user', 'assistant', 'developer' or 'tool'", input: m.role, ctx: { expected: "'system', 'user', 'assistant', 'developer' or 'tool'" } });
        return;
      }
      const content = contentText(m.content);
      if (content === undefined) {
        errors.push({ type: 'string_type', loc: ['body', 'messages', i, 'content'], msg: 'Input should be a valid string', input: m.content });
        return;
      }
      messages.push({ role: m.role, content });
    });
  }
  return messages;
}

/** Message content as text: a string, a list of text parts, or null (empty). */
function contentText(c: unknown): string | undefined {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    const parts: string[] = [];
    for (const p of c) {
      if (typeof p === 'string') parts.push(p);
      else if (isObject(p) && typeof p.text === 'string') parts.push(p.text);
      else return undefined;
    }
    return parts.join('\n');
  }
  return undefined;
}
