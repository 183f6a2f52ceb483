/**
 * Structured outputs: turn a persona's suggested answer into a value that meets a JSON schema, the
 * way guided decoding forces a model's tokens into the grammar. Members the schema allows keep the
 * persona's values; anything else is replaced by the nearest allowed value.
 * Supports the JSON Schema subset guided decoding backends support: type, enum, const, properties,
 * required, additionalProperties, items, minItems, minLength, maxLength, minimum, maximum, $ref to
 * #/$defs or #/definitions, anyOf/oneOf/allOf (first branch).
 */

type Schema = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function resolveRef(root: Schema, ref: string): Schema {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? root[m[1]!] : undefined;
  const target = m && isObject(defs) ? defs[decodeURIComponent(m[2]!)] : undefined;
  return isObject(target) ? target : {};
}

/** A value meeting `schema`, as close to `suggestion` as the schema allows. */
export function conformToSchema(schema: unknown, suggestion: unknown): unknown {
  const root = isObject(schema) ? schema : {};
  return fill(root, root, suggestion, 0);
}

function fill(root: Schema, s: Schema, v: unknown, depth: number): unknown {
  if (depth > 32) return null;
  if (typeof s.$ref === 'string') return fill(root, { ...resolveRef(root, s.$ref), ...withoutRef(s) }, v, depth + 1);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const rest = { ...s };
      delete rest[key];
      const merged = key === 'allOf' ? Object.assign({}, rest, ...branches.filter(isObject)) : { ...rest, ...(branches.find(isObject) ?? {}) };
      return fill(root, merged, v, depth + 1);
    }
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.find((e) => e === v) ?? nearestEnum(s.enum, v);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? s.type[0]) : s.type;
  const inferred = type ?? (isObject(s.properties) ? 'object' : s.items ? 'array' : typeof v === 'string' ? 'string' : undefined);
  switch (inferred) {
    case 'object':
      return fillObject(root, s, v, depth);
    case 'array': {
      const items = isObject(s.items) ? s.items : {};
      const src = Array.isArray(v) ? v : [];
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
      const out = src.slice(0, max).map((x) => fill(root, items, x, depth + 1));
      while (out.length < min) out.push(fill(root, items, undefined, depth + 1));
      return out;
    }
    case 'string': {
      let str = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
      const min = typeof s.minLength === 'number' ? s.minLength : 0;
      if (str.length < min) str = (str ? `${str} ` : '') + 'No further details are given in the profile.'.repeat(Math.ceil(min / 40) || 1);
      if (typeof s.maxLength === 'number') str = str.slice(0, s.maxLength);
      return str;
    }
    case 'integer':
    case 'number': {
      let n = typeof v === 'number' ? v : Number.parseFloat(String(v));
      if (!Number.isFinite(n)) n = typeof s.minimum === 'number' ? s.minimum : 0;
      if (typeof s.minimum === 'number') n = Math.max(n, s.minimum);
      if (typeof s.maximum === 'number') n = Math.min(n, s.maximum);
      return inferred === 'integer' ? Math.round(n) : n;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : false;
    case 'null':
      return null;
    default:
      return v === undefined ? null : v;
  }
}

function withoutRef(s: Schema): Schema {
  const { $ref: _r, ...rest } = s;
  return rest;
}

function fillObject(root: Schema, s: Schema, v: unknown, depth: number): Record<string, unknown> {
  const src = isObject(v) ? v : {};
  const props = isObject(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const [k, ps] of Object.entries(props)) {
    if (k in src || required.includes(k)) out[k] = fill(root, isObject(ps) ? ps : {}, src[k], depth + 1);
  }
  for (const k of required) if (!(k in out)) out[k] = fill(root, {}, src[k], depth + 1);
  if (s.additionalProperties !== false && !isObject(s.properties)) {
    for (const [k, x] of Object.entries(src)) if (!(k in out)) out[k] = x;
  }
  return out;
}

/** The enum member closest to the suggestion (shared words, then the middle of the scale). */
function nearestEnum(options: unknown[], v: unknown): unknown {
  if (typeof v === 'string') {
    const words = v.toLowerCase().split(/\W+/).filter(Boolean);
    let best: unknown = undefined;
    let bestScore = 0;
    for (const o of options) {
      if (typeof o !== 'string') continue;
      const ow = o.toLowerCase().split(/\W+/);
      const shared = words.filter((w) => ow.includes(w)).length;
      const score = shared === 0 ? 0 : shared + shared / Math.max(ow.length, 1);
      if (score > bestScore) {
        bestScore = score;
        best = o;
      }
    }
    if (best !== undefined) return best;
  }
  return options[Math.floor(options.length / 2)];
}
