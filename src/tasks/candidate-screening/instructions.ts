/**
 * Did the model do the task? The instruction-following check, with a named class for each way small
 * models fail it. Measured against the hand-labelled corpus in test/fixtures/instruction-corpus.ts
 * (test/unit/score-instruction-corpus.test.ts reports precision and recall per class).
 *
 * The wrapping of a real answer (fences, prose around it, `<think>` tags) is not judged here:
 * json-strict does that. This check asks whether there is an answer at all, and whether it is about
 * this candidate.
 */
import type { CandidateProfile } from './records.ts';
import { answerBody, parseResponse, type ParseOutcome } from '../../score/parse.ts';
import { citedFact, isCandidate, mentionsCandidate, mentionsPerson, namedPeople, profileFacts, promptPeople, type ProfileFacts } from './profile-facts.ts';
import { findRepetition } from '../../score/repetition.ts';

/** Verdict classes: `followed`, then the failures, then `truncated` (cannot judge). */
export const INSTRUCTION_CLASSES = [
  /** An answer about this candidate that cites the profile. */
  'followed',
  /** Hands the task back: asks the reader to fill in fields, complete a template ("Your turn!") or provide the candidate's details. */
  'fill-in-request',
  /**
   * Placeholders instead of an assessment, JSON or not: bracketed slots of any length (`[Your reasoning here]`,
   * `<Explain the candidate's career progression>`, `<company name>` inside a sentence, `{{reasoning}}`), `____`,
   * the scale as a value ("One of Great, Good, Okay or Weak"), a description of the field copied in as its value
   * ("One sentence of evidence from the profile."), or half the fields left empty or null (the skeleton).
   */
  'template',
  /** Prose (or markdown) instead of a JSON object, including answers that start with a stray word fragment. */
  'prose',
  /** Declines the task. */
  'refusal',
  /** Asks a clarifying question (role, level, criteria) instead of answering. */
  'question-back',
  /** Repeats the prompt (instructions, profile listing) instead of answering. */
  'prompt-echo',
  /** A degenerate loop. */
  'repetition',
  /** Nothing, or only a reasoning block. */
  'empty',
  /** About a different person than the profile's candidate (names with diacritics too; a first name alone when only a person fits, as in a copy of the prompt's worked example). */
  'wrong-candidate',
  /** The answer cites nothing from the profile (no school, company, skill or year), or its top-level reasoning is a non-answer ("N/A", "None", "", "-") whatever the dimension notes cite. */
  'ungrounded',
  /** Two or more JSON objects, different ones or the same one written again: the prompt asks for one and nothing after it. */
  'multiple-answers',
  /** Cut off (finish_reason `length`) before the answer could be judged: `followed` null here; the follows-instructions scorer counts it 0. */
  'truncated',
] as const;
export type InstructionClass = (typeof INSTRUCTION_CLASSES)[number];

export interface InstructionVerdict {
  class: InstructionClass;
  /** true for `followed`, null for `truncated` (cannot judge), false for every failure. */
  followed: boolean | null;
  /** A short reason, quoting what was found (model text: escape before rendering). */
  reason: string;
}

export interface CheckInstructionsOptions {
  /** The response's finish_reason; `length` makes an unjudgeable answer `truncated`. */
  finishReason?: string | null;
  /** The answer already parsed by `parseResponse` (saves a second parse). */
  parsed?: ParseOutcome;
  /**
   * The prompt text the model saw, when known: a long copy of it is a `prompt-echo`, and an answer naming a
   * person the prompt names who is not the candidate (its worked example's) is `wrong-candidate`.
   */
  prompt?: string;
}

const verdict = (cls: InstructionClass, reason: string): InstructionVerdict => ({ class: cls, followed: cls === 'followed' ? true : cls === 'truncated' ? null : false, reason });

const QUOTE_MAX = 50;
function quote(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > QUOTE_MAX ? `${t.slice(0, QUOTE_MAX)}…` : t);
}

