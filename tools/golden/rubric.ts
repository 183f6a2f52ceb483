/**
 * The golden rubric as code (RUBRIC.md is the same rubric in words). Deterministic: the same
 * profile always gets the same labels, and a person applying RUBRIC.md by hand gets them too.
 *
 * Reference date: 2026-11 (the dataset release). A role with `end: null` runs until then.
 */
import type { CandidateProfile, Experience, Rating, Recommendation } from '../../src/tasks/candidate-screening/records.ts';
import { RECOMMENDATIONS } from '../../src/tasks/candidate-screening/records.ts';
import {
  ACADEMIC_EMPLOYER,
  CAREER_BREAK,
  CODE_TERMS,
  CONTRACT,
  COUNTED_DEGREE,
  ENGINEERING_MANAGEMENT_TITLE,
  ENGINEERING_TITLE,
  INTERN,
  BANK_LEVELS,
  isBank,
  LEVELS,
  NON_CODE_TERMS,
  companyTier,
  findSchool,
  isBootcamp,
  schoolTier,
  type Tier,
} from './knowledge.ts';

export const REFERENCE_MONTH = '2026-11';
export const POINTS: Record<Rating, number> = { Great: 3, Good: 2, Okay: 1, Weak: 0 };
export const GAP_MONTHS = 18;
export const RED_FLAG_PENALTY = 2;

export type Analysis = {
  educational_pedigree: Rating;
  company_pedigree: Rating;
  trajectory: Rating;
  is_software_engineer: Rating;
};

export interface Label {
  recommendation: Recommendation;
  analysis: Analysis;
  rationale: string;
  key_facts: string[];
}

export type RoleKind = 'break' | 'academic' | 'intern' | 'industry';

export interface RoleFacts {
  role: Experience;
  kind: RoleKind;
  contract: boolean;
  /** Months since year 0 (year*12 + month-1); end is exclusive. */
  start: number;
  end: number;
  months: number;
  level: number;
  tier: Tier;
  codeHits: string[];
  nonCodeHits: string[];
  handsOn: boolean;
  engManagement: boolean;
  track: 'engineering' | 'other';
}

export interface Explanation extends Label {
  points: number;
  red_flags: string[];
  roles: RoleFacts[];
  /** Recommendation from points alone, before caps. */
  uncapped: Recommendation;
}

export function monthIndex(ym: string): number {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}
const REF = monthIndex(REFERENCE_MONTH);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
const termRe = (t: string) => new RegExp(`(?<![A-Za-z0-9])${escapeRe(t)}(?![A-Za-z0-9+#])`, 'i');
const CODE_RES = CODE_TERMS.map((t) => [t, termRe(t)] as const);
const NON_CODE_RES = NON_CODE_TERMS.map((t) => [t, termRe(t)] as const);

export function termsIn(text: string, which: 'code' | 'non-code'): string[] {
  return (which === 'code' ? CODE_RES : NON_CODE_RES).filter(([, re]) => re.test(text)).map(([t]) => t);
}

export function titleLevel(title: string, company = ''): number {
  if (INTERN.test(title)) return 0;
  if (isBank(company)) for (const { level, re } of BANK_LEVELS) if (re.test(title)) return level;
  for (const { level, re } of LEVELS) if (re.test(title)) return level;
  return 2;
}

