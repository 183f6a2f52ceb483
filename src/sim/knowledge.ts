/**
 * The simulated models' "world knowledge": small tier lists of well-known schools and companies,
 * title keywords and career heuristics. `judgeProfile` turns a candidate profile into the ratings a
 * careful reader would give, plus the facts worth citing. Personas start from this judgement and add
 * their own noise and failure modes; nothing here looks at gold labels.
 */
import { DIMENSIONS, RATINGS, RECOMMENDATIONS, type CandidateProfile, type Dimension, type Rating, type Recommendation } from '../tasks/candidate-screening/records.ts';

/** 0 = Great / top tier ... 3 = Weak / unknown-low tier (indices into RATINGS). */
export type Level = 0 | 1 | 2 | 3;

const SCHOOL_TIERS: readonly (readonly string[])[] = [
  [
    'massachusetts institute of technology', 'mit', 'stanford', 'carnegie mellon', 'cmu', 'uc berkeley', 'university of california, berkeley',
    'berkeley', 'harvard', 'princeton', 'caltech', 'california institute of technology', 'university of oxford', 'oxford',
    'university of cambridge', 'cambridge', 'eth zurich', 'eth zürich', 'epfl', 'iit bombay', 'iit delhi', 'iit madras', 'iit kanpur',
    'iit kharagpur', 'indian institute of technology', 'tsinghua', 'peking university', 'university of toronto', 'university of waterloo',
    'cornell', 'yale', 'columbia university', 'university of washington', 'georgia tech', 'georgia institute of technology',
    'university of illinois', 'uiuc', 'technion', 'national university of singapore', 'imperial college',
  ],
  [
    'university of michigan', 'ut austin', 'university of texas at austin', 'ucla', 'uc san diego', 'ucsd', 'university of pennsylvania',
    'upenn', 'brown', 'duke', 'northwestern', 'rice', 'purdue', 'university of wisconsin', 'university of maryland', 'usc',
    'university of southern california', 'tu munich', 'technical university of munich', 'kaist', 'seoul national', 'university of tokyo',
    'mcgill', 'university of british columbia', 'ubc', 'university of edinburgh', 'ucl', 'university college london', 'tu delft',
    'kth', 'sharif', 'fudan', 'shanghai jiao tong', 'zhejiang university', 'nanyang', 'bits pilani', 'iiit hyderabad', 'nyu',
    'new york university', 'boston university', 'virginia tech', 'university of virginia', 'ohio state', 'penn state', 'rutgers',
    'university of minnesota', 'uc irvine', 'uc davis', 'university of melbourne', 'university of sydney', 'tu berlin', 'polytechnique',
  ],
];

const WEAK_SCHOOL = /community college|bootcamp|boot camp|app academy|hack reactor|general assembly|lambda school|flatiron|le wagon|codecademy|coursera|udemy|udacity|edx|online|high school|self[- ]taught|free ?code ?camp|certificate|diploma mill|academy of (code|coding)/i;

const COMPANY_TIERS: readonly (readonly string[])[] = [
  [
    'google', 'alphabet', 'deepmind', 'google deepmind', 'meta', 'facebook', 'apple', 'netflix', 'stripe', 'openai', 'anthropic',
    'jane street', 'citadel', 'two sigma', 'hudson river trading', 'jump trading', 'd. e. shaw', 'de shaw', 'nvidia', 'databricks',
    'airbnb', 'figma', 'palantir', 'tesla', 'spacex', 'waymo', 'microsoft research',
  ],
  [
    'microsoft', 'amazon', 'aws', 'amazon web services', 'uber', 'lyft', 'shopify', 'atlassian', 'salesforce', 'spotify', 'dropbox',
    'twilio', 'snowflake', 'cloudflare', 'datadog', 'linkedin', 'twitter', 'x corp', 'adobe', 'pinterest', 'snap', 'doordash',
    'instacart', 'coinbase', 'robinhood', 'square', 'block', 'plaid', 'github', 'gitlab', 'mongodb', 'elastic', 'hashicorp', 'intel',
    'amd', 'qualcomm', 'bloomberg', 'goldman sachs', 'booking.com', 'zalando', 'grab', 'bytedance', 'tiktok', 'alibaba', 'tencent',
    'baidu', 'flipkart', 'yandex', 'sap', 'oracle', 'vmware', 'red hat', 'nutanix', 'confluent', 'notion', 'canva', 'asana', 'slack',
  ],
  [
    'ibm', 'cisco', 'dell', 'hp', 'hewlett', 'accenture', 'deloitte', 'infosys', 'tcs', 'tata consultancy', 'wipro', 'cognizant',
    'capgemini', 'hcl', 'tech mahindra', 'epam', 'globant', 'thoughtworks', 'jpmorgan', 'jp morgan', 'morgan stanley', 'bank of america',
    'wells fargo', 'capital one', 'verizon', 'at&t', 'comcast', 'siemens', 'bosch', 'ericsson', 'nokia', 'kpmg', 'pwc', 'ey',
  ],
];

