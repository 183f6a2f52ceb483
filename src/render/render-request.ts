import Handlebars from 'handlebars';
import { UserError } from '../core/errors.ts';
import { hashValue } from '../core/hash.ts';
import { blockProblem, handlebarsProblem } from './template-syntax.ts';
import type { ChatMessage, ItemRow, RenderedRequest, SamplingParams } from '../core/records.ts';

/** What render needs of a prompt version (the loader's PromptVersion satisfies it). */
export interface PromptTemplate {
  version: string;
  system: string | null;
  user: string;
  files: { system: string | null; user: string };
}

export interface CompiledPrompt {
  version: string;
  render(row: ItemRow, where?: { file: string; line?: number }): ChatMessage[];
}

/** Helpers templates may call. Anything else is an error at load time. */
const HELPERS = {
  /** `{{json candidate}}`: the value as pretty JSON. */
  json: (value: unknown) => JSON.stringify(value, null, 2),
} as const;

const COMPILE_OPTIONS = {
  strict: true, // a missing variable is an error, never an empty string
  noEscape: true, // prompts are not HTML
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true])),
  knownHelpersOnly: true, // an unknown helper fails at compile time
} as const;

function compileOne(env: typeof Handlebars, text: string, file: string): HandlebarsTemplateDelegate {
  try {
    env.precompile(text, COMPILE_OPTIONS); // surfaces syntax errors and unknown helpers now, not mid-run
  } catch (e) {
    const msg = (e as Error).message;
    // Handlebars names where parsing stopped (the end of the file for an unclosed block); name where the block opened.
    const problem = blockProblem(text) ?? handlebarsProblem(msg);
    throw new UserError(`template does not compile: ${problem.message}`, {
      file,
      line: problem.line,
      field: problem.field,
      hint: `Templates may use Handlebars built-ins (#if, #each, #unless, #with) and these helpers: ${Object.keys(HELPERS).join(', ')}.`,
    });
  }
  refuseObjectInternals(env.parse(text), file);
  return env.compile(text, COMPILE_OPTIONS);
}

/** Handlebars' block helpers that take exactly one argument (checked at compile time; Handlebars checks them mid-run). */
const BUILT_IN_BLOCKS = new Set(['each', 'if', 'unless', 'with']);

/** Names that reach an object's machinery rather than a row's data. */
const INTERNALS = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/**
 * A template may read the row's data only: a path through `__proto__`, `constructor` or `prototype`
 * (`{{candidate.__proto__}}`, `{{candidate.name.constructor}}`) or a `lookup` of one is refused at
 * compile time, naming the file and line, instead of rendering empty or throwing mid-run.
 */
function refuseObjectInternals(ast: hbs.AST.Program, file: string): void {
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; parts?: unknown[]; original?: unknown; value?: unknown; loc?: { start: { line: number } } };
    const bad =
      (n.type === 'PathExpression' && Array.isArray(n.parts) && n.parts.find((p) => typeof p === 'string' && INTERNALS.has(p))) ||
      (n.type === 'StringLiteral' && typeof n.value === 'string' && INTERNALS.has(n.value) && n.value);
    const block = node as { type?: string; path?: { original?: unknown }; params?: unknown[]; loc?: { start: { line: number } } };
    if (block.type === 'BlockStatement' && typeof block.path?.original === 'string' && BUILT_IN_BLOCKS.has(block.path.original) && block.params?.length !== 1) {
      const name = block.path.original;
      throw new UserError(`\`{{#${name}}}\` needs exactly one argument, got ${block.params?.length ?? 0}`, {
        file,
        line: block.loc?.start.line,
        field: name,
        hint: name === 'each' ? 'Name the list to go through, e.g. {{#each <a list in the item>}}…{{/each}}.' : `Name the value it tests, e.g. {{#${name} <a field of the item>}}…{{/${name}}}.`,
      });
    }
    if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement' || n.type === 'Decorator' || n.type === 'DecoratorBlock') {
      const partial = n.type.startsWith('Partial');
      throw new UserError(`template uses a ${partial ? 'partial' : 'decorator'}, which prompts do not support`, {
        file,
        line: n.loc?.start.line,
        hint: 'A prompt version is user.hbs and system.hbs only; write the shared text into the template itself.',
      });
    }
    if (bad) {
      throw new UserError(`template reads \`${String(bad)}\`, which is not data`, {
        file,
        line: n.loc?.start.line,
        field: String(typeof n.original === 'string' ? n.original : bad),
        hint: 'Templates may read the fields of the row (e.g. customer.name), never an object\'s internals.',
      });
    }
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(ast);
}

