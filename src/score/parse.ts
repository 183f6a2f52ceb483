/**
 * Text -> JSON object, or a named failure class. Every scorer reads the model's answer through this.
 *
 * The class names the first problem met, outermost first: reasoning tags wrap a fence, a fence wraps
 * lenient JSON. Smaller problems found on the way are listed in `detail`.
 */

/** Parse classes, from best to worst. */
export const PARSE_CLASSES = [
  /** The whole answer, trimmed, is one JSON object. */
  'ok',
  /** One JSON object inside a ``` / ```json fence, nothing else. */
  'fenced',
  /** One JSON object with prose (or a fence and prose) around it. */
  'prose-around-json',
  /** `<think>...</think>` before an otherwise recoverable answer. */
  'reasoning-tags',
  /** Recoverable with a small repair: trailing commas, single or smart quotes, BOM, raw newlines in strings, Python literals, comments, a JSON-encoded string. */
  'lenient-json',
  /** Cut off: finish_reason `length`, or an object that never closes. */
  'truncated',
  /** Two or more JSON objects: different ones (`value` null: which is the answer is unknown), or the same one written again (`value` set). */
  'multiple-objects',
  /** No JSON object could be read. */
  'not-json',
  /** Nothing but whitespace. */
  'empty',
] as const;
export type ParseClass = (typeof PARSE_CLASSES)[number];

