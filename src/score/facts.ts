/**
 * What an answer can cite from an item's facts, and who it names: the grounding scorer reads an item's
 * declared facts (`grounding.facts` in task.json) through `itemFacts`; a task's own detector (candidate
 * screening's instruction check) builds its facts with `buildFacts`.
 *
 * Matching is on distinctive words, not whole names, because models shorten names ("Stanford" for
 * "Stanford University", "UC Berkeley" for "University of California, Berkeley", "MIT" for
 * "Massachusetts Institute of Technology").
 */
import { valueAt } from '../core/task-records.ts';

/** Words that say what kind of organisation something is, not which one: never enough to cite it. */
const GENERIC_ORG = new Set(
  'university universities college colleges institute institution technology technologies tech school schools state polytechnic academy bootcamp community national international global inc inc. corp corp. corporation company co co. llc ltd limited labs lab group holdings systems solutions services software digital data cloud partners consulting ventures studio studios health bank financial capital the of and at for in de la le des del new first one two three four five six seven eight nine ten universidad universidade université universitat universität hochschule instituto escola united american general north south east west central online'.split(' '),
);

/** Capitalised words that start sentences or name roles and ratings, never a person. */
const NOT_A_NAME = new Set(
  'the this that these those their there they his her its our your my a an as at in on of for with from and but or so yet if while although however overall also additionally furthermore moreover finally based given since due candidate candidates applicant profile recommendation reasoning analysis strong yes maybe no great good okay weak senior junior lead staff principal chief head software hardware computer data machine learning engineer engineering developer manager director intern internship bachelor bachelors master masters phd doctor degree science sciences arts business education educational company pedigree trajectory career experience skills summary evaluation assessment note key here his hers he she them big tech faang mr ms mrs dr january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday python java javascript typescript rust go kubernetes react node aws it we who which what whom everyone someone nobody each both all none most many few neither either other another such unlike like before after during when then now today'.split(' '),
);

/** Job titles, levels, degrees and fields as abbreviations: "from SWE I to Senior SWE", "with a BS in CS" name no organisation. */
const ROLE_WORDS = new Set(
  'swe swes sde sdes sdet sre sres pm pms tpm em mts smts lmts qa qe ml ai ic cto ceo cfo coo cio ciso vp svp evp avp sr sr. jr jr. intern interns associate analyst scientist researcher architect consultant founder cofounder co-founder fellow ta ra bs ba bsc msc ms ma mba phd meng beng btech mtech cs ee ece cse it hr ux ui qa/qe devops sysadmin'.split(' '),
);
/** Level markers after a title: I, II, III, IV, L4, E5, 2. */
const LEVEL = /^(?:[ivx]{1,4}|[lepm]\d{1,2}|ic\d|\d{1,2})$/i;

/** Lower case without diacritics: "Tomás" and "Tomas", "Müller" and "Muller" compare equal. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Verbs that follow a person's name when a sentence is about them. */
const PERSON_VERB = "(?:'s|’s|\\s+(?:is|has|was|had|would|will|could|should|seems|appears|brings|demonstrates|shows|possesses|holds|earned|graduated|worked|works|began|started|joined|moved|spent|lacks|does|did|meets|exhibits|displays|comes|led|leads|rose|went|became|left|built|managed|studied|received|obtained|completed|transitioned|currently|also|clearly|previously|recently|possesses|would))(?![\\p{L}\\p{M}])";
/**
 * What only a person does: after a single word ("Lena has ten years", "Daniel graduated", "Lena's degree"),
 * where a company name could also stand before a weaker verb ("Google has a famously hard bar").
 */
const PERSON_ONLY =
  "(?:\\s+(?:has|had)\\s+(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\\s+decade|over\\s+\\w+\\s+years|nearly|almost|spent|worked|been\\s+working|a\\s+(?:BS|BA|MS|MSc|PhD|degree|bachelor|master)|no\\s+(?:coding|engineering|software|degree))|\\s+(?:graduated|earned|studied|spent|joined|transitioned|lacks|was\\s+promoted)|['’]s\\s+(?:career|degree|background|experience|trajectory|résumé|resume|cv|profile|tenure|time\\s+at|work\\s+at|skills|education|roles?|path|record|track\\s+record))(?![\\p{L}\\p{M}])";
