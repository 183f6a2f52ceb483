/**
 * The rubric's reference lists: school tiers, company tiers, bootcamps, and the word lists that
 * decide whether a role is hands-on software work. RUBRIC.md prints the same lists; a test keeps
 * them in step. Names are matched case-insensitively after normalising punctuation and accents.
 *
 * Tier 1 and tier 2 are closed lists. Any other accredited degree-granting school is tier 3
 * (it still counts as a degree); any other employer is tier 3.
 */

export type Tier = 1 | 2 | 3;

export interface Institution {
  name: string;
  tier: Tier;
  /** ISO-ish country, for the `non-us` stratum and for the generator. */
  country: string;
  aliases?: string[];
}

// ---------------------------------------------------------------------------
// Schools
// ---------------------------------------------------------------------------

export const SCHOOLS: Institution[] = [
  // Tier 1: top research universities for computing, US and abroad.
  { name: 'Massachusetts Institute of Technology', tier: 1, country: 'US', aliases: ['MIT'] },
  { name: 'Stanford University', tier: 1, country: 'US', aliases: ['Stanford'] },
  { name: 'Carnegie Mellon University', tier: 1, country: 'US', aliases: ['CMU', 'Carnegie Mellon'] },
  { name: 'University of California, Berkeley', tier: 1, country: 'US', aliases: ['UC Berkeley', 'Berkeley'] },
  { name: 'California Institute of Technology', tier: 1, country: 'US', aliases: ['Caltech'] },
  { name: 'Harvard University', tier: 1, country: 'US', aliases: ['Harvard'] },
  { name: 'Princeton University', tier: 1, country: 'US', aliases: ['Princeton'] },
  { name: 'Cornell University', tier: 1, country: 'US', aliases: ['Cornell'] },
  { name: 'University of Washington', tier: 1, country: 'US', aliases: ['UW Seattle'] },
  { name: 'Georgia Institute of Technology', tier: 1, country: 'US', aliases: ['Georgia Tech'] },
  { name: 'University of Illinois Urbana-Champaign', tier: 1, country: 'US', aliases: ['UIUC'] },
  { name: 'University of Oxford', tier: 1, country: 'UK', aliases: ['Oxford', 'Oxford University'] },
  { name: 'University of Cambridge', tier: 1, country: 'UK', aliases: ['Cambridge', 'Cambridge University'] },
  { name: 'Imperial College London', tier: 1, country: 'UK' },
  { name: 'ETH Zurich', tier: 1, country: 'CH', aliases: ['ETH Zürich', 'Swiss Federal Institute of Technology Zurich'] },
  { name: 'EPFL', tier: 1, country: 'CH', aliases: ['École Polytechnique Fédérale de Lausanne'] },
  { name: 'IIT Bombay', tier: 1, country: 'IN', aliases: ['Indian Institute of Technology Bombay'] },
  { name: 'IIT Delhi', tier: 1, country: 'IN', aliases: ['Indian Institute of Technology Delhi'] },
  { name: 'IIT Madras', tier: 1, country: 'IN', aliases: ['Indian Institute of Technology Madras'] },
  { name: 'IIT Kanpur', tier: 1, country: 'IN', aliases: ['Indian Institute of Technology Kanpur'] },
  { name: 'Tsinghua University', tier: 1, country: 'CN', aliases: ['Tsinghua'] },
  { name: 'Peking University', tier: 1, country: 'CN' },
  { name: 'Technion - Israel Institute of Technology', tier: 1, country: 'IL', aliases: ['Technion'] },
  { name: 'University of Waterloo', tier: 1, country: 'CA', aliases: ['Waterloo'] },
  { name: 'University of Toronto', tier: 1, country: 'CA' },
  { name: 'National University of Singapore', tier: 1, country: 'SG', aliases: ['NUS'] },
  { name: 'University of Tokyo', tier: 1, country: 'JP' },

  // Tier 2: strong, well-known universities.
  { name: 'University of Michigan', tier: 2, country: 'US' },
  { name: 'University of Texas at Austin', tier: 2, country: 'US', aliases: ['UT Austin'] },
  { name: 'University of California, Los Angeles', tier: 2, country: 'US', aliases: ['UCLA'] },
  { name: 'University of California, San Diego', tier: 2, country: 'US', aliases: ['UCSD', 'UC San Diego'] },
  { name: 'Columbia University', tier: 2, country: 'US' },
  { name: 'Yale University', tier: 2, country: 'US' },
  { name: 'University of Pennsylvania', tier: 2, country: 'US', aliases: ['UPenn'] },
  { name: 'Purdue University', tier: 2, country: 'US' },
  { name: 'University of Wisconsin-Madison', tier: 2, country: 'US' },
  { name: 'University of Maryland', tier: 2, country: 'US' },
  { name: 'University of Southern California', tier: 2, country: 'US', aliases: ['USC'] },
  { name: 'Rice University', tier: 2, country: 'US' },
  { name: 'Brown University', tier: 2, country: 'US' },
  { name: 'Duke University', tier: 2, country: 'US' },
  { name: 'Northwestern University', tier: 2, country: 'US' },
  { name: 'Virginia Tech', tier: 2, country: 'US' },
  { name: 'University of Massachusetts Amherst', tier: 2, country: 'US', aliases: ['UMass Amherst'] },
  { name: 'Technical University of Munich', tier: 2, country: 'DE', aliases: ['TU Munich', 'TUM'] },
  { name: 'University of Edinburgh', tier: 2, country: 'UK' },
  { name: 'University College London', tier: 2, country: 'UK', aliases: ['UCL'] },
  { name: 'McGill University', tier: 2, country: 'CA' },
  { name: 'University of British Columbia', tier: 2, country: 'CA', aliases: ['UBC'] },
  { name: 'KAIST', tier: 2, country: 'KR' },
  { name: 'Seoul National University', tier: 2, country: 'KR' },
  { name: 'Shanghai Jiao Tong University', tier: 2, country: 'CN' },
  { name: 'Zhejiang University', tier: 2, country: 'CN' },
  { name: 'University of Melbourne', tier: 2, country: 'AU' },
  { name: 'BITS Pilani', tier: 2, country: 'IN', aliases: ['Birla Institute of Technology and Science, Pilani'] },
  { name: 'IIIT Hyderabad', tier: 2, country: 'IN' },
  { name: 'Delft University of Technology', tier: 2, country: 'NL', aliases: ['TU Delft'] },
  { name: 'KTH Royal Institute of Technology', tier: 2, country: 'SE', aliases: ['KTH'] },
  { name: 'Tel Aviv University', tier: 2, country: 'IL' },
  { name: 'University of São Paulo', tier: 2, country: 'BR', aliases: ['Universidade de São Paulo'] },

  // Tier 3 examples (not a closed list: every other degree-granting school is tier 3).
  { name: 'Arizona State University', tier: 3, country: 'US' },
  { name: 'San Jose State University', tier: 3, country: 'US' },
  { name: 'University of Central Florida', tier: 3, country: 'US' },
  { name: 'Portland State University', tier: 3, country: 'US' },
  { name: 'University of North Texas', tier: 3, country: 'US' },
  { name: 'University of Houston', tier: 3, country: 'US' },
  { name: 'Temple University', tier: 3, country: 'US' },
  { name: 'Oregon State University', tier: 3, country: 'US' },
  { name: 'Kennesaw State University', tier: 3, country: 'US' },
  { name: 'Northgate State University', tier: 3, country: 'US' },
  { name: 'Lakeshore Polytechnic Institute', tier: 3, country: 'US' },
  { name: 'Bellmont College', tier: 3, country: 'US' },
  { name: 'Anna University', tier: 3, country: 'IN' },
  { name: 'University of Pune', tier: 3, country: 'IN' },
  { name: 'Kaveri Institute of Engineering', tier: 3, country: 'IN' },
  { name: 'University of Lagos', tier: 3, country: 'NG' },
  { name: 'Universidad Técnica de Montebello', tier: 3, country: 'MX' },
  { name: 'Hanseatic University of Applied Sciences', tier: 3, country: 'DE' },
  { name: 'Wrocław Institute of Applied Informatics', tier: 3, country: 'PL' },
  { name: 'Nanhai Institute of Technology', tier: 3, country: 'CN' },
  { name: 'University of Nairobi', tier: 3, country: 'KE' },
  { name: 'Moraine Valley State College', tier: 3, country: 'US' },
];

