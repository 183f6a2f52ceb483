import type { CandidateProfile } from '../../core/records.ts';
import type { Scorer } from '../scorer.ts';
import { inProfile, isCandidate, namedOrganisations, namedPeople, profileFacts } from '../profile-facts.ts';
import { answerBody } from '../instructions.ts';

/** How many unsupported names a reason lists. */
const MAX_LISTED = 3;

/**
 * Are the schools and companies the answer names in the profile, and is it about the right person?
 * Score: the share of named schools and companies found in the profile; 0 (label `wrong-candidate`) when
 * every person the answer names is someone else; null (label `nothing-named`) when it names no school or
 * company. Reads the recovered object's text when there is one, else the answer without its reasoning block.
 */
export const createGrounding = (): Scorer => ({ parsed, result, item }) => {
  // Candidate screening's scorer: its item schema (tasks/candidate-screening/item.schema.json) checked the profile at load.
  const facts = profileFacts(item.candidate as CandidateProfile);
  const text = parsed.value !== null ? JSON.stringify(parsed.value) : answerBody(result.response.content);
  const people = namedPeople(text, facts);
  const others = people.filter((p) => !isCandidate(p, facts));
  if (others.length > 0 && others.length === people.length) return { score: 0, label: 'wrong-candidate', reason: `about ${others.slice(0, 2).join(', ')}, but the profile is ${facts.name}` };
  const orgs = namedOrganisations(text);
  if (orgs.length === 0) return { score: null, label: 'nothing-named', reason: 'names no school or company' };
  const missing = orgs.filter((o) => !inProfile(o, facts));
  const score = Number(((orgs.length - missing.length) / orgs.length).toFixed(6));
  if (missing.length === 0) return { score, label: 'grounded' };
  const listed = missing.slice(0, MAX_LISTED).map((o) => JSON.stringify(o.slice(0, 40))).join(', ');
  return { score, label: 'unsupported', reason: `not in the profile: ${listed}${missing.length > MAX_LISTED ? ` and ${missing.length - MAX_LISTED} more` : ''}` };
};
