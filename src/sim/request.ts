/**
 * Reading a `POST /v1/chat/completions` body the way vLLM's pydantic model does: the fields the
 * simulator uses are type-checked (errors worded like pydantic's), unknown fields are ignored.
 */
import { ApiError, badRequest, validationError, type PydanticError } from './errors.ts';
import type { OutputMode } from './personas/types.ts';

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
  thinking: boolean;
}

const ROLES = new Set(['system', 'user', 'assistant', 'developer', 'tool', 'function']);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Parse and check a raw request body; throws ApiError (400) like vLLM would. */
export function parseChatRequest(raw: string): ChatRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    throw validationError([{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: (e as Error).message } }]);
  }
  if (!isObject(body)) {
    throw validationError([{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }]);
  }
  const errors: PydanticError[] = [];
  const b = body;

  // messages: required list of message objects
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

  const optInt = (key: string): number | null => {
    const v = b[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'number') errors.push({ type: 'int_from_float', loc: ['body', key], msg: 'Input should be a valid integer, got a number with a fractional part', input: v });
    else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
    else errors.push({ type: typeof v === 'string' ? 'int_parsing' : 'int_type', loc: ['body', key], msg: typeof v === 'string' ? 'Input should be a valid integer, unable to parse string as an integer' : 'Input should be a valid integer', input: v });
    return null;
  };
  const optNumber = (key: string): number | null => {
    const v = b[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    errors.push({ type: 'float_type', loc: ['body', key], msg: 'Input should be a valid number', input: v });
    return null;
  };
  const optBool = (key: string): boolean | null => {
    const v = b[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    errors.push({ type: 'bool_type', loc: ['body', key], msg: 'Input should be a valid boolean', input: v });
    return null;
  };

  let model: string | null = null;
  if (b.model !== undefined && b.model !== null) {
    if (typeof b.model === 'string') model = b.model;
    else errors.push({ type: 'string_type', loc: ['body', 'model'], msg: 'Input should be a valid string', input: b.model });
  }
  const maxTokensField = optInt('max_tokens');
  const maxCompletionTokens = optInt('max_completion_tokens');
  const temperature = optNumber('temperature');
  const seed = optInt('seed');
  const n = optInt('n');
  const stream = optBool('stream') ?? false;

  let includeUsage = false;
  let continuousUsage = false;
  if (b.stream_options !== undefined && b.stream_options !== null) {
    if (!isObject(b.stream_options)) errors.push({ type: 'model_type', loc: ['body', 'stream_options'], msg: 'Input should be a valid dictionary or instance of StreamOptions', input: b.stream_options });
    else {
      includeUsage = b.stream_options.include_usage !== false && b.stream_options.include_usage !== null;
      continuousUsage = b.stream_options.continuous_usage_stats === true;
    }
  }

  let mode: OutputMode = 'free';
  let schema: unknown = null;
  const rf = b.response_format;
  if (rf !== undefined && rf !== null) {
    if (!isObject(rf) || typeof rf.type !== 'string' || !['text', 'json_object', 'json_schema', 'structural_tag'].includes(rf.type)) {
      errors.push({ type: 'literal_error', loc: ['body', 'response_format', 'type'], msg: "Input should be 'text', 'json_object', 'json_schema' or 'structural_tag'", input: isObject(rf) ? rf.type : rf });
    } else if (rf.type === 'json_object') mode = 'json_object';
    else if (rf.type === 'json_schema') {
      const js = rf.json_schema;
      if (!isObject(js)) {
        errors.push({ type: 'value_error', loc: ['body'], msg: "Value error, When response_format type is 'json_schema', 'json_schema' must be provided", input: b });
      } else {
        mode = 'json_schema';
        schema = js.schema ?? {};
      }
    }
  }
  const so = b.structured_outputs;
  if (isObject(so)) {
    if (so.json !== undefined && so.json !== null) {
      mode = 'json_schema';
      schema = typeof so.json === 'string' ? safeJson(so.json) : so.json;
    } else if (so.json_object === true) mode = 'json_object';
  }

  let thinking = true;
  const ctk = b.chat_template_kwargs;
  if (ctk !== undefined && ctk !== null && !isObject(ctk)) errors.push({ type: 'dict_type', loc: ['body', 'chat_template_kwargs'], msg: 'Input should be a valid dictionary', input: ctk });
  if (isObject(ctk) && ctk.enable_thinking === false) thinking = false;
  else if (!(isObject(ctk) && 'enable_thinking' in ctk) && typeof b.reasoning_effort === 'string') thinking = b.reasoning_effort !== 'none';

  if (errors.length > 0) throw validationError(errors);

  const maxTokens = maxCompletionTokens ?? maxTokensField;
  if (maxTokens !== null && maxTokens < 1) throw badRequest(`max_tokens must be at least 1, got ${maxTokens}.`, 'max_tokens');
  if (temperature !== null && temperature < 0) throw badRequest(`temperature must be non-negative, got ${temperature}.`, 'temperature');
  if (n !== null && n !== 1) throw new ApiError(400, 'BadRequestError', 'qualbench-sim supports only n=1.', 'n');
  if (messages.length === 0) throw badRequest('List index out of range: messages must not be empty.', 'messages');
  return {
    model,
    messages,
    stream,
    includeUsage: stream && includeUsage,
    continuousUsage,
    maxTokens,
    temperature: temperature ?? 1,
    seed,
    n: 1,
    mode,
    schema,
    thinking,
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
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