/** Handlebars names only the last path segment; recover the whole path from the template line. */
function fullPath(source: string, line: number | undefined, last: string): string {
  const text = line ? (source.split('\n')[line - 1] ?? '') : source;
  const escaped = last.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`[\\w@./-]*\\b${escaped}\\b`).exec(text);
  return m ? m[0].replace(/^\.\//, '') : last;
}

/** What a template sees of a row: the task's item fields (its declared variables) and `id`. */
function contextOf(row: ItemRow, variables: readonly string[] | undefined): Record<string, unknown> {
  const names = variables ?? Object.keys(row).filter((k) => k !== 'id' && k !== 'gold' && k !== 'strata');
  return { ...Object.fromEntries(names.map((v) => [v, row[v]])), id: row.id };
}

/**
 * Compile a prompt version strictly. Rendering a row that lacks a variable the template uses
 * throws a UserError naming the template file, its line, the variable and the dataset row.
 * @param variables the task's item variables (`item.variables`); @default every field of the row but gold and strata
 */
export function compilePrompt(prompt: PromptTemplate, variables?: readonly string[]): CompiledPrompt {
  const env = Handlebars.create();
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn);
  const user = compileOne(env, prompt.user, prompt.files.user);
  const system = prompt.system === null ? null : compileOne(env, prompt.system, prompt.files.system ?? 'system.hbs');
  const run = (tpl: HandlebarsTemplateDelegate, file: string, row: ItemRow, where?: { file: string; line?: number }) => {
    const source = file === prompt.files.user ? prompt.user : (prompt.system ?? '');
    try {
      // Prototype access stays off (Handlebars' default); the context is plain data.
      return tpl(contextOf(row, variables));
    } catch (e) {
      const msg = (e as Error).message;
      const missing = /"([^"]+)" not defined/.exec(msg);
      const at = /- (\d+):\d+/.exec(msg);
      const variable = missing ? fullPath(source, at ? Number(at[1]) : undefined, missing[1]!) : undefined;
      throw new UserError(
        variable ? `template variable \`${variable}\` is not defined for item \`${row.id}\`` : `template failed for item \`${row.id}\`: ${msg}`,
        {
          file,
          line: at ? Number(at[1]) : undefined,
          field: variable,
          hint: `The row is ${where ? `${where.file}${where.line ? `:${where.line}` : ''}` : `item ${row.id}`}. Templates see { ${[...(variables ?? ['the row\'s fields']), 'id'].join(', ')} }.`,
        },
      );
    }
  };
  return {
    version: prompt.version,
    render(row, where) {
      const messages: ChatMessage[] = [];
      if (system) messages.push({ role: 'system', content: run(system, prompt.files.system ?? 'system.hbs', row, where) });
      messages.push({ role: 'user', content: run(user, prompt.files.user, row, where) });
      return messages;
    },
  };
}

/**
 * The content-addressed key of a request: the canonical hash of everything the server sees
 * that can change its answer (model id, messages, sampling params, extra body). Never the API key.
 */
export function requestKey(model: string, messages: ChatMessage[], params: SamplingParams, extraBody?: Record<string, unknown>, server?: string): string {
  // `server` (what serves the model, src/core/server-identity.ts) is part of the key so the store never
  // answers for one server with another's answer; without it (export files, tests) the key is as before.
  return hashValue({ model, messages, params, extra_body: extraBody ?? null, ...(server ? { server } : {}) });
}

/** Render one dataset row into a request for one model and prompt version. */
export function renderRequest(
  prompt: CompiledPrompt,
  row: ItemRow,
  model: { id: string; extra_body?: Record<string, unknown>; server?: string },
  params: SamplingParams,
  where?: { file: string; line?: number },
): RenderedRequest {
  const messages = prompt.render(row, where);
  return {
    key: requestKey(model.id, messages, params, model.extra_body, model.server),
    item_id: row.id,
    model: model.id,
    prompt_version: prompt.version,
    messages,
    params,
    extra_body: model.extra_body,
  };
}
