/**
 * Structured outputs as vLLM reads them: OpenAI's `response_format` (a union of `ResponseFormat`,
 * `StructuralTagResponseFormat` and `LegacyStructuralTagResponseFormat`, errors per member as pydantic
 * reports a failed union), vLLM's `structured_outputs` (`StructuredOutputsParams`: one of json, regex,
 * choice, grammar, json_object), and, up to 0.11, the deprecated `guided_*` fields. What the simulator
 * cannot simulate (grammar, structural tags, regex constructs outside regex-gen.ts) is refused with a
 * 400 that says so, rather than answered unconstrained.
 */
import { ApiError, badRequest, pyRepr, type PydanticError } from './errors.ts';
import type { OutputMode } from './personas/types.ts';
import { Fields, isObject } from './pydantic.ts';
import { createRng } from './prng.ts';
import { RegexUnsupported, checkRegex } from './regex-gen.ts';
import type { VllmBehaviour } from './vllm-version.ts';

/** A constraint on the whole answer other than JSON. */
export type Constraint = { kind: 'choice'; choices: string[] } | { kind: 'regex'; pattern: string };

export interface StructuredRequest {
  mode: OutputMode;
  schema: unknown;
  constraint: Constraint | null;
}

type Member = { name: string; check: (f: Fields) => void };

const MEMBERS: Member[] = [
  {
    name: 'ResponseFormat',
    check: (f) => {
      if (f.obj.type === undefined) f.errors.push({ type: 'missing', loc: [...f.loc, 'type'], msg: 'Field required', input: f.obj });
      else f.literal('type', ['text', 'json_object', 'json_schema']);
      const js = f.obj.json_schema;
      if (js === undefined || js === null) return;
      if (!isObject(js)) {
        f.errors.push({ type: 'model_type', loc: [...f.loc, 'json_schema'], msg: 'Input should be a valid dictionary or instance of JsonSchemaResponseFormat', input: js, ctx: { class_name: 'JsonSchemaResponseFormat' } });
        return;
      }
      const g = new Fields(js, [...f.loc, 'json_schema'], f.errors);
      if (js.name === undefined) f.errors.push({ type: 'missing', loc: [...g.loc, 'name'], msg: 'Field required', input: js });
      else g.str('name');
      g.str('description');
      g.dict('schema');
      g.bool('strict');
    },
  },
  {
    name: 'StructuralTagResponseFormat',
    check: (f) => {
      if (f.obj.type === undefined) f.errors.push({ type: 'missing', loc: [...f.loc, 'type'], msg: 'Field required', input: f.obj });
      else f.literal('type', ['structural_tag']);
      if (!('format' in f.obj)) f.errors.push({ type: 'missing', loc: [...f.loc, 'format'], msg: 'Field required', input: f.obj });
    },
  },
  {
    name: 'LegacyStructuralTagResponseFormat',
    check: (f) => {
      if (f.obj.type === undefined) f.errors.push({ type: 'missing', loc: [...f.loc, 'type'], msg: 'Field required', input: f.obj });
      else f.literal('type', ['structural_tag']);
      for (const k of ['structures', 'triggers']) {
        if (f.obj[k] === undefined) f.errors.push({ type: 'missing', loc: [...f.loc, k], msg: 'Field required', input: f.obj });
      }
      f.list('structures', (v, loc) => (isObject(v) ? v : (f.errors.push({ type: 'model_type', loc, msg: 'Input should be a valid dictionary or instance of LegacyStructuralTag', input: v, ctx: { class_name: 'LegacyStructuralTag' } }), null)));
      f.list('triggers', f.strItem);
    },
  },
];

/** `response_format`: which union member it is, or the errors of all of them. */
function readResponseFormat(rf: unknown, errors: PydanticError[]): Record<string, unknown> | null {
  if (rf === undefined || rf === null) return null;
  const loc = ['body', 'response_format'];
  if (!isObject(rf)) {
    for (const m of MEMBERS) errors.push({ type: 'model_type', loc: [...loc, m.name], msg: `Input should be a valid dictionary or instance of ${m.name}`, input: rf, ctx: { class_name: m.name } });
    return null;
  }
  const all: PydanticError[] = [];
  for (const m of MEMBERS) {
    const own: PydanticError[] = [];
    m.check(new Fields(rf, [...loc, m.name], own));
    if (own.length === 0) return rf;
    all.push(...own);
  }
  errors.push(...all);
  return null;
}

/** `str | dict` (the json constraint): union errors name both members. */
function strOrDict(v: unknown, loc: (string | number)[], errors: PydanticError[]): unknown {
  if (v === undefined || v === null || typeof v === 'string' || isObject(v)) return v ?? null;
  errors.push({ type: 'string_type', loc: [...loc, 'str'], msg: 'Input should be a valid string', input: v });
  errors.push({ type: 'dict_type', loc: [...loc, 'dict[any,any]'], msg: 'Input should be a valid dictionary', input: v });
  return null;
}

interface Params {
  json: unknown;
  regex: string | null;
  choice: string[] | null;
  grammar: string | null;
  json_object: boolean | null;
  structural_tag: string | null;
}