/** Programs that grant a certificate, not a degree: they never count as a degree. */
export const BOOTCAMPS: string[] = [
  'Hack Reactor',
  'App Academy',
  'General Assembly',
  'Flatiron School',
  'Le Wagon',
  'Codesmith',
  'Lambda School',
  'Makers Academy',
];

/**
 * A degree counts when it is a bachelor's, master's, MBA or doctorate AND it was completed
 * (end_year not null and <= 2026). Certificates, associate degrees, "coursework (no degree)"
 * and degrees in progress do not count.
 */
export const COUNTED_DEGREE = /^(BS|BSc|BA|BEng|BTech|BASc|BE|BMath|BCS|BBA|BCom|BSE|BSN|BFA|MS|MSc|MA|MEng|MTech|MMath|MCS|MBA|MPhil|PhD|DPhil)\b|bachelor|master|doctor/i;

// ---------------------------------------------------------------------------
// Companies
// ---------------------------------------------------------------------------

export const COMPANIES: Institution[] = [
  // Tier 1: elite engineering employers with a famously high hiring bar.
  { name: 'Google', tier: 1, country: 'US', aliases: ['Alphabet', 'Google DeepMind', 'DeepMind'] },
  { name: 'Meta', tier: 1, country: 'US', aliases: ['Facebook'] },
  { name: 'Apple', tier: 1, country: 'US' },
  { name: 'Amazon', tier: 1, country: 'US', aliases: ['Amazon Web Services', 'AWS'] },
  { name: 'Microsoft', tier: 1, country: 'US' },
  { name: 'Netflix', tier: 1, country: 'US' },
  { name: 'NVIDIA', tier: 1, country: 'US' },
  { name: 'Stripe', tier: 1, country: 'US' },
  { name: 'OpenAI', tier: 1, country: 'US' },
  { name: 'Anthropic', tier: 1, country: 'US' },
  { name: 'Jane Street', tier: 1, country: 'US' },
  { name: 'Two Sigma', tier: 1, country: 'US' },
  { name: 'Databricks', tier: 1, country: 'US' },
  { name: 'Airbnb', tier: 1, country: 'US' },
  { name: 'Figma', tier: 1, country: 'US' },

  // Tier 2: strong, well-known technology companies.
  { name: 'Uber', tier: 2, country: 'US' },
  { name: 'Lyft', tier: 2, country: 'US' },
  { name: 'Salesforce', tier: 2, country: 'US' },
  { name: 'Adobe', tier: 2, country: 'US' },
  { name: 'Oracle', tier: 2, country: 'US' },
  { name: 'LinkedIn', tier: 2, country: 'US' },
  { name: 'Dropbox', tier: 2, country: 'US' },
  { name: 'Pinterest', tier: 2, country: 'US' },
  { name: 'Snowflake', tier: 2, country: 'US' },
  { name: 'Datadog', tier: 2, country: 'US' },
  { name: 'Cloudflare', tier: 2, country: 'US' },
  { name: 'Palantir', tier: 2, country: 'US' },
  { name: 'Twilio', tier: 2, country: 'US' },
  { name: 'DoorDash', tier: 2, country: 'US' },
  { name: 'Coinbase', tier: 2, country: 'US' },
  { name: 'Intel', tier: 2, country: 'US' },
  { name: 'Cisco', tier: 2, country: 'US' },
  { name: 'Shopify', tier: 2, country: 'CA' },
  { name: 'Atlassian', tier: 2, country: 'AU' },
  { name: 'Spotify', tier: 2, country: 'SE' },
  { name: 'SAP', tier: 2, country: 'DE' },
  { name: 'Zalando', tier: 2, country: 'DE' },
  { name: 'Booking.com', tier: 2, country: 'NL' },
  { name: 'Flipkart', tier: 2, country: 'IN' },
  { name: 'Alibaba', tier: 2, country: 'CN' },
  { name: 'Tencent', tier: 2, country: 'CN' },
  { name: 'ByteDance', tier: 2, country: 'CN' },
  { name: 'Wix', tier: 2, country: 'IL' },
  { name: 'Grab', tier: 2, country: 'SG' },
  { name: 'Mercado Libre', tier: 2, country: 'AR' },

  // Tier 3 examples (not a closed list: every other employer is tier 3).
  { name: 'Accenture', tier: 3, country: 'US' },
  { name: 'Infosys', tier: 3, country: 'IN' },
  { name: 'Tata Consultancy Services', tier: 3, country: 'IN', aliases: ['TCS'] },
  { name: 'Wipro', tier: 3, country: 'IN' },
  { name: 'Cognizant', tier: 3, country: 'US' },
  { name: 'Capgemini', tier: 3, country: 'FR' },
  { name: 'IBM', tier: 3, country: 'US' },
  { name: 'Dell', tier: 3, country: 'US' },
  { name: 'JPMorgan Chase', tier: 3, country: 'US', aliases: ['J.P. Morgan', 'JPMorgan'] },
  { name: 'Goldman Sachs', tier: 3, country: 'US' },
  { name: 'Morgan Stanley', tier: 3, country: 'US' },
  { name: 'Citi', tier: 3, country: 'US', aliases: ['Citigroup', 'Citibank'] },
  { name: 'Barclays', tier: 3, country: 'UK' },
  { name: 'Deutsche Bank', tier: 3, country: 'DE' },
  { name: 'Capital One', tier: 3, country: 'US' },
  { name: 'Walmart', tier: 3, country: 'US' },
  { name: 'State Farm', tier: 3, country: 'US' },
  { name: 'Brightloop', tier: 3, country: 'US' },
  { name: 'Quillstack', tier: 3, country: 'US' },
  { name: 'Norvale Systems', tier: 3, country: 'US' },
  { name: 'Tidewater Analytics', tier: 3, country: 'US' },
  { name: 'Cobaltline Software', tier: 3, country: 'US' },
  { name: 'Pinecrest Health', tier: 3, country: 'US' },
  { name: 'Harborview Logistics', tier: 3, country: 'US' },
  { name: 'Mesa Ridge Insurance', tier: 3, country: 'US' },
  { name: 'Lumenfold', tier: 3, country: 'US' },
  { name: 'Kitewire', tier: 3, country: 'US' },
  { name: 'Greyfield Retail Group', tier: 3, country: 'US' },
  { name: 'Saffron Ledger', tier: 3, country: 'IN' },
  { name: 'Bharat Tech Solutions', tier: 3, country: 'IN' },
  { name: 'Rheinwerk Digital', tier: 3, country: 'DE' },
  { name: 'Vistula Software House', tier: 3, country: 'PL' },
  { name: 'Paystack Lane', tier: 3, country: 'NG' },
  { name: 'Andes Fintech', tier: 3, country: 'BR' },
  { name: 'Zhiyun Data', tier: 3, country: 'CN' },
];

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

