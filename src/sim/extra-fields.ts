/**
 * Fields a candidate-screening prompt asks for that the personas' own evaluation does not have (a team
 * that adds a dimension such as `analysis.communication` to its contract and its prompt). A model
 * reads the answer's shape from the prompt (its example answer or template) or, under constrained
 * decoding, from the schema, and fills every field it is shown; so does the simulator:
 *
 * - a rating on the contract's scale (Great/Good/Okay/Weak): the persona's judgement of the profile on
 *   the known dimension the field's name or description points to (school/degree → education,
 *   company/employer → company, promotion/career → trajectory, code/software → engineering), else its
 *   overall impression (the halo a reader carries to a dimension the profile says little about), plus
 *   the persona's own rating noise, deterministic per seed;
 * - another enum: one of its values, read best-first like the contract's scales, at the same latent;
 * - a number or boolean: the same latent on the range shown; free text: a short sentence citing the profile.
 *
 * Nothing here applies to a prompt that asks only for the known fields: the answers stay byte-identical.
 */
import { RATINGS } from '../tasks/candidate-screening/records.ts';
import type { Judgement, Level } from './knowledge.ts';
import { balancedObjects } from './profile.ts';
import type { Rng } from './prng.ts';
import type { PersonaContext } from './personas/types.ts';

/** One leaf of the answer the prompt or schema asks for. */
export interface ExtraField {
  path: string[];
  kind: 'rating' | 'enum' | 'text' | 'number' | 'boolean';
  /** Enum values (best first as written). */
  choices?: string[];
  min?: number;
  max?: number;
  integer?: boolean;
  /** What the prompt or schema says about the field (its rubric line or description). */
  about: string;
}

/** The persona's rating noise and how much it writes. */
export interface ExtraStyle {
  dimSd: number;
  temperature: number;
  verbose: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const RATING_SET = new Set<string>(RATINGS);

/** `"A" | "B" | "C"` templates and `<placeholder>` values written as JSON, so they parse. */
function lenientJson(text: string): unknown {
  const normalised = text
    .replace(/"([^"\n]*)"(\s*\|\s*"[^"\n]*")+/g, (m) => JSON.stringify([...m.matchAll(/"([^"\n]*)"/g)].map((x) => x[1]).join('|')))
    .replace(/:\s*(<[^>\n]*>|\[[^\]\n"]*\])/g, (_m, p: string) => `: ${JSON.stringify(p)}`);
  try {
    return JSON.parse(normalised);
  } catch {
    return undefined;
  }
}

function leavesOfExample(v: unknown, path: string[], out: ExtraField[]): void {
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) leavesOfExample(x, [...path, k], out);
    return;
  }
  if (typeof v === 'string') {
    const choices = v.includes('|') ? v.split('|').map((s) => s.trim()).filter(Boolean) : null;
    if (choices && choices.length > 1) out.push({ path, kind: choices.every((c) => RATING_SET.has(c)) ? 'rating' : 'enum', choices, about: '' });
    else out.push({ path, kind: RATING_SET.has(v) ? 'rating' : 'text', about: '' });
  } else if (typeof v === 'number') {
    const max = v <= 1 && !Number.isInteger(v) ? 1 : v <= 5 ? 5 : v <= 10 ? 10 : 100;
    out.push({ path, kind: 'number', min: max === 1 ? 0 : 1, max, integer: Number.isInteger(v), about: '' });
  } else if (typeof v === 'boolean') out.push({ path, kind: 'boolean', about: '' });
}

function resolve(root: Obj, s: Obj, depth = 0): Obj {
  if (depth > 16) return s;
  if (typeof s.$ref === 'string') {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(s.$ref);
    const defs = m ? root[m[1]!] : undefined;
    const target = m && isObj(defs) ? defs[decodeURIComponent(m[2]!)] : undefined;
    const { $ref: _r, ...rest } = s;
    return resolve(root, { ...(isObj(target) ? target : {}), ...rest }, depth + 1);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const rest = { ...s };
      delete rest[key];
      const merged = key === 'allOf' ? Object.assign({}, rest, ...branches.filter(isObj)) : { ...rest, ...(branches.find(isObj) ?? {}) };
      return resolve(root, merged, depth + 1);
    }
  }
  return s;
}

function leavesOfSchema(root: Obj, schema: Obj, path: string[], out: ExtraField[], depth: number): void {
  if (depth > 12) return;
  const s = resolve(root, schema);
  const about = typeof s.description === 'string' ? s.description : '';
  if (isObj(s.properties)) {
    for (const [k, p] of Object.entries(s.properties)) if (isObj(p)) leavesOfSchema(root, p, [...path, k], out, depth + 1);
    return;
  }
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((e) => typeof e === 'string')) {
    const choices = s.enum as string[];
    out.push({ path, kind: choices.length === RATINGS.length && choices.every((c) => RATING_SET.has(c)) ? 'rating' : 'enum', choices, about });
    return;
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'string') out.push({ path, kind: 'text', about });
  else if (type === 'number' || type === 'integer') {
    const min = typeof s.minimum === 'number' ? s.minimum : type === 'integer' ? 1 : 0;
    const max = typeof s.maximum === 'number' ? s.maximum : type === 'integer' ? 5 : 1;
    out.push({ path, kind: 'number', min, max, integer: type === 'integer', about });
  } else if (type === 'boolean') out.push({ path, kind: 'boolean', about });
}