/** StructuredOutputsParams' own check: at most one kind of constraint. */
function countError(p: Params): string | null {
  const set = (['json', 'regex', 'choice', 'grammar', 'json_object'] as const).filter((k) => p[k] !== null);
  if (set.length <= 1) return null;
  const dict = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v ?? null]));
  return `You can only use one kind of structured outputs constraint but multiple are specified: ${pyRepr(dict)}`;
}

function readParams(obj: Record<string, unknown>, loc: (string | number)[], errors: PydanticError[], keys: Record<keyof Params, string>): Params {
  const f = new Fields(obj, loc, errors);
  return {
    json: strOrDict(obj[keys.json], [...loc, keys.json], errors),
    regex: f.str(keys.regex),
    choice: f.list(keys.choice, f.strItem),
    grammar: f.str(keys.grammar),
    json_object: keys.json_object ? f.bool(keys.json_object) : null,
    structural_tag: f.str(keys.structural_tag),
  };
}

const SO_KEYS = { json: 'json', regex: 'regex', choice: 'choice', grammar: 'grammar', json_object: 'json_object', structural_tag: 'structural_tag' } as const;
const GUIDED_KEYS = { json: 'guided_json', regex: 'guided_regex', choice: 'guided_choice', grammar: 'guided_grammar', json_object: '', structural_tag: 'structural_tag' } as const;

/**
 * Read response_format, structured_outputs and (0.11) guided_* into what the simulator answers under.
 * Schema errors go to `errors`; a constraint vLLM accepts but the simulator cannot honour throws a 400.
 */
export function readStructuredOutputs(b: Record<string, unknown>, errors: PydanticError[], vllm: VllmBehaviour): StructuredRequest {
  const rf = readResponseFormat(b.response_format, errors);
  if (rf && rf.type === 'json_schema' && !isObject(rf.json_schema)) {
    const msg = "When response_format type is 'json_schema', 'json_schema' must be provided";
    errors.push({ type: 'value_error', loc: ['body'], msg: `Value error, ${msg}`, input: b, valueError: msg });
  }
  let params: Params | null = null;
  const so = b.structured_outputs;
  if (so !== undefined && so !== null) {
    if (!isObject(so)) errors.push({ type: 'dataclass_type', loc: ['body', 'structured_outputs'], msg: 'Input should be a dictionary or an instance of StructuredOutputsParams', input: so, ctx: { class_name: 'StructuredOutputsParams' } });
    else {
      const before = errors.length;
      params = readParams(so, ['body', 'structured_outputs'], errors, SO_KEYS);
      const e = errors.length === before ? countError(params) : null;
      if (e) errors.push({ type: 'value_error', loc: ['body', 'structured_outputs'], msg: `Value error, ${e}`, input: so, valueError: e });
    }
  }
  let guided: Params | null = null;
  if (vllm.guidedFields) {
    const before = errors.length;
    guided = readParams(b, ['body'], errors, GUIDED_KEYS);
    if (errors.length > before || Object.values(guided).every((v) => v === null)) guided = null;
  }
  if (errors.length > 0) return { mode: 'free', schema: null, constraint: null };
  // 0.11's to_sampling_params: guided_* fill structured_outputs when it is not given (a ValueError there is a plain 400).
  if (params === null && guided !== null) {
    const e = countError(guided);
    if (e) throw badRequest(e);
    params = guided;
  }
  // response_format sets json / json_object on top of structured_outputs.
  if (rf && rf.type === 'json_schema') {
    const js = rf.json_schema as Record<string, unknown>;
    return { mode: 'json_schema', schema: js.schema ?? {}, constraint: null };
  }
  if (rf && rf.type === 'json_object') return { mode: 'json_object', schema: null, constraint: null };
  if (rf && rf.type === 'structural_tag') throw notSimulated('response_format type structural_tag');
  if (!params) return { mode: 'free', schema: null, constraint: null };
  if (params.grammar !== null) throw notSimulated('structured_outputs.grammar');
  if (params.structural_tag !== null) throw notSimulated('structured_outputs.structural_tag');
  if (params.json !== null) return { mode: 'json_schema', schema: typeof params.json === 'string' ? parseJsonSchema(params.json) : params.json, constraint: null };
  if (params.json_object) return { mode: 'json_object', schema: null, constraint: null };
  if (params.choice !== null) {
    if (params.choice.length === 0) throw badRequest('qualbench-sim: structured_outputs.choice is empty, so no answer can meet it.', 'structured_outputs');
    return { mode: 'free', schema: null, constraint: { kind: 'choice', choices: params.choice } };
  }
  if (params.regex !== null) {
    try {
      checkRegex(params.regex, createRng('regex-probe'));
    } catch (e) {
      if (e instanceof RegexUnsupported) throw badRequest(`qualbench-sim cannot simulate structured_outputs.regex ${JSON.stringify(params.regex)}: ${e.message}.`, 'structured_outputs');
      throw e;
    }
    return { mode: 'free', schema: null, constraint: { kind: 'regex', pattern: params.regex } };
  }
  return { mode: 'free', schema: null, constraint: null };
}

function notSimulated(what: string): ApiError {
  return badRequest(`qualbench-sim does not simulate ${what} (vLLM would constrain the answer to it); use json, json_object, choice or regex.`, 'structured_outputs');
}

/** A JSON schema given as a string: vLLM parses it; an invalid one is a 400. */
function parseJsonSchema(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`Invalid JSON schema: ${(e as Error).message}`, 'structured_outputs');
  }
}
