import { WRONG_SUBJECT } from '../../core/scorer-ids.ts';
import type { Scorer } from '../scorer.ts';
import { inFacts, isSubject, itemFacts, namedOrganisations, namedPeople } from '../facts.ts';
import { answerBody } from '../parse.ts';
import { defaultScoringTask } from '../default-task.ts';

/** How many unsupported names a reason lists. */
const MAX_LISTED = 3;

/**
 * Are the organisations the answer names in the item's facts, and is it about the right subject? The facts
 * are the task's declaration (task.json `grounding`): the values at `facts` (candidate screening: schools,
 * companies, titles) and the text of the item's input fields; `subject` names who the item is about.
 * Score: the share of named organisations found in the item; 0 (label `wrong-candidate`) when every person
 * the answer names is someone other than the subject (only when the task declares one); null (label
 * `nothing-named`) when it names no organisation, or `no-facts` when the task declares no grounding.
 * Reads the recovered object's text when there is one, else the answer without its reasoning block.
 */
export const createGrounding = (task = defaultScoringTask()): Scorer => {
  const decl = task.grounding;
  return ({ parsed, result, item }) => {
    if (!decl) return { score: null, label: 'no-facts', reason: 'the task declares no grounding facts (task.json `grounding`)' };
    const facts = itemFacts(item, { ...decl, variables: task.variables ?? [] });
    const text = parsed.value !== null ? JSON.stringify(parsed.value) : answerBody(result.response.content);
    if (decl.subject) {
      const people = namedPeople(text, facts);
      const others = people.filter((p) => !isSubject(p, facts));
      if (others.length > 0 && others.length === people.length) return { score: 0, label: WRONG_SUBJECT, reason: `about ${others.slice(0, 2).join(', ')}, but the item is about ${facts.name}` };
    }
    const orgs = namedOrganisations(text);
    if (orgs.length === 0) return { score: null, label: 'nothing-named', reason: 'names no organisation' };
    const missing = orgs.filter((o) => !inFacts(o, facts));
    const score = Number(((orgs.length - missing.length) / orgs.length).toFixed(6));
    if (missing.length === 0) return { score, label: 'grounded' };
    const listed = missing.slice(0, MAX_LISTED).map((o) => JSON.stringify(o.slice(0, 40))).join(', ');
    return { score, label: 'unsupported', reason: `not in the item: ${listed}${missing.length > MAX_LISTED ? ` and ${missing.length - MAX_LISTED} more` : ''}` };
  };
};
