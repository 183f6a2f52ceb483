/**
 * The hand-written "hard" subset: edge cases a screening model (and a careless rubric) gets wrong.
 * Gold labels are set by hand, case by case, following RUBRIC.md; `note` says why. They are NOT
 * produced by labelProfile (a test reports where the two disagree, and every disagreement must be
 * explained in the note). All people are synthetic.
 */
import type { CandidateProfile, Education, Experience, GoldLabel, Rating, Recommendation } from '../../src/tasks/candidate-screening/records.ts';

export interface HardCase {
  candidate: CandidateProfile;
  gold: GoldLabel;
  /** Kinds of hardness (the `hard` stratum is added by the builder). */
  strata: string[];
}

const E = (school: string, degree: string, field: string, start_year: number, end_year: number | null): Education => ({ school, degree, field, start_year, end_year });
const J = (company: string, title: string, start: string, end: string | null, description: string): Experience => ({ company, title, start, end, description });

type Ratings = [educational: Rating, company: Rating, trajectory: Rating, swe: Rating];

function hard(
  strata: string[],
  candidate: CandidateProfile,
  recommendation: Recommendation,
  [educational_pedigree, company_pedigree, trajectory, is_software_engineer]: Ratings,
  rationale: string,
  key_facts: string[],
  note: string,
): HardCase {
  return {
    candidate,
    gold: { recommendation, analysis: { educational_pedigree, company_pedigree, trajectory, is_software_engineer }, rationale, key_facts, note },
    strata,
  };
}

// Descriptions reused across cases.
const CODE = {
  backend: (lang: string, what: string) => `Built and maintained ${lang} microservices for ${what}; wrote unit tests and reviewed pull requests.`,
  lead: (lang: string, what: string) => `Led the design of the ${what} platform and implemented its core in ${lang}; mentors engineers through code reviews.`,
  infra: (what: string) => `Migrated the ${what} backend to Kubernetes with Terraform; debugged production incidents and added integration tests.`,
};