/**
 * Evidence of hands-on software work in a role description. Each distinct term counts once.
 * Matching is case-insensitive and on whole words (a term is not matched inside a longer word).
 */
export const CODE_TERMS: string[] = [
  'code', 'codebase', 'coded', 'programmed', 'implemented', 'refactored', 'debugged',
  'pull requests', 'microservice', 'microservices', 'API', 'APIs', 'backend', 'back-end',
  'frontend', 'front-end', 'unit tests', 'integration tests', 'compiler', 'kernel', 'SDK',
  'data pipeline', 'data pipelines', 'ETL', 'CI/CD', 'open-source',
  'Python', 'Java', 'Kotlin', 'Scala', 'TypeScript', 'JavaScript', 'C++', 'C#', 'Rust',
  'Ruby', 'Golang', 'Swift', 'PHP', 'Node.js', 'React', 'Angular', 'Django', 'Rails', 'Spark', 'Kubernetes',
  'Terraform', 'CUDA',
];

/** Evidence that the work is not hands-on software (selling, hiring, managing, planning). */
export const NON_CODE_TERMS: string[] = [
  'quota', 'revenue', 'sourced', 'sourcing', 'recruited', 'recruiting', 'hiring', 'hired',
  'roadmap', 'stakeholders', 'customer interviews', 'demos', 'campaign', 'campaigns',
  'accounts', 'deals', 'headcount', 'budget', 'performance reviews', 'RFPs', 'dashboards',
  'slides', 'specs', 'partnerships', 'contracts', 'taught', 'lessons', 'patients', 'audits',
  'prospects', 'pipeline of candidates', 'offers',
];