/** Asks the reader to do the work, or to supply the candidate data the prompt already holds. */
const FILL_IN: readonly RegExp[] = [
  /\b(fill(ed)?\s+(it\s+|them\s+)?(in|out)|complete)\s+(the\s+|these\s+|this\s+|those\s+|each\s+|all\s+|your\s+|following\s+|below\s+|above\s+|required\s+|missing\s+|json\s+|remaining\s+)*(fields?|template|blanks?|form|placeholders?|values?|ratings?|sections?|details|json|information|brackets?|object|format|evaluation template)\b/i,
  /\b(please\s+|you\s+can\s+|you\s+should\s+|simply\s+)?fill\s+(in|out)\s+(the|these|this|each|your|all)\b/i,
  /\breplace\s+(the\s+|each\s+|all\s+|these\s+)?(placeholders?|bracketed|brackets|text in brackets|values? (in|with))/i,
  /\b(provide|share|paste|send|give|include|tell)\s+(me\s+)?(with\s+)?(the\s+|a\s+|your\s+|their\s+|more\s+|some\s+)?(candidate'?s?'?\s+(profile|resume|cv|details|information|background|education|experience)|(profile|resume|cv)\s+(of|for)\s+the\s+candidate|details\s+(about|of|on)\s+the\s+candidate|information\s+(about|on)\s+the\s+candidate)/i,
  /\bI\s+(don'?t|do\s+not|can'?t|cannot|couldn'?t)\s+see\s+(a|the|any)\s+(candidate('s)?\s+)?(profile|resume|cv|candidate)/i,
  /\b(no|missing)\s+candidate\s+(profile|information|details)\s+(was|were|has been|is)\s+(provided|included|given|shared)/i,
  /\bI\s+need\s+(more\s+|some\s+|additional\s+)?(information|details)\s+about\s+the\s+candidate\b/i,
  /\b(you\s+can|you\s+could|feel\s+free\s+to)\s+use\s+(this|the\s+following|the\s+above)\s+(template|format|structure)\b/i,
  /\b(now\s+)?(it'?s\s+|it\s+is\s+)?your\s+turn\b|\bover\s+to\s+you\b/i,
  /\b(plug|put|type|write|enter)\s+in\s+(your|the)\s+(own\s+)?(ratings?|reasoning|values?|answers?|assessment|evaluation|details)\b/i,
];

/** Declines the task. */
const REFUSAL: readonly RegExp[] = [
  /\bI(\s+am\s+|'m\s+|\s+)(unable\s+to|not\s+able\s+to|can(no|')?t|won'?t|will\s+not|must\s+decline\s+to|(do\s+not|don'?t)\s+feel\s+comfortable)\s+(help\s+with\s+)?(make|making|provide|providing|give|giving|offer|evaluate|evaluating|assess|assessing|rate|rating|judge|judging|comply|do\s+that|help|assist|recommend|screen|screening)\b/i,
  /\bas\s+an\s+AI\b/i,
  /\b(it\s+would\s+(not|n't)\s+be|it\s+is\s+not|it's\s+not)\s+(appropriate|ethical|fair)\s+(for\s+me\s+)?to\s+(evaluate|judge|rate|recommend|make)/i,
  /\bI'm\s+sorry,?\s+but\s+I\b/i,
  /\bagainst\s+my\s+(guidelines|policy|principles)\b/i,
];

/** A question to the reader. */
const QUESTION = /[^?.!\n]{3,}\?/;

/** The answer states a verdict in prose: it answered, just not as JSON. */
const PROSE_VERDICT = /\b(recommend(ation)?|verdict|decision)\b[^.\n]{0,30}\b(strong\s+yes|strong\s+no|yes|no|maybe|hire|do\s+not\s+hire)\b|\b(strong\s+yes|strong\s+no)\b|\bI\s+(would\s+)?(strongly\s+)?(recommend|suggest)\s+(hiring|moving|advancing|proceeding|rejecting|passing)/i;

