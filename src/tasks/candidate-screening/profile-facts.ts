/**
 * What an answer can cite from a candidate profile: schools, companies, skills and years, and the
 * candidate's name. The instruction check (wrong candidate, ungrounded reasoning) reads these; the text
 * heuristics (who and which organisations a text names) are the score stage's, shared with the generic
 * grounding scorer (src/score/facts.ts).
 */
import { buildFacts, type Facts } from '../../score/facts.ts';
import type { CandidateProfile } from './records.ts';

export {
  fold,
  citedFact,
  hasWord,
  organisationKeys,
  namedPeople,
  namedOrganisations,
  promptPeople,
  mentionsPerson,
  isSubject as isCandidate,
  inFacts as inProfile,
  mentionsSubject as mentionsCandidate,
} from '../../score/facts.ts';

/** A candidate profile's facts (the generic `Facts`, built from the profile's fields). */
export type ProfileFacts = Facts;

/** Extract what an answer could cite from a profile. */
export function profileFacts(p: CandidateProfile): ProfileFacts {
  const keys: Array<[string, string]> = [];
  for (const s of p.skills) if (s.trim().length >= 3) keys.push([s.trim().toLowerCase(), s]);
  for (const e of p.education) for (const y of [e.start_year, e.end_year]) if (y !== null) keys.push([String(y), `${e.school} ${y}`]);
  for (const e of p.experience) for (const d of [e.start, e.end]) if (d) keys.push([d.slice(0, 4), `${e.company} ${d.slice(0, 4)}`]);
  const strings = [p.name, p.headline ?? '', p.location ?? '', ...p.skills];
  for (const e of p.education) strings.push(e.school, e.degree, e.field);
  for (const e of p.experience) strings.push(e.company, e.title, e.description);
  return buildFacts({
    subject: p.name,
    names: [...p.education.map((e) => [e.school, e.school] as const), ...p.experience.map((e) => [e.company, e.company] as const)],
    keys,
    strings,
    citable: p.education.length + p.experience.length > 0,
  });
}