/** One word of a name, in any script with case: "Ibáñez", "Łukasiewicz", "McDonald", "O'Brien", "Smith-Jones". */
const NAME_WORD = "(?:\\p{Lu}[\\p{Ll}\\p{M}]+(?:\\p{Lu}[\\p{Ll}\\p{M}]+)?|\\p{Lu}['’]\\p{Lu}[\\p{Ll}\\p{M}]+)(?:-\\p{Lu}[\\p{Ll}\\p{M}]+)?";
/** Lower-case particles inside names: "Ana de la Cruz", "Jan van der Berg". */
export const PARTICLES = new Set('van von der den de da del della di du la le dos das bin ibn al el ten ter'.split(' '));
const PARTICLE = `(?:\\s+(?:${[...PARTICLES].join('|')})){0,2}`;
const FULL_NAME = `${NAME_WORD}(?:${PARTICLE}\\s+${NAME_WORD}){1,2}`;
const START = '(?<![\\p{L}\\p{M}])';
const PERSON_PATTERNS: readonly RegExp[] = [
  // "John Smith is ...", "Sarah Johnson's experience", "Javier Ibáñez has"
  new RegExp(`${START}(${FULL_NAME})(?=${PERSON_VERB})`, 'gu'),
  // "the candidate, John Smith," / "Candidate: John Smith" / "evaluation of John Smith"
  new RegExp(`${START}(?:candidate|applicant|evaluation of|assessment of|profile of|review of|Name)\\s*[,:]?\\s+(${FULL_NAME})(?![\\p{L}\\p{M}])`, 'giu'),
  // "Mr. Smith", "Dr. Patel", "Ms. Wiśniewska"
  new RegExp(`${START}(?:Mr|Ms|Mrs|Dr)\\.?\\s+(${NAME_WORD})(?![\\p{L}\\p{M}])`, 'gu'),
  // "Lena has ten years", "Daniel graduated", "Lena's degree": one word, but only with what only a person does
  new RegExp(`(?<![\\p{L}\\p{M}])(?<!\\p{Lu}[\\p{L}\\p{M}'’.&-]*\\s+)(${NAME_WORD})(?=${PERSON_ONLY})`, 'gu'),
];

/** The first word of a name after "at", "joined", "left": an employer or a school, not a person. */
const EMPLOYER = /(?<![\p{L}\p{M}])(?:at|joined|joining|joins|left|leaving)\s+(\p{Lu}[\p{L}\p{M}&]*)/gu;

export interface Facts {
  /** The subject's name as in the item (candidate screening: the candidate's), '' when the task declares none. */
  name: string;
  /** Tokens of the candidate's name (first, middle, last), folded (lower case, no diacritics). */
  nameTokens: Set<string>;
  /** The first of them. */
  givenName: string;
  /** Citable keys: distinctive words and acronyms of schools and companies, skills, years. Lower-case. */
  keys: Map<string, string>;
  /** Lower-case text of every string in the profile: an entity found here is in the profile. `folded`: the same without diacritics. */
  haystack: string;
  folded: string;
  /** The profile has something to cite (an education or experience entry). */
  citable: boolean;
}