const WEAK_COMPANY = /freelance|self[- ]employed|independent|walmart|target|starbucks|mcdonald|retail|restaurant|cafe|family business|unemployed|various|odd jobs|personal project/i;

const STARTUP_HINT = /\b(labs?|ai|technologies|tech|software|systems|io|inc\.?|hq|data|cloud)\b/i;

/** Title keywords that mean hands-on software engineering. */
const SWE_TITLE = /software|developer|programmer|\bsre\b|site reliability|devops|back[- ]?end|front[- ]?end|full[- ]?stack|(ml|machine learning|data|platform|infrastructure|systems|mobile|ios|android|web|cloud|security|firmware|embedded|compiler|graphics|game|research|applied|founding|staff|principal|senior|junior|lead)\s+engineer|\bswe\b|\bsde\b|engineer\b.*\b(i|ii|iii|iv)\b|^engineer|tech(nical)? lead|architect|cto/i;

/** Engineering-adjacent titles: technical, but not (mainly) writing production software. */
const ADJACENT_TITLE = /sales engineer|solutions? engineer|support engineer|qa|quality|test|analyst|data scientist|product manager|it |it$|system administrator|sysadmin|network|technician|engineering manager|scrum|consultant|designer|ux|researcher/i;

const NON_SWE_TITLE = /sales|marketing|recruit|account|customer|teacher|nurse|cashier|barista|manager|hr\b|human resources|operations|writer|editor|lawyer|attorney|finance|accountant|administrative|assistant|clerk|representative|coordinator|business development/i;

/** Seniority keywords, lowest first. */
const SENIORITY: readonly [RegExp, number][] = [
  [/intern|trainee|apprentice/i, 0],
  [/junior|jr\.?|associate|entry|graduate|\bi\b$/i, 1],
  [/senior|sr\.?|\biii\b/i, 3],
  [/staff|lead|\bl6\b|manager/i, 4],
  [/principal|distinguished|fellow|director|head of|vp|vice president|cto|chief|founder/i, 5],
];

/** The month the simulated models consider "now" when a role has no end date. */
const REFERENCE_MONTH = '2025-06';

export interface ProfileFacts {
  name: string;
  firstName: string;
  school: string | null;
  degree: string | null;
  field: string | null;
  currentCompany: string | null;
  currentTitle: string | null;
  firstTitle: string | null;
  bestCompany: string | null;
  companies: string[];
  years: number;
  roles: number;
  /** Longest gap between roles, in months. */
  longestGapMonths: number;
  skills: string[];
}

/** What a careful reader concludes from a profile. */
export interface Judgement {
  levels: Record<Dimension, Level>;
  recommendation: number;
  /** Continuous quality in [0, 3] (0 best) before rounding to a recommendation. */
  score: number;
  facts: ProfileFacts;
  /** Short phrases explaining each level, citing the profile. */
  notes: Record<Dimension, string>;
}

function monthIndex(ym: string): number {
  const [y, m] = ym.split('-').map(Number);
  return (y ?? 2000) * 12 + ((m ?? 1) - 1);
}

function matchesAny(name: string, list: readonly string[]): boolean {
  const n = name.toLowerCase().trim();
  return list.some((k) => n === k || new RegExp(`(^|[^a-z])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z]|$)`).test(n));
}

/** Tier of a school: 0 elite ... 3 weak (bootcamps, online courses, community colleges). */
export function schoolTier(school: string): Level {
  if (WEAK_SCHOOL.test(school)) return 3;
  for (let t = 0; t < SCHOOL_TIERS.length; t++) if (matchesAny(school, SCHOOL_TIERS[t]!)) return t as Level;
  return 2;
}

/** Tier of a company: 0 elite ... 3 weak (non-tech, freelance). Unknown startups are tier 2. */
export function companyTier(company: string): Level {
  if (WEAK_COMPANY.test(company)) return 3;
  for (let t = 0; t < COMPANY_TIERS.length; t++) if (matchesAny(company, COMPANY_TIERS[t]!)) return t === 2 ? 2 : (t as Level);
  return STARTUP_HINT.test(company) ? 2 : 3;
}