export const HARD_CASES: HardCase[] = [
  // -------------------------------------------------------------------------
  // Non-engineering roles at strong companies
  // -------------------------------------------------------------------------
  hard(
    ['non-engineer', 'role-pm', 'strong-pedigree'],
    {
      name: 'Priyanka Venkataraman',
      headline: 'Senior Product Manager at Google | ex-CS',
      location: 'Mountain View, CA',
      education: [E('Stanford University', 'BS', 'Computer Science', 2012, 2016)],
      experience: [
        J('Google', 'Senior Product Manager', '2019-09', null, 'Owned the roadmap for Maps search quality; ran customer interviews and wrote specs with engineering.'),
        J('Google', 'Associate Product Manager', '2016-08', '2019-09', 'Launched offline maps to 40M users, aligning stakeholders across four teams and prioritising the backlog.'),
      ],
      skills: ['Product strategy', 'SQL', 'A/B testing', 'Python'],
    },
    'No',
    ['Great', 'Great', 'Great', 'Weak'],
    'A fast-rising product manager at Google with a Stanford CS degree, but no role shows hands-on software work, so she is not a software engineer candidate.',
    ['Stanford University', 'Google', 'Senior Product Manager'],
    'Top school, top company and a fast PM career (Senior PM 3 years in) give 9 points, but is_software_engineer is Weak (no role description shows coding; a CS degree and "Python" in skills are not work evidence), which caps the recommendation at No.',
  ),
  hard(
    ['non-engineer', 'role-recruiter', 'keyword-trap'],
    {
      name: 'Marisol Quintero',
      location: 'Menlo Park, CA',
      education: [E('University of California, Los Angeles', 'BA', 'Psychology', 2012, 2016)],
      experience: [
        J('Meta', 'Senior Technical Recruiter', '2022-03', null, 'Sourced and hired 60 backend and frontend engineers for the infrastructure org; ran the interview loop and closed offers.'),
        J('Meta', 'Technical Recruiter', '2019-02', '2022-03', 'Recruiting for Python and Java infrastructure roles: sourcing, phone screens and a pipeline of candidates for 25 open roles.'),
        J('Kitewire', 'Associate Recruiter', '2016-08', '2019-02', 'Scheduled interviews and sourced candidates for the engineering team.'),
      ],
      skills: ['Technical recruiting', 'Sourcing', 'Greenhouse'],
    },
    'No',
    ['Good', 'Great', 'Good', 'Weak'],
    'A technical recruiter at Meta with a UCLA degree; the descriptions name backend, Python and Java but only as roles she hired for, so there is no software engineering work.',
    ['University of California, Los Angeles', 'Meta', 'Senior Technical Recruiter'],
    'Keyword trap: "backend", "frontend", "Python", "Java" appear, but as hiring targets; the non-coding terms (sourced, hired, offers, recruiting, pipeline of candidates) outnumber them, so no role is hands-on. Senior after 5.5 years = Good trajectory. 7 points, capped at No.',
  ),
  hard(
    ['non-engineer', 'role-sales', 'strong-pedigree'],
    {
      name: 'Declan Farrow',
      headline: 'Senior Account Executive, Google Cloud',
      location: 'Chicago, IL',
      education: [E('Arizona State University', 'BA', 'Marketing', 2013, 2017)],
      experience: [
        J('Google Cloud', 'Senior Account Executive', '2021-04', null, 'Closed $14M in new revenue across enterprise accounts; exceeded quota nine quarters in a row; ran demos of BigQuery and Kubernetes Engine with sales engineers.'),
        J('Google Cloud', 'Account Executive', '2018-01', '2021-04', 'Managed 40 mid-market accounts and renewed their contracts.'),
      ],
      skills: ['Enterprise sales', 'Salesforce CRM', 'Cloud computing'],
    },
    'No',
    ['Okay', 'Great', 'Great', 'Weak'],
    'A successful enterprise account executive at Google Cloud; selling cloud products is not software engineering, and the degree is a marketing BA from Arizona State.',
    ['Google Cloud', 'Senior Account Executive', 'Arizona State University'],
    'Google Cloud counts as Google (tier 1) and the sales career is fast (Senior AE after 3 years), but there is no hands-on software work: "Kubernetes" appears once, as a product sold. 7 points, capped at No.',
  ),
  hard(
    ['non-engineer', 'role-sales', 'headline-mismatch'],
    {
      name: 'Tyrell Okonjo',
      headline: 'Software Engineer | Full-stack | React | Node',
      location: 'Tampa, FL',
      education: [E('Moraine Valley State College', 'Associate of Arts', 'General Studies', 2011, 2013)],
      experience: [
        J('Greyfield Retail Group', 'Sales Representative', '2014-03', null, 'Managed 120 retail accounts in the Tampa region and hit quota in 30 of 40 quarters; ran in-store demos of new product lines.'),
      ],
      skills: ['React', 'Node.js', 'JavaScript', 'HTML', 'CSS', 'Sales'],
    },
    'Strong No',
    ['Weak', 'Okay', 'Weak', 'Weak'],
    'The headline and skills claim full-stack engineering, but the only role is twelve years as a sales representative at a retailer, with no degree and no promotion.',
    ['Sales Representative', 'Greyfield Retail Group'],
    'Headline and skills are self-description, not evidence; the rubric reads titles and role descriptions only. No counted degree (associate), 12+ years at the same level (flat), no hands-on work: 1 point.',
  ),
  hard(
    ['non-engineer', 'role-designer', 'strong-pedigree'],
    {
      name: 'Annika Lindgren',
      location: 'San Francisco, CA',
      education: [E('Georgia Institute of Technology', 'BS', 'Industrial Design', 2012, 2016)],
      experience: [
        J('Figma', 'Senior Product Designer', '2020-05', null, 'Designed the onboarding flow; built clickable prototypes in Figma and occasionally React; ran usability studies with stakeholders.'),
        J('Adobe', 'Product Designer', '2016-07', '2020-05', 'Owned the design system for Creative Cloud onboarding; worked with product on specs and with engineering on handoff.'),
      ],
      skills: ['Figma', 'Prototyping', 'React', 'Design systems'],
    },
    'No',
    ['Great', 'Great', 'Great', 'Weak'],
    'A senior product designer at Figma with a Georgia Tech degree; prototyping "occasionally in React" is not software engineering.',
    ['Figma', 'Senior Product Designer', 'Georgia Institute of Technology'],
    'Strong pedigree and a fast design career, but one passing mention of React is a single code term against stakeholders: not hands-on. Capped at No.',
  ),
  hard(
    ['non-engineer', 'role-analyst'],
    {
      name: 'Hamid Rezaei',
      location: 'Seattle, WA',
      education: [E('Purdue University', 'BS', 'Statistics', 2013, 2017)],
      experience: [
        J('Amazon', 'Senior Business Analyst', '2022-01', null, 'Built dashboards and wrote SQL reports for stakeholders in last-mile logistics; owned the weekly business review slides.'),
        J('Amazon', 'Business Analyst', '2017-07', '2022-01', 'Forecast delivery demand in Excel and SQL and presented recommendations to operations leaders.'),
      ],
      skills: ['SQL', 'Excel', 'Tableau', 'Python'],
    },
    'No',
    ['Good', 'Great', 'Good', 'Weak'],
    'A business analyst at Amazon whose work is SQL reporting and dashboards, not software engineering; Purdue statistics degree.',
    ['Amazon', 'Senior Business Analyst', 'Purdue University'],
    'SQL reports and dashboards are analysis, not software engineering (SQL is deliberately not a code term). Senior after 4.5 years = Good. 7 points, capped at No.',
  ),
  hard(
    ['non-engineer', 'title-mismatch', 'hardware-engineer'],
    {
      name: 'Jonah Whitfield',
      location: 'Cupertino, CA',
      education: [E('Massachusetts Institute of Technology', 'BS', 'Mechanical Engineering', 2011, 2015)],
      experience: [
        J('Apple', 'Senior Product Design Engineer', '2019-03', null, 'Designed iPhone enclosures in CAD and ran drop tests with suppliers; led tooling reviews for two product generations.'),
        J('Apple', 'Product Design Engineer', '2015-07', '2019-03', 'Designed battery brackets and ran thermal tests on prototype builds.'),
      ],
      skills: ['SolidWorks', 'CAD', 'GD&T', 'MATLAB'],
    },
    'No',
    ['Great', 'Great', 'Great', 'Weak'],
    'An MIT-trained mechanical product design engineer at Apple; "Engineer" here means hardware design, with no software work.',
    ['Apple', 'Senior Product Design Engineer', 'Massachusetts Institute of Technology'],
    '"Engineer" in the title is hardware; the descriptions have no code terms. MIT + Apple + fast progression, but is_software_engineer is Weak, so No.',
  ),

  // -------------------------------------------------------------------------
  // Titles that do not match the work
  // -------------------------------------------------------------------------
  hard(
    ['title-mismatch', 'bank-titles', 'engineer'],
    {
      name: 'Grace Oyelaran',
      location: 'New York, NY',
      education: [E('University of Maryland', 'BS', 'Computer Science', 2014, 2018)],
      experience: [
        J('JPMorgan Chase', 'Vice President', '2023-03', null, 'Wrote and maintained production Python services for trade reconciliation; refactored the pricing codebase and added unit tests.'),
        J('JPMorgan Chase', 'Associate', '2020-06', '2023-03', 'Implemented the collateral engine in Java and deployed it behind an internal API used by 12 teams.'),
        J('JPMorgan Chase', 'Analyst', '2018-07', '2020-06', 'Built ETL jobs in Python and Spark feeding the risk backend.'),
      ],
      skills: ['Python', 'Java', 'Spark', 'SQL'],
    },
    'Yes',
    ['Good', 'Okay', 'Good', 'Great'],
    'Eight years of hands-on production engineering at JPMorgan Chase despite bank titles (Analyst, Associate, Vice President), with a Maryland CS degree.',
    ['JPMorgan Chase', 'Vice President', 'University of Maryland'],
    'Titles say Analyst/Associate/VP; the work is production code. At a bank, VP is a senior individual contributor (bank ladder: Analyst 1, Associate 2, VP 3), reached after 4.7 years = Good, not an executive. 11 points = Yes.',
  ),
  hard(
    ['title-mismatch', 'non-engineer', 'role-sales-eng'],
    {
      name: 'Rafael Monteiro',
      location: 'San Francisco, CA',
      education: [E('University of Michigan', 'BS', 'Computer Engineering', 2013, 2017)],
      experience: [
        J('Stripe', 'Senior Solutions Engineer', '2023-08', null, 'Ran technical demos for prospects and answered RFPs; supported deals worth $20M with the sales team.'),
        J('Stripe', 'Solutions Engineer', '2021-02', '2023-08', 'Partnered with account executives on enterprise deals: discovery calls, demos and proof-of-concept plans.'),
        J('Twilio', 'Sales Engineer', '2017-06', '2021-02', 'Owned technical relationships with strategic accounts and translated customer needs into specs for product.'),
      ],
      skills: ['Technical demos', 'APIs', 'Salesforce CRM'],
    },
    'No',
    ['Good', 'Great', 'Good', 'Weak'],
    'A solutions engineer at Stripe and Twilio whose work is demos, RFPs and deals; a computer engineering degree but no software engineering work.',
    ['Stripe', 'Senior Solutions Engineer', 'Twilio', 'University of Michigan'],
    '"Engineer" in a pre-sales title: descriptions are demos, prospects, deals and RFPs with no code terms. 7 points, capped at No.',
  ),
  hard(
    ['title-mismatch', 'non-engineer', 'non-us'],
    {
      name: 'Karthik Subramanian',
      location: 'Chennai, India',
      education: [E('Anna University', 'BE', 'Electronics and Communication', 2012, 2016)],
      experience: [
        J('Infosys', 'Senior Software Engineer', '2019-10', null, 'Executed manual test cases for a banking client and filed defects in Jira; prepared weekly status slides for stakeholders.'),
        J('Infosys', 'Software Engineer', '2016-08', '2019-10', 'Ran regression test passes by hand and tracked defects for a retail client.'),
      ],
      skills: ['Manual testing', 'Jira', 'SQL'],
    },
    'No',
    ['Okay', 'Okay', 'Great', 'Weak'],
    'Titled Software Engineer at Infosys, but every role description is manual testing and status reporting; Anna University degree.',
    ['Infosys', 'Senior Software Engineer', 'Anna University'],
    'Title says Software Engineer; the work is manual QA with no code terms. The description (5+ words) decides, not the title. Fast title progression (Senior in 3 years) still rates Great. 5 points = No.',
  ),
  hard(
    ['title-mismatch', 'engineer'],
    {
      name: 'Soo-ah Han',
      headline: 'Developer Advocate at Cloudflare',
      location: 'Austin, TX',
      education: [E('Portland State University', 'BS', 'Computer Science', 2013, 2017)],
      experience: [
        J('Cloudflare', 'Senior Developer Advocate', '2023-01', null, 'Wrote and maintained the open-source TypeScript SDK and sample apps; implemented Workers templates and reviewed pull requests from the community; gave 20 conference talks.'),
        J('Cloudflare', 'Developer Advocate', '2020-09', '2023-01', 'Implemented example apps in TypeScript and Rust and wrote the code for the official tutorials.'),
        J('Quillstack', 'Software Engineer', '2017-06', '2020-09', 'Built Ruby on Rails APIs and a React frontend for the scheduling product.'),
      ],
      skills: ['TypeScript', 'Rust', 'Public speaking', 'Technical writing'],
    },
    'Yes',
    ['Okay', 'Good', 'Good', 'Great'],
    'A developer advocate whose descriptions show real engineering (an open-source TypeScript SDK, example apps, pull request review) after three years as a software engineer.',
    ['Cloudflare', 'Senior Developer Advocate', 'Quillstack', 'Portland State University'],
    'A non-engineering title doing hands-on work: the descriptions carry many code terms, so every role is hands-on. Senior after 5.6 years = Good. 11 points = Yes.',
  ),
  hard(
    ['title-mismatch', 'engineer', 'strong-pedigree'],
    {
      name: 'Elif Demir',
      location: 'Los Gatos, CA',
      education: [E('Cornell University', 'MS', 'Statistics', 2014, 2016), E('Bellmont College', 'BA', 'Economics', 2010, 2014)],
      experience: [
        J('Netflix', 'Senior Data Scientist', '2022-03', null, 'Implemented the ranking model feature pipeline in Scala and Spark and deployed it to production behind an internal API; wrote unit tests.'),
        J('Netflix', 'Data Scientist', '2018-09', '2022-03', 'Wrote Python data pipelines and the backend for the experimentation platform.'),
        J('Tidewater Analytics', 'Data Analyst', '2016-07', '2018-09', 'Built dashboards in Tableau and SQL reports for stakeholders.'),
      ],
      skills: ['Scala', 'Spark', 'Python', 'Statistics'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'A data scientist at Netflix who ships production code (Scala/Spark pipelines behind an API), with a Cornell master\'s and a fast rise to senior.',
    ['Netflix', 'Senior Data Scientist', 'Cornell University'],
    '"Data Scientist" is not an engineering title, but both Netflix descriptions are hands-on code. Trajectory is measured from the first engineering role (Netflix 2018-09): senior after 3.5 years = Great. The earlier analyst role is not hands-on and does not count.',
  ),

  // -------------------------------------------------------------------------
  // Career changers
  // -------------------------------------------------------------------------
  hard(
    ['career-changer', 'bootcamp'],
    {
      name: 'Maureen Kowalczyk',
      location: 'Ottawa, Canada',
      education: [E('Flatiron School', 'Certificate', 'Software Engineering', 2019, 2019), E('Temple University', 'BA', 'English Literature', 2008, 2012)],
      experience: [
        J('Shopify', 'Senior Software Engineer', '2023-02', null, CODE.backend('Ruby', 'checkout')),
        J('Shopify', 'Software Engineer', '2020-01', '2023-02', 'Implemented merchant admin features in React and Ruby on Rails; wrote integration tests.'),
        J('Brightside Charter Academy', 'Teacher', '2012-08', '2019-06', 'Taught English to 120 students a year and wrote the department lessons plan.'),
      ],
      skills: ['Ruby', 'React', 'GraphQL', 'Teaching'],
    },
    'Yes',
    ['Okay', 'Good', 'Great', 'Great'],
    'A former teacher who moved into software through Flatiron School and reached senior engineer at Shopify in about three years.',
    ['Shopify', 'Senior Software Engineer', 'Flatiron School', 'Temple University'],
    'Career changer: trajectory restarts at the first engineering role (Shopify 2020-01), so senior after 3.1 years is fast. The bootcamp certificate is not a degree; the Temple BA is (tier 3 = Okay). 12 points = Yes.',
  ),
  hard(
    ['career-changer', 'self-taught'],
    {
      name: 'Bogdan Antonescu',
      location: 'Orlando, FL',
      education: [E('University of Central Florida', 'BS', 'Accounting', 2008, 2012)],
      experience: [
        J('Kitewire', 'Software Engineer', '2025-01', null, 'Builds Python APIs for the invoicing backend and writes unit tests.'),
        J('Kitewire', 'Junior Developer', '2023-06', '2025-01', 'Implemented small features in Django and fixed bugs found in code review.'),
        J('Mesa Ridge Insurance', 'Senior Accountant', '2016-04', '2023-05', 'Prepared monthly closes, audits and budget variance reports.'),
        J('Mesa Ridge Insurance', 'Accountant', '2012-07', '2016-04', 'Reconciled ledgers and supported the annual audits.'),
      ],
      skills: ['Python', 'Django', 'Excel', 'Accounting'],
    },
    'No',
    ['Okay', 'Okay', 'Okay', 'Good'],
    'A former senior accountant who became a developer in 2023 at a small company; about 3.5 years of engineering with a normal early-career pace.',
    ['Kitewire', 'Software Engineer', 'University of Central Florida'],
    'The senior accountant title does not carry over: only engineering roles count for the trajectory (3.4 years, still mid-level = Okay). 41 months of hands-on work with the current role hands-on = Good. 7 points = No for a senior role.',
  ),
  hard(
    ['career-changer', 'strong-pedigree'],
    {
      name: 'Olumide Bankole',
      location: 'Seattle, WA',
      education: [E('Georgia Institute of Technology', 'MS', 'Computer Science', 2016, 2018), E('Kennesaw State University', 'BBA', 'Marketing', 2006, 2010)],
      experience: [
        J('Google', 'Senior Software Engineer', '2022-01', null, CODE.lead('C++', 'ads delivery')),
        J('Google', 'Software Engineer', '2018-08', '2022-01', 'Implemented ads pacing features in C++ and Golang; wrote unit tests and owned the on-call for the backend.'),
        J('Greyfield Retail Group', 'Marketing Specialist', '2010-08', '2016-08', 'Planned and ran marketing campaigns for 12 product lines and tracked their revenue impact.'),
      ],
      skills: ['C++', 'Go', 'Distributed systems'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'A marketer who retrained with a Georgia Tech CS master\'s and became a senior engineer at Google within 3.5 years.',
    ['Google', 'Senior Software Engineer', 'Georgia Institute of Technology'],
    'Career changer measured from the first engineering role (Google 2018-08): senior after 3.4 years = Great. The MS fills 2016-2018, so there is no gap. A BBA from a tier-3 school does not lower the best degree. 15 points.',
  ),
  hard(
    ['career-changer', 'no-degree'],
    {
      name: 'Darnell Hutchins',
      location: 'Columbus, OH',
      education: [E('Moraine Valley State College', 'Associate of Applied Science', 'Information Technology', 2014, 2016)],
      experience: [
        J('Pinecrest Health', 'Associate Software Engineer', '2024-03', null, 'Writes Python scripts and a small Django backend for the scheduling API; adds unit tests.'),
        J('Pinecrest Health', 'IT Support Specialist', '2018-01', '2024-03', 'Reset passwords, imaged laptops and ran onboarding for 300 staff.'),
        J('Harborview Logistics', 'Warehouse Associate', '2016-06', '2017-12', 'Picked and packed orders and trained new seasonal staff.'),
      ],
      skills: ['Python', 'Django', 'Active Directory', 'Windows'],
    },
    'No',
    ['Weak', 'Okay', 'Okay', 'Good'],
    'An IT support specialist who moved into a junior engineering role at the same hospital group 2.7 years ago; associate degree only.',
    ['Pinecrest Health', 'Associate Software Engineer'],
    'IT support is not software engineering (no code terms). Engineering track is under 3 years = Okay. 32 months hands-on with the current role hands-on = Good. 6 points = No.',
  ),
  hard(
    ['career-changer', 'bootcamp', 'new-grad'],
    {
      name: 'Rosa Villanueva',
      location: 'Houston, TX',
      education: [E('Hack Reactor', 'Certificate', 'Software Engineering Immersive', 2025, 2025), E('University of Houston', 'BS', 'Nursing', 2010, 2014)],
      experience: [
        J('Lumenfold', 'Junior Software Engineer', '2026-03', null, 'Implemented patient-intake forms in React and TypeScript and wrote unit tests for the backend.'),
        J('Pinecrest Health', 'Registered Nurse', '2014-08', '2025-01', 'Cared for patients on a 30-bed surgical ward and trained new nurses.'),
      ],
      skills: ['React', 'TypeScript', 'Node.js', 'Patient care'],
    },
    'No',
    ['Okay', 'Okay', 'Okay', 'Okay'],
    'A nurse of ten years who finished Hack Reactor and has eight months as a junior engineer; too early to judge as an engineer.',
    ['Lumenfold', 'Junior Software Engineer', 'Hack Reactor', 'University of Houston'],
    'The word "patient" in the engineering description is not the non-code term "patients", and the role has four code terms. 8 months hands-on = Okay. The 14-month break between nursing and the first engineering job is under the 18-month gap threshold. 5 points = No.',
  ),

  // -------------------------------------------------------------------------
  // Bootcamp graduates
  // -------------------------------------------------------------------------
  hard(
    ['bootcamp', 'no-degree', 'strong-company'],
    {
      name: 'Kai Nakamura-Reyes',
      location: 'San Francisco, CA',
      education: [E('App Academy', 'Certificate', 'Full-Stack Web Development', 2020, 2020)],
      experience: [
        J('Airbnb', 'Senior Software Engineer', '2023-03', null, CODE.backend('Java', 'search ranking')),
        J('Airbnb', 'Software Engineer', '2020-09', '2023-03', 'Implemented listing-page features in React and TypeScript and refactored the pricing API.'),
      ],
      skills: ['Java', 'React', 'TypeScript', 'Kafka'],
    },
    'Yes',
    ['Weak', 'Great', 'Great', 'Great'],
    'A bootcamp graduate with no degree who reached senior engineer at Airbnb in 2.5 years; excellent work record, no educational pedigree.',
    ['Airbnb', 'Senior Software Engineer', 'App Academy'],
    'Educational pedigree is Weak (a certificate is not a degree) even though everything else is Great: 12 points = Yes, not Strong Yes. A model that rewards the Airbnb name with Strong Yes is over-rating.',
  ),
  hard(
    ['bootcamp', 'new-grad'],
    {
      name: 'Chloé Marchetti',
      education: [E('Le Wagon', 'Certificate', 'Web Development', 2025, 2025), E('Bellmont College', 'BA', 'Psychology', 2017, 2021)],
      experience: [J('Ferncastle', 'Junior Developer', '2026-05', null, 'Builds React frontend screens and Node APIs for the booking product.')],
      skills: ['JavaScript', 'React', 'Node.js'],
    },
    'No',
    ['Okay', 'Weak', 'Okay', 'Okay'],
    'A recent Le Wagon graduate with six months as a junior developer at a small startup; a psychology BA.',
    ['Ferncastle', 'Junior Developer', 'Le Wagon'],
    'Six months of industry work is under the 12 months needed for Okay company pedigree. The profile starts in 2026-05, so the years after the BA are before the first role and are not a gap. 4 points = No.',
  ),
  hard(
    ['bootcamp', 'no-degree'],
    {
      name: 'Ahmed El-Sayed',
      location: 'Dallas, TX',
      education: [E('General Assembly', 'Certificate', 'Software Engineering Immersive', 2021, 2021)],
      experience: [
        J('Accenture', 'Software Engineer', '2024-01', null, 'Implemented Java microservices for a telecom client and wrote integration tests.'),
        J('Accenture', 'Junior Software Engineer', '2022-01', '2024-01', 'Fixed bugs and wrote unit tests in a Java and Angular codebase.'),
      ],
      skills: ['Java', 'Spring', 'Angular'],
    },
    'Maybe',
    ['Weak', 'Okay', 'Okay', 'Great'],
    'A bootcamp graduate with almost five years of hands-on Java work at Accenture, promoted once; no degree.',
    ['Accenture', 'Software Engineer', 'General Assembly'],
    '58 months hands-on with the current role hands-on = Great. 4.8 years at mid-level is neither fast nor flat (flat needs 6 years) = Okay. 8 points = Maybe.',
  ),
  hard(
    ['bootcamp', 'strong-pedigree'],
    {
      name: 'Eleanor Whitcombe',
      location: 'New York, NY',
      education: [E('Stanford University', 'BA', 'History', 2014, 2018), E('Codesmith', 'Certificate', 'Software Engineering', 2019, 2019)],
      experience: [
        J('Datadog', 'Senior Software Engineer', '2023-06', null, CODE.infra('metrics ingestion')),
        J('Datadog', 'Software Engineer', '2019-10', '2023-06', 'Built Golang services for the logs pipeline and wrote unit tests.'),
      ],
      skills: ['Go', 'Kubernetes', 'Kafka'],
    },
    'Strong Yes',
    ['Great', 'Good', 'Great', 'Great'],
    'A Stanford history graduate who learned to code at Codesmith and reached senior engineer at Datadog in under four years.',
    ['Stanford University', 'Datadog', 'Senior Software Engineer'],
    'The degree field does not matter for educational pedigree: a Stanford BA counts as tier 1. The bootcamp is irrelevant once a degree counts. 14 points = Strong Yes.',
  ),
  hard(
    ['bootcamp', 'job-hopper', 'no-degree'],
    {
      name: 'Brandon Liu',
      education: [E('Flatiron School', 'Certificate', 'Software Engineering', 2021, 2021)],
      experience: [
        J('Lumenfold', 'Software Engineer', '2024-06', null, 'Builds the React frontend and Node backend for the analytics product.'),
        J('Kitewire', 'Junior Developer', '2023-09', '2024-05', 'Implemented API endpoints in Python and wrote unit tests.'),
        J('Quillstack', 'Junior Developer', '2022-12', '2023-08', 'Fixed frontend bugs in a React codebase.'),
        J('Brightloop', 'Junior Developer', '2022-02', '2022-10', 'Wrote JavaScript for marketing pages and a small backend.'),
      ],
      skills: ['JavaScript', 'React', 'Python'],
    },
    'No',
    ['Weak', 'Okay', 'Okay', 'Great'],
    'A bootcamp graduate with nearly five years of hands-on work, but three permanent jobs that each lasted under a year.',
    ['Lumenfold', 'Software Engineer', 'Flatiron School'],
    'Three completed permanent roles under 12 months = job-hopping red flag (-2). 8 points minus 2 = 6 = No.',
  ),

  // -------------------------------------------------------------------------
  // PhDs with no industry time
  // -------------------------------------------------------------------------
  hard(
    ['phd', 'phd-no-industry', 'strong-pedigree'],
    {
      name: 'Ishaan Malhotra',
      location: 'Stanford, CA',
      education: [E('Massachusetts Institute of Technology', 'PhD', 'Computer Science', 2016, 2022), E('IIT Delhi', 'BTech', 'Computer Science', 2012, 2016)],
      experience: [
        J('Stanford University', 'Postdoctoral Researcher', '2022-09', null, 'Maintains the lab codebase in Python and Rust and wrote the data pipeline for two papers.'),
        J('Massachusetts Institute of Technology', 'Graduate Research Assistant', '2016-09', '2022-06', 'Implemented distributed consensus protocols in Golang and C++; released the code as an open-source library.'),
      ],
      skills: ['Rust', 'Go', 'C++', 'Distributed systems', 'Python'],
    },
    'Maybe',
    ['Great', 'Weak', 'Okay', 'Good'],
    'An MIT PhD and Stanford postdoc with ten years of substantial research code in systems, but no industry experience at all.',
    ['Massachusetts Institute of Technology', 'Stanford University', 'Postdoctoral Researcher'],
    'Academic roles are not companies (company pedigree Weak) and not a career ladder (trajectory Okay: no full-time industry role yet). Research code counts as hands-on: 48+ months = Good, but not Great without industry time. 8 points = Maybe.',
  ),
  hard(
    ['phd', 'phd-no-industry', 'non-engineer'],
    {
      name: 'Katarzyna Wiśniewska',
      location: 'Zurich, Switzerland',
      education: [E('Princeton University', 'PhD', 'Mathematics', 2015, 2020), E('University of Warsaw', 'BSc', 'Mathematics', 2012, 2015)],
      experience: [
        J('ETH Zurich', 'Postdoctoral Researcher', '2020-10', null, 'Proved sharp bounds for random matrix ensembles and taught graduate lessons in probability.'),
        J('Princeton University', 'Graduate Researcher', '2015-09', '2020-06', 'Published six papers in analysis and taught undergraduate calculus.'),
      ],
      skills: ['Probability', 'LaTeX', 'Python'],
    },
    'No',
    ['Great', 'Weak', 'Okay', 'Weak'],
    'A Princeton mathematics PhD and ETH postdoc; theoretical research with no software work of any kind.',
    ['Princeton University', 'ETH Zurich', 'Postdoctoral Researcher'],
    'Elite education alone: no code terms in any role, so is_software_engineer is Weak and the recommendation is capped at No. 4 points.',
  ),
  hard(
    ['phd', 'phd-no-industry', 'degree-in-progress', 'non-us'],
    {
      name: 'Ji-woo Kang',
      location: 'Pittsburgh, PA',
      education: [E('Carnegie Mellon University', 'PhD', 'Computer Science', 2019, null), E('KAIST', 'BS', 'Computer Science', 2015, 2019)],
      experience: [
        J('Google', 'Research Intern', '2023-06', '2023-09', 'Implemented a sparse attention kernel in C++ and CUDA and wrote its unit tests.'),
        J('Carnegie Mellon University', 'PhD Researcher', '2019-09', null, 'Implemented compiler optimisation passes in C++ and Python for ML workloads; released the code as an open-source library.'),
      ],
      skills: ['C++', 'CUDA', 'Compilers', 'Python'],
    },
    'Maybe',
    ['Good', 'Good', 'Okay', 'Good'],
    'A CMU PhD student (not finished) with a KAIST degree, seven years of compiler research code and a Google research internship.',
    ['Carnegie Mellon University', 'KAIST', 'Google', 'Research Intern'],
    'The CMU PhD is in progress (end_year null), so only the KAIST BS counts (Good). Any role at a tier-1 company, even an internship, makes company pedigree Good. 9 points = Maybe.',
  ),
  hard(
    ['phd', 'phd-no-industry', 'non-us'],
    {
      name: 'Zhou Yiming',
      location: 'Beijing, China',
      education: [E('Tsinghua University', 'PhD', 'Physics', 2016, 2021), E('Zhejiang University', 'BS', 'Physics', 2012, 2016)],
      experience: [
        J('Peking University', 'Postdoctoral Researcher', '2021-09', null, 'Wrote C++ and Python simulation code for lattice QCD on a 2,000-node cluster.'),
        J('Tsinghua University', 'Doctoral Researcher', '2016-09', '2021-07', 'Implemented Monte Carlo solvers in C++ and maintained the group codebase.'),
      ],
      skills: ['C++', 'Python', 'MPI', 'Physics'],
    },
    'Maybe',
    ['Great', 'Weak', 'Okay', 'Good'],
    'A Tsinghua physics PhD and Peking University postdoc who has written scientific C++ for ten years; no industry experience.',
    ['Tsinghua University', 'Peking University', 'Postdoctoral Researcher'],
    'Scientific computing in C++ is hands-on software (code terms in every role) but academic, so Good rather than Great. 8 points = Maybe.',
  ),
  hard(
    ['phd', 'phd-no-industry', 'little-known-school', 'non-us'],
    {
      name: 'Marek Zieliński',
      location: 'Wrocław, Poland',
      education: [E('Wrocław Institute of Applied Informatics', 'PhD', 'Computer Science', 2020, 2024), E('Wrocław Institute of Applied Informatics', 'MSc', 'Computer Science', 2018, 2020)],
      experience: [J('Wrocław Institute of Applied Informatics', 'Research Assistant', '2021-10', '2024-10', 'Implemented graph algorithms in Java and Python for a routing study.')],
      skills: ['Java', 'Python', 'Graph algorithms'],
    },
    'Strong No',
    ['Okay', 'Weak', 'Okay', 'Okay'],
    'A PhD from a little-known Polish institute with three years of research code, no industry experience, and nothing listed since the assistantship ended in 2024.',
    ['Wrocław Institute of Applied Informatics', 'Research Assistant'],
    'Hands-on for 36 months, academic only: under the 48 months that would make it Good. Nothing is listed after 2024-10, a 25-month unexplained gap by 2026-11 (-2). 4 - 2 = 2 = Strong No, although a doctorate: nothing in the profile shows industry readiness.',
  ),

  // -------------------------------------------------------------------------
  // Employment gaps
  // -------------------------------------------------------------------------
  hard(
    ['gap', 'unemployed', 'strong-pedigree', 'non-us'],
    {
      name: 'Nadia Haddad',
      location: 'Toronto, Canada',
      education: [E('University of Waterloo', 'BMath', 'Computer Science', 2008, 2013)],
      experience: [
        J('Google', 'Senior Software Engineer', '2017-01', '2023-02', CODE.lead('Java', 'storage')),
        J('Google', 'Software Engineer', '2013-07', '2017-01', 'Implemented Bigtable client features in Java and C++; wrote unit tests.'),
      ],
      skills: ['Java', 'C++', 'Distributed storage'],
    },
    'Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'A Waterloo graduate who spent ten years at Google reaching senior in 3.5 years, but has had no role since early 2023.',
    ['University of Waterloo', 'Google', 'Senior Software Engineer'],
    'A perfect 15 points minus 2 for the unexplained 45-month gap since 2023-02 = 13, and a red flag forbids Strong Yes: Yes. "BMath" is a bachelor\'s degree (counts).',
  ),
  hard(
    ['gap', 'explained-gap'],
    {
      name: 'Laura Bergström',
      location: 'Austin, TX',
      education: [E('University of Texas at Austin', 'BS', 'Computer Science', 2010, 2014)],
      experience: [
        J('Coinbase', 'Senior Software Engineer', '2023-09', null, CODE.backend('Golang', 'custody')),
        J('Career break', 'Parental leave', '2021-06', '2023-09', 'Full-time parent to two young children.'),
        J('Dropbox', 'Senior Software Engineer', '2018-07', '2021-06', 'Implemented sync engine features in Rust and Python.'),
        J('Dropbox', 'Software Engineer', '2014-07', '2018-07', 'Built Python backend services for sharing and wrote integration tests.'),
      ],
      skills: ['Go', 'Rust', 'Python'],
    },
    'Strong Yes',
    ['Good', 'Good', 'Great', 'Great'],
    'Senior engineer at Dropbox within four years and now at Coinbase, with a documented two-year parental leave; UT Austin CS.',
    ['Coinbase', 'Senior Software Engineer', 'Dropbox', 'University of Texas at Austin'],
    'The 27-month break is an experience entry (Career break / Parental leave), so it is explained and not a red flag. Senior after exactly 48 months = Great. 13 points, no flags = Strong Yes.',
  ),
  hard(
    ['gap'],
    {
      name: 'Curtis Abernathy',
      location: 'Portland, OR',
      education: [E('Oregon State University', 'BS', 'Computer Science', 2010, 2014)],
      experience: [
        J('Norvale Systems', 'Software Engineer', '2021-06', null, 'Maintains Java APIs for the claims backend and writes unit tests.'),
        J('Harborview Logistics', 'Software Engineer', '2014-08', '2019-03', 'Built routing features in C# and SQL Server and fixed production bugs in the codebase.'),
      ],
      skills: ['Java', 'C#', 'SQL'],
    },
    'No',
    ['Okay', 'Okay', 'Weak', 'Great'],
    'Ten years as a mid-level engineer at little-known companies with an unexplained 27-month gap between 2019 and 2021.',
    ['Norvale Systems', 'Software Engineer', 'Harborview Logistics', 'Oregon State University'],
    'Unexplained gap 2019-03 to 2021-06 (27 months) = red flag. 12 years at mid-level = flat (Weak). 8 - 2 = 6 = No.',
  ),
  hard(
    ['gap', 'masters-fills-gap', 'non-us'],
    {
      name: 'Vikram Raghunathan',
      location: 'San Francisco, CA',
      education: [E('Carnegie Mellon University', 'MS', 'Computer Science', 2019, 2021), E('Kaveri Institute of Engineering', 'BE', 'Computer Science', 2012, 2016)],
      experience: [
        J('Databricks', 'Senior Software Engineer', '2023-01', null, 'Implemented query optimizer rules in Scala for Spark SQL; reviews pull requests for the engine team.'),
        J('Databricks', 'Software Engineer', '2021-07', '2023-01', 'Built Scala and Java microservices for cluster management.'),
        J('Tata Consultancy Services', 'Systems Engineer', '2016-07', '2019-07', 'Implemented Java batch jobs and REST APIs for an insurance client.'),
      ],
      skills: ['Scala', 'Spark', 'Java'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Good', 'Great'],
    'A TCS engineer who took a CMU master\'s and joined Databricks, reaching senior in 18 months there.',
    ['Carnegie Mellon University', 'Databricks', 'Senior Software Engineer', 'Tata Consultancy Services'],
    'The 2019-2021 break in employment is the CMU MS (education covers it), so no gap flag. Trajectory counts from 2016-07: senior after 6.5 years = Good. 14 points = Strong Yes.',
  ),
  hard(
    ['gap', 'unemployed', 'short-gap'],
    {
      name: 'Samuel Achterberg',
      location: 'San Francisco, CA',
      education: [E('Purdue University', 'BS', 'Computer Science', 2012, 2016)],
      experience: [
        J('Lyft', 'Senior Software Engineer', '2020-09', '2026-01', CODE.backend('Python', 'dispatch')),
        J('Lyft', 'Software Engineer', '2016-07', '2020-09', 'Implemented pricing APIs in Python and Golang.'),
      ],
      skills: ['Python', 'Go'],
    },
    'Yes',
    ['Good', 'Good', 'Good', 'Great'],
    'Nearly ten years at Lyft, senior after about four years; out of work for ten months, which is not a red flag.',
    ['Lyft', 'Senior Software Engineer', 'Purdue University'],
    'Ten months since the last role is under the 18-month threshold: no red flag. Senior after 50 months just misses Great (48). 12 points = Yes.',
  ),

  // -------------------------------------------------------------------------
  // Contractors
  // -------------------------------------------------------------------------
  hard(
    ['contractor'],
    {
      name: 'Luis Echeverría',
      location: 'San Jose, CA',
      education: [E('San Jose State University', 'BS', 'Computer Science', 2014, 2018)],
      experience: [
        J('Google (contract via Randstad)', 'Software Engineer', '2022-03', null, 'Built Golang tooling and Python data pipelines for the ads quality team.'),
        J('Capital One', 'Contract Software Engineer', '2019-01', '2022-02', 'Implemented Java microservices for card payments and wrote unit tests.'),
      ],
      skills: ['Go', 'Python', 'Java'],
    },
    'Maybe',
    ['Okay', 'Good', 'Weak', 'Great'],
    'A contract engineer with almost eight years of hands-on work, currently at Google through an agency, never promoted.',
    ['Google (contract via Randstad)', 'Capital One', 'San Jose State University'],
    'Contract work at Google is not the same bar: a tier-1 contract role gives Good, not Great. 7.8 years at mid-level = flat. 9 points = Maybe.',
  ),
  hard(
    ['contractor', 'freelance', 'non-us', 'little-known-school'],
    {
      name: 'Valentina Ibarra',
      location: 'Mexico City, Mexico',
      education: [E('Universidad Técnica de Montebello', 'BS', 'Ingeniería en Sistemas', 2011, 2015)],
      experience: [J('Self-employed', 'Freelance Full Stack Developer', '2016-02', null, 'Builds React frontends and Django backends for small businesses; wrote and maintains the code for 30+ client sites.')],
      skills: ['React', 'Django', 'Python', 'PostgreSQL'],
    },
    'Maybe',
    ['Okay', 'Okay', 'Weak', 'Great'],
    'A freelance full-stack developer for ten years with a degree from a little-known Mexican university; steady hands-on work, no progression visible.',
    ['Self-employed', 'Freelance Full Stack Developer', 'Universidad Técnica de Montebello'],
    'Freelance counts as industry work (Okay company) and as hands-on; one title for 10 years = flat. 8 points = Maybe.',
  ),
  hard(
    ['contractor', 'strong-company'],
    {
      name: 'Owen Castellanos',
      location: 'Remote (US)',
      education: [E('Brown University', 'BS', 'Computer Science', 2012, 2016)],
      experience: [
        J('Airbnb (contract)', 'Senior Software Engineer', '2024-07', null, 'Implemented payouts features in Kotlin and reviewed pull requests.'),
        J('Netflix (via TEKsystems)', 'Senior Software Engineer', '2023-09', '2024-06', 'Built Java microservices for the studio backend.'),
        J('Stripe (contract)', 'Senior Software Engineer', '2022-11', '2023-08', 'Implemented Ruby APIs for invoicing and wrote unit tests.'),
        J('Meta (via Toptal)', 'Senior Software Engineer', '2022-01', '2022-10', 'Refactored the Python codebase of an internal ads tool.'),
        J('Uber', 'Senior Software Engineer', '2019-07', '2021-12', CODE.backend('Golang', 'dispatch')),
        J('Uber', 'Software Engineer', '2016-07', '2019-07', 'Implemented rider app backend features in Python and Golang.'),
      ],
      skills: ['Go', 'Python', 'Java', 'Kotlin', 'Ruby'],
    },
    'Strong Yes',
    ['Good', 'Good', 'Great', 'Great'],
    'Senior at Uber in three years, then a string of senior contracts at Meta, Stripe, Netflix and Airbnb; ten years of hands-on work, Brown CS.',
    ['Uber', 'Senior Software Engineer', 'Brown University', 'Stripe (contract)'],
    'The short stints are contracts, so they are not job hopping. Contract roles at tier-1 companies give Good (as does the 5.5 years at Uber). 13 points, no flags = Strong Yes.',
  ),
  hard(
    ['contractor', 'title-mismatch', 'non-engineer'],
    {
      name: 'Jasmine Pruitt',
      location: 'Redmond, WA',
      education: [E('Bellmont College', 'Associate of Science', 'Information Technology', 2016, 2018)],
      experience: [J('Microsoft (via Hays)', 'Software Test Engineer (contract)', '2022-09', null, 'Ran manual regression test passes on Outlook builds and filed bugs in Azure DevOps.')],
      skills: ['Manual testing', 'Azure DevOps', 'Test plans'],
    },
    'Strong No',
    ['Weak', 'Good', 'Okay', 'Weak'],
    'A contract manual tester at Microsoft through an agency; "Engineer" in the title but no software work, and no degree.',
    ['Microsoft (via Hays)', 'Software Test Engineer (contract)'],
    'The Microsoft name is via an agency (contract = Good, not Great). Manual testing has no code terms. 4 years at one level is not yet flat. 3 points = Strong No.',
  ),

  // -------------------------------------------------------------------------
  // Very senior individual contributors
  // -------------------------------------------------------------------------
  hard(
    ['senior-ic', 'strong-pedigree'],
    {
      name: 'Harold Fitzgerald',
      location: 'Redmond, WA',
      education: [E('University of Illinois Urbana-Champaign', 'BS', 'Computer Science', 1996, 2000)],
      experience: [
        J('Microsoft', 'Distinguished Engineer', '2017-07', null, 'Architect of the Windows kernel scheduler; still writes code in C and C++ and reviews pull requests across the kernel team.'),
        J('Microsoft', 'Principal Software Engineer', '2010-07', '2017-07', 'Implemented the memory manager rewrite in C++.'),
        J('Microsoft', 'Senior Software Engineer', '2004-07', '2010-07', 'Built kernel debugging tools and wrote integration tests.'),
        J('Microsoft', 'Software Engineer', '2000-07', '2004-07', 'Implemented file system drivers in C.'),
      ],
      skills: ['C', 'C++', 'Operating systems'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'A Distinguished Engineer at Microsoft after 26 years of kernel work who still writes code; UIUC computer science.',
    ['Microsoft', 'Distinguished Engineer', 'University of Illinois Urbana-Champaign'],
    'Senior after exactly 4 years (48 months) = Great. Very senior but still hands-on (code terms in the current role). 15 points.',
  ),
  hard(
    ['senior-ic', 'slow'],
    {
      name: 'Deborah Kimura',
      location: 'Atlanta, GA',
      education: [E('Kennesaw State University', 'BS', 'Computer Science', 2002, 2006)],
      experience: [
        J('State Farm', 'Principal Engineer', '2022-01', null, 'Sets technical direction for claims and still writes code every week: owns the critical-path APIs in Java.'),
        J('State Farm', 'Lead Software Engineer', '2018-01', '2022-01', 'Implemented the policy rating engine in Java and led code reviews.'),
        J('State Farm', 'Senior Software Engineer', '2014-01', '2018-01', 'Built COBOL-to-Java migration tooling and wrote unit tests.'),
        J('State Farm', 'Programmer Analyst', '2006-06', '2014-01', 'Maintained COBOL batch code and wrote Java backend services.'),
      ],
      skills: ['Java', 'COBOL', 'Mainframe', 'System design'],
    },
    'Maybe',
    ['Okay', 'Okay', 'Good', 'Great'],
    'A Principal Engineer at State Farm after twenty years there; solid and hands-on, but a slow climb at a tier-3 employer with a tier-3 degree.',
    ['State Farm', 'Principal Engineer', 'Kennesaw State University'],
    'Very senior title, but it took 7.6 years to reach senior and 15.6 to principal: principal within 16 years = Good. 10 points = Maybe.',
  ),
  hard(
    ['senior-ic', 'no-degree', 'dropout'],
    {
      name: 'Theo Vasquez-Lindqvist',
      location: 'San Francisco, CA',
      education: [E('University of California, Berkeley', 'Coursework (no degree)', 'Computer Science', 2008, null)],
      experience: [
        J('Stripe', 'Senior Staff Engineer', '2021-01', null, 'Architect of the ledger SDK and its Ruby and Java backend; reviews the pull requests of six teams.'),
        J('Stripe', 'Staff Engineer', '2017-01', '2021-01', 'Implemented the payments routing backend in Java; wrote the code for the idempotency layer.'),
        J('Stripe', 'Software Engineer', '2013-07', '2017-01', 'Built Ruby APIs for Connect and wrote integration tests.'),
        J('Lumenfold', 'Software Engineer', '2010-03', '2013-06', 'Built the Rails backend and React frontend of an early-stage startup.'),
      ],
      skills: ['Ruby', 'Java', 'Distributed systems', 'Payments'],
    },
    'Yes',
    ['Weak', 'Great', 'Great', 'Great'],
    'A Berkeley dropout who rose to Senior Staff Engineer at Stripe; an exceptional engineering record without a completed degree.',
    ['Stripe', 'Senior Staff Engineer', 'University of California, Berkeley'],
    'Berkeley coursework without a degree does not count (end_year null), so education is Weak, which holds a superb record to Yes (12 points). Staff within 7 years (82 months) = Great.',
  ),
  hard(
    ['senior-ic', 'non-us', 'title-levels'],
    {
      name: 'Takeshi Morimoto',
      location: 'Tokyo, Japan',
      education: [E('University of Tokyo', 'PhD', 'Information Science', 1993, 1998)],
      experience: [
        J('IBM', 'IBM Fellow', '2021-04', null, 'Leads research on quantum compilers and still implements the core optimisation passes in C++ and Python.'),
        J('IBM', 'Distinguished Engineer', '2015-04', '2021-04', 'Designed the z/OS compiler backend and wrote code for its register allocator.'),
        J('IBM', 'Senior Technical Staff Member', '2008-04', '2015-04', 'Implemented Java JIT compiler optimisations and reviewed pull requests.'),
        J('IBM', 'Software Engineer', '1998-04', '2008-04', 'Built compiler code generators in C and wrote unit tests.'),
      ],
      skills: ['Compilers', 'C++', 'Java', 'Quantum computing'],
    },
    'Yes',
    ['Great', 'Okay', 'Good', 'Great'],
    'An IBM Fellow with a University of Tokyo PhD and 28 years of compiler engineering; senior titles came slowly.',
    ['IBM', 'IBM Fellow', 'University of Tokyo'],
    'IBM is tier 3. "Senior Technical Staff Member" reads as level 4 (Staff), reached after 10 years = Good; Distinguished after 17 years also = Good. 12 points = Yes.',
  ),
  hard(
    ['senior-ic', 'title-mismatch', 'non-us'],
    {
      name: 'Sunita Deshpande',
      location: 'Pune, India',
      education: [E('University of Pune', 'BE', 'Computer Engineering', 2006, 2010)],
      experience: [
        J('Accenture', 'Solution Architect', '2018-07', null, 'Wrote solution proposals, led client workshops and reviewed architecture slides for stakeholders.'),
        J('Accenture', 'Senior Software Engineer', '2014-07', '2018-07', 'Implemented Java microservices for a retail client and wrote integration tests.'),
        J('Accenture', 'Software Engineer', '2010-07', '2014-07', 'Built Java and SQL backend modules and fixed production bugs in the codebase.'),
      ],
      skills: ['Solution architecture', 'Java', 'Client management'],
    },
    'No',
    ['Okay', 'Okay', 'Great', 'Okay'],
    'Eight years of hands-on Java at Accenture, then eight years as a non-coding solution architect; Pune engineering degree.',
    ['Accenture', 'Solution Architect', 'University of Pune'],
    'The architect title sounds senior-technical, but the description is proposals, workshops and slides: not hands-on. Past hands-on work with a non-coding current role = Okay, capped at Maybe; 7 points = No.',
  ),

  // -------------------------------------------------------------------------
  // Non-US institutions
  // -------------------------------------------------------------------------
  hard(
    ['non-us', 'strong-pedigree'],
    {
      name: 'Aditi Kulkarni',
      location: 'Bengaluru, India',
      education: [E('IIT Bombay', 'BTech', 'Computer Science and Engineering', 2013, 2017)],
      experience: [
        J('Google', 'Senior Software Engineer', '2022-02', null, CODE.lead('Java', 'Pay')),
        J('Flipkart', 'Senior Software Development Engineer', '2020-04', '2022-02', 'Implemented the checkout backend in Java and wrote integration tests.'),
        J('Flipkart', 'Software Development Engineer', '2017-07', '2020-04', 'Built Java microservices for catalog search.'),
      ],
      skills: ['Java', 'Kafka', 'System design'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'An IIT Bombay graduate who became a senior engineer at Flipkart in under three years and then joined Google.',
    ['IIT Bombay', 'Google', 'Flipkart', 'Senior Software Engineer'],
    'IIT Bombay is tier 1 (a model unfamiliar with Indian institutions under-rates it). 15 points.',
  ),
  hard(
    ['non-us', 'flat', 'strong-pedigree'],
    {
      name: 'Liu Xinyi',
      location: 'Beijing, China',
      education: [E('Tsinghua University', 'BEng', 'Computer Science', 2014, 2018)],
      experience: [J('ByteDance', 'Software Engineer', '2018-07', null, 'Built Golang microservices for the recommendation feed and wrote unit tests; refactored the ranking API.')],
      skills: ['Go', 'Kafka', 'Redis'],
    },
    'Yes',
    ['Great', 'Good', 'Weak', 'Great'],
    'A Tsinghua graduate with eight years of hands-on backend work at ByteDance under one unchanged title.',
    ['Tsinghua University', 'ByteDance', 'Software Engineer'],
    'Eight years at one title reads as flat (the rubric judges titles as written; internal levels are not visible). 11 points = Yes.',
  ),
  hard(
    ['non-us', 'little-known-company', 'strong-pedigree'],
    {
      name: 'Lukas Brunner',
      location: 'Zurich, Switzerland',
      education: [E('ETH Zurich', 'MSc', 'Computer Science', 2016, 2018), E('ETH Zurich', 'BSc', 'Computer Science', 2013, 2016)],
      experience: [
        J('Alpenglow Robotics', 'Tech Lead', '2024-01', null, 'Leads the motion-planning team and implements the planner core in C++ and Rust.'),
        J('Alpenglow Robotics', 'Senior Software Engineer', '2021-06', '2024-01', 'Implemented the perception pipeline in C++ and wrote integration tests.'),
        J('Alpenglow Robotics', 'Software Engineer', '2018-10', '2021-06', 'Built the fleet backend in Rust and Python.'),
      ],
      skills: ['C++', 'Rust', 'Robotics'],
    },
    'Strong Yes',
    ['Great', 'Okay', 'Great', 'Great'],
    'An ETH Zurich graduate who became senior in under three years and now tech lead at a little-known robotics company.',
    ['ETH Zurich', 'Alpenglow Robotics', 'Tech Lead'],
    'A little-known employer only costs company points (Okay); ETH + fast progression + 8 years hands-on = 13 points = Strong Yes.',
  ),
  hard(
    ['non-us', 'strong-pedigree'],
    {
      name: 'Yael Ben-David',
      location: 'Tel Aviv, Israel',
      education: [E('Technion - Israel Institute of Technology', 'BSc', 'Computer Science', 2015, 2019)],
      experience: [
        J('Wix', 'Senior Backend Engineer', '2022-09', null, CODE.backend('Scala', 'site publishing')),
        J('Wix', 'Backend Engineer', '2019-08', '2022-09', 'Implemented payments APIs in Scala and Node and wrote unit tests.'),
      ],
      skills: ['Scala', 'Node.js', 'Kafka'],
    },
    'Strong Yes',
    ['Great', 'Good', 'Great', 'Great'],
    'A Technion graduate who reached senior backend engineer at Wix in about three years.',
    ['Technion - Israel Institute of Technology', 'Wix', 'Senior Backend Engineer'],
    'Technion is tier 1, Wix tier 2. 14 points = Strong Yes.',
  ),
  hard(
    ['non-us', 'new-grad', 'strong-pedigree', 'interns'],
    {
      name: 'Ethan Tremblay',
      location: 'Waterloo, Canada',
      education: [E('University of Waterloo', 'BCS', 'Computer Science', 2021, 2026)],
      experience: [
        J('Stripe', 'Software Engineer', '2026-09', null, 'Joined the billing team.'),
        J('Databricks', 'Software Engineering Co-op', '2025-01', '2025-04', 'Implemented a Spark SQL optimizer rule in Scala and wrote unit tests.'),
        J('Stripe', 'Software Engineering Intern', '2024-05', '2024-08', 'Built an internal API in Ruby for invoice previews.'),
        J('Shopify', 'Software Engineering Intern', '2023-01', '2023-04', 'Implemented React admin features and fixed backend bugs.'),
      ],
      skills: ['Scala', 'Ruby', 'React', 'Python'],
    },
    'Maybe',
    ['Great', 'Good', 'Okay', 'Okay'],
    'A new Waterloo graduate with three strong co-op internships who started at Stripe two months ago.',
    ['University of Waterloo', 'Stripe', 'Software Engineer', 'Databricks'],
    'A 2026 degree counts (completed by the reference year). "Joined the billing team." is under 5 words, so the title decides: Software Engineer = hands-on. Two months full-time is under 12, but a tier-1 role gives Good. Hands-on 11 months = Okay, which caps at Maybe; 8 points = Maybe.',
  ),
  hard(
    ['non-us', 'strong-pedigree', 'phd'],
    {
      name: 'Imogen Ashworth',
      location: 'London, UK',
      education: [E('University of Oxford', 'DPhil', 'Computer Science', 2015, 2019), E('University of Cambridge', 'BA', 'Mathematics', 2012, 2015)],
      experience: [
        J('Google DeepMind', 'Senior Research Engineer', '2022-04', null, 'Implemented distributed training infrastructure in Python and JAX; owns the evaluation codebase.'),
        J('Google DeepMind', 'Research Engineer', '2019-10', '2022-04', 'Built data pipelines and Python tooling for reinforcement learning experiments.'),
      ],
      skills: ['Python', 'JAX', 'Machine learning'],
    },
    'Strong Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'An Oxford DPhil and Cambridge graduate, senior research engineer at Google DeepMind after 2.5 years.',
    ['University of Oxford', 'Google DeepMind', 'Senior Research Engineer'],
    'DeepMind is part of Google (tier 1). "Research Engineer" is engineering by description (code terms). 15 points.',
  ),
  hard(
    ['non-us', 'little-known-school', 'little-known-company'],
    {
      name: 'Pradeep Nair',
      location: 'Kochi, India',
      education: [E('Kaveri Institute of Engineering', 'BE', 'Computer Science', 2011, 2015)],
      experience: [
        J('Bharat Tech Solutions', 'Lead Software Engineer', '2022-04', null, 'Leads the logistics platform team and implements core services in Java and Kotlin.'),
        J('Bharat Tech Solutions', 'Senior Software Engineer', '2019-01', '2022-04', CODE.backend('Java', 'shipment tracking')),
        J('Bharat Tech Solutions', 'Software Engineer', '2015-07', '2019-01', 'Built Android features in Kotlin and the backend APIs behind them.'),
      ],
      skills: ['Java', 'Kotlin', 'Android'],
    },
    'Yes',
    ['Okay', 'Okay', 'Great', 'Great'],
    'Senior in 3.5 years and now a lead at a little-known Indian company, with a degree from a little-known college; strong hands-on record.',
    ['Kaveri Institute of Engineering', 'Bharat Tech Solutions', 'Lead Software Engineer'],
    'Unknown names are tier 3 (Okay), not Weak; the work and the pace carry the candidate. 11 points = Yes.',
  ),
  hard(
    ['non-us', 'flat', 'little-known-school', 'little-known-company'],
    {
      name: 'Chinedu Okafor',
      location: 'Lagos, Nigeria',
      education: [E('University of Lagos', 'BSc', 'Computer Science', 2012, 2016)],
      experience: [J('Paystack Lane', 'Software Engineer', '2016-10', null, 'Builds PHP and Python backend APIs for merchant payments and writes unit tests.')],
      skills: ['PHP', 'Python', 'MySQL'],
    },
    'Maybe',
    ['Okay', 'Okay', 'Weak', 'Great'],
    'Ten years of hands-on backend work at a little-known Nigerian fintech under one unchanged title.',
    ['University of Lagos', 'Paystack Lane', 'Software Engineer'],
    'Flat: one mid-level title for 10 years. 8 points = Maybe.',
  ),
  hard(
    ['non-us', 'little-known-school'],
    {
      name: 'Jana Hoffmann',
      location: 'Berlin, Germany',
      education: [E('Hanseatic University of Applied Sciences', 'Bachelor of Science', 'Informatik', 2010, 2014)],
      experience: [
        J('Zalando', 'Senior Software Engineer', '2019-01', null, CODE.infra('fashion catalog')),
        J('SAP', 'Developer', '2014-09', '2018-12', 'Implemented ABAP and Java extensions for the HR suite and wrote unit tests.'),
      ],
      skills: ['Java', 'Kubernetes', 'ABAP'],
    },
    'Yes',
    ['Okay', 'Good', 'Good', 'Great'],
    'Twelve years hands-on at SAP and Zalando, senior after about four years; degree from a little-known German university of applied sciences.',
    ['Zalando', 'Senior Software Engineer', 'SAP', 'Hanseatic University of Applied Sciences'],
    '"Bachelor of Science" counts as a degree. Senior after 52 months just misses Great. 11 points = Yes.',
  ),
  hard(
    ['non-us', 'little-known-school', 'strong-company'],
    {
      name: 'Mateo Herrera',
      location: 'Remote (US)',
      education: [E('Universidad Técnica de Montebello', 'BS', 'Computer Science', 2010, 2014)],
      experience: [
        J('Google', 'Senior Software Engineer', '2021-06', null, CODE.backend('Java', 'Maps routing')),
        J('Mercado Libre', 'Senior Software Developer', '2018-01', '2021-06', 'Implemented the payments backend in Java and Golang; wrote integration tests.'),
        J('Mercado Libre', 'Software Developer', '2015-03', '2018-01', 'Built marketplace APIs in Java.'),
      ],
      skills: ['Java', 'Go', 'Microservices'],
    },
    'Strong Yes',
    ['Okay', 'Great', 'Great', 'Great'],
    'A graduate of a little-known Mexican university who became senior at Mercado Libre in under three years and has been at Google for five.',
    ['Google', 'Senior Software Engineer', 'Mercado Libre', 'Universidad Técnica de Montebello'],
    'A little-known school does not block Strong Yes when work, company and pace are top: 13 points.',
  ),
  hard(
    ['non-us', 'title-mismatch', 'non-engineer', 'little-known-school'],
    {
      name: 'Wang Jiahui',
      location: 'Shenzhen, China',
      education: [E('Nanhai Institute of Technology', 'BEng', 'Automation', 2014, 2018)],
      experience: [J('Zhiyun Data', 'Sales Engineer', '2018-07', null, 'Ran demos of the analytics product for prospects and managed key accounts in South China.')],
      skills: ['Sales', 'Presentations', 'Customer relationships'],
    },
    'Strong No',
    ['Okay', 'Okay', 'Weak', 'Weak'],
    'A sales engineer at a small Chinese data company for eight years: demos and account management, no software work.',
    ['Zhiyun Data', 'Sales Engineer', 'Nanhai Institute of Technology'],
    '"Engineer" doing sales: the description has non-code terms only. Flat for 8 years. 2 points.',
  ),
  hard(
    ['non-us', 'strong-pedigree', 'title-mismatch'],
    {
      name: 'Rajesh Krishnamurthy',
      location: 'Hyderabad, India',
      education: [E('IIT Madras', 'BTech', 'Computer Science', 2006, 2010)],
      experience: [
        J('Infosys', 'Technology Architect', '2021-07', null, 'Owns client architecture reviews and presales solutioning; writes proposals and slides for stakeholders.'),
        J('Infosys', 'Technology Lead', '2017-07', '2021-07', 'Led a team of six and implemented Java microservices for a banking client.'),
        J('Infosys', 'Senior Systems Engineer', '2013-01', '2017-07', 'Built Java backend modules and wrote unit tests.'),
        J('Infosys', 'Systems Engineer', '2010-07', '2013-01', 'Implemented Java batch jobs and SQL scripts.'),
      ],
      skills: ['Java', 'Solution architecture', 'Presales'],
    },
    'Maybe',
    ['Great', 'Okay', 'Great', 'Okay'],
    'An IIT Madras graduate who was a fast-rising engineer at Infosys but has not done hands-on work for five years as a presales architect.',
    ['IIT Madras', 'Infosys', 'Technology Architect'],
    'The current role is not hands-on (proposals, slides, stakeholders), so is_software_engineer is Okay, capping at Maybe. The trajectory uses all full-time roles (current role is not engineering): senior after 2.5 years = Great. 9 points = Maybe.',
  ),

  // -------------------------------------------------------------------------
  // Top-tier vs little-known, fast vs flat
  // -------------------------------------------------------------------------
  hard(
    ['little-known-school', 'strong-company', 'fast'],
    {
      name: 'Jordan McAllister',
      location: 'Mountain View, CA',
      education: [E('Northgate State University', 'BS', 'Computer Science', 2014, 2018)],
      experience: [
        J('Google', 'Senior Software Engineer', '2021-09', null, CODE.lead('Golang', 'Cloud networking')),
        J('Google', 'Software Engineer', '2018-08', '2021-09', 'Implemented load balancer features in C++ and Golang; wrote unit tests.'),
      ],
      skills: ['Go', 'C++', 'Networking'],
    },
    'Strong Yes',
    ['Okay', 'Great', 'Great', 'Great'],
    'A graduate of a little-known state university who has been at Google for eight years and became senior in about three.',
    ['Google', 'Senior Software Engineer', 'Northgate State University'],
    'School pedigree is only one point of fifteen: 13 points = Strong Yes.',
  ),
  hard(
    ['flat', 'strong-pedigree', 'strong-company'],
    {
      name: 'Meredith Lawson',
      location: 'Seattle, WA',
      education: [E('Harvard University', 'BA', 'Computer Science', 2009, 2013)],
      experience: [
        J('Microsoft', 'Software Engineer II', '2016-07', null, 'Maintains C# backend services for Outlook calendar and writes unit tests.'),
        J('Microsoft', 'Software Engineer', '2013-07', '2016-07', 'Implemented calendar sync APIs in C#.'),
      ],
      skills: ['C#', '.NET', 'Azure'],
    },
    'Yes',
    ['Great', 'Great', 'Weak', 'Great'],
    'A Harvard graduate with thirteen years of hands-on work at Microsoft who has never moved past Software Engineer II.',
    ['Harvard University', 'Microsoft', 'Software Engineer II'],
    'Flat: 13 years without reaching senior. Pedigree keeps it at Yes (12 points), but not Strong Yes.',
  ),
  hard(
    ['non-engineer', 'role-sales', 'strong-pedigree', 'flat'],
    {
      name: 'Charles Whitmore',
      location: 'Boston, MA',
      education: [E('Stanford University', 'BA', 'Economics', 2011, 2015)],
      experience: [J('Greyfield Retail Group', 'Account Executive', '2015-08', null, 'Managed regional retail accounts and negotiated supplier contracts.')],
      skills: ['Negotiation', 'Account management'],
    },
    'No',
    ['Great', 'Okay', 'Weak', 'Weak'],
    'A Stanford economics graduate who has been an account executive at a retailer for eleven years; no software work.',
    ['Stanford University', 'Greyfield Retail Group', 'Account Executive'],
    'Top school, nothing else: 4 points = No (just above Strong No because of the Stanford degree).',
  ),
  hard(
    ['self-taught', 'no-degree', 'gap', 'flat'],
    {
      name: 'Randall Pike',
      location: 'Phoenix, AZ',
      education: [],
      experience: [
        J('Lumenfold', 'Web Developer', '2021-01', null, 'Builds PHP and JavaScript pages for client sites and fixes bugs in the codebase.'),
        J('Kitewire', 'Web Developer', '2012-01', '2018-06', 'Built WordPress themes in PHP and JavaScript.'),
      ],
      skills: ['PHP', 'JavaScript', 'WordPress'],
    },
    'No',
    ['Weak', 'Okay', 'Weak', 'Great'],
    'A self-taught web developer with no degree, the same title for fifteen years and an unexplained 2.5-year gap.',
    ['Lumenfold', 'Web Developer', 'Kitewire'],
    'Hands-on throughout (PHP and JavaScript are code terms), but one title for 15 years (flat), no degree and an unexplained 31-month gap (-2): 7 - 2 = 5 = No.',
  ),
  hard(
    ['new-grad', 'strong-pedigree', 'no-experience'],
    {
      name: 'Sophie Adebayo-Clarke',
      location: 'Pittsburgh, PA',
      education: [E('Carnegie Mellon University', 'BS', 'Computer Science', 2022, 2026)],
      experience: [],
      skills: ['Python', 'C', 'Machine learning', 'Rust'],
    },
    'No',
    ['Great', 'Weak', 'Okay', 'Weak'],
    'A fresh CMU computer science graduate with no work experience or internships listed.',
    ['Carnegie Mellon University'],
    'No roles at all: company Weak, trajectory Okay (nothing yet), and no role shows software work (skills and coursework are not evidence), so is_software_engineer is Weak and caps at No. 4 points.',
  ),
  hard(
    ['manager', 'strong-pedigree'],
    {
      name: 'Victor Almeida',
      location: 'Menlo Park, CA',
      education: [E('Cornell University', 'BS', 'Computer Science', 2007, 2011)],
      experience: [
        J('Meta', 'Director of Engineering', '2021-01', null, 'Leads four teams (45 engineers) in Ads ranking; owns the roadmap, budget and headcount plans.'),
        J('Meta', 'Engineering Manager', '2016-06', '2021-01', 'Managed a team of 9 engineers on News Feed; ran hiring and performance reviews.'),
        J('Meta', 'Senior Software Engineer', '2014-01', '2016-06', 'Implemented News Feed ranking features in C++ and Python.'),
        J('Meta', 'Software Engineer', '2011-07', '2014-01', 'Built PHP and Python backend services for Groups and wrote unit tests.'),
      ],
      skills: ['Leadership', 'Hiring', 'C++', 'Python'],
    },
    'Yes',
    ['Great', 'Great', 'Great', 'Good'],
    'A Director of Engineering at Meta after five years of hands-on work; Cornell CS; no longer writes code.',
    ['Meta', 'Director of Engineering', 'Cornell University'],
    'An engineering manager with 36+ months of earlier hands-on work rates Good on is_software_engineer, and Strong Yes needs Great: 13 points = Yes.',
  ),
  hard(
    ['manager', 'career-changer'],
    {
      name: 'Alicia Moreno',
      location: 'San Francisco, CA',
      education: [E('University of California, Los Angeles', 'BA', 'Economics', 2008, 2012)],
      experience: [
        J('Uber', 'Engineering Manager', '2019-03', null, 'Manages 8 engineers on rider growth; runs hiring, planning and performance reviews.'),
        J('Uber', 'Product Manager', '2014-07', '2019-03', 'Owned the roadmap for rider promotions; ran customer interviews and wrote specs.'),
      ],
      skills: ['People management', 'Product strategy'],
    },
    'No',
    ['Good', 'Good', 'Great', 'Weak'],
    'A product manager turned engineering manager at Uber; she has never done hands-on software work.',
    ['Uber', 'Engineering Manager', 'University of California, Los Angeles'],
    'Managing engineers without any hands-on history does not make a software engineer (Weak). The engineering track starts at Engineering Manager (level 4) = Great by the table. 7 points, capped at No.',
  ),
  hard(
    ['job-hopper', 'strong-pedigree', 'strong-company'],
    {
      name: 'Nathaniel Cho',
      location: 'San Francisco, CA',
      education: [E('California Institute of Technology', 'BS', 'Computer Science', 2013, 2017)],
      experience: [
        J('Anthropic', 'Senior Software Engineer', '2024-07', null, CODE.infra('inference')),
        J('OpenAI', 'Senior Software Engineer', '2023-09', '2024-06', 'Implemented Python and Rust services for the API platform.'),
        J('Stripe', 'Senior Software Engineer', '2022-11', '2023-08', 'Built Ruby APIs for billing and wrote unit tests.'),
        J('Meta', 'Senior Software Engineer', '2022-01', '2022-10', 'Implemented React and Hack features for Marketplace.'),
        J('Google', 'Senior Software Engineer', '2020-01', '2021-12', 'Built C++ microservices for Search indexing.'),
        J('Google', 'Software Engineer', '2017-07', '2020-01', 'Implemented Java backend features for Drive and wrote unit tests.'),
      ],
      skills: ['Python', 'Rust', 'C++', 'Java'],
    },
    'Yes',
    ['Great', 'Great', 'Great', 'Great'],
    'A Caltech graduate who made senior at Google in 2.5 years, then held three permanent jobs at top labs and companies for under a year each.',
    ['Google', 'Anthropic', 'Senior Software Engineer', 'California Institute of Technology'],
    'Every dimension is Great (15), but three completed permanent roles under 12 months is a job-hopping red flag: 13 points, and a red flag forbids Strong Yes = Yes.',
  ),
  hard(
    ['non-engineer', 'role-recruiter', 'keyword-trap', 'no-degree'],
    {
      name: 'Brittany Scholz',
      location: 'Denver, CO',
      education: [],
      experience: [J('Harborview Logistics', 'Recruiter', '2017-03', null, 'Recruited Java and Python developers for 40 client companies; managed a pipeline of candidates and negotiated offers.')],
      skills: ['Recruiting', 'Java', 'Python', 'Negotiation'],
    },
    'Strong No',
    ['Weak', 'Okay', 'Weak', 'Weak'],
    'An agency recruiter with no degree who places Java and Python developers; no software work herself and no progression in nine years.',
    ['Harborview Logistics', 'Recruiter'],
    'Java and Python are two code terms, but recruited, pipeline of candidates and offers are three non-code terms: not hands-on. Flat for 9 years. 1 point.',
  ),
  hard(
    ['career-changer', 'gap', 'no-degree'],
    {
      name: 'Cody Brennan',
      location: 'Tampa, FL',
      education: [E('Moraine Valley State College', 'Associate of Science', 'Computer Information Systems', 2016, 2018)],
      experience: [
        J('Ferncastle', 'Junior Web Developer', '2026-07', null, 'Builds JavaScript and PHP pages for the marketing site and fixes frontend bugs.'),
        J('Harborview Logistics', 'Warehouse Associate', '2018-08', '2021-01', 'Picked and packed orders and trained new seasonal staff.'),
      ],
      skills: ['JavaScript', 'PHP', 'HTML'],
    },
    'Strong No',
    ['Weak', 'Okay', 'Okay', 'Okay'],
    'A warehouse associate who started as a junior web developer four months ago after more than five years with no listed activity; associate degree only.',
    ['Ferncastle', 'Junior Web Developer'],
    'Unexplained gap 2021-01 to 2026-07 (66 months, -2). Four months of hands-on work = Okay. 4 - 2 = 2 = Strong No.',
  ),
  hard(
    ['analyst-coder', 'title-mismatch', 'engineer', 'strong-company'],
    {
      name: 'Farah Siddiqui',
      location: 'New York, NY',
      education: [E('Columbia University', 'BA', 'Mathematics', 2015, 2019)],
      experience: [
        J('Two Sigma', 'Senior Quantitative Analyst', '2023-01', null, 'Implemented the execution simulator in C++ and Python; owns its codebase, unit tests and CI/CD.'),
        J('Two Sigma', 'Quantitative Analyst', '2019-07', '2023-01', 'Wrote production Python data pipelines for market data and refactored the research backend.'),
      ],
      skills: ['C++', 'Python', 'Statistics'],
    },
    'Strong Yes',
    ['Good', 'Great', 'Great', 'Great'],
    'A Columbia graduate titled Quantitative Analyst at Two Sigma whose work is production C++ and Python engineering; senior in 3.5 years.',
    ['Two Sigma', 'Senior Quantitative Analyst', 'Columbia University'],
    '"Analyst" writing production code: both descriptions are hands-on (many code terms). Two Sigma is tier 1 and is not on the bank list, so titles read normally. 14 points = Strong Yes.',
  ),
  hard(
    ['contractor', 'non-us', 'job-hopper-contract'],
    {
      name: 'Anil Kapoor-Singh',
      location: 'London, UK',
      education: [E('University College London', 'MSc', 'Software Systems Engineering', 2012, 2013), E('BITS Pilani', 'BE', 'Computer Science', 2008, 2012)],
      experience: [
        J('Barclays (contract)', 'Senior Java Developer', '2025-02', null, 'Implemented Java microservices for payments and wrote integration tests.'),
        J('Deutsche Bank (contract)', 'Senior Java Developer', '2024-03', '2025-01', 'Refactored the trade capture backend in Java and Kotlin.'),
        J('HSBC (contract)', 'Java Developer', '2023-01', '2024-02', 'Built Kafka consumers in Java and unit tests.'),
        J('Vistula Software House', 'Senior Software Engineer', '2017-06', '2022-12', CODE.backend('Java', 'insurance claims')),
        J('Vistula Software House', 'Software Engineer', '2013-09', '2017-06', 'Implemented Java and Angular features for a logistics client.'),
      ],
      skills: ['Java', 'Kotlin', 'Kafka', 'Spring'],
    },
    'Yes',
    ['Good', 'Okay', 'Great', 'Great'],
    'Thirteen years of Java engineering: a steady rise at a little-known software house, then senior contracts at London banks; UCL and BITS Pilani degrees.',
    ['University College London', 'BITS Pilani', 'Vistula Software House', 'Senior Java Developer'],
    'The short stints are bank contracts (no hopping flag). The bank ladder only re-reads Analyst/Associate/VP-style titles; "Senior Java Developer" reads normally (level 3). Senior after 45 months = Great. The UCL MSc (tier 2) is the best degree. 12 points = Yes.',
  ),
];