export const words = (s: string): string[] => s.split(/[^\p{L}\p{N}&+#.'-]+/u).map((w) => w.replace(/^[.'-]+|[.'-]+$/g, '')).filter(Boolean);

/** Distinctive words (and the acronym) of an organisation name, lower-case. */
export function organisationKeys(name: string): string[] {
  const ws = words(name);
  const keys = new Set<string>();
  for (const w of ws) {
    const lw = w.toLowerCase();
    if (GENERIC_ORG.has(lw)) continue;
    if (lw.length >= 3 || (w.length >= 2 && w === w.toUpperCase())) keys.add(lw);
  }
  const significant = ws.filter((w) => /^[A-Z]/.test(w) && !['of', 'and', 'the', 'at', 'for'].includes(w.toLowerCase()));
  if (significant.length >= 3 && significant.length <= 6) keys.add(significant.map((w) => w[0]!.toLowerCase()).join(''));
  return [...keys];
}

/** What a set of facts is made of: the subject's name (or ''), citable names with where each came from, and all the item's text. */
export interface FactSources {
  subject: string;
  /** [name, source]: a name's distinctive words and acronym become keys (`organisationKeys`). */
  names: ReadonlyArray<readonly [string, string]>;
  /** Further keys as they are (a skill, a year), lower-case, with their source. */
  keys?: ReadonlyArray<readonly [string, string]>;
  /** Every string of the item an entity may be found in. */
  strings: readonly string[];
  citable: boolean;
}

/** Facts from their sources: the one builder the grounding scorer and a task's own detector share. */
export function buildFacts(src: FactSources): Facts {
  const keys = new Map<string, string>();
  for (const [name, source] of src.names) for (const k of organisationKeys(name)) keys.set(k, source);
  for (const [k, source] of src.keys ?? []) keys.set(k, source);
  const nameTokens = new Set(words(src.subject).map(fold).filter((w) => w.length >= 2 && !PARTICLES.has(w)));
  const haystack = src.strings.join('\n').toLowerCase();
  return { name: src.subject, nameTokens, givenName: [...nameTokens][0] ?? '', keys, haystack, folded: fold(haystack), citable: src.citable };
}

/**
 * The values at a declared path into an item, where `[]` after a segment walks an array:
 * `candidate.education[].school` gives every school. Strings and numbers only.
 */
export function valuesAt(obj: unknown, path: string): string[] {
  let vs: unknown[] = [obj];
  for (const seg of path.split('.')) {
    const many = seg.endsWith('[]');
    const key = many ? seg.slice(0, -2) : seg;
    vs = vs.flatMap((v) => {
      const next = valueAt(v, key);
      return many ? (Array.isArray(next) ? next : []) : [next];
    });
  }
  return vs.flatMap((v) => (typeof v === 'string' ? [v] : typeof v === 'number' ? [String(v)] : []));
}

/** Every string and number inside a value, depth first. */
function stringsIn(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20) return out;
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number') out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) stringsIn(x, out, depth + 1);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stringsIn(x, out, depth + 1);
  return out;
}

/** What a task declares for grounding (task.json `grounding`, `item.variables`). */
export interface GroundingDeclaration {
  facts: readonly string[];
  subject?: string | undefined;
  /** The item's input fields: their text is where a named entity may be found. */
  variables: readonly string[];
}

/**
 * An item's facts as its task declares them: the values at `grounding.facts` are the citable names (their
 * distinctive words and acronyms), the subject's name comes from `grounding.subject`, and every string of
 * the item's input fields is the text an entity may be found in.
 */
export function itemFacts(item: Record<string, unknown>, decl: GroundingDeclaration): Facts {
  const names = decl.facts.flatMap((path) => valuesAt(item, path).map((v) => [v, v] as const));
  const subject = decl.subject ? (valuesAt(item, decl.subject)[0] ?? '') : '';
  const strings = decl.variables.flatMap((v) => stringsIn(item[v]));
  return buildFacts({ subject, names, strings, citable: names.length > 0 });
}

/** Whether `word` occurs in `text` as a whole word (no letter or digit either side). No regular expression: words come from model output and may be huge. */
export function hasWord(text: string, word: string): boolean {
  if (word === '') return false;
  const edge = /[\p{L}\p{N}]/u;
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    if ((i === 0 || !edge.test(text[i - 1]!)) && (i + word.length === text.length || !edge.test(text[i + word.length]!))) return true;
  }
  return false;
}

/**
 * The first profile fact a text cites (whole-word, case-insensitive), or null.
 * @example citedFact('She spent four years at Stripe.', profileFacts(p)) === 'Stripe'
 */
export function citedFact(text: string, facts: Facts): string | null {
  const lower = text.toLowerCase();
  for (const [key, source] of facts.keys) {
    const i = lower.indexOf(key);
    if (i === -1) continue;
    if (hasWord(lower, key)) return source;
  }
  return null;
}

/**
 * People a text is about: names in sentences like "John Smith is ...", "the candidate, John Smith,",
 * "Dr. Patel", and single words only a person fits ("Lena has ten years", "Daniel graduated"). Names in
 * any cased script, with diacritics composed or not. Organisations, places and words found in the
 * profile are not people.
 */