export interface ParseOutcome {
  class: ParseClass;
  /** The recovered object when `recoverable`, else null. */
  value: Record<string, unknown> | null;
  /** The answer met the format exactly (class `ok`). */
  strict: boolean;
  /** A JSON object could be recovered (`value` is set). */
  recoverable: boolean;
  /** One line saying what was found, for humans. */
  detail: string;
  /** How many JSON objects the answer holds (after a reasoning block): 0 when none was read, 2 or more for `multiple-objects`, also when they are copies of one. */
  objects: number;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function outcome(cls: ParseClass, value: JsonObject | null, detail: string, objects = value === null ? 0 : 1): ParseOutcome {
  return { class: cls, value, strict: cls === 'ok', recoverable: value !== null, detail, objects };
}

function tryStrict(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * Parse a model's answer.
 * @param finishReason the response's finish_reason; `length` marks an unrecoverable answer as `truncated`.
 * @example parseResponse('```json\n{"a": 1}\n```').class === 'fenced'
 */
export function parseResponse(text: string, finishReason?: string | null): ParseOutcome {
  const cut = finishReason === 'length';
  const reasoning = splitReasoning(text);
  if (reasoning.kind === 'unclosed') {
    return cut
      ? outcome('truncated', null, 'cut off inside the <think> block (finish_reason length)')
      : outcome('not-json', null, 'a <think> block that never closes, no answer after it');
  }
  if (reasoning.kind === 'none') return classifyBody(text, cut);
  const inner = classifyBody(reasoning.rest, cut);
  if (inner.recoverable) return { ...inner, class: 'reasoning-tags', strict: false, detail: `reasoning tags before the answer, then ${inner.class}: ${inner.detail}` };
  if (inner.class === 'empty') return outcome(cut ? 'truncated' : 'empty', null, 'only a reasoning block, no answer after it');
  return { ...inner, detail: `reasoning tags before the answer, then ${inner.detail}` };
}

const THINK_OPEN = /^<(think|thinking|reasoning)>/i;
const THINK_CLOSE = /<\/(think|thinking|reasoning)>/gi;

/**
 * Find a reasoning block before the answer. Some chat templates put the opening tag in the prompt,
 * so a closing tag alone counts too, unless the answer already starts with JSON or a fence.
 */
function splitReasoning(text: string): { kind: 'none' } | { kind: 'unclosed' } | { kind: 'split'; rest: string } {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  const opens = THINK_OPEN.test(t);
  let lastEnd = -1;
  for (const m of t.matchAll(THINK_CLOSE)) lastEnd = m.index + m[0].length;
  if (lastEnd === -1) return opens ? { kind: 'unclosed' } : { kind: 'none' };
  if (!opens && (t.startsWith('{') || t.startsWith('`'))) return { kind: 'none' };
  return { kind: 'split', rest: t.slice(lastEnd) };
}

const FENCE = /^```[^\n`]*\n([\s\S]*?)\n?[ \t]*```$/;

function classifyBody(raw: string, cut: boolean): ParseOutcome {
  const bom = /^[ \t\r\n]*\uFEFF/.test(raw);
  const t = raw.trim(); // String#trim also drops a BOM
  if (t === '') return cut ? outcome('truncated', null, 'empty answer (finish_reason length)') : outcome('empty', null, 'empty answer');

  // 1. The whole answer.
  const strict = tryStrict(t);
  if (strict.ok) {
    if (isObject(strict.value)) return bom ? outcome('lenient-json', strict.value, 'byte order mark before the object') : outcome('ok', strict.value, 'one JSON object');
    if (typeof strict.value === 'string') {
      const inner = tryStrict(strict.value.trim());
      if (inner.ok && isObject(inner.value)) return outcome('lenient-json', inner.value, 'the object was JSON-encoded as a string');
    }
    return outcome('not-json', null, `valid JSON but ${describeJson(strict.value)}, not an object`);
  }
  if (t.startsWith('{') && t.endsWith('}')) {
    const lenient = repairJson(t);
    if (lenient.value !== null) return outcome('lenient-json', lenient.value, `repaired: ${lenient.repairs.join(', ')}`);
  }

  // 2. A fence around the whole answer.
  const fence = FENCE.exec(t);
  if (fence) {
    const inner = fence[1]!.trim();
    const s = tryStrict(inner);
    if (s.ok && isObject(s.value)) return outcome('fenced', s.value, 'one JSON object in a code fence');
    if (inner.startsWith('{') && inner.endsWith('}')) {
      const lenient = repairJson(inner);
      if (lenient.value !== null) return outcome('fenced', lenient.value, `one JSON object in a code fence, repaired: ${lenient.repairs.join(', ')}`);
    }
  }

  // 3. Scan for objects anywhere in the text.
  const scan = scanObjects(t);
  const found: { value: JsonObject; repairs: string[] }[] = [];
  let firstError: string | undefined;
  for (const span of scan.spans) {
    const slice = t.slice(span.start, span.end);
    const s = tryStrict(slice);
    if (s.ok) {
      if (isObject(s.value)) found.push({ value: s.value, repairs: [] });
      continue;
    }
    const lenient = repairJson(slice);
    if (lenient.value !== null) found.push({ value: lenient.value, repairs: lenient.repairs });
    else firstError ??= s.error;
  }
  const tail = scan.unclosedAt !== null ? ', and an object that never closes' : '';
  if (found.length >= 2) {
    const first = JSON.stringify(found[0]!.value);
    const same = found.every((f) => JSON.stringify(f.value) === first);
    return same
      ? outcome('multiple-objects', found[0]!.value, `${found.length} copies of the same object${tail}`, found.length)
      : outcome('multiple-objects', null, `${found.length} different JSON objects${tail}`, found.length);
  }
  if (found.length === 1) {
    const f = found[0]!;
    const where = /```/.test(t) ? 'in a fence with prose around it' : 'with prose around it';
    const repaired = f.repairs.length ? `, repaired: ${f.repairs.join(', ')}` : '';
    return outcome('prose-around-json', f.value, `one JSON object ${where}${repaired}${tail}`);
  }
  if (scan.unclosedAt !== null) return outcome('truncated', null, `an object opened at character ${scan.unclosedAt} never closes${cut ? ' (finish_reason length)' : ''}`);
  if (cut) return outcome('truncated', null, 'no JSON object before the length limit (finish_reason length)');
  if (scan.spans.length > 0) return outcome('not-json', null, `braces found but not JSON (${firstError ?? 'not an object'})`);
  return outcome('not-json', null, 'no JSON object in the answer');
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** Closing quote(s) for each opening quote the scanner and the repair accept. */
const QUOTE_CLOSE: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\u201c': '\u201d\u201c', // “ closes with ” (or “, which some tokenizers emit for both)
  '\u201d': '\u201d\u201c',
  '\u2018': '\u2019\u2018', // ‘ closes with ’
};