/** Instructions a prompt gives and an answer never does. */
const ECHO_PHRASES: readonly RegExp[] = [
  /\byou\s+are\s+(an?\s+)?([\w-]+\s+){0,3}(recruiter|assistant|screener|evaluator|hiring\s+manager|interviewer)\b/i,
  /\b(respond|answer|reply)\s+(only\s+)?with\s+(a\s+|one\s+|only\s+)?(single\s+)?(valid\s+)?JSON\b/i,
  /\breturn\s+(only\s+)?(a\s+|one\s+)?(single\s+)?(valid\s+)?JSON(\s+object)?\b/i,
  /\bdo\s+not\s+(include|add|write|output)\s+(any\s+)?(other\s+)?(text|prose|explanation|markdown|commentary)/i,
  /\b(evaluate|assess|screen|review)\s+the\s+(following|candidate\s+below|profile\s+below)\b/i,
  /\bmust\s+(match|follow|conform\s+to)\s+(this|the\s+following)\s+(schema|format)\b/i,
  /^\s*#*\s*(candidate\s+profile|instructions|output\s+format|task)\s*:?\s*$/im,
  /\bUse\s+exactly\s+(these|the\s+following)\b/i,
];
const PROFILE_HEADERS = /^\s*[-*]*\s*\**(name|headline|location|education|experience|work\s+experience|skills)\**\s*:/gim;

/** A placeholder in a string value: the whole value is a slot, or it holds a bracketed instruction or a blank. */
const PLACEHOLDER_VALUE =
  /^\s*(\[[^\]\n]{2,200}\]|<[^<>\n]{2,200}>|\([^()\n]{2,80}\)|[^\n]{0,40}\b(goes|go)\s+here\b[^\n]{0,20}|\{\{?[^{}\n]{2,200}\}?\}|_{3,}|\.{3}|…|string|text|TBD|TODO|(Strong Yes|Yes|Maybe|No|Strong No)(\s*[|/,]\s*(Strong Yes|Yes|Maybe|No|Strong No)){2,}|(Great|Good|Okay|Weak)(\s*[|/,]\s*(Great|Good|Okay|Weak)){2,}|(explain|describe|provide|insert|add|enter|write|justify|summari[sz]e)\s+(your|the|a|brief|short|why)\b.{0,70})\s*$|\[(your|insert|add|brief|explain|reasoning|rating|recommendation|enter|describe|candidate|provide|list|justify|write|give|summari[sz]e|one\s+sentence|short|number|company|school|name)[^\]]*\]|<(your|insert|rating|recommendation|reasoning)[^<>]*>|\{\{[^{}\n]{1,200}\}\}|_{4,}/i;