/** Titles that, when the description is too short to judge (< 5 words), mean hands-on software. */
export const ENGINEERING_TITLE = /\b(software (engineer|developer)|developer|programmer|SWE|SDE|(backend|frontend|full[- ]stack|mobile|platform|infrastructure|ml|machine learning) engineer)\b/i;

/** Titles of people who manage software engineers (not hands-on themselves unless the description says so). */
export const ENGINEERING_MANAGEMENT_TITLE = /\b(engineering manager|manager, (software )?engineering|director of engineering|engineering director|vp,? (of )?engineering|vice president,? (of )?engineering|head of engineering|CTO|chief technology officer)\b/i;

/** Experience entries that explain time away (they fill gaps, count for nothing else). */
export const CAREER_BREAK = /\b(career break|sabbatical|parental leave|caregiving|family leave)\b/i;

/** Contract roles (agency, freelance): the company tier counts one step lower. */
export const CONTRACT = /\b(contract|contractor|freelance|freelancer|via)\b/i;

/** Internships: level 0, not full-time. */
export const INTERN = /\b(intern|internship|co-op)\b/i;

/** Employers that are academic (universities, colleges, institutes of technology). */
export const ACADEMIC_EMPLOYER = /\b(universit(y|ies|ät|é|ad|e)|college|institute of technology|polytechnic|IIT|ETH|EPFL|Technion|KAIST|school of)\b/i;