/**
 * Balanced-brace scanner: the spans of top-level `{...}` in a text. Outside an object nothing is a
 * string (prose apostrophes are not quotes); inside one, strings are skipped with their escapes,
 * so braces in strings do not count. `unclosedAt` is the start of an object still open at the end.
 */
export function scanObjects(text: string): { spans: { start: number; end: number }[]; unclosedAt: number | null } {
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  let close: string | null = null; // inside a string: the characters that close it
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (close !== null) {
      if (c === '\\') i++;
      else if (close.includes(c)) close = null;
      continue;
    }
    if (depth === 0) {
      if (c === '{') {
        depth = 1;
        start = i;
      }
      continue;
    }
    const q = QUOTE_CLOSE[c];
    if (q !== undefined) close = q;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) spans.push({ start, end: i + 1 });
    }
  }
  return { spans, unclosedAt: depth > 0 ? start : null };
}

/**
 * The small repair of `lenient-json`: rewrite single- and smart-quoted strings as JSON strings, escape
 * raw control characters in strings, drop trailing commas and comments, and map Python's True/False/None.
 * Returns the parsed object and the repairs made, or value null when the result still is not an object.
 */
export function repairJson(text: string): { value: JsonObject | null; repairs: string[] } {
  const repairs = new Set<string>();
  let out = '';
  let close: string | null = null;
  let open = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (close !== null) {
      if (c === '\\') {
        const next = text[i + 1] ?? '';
        if (open !== '"' && next === "'") out += "'";
        else out += c + next;
        i++;
      } else if (close.includes(c)) {
        out += '"';
        close = null;
      } else if (c === '"') out += '\\"';
      else if (c === '\n') {
        out += '\\n';
        repairs.add('raw newline in a string');
      } else if (c === '\r' || c === '\t') {
        out += c === '\r' ? '\\r' : '\\t';
        repairs.add('raw control character in a string');
      } else out += c;
      continue;
    }
    const q = QUOTE_CLOSE[c];
    if (q !== undefined) {
      if (c === "'") repairs.add('single quotes');
      else if (c !== '"') repairs.add('smart quotes');
      close = q;
      open = c;
      out += '"';
      continue;
    }
    if (c === '\uFEFF') {
      repairs.add('byte order mark');
      continue;
    }
    if (c === ',') {
      const j = skipBlank(text, i + 1);
      if (text[j] === '}' || text[j] === ']') {
        repairs.add('trailing comma');
        continue;
      }
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      repairs.add('comments');
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
      repairs.add('comments');
      continue;
    }
    const word = /^(True|False|None)\b/.exec(text.slice(i, i + 6));
    if (word && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      out += word[1] === 'True' ? 'true' : word[1] === 'False' ? 'false' : 'null';
      i += word[1]!.length - 1;
      repairs.add('Python literals');
      continue;
    }
    out += c;
  }
  const parsed = tryStrict(out);
  if (!parsed.ok || !isObject(parsed.value)) return { value: null, repairs: [...repairs] };
  return { value: parsed.value, repairs: [...repairs] };
}

/** Index of the next character that is not whitespace or a comment. */
function skipBlank(text: string, from: number): number {
  let j = from;
  for (;;) {
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text.startsWith('//', j)) {
      const nl = text.indexOf('\n', j);
      j = nl === -1 ? text.length : nl + 1;
    } else if (text.startsWith('/*', j)) {
      const end = text.indexOf('*/', j + 2);
      j = end === -1 ? text.length : end + 2;
    } else return j;
  }
}

const THINK_BLOCK = /^\s*(<(think|thinking|reasoning)>[\s\S]*?)?<\/(think|thinking|reasoning)>/i;

/** The answer without a leading reasoning block; an unclosed block leaves nothing. */
export function answerBody(text: string): string {
  const t = text.replace(/^\uFEFF/, '');
  const closed = THINK_BLOCK.exec(t);
  if (closed && (closed[1] !== undefined || !/^\s*[{`]/.test(t))) return t.slice(closed[0].length);
  if (/^\s*<(think|thinking|reasoning)>/i.test(t)) return '';
  return t;
}
