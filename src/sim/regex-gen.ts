/**
 * A string that matches a regular expression, for `structured_outputs.regex` (vLLM constrains the
 * whole answer to the pattern, so the answer must fully match it).
 *
 * A small generator of our own rather than a dependency (e.g. `randexp`, last released 2018): the
 * subset a structured-output regex uses is small, and a construct outside it must be refused with a
 * clear 400 naming it, not approximated. Supported: literals and escapes, `.`, `\d \w \s` and their
 * negations, character classes with ranges and negation, groups (capturing, `(?:)`, named `(?<n>)` /
 * `(?P<n>)`), alternation, quantifiers `* + ? {n} {n,} {n,m}` (greedy or lazy), and `^ $ \A \Z` at
 * the ends. Refused: lookarounds, backreferences, word boundaries, inline flags, atomic groups,
 * possessive quantifiers, Unicode properties. Every generated string is checked against the pattern.
 */
import type { Rng } from './prng.ts';

/** A construct the generator does not support, or a pattern that does not parse. */
export class RegexUnsupported extends Error {}

type Node =
  | { t: 'chars'; set: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'repeat'; node: Node; min: number; max: number };

/** Code-point ranges, possibly negated. */
interface CharSet {
  ranges: [number, number][];
  negated: boolean;
}

const DIGIT: [number, number][] = [[48, 57]];
const WORD: [number, number][] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const SPACE: [number, number][] = [[9, 13], [32, 32]];
const MAX_EXTRA_REPEATS = 3;

class Parser {
  private i = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new RegexUnsupported(`unbalanced \`)\` at position ${this.i}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atStart = this.i === 0;
      const atom = this.atom(atStart);
      if (atom === null) continue;
      items.push(this.quantified(atom));
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m || (m[1] === '' && !m[3])) return atom; // a literal `{`, as Python reads it
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw new RegexUnsupported(`bad repeat {${m[1]}${m[2] ?? ''}}: max below min`);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === '?') this.i++;
    else if (this.peek() === '+') throw new RegexUnsupported('possessive quantifiers');
    if ('*+?'.includes(this.peek() ?? '_') || /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      throw new RegexUnsupported(`a quantifier after a quantifier at position ${this.i}`);
    }
    if (max > 1 && hasUnboundedRepeat(atom)) throw new RegexUnsupported('nested unbounded quantifiers such as (a+)+ (exponential for a backtracking matcher)');
    return { t: 'repeat', node: atom, min, max };
  }

  private atom(atStart: boolean): Node | null {
    const c = this.src[this.i++]!;
    if (c === '^') {
      if (!atStart) throw new RegexUnsupported('`^` anywhere but at the start');
      return null;
    }
    if (c === '$') {
      if (this.i !== this.src.length) throw new RegexUnsupported('`$` anywhere but at the end');
      return null;
    }
    if (c === '.') return { t: 'chars', set: { ranges: [[32, 126]], negated: false } };
    if (c === '(') return this.group();
    if (c === '[') return { t: 'chars', set: this.charClass() };
    if (c === '\\') {
      const e = this.escape(false);
      return e === null ? null : { t: 'chars', set: e };
    }
    if (c === '*' || c === '+' || c === '?') throw new RegexUnsupported(`nothing to repeat at position ${this.i - 1}`);
    return { t: 'chars', set: { ranges: [[c.codePointAt(0)!, c.codePointAt(0)!]], negated: false } };
  }

  private group(): Node {
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i);
      let m: RegExpExecArray | null;
      if (rest.startsWith('?:')) this.i += 2;
      else if ((m = /^\?P?<([A-Za-z_]\w*)>/.exec(rest))) this.i += m[0].length;
      else if (/^\?(=|!|<=|<!)/.test(rest)) throw new RegexUnsupported('lookahead/lookbehind assertions');
      else if (rest.startsWith('?>')) throw new RegexUnsupported('atomic groups');
      else if (rest.startsWith('?P=')) throw new RegexUnsupported('backreferences');
      else throw new RegexUnsupported(`inline flags or group syntax \`(${rest.slice(0, 4)}\``);
    }
    const inner = this.alternation();
    if (this.peek() !== ')') throw new RegexUnsupported('an unterminated group');
    this.i++;
    return inner;
  }

  /** After a backslash. null = a zero-width anchor at an end (`\A`, `\Z`, `\z`). */
  private escape(inClass: boolean): CharSet | null {
    const c = this.src[this.i++];
    if (c === undefined) throw new RegexUnsupported('a trailing backslash');
    const set = (ranges: [number, number][], negated = false): CharSet => ({ ranges, negated });
    const one = (cp: number) => set([[cp, cp]]);
    switch (c) {
      case 'd': return set(DIGIT);
      case 'D': return set(DIGIT, true);
      case 'w': return set(WORD);
      case 'W': return set(WORD, true);
      case 's': return set(SPACE);
      case 'S': return set(SPACE, true);
      case 't': return one(9);
      case 'n': return one(10);
      case 'r': return one(13);
      case 'f': return one(12);
      case 'v': return one(11);
      case 'x': case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new RegexUnsupported(`a bad \\${c} escape`);
        this.i += len;
        return one(parseInt(hex, 16));
      }
      case 'A': case 'Z': case 'z':
        if (inClass) throw new RegexUnsupported(`\\${c} inside a class`);
        if (c === 'A' ? this.i !== 2 : this.i !== this.src.length) throw new RegexUnsupported(`\\${c} anywhere but at an end`);
        return null;
      case 'b': case 'B':
        if (inClass && c === 'b') return one(8);
        throw new RegexUnsupported('word boundaries (\\b, \\B)');
      case 'p': case 'P':
        throw new RegexUnsupported('Unicode property classes (\\p{...})');
      case 'k':
        throw new RegexUnsupported('backreferences');
      default:
        if (/\d/.test(c)) throw new RegexUnsupported('backreferences or octal escapes');
        if (/[A-Za-z]/.test(c)) throw new RegexUnsupported(`the escape \\${c}`);
        return one(c.codePointAt(0)!);
    }
  }

  private charClass(): CharSet {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const ranges: [number, number][] = [];
    const nested: CharSet[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw new RegexUnsupported('an unterminated character class');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let lo: number;
      this.i++;
      if (c === '\\') {
        const e = this.escape(true)!;
        if (e.negated || e.ranges.length !== 1 || e.ranges[0]![0] !== e.ranges[0]![1]) {
          nested.push(e);
          continue;
        }
        lo = e.ranges[0]![0];
      } else if (c === '[' && this.peek() === ':') throw new RegexUnsupported('POSIX classes ([:alpha:])');
      else lo = c.codePointAt(0)!;
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        let hi: number;
        const d = this.src[this.i++]!;
        if (d === '\\') {
          const e = this.escape(true)!;
          if (e.negated || e.ranges[0]![0] !== e.ranges[0]![1]) throw new RegexUnsupported('a class shorthand as a range end');
          hi = e.ranges[0]![0];
        } else hi = d.codePointAt(0)!;
        if (hi < lo) throw new RegexUnsupported('a character range out of order');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    for (const n of nested) {
      if (n.negated) ranges.push(...complement(n.ranges));
      else ranges.push(...n.ranges);
    }
    return { ranges, negated };
  }
}

