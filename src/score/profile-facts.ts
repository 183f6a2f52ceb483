/**
 * What an answer can cite from a candidate profile, and who it names. Shared by the instruction-following
 * check (wrong candidate, ungrounded reasoning) and the grounding scorer.
 *
 * Matching is on distinctive words, not whole names, because models shorten names ("Stanford" for
 * "Stanford University", "UC Berkeley" for "University of California, Berkeley", "MIT" for
 * "Massachusetts Institute of Technology").
 */
import type { CandidateProfile } from '../core/records.ts';

/** Words that say what kind of organisation something is, not which one: never enough to cite it. */
const GENERIC_ORG = new Set(
  'university universities college colleges institute institution technology technologies tech school schools state polytechnic academy bootcamp community national international global inc inc. corp corp. corporation company co co. llc ltd limited labs lab group holdings systems solutions services software digital data cloud partners consulting ventures studio studios health bank financial capital the of and at for in de la le des del new first one two three four five six seven eight nine ten universidad universidade université universitat universität hochschule instituto escola united american general north south east west central online'.split(' '),
);

/** Capitalised words that start sentences or name roles and ratings, never a person. */
const NOT_A_NAME = new Set(
  'the this that these those their there they his her its our your my a an as at in on of for with from and but or so yet if while although however overall also additionally furthermore moreover finally based given since due candidate candidates applicant profile recommendation reasoning analysis strong yes maybe no great good okay weak senior junior lead staff principal chief head software hardware computer data machine learning engineer engineering developer manager director intern internship bachelor bachelors master masters phd doctor degree science sciences arts business education educational company pedigree trajectory career experience skills summary evaluation assessment note key here his hers he she them big tech faang mr ms mrs dr january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday python java javascript typescript rust go kubernetes react node aws'.split(' '),
);

/** Verbs that follow a person's name when a sentence is about them. */
const PERSON_VERB = "(?:'s|’s|\\s+(?:is|has|was|had|would|will|could|should|seems|appears|brings|demonstrates|shows|possesses|holds|earned|graduated|worked|works|began|started|joined|moved|spent|lacks|does|did|meets|exhibits|displays|comes|led|leads|rose|went|became|left|built|managed|studied|received|obtained|completed|transitioned|currently|also|clearly|previously|recently|possesses|would))\\b";
const NAME_WORD = "[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?";
const PERSON_PATTERNS: readonly RegExp[] = [
  // "John Smith is ...", "Sarah Johnson's experience"
  new RegExp(`\\b(${NAME_WORD}(?:\\s+${NAME_WORD}){1,2})(?=${PERSON_VERB})`, 'g'),
  // "the candidate, John Smith," / "Candidate: John Smith" / "evaluation of John Smith"
  new RegExp(`\\b(?:candidate|applicant|evaluation of|assessment of|profile of|review of|Name)\\s*[,:]?\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){1,2})\\b`, 'gi'),
  // "Mr. Smith", "Dr. Patel"
  new RegExp(`\\b(?:Mr|Ms|Mrs|Dr)\\.?\\s+(${NAME_WORD})\\b`, 'g'),
];

export interface ProfileFacts {
  /** The candidate's name as in the profile. */
  name: string;
  /** Lower-case tokens of the candidate's name (first, middle, last). */
  nameTokens: Set<string>;
  /** Citable keys: distinctive words and acronyms of schools and companies, skills, years. Lower-case. */
  keys: Map<string, string>;
  /** Lower-case text of every string in the profile: an entity found here is in the profile. */
  haystack: string;
  /** The profile has something to cite (an education or experience entry). */
  citable: boolean;
}