/** The prompt's line about a field (`- communication: how clearly ...`), if any. */
function rubricLine(instructions: string, key: string): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^\\s*(?:[-*]|\\d+\\.)?\\s*\`?${escaped}\`?\\s*[:—–-]\\s*(.+)$`, 'mi').exec(instructions);
  return m ? m[1]! : '';
}

/**
 * Every leaf the prompt's answer example/template (an object with `recommendation` or `analysis`) or
 * the json_schema asks for. Which of them the persona lacks is decided against its evaluation.
 */
export function requestedFields(messages: readonly { role: string; content: string }[], profileText: string | null, schema: unknown): ExtraField[] {
  const all = messages.filter((m) => m.role === 'system' || m.role === 'user').map((m) => m.content).join('\n\n');
  const instructions = profileText ? all.replace(profileText, ' ') : all;
  const out: ExtraField[] = [];
  if (isObj(schema)) leavesOfSchema(schema, schema, [], out, 0);
  for (const span of balancedObjects(instructions)) {
    const v = lenientJson(span.text);
    if (isObj(v) && ('recommendation' in v || 'analysis' in v)) {
      const found: ExtraField[] = [];
      leavesOfExample(v, [], found);
      for (const f of found) if (!out.some((o) => o.path.join('.') === f.path.join('.'))) out.push(f);
      break;
    }
  }
  for (const f of out) {
    const subject = subjectOf(f.path);
    const line = rubricLine(instructions, subject);
    if (line) f.about = `${f.about} ${line}`.trim();
  }
  return out;
}

const LEAF_WORDS = /^(rating|score|level|value|grade|reasoning|reason|comment|explanation|justification|notes?|evidence)$/i;

/** The thing a leaf is about: `communication` for `analysis.communication.rating`. */
function subjectOf(path: string[]): string {
  const last = path[path.length - 1] ?? '';
  return LEAF_WORDS.test(last) && path.length > 1 ? path[path.length - 2]! : last;
}

const DIMENSION_CUES: [keyof Judgement['levels'], RegExp][] = [
  ['educational_pedigree', /school|degree|universit|educat|academic|studied|college/i],
  ['company_pedigree', /compan|employer|firm|organi[sz]ation/i],
  ['trajectory', /promot|progress|trajector|career|growth|seniorit/i],
  ['is_software_engineer', /\bcod(e|ing)\b|software|programm|hands-on|engineering work/i],
];

/** The latent (0 best .. 3 worst) a reader would rate this subject from. */
function latentFor(subject: string, about: string, j: Judgement): number {
  for (const text of [subject.replace(/_/g, ' '), about]) {
    const hits = DIMENSION_CUES.filter(([, re]) => re.test(text));
    if (hits.length === 1) return j.levels[hits[0]![0]];
  }
  // The overall impression on the rating scale: the recommendation's continuous score (0..4) mapped onto 0..3.
  return Math.max(0, Math.min(3, j.score * 1.45 * 0.75));
}

