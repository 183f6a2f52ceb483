/**
 * vLLM's error bodies: the nested envelope `{"error": {message, type, param, code}}` (vLLM >= 0.10.1),
 * pydantic-style validation messages, and the plain `{"error": "Unauthorized"}` of the auth middleware.
 */

/** An error answered as vLLM would. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;

  constructor(status: number, type: string, message: string, param: string | null = null) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
  }

  /** The response body. */
  body(): { error: { message: string; type: string; param: string | null; code: number } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.status } };
  }
}

/** 404 for a model the server does not serve. */
export function modelNotFound(name: string): ApiError {
  return new ApiError(404, 'NotFoundError', `The model \`${name}\` does not exist.`, 'model');
}

/** 400 for a prompt that leaves no room in the context (vLLM ~0.10 wording). */
export function promptTooLong(maxModelLen: number, promptTokens: number): ApiError {
  return new ApiError(
    400,
    'BadRequestError',
    `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
    'input_tokens',
  );
}

/** 400 for a max_tokens that does not fit after the prompt (vLLM ~0.10 wording). */
export function maxTokensTooLarge(maxTokens: number, maxModelLen: number, promptTokens: number): ApiError {
  return new ApiError(
    400,
    'BadRequestError',
    `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${maxModelLen} - ${promptTokens}).`,
    'max_tokens',
  );
}

/** 400 raised by request checks outside the schema (SamplingParams), e.g. max_tokens < 1. */
export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, 'BadRequestError', message, param);
}

/** One pydantic error, as `exc.errors()` lists it. */
export interface PydanticError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
  /** A `ValueError` raised by a validator: rendered as pydantic does, `'ctx': {'error': ValueError('...')}`. */
  valueError?: string;
}

/** Python `repr` of a JSON value (dicts with single quotes, True/False/None, loc tuples). */
export function pyRepr(v: unknown, tuple = false): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (Array.isArray(v)) {
    const inner = v.map((x) => pyRepr(x)).join(', ');
    return tuple ? `(${inner}${v.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/**
 * 400 for request-schema errors, worded like vLLM's `validation_exception_handler` (FastAPI's
 * RequestValidationError text). A plain string is an error a route dependency raised as is (the
 * content-type check).
 */
export function validationError(errors: (PydanticError | string)[]): ApiError {
  const label = errors.length === 1 ? 'error' : 'errors';
  const lines = errors.map((e) => {
    if (typeof e === 'string') return `  ${e}`;
    const parts = [`'type': ${pyRepr(e.type)}`, `'loc': ${pyRepr(e.loc, true)}`, `'msg': ${pyRepr(e.msg)}`, `'input': ${pyRepr(e.input)}`];
    if (e.valueError !== undefined) parts.push(`'ctx': {'error': ValueError(${pyRepr(e.valueError)})}`);
    else if (e.ctx) parts.push(`'ctx': ${pyRepr(e.ctx)}`);
    return `  {${parts.join(', ')}}`;
  });
  const message = `${errors.length} validation ${label}:\n${lines.join('\n')}`;
  // vLLM 0.11's handler sets no param (later versions fill it from a VLLMValidationError in the error's ctx).
  return new ApiError(400, 'Bad Request', message, null);
}

/** The auth middleware's body: a plain string, not the envelope. */
export const UNAUTHORIZED_BODY = { error: 'Unauthorized' } as const;