/**
 * Title levels, checked in this order; the first match wins. Default (no match) is level 2.
 *   0 intern, 6 executive / distinguished, 5 principal / director, 4 staff / lead / manager of engineers,
 *   3 senior, 1 junior / associate / entry.
 */
export const LEVELS: Array<{ level: number; re: RegExp; label: string }> = [
  { level: 0, re: INTERN, label: 'Intern, Internship, Co-op' },
  { level: 6, re: /\b(CTO|chief technology officer|VP|vice president|distinguished|fellow|head of)\b/i, label: 'CTO, VP, Vice President, Distinguished, Fellow, Head of' },
  { level: 5, re: /\b(principal|senior staff|director|senior engineering manager|senior manager)\b/i, label: 'Principal, Senior Staff, Director, Senior Engineering Manager, Senior Manager' },
  { level: 4, re: /\b(staff|lead|engineering manager|manager, engineering|architect)\b/i, label: 'Staff, Lead (incl. Tech Lead), Engineering Manager, Architect' },
  { level: 3, re: /\b(senior|sr\.?|III)\b/i, label: 'Senior, Sr., III' },
  { level: 1, re: /\b(junior|jr\.?|associate|graduate|trainee|apprentice|entry[- ]level)\b|\bI$/i, label: 'Junior, Jr., Associate, Graduate, Trainee, Apprentice, Entry-level, a trailing " I"' },
];

/**
 * Investment banks use a title ladder of their own ("Vice President" is a mid/senior individual
 * contributor, not an executive). At these employers BANK_LEVELS is checked before LEVELS.
 */
export const BANKS: string[] = ['JPMorgan Chase', 'Goldman Sachs', 'Morgan Stanley', 'Citi', 'Barclays', 'Deutsche Bank'];
export const BANK_LEVELS: Array<{ level: number; re: RegExp; label: string }> = [
  { level: 5, re: /\bmanaging director\b/i, label: 'Managing Director' },
  { level: 4, re: /\b(executive director|senior vice president|SVP|director)\b/i, label: 'Executive Director, Senior Vice President, Director' },
  { level: 3, re: /\b(vice president|VP)\b/i, label: 'Vice President, VP' },
  { level: 2, re: /\bassociate\b/i, label: 'Associate' },
  { level: 1, re: /\banalyst\b/i, label: 'Analyst' },
];

export function isBank(company: string): boolean {
  const c = findCompany(company);
  return c !== undefined && BANKS.includes(c.name);
}

// ---------------------------------------------------------------------------
// Lookup
// ---------------------------------------------------------------------------

export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function index(list: Institution[]): Map<string, Institution> {
  const m = new Map<string, Institution>();
  for (const inst of list) for (const n of [inst.name, ...(inst.aliases ?? [])]) m.set(normalizeName(n), inst);
  return m;
}

const SCHOOL_INDEX = index(SCHOOLS);
const COMPANY_INDEX = index(COMPANIES);

export function findSchool(name: string): Institution | undefined {
  return SCHOOL_INDEX.get(normalizeName(name));
}

/** A company's entry; "Google (contract via Randstad)" and "Google" both find Google. */
export function findCompany(name: string): Institution | undefined {
  const n = normalizeName(name);
  const direct = COMPANY_INDEX.get(n);
  if (direct) return direct;
  // "Amazon Web Services" style longer names: match the longest listed name that starts the string.
  let best: Institution | undefined;
  let bestLen = 0;
  for (const [key, inst] of COMPANY_INDEX) {
    if ((n === key || n.startsWith(key + ' ')) && key.length > bestLen) {
      best = inst;
      bestLen = key.length;
    }
  }
  return best;
}

export function schoolTier(name: string): Tier {
  return findSchool(name)?.tier ?? 3;
}

export function companyTier(name: string): Tier {
  return findCompany(name)?.tier ?? 3;
}

export function isBootcamp(name: string): boolean {
  const n = normalizeName(name);
  return BOOTCAMPS.some((b) => n.startsWith(normalizeName(b)));
}
