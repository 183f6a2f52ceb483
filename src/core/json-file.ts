import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from './errors.ts';

/**
 * Read a JSON file and validate it with a zod schema. Errors name the file, the line and the field.
 * @example const models = readJsonFile('evals/models.json', ModelsFile)
 */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S, hint?: string, display: string = path): z.infer<S> {
  const file = display;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`, { file, hint });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // An unresolved merge leaves markers that JSON.parse reports only as an unexpected token.
  const marker = /^(<{7}|={7}|>{7})( |$)/m.exec(text);
  if (marker) {
    throw new UserError('the file holds merge-conflict markers', { file, line: lineOfOffset(text, marker.index), hint: 'Resolve the merge (keep one side, or re-create the file) and commit it.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8 quotes a piece of the file in some messages (`..."api_key": sk-…"... is not valid JSON`): never echo
    // file content (it may be a secret); use the piece only to find its line.
    const raw = (e as Error).message;
    const snippet = /(?:^|,\s*)(?:\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(raw);
    const msg = snippet ? raw.slice(0, snippet.index) || 'not JSON' : raw;
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : snippet && snippet[1] ? text.indexOf(snippet[1]) : -1;
    const line = at >= 0 ? lineOfOffset(text, at) : undefined;
    throw new UserError(`not valid JSON (${msg})`, { file, line, hint });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    throw new UserError(`${issue.message}${more}`, {
      file,
      line: locateJsonPath(text, path),
      field: path.length ? path.join('.') : undefined,
      hint,
    });
  }
  return parsed.data;
}

export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Best-effort line of a JSON path in pretty-printed JSON: finds each object key in turn after
 * the previous one, and steps over array elements by counting their opening tokens at depth.
 */
export function locateJsonPath(text: string, path: string[]): number | undefined {
  let pos = 0;
  let found = false;
  for (const seg of path) {
    if (/^\d+$/.test(seg)) {
      const open = text.indexOf('[', pos);
      if (open === -1) return found ? lineOfOffset(text, pos) : undefined;
      pos = skipToArrayElement(text, open + 1, Number(seg));
    } else {
      const at = text.indexOf(JSON.stringify(seg), pos);
      if (at === -1) return found ? lineOfOffset(text, pos) : undefined;
      pos = at;
    }
    found = true;
  }
  return found ? lineOfOffset(text, pos) : undefined;
}

function skipToArrayElement(text: string, start: number, index: number): number {
  let depth = 0;
  let inString = false;
  let count = 0;
  let i = start;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (index === 0) return i;
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) {
      count++;
      if (count === index) {
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        return j;
      }
    }
  }
  return i;
}