export function classifyRole(role: Experience): RoleFacts {
  const kind: RoleKind = CAREER_BREAK.test(role.company) || CAREER_BREAK.test(role.title)
    ? 'break'
    : ACADEMIC_EMPLOYER.test(role.company) || findSchool(role.company)
      ? 'academic'
      : INTERN.test(role.title)
        ? 'intern'
        : 'industry';
  const start = monthIndex(role.start);
  const end = role.end === null ? REF : monthIndex(role.end);
  const codeHits = termsIn(role.description, 'code');
  const nonCodeHits = termsIn(role.description, 'non-code');
  const words = role.description.trim().split(/\s+/).filter(Boolean).length;
  const handsOn = kind === 'break'
    ? false
    : words < 5
      ? ENGINEERING_TITLE.test(role.title) && !ENGINEERING_MANAGEMENT_TITLE.test(role.title)
      : codeHits.length >= 2 && codeHits.length > nonCodeHits.length;
  const engManagement = kind !== 'break' && !handsOn && ENGINEERING_MANAGEMENT_TITLE.test(role.title);
  return {
    role,
    kind,
    contract: CONTRACT.test(role.title) || CONTRACT.test(role.company),
    start,
    end,
    months: Math.max(0, end - start),
    level: titleLevel(role.title, role.company),
    tier: companyTier(role.company),
    codeHits,
    nonCodeHits,
    handsOn,
    engManagement,
    track: handsOn || engManagement ? 'engineering' : 'other',
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The role the candidate holds now (or held last): latest start, then latest end. */
function latest(roles: RoleFacts[]): RoleFacts | undefined {
  return [...roles].sort((a, b) => b.start - a.start || b.end - a.end)[0];
}

// ---------------------------------------------------------------------------
// The four dimensions
// ---------------------------------------------------------------------------

export function rateEducation(p: CandidateProfile): { rating: Rating; school?: string; degree?: string } {
  const counted = p.education.filter(
    (e) => COUNTED_DEGREE.test(e.degree) && e.end_year !== null && e.end_year <= 2026 && !isBootcamp(e.school),
  );
  if (counted.length === 0) return { rating: 'Weak' };
  const best = [...counted].sort((a, b) => schoolTier(a.school) - schoolTier(b.school))[0]!;
  const rating: Rating = (['Great', 'Good', 'Okay'] as const)[schoolTier(best.school) - 1]!;
  return { rating, school: best.school, degree: best.degree };
}

export function rateCompany(roles: RoleFacts[]): { rating: Rating; company?: string } {
  const work = roles.filter((r) => r.kind === 'industry' || r.kind === 'intern');
  const full = work.filter((r) => r.kind === 'industry' && !r.contract);
  const monthsAt = (tier: Tier) => sum(full.filter((r) => r.tier === tier).map((r) => r.months));
  const pick = (rs: RoleFacts[]) => [...rs].sort((a, b) => a.tier - b.tier || Number(b.handsOn) - Number(a.handsOn) || b.months - a.months)[0]?.role.company;
  if (monthsAt(1) >= 12) return { rating: 'Great', company: pick(full.filter((r) => r.tier === 1)) };
  if (monthsAt(2) >= 12 || work.some((r) => r.tier === 1)) return { rating: 'Good', company: pick(work) };
  const industryMonths = sum(work.filter((r) => r.kind === 'industry').map((r) => r.months));
  if (industryMonths >= 12 || work.some((r) => r.tier === 2)) return { rating: 'Okay', company: pick(work) };
  return { rating: 'Weak', company: pick(work) };
}

export function rateTrajectory(roles: RoleFacts[]): { rating: Rating; note: string } {
  const ft = roles.filter((r) => r.kind === 'industry');
  const current = latest(ft);
  if (!current) return { rating: 'Okay', note: 'no full-time industry experience yet' };
  // Engineering now: only engineering roles count (a career changer starts over). Otherwise: every full-time role.
  const track = current.track === 'engineering' ? ft.filter((r) => r.track === 'engineering') : ft;
  const start = Math.min(...track.map((r) => r.start));
  const end = Math.max(...track.map((r) => r.end));
  const years = (end - start) / 12;
  const maxLevel = Math.max(...track.map((r) => r.level));
  const t = (level: number): number | undefined => {
    const at = track.filter((r) => r.level >= level).map((r) => r.start);
    return at.length ? Math.min(...at) - start : undefined;
  };
  const within = (level: number, months: number) => {
    const v = t(level);
    return v !== undefined && v <= months;
  };
  const LEVEL_NAMES = ['intern', 'junior', 'mid-level', 'senior', 'staff/lead', 'principal/director', 'executive'];
  const levelName = LEVEL_NAMES[maxLevel] ?? 'senior';
  const trackName = current.track === 'engineering' ? 'engineering' : 'current';
  const first = (limits: Array<[number, number]>) => limits.find(([l, m]) => within(l, m));
  const reached = ([l]: [number, number]) => {
    const months = t(l) ?? 0;
    return months < 12
      ? `${LEVEL_NAMES[l]} from the first ${trackName === 'engineering' ? 'engineering' : 'full-time'} role`
      : `reached ${LEVEL_NAMES[l]} after ${Math.round(months / 12)} years in ${trackName} roles`;
  };
  const fast = first([[3, 48], [4, 84], [5, 132], [6, 180]]);
  if (fast) return { rating: 'Great', note: `fast: ${reached(fast)}` };
  const steady = first([[3, 84], [4, 132], [5, 192], [6, Infinity]]);
  if (steady) return { rating: 'Good', note: `steady: ${reached(steady)}` };
  if (years < 3) return { rating: 'Okay', note: `early: under 3 years in ${trackName} roles` };
  if ((maxLevel <= 2 && years >= 6) || (maxLevel <= 1 && years >= 3)) return { rating: 'Weak', note: `flat: still ${levelName} after ${Math.floor(years)} years` };
  return { rating: 'Okay', note: `slow: ${levelName} after ${Math.floor(years)} years` };
}

export function rateSoftwareEngineer(roles: RoleFacts[]): { rating: Rating; handsOnMonths: number; industryHandsOnMonths: number } {
  const work = roles.filter((r) => r.kind !== 'break');
  const handsOnMonths = sum(work.filter((r) => r.handsOn).map((r) => r.months));
  const industryHandsOnMonths = sum(work.filter((r) => r.handsOn && r.kind === 'industry').map((r) => r.months));
  const cur = latest(work);
  let rating: Rating = 'Weak';
  if (cur?.handsOn && industryHandsOnMonths >= 48) rating = 'Great';
  else if ((cur?.handsOn && (industryHandsOnMonths >= 18 || handsOnMonths >= 48)) || (cur?.engManagement && handsOnMonths >= 36)) rating = 'Good';
  else if (handsOnMonths > 0) rating = 'Okay';
  return { rating, handsOnMonths, industryHandsOnMonths };
}

// ---------------------------------------------------------------------------
// Red flags
// ---------------------------------------------------------------------------

/** Longest stretch (months) after the first experience entry with no role, break entry or education. */
export function longestGap(p: CandidateProfile, roles: RoleFacts[]): { months: number; from: number } {
  if (roles.length === 0) return { months: 0, from: 0 };
  const intervals: Array<[number, number]> = roles.map((r) => [r.start, r.end]);
  for (const e of p.education) {
    const s = e.start_year * 12 + 8; // September
    const en = e.end_year === null ? REF : e.end_year * 12 + 6; // through June
    if (en > s) intervals.push([s, en]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  const first = Math.min(...roles.map((r) => r.start));
  let covered = first;
  let best = { months: 0, from: 0 };
  for (const [s, e] of intervals) {
    if (e <= covered) continue;
    if (s > covered && s - covered > best.months) best = { months: s - covered, from: covered };
    covered = Math.max(covered, e);
  }
  if (REF - covered > best.months) best = { months: REF - covered, from: covered };
  return best;
}

const fmtMonth = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;

export function redFlags(p: CandidateProfile, roles: RoleFacts[]): string[] {
  const flags: string[] = [];
  const gap = longestGap(p, roles);
  if (gap.months >= GAP_MONTHS) flags.push(`an unexplained ${gap.months}-month gap from ${fmtMonth(gap.from)}`);
  const short = roles.filter((r) => r.kind === 'industry' && !r.contract && r.role.end !== null && r.months < 12);
  if (short.length >= 3) flags.push(`${short.length} permanent roles that lasted under a year`);
  return flags;
}

// ---------------------------------------------------------------------------
// Combining
// ---------------------------------------------------------------------------

export function recommendationForPoints(points: number): Recommendation {
  if (points >= 13) return 'Strong Yes';
  if (points >= 11) return 'Yes';
  if (points >= 8) return 'Maybe';
  if (points >= 4) return 'No';
  return 'Strong No';
}

const worse = (a: Recommendation, b: Recommendation): Recommendation =>
  RECOMMENDATIONS.indexOf(a) >= RECOMMENDATIONS.indexOf(b) ? a : b;

export function combine(analysis: Analysis, flagCount: number): { points: number; uncapped: Recommendation; recommendation: Recommendation } {
  const points =
    POINTS[analysis.educational_pedigree] +
    POINTS[analysis.company_pedigree] +
    POINTS[analysis.trajectory] +
    2 * POINTS[analysis.is_software_engineer] -
    RED_FLAG_PENALTY * flagCount;
  const uncapped = recommendationForPoints(points);
  let rec = uncapped;
  if (analysis.is_software_engineer === 'Weak') rec = worse(rec, 'No');
  if (analysis.is_software_engineer === 'Okay') rec = worse(rec, 'Maybe');
  if (rec === 'Strong Yes' && (analysis.is_software_engineer !== 'Great' || flagCount > 0)) rec = 'Yes';
  return { points, uncapped, recommendation: rec };
}

const TIER_WORD: Record<Rating, string> = { Great: 'top tier', Good: 'strong', Okay: 'less selective or little-known', Weak: '' };

function duration(months: number): string {
  if (months < 24) return `${months} months`;
  return `about ${Math.round(months / 12)} years`;
}

export function explainProfile(p: CandidateProfile): Explanation {
  const roles = p.experience.map(classifyRole);
  const edu = rateEducation(p);
  const comp = rateCompany(roles);
  const traj = rateTrajectory(roles);
  const swe = rateSoftwareEngineer(roles);
  const flags = redFlags(p, roles);
  const analysis: Analysis = {
    educational_pedigree: edu.rating,
    company_pedigree: comp.rating,
    trajectory: traj.rating,
    is_software_engineer: swe.rating,
  };
  const { points, uncapped, recommendation } = combine(analysis, flags.length);

  const cur = latest(roles.filter((r) => r.kind !== 'break'));
  const at = cur ? `${cur.role.title} at ${cur.role.company}` : '';
  let s1: string;
  if (!cur) s1 = 'No work experience is listed.';
  else if (swe.rating === 'Great' || swe.rating === 'Good') {
    s1 = cur.engManagement
      ? `Manages engineers as ${at} after ${duration(swe.handsOnMonths)} of hands-on software work.`
      : `Hands-on software engineer for ${duration(swe.handsOnMonths)}, most recently ${at}.`;
  } else if (swe.rating === 'Okay') s1 = `Limited hands-on software evidence (${duration(swe.handsOnMonths)}); most recent role is ${at}.`;
  else s1 = `No hands-on software work in the role descriptions; most recent role is ${at}.`;
  const bootcamp = p.education.find((e) => isBootcamp(e.school));
  const eduText = edu.school
    ? `${edu.degree} from ${edu.school} (${TIER_WORD[edu.rating]})`
    : bootcamp
      ? `no completed degree (${bootcamp.school} certificate)`
      : 'no completed degree';
  const compText = comp.company ? `${comp.company} (${comp.rating === 'Weak' ? 'too little industry time' : TIER_WORD[comp.rating]})` : 'no industry employer';
  const s2 = `Education: ${eduText}; best employer: ${compText}; trajectory ${traj.note}.`;
  const s3 = flags.length ? ` Red flags: ${flags.join('; ')}.` : '';

  const facts: string[] = [];
  if (edu.school) facts.push(edu.school);
  else if (bootcamp) facts.push(bootcamp.school);
  if (comp.company) facts.push(comp.company);
  if (cur) facts.push(cur.role.title);
  const key_facts = [...new Set(facts)];

  return { recommendation, analysis, rationale: `${s1} ${s2}${s3}`, key_facts, points, red_flags: flags, roles, uncapped };
}

/** The gold label the rubric gives a profile. */
export function labelProfile(profile: CandidateProfile): Label {
  const { recommendation, analysis, rationale, key_facts } = explainProfile(profile);
  return { recommendation, analysis, rationale, key_facts };
}