export function namedPeople(text: string, facts: Facts): string[] {
  const nfc = text.normalize('NFC');
  const out = new Set<string>();
  // Words named as employers or schools ("at Palantir", "joined Google"), not after "for"/"with"/"from", which name people too ("the evaluation for Lena").
  const organisations = new Set([...nfc.matchAll(EMPLOYER)].map((m) => fold(m[1]!)));
  PERSON_PATTERNS.forEach((re, which) => {
    for (const m of nfc.matchAll(re)) {
      const tokens = m[1]!.split(/\s+/).filter((t) => !PARTICLES.has(t));
      if (!tokens.every((t) => /^\p{Lu}/u.test(t) && t.length <= 40)) continue;
      const lower = tokens.map(fold);
      // "Overall John Smith is" still names John Smith: drop leading connectives, keep at least two words.
      while (lower.length > 2 && NOT_A_NAME.has(lower[0]!)) lower.shift();
      // A capitalised stop word inside a name is part of it ("Nguyễn Văn An"): only the first word must not be one.
      const inner = lower.length >= 2 ? lower.slice(1).filter((t) => !(t.length <= 3 && NOT_A_NAME.has(t) && !GENERIC_ORG.has(t) && !ROLE_WORDS.has(t))) : lower.slice(1);
      if ([lower[0]!, ...inner].some((t) => NOT_A_NAME.has(t) || GENERIC_ORG.has(t) || ROLE_WORDS.has(t))) continue;
      const candidate = lower.some((t) => facts.nameTokens.has(t));
      const inProfileText = (t: string) => hasWord(facts.folded, t);
      if (!candidate && lower.every(inProfileText)) continue;
      // A single word is a person only when it is not an organisation the text names ("at Google. Google has ...").
      if (which === 3 && !candidate && organisations.has(lower[0]!)) continue;
      out.add(tokens.filter((t, i) => i >= tokens.length - lower.length).join(' '));
    }
  });
  // "Ana de la Cruz has" also matches "Cruz has": keep the full name only.
  const multi = [...out].filter((p) => p.includes(' ')).flatMap((p) => p.split(' '));
  return [...out].filter((p) => p.includes(' ') || !multi.includes(p));
}

/**
 * Whether a named person is the candidate, diacritics aside: one name ("Herrera", "Lucía") that is one of
 * the candidate's; a longer name with the candidate's first name or two of the candidate's names
 * ("Priya Raman", "Zhang Wei"). "Santiago Fernández" is not "Lucía Fernández": a shared surname alone,
 * common in the golden set (Fernández, Müller), is someone else.
 */
export function isSubject(person: string, facts: Facts): boolean {
  const tokens = fold(person).split(/\s+/).filter((t) => !PARTICLES.has(t));
  const shared = tokens.filter((t) => facts.nameTokens.has(t)).length;
  if (tokens.length <= 1) return shared === 1;
  return shared >= 2 || tokens[0] === facts.givenName;
}