function hasUnboundedRepeat(n: Node): boolean {
  if (n.t === 'repeat') return n.max === Infinity || hasUnboundedRepeat(n.node);
  if (n.t === 'seq') return n.items.some(hasUnboundedRepeat);
  if (n.t === 'alt') return n.options.some(hasUnboundedRepeat);
  return false;
}

/** Printable-ASCII ranges outside `ranges`. */
function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let cp = 32; cp <= 126; cp++) {
    if (ranges.some(([a, b]) => cp >= a && cp <= b)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

function pickChar(set: CharSet, rng: Rng): string {
  const ranges = set.negated ? complement(set.ranges) : set.ranges;
  if (ranges.length === 0) throw new RegexUnsupported('a character class no printable character matches');
  const usable = ranges;
  const total = usable.reduce((n, [a, b]) => n + (b - a + 1), 0);
  let k = rng.int(0, total - 1);
  for (const [a, b] of usable) {
    if (k <= b - a) return String.fromCodePoint(a + k);
    k -= b - a + 1;
  }
  return String.fromCodePoint(usable[0]![0]);
}

function generate(node: Node, rng: Rng, out: string[]): void {
  switch (node.t) {
    case 'chars':
      out.push(pickChar(node.set, rng));
      return;
    case 'seq':
      for (const n of node.items) generate(n, rng, out);
      return;
    case 'alt':
      generate(rng.pick(node.options), rng, out);
      return;
    case 'repeat': {
      const max = Number.isFinite(node.max) ? node.max : node.min + MAX_EXTRA_REPEATS;
      const n = rng.int(node.min, Math.min(max, node.min + MAX_EXTRA_REPEATS));
      for (let k = 0; k < n; k++) generate(node.node, rng, out);
    }
  }
}

/** The pattern as a JavaScript RegExp anchored at both ends (Python's `(?P<n>` spelled `(?<n>`). */
export function fullMatcher(pattern: string): RegExp {
  try {
    // Without the `u` flag, as Python reads a lone `{` as a literal; `{,n}` is Python's `{0,n}`.
    const js = pattern.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\[Zz]/g, '$').replace(/(^|[^\\])\{,(\d+)\}/g, '$1{0,$2}');
    return new RegExp(`^(?:${js})$`);
  } catch (e) {
    throw new RegexUnsupported(`the pattern does not compile (${(e as Error).message})`);
  }
}

/** Check a pattern is one the generator handles (and can meet); throws RegexUnsupported naming the construct. */
export function checkRegex(pattern: string, rng: Rng): void {
  stringMatching(pattern, rng);
}

/** A string fully matching `pattern`, drawn with `rng`. */
export function stringMatching(pattern: string, rng: Rng): string {
  const ast = new Parser(pattern).parse();
  const matcher = fullMatcher(pattern);
  for (let attempt = 0; attempt < 20; attempt++) {
    const out: string[] = [];
    generate(ast, rng.fork(`attempt-${attempt}`), out);
    const s = out.join('');
    if (matcher.test(s)) return s;
  }
  throw new RegexUnsupported('no matching string was found (the pattern may match nothing)');
}