const words = (s: string): string[] => s.split(/[^\p{L}\p{N}&+#.'-]+/u).map((w) => w.replace(/^[.'-]+|[.'-]+$/g, '')).filter(Boolean);

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

/** Extract what an answer could cite from a profile. */
export function profileFacts(p: CandidateProfile): ProfileFacts {
  const keys = new Map<string, string>();
  for (const e of p.education) for (const k of organisationKeys(e.school)) keys.set(k, e.school);
  for (const e of p.experience) for (const k of organisationKeys(e.company)) keys.set(k, e.company);
  for (const s of p.skills) if (s.trim().length >= 3) keys.set(s.trim().toLowerCase(), s);
  for (const e of p.education) for (const y of [e.start_year, e.end_year]) if (y !== null) keys.set(String(y), `${e.school} ${y}`);
  for (const e of p.experience) for (const d of [e.start, e.end]) if (d) keys.set(d.slice(0, 4), `${e.company} ${d.slice(0, 4)}`);
  const nameTokens = new Set(words(p.name).map((w) => w.toLowerCase()).filter((w) => w.length >= 2));
  const strings = [p.name, p.headline ?? '', p.location ?? '', ...p.skills];
  for (const e of p.education) strings.push(e.school, e.degree, e.field);
  for (const e of p.experience) strings.push(e.company, e.title, e.description);
  return { name: p.name, nameTokens, keys, haystack: strings.join('\n').toLowerCase(), citable: p.education.length + p.experience.length > 0 };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first profile fact a text cites (whole-word, case-insensitive), or null.
 * @example citedFact('She spent four years at Stripe.', profileFacts(p)) === 'Stripe'
 */
export function citedFact(text: string, facts: ProfileFacts): string | null {
  const lower = text.toLowerCase();
  for (const [key, source] of facts.keys) {
    const i = lower.indexOf(key);
    if (i === -1) continue;
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(key)}($|[^\\p{L}\\p{N}])`, 'u').test(lower)) return source;
  }
  return null;
}

/**
 * People a text is about: names in sentences like "John Smith is ...", "the candidate, John Smith,",
 * "Dr. Patel". Organisations, places and words found in the profile are not people.
 */
export function namedPeople(text: string, facts: ProfileFacts): string[] {
  const out = new Set<string>();
  for (const re of PERSON_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const name = m[1]!;
      const tokens = name.split(/\s+/);
      if (!tokens.every((t) => /^[A-Z]/.test(t))) continue;
      const lower = tokens.map((t) => t.toLowerCase());
      // "Overall John Smith is" still names John Smith: drop leading connectives, keep at least two words.
      while (lower.length > 2 && NOT_A_NAME.has(lower[0]!)) lower.shift();
      if (lower.some((t) => NOT_A_NAME.has(t) || GENERIC_ORG.has(t))) continue;
      const candidate = lower.some((t) => facts.nameTokens.has(t));
      if (!candidate && lower.every((t) => new RegExp(`(^|[^a-z])${escapeRegExp(t)}($|[^a-z])`).test(facts.haystack))) continue;
      out.add(lower.map((t) => t[0]!.toUpperCase() + t.slice(1)).join(' '));
    }
  }
  return [...out];
}

/** Whether a named person is the candidate: they share a name token (first or last name). */
export function isCandidate(person: string, facts: ProfileFacts): boolean {
  return person
    .toLowerCase()
    .split(/\s+/)
    .some((t) => facts.nameTokens.has(t));
}

/** "Stanford University", "University of Michigan", "Georgia Institute of Technology", "MIT"-style acronyms in school context. */
const SCHOOL_NAME = /\b(?:(?:[A-Z][\w.&'-]*\s+){0,3}(?:University|College|Institute\s+of\s+Technology|Institute|Polytechnic)(?:\s+of\s+[A-Z][\w.'-]*(?:,?\s+[A-Z][\w.'-]*){0,2})?|University\s+of\s+[A-Z][\w.'-]*(?:,?\s+[A-Z][\w.'-]*){0,2})/g;
/** A capitalised name after "at", "joined", "with", "for", "from": usually an employer or a school. */
const AFTER_PREPOSITION = /\b(?:at|joined|joining|joins|from|with|for)\s+((?:[A-Z][\w&.'-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w&.'-]*|&))*)/g;

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
    const ws = m[1]!.replace(/[,.'’s]+$/, '').split(/\s+/);
    while (ws.length && NOT_A_NAME.has(ws[ws.length - 1]!.toLowerCase())) ws.pop();
    if (!ws.length || NOT_A_NAME.has(ws[0]!.toLowerCase())) continue;
    const name = ws.join(' ');
    if ([...out].some((o) => o.includes(name))) continue;
    out.add(name);
  }
  return [...out];
}

/** Whether an organisation a text names is in the profile: one of its distinctive words or its acronym is. */
export function inProfile(organisation: string, facts: ProfileFacts): boolean {
  const keys = organisationKeys(organisation);
  if (keys.length === 0) return true;
  return keys.some((k) => facts.keys.has(k) || new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(k)}($|[^\\p{L}\\p{N}])`, 'u').test(facts.haystack));
}