const PLACEHOLDER_TEXT = /\[(your|insert|add|brief|explain|enter|describe|candidate'?s?)[^\]\n]{0,60}\]|\[(Strong Yes|Great)\s*[/|,]\s*[^\]\n]{0,60}\]|<(rating|recommendation|reasoning|your[^<>\n]{0,40})>|_{4,}/i;

/** Words that name a slot when alone in angle brackets: `<rating>`, `<company>`. */
const SLOT_WORD = /^(rating|recommendation|reasoning|name|company|school|university|employer|number|years?|score|value|text|explanation|justification|summary|degree|title|role|language|skills?|date|string|answer|verdict|decision)$/i;

/**
 * An angle-bracket slot inside a value, of any length: `<number>`, `<company name>`, `<one sentence on the
 * trajectory>`. Not a comparison or an arrow (`<5 years`, `Stripe -> Datadog`, `(<2y) vs (>4y)`), nor markup
 * (`<b>`, `</b>`, `<a href="...">`).
 */
function angleSlot(value: string): string | null {
  for (const m of value.matchAll(/<([^<>\n]{2,200})>/g)) {
    const inner = m[1]!;
    if (/^[\s/!=-]/.test(inner) || /[\s=-]$/.test(inner) || /[="]/.test(inner)) continue;
    if (!balanced(inner)) continue;
    if (/\s/.test(inner) || SLOT_WORD.test(inner) || /^[a-z]+_[a-z_]+$/i.test(inner)) return m[0];
  }
  return null;
}

/** Parentheses close in order: `(a) b` yes, `2y) vs (` no (the text between a `<` and a `>` that are not a slot). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A description of what belongs in the field instead of its content, as in a schema or a prompt: "One sentence
 * of evidence from the profile.", "Two to five sentences that justify the recommendation", "A brief explanation
 * of the decision", "Ordinal rating of one dimension, best to worst.".
 */
const DESCRIPTION =
  /^\s*(an?\s+|one\s+|two\s+|three\s+|\d+\s*(-|to)\s*\d+\s+|(one|two|three)\s+to\s+(two|three|four|five|six)\s+)?(short\s+|brief\s+|concise\s+|detailed\s+|overall\s+)?(sentences?|paragraphs?|explanation|justification|summary|description|rationale|ordinal\s+rating|rating|assessment|reasoning)(\s+(of|for|that|explaining|justifying|describing|citing|on|about|from|why|with)\b[^\n]{0,150})?[.]?\s*$|\bordinal\s+(scale|rating)\b|\bfrom\s+best\s+to\s+worst\b|^\s*(one|two|three|four|five)\s+(to\s+\w+\s+)?(sentences?|words?)\b/i;

const RECOMMENDATIONS = ['strong yes', 'yes', 'maybe', 'no', 'strong no'];
const RATINGS = ['great', 'good', 'okay', 'weak'];
/** The scale itself as a value: "One of Great, Good, Okay or Weak", "Strong Yes, Yes, Maybe, No, or Strong No". */
function enumList(value: string): boolean {
  if (value.length > 120) return false;
  const lower = value.toLowerCase();
  for (const scale of [RECOMMENDATIONS, RATINGS]) {
    const rest = [...scale].sort((a, b) => b.length - a.length).reduce((t, w) => t.replace(new RegExp(`\\b${w}\\b`, 'g'), ' '), lower);
    const distinct = scale.filter((w) => new RegExp(`\\b${w}\\b`).test(lower)).length;
    if (distinct >= 3 && rest.replace(/\b(one\s+of|either|or|choose|select|pick|from|the|following|values?)\b|[\s,|/.:;()"'-]/g, '') === '') return true;
  }
  return false;
}

/** A string value that is a placeholder, not an assessment; `facts` keeps a description that cites the profile an answer. */
function placeholderIn(value: string, facts: ProfileFacts | null): boolean {
  if (PLACEHOLDER_VALUE.test(value) || angleSlot(value) !== null || enumList(value)) return true;
  return DESCRIPTION.test(value) && (facts === null || (citedFact(value, facts) === null && namedPeople(value, facts).length === 0));
}

/** The first placeholder among an object's string values. */
function findPlaceholder(value: unknown, facts: ProfileFacts | null, depth = 0): string | null {
  if (depth > 6) return null;
  if (typeof value === 'string') return placeholderIn(value, facts) ? value : null;
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) {
      const found = findPlaceholder(v, facts, depth + 1);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Leaves of an object: strings and nulls (numbers and booleans are answers, not slots). */
function leaves(value: unknown, out: (string | null)[] = [], depth = 0): (string | null)[] {
  if (depth > 6) return out;
  if (typeof value === 'string' || value === null) out.push(value);
  else if (typeof value === 'object') for (const v of Object.values(value as Record<string, unknown>)) leaves(v, out, depth + 1);
  return out;
}

/** The skeleton: at least half of the fields (and two or more) left empty or null. */
function blankSkeleton(value: Record<string, unknown>): string | null {
  const all = leaves(value);
  const blank = all.filter((v) => v === null || v.trim() === '').length;
  return blank >= 2 && blank * 2 >= all.length ? `${blank} of ${all.length} fields left empty` : null;
}

/** The top-level reasoning as a non-answer: "N/A", "n/a - see below", "None.", "Not applicable", "-", "". */
const NON_ANSWER =
  /^\s*((n\s*\/\s*a|n\.a\.?|none|null|nil|nothing|not\s+applicable|not\s+available|no\s+(reasoning|comment|explanation)s?(\s+(given|provided))?|see\s+(below|above|(the\s+)?analysis(\s+below)?)|tbd)(?=\s*($|[.,;:!()–—-]))|[-–—.…*_\s]*$)/i;
function nonAnswerReasoning(value: Record<string, unknown>): string | null {
  const r = value['reasoning'];
  if (typeof r !== 'string' || r.length > 80) return null;
  return NON_ANSWER.test(r) ? r : null;
}

/** Every string value of an object, joined: what the answer says. */
function stringsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof value === 'string') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value as Record<string, unknown>)) stringsOf(v, out, depth + 1);
  return out;
}

function firstMatch(text: string, res: readonly RegExp[]): string | null {
  for (const re of res) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  return null;
}

/** Evidence that the answer repeats the prompt: instruction phrases, a profile listing, a long copy of the prompt. */
function echoEvidence(body: string, prompt: string | undefined): string | null {
  if (prompt && prompt.length >= 200) {
    const probe = longestSharedRun(body, prompt);
    if (probe.length >= 160) return `copies ${probe.length} characters of the prompt`;
  }
  const phrases = ECHO_PHRASES.map((re) => re.exec(body)?.[0]).filter((x): x is string => x !== undefined);
  const headers = new Set([...body.matchAll(PROFILE_HEADERS)].map((m) => m[1]!.toLowerCase()));
  const score = phrases.length + (headers.size >= 3 ? 1 : 0);
  if (score < 2) return null;
  const parts = [...phrases.slice(0, 2).map(quote), ...(headers.size >= 3 ? [`a profile listing (${[...headers].join(', ')})`] : [])];
  return `repeats the prompt: ${parts.join(', ')}`;
}

/** A long stretch of `a` copied from `b`, by sampling 80-character windows of `a`. */
function longestSharedRun(a: string, b: string): string {
  const W = 80;
  let best = '';
  for (let i = 0; i + W <= a.length; i += 40) {
    const at = b.indexOf(a.slice(i, i + W));
    if (at === -1) continue;
    let len = W;
    while (i + len < a.length && at + len < b.length && a[i + len] === b[at + len]) len++;
    if (len > best.length) best = a.slice(i, i + len);
  }
  return best;
}

/** A leading word fragment on its own line (a tokenizer or chat-template artifact), e.g. `ing`. */
const STRAY_FRAGMENT = /^\s*([a-z]{1,12}|[^\s\w{[<`"'*#]{1,4}[a-z]{0,8})\s*\n/;

/**
 * Judge whether an answer does the task: the class of the first failure found, or `followed`.
 * Order: empty, repetition, then for a recovered object placeholders or an empty skeleton (fill-in request,
 * echoed or plain template), the object written more than once, a non-answer as the reasoning, the person it
 * is about (and, with `opts.prompt`, a person the prompt names), grounding; for text, fill-in request, template, refusal, echo,
 * question, truncation, prose.
 * @param profile the candidate profile the prompt showed; null skips the wrong-candidate and grounding checks.
 * @example checkInstructions('{"reasoning": "[Your reasoning here]", ...}', profile).class === 'template'
 */
export function checkInstructions(text: string, profile: CandidateProfile | null, opts: CheckInstructionsOptions = {}): InstructionVerdict {
  const finish = opts.finishReason ?? null;
  const parsed = opts.parsed ?? parseResponse(text, finish);
  const body = answerBody(text);
  if (text.trim() === '') return verdict('empty', 'empty answer');
  if (body.trim() === '' && !(parsed.class === 'truncated' && finish === 'length')) return verdict('empty', 'only a reasoning block, no answer after it');

  const loop = findRepetition(body);
  if (loop) return verdict('repetition', `degenerate repetition: ${quote(loop.unit)} ${loop.copies} times`);

  const facts = profile ? profileFacts(profile) : null;
  const echo = echoEvidence(body, opts.prompt);
  const fillIn = firstMatch(body, FILL_IN);

  if (parsed.value !== null) {
    const blanks = blankSkeleton(parsed.value);
    const placeholder = blanks === null ? findPlaceholder(parsed.value, facts) : null;
    if (blanks !== null || placeholder !== null) {
      const what = placeholder !== null ? `placeholder ${quote(placeholder)}` : blanks!;
      if (fillIn !== null) return verdict('fill-in-request', `a template to fill in: ${quote(fillIn)}, ${what}`);
      if (echo !== null) return verdict('prompt-echo', `${echo}, with its template`);
      return verdict('template', `${what} instead of an assessment`);
    }
    if (parsed.objects >= 2) return verdict('multiple-answers', `the answer written more than once (${parsed.detail}); the prompt asks for one object and nothing after it`);
    const none = nonAnswerReasoning(parsed.value);
    if (none !== null && facts !== null) return verdict('ungrounded', `the reasoning is a non-answer (${quote(none)}), whatever the dimension notes say`);
    return judgeAnswer(body, stringsOf(parsed.value).join('\n'), facts, opts.prompt);
  }

  if (parsed.class === 'multiple-objects') {
    const placeholder = PLACEHOLDER_TEXT.exec(body);
    if (placeholder) return verdict(fillIn ? 'fill-in-request' : 'template', `placeholder ${quote(placeholder[0])} instead of an assessment`);
    return verdict('multiple-answers', parsed.detail);
  }

  if (fillIn !== null) return verdict('fill-in-request', `asks the reader to supply the answer: ${quote(fillIn)}`);
  const placeholder = PLACEHOLDER_TEXT.exec(body);
  if (placeholder) return verdict('template', `placeholder ${quote(placeholder[0])} instead of an assessment`);
  const verdictInProse = PROSE_VERDICT.test(body);
  const refusal = firstMatch(body, REFUSAL);
  if (refusal !== null && !verdictInProse) return verdict('refusal', `refuses the task: ${quote(refusal)}`);
  if (echo !== null) return verdict('prompt-echo', echo);
  const question = QUESTION.exec(body);
  if (question && !verdictInProse) return verdict('question-back', `asks instead of answering: ${quote(question[0])}`);
  if (parsed.class === 'truncated' && (/[{`]/.test(body) || body.trim() === '')) return verdict('truncated', `cut off before the answer could be judged (${parsed.detail})`);
  const stray = STRAY_FRAGMENT.exec(body);
  const start = stray ? `, after a stray fragment ${quote(stray[1]!)}` : '';
  return verdict('prose', `prose instead of a JSON object${start} (${parsed.class})`);
}

/** A recovered object with real values: is it about this candidate, and does it cite the profile? */
function judgeAnswer(body: string, said: string, facts: ProfileFacts | null, prompt: string | undefined): InstructionVerdict {
  if (facts === null) return verdict('followed', 'an answer (no profile to check it against)');
  if (prompt) {
    const example = mentionsPerson(said, promptPeople(prompt, facts));
    if (example !== null && !mentionsCandidate(body, facts)) return verdict('wrong-candidate', `about ${quote(example)}, a person the prompt names (its example?), but the profile is ${facts.name}`);
  }
  const people = namedPeople(body, facts);
  const others = people.filter((p) => !isCandidate(p, facts));
  if (others.length > 0 && others.length === people.length) return verdict('wrong-candidate', `about ${others.slice(0, 2).join(', ')}, but the profile is ${facts.name}`);
  const cited = citedFact(said, facts) ?? citedFact(body, facts);
  if (facts.citable && cited === null) return verdict('ungrounded', 'the reasoning cites nothing from the profile (no school, company, skill or year)');
  return verdict('followed', cited === null ? 'an answer (the profile has nothing to cite)' : `an answer citing ${quote(cited)}`);
}
