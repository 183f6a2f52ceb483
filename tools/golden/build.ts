/**
 * Builds the candidates-golden dataset in memory: seeded generated rows (labelled by the rubric)
 * followed by the hand-written hard subset (labelled by hand). Pure and deterministic: the same
 * seed gives byte-identical output. `generate.ts` is the command line around it.
 */
import { mulberry32 } from '../../src/core/random.ts';
import type { CandidateProfile, DatasetRow, Education, Experience, Recommendation } from '../../src/tasks/candidate-screening/records.ts';
import { COMPANIES, SCHOOLS, BOOTCAMPS } from './knowledge.ts';
import { classifyRole, labelProfile, monthIndex, REFERENCE_MONTH, titleLevel } from './rubric.ts';
import { HARD_CASES } from './hard-cases.ts';

export const SEED = 20261123;
/** Generated rows per gold class (540 in all); the hard subset comes on top. */
export const GENERATED_QUOTAS: Record<Recommendation, number> = {
  'Strong Yes': 100,
  Yes: 115,
  Maybe: 125,
  No: 115,
  'Strong No': 85,
};

// ---------------------------------------------------------------------------
// PRNG (mulberry32) and helpers
// ---------------------------------------------------------------------------

export { mulberry32 };

class Rng {
  next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from empty list');
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  some<T>(xs: readonly T[], lo: number, hi: number): T[] {
    const pool = [...xs];
    const n = Math.min(pool.length, this.int(lo, hi));
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![0];
  }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const FIRST = [
  'Aarav', 'Priya', 'Wei', 'Mei', 'Oluwaseun', 'Chiamaka', 'Mateo', 'Lucía', 'Sofia', 'Liam', 'Noah', 'Emma', 'Olivia',
  'Hiroshi', 'Yuki', 'Min-jun', 'Seo-yeon', 'Dmitri', 'Anya', 'Fatima', 'Omar', 'Yusuf', 'Leila', 'Kwame', 'Ama',
  'Santiago', 'Valentina', 'Ethan', 'Ava', 'Jamal', 'Aisha', 'Tomasz', 'Zofia', 'Lars', 'Ingrid', 'Rohan', 'Ananya',
  'Chen', 'Lin', 'Diego', 'Camila', 'Marcus', 'Grace', 'Ibrahim', 'Zainab', 'Nikhil', 'Kavya', 'Tariq', 'Noor',
  'Elijah', 'Hannah', 'Mohammed', 'Sara', 'Jonas', 'Freya', 'Tariku', 'Selam', 'Kofi', 'Efua', 'Arjun', 'Meera',
  'Haruto', 'Sakura', 'Javier', 'Isabel', 'Connor', 'Siobhan', 'Ravi', 'Deepa', 'Andrei', 'Elena', 'Bao', 'Linh',
  'Gabriel', 'Beatriz', 'Samuel', 'Naomi', 'Erik', 'Astrid', 'Nia', 'Malik',
];
const LAST = [
  'Sharma', 'Patel', 'Zhang', 'Li', 'Wang', 'Adeyemi', 'Okafor', 'García', 'Fernández', 'Rossi', 'Smith', 'Johnson',
  'Tanaka', 'Sato', 'Kim', 'Park', 'Ivanova', 'Petrov', 'Haddad', 'Khan', 'Rahman', 'Mensah', 'Boateng', 'Silva',
  'Santos', 'Müller', 'Schmidt', 'Kowalski', 'Nowak', 'Johansson', 'Lindqvist', 'Iyer', 'Reddy', 'Nguyen', 'Tran',
  'Cohen', 'Levi', 'Mizrahi', 'Brown', 'Williams', 'Davis', "O'Brien", 'Murphy', 'Hassan', 'Ali', 'Abebe', 'Tesfaye',
  'Chowdhury', 'Gupta', 'Mehta', 'Yamamoto', 'Choi', 'Lopez', 'Martinez', 'Dubois', 'Moreau', 'Novak', 'Horvat',
  'Okonkwo', 'Eze', 'Osei', 'Kariuki', 'Wanjiru', 'Delgado', 'Castillo', 'Bianchi', 'Andersen', 'Virtanen', 'Costa',
];
const US_CITIES = [
  'San Francisco, CA', 'Seattle, WA', 'New York, NY', 'Austin, TX', 'Boston, MA', 'Chicago, IL', 'Denver, CO',
  'Atlanta, GA', 'Raleigh, NC', 'Pittsburgh, PA', 'Phoenix, AZ', 'Columbus, OH', 'Minneapolis, MN', 'Portland, OR',
  'Salt Lake City, UT', 'Tampa, FL', 'Remote (US)',
];
const NON_US_CITIES = [
  'Bengaluru, India', 'Hyderabad, India', 'Pune, India', 'Beijing, China', 'Shanghai, China', 'Zurich, Switzerland',
  'Haifa, Israel', 'Tel Aviv, Israel', 'Toronto, Canada', 'Waterloo, Canada', 'London, UK', 'Berlin, Germany',
  'Munich, Germany', 'Warsaw, Poland', 'Lagos, Nigeria', 'Nairobi, Kenya', 'São Paulo, Brazil', 'Singapore',
  'Seoul, South Korea', 'Tokyo, Japan', 'Amsterdam, Netherlands', 'Stockholm, Sweden', 'Mexico City, Mexico',
];

const schools = (tier: 1 | 2 | 3, nonUs?: boolean) =>
  SCHOOLS.filter((s) => s.tier === tier && (nonUs === undefined || (s.country !== 'US') === nonUs)).map((s) => s.name);
const companies = (tier: 1 | 2 | 3, nonUs?: boolean) =>
  COMPANIES.filter((c) => c.tier === tier && (nonUs === undefined || (c.country !== 'US') === nonUs)).map((c) => c.name);

const LANGS = ['Java', 'Python', 'Golang', 'TypeScript', 'Kotlin', 'C++', 'Rust', 'Scala', 'Ruby', 'C#'];
const DOMAINS = [
  'payments', 'search ranking', 'ads delivery', 'checkout', 'fraud detection', 'logistics routing', 'identity',
  'observability', 'recommendations', 'billing', 'mobile onboarding', 'data warehouse', 'messaging', 'maps',
  'storage', 'notifications', 'pricing', 'inventory', 'video streaming', 'developer tooling',
];
const TECH_SKILLS = [
  'Java', 'Python', 'Go', 'TypeScript', 'Kotlin', 'C++', 'Rust', 'Scala', 'Ruby', 'SQL', 'PostgreSQL', 'Kafka',
  'Kubernetes', 'AWS', 'GCP', 'React', 'gRPC', 'Redis', 'Spark', 'Terraform', 'Docker', 'Distributed systems',
];
const NON_TECH_SKILLS = {
  pm: ['Product strategy', 'Roadmapping', 'User research', 'A/B testing', 'SQL', 'Stakeholder management', 'Jira'],
  recruiter: ['Technical recruiting', 'Sourcing', 'Greenhouse', 'Employer branding', 'Negotiation', 'LinkedIn Recruiter'],
  sales: ['Enterprise sales', 'Salesforce CRM', 'Negotiation', 'Forecasting', 'Account management', 'Cold outreach'],
  'sales-eng': ['Technical demos', 'Solution design', 'RFP responses', 'Salesforce CRM', 'Presentations', 'APIs'],
  analyst: ['SQL', 'Tableau', 'Excel', 'Looker', 'Forecasting', 'Data storytelling', 'Python'],
  designer: ['Figma', 'Prototyping', 'Usability testing', 'Design systems', 'Interaction design'],
  other: ['Excel', 'Communication', 'Project coordination', 'Budgeting', 'Customer service', 'Training'],
  em: ['People management', 'Hiring', 'Agile', 'System design', 'Roadmapping', 'Mentoring'],
  research: ['Python', 'C++', 'PyTorch', 'LaTeX', 'Statistics', 'CUDA', 'Machine learning', 'Technical writing'],
} as const;

type Track = 'eng' | 'em' | 'pm' | 'recruiter' | 'sales' | 'sales-eng' | 'analyst' | 'analyst-coder' | 'designer' | 'other';

/** Titles by level 0..6 for each track; the generator checks each title's rubric level. */
const LADDERS: Record<Track, string[][]> = {
  eng: [
    ['Software Engineering Intern', 'Backend Engineering Intern'],
    ['Junior Software Engineer', 'Software Engineer I', 'Associate Software Engineer', 'Junior Developer'],
    ['Software Engineer', 'Software Engineer II', 'Backend Engineer', 'Full Stack Developer', 'Frontend Engineer', 'Mobile Developer'],
    ['Senior Software Engineer', 'Senior Backend Engineer', 'Senior Frontend Engineer', 'Senior Platform Engineer'],
    ['Staff Software Engineer', 'Tech Lead', 'Lead Software Engineer', 'Staff Engineer'],
    ['Principal Engineer', 'Senior Staff Engineer', 'Principal Software Engineer'],
    ['Distinguished Engineer', 'Fellow'],
  ],
  em: [[], [], [], [], ['Engineering Manager'], ['Senior Engineering Manager', 'Director of Engineering'], ['VP of Engineering', 'Head of Engineering']],
  pm: [['Product Management Intern'], ['Associate Product Manager'], ['Product Manager'], ['Senior Product Manager'], ['Lead Product Manager'], ['Director of Product'], ['VP of Product']],
  recruiter: [['Recruiting Intern'], ['Associate Recruiter'], ['Technical Recruiter', 'Recruiter'], ['Senior Technical Recruiter'], ['Lead Recruiter'], ['Director of Talent Acquisition'], ['Head of Talent']],
  sales: [['Sales Intern'], ['Associate Account Executive', 'Junior Sales Representative'], ['Account Executive', 'Sales Representative'], ['Senior Account Executive'], ['Sales Team Lead'], ['Director of Sales'], ['VP of Sales']],
  'sales-eng': [[], ['Associate Sales Engineer'], ['Sales Engineer', 'Solutions Engineer', 'Field Engineer'], ['Senior Sales Engineer', 'Senior Solutions Engineer'], ['Lead Solutions Engineer'], ['Director of Solutions'], []],
  analyst: [['Data Analyst Intern'], ['Junior Data Analyst'], ['Data Analyst', 'Business Analyst'], ['Senior Data Analyst', 'Senior Business Analyst'], ['Lead Data Analyst'], ['Director of Analytics'], []],
  'analyst-coder': [[], ['Junior Analyst'], ['Quantitative Analyst', 'Business Analyst', 'Operations Analyst'], ['Senior Quantitative Analyst', 'Senior Analyst'], ['Lead Analyst'], [], []],
  designer: [['Design Intern'], ['Junior Product Designer'], ['Product Designer', 'UX Designer'], ['Senior Product Designer'], ['Lead Product Designer'], ['Design Director'], ['VP of Design']],
  other: [[], [], [], [], [], [], []], // see PROFESSIONS
};

const HANDS_ON: Record<Track, boolean> = {
  eng: true, em: false, pm: false, recruiter: false, sales: false, 'sales-eng': false, analyst: false,
  'analyst-coder': true, designer: false, other: false,
};

function describe(r: Rng, track: Track, level: number): string {
  const lang = r.pick(LANGS);
  const lang2 = r.pick(LANGS.filter((l) => l !== lang));
  const d = r.pick(DOMAINS);
  const n = r.int(2, 40);
  const pools: Record<Track, string[]> = {
    eng: [
      `Built and maintained ${lang} microservices for ${d}; wrote unit tests and reviewed pull requests.`,
      `Implemented ${d} features in ${lang} and React, and refactored the legacy codebase to cut p99 latency by ${n}%.`,
      `Designed and shipped a ${d} API in ${lang}; owned CI/CD and on-call for the backend.`,
      `Wrote ${lang} data pipelines on Spark (ETL) that process ${n * 10}M events a day.`,
      `Migrated the ${d} backend to Kubernetes with Terraform; debugged production incidents and added integration tests.`,
      `Ported the ${d} service from ${lang2} to ${lang}, keeping the public APIs stable and the code covered by unit tests.`,
      ...(level >= 3
        ? [
            `Led the design of the ${d} platform and implemented its core in ${lang}; mentored ${Math.min(n, 12)} engineers through code reviews.`,
            `Set technical direction for ${d} and still writes code every week: owns the critical-path APIs in ${lang}.`,
          ]
        : []),
      ...(level >= 5 ? [`Architect of the company-wide ${d} SDK and its ${lang} backend; reviews the pull requests of ${n} teams.`] : []),
    ],
    'analyst-coder': [
      `Wrote and maintained production Python services for ${d}; refactored the pricing codebase and added unit tests.`,
      `Implemented the ${d} reconciliation engine in ${lang} and deployed it behind an internal API used by ${n} teams.`,
      `Owns a Python and SQL ETL codebase that feeds the ${d} backend; debugged and refactored it for a ${n}x speed-up.`,
    ],
    em: [
      `Managed a team of ${Math.min(n, 14)} engineers on ${d}; ran hiring, performance reviews and quarterly planning.`,
      `Owned the ${d} roadmap and budget for ${n + 8} engineers across three teams, working with stakeholders in product and design.`,
      `Grew the ${d} group from ${Math.min(n, 6)} to ${n + 6} people; set headcount plans and ran hiring for engineering.`,
    ],
    pm: [
      `Owned the roadmap for ${d}; ran customer interviews and wrote specs with engineering.`,
      `Launched ${d} to ${n * 100}K users, aligning stakeholders and prioritising the backlog.`,
      `Defined the ${d} strategy and success metrics; presented slides to leadership every quarter.`,
    ],
    recruiter: [
      `Sourced and hired ${n + 10} backend and frontend engineers; managed the interview loop and closed offers.`,
      `Ran recruiting for the ${d} organisation: sourcing, phone screens and a pipeline of candidates for ${n} open roles.`,
      `Built the campus hiring program and its campaigns; hired ${n} new graduates a year.`,
    ],
    sales: [
      `Exceeded quota for ${Math.min(n, 12)} consecutive quarters; closed $${n}M in new revenue across enterprise accounts.`,
      `Managed ${n * 3} mid-market accounts and renewed their contracts; ran demos with the solutions team.`,
      `Opened a new territory and grew it to $${n}M of annual revenue through outbound campaigns.`,
    ],
    'sales-eng': [
      `Ran technical demos for prospects and answered RFPs; supported deals worth $${n}M with the sales team.`,
      `Partnered with account executives on ${n * 2} enterprise deals: discovery calls, demos and proof-of-concept plans.`,
      `Owned technical relationships with strategic accounts and translated customer needs into specs for product.`,
    ],
    analyst: [
      `Built dashboards in Tableau and SQL reports for stakeholders in ${d}.`,
      `Forecast ${d} demand in Excel and presented slides with recommendations to the leadership team.`,
      `Ran weekly business reviews on ${d} metrics and the quarterly budget for the operations team.`,
    ],
    designer: [
      `Designed the ${d} onboarding flow; ran usability studies and presented slides to stakeholders.`,
      `Owned the design system for ${d}; worked with product on specs and with engineering on handoff.`,
    ],
    other: [
      `Prepared monthly closes, audits and budget variance reports for ${n} cost centres.`,
      `Taught algebra and statistics to ${n * 5} students a year and wrote the department's lessons plan.`,
      `Coordinated shipments and vendor contracts for ${n} regional warehouses.`,
      `Cared for patients on a ${n}-bed surgical ward and trained new nurses.`,
      `Planned and ran marketing campaigns for ${n} product lines and tracked their revenue impact.`,
    ],
  };
  const pool = pools[track];
  const k = r.weighted([[1, 5], [2, 4], [3, 1]] as const);
  return r.some(pool, Math.min(k, pool.length), Math.min(k, pool.length)).join(' ');
}

function skillsFor(r: Rng, tracks: string[]): string[] {
  const pool = new Set<string>();
  for (const t of tracks) {
    if (t === 'eng' || t === 'analyst-coder') TECH_SKILLS.forEach((s) => pool.add(s));
    else (NON_TECH_SKILLS[t as keyof typeof NON_TECH_SKILLS] ?? NON_TECH_SKILLS.other).forEach((s) => pool.add(s));
  }
  return r.some([...pool], 0, 10);
}

// ---------------------------------------------------------------------------
// Careers
// ---------------------------------------------------------------------------

interface Stint {
  company: string;
  title: string;
  months: number;
  track: Track;
  level: number;
  description?: string;
  /** Months with no role after this stint. */
  gapAfter?: number;
}

function titleFor(r: Rng, track: Track, level: number): string {
  const options = LADDERS[track][level];
  if (!options || options.length === 0) throw new Error(`no ${track} title at level ${level}`);
  const t = r.pick(options);
  if (titleLevel(t) !== level) throw new Error(`title "${t}" is level ${titleLevel(t)} by the rubric, not ${level}`);
  return t;
}

interface ClimbOptions {
  track: Track;
  startLevel: number;
  maxLevel: number;
  /** Months at each level before the next promotion. */
  perLevel: [number, number];
  totalMonths: number;
  company: () => string;
  /** Chance to change company at a promotion. */
  switchP: number;
  /** Chance to change company while staying at the same level (flat careers). */
  lateralEvery?: [number, number];
}

function climb(r: Rng, o: ClimbOptions): Stint[] {
  const out: Stint[] = [];
  let level = o.startLevel;
  let left = o.totalMonths;
  let company = o.company();
  while (left > 0) {
    const maxHere = LADDERS[o.track][level + 1]?.length ? o.maxLevel : level;
    let stay = level < maxHere ? r.int(o.perLevel[0], o.perLevel[1]) : left;
    if (o.lateralEvery && level >= maxHere) stay = Math.min(left, r.int(o.lateralEvery[0], o.lateralEvery[1]));
    if (left - stay < 6) stay = left;
    out.push({ company, title: titleFor(r, o.track, level), months: stay, track: o.track, level });
    left -= stay;
    if (level < maxHere) {
      level++;
      if (r.chance(o.switchP)) company = o.company();
    } else if (o.lateralEvery) company = o.company();
  }
  return out;
}

/** Non-technical professions for the 'other' track: titles by level, fitting employers and descriptions. */
const PROFESSIONS: Array<{ titles: string[][]; employers: string[]; descriptions: string[] }> = [
  {
    titles: [[], ['Junior Accountant'], ['Accountant', 'Auditor'], ['Senior Accountant'], []],
    employers: ['Mesa Ridge Insurance', 'State Farm', 'Greyfield Retail Group', 'Harborview Logistics'],
    descriptions: ['Prepared monthly closes, audits and budget variance reports.', 'Reconciled ledgers and supported the annual audits.', 'Owned accounts payable and the quarterly budget review for two business units.'],
  },
  {
    titles: [[], ['Trainee Teacher'], ['Teacher', 'Math Teacher'], ['Senior Teacher'], []],
    employers: ['Brightside Charter Academy', 'Lakeview Public Schools', 'Riverside Unified District'],
    descriptions: ['Taught algebra and statistics to 140 students a year and wrote the department lessons plan.', 'Taught four classes a year and ran the after-school reading program.', 'Taught science lessons to three grades and coordinated the science fair.'],
  },
  {
    titles: [[], ['Graduate Nurse'], ['Registered Nurse'], ['Senior Nurse'], []],
    employers: ['Pinecrest Health', 'Mercy Valley Hospital'],
    descriptions: ['Cared for patients on a 28-bed surgical ward and trained new nurses.', 'Triaged emergency patients and coordinated care with physicians.'],
  },
  {
    titles: [[], ['Marketing Associate'], ['Marketing Specialist'], ['Senior Marketing Specialist'], []],
    employers: ['Greyfield Retail Group', 'Walmart', 'Mesa Ridge Insurance'],
    descriptions: ['Planned and ran marketing campaigns for 12 product lines and tracked their revenue impact.', 'Managed the email campaign calendar and partnerships with local retailers.'],
  },
  {
    titles: [[], ['Junior Logistics Coordinator'], ['Logistics Coordinator', 'Operations Specialist'], ['Senior Logistics Coordinator'], []],
    employers: ['Harborview Logistics', 'Walmart', 'Greyfield Retail Group'],
    descriptions: ['Coordinated shipments and vendor contracts for 9 regional warehouses.', 'Scheduled carriers and negotiated freight contracts; cut late deliveries by a third.'],
  },
];

/** A career in one non-technical profession (the 'other' track). */
function otherCareer(r: Rng, o: { startLevel: number; maxLevel: number; perLevel: [number, number]; totalMonths: number }): Stint[] {
  const prof = r.pick(PROFESSIONS);
  const out: Stint[] = [];
  let level = o.startLevel;
  let left = o.totalMonths;
  let company = r.pick(prof.employers);
  while (left > 0) {
    const canRise = level < o.maxLevel && (prof.titles[level + 1]?.length ?? 0) > 0;
    let stay = canRise ? r.int(o.perLevel[0], o.perLevel[1]) : left;
    if (left - stay < 6) stay = left;
    const title = r.pick(prof.titles[level]!);
    if (titleLevel(title) !== level) throw new Error(`title "${title}" is level ${titleLevel(title)} by the rubric, not ${level}`);
    out.push({ company, title, months: stay, track: 'other', level, description: r.some(prof.descriptions, 1, 2).join(' ') });
    left -= stay;
    if (canRise) {
      level++;
      if (r.chance(0.4)) company = r.pick(prof.employers);
    }
  }
  return out;
}

const ym = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
const REF = monthIndex(REFERENCE_MONTH);

/** Lay stints end to end so the last one ends at the reference month (current) or `trailing` months before it. */
function layout(r: Rng, stints: Stint[], opts: { current: boolean; trailing?: number }): { experience: Experience[]; start: number } {
  const total = stints.reduce((s, x) => s + x.months + (x.gapAfter ?? 0), 0) - (stints[stints.length - 1]?.gapAfter ?? 0);
  const anchor = REF - (opts.current ? 0 : (opts.trailing ?? r.int(1, 5)));
  let cursor = anchor - total;
  const start = cursor;
  const experience = stints.map((s, i) => {
    const end = cursor + s.months;
    const last = i === stints.length - 1;
    const e: Experience = {
      company: s.company,
      title: s.title,
      start: ym(cursor),
      end: last && opts.current ? null : ym(end),
      description: s.description ?? describe(r, s.track, s.level),
    };
    const facts = classifyRole(e);
    if (facts.kind !== 'break' && facts.handsOn !== HANDS_ON[s.track]) {
      throw new Error(`generator: "${e.title}: ${e.description}" should be hands-on=${HANDS_ON[s.track]}`);
    }
    cursor = end + (s.gapAfter ?? 0);
    return e;
  });
  return { experience: experience.reverse(), start }; // most recent first, as profiles usually show
}

function yearOf(m: number): number {
  return Math.floor(m / 12);
}

/** A degree that ends the summer before `careerStart` (or `yearsBefore` earlier). */
function degree(school: string, deg: string, field: string, endYear: number): Education {
  const len = /^PhD/.test(deg) ? 5 : /^(MS|MSc|MEng|MBA|MTech)/.test(deg) ? 2 : 4;
  return { school, degree: deg, field, start_year: endYear - len, end_year: endYear };
}

const CS_FIELDS = ['Computer Science', 'Computer Science', 'Computer Engineering', 'Software Engineering', 'Electrical Engineering', 'Mathematics'];
const OTHER_FIELDS = ['Economics', 'Business Administration', 'Psychology', 'English Literature', 'Communications', 'Biology', 'Accounting', 'History', 'Marketing'];
const BACHELORS = ['BS', 'BS', 'BSc', 'BEng'];

function schoolFor(r: Rng, tier: 1 | 2 | 3, nonUs: boolean): string {
  const pool = schools(tier, nonUs);
  return r.pick(pool.length ? pool : schools(tier));
}
function companyFor(r: Rng, tier: 1 | 2 | 3, nonUs: boolean): string {
  if (tier === 1) return r.pick(companies(1));
  const local = companies(tier, true);
  return nonUs && local.length && r.chance(0.6) ? r.pick(local) : r.pick(companies(tier, false));
}

// ---------------------------------------------------------------------------
// Archetypes
// ---------------------------------------------------------------------------

interface Draft {
  education: Education[];
  experience: Experience[];
  /** Ladders used, for skills (plus 'research'). */
  tracks: string[];
  strata: string[];
  headline?: string;
}

type Archetype = (r: Rng, nonUs: boolean) => Draft;

const tierPick = (r: Rng, w: [number, number, number]) => r.weighted([[1, w[0]], [2, w[1]], [3, w[2]]] as const) as 1 | 2 | 3;

function bachelor(r: Rng, tier: 1 | 2 | 3, nonUs: boolean, field: string, endYear: number): Education {
  const technical = CS_FIELDS.includes(field) || field === 'Physics';
  const deg = !technical ? r.pick(nonUs ? ['BA', 'BSc', 'BCom'] : ['BA', 'BA', 'BS']) : nonUs ? r.pick(['BTech', 'BSc', 'BEng', 'BS']) : r.pick(BACHELORS);
  return degree(schoolFor(r, tier, nonUs), deg, field, endYear);
}

function engCareer(r: Rng, nonUs: boolean, o: { schoolW: [number, number, number]; companyW: [number, number, number]; years: [number, number]; perLevel: [number, number]; maxLevel: number; startLevel?: number; master?: number }): Draft {
  const total = r.int(o.years[0] * 12, o.years[1] * 12);
  const stints = climb(r, {
    track: 'eng',
    startLevel: o.startLevel ?? r.pick([1, 2, 2]),
    maxLevel: o.maxLevel,
    perLevel: o.perLevel,
    totalMonths: total,
    company: () => companyFor(r, tierPick(r, o.companyW), nonUs),
    switchP: 0.45,
  });
  const intern = r.chance(0.35) ? [{ company: companyFor(r, tierPick(r, o.companyW), nonUs), title: titleFor(r, 'eng', 0), months: 3, track: 'eng' as const, level: 0, gapAfter: r.int(7, 10) }] : [];
  const { experience, start } = layout(r, [...intern, ...stints], { current: r.chance(0.9) });
  const firstFull = start + (intern.length ? 13 : 0);
  const gradYear = yearOf(firstFull - 2);
  const education = [bachelor(r, tierPick(r, o.schoolW), nonUs, r.pick(CS_FIELDS), gradYear)];
  if (r.chance(o.master ?? 0.2)) {
    const ms = degree(schoolFor(r, tierPick(r, o.schoolW), nonUs), r.pick(['MS', 'MSc', 'MEng']), 'Computer Science', gradYear);
    education[0] = { ...education[0]!, start_year: gradYear - 6, end_year: gradYear - 2 };
    education.unshift(ms);
  }
  return { education, experience, tracks: ['eng'], strata: ['engineer'] };
}

const ARCHETYPES: Record<string, { weight: number; make: Archetype }> = {
  'elite-engineer': {
    weight: 10,
    make: (r, nonUs) => engCareer(r, nonUs, { schoolW: [7, 2, 1], companyW: [7, 3, 0], years: [4, 14], perLevel: [18, 36], maxLevel: 5 }),
  },
  'strong-engineer': {
    weight: 12,
    make: (r, nonUs) => engCareer(r, nonUs, { schoolW: [3, 5, 2], companyW: [3, 5, 2], years: [3, 14], perLevel: [24, 54], maxLevel: 5 }),
  },
  'average-engineer': {
    weight: 12,
    make: (r, nonUs) => engCareer(r, nonUs, { schoolW: [0, 2, 8], companyW: [0, 2, 8], years: [2, 15], perLevel: [30, 80], maxLevel: 4 }),
  },
  'flat-engineer': {
    weight: 6,
    make: (r, nonUs) => {
      const d = engCareer(r, nonUs, { schoolW: [2, 3, 5], companyW: [2, 3, 5], years: [6, 14], perLevel: [200, 200], maxLevel: 2, startLevel: 2 });
      return { ...d, strata: ['engineer', 'flat'] };
    },
  },
  'new-grad': {
    weight: 6,
    make: (r, nonUs) => {
      const d = engCareer(r, nonUs, { schoolW: [3, 3, 4], companyW: [3, 3, 4], years: [0, 2], perLevel: [30, 40], maxLevel: 2, startLevel: r.pick([1, 2]), master: 0.1 });
      return { ...d, strata: ['engineer', 'new-grad'] };
    },
  },
  bootcamp: {
    weight: 7,
    make: (r, nonUs) => {
      const total = r.int(8, 72);
      const stints = climb(r, { track: 'eng', startLevel: 1, maxLevel: 3, perLevel: [18, 40], totalMonths: total, company: () => companyFor(r, tierPick(r, [1, 2, 9]), nonUs), switchP: 0.5 });
      const { experience, start } = layout(r, stints, { current: r.chance(0.85) });
      const camp = yearOf(start - 1);
      const education: Education[] = [{ school: r.pick(BOOTCAMPS), degree: 'Certificate', field: 'Full-Stack Web Development', start_year: camp, end_year: camp }];
      if (r.chance(0.5)) education.push(degree(schoolFor(r, tierPick(r, [1, 2, 7]), nonUs), 'BA', r.pick(OTHER_FIELDS), camp - r.int(1, 3)));
      return { education, experience, tracks: ['eng'], strata: ['bootcamp', 'engineer'] };
    },
  },
  'career-changer': {
    weight: 7,
    make: (r, nonUs) => {
      const before = otherCareer(r, { startLevel: r.pick([1, 2]), maxLevel: 3, perLevel: [24, 60], totalMonths: r.int(36, 120) });
      const after = climb(r, { track: 'eng', startLevel: r.pick([1, 1, 2]), maxLevel: 4, perLevel: [18, 42], totalMonths: r.int(10, 84), company: () => companyFor(r, tierPick(r, [1, 3, 8]), nonUs), switchP: 0.5 });
      const last = before[before.length - 1]!;
      last.gapAfter = r.int(3, 12);
      const { experience, start } = layout(r, [...before, ...after], { current: r.chance(0.9) });
      const education: Education[] = [degree(schoolFor(r, tierPick(r, [1, 3, 8]), nonUs), 'BA', r.pick(OTHER_FIELDS), yearOf(start - 2))];
      if (r.chance(0.5)) {
        const y = yearOf(monthIndex(experience[experience.length - before.length - 1]!.start) - 1);
        education.unshift({ school: r.pick(BOOTCAMPS), degree: 'Certificate', field: 'Software Engineering Immersive', start_year: y, end_year: y });
      }
      return { education, experience, tracks: ['other', 'eng'], strata: ['career-changer'] };
    },
  },
  'non-engineer-strong': {
    weight: 9,
    make: (r, nonUs) => {
      const track = r.pick(['pm', 'recruiter', 'sales', 'designer', 'analyst'] as const);
      const stints = climb(r, { track, startLevel: r.pick([1, 2]), maxLevel: 5, perLevel: [20, 48], totalMonths: r.int(24, 168), company: () => companyFor(r, tierPick(r, [6, 4, 1]), nonUs), switchP: 0.4 });
      const { experience, start } = layout(r, stints, { current: r.chance(0.9) });
      const field = track === 'pm' && r.chance(0.4) ? 'Computer Science' : r.pick(OTHER_FIELDS);
      const education = [bachelor(r, tierPick(r, [5, 3, 2]), nonUs, field, yearOf(start - 2))];
      if (track === 'pm' && r.chance(0.4)) education.unshift(degree(schoolFor(r, tierPick(r, [6, 3, 1]), nonUs), 'MBA', 'Business Administration', Math.min(2025, yearOf(start) + r.int(2, 5))));
      return { education, experience, tracks: [track], strata: ['non-engineer', `role-${track}`] };
    },
  },
  'non-engineer': {
    weight: 8,
    make: (r, nonUs) => {
      const track = r.pick(['pm', 'recruiter', 'sales', 'analyst', 'other', 'other'] as const);
      const stints = track === 'other'
        ? otherCareer(r, { startLevel: r.pick([1, 2]), maxLevel: 3, perLevel: [30, 90], totalMonths: r.int(24, 180) })
        : climb(r, { track, startLevel: r.pick([1, 2]), maxLevel: 4, perLevel: [30, 90], totalMonths: r.int(24, 180), company: () => companyFor(r, tierPick(r, [0, 1, 9]), nonUs), switchP: 0.4 });
      const { experience, start } = layout(r, stints, { current: r.chance(0.85) });
      const education: Education[] = r.chance(0.7) ? [bachelor(r, tierPick(r, [0, 1, 9]), nonUs, r.pick(OTHER_FIELDS), yearOf(start - 2))] : [{ school: r.pick(['Moraine Valley State College', 'Bellmont College']), degree: 'Associate of Arts', field: 'General Studies', start_year: yearOf(start) - 3, end_year: yearOf(start) - 1 }];
      return { education, experience, tracks: [track], strata: ['non-engineer', `role-${track}`] };
    },
  },
  'title-mismatch': {
    weight: 5,
    make: (r, nonUs) => {
      const track = r.pick(['sales-eng', 'analyst-coder'] as const);
      const stints = climb(r, { track, startLevel: r.pick([1, 2]), maxLevel: 3, perLevel: [24, 60], totalMonths: r.int(24, 132), company: () => companyFor(r, tierPick(r, [3, 3, 4]), nonUs), switchP: 0.4 });
      const { experience, start } = layout(r, stints, { current: true });
      const education = [bachelor(r, tierPick(r, [2, 3, 5]), nonUs, r.pick([...CS_FIELDS, ...OTHER_FIELDS]), yearOf(start - 2))];
      return { education, experience, tracks: [track], strata: ['title-mismatch', track === 'sales-eng' ? 'non-engineer' : 'engineer'] };
    },
  },
  'engineering-manager': {
    weight: 6,
    make: (r, nonUs) => {
      const ic = climb(r, { track: 'eng', startLevel: 2, maxLevel: 3, perLevel: [24, 48], totalMonths: r.int(36, 96), company: () => companyFor(r, tierPick(r, [3, 4, 3]), nonUs), switchP: 0.5 });
      const mgmt = climb(r, { track: 'em', startLevel: 4, maxLevel: 6, perLevel: [24, 60], totalMonths: r.int(18, 120), company: () => companyFor(r, tierPick(r, [3, 4, 3]), nonUs), switchP: 0.5 });
      const { experience, start } = layout(r, [...ic, ...mgmt], { current: r.chance(0.9) });
      const education = [bachelor(r, tierPick(r, [3, 4, 3]), nonUs, r.pick(CS_FIELDS), yearOf(start - 2))];
      return { education, experience, tracks: ['eng', 'em'], strata: ['manager', 'engineer'] };
    },
  },
  'senior-ic': {
    weight: 6,
    make: (r, nonUs) => {
      const d = engCareer(r, nonUs, { schoolW: [3, 4, 3], companyW: [4, 4, 2], years: [12, 26], perLevel: [30, 66], maxLevel: 6, startLevel: 2, master: 0.35 });
      return { ...d, strata: ['engineer', 'senior-ic'] };
    },
  },
  phd: {
    weight: 6,
    make: (r, nonUs) => {
      const tier = tierPick(r, [5, 4, 1]);
      const field = r.pick(['Computer Science', 'Physics', 'Computational Biology', 'Machine Learning', 'Applied Mathematics']);
      const industry = r.chance(0.45);
      const school = schoolFor(r, tier, nonUs);
      const stints: Stint[] = [];
      const phdMonths = r.int(48, 72);
      const code = r.chance(0.8);
      stints.push({ company: school, title: r.pick(['PhD Researcher', 'Graduate Research Assistant', 'Doctoral Researcher']), months: phdMonths, track: code ? 'eng' : 'other', level: 2, description: code ? `Implemented ${r.pick(['graph neural network', 'compiler optimisation', 'protein folding', 'distributed consensus', 'robot planning'])} models in Python and C++; released the code as an open-source library.` : 'Taught two undergraduate courses and published five papers on theoretical topics.' });
      if (!industry && r.chance(0.5)) stints.push({ company: r.pick([school, schoolFor(r, tierPick(r, [5, 4, 1]), nonUs)]), title: 'Postdoctoral Researcher', months: r.int(12, 36), track: code ? 'eng' : 'other', level: 2, description: code ? 'Maintains the lab codebase in Python and Rust and wrote the data pipeline for two papers.' : 'Led a grant-funded study and taught graduate lessons on statistics.' });
      if (industry) stints.push(...climb(r, { track: 'eng', startLevel: r.pick([2, 3]), maxLevel: 5, perLevel: [24, 48], totalMonths: r.int(12, 96), company: () => companyFor(r, tierPick(r, [5, 3, 2]), nonUs), switchP: 0.4 }));
      const { experience, start } = layout(r, stints, { current: r.chance(0.9) });
      const phdEnd = yearOf(start + phdMonths);
      const education: Education[] = [
        { school, degree: 'PhD', field, start_year: yearOf(start), end_year: phdEnd },
        bachelor(r, tierPick(r, [4, 4, 2]), nonUs, field === 'Physics' ? 'Physics' : r.pick(CS_FIELDS), yearOf(start - 2)),
      ];
      return { education, experience, tracks: industry ? ['research', 'eng'] : ['research'], strata: industry ? ['phd', 'engineer'] : ['phd', 'phd-no-industry'] };
    },
  },
  contractor: {
    weight: 5,
    make: (r, nonUs) => {
      const n = r.int(3, 7);
      const stints: Stint[] = [];
      for (let i = 0; i < n; i++) {
        const tier = tierPick(r, [3, 3, 4]);
        const base = companyFor(r, tier, nonUs);
        const viaAgency = tier !== 3 && r.chance(0.6);
        const level = r.pick([2, 2, 3]);
        stints.push({
          company: viaAgency ? `${base} (via ${r.pick(['Randstad', 'TEKsystems', 'Toptal', 'Hays'])})` : base,
          title: viaAgency ? titleFor(r, 'eng', level) : `${level === 3 ? 'Senior ' : ''}Contract Software Engineer`,
          months: r.int(4, 18),
          track: 'eng',
          level,
          gapAfter: r.int(0, 3),
        });
      }
      const { experience, start } = layout(r, stints, { current: r.chance(0.6) });
      const education = r.chance(0.8) ? [bachelor(r, tierPick(r, [1, 3, 6]), nonUs, r.pick(CS_FIELDS), yearOf(start - 2))] : [];
      return { education, experience, tracks: ['eng'], strata: ['contractor', 'engineer'] };
    },
  },
  gap: {
    weight: 6,
    make: (r, nonUs) => {
      const d = engCareer(r, nonUs, { schoolW: [2, 4, 4], companyW: [2, 4, 4], years: [4, 14], perLevel: [24, 54], maxLevel: 4 });
      const exp = d.experience;
      if (exp.length >= 2 && r.chance(0.7)) {
        // Push every older role back by a gap of 18-40 months, opening it before the most recent role.
        const shift = r.int(18, 40);
        const explained = r.chance(0.3);
        const moved = exp.slice(1).map((e) => ({ ...e, start: ym(monthIndex(e.start) - shift), end: e.end === null ? null : ym(monthIndex(e.end) - shift) }));
        const education = d.education.map((e) => ({ ...e, start_year: e.start_year - Math.ceil(shift / 12), end_year: e.end_year === null ? null : e.end_year - Math.ceil(shift / 12) }));
        const breakRole: Experience[] = explained
          ? [{ company: 'Career break', title: r.pick(['Parental leave', 'Caregiving', 'Sabbatical']), start: moved[0]!.end ?? moved[0]!.start, end: exp[0]!.start, description: r.pick(['Full-time parent to two young children.', 'Cared for a family member.', 'Travelled and took online courses.']) }]
          : [];
        return { ...d, education, experience: [exp[0]!, ...breakRole, ...moved], strata: explained ? ['engineer', 'gap', 'explained-gap'] : ['engineer', 'gap'] };
      }
      // Currently out of work for 18-36 months.
      const shift = r.int(18, 36);
      const moved = exp.map((e) => ({ ...e, start: ym(monthIndex(e.start) - shift), end: ym(Math.min(REF, monthIndex(e.end ?? REFERENCE_MONTH)) - shift) }));
      const education = d.education.map((e) => ({ ...e, start_year: e.start_year - Math.ceil(shift / 12), end_year: e.end_year === null ? null : e.end_year - Math.ceil(shift / 12) }));
      return { ...d, education, experience: moved, strata: ['engineer', 'gap', 'unemployed'] };
    },
  },
  'job-hopper': {
    weight: 4,
    make: (r, nonUs) => {
      const n = r.int(3, 6);
      const stints: Stint[] = [];
      for (let i = 0; i < n; i++) stints.push({ company: companyFor(r, tierPick(r, [1, 3, 6]), nonUs), title: titleFor(r, 'eng', r.pick([2, 2, 3])), months: r.int(4, 11), track: 'eng', level: 2, gapAfter: r.int(0, 2) });
      for (const s of stints) s.level = titleLevel(s.title);
      if (r.chance(0.5)) stints.unshift({ company: companyFor(r, tierPick(r, [1, 3, 6]), nonUs), title: titleFor(r, 'eng', 2), months: r.int(24, 48), track: 'eng', level: 2 });
      const { experience, start } = layout(r, stints, { current: r.chance(0.5) });
      const education = [bachelor(r, tierPick(r, [2, 3, 5]), nonUs, r.pick(CS_FIELDS), yearOf(start - 2))];
      return { education, experience, tracks: ['eng'], strata: ['engineer', 'job-hopper'] };
    },
  },
  'struggling-engineer': {
    weight: 6,
    make: (r, nonUs) => {
      // Little formal education, a short junior engineering record, and a long unexplained gap or short stints.
      const stints: Stint[] = [];
      if (r.chance(0.6)) stints.push(...otherCareer(r, { startLevel: r.pick([1, 2]), maxLevel: 2, perLevel: [24, 48], totalMonths: r.int(18, 60) }));
      const n = r.int(1, 3);
      for (let i = 0; i < n; i++) stints.push({ company: companyFor(r, 3, nonUs), title: titleFor(r, 'eng', r.pick([1, 1, 2])), months: r.int(3, 10), track: 'eng', level: 1, gapAfter: r.int(0, 3) });
      for (const s of stints) s.level = titleLevel(s.title);
      const gapAt = r.int(0, stints.length - 1);
      const gapMonths = r.int(18, 40);
      const unemployed = gapAt === stints.length - 1;
      if (!unemployed) stints[gapAt]!.gapAfter = gapMonths;
      const { experience, start } = layout(r, stints, unemployed ? { current: false, trailing: gapMonths } : { current: r.chance(0.7) });
      const education: Education[] = r.weighted([
        [[], 3],
        [[{ school: r.pick(['Moraine Valley State College', 'Bellmont College']), degree: 'Associate of Science', field: 'Computer Information Systems', start_year: yearOf(start) - 3, end_year: yearOf(start) - 1 }], 3],
        [[{ school: r.pick(BOOTCAMPS), degree: 'Certificate', field: 'Web Development', start_year: yearOf(start) - 1, end_year: yearOf(start) - 1 }], 2],
        [[{ school: schoolFor(r, 3, nonUs), degree: 'Coursework (no degree)', field: 'Computer Science', start_year: yearOf(start) - 3, end_year: null }], 1],
      ] as const) as Education[];
      return { education, experience, tracks: ['eng'], strata: ['engineer', 'gap'] };
    },
  },
  'self-taught': {
    weight: 5,
    make: (r, nonUs) => {
      const d = engCareer(r, nonUs, { schoolW: [0, 0, 1], companyW: [0, 1, 9], years: [1, 12], perLevel: [36, 90], maxLevel: 3 });
      const education: Education[] = r.chance(0.5) ? [] : [{ school: schoolFor(r, 3, nonUs), degree: 'Coursework (no degree)', field: 'Computer Science', start_year: d.education[0]!.start_year, end_year: null }];
      return { ...d, education, strata: ['engineer', 'self-taught'] };
    },
  },
};

// ---------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------

const HEADLINES: Record<string, (title: string, company: string) => string> = {
  plain: (t, c) => `${t} at ${c}`,
  pipe: (t, c) => `${t} | ${c}`,
  open: (t) => `${t} · open to new opportunities`,
};

function makeCandidate(r: Rng, used: Set<string>, draft: Draft, nonUs: boolean): CandidateProfile {
  let name = '';
  for (let i = 0; i < 50; i++) {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    name = `${first} ${last}`;
    if (!used.has(name)) break;
    name = `${first} ${String.fromCharCode(65 + r.int(0, 25))}. ${last}`;
    if (!used.has(name)) break;
  }
  const cur = draft.experience[0];
  const headline = cur && r.chance(0.6) ? r.pick(Object.values(HEADLINES))(cur.title, cur.company) : undefined;
  const location = r.chance(0.8) ? r.pick(nonUs ? NON_US_CITIES : US_CITIES) : undefined;
  const skills = skillsFor(r, draft.tracks);
  return {
    name,
    ...(headline !== undefined ? { headline } : {}),
    ...(location !== undefined ? { location } : {}),
    education: draft.education,
    experience: draft.experience,
    skills,
  };
}

export interface BuiltDataset {
  rows: DatasetRow[];
  generated: number;
  hard: number;
}

export function buildGeneratedRows(seed = SEED): DatasetRow[] {
  const r = new Rng(seed);
  const left = { ...GENERATED_QUOTAS };
  const total = Object.values(left).reduce((a, b) => a + b, 0);
  const rows: DatasetRow[] = [];
  const used = new Set<string>(HARD_CASES.map((h) => h.candidate.name));
  const names = Object.keys(ARCHETYPES);
  const weights = names.map((n) => [n, ARCHETYPES[n]!.weight] as const);
  for (let attempt = 0; rows.length < total; attempt++) {
    if (attempt > 200_000) throw new Error(`generator could not fill the class quotas: still need ${JSON.stringify(left)}`);
    const archetype = r.weighted(weights);
    const nonUs = r.chance(0.35);
    const draft = ARCHETYPES[archetype]!.make(r, nonUs);
    const candidate = makeCandidate(r, new Set(used), draft, nonUs);
    const label = labelProfile(candidate);
    if (left[label.recommendation] <= 0) continue;
    left[label.recommendation]--;
    used.add(candidate.name);
    const strata = ['generated', archetype, ...draft.strata.filter((s) => s !== archetype), ...(nonUs ? ['non-us'] : [])];
    rows.push({
      id: `cand-${String(rows.length + 1).padStart(4, '0')}`,
      candidate,
      gold: { recommendation: label.recommendation, analysis: label.analysis, rationale: label.rationale, key_facts: label.key_facts },
      strata: [...new Set(strata)],
    });
  }
  return rows;
}

export function buildDataset(seed = SEED): BuiltDataset {
  const generated = buildGeneratedRows(seed);
  const hard: DatasetRow[] = HARD_CASES.map((h, i) => ({
    id: `cand-h${String(i + 1).padStart(3, '0')}`,
    candidate: h.candidate,
    gold: h.gold,
    strata: [...new Set(['hard', ...h.strata])],
  }));
  return { rows: [...generated, ...hard], generated: generated.length, hard: hard.length };
}

/** The JSONL bytes: one row per line, keys in schema order, a trailing newline. */
export function serialize(rows: DatasetRow[]): string {
  return rows
    .map((row) =>
      JSON.stringify({
        id: row.id,
        candidate: {
          name: row.candidate.name,
          ...(row.candidate.headline !== undefined ? { headline: row.candidate.headline } : {}),
          ...(row.candidate.location !== undefined ? { location: row.candidate.location } : {}),
          education: row.candidate.education.map((e) => ({ school: e.school, degree: e.degree, field: e.field, start_year: e.start_year, end_year: e.end_year })),
          experience: row.candidate.experience.map((e) => ({ company: e.company, title: e.title, start: e.start, end: e.end, description: e.description })),
          skills: row.candidate.skills,
        },
        gold: {
          recommendation: row.gold.recommendation,
          analysis: {
            educational_pedigree: row.gold.analysis.educational_pedigree,
            company_pedigree: row.gold.analysis.company_pedigree,
            trajectory: row.gold.analysis.trajectory,
            is_software_engineer: row.gold.analysis.is_software_engineer,
          },
          rationale: row.gold.rationale,
          key_facts: row.gold.key_facts,
          ...(row.gold.note !== undefined ? { note: row.gold.note } : {}),
        },
        strata: row.strata,
      }),
    )
    .join('\n') + '\n';
}