const label = (subject: string) => subject.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
const WORDS = ['excellent', 'good', 'adequate', 'weak'] as const;

function sentence(subject: string, level: Level | null, j: Judgement, rng: Rng, verbose: boolean): string {
  const f = j.facts;
  const where = `${f.currentTitle ?? 'their roles'}${f.currentCompany ? ` at ${f.currentCompany}` : ''}`;
  if (level === null) return `${f.name}: ${where}, about ${f.years} years of experience${f.school ? `, ${f.degree ?? 'a degree'} from ${f.school}` : ''}.`;
  const first = rng.pick([
    `${label(subject)} looks ${WORDS[level]} from ${f.firstName}'s ${f.years} years as ${where}.`,
    `Based on the work as ${where}, ${label(subject).toLowerCase()} appears ${WORDS[level]}.`,
  ]);
  return verbose ? `${first} The profile gives only indirect evidence for this.` : first;
}

function setMissing(root: Obj, path: string[], value: unknown): boolean {
  let at: Obj = root;
  for (const k of path.slice(0, -1)) {
    if (at[k] === undefined) at[k] = {};
    if (!isObj(at[k])) return false;
    at = at[k] as Obj;
  }
  const last = path[path.length - 1]!;
  if (last in at) return false;
  at[last] = value;
  return true;
}

function has(root: Obj, path: string[]): boolean {
  let at: unknown = root;
  for (const k of path) {
    if (!isObj(at)) return true; // under a value the persona already gives
    if (!(k in at)) return false;
    at = at[k];
  }
  return true;
}

/**
 * The evaluation with every requested field it lacks filled in (in place, appended after the known
 * fields). `rng` draws only for the added fields, so nothing else moves.
 */
export function fillExtraFields<T extends object>(evaluation: T, fields: readonly ExtraField[], j: Judgement, rng: Rng, style: ExtraStyle): T {
  const root = evaluation as Obj;
  const missing = fields.filter((f) => f.path.length > 0 && !has(root, f.path));
  if (missing.length === 0) return evaluation;
  const t = 1 + 0.3 * Math.max(0, Math.min(2, style.temperature));
  const levels = new Map<string, Level>();
  const noisy = (f: ExtraField): number => {
    const subject = subjectOf(f.path);
    const r = rng.fork(`extra:${f.path.join('.')}`);
    return latentFor(subject, f.about, j) + r.normal() * style.dimSd * t;
  };
  // Ratings and values first, so a sentence next to a rating can say what it rated.
  for (const f of missing.filter((x) => x.kind !== 'text')) {
    const x = Math.max(0, Math.min(3, noisy(f)));
    let value: unknown;
    if (f.kind === 'rating' || f.kind === 'enum') {
      const choices = f.choices ?? [...RATINGS];
      value = choices[Math.round((x / 3) * (choices.length - 1))];
      if (f.kind === 'rating') levels.set(f.path.slice(0, -1).join('.') || f.path.join('.'), Math.round(x) as Level);
    } else if (f.kind === 'number') {
      const min = f.min ?? 0;
      const max = f.max ?? 1;
      const n = max - (x / 3) * (max - min);
      value = f.integer ? Math.round(n) : Math.round(n * 100) / 100;
    } else value = x <= 1.5;
    setMissing(root, f.path, value);
  }
  for (const f of missing.filter((x) => x.kind === 'text')) {
    const subject = subjectOf(f.path);
    const level = levels.get(f.path.slice(0, -1).join('.')) ?? null;
    setMissing(root, f.path, sentence(subject, level, j, rng.fork(`extra-text:${f.path.join('.')}`), style.verbose));
  }
  return evaluation;
}

/** A persona's evaluation with the fields the prompt (or schema) asks for and it lacks; unchanged when there are none. */
export function withRequestedFields<T extends object>(evaluation: T, ctx: PersonaContext, dimSd: number, verbose: boolean): T {
  if (!ctx.judgement || !ctx.extraFields || ctx.extraFields.length === 0) return evaluation;
  return fillExtraFields(evaluation, ctx.extraFields, ctx.judgement, ctx.rng.fork('extra-fields'), { dimSd, temperature: ctx.temperature, verbose });
}
