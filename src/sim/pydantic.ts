/**
 * Pydantic v2's lax-mode field checks, as vLLM's request models apply them: each reader returns the
 * coerced value (or null when absent/None) and records a pydantic-shaped error when the value does not
 * fit, with pydantic's type names and messages.
 */
import type { PydanticError } from './errors.ts';

export type Loc = (string | number)[];

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Python truthiness of a JSON value (`data.get(key)` in a `mode="before"` validator). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python's `repr` of a float (5 → `5.0`, 1e-7 → `1e-07`), as vLLM's f-string messages print them. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const s = String(x);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** Readers for one object's fields; errors accumulate in `errors`. */
export class Fields {
  readonly obj: Record<string, unknown>;
  readonly loc: Loc;
  readonly errors: PydanticError[];

  constructor(obj: Record<string, unknown>, loc: Loc, errors: PydanticError[]) {
    this.obj = obj;
    this.loc = loc;
    this.errors = errors;
  }

  private err(key: string, type: string, msg: string, input: unknown): null {
    this.errors.push({ type, loc: [...this.loc, key], msg, input });
    return null;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  bool(key: string): boolean | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return this.err(key, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
    }
    if (typeof v === 'number') return this.err(key, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
    return this.err(key, 'bool_type', 'Input should be a valid boolean', v);
  }

  int(key: string, bounds: { ge?: number; le?: number } = {}): number | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    let n: number | null = null;
    if (typeof v === 'boolean') n = v ? 1 : 0; // lax mode: a bool is an int
    else if (typeof v === 'number' && Number.isInteger(v)) n = v;
    else if (typeof v === 'number' && Number.isFinite(v)) return this.err(key, 'int_from_float', 'Input should be a valid integer, got a number with a fractional part', v);
    else if (typeof v === 'string') {
      if (/^\s*[+-]?\d+(\.0*)?\s*$/.test(v)) n = Number(v);
      else return this.err(key, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', v);
    } else return this.err(key, 'int_type', 'Input should be a valid integer', v);
    if (bounds.ge !== undefined && n < bounds.ge) {
      this.errors.push({ type: 'greater_than_equal', loc: [...this.loc, key], msg: `Input should be greater than or equal to ${bounds.ge}`, input: v, ctx: { ge: bounds.ge } });
      return null;
    }
    if (bounds.le !== undefined && n > bounds.le) {
      this.errors.push({ type: 'less_than_equal', loc: [...this.loc, key], msg: `Input should be less than or equal to ${bounds.le}`, input: v, ctx: { le: bounds.le } });
      return null;
    }
    return n;
  }

  float(key: string): number | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'boolean') return v ? 1 : 0; // lax mode: a bool is a number
    if (typeof v === 'string') {
      const n = Number(v.trim());
      if (v.trim() !== '' && Number.isFinite(n)) return n;
      return this.err(key, 'float_parsing', 'Input should be a valid number, unable to parse string as a number', v);
    }
    return this.err(key, 'float_type', 'Input should be a valid number', v);
  }

  str(key: string): string | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    return this.err(key, 'string_type', 'Input should be a valid string', v);
  }

  dict(key: string): Record<string, unknown> | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (isObject(v)) return v;
    return this.err(key, 'dict_type', 'Input should be a valid dictionary', v);
  }

  /** A list whose items are checked by `item` (an error per bad item, pydantic-style). */
  list<T>(key: string, item: (v: unknown, loc: Loc) => T | null): T[] | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) return this.err(key, 'list_type', 'Input should be a valid list', v);
    const out: T[] = [];
    v.forEach((x, i) => {
      const r = item(x, [...this.loc, key, i]);
      if (r !== null) out.push(r);
    });
    return out;
  }

  strItem = (v: unknown, loc: Loc): string | null => {
    if (typeof v === 'string') return v;
    this.errors.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v });
    return null;
  };

  intItem = (v: unknown, loc: Loc): number | null => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.errors.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: v });
    return null;
  };

  /** `str | list[str] | None` (e.g. `stop`): a union error names both members. */
  strOrList(key: string): string[] | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    this.errors.push({ type: 'string_type', loc: [...this.loc, key, 'str'], msg: 'Input should be a valid string', input: v });
    if (!Array.isArray(v)) this.errors.push({ type: 'list_type', loc: [...this.loc, key, 'list[str]'], msg: 'Input should be a valid list', input: v });
    else v.forEach((x, i) => typeof x !== 'string' && this.errors.push({ type: 'string_type', loc: [...this.loc, key, 'list[str]', i], msg: 'Input should be a valid string', input: x }));
    return null;
  }

  /** A `Literal[...]` of strings. */
  literal<T extends string>(key: string, allowed: readonly T[]): T | null {
    const v = this.obj[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    const expected = literalList(allowed);
    this.errors.push({ type: 'literal_error', loc: [...this.loc, key], msg: `Input should be ${expected}`, input: v, ctx: { expected } });
    return null;
  }
}

/** Pydantic's wording of a Literal's values: `'a', 'b' or 'c'`. */
export function literalList(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  return q.length === 1 ? q[0]! : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