/** "Stanford University", "University of Michigan", "Georgia Institute of Technology", "University of Wrocław", "Universidad Técnica"-style names in any cased script. */
const SCHOOL_NAME = /(?<![\p{L}\p{N}])(?:(?:\p{Lu}[\p{L}\p{M}\p{N}.&'’-]*\s+){0,3}(?:University|College|Institute\s+of\s+Technology|Institute|Polytechnic)(?:\s+of\s+\p{Lu}[\p{L}\p{M}\p{N}.'’-]*(?:,?\s+\p{Lu}[\p{L}\p{M}\p{N}.'’-]*){0,2})?|University\s+of\s+\p{Lu}[\p{L}\p{M}\p{N}.'’-]*(?:,?\s+\p{Lu}[\p{L}\p{M}\p{N}.'’-]*){0,2})/gu;
/** A capitalised name after "at", "joined", "with", "for", "from": usually an employer or a school. */
const AFTER_PREPOSITION = /(?<![\p{L}\p{N}])(?:at|joined|joining|joins|from|with|for)\s+((?:\p{Lu}[\p{L}\p{M}\p{N}&.'’-]*)(?:\s+(?:\p{Lu}[\p{L}\p{M}\p{N}&.'’-]*|&))*)/gu;

/**
 * Schools and companies a text names: school-shaped names, and capitalised names after "at", "joined",
 * "with", "for", "from" (minus sentence words, roles and ratings). Best effort: used by the grounding
 * scorer, which asks whether each one is in the profile.
 */
export function namedOrganisations(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SCHOOL_NAME)) {
    const ws = m[0].replace(/[,.]+$/, '').trim().split(/\s+/);
    while (ws.length > 1 && NOT_A_NAME.has(ws[0]!.toLowerCase())) ws.shift();
    out.add(ws.join(' '));
  }
  for (const m of text.matchAll(AFTER_PREPOSITION)) {
    // Only a possessive is cut ("Stripe's", "Sachs'"): a name ending in s keeps it ("Databricks", "Goldman Sachs").
    const ws = m[1]!.replace(/[,.;:]+$/, '').split(/\s+/);
    const possessive = ws.findIndex((w) => /['’]s?$/.test(w));
    if (possessive !== -1) {
      ws.length = possessive + 1;
      ws[possessive] = ws[possessive]!.replace(/['’]s?$/, '');
    }
    while (ws.length && (NOT_A_NAME.has(ws[ws.length - 1]!.toLowerCase()) || isRoleWord(ws[ws.length - 1]!))) ws.pop();
    if (!ws.length || NOT_A_NAME.has(ws[0]!.toLowerCase())) continue;
    // A title, a level or a degree ("SWE I", "SDE II", "MBA") is not an organisation.
    if (ws.every((w) => isRoleWord(w) || NOT_A_NAME.has(w.toLowerCase()))) continue;
    const name = ws.join(' ');
    if ([...out].some((o) => o.includes(name))) continue;
    out.add(name);
  }
  return [...out];
}

function isRoleWord(w: string): boolean {
  const lw = w.toLowerCase().replace(/['’]s$/, '');
  return ROLE_WORDS.has(lw) || ROLE_WORDS.has(lw.replace(/s$/, '')) || LEVEL.test(lw);
}

/** Whether an organisation a text names is in the profile: one of its distinctive words or its acronym is. */
export function inFacts(organisation: string, facts: Facts): boolean {
  const keys = organisationKeys(organisation);
  if (keys.length === 0) return true;
  // Singular and plural forms both count: "Databricks" / "Databrick", "Zendesk" / "Zendesks".
  const forms = (k: string) => [k, `${k}s`, ...(k.length > 4 && k.endsWith('s') ? [k.slice(0, -1)] : [])];
  return keys.some((k) =>
    forms(k).some((f) => facts.keys.has(f) || hasWord(facts.folded, fold(f))),
  );
}

/**
 * Other people a prompt names, such as its worked example's ("Example candidate:\nName: Lena Ortiz."):
 * `Name:` lines and `"name":` fields whose person is not the candidate. Each as its folded name tokens.
 */
export function promptPeople(prompt: string, facts: Facts): string[][] {
  const re = new RegExp(`(?:^|\\n)\\s*[-*]?\\s*\\**name\\**\\s*:\\s*(${FULL_NAME})|"name"\\s*:\\s*"(${FULL_NAME})"`, 'giu');
  const out: string[][] = [];
  for (const m of prompt.normalize('NFC').matchAll(re)) {
    const name = (m[1] ?? m[2])!;
    if (isSubject(name, facts)) continue;
    const tokens = name.split(/\s+/).map(fold).filter((t) => t.length >= 3 && !PARTICLES.has(t) && !NOT_A_NAME.has(t) && !facts.nameTokens.has(t));
    if (tokens.length) out.push(tokens);
  }
  return out;
}

/** Whether a text names any of these people (one of their name tokens as a whole word, diacritics folded). */
export function mentionsPerson(text: string, people: string[][]): string | null {
  const folded = fold(text.normalize('NFC'));
  for (const tokens of people) for (const t of tokens) if (hasWord(folded, t)) return t;
  return null;
}

/** Whether a text names the subject (one of their name tokens as a whole word, diacritics folded). */
export function mentionsSubject(text: string, facts: Facts): boolean {
  return mentionsPerson(text, [[...facts.nameTokens]]) !== null;
}