/** 0..5 seniority of a job title. */
export function seniorityOf(title: string): number {
  const hits = SENIORITY.filter(([re]) => re.test(title)).map(([, l]) => l);
  if (hits.length === 0) return 2;
  if (hits.includes(0)) return 0;
  const top = Math.max(...hits);
  return top >= 3 ? top : Math.min(...hits);
}

/** How much a title is software engineering: 2 = yes, 1 = adjacent, 0 = no. */
export function titleKind(title: string): 0 | 1 | 2 {
  if (/sales engineer|solutions? engineer|support engineer/i.test(title)) return 1;
  if (SWE_TITLE.test(title)) return 2;
  if (ADJACENT_TITLE.test(title)) return 1;
  if (NON_SWE_TITLE.test(title)) return 0;
  return /engineer/i.test(title) ? 1 : 0;
}

const DEGREE_BONUS = /ph\.?d|doctor|m\.?s\.?c?\b|master|m\.?eng/i;
const TECH_FIELD = /computer|software|electrical|computing|informatics|mathemat|physics|data|statistic|engineering/i;

/** Judge a profile on the contract's four dimensions and recommend. Deterministic. */
export function judgeProfile(profile: CandidateProfile): Judgement {
  const edu = [...profile.education];
  const exp = [...profile.experience].sort((a, b) => monthIndex(a.start) - monthIndex(b.start));
  const now = Math.max(monthIndex(REFERENCE_MONTH), ...exp.map((e) => monthIndex(e.end ?? e.start)));

  // Education: best school tier, nudged by degree level and field.
  let eduScore = 3;
  let bestEdu = edu[0] ?? null;
  for (const e of edu) {
    let s: number = schoolTier(e.school);
    if (DEGREE_BONUS.test(e.degree) && s < 3) s -= 0.4;
    if (!TECH_FIELD.test(e.field)) s += 0.3;
    if (s < eduScore) {
      eduScore = s;
      bestEdu = e;
    }
  }
  const eduLevel = clampLevel(eduScore);

  // Companies: weighted by months spent, best tier counts most.
  let monthsTotal = 0;
  let weighted = 0;
  let bestTier: number = 3;
  let bestCompany: string | null = null;
  let sweMonths = 0;
  let adjMonths = 0;
  let longestGap = 0;
  let prevEnd: number | null = null;
  for (const e of exp) {
    const start = monthIndex(e.start);
    const end = e.end ? monthIndex(e.end) : now;
    const months = Math.max(1, end - start);
    monthsTotal += months;
    const tier = companyTier(e.company);
    weighted += tier * months;
    if (tier < bestTier) {
      bestTier = tier;
      bestCompany = e.company;
    }
    const kind = titleKind(e.title);
    if (kind === 2) sweMonths += months;
    else if (kind === 1) adjMonths += months;
    if (prevEnd !== null) longestGap = Math.max(longestGap, start - prevEnd);
    prevEnd = Math.max(prevEnd ?? 0, end);
  }
  if (prevEnd !== null) longestGap = Math.max(longestGap, now - prevEnd);
  const avgTier = monthsTotal > 0 ? weighted / monthsTotal : 3;
  const companyLevel = exp.length === 0 ? 3 : clampLevel(0.55 * bestTier + 0.45 * avgTier + (bestTier === 0 ? -0.1 : 0));

  // Trajectory: seniority gained per year, penalised by gaps and job hopping.
  const years = monthsTotal / 12;
  const first = exp[0];
  const last = exp[exp.length - 1];
  let trajScore = 3;
  if (first && last) {
    const gain = seniorityOf(last.title) - seniorityOf(first.title);
    const peak = Math.max(...exp.map((e) => seniorityOf(e.title)));
    const rate = years > 0 ? gain / Math.max(years, 1) : 0;
    trajScore = 1.9 - 2.2 * Math.min(rate, 0.8) - (peak >= 4 ? 0.6 : peak >= 3 ? 0.3 : 0);
    if (years < 1.5) trajScore += 0.6;
    if (years > 12 && gain <= 0) trajScore += 0.5;
    if (longestGap > 18) trajScore += 0.8;
    else if (longestGap > 8) trajScore += 0.4;
    const tenure = monthsTotal / exp.length;
    if (exp.length >= 4 && tenure < 14) trajScore += 0.5;
    if (gain < 0) trajScore += 0.5;
    if (titleKind(last.title) === 2 && titleKind(first.title) < 2) trajScore -= 0.2; // a successful move into engineering
  }
  const trajLevel = clampLevel(trajScore);

  // Software engineer: share of time in SWE titles, current title counts double.
  const lastKind = last ? titleKind(last.title) : 0;
  const sweShare = monthsTotal > 0 ? (sweMonths + 0.35 * adjMonths) / monthsTotal : 0;
  const skillHits = profile.skills.filter((s) => /python|java|typescript|javascript|go\b|golang|rust|c\+\+|c#|kotlin|swift|react|node|sql|kubernetes|docker|aws|distributed|algorithms/i.test(s)).length;
  let sweScore = 3 - 2.4 * sweShare - (lastKind === 2 ? 0.7 : lastKind === 1 ? 0.2 : -0.3) - Math.min(skillHits, 5) * 0.06;
  if (lastKind === 2 && years >= 3 && sweShare > 0.7) sweScore -= 0.3;
  const sweLevel = clampLevel(sweScore);

  const levels: Record<Dimension, Level> = {
    educational_pedigree: eduLevel,
    company_pedigree: companyLevel,
    trajectory: trajLevel,
    is_software_engineer: sweLevel,
  };
  // Recommendation (0 Strong Yes ... 4 Strong No): engineering and companies weigh most.
  let score = 0.15 * eduLevel + 0.3 * companyLevel + 0.25 * trajLevel + 0.3 * sweLevel;
  if (sweLevel === 3) score += 0.6;
  if (sweLevel === 0 && companyLevel === 0) score -= 0.2;
  const recommendation = Math.max(0, Math.min(4, Math.round(score * 1.45)));

  const facts: ProfileFacts = {
    name: profile.name,
    firstName: profile.name.split(/\s+/)[0] ?? profile.name,
    school: bestEdu?.school ?? null,
    degree: bestEdu?.degree ?? null,
    field: bestEdu?.field ?? null,
    currentCompany: last?.company ?? null,
    currentTitle: last?.title ?? null,
    firstTitle: first?.title ?? null,
    bestCompany,
    companies: [...new Set(exp.map((e) => e.company))],
    years: Math.round(years * 10) / 10,
    roles: exp.length,
    longestGapMonths: longestGap,
    skills: profile.skills.slice(0, 4),
  };
  return { levels, recommendation, score, facts, notes: notesFor(levels, facts) };
}

function clampLevel(x: number): Level {
  return Math.max(0, Math.min(3, Math.round(x))) as Level;
}

const TIER_WORDS = ['a top-tier', 'a strong', 'a solid but less selective', 'a little-known or non-traditional'] as const;

function notesFor(levels: Record<Dimension, Level>, f: ProfileFacts): Record<Dimension, string> {
  const school = f.school ? `${f.degree ?? 'a degree'} in ${f.field ?? 'an unspecified field'} from ${f.school}` : 'no formal education listed';
  const yrs = `${f.years} years`;
  return {
    educational_pedigree: f.school ? `${school}, ${TIER_WORDS[levels.educational_pedigree]} institution` : 'No education is listed, so pedigree cannot be established',
    company_pedigree: f.bestCompany
      ? `${f.companies.slice(0, 3).join(', ')}; the strongest is ${f.bestCompany}, ${TIER_WORDS[levels.company_pedigree]} employer`
      : f.companies.length > 0
        ? `${f.companies.slice(0, 3).join(', ')}, none of them well-known employers`
        : 'No work experience is listed',
    trajectory:
      f.roles === 0
        ? 'No roles to show progression'
        : f.firstTitle === f.currentTitle
          ? `${f.roles} role(s) over ${yrs}, staying at ${f.currentTitle}${f.longestGapMonths > 8 ? ` with a ${f.longestGapMonths}-month gap` : ''}`
          : `From ${f.firstTitle} to ${f.currentTitle} over ${yrs}${f.longestGapMonths > 8 ? `, with a ${f.longestGapMonths}-month gap` : ''}`,
    is_software_engineer: f.currentTitle
      ? `Currently ${f.currentTitle} at ${f.currentCompany}${f.skills.length ? `; skills include ${f.skills.slice(0, 3).join(', ')}` : ''}`
      : 'No engineering roles listed',
  };
}

/** The contract's vocabularies re-exported for personas. */
export const VOCAB: { recommendations: readonly Recommendation[]; ratings: readonly Rating[]; dimensions: readonly Dimension[] } = {
  recommendations: RECOMMENDATIONS,
  ratings: RATINGS,
  dimensions: DIMENSIONS,
};
