/**
 * The personas, measured over ~100 generated profiles through the HTTP API: Llama's non-answers,
 * Gemma's fences, Qwen's think tags, prompt sensitivity, ratings that follow the profile, and
 * structured outputs that always meet the output contract.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateProfile } from '../../src/core/records.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { spawnSimulator, type SimProcess } from '../helpers/sim-process.ts';

const LLAMA = 'meta-llama/Llama-3.2-1B-Instruct';
const GEMMA = 'google/gemma-3-4b-it';
const QWEN = 'Qwen/Qwen3-4B-Instruct-2507';
const MODELS = [LLAMA, GEMMA, QWEN];
const RECS = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'];
const N = 100;

// --- a small deterministic profile factory --------------------------------------------------

const FIRST = ['Alex', 'Priya', 'Wei', 'Maria', 'Jordan', 'Fatima', 'Lukas', 'Aisha', 'Diego', 'Mei', 'Omar', 'Sofia', 'Kenji', 'Hannah', 'Ravi', 'Chloe'];
const LAST = ['Chen', 'Patel', 'Zhang', 'Garcia', 'Smith', 'Khan', 'Muller', 'Okafor', 'Rossi', 'Tanaka', 'Haddad', 'Novak', 'Kim', 'Silva', 'Iyer', 'Brown'];
const SCHOOLS = [
  ['MIT', 'Stanford University', 'Carnegie Mellon University', 'IIT Bombay', 'Tsinghua University', 'ETH Zurich', 'University of Oxford'],
  ['University of Michigan', 'UCLA', 'Purdue University', 'University of Texas at Austin', 'TU Munich'],
  ['Northern Arizona State University', 'University of Central Ohio', 'Riverside Polytechnic'],
  ['Lakeview Community College', 'App Academy Bootcamp', 'Coursera Online Program'],
];
const COMPANIES = [
  ['Google', 'Meta', 'Stripe', 'OpenAI', 'Jane Street', 'Databricks'],
  ['Microsoft', 'Amazon', 'Shopify', 'Atlassian', 'Uber'],
  ['Infosys', 'Accenture', 'Nimbus Labs', 'Brightpath Software'],
  ['Walmart', 'Freelance', 'Sunrise Cafe', 'Greenway Retail'],
];
const SWE = [['Software Engineer Intern', 'Junior Software Engineer'], ['Software Engineer', 'Backend Developer'], ['Senior Software Engineer', 'Senior Backend Engineer'], ['Staff Software Engineer', 'Principal Engineer']];
const NON = [['Sales Associate', 'Marketing Coordinator'], ['Account Manager', 'Recruiter'], ['Senior Account Executive', 'Marketing Manager']];

function rnd(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeProfile(i: number): CandidateProfile {
  const r = rnd(i * 7919 + 13);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const eduTier = Math.floor(r() * 4);
  const coTier = Math.floor(r() * 4);
  const swe = r() < 0.7;
  const start = 2008 + Math.floor(r() * 10);
  const roles = 1 + Math.floor(r() * 4);
  const experience = [];
  let y = start + 4;
  for (let k = 0; k < roles; k++) {
    const len = 1 + Math.floor(r() * 4);
    const lvl = Math.min(3, Math.floor((k * 3) / Math.max(roles - 1, 1)) - (r() < 0.3 ? 1 : 0));
    const titles = swe ? SWE[Math.max(0, lvl)]! : NON[Math.max(0, Math.min(2, lvl))]!;
    const company = pick(COMPANIES[Math.max(0, Math.min(3, coTier + (r() < 0.3 ? 1 : 0)))]!);
    const last = k === roles - 1;
    experience.push({ company, title: pick(titles), start: `${y}-0${1 + Math.floor(r() * 9)}`, end: last ? null : `${y + len}-0${1 + Math.floor(r() * 9)}`, description: `Worked on ${swe ? 'backend services and APIs' : 'client accounts and campaigns'} at ${company}.` });
    y += len + (r() < 0.15 ? 2 : 0);
  }
  return {
    name: `${pick(FIRST)} ${pick(LAST)}`,
    headline: swe ? 'Software engineer' : 'Business professional',
    location: pick(['San Francisco, CA', 'Bangalore, India', 'Berlin, Germany', 'Toronto, Canada']),
    education: [{ school: pick(SCHOOLS[eduTier]!), degree: pick(['BS', 'BSc', 'MS', 'BA']), field: swe ? pick(['Computer Science', 'Electrical Engineering']) : pick(['Business', 'Marketing', 'Economics']), start_year: start, end_year: start + 4 }],
    experience,
    skills: swe ? ['Python', 'Go', 'SQL', 'Kubernetes', 'React'].slice(0, 2 + Math.floor(r() * 4)) : ['Salesforce', 'Negotiation', 'Excel'],
  };
}

const PROMPTS = {
  loose: (p: CandidateProfile) => `Evaluate the candidate below for a software engineering role and answer in JSON with recommendation, reasoning and analysis (educational_pedigree, company_pedigree, trajectory, is_software_engineer), each with rating and reasoning.\n\n${JSON.stringify(p, null, 2)}`,
  strict: (p: CandidateProfile) => `You screen candidates for software engineering roles. Return JSON only: one object, no code fences, no text before or after.\nKeys: "recommendation" (one of "Strong Yes", "Yes", "Maybe", "No", "Strong No"), "reasoning" (2-5 sentences), "analysis" with "educational_pedigree", "company_pedigree", "trajectory", "is_software_engineer", each {"rating": one of "Great", "Good", "Okay", "Weak", "reasoning": "..."}.\n\nCandidate:\n${JSON.stringify(p, null, 2)}`,
  example: (p: CandidateProfile) => `You screen candidates for software engineering roles. Return JSON only: one object, no code fences, no text before or after.\nKeys: "recommendation" (one of "Strong Yes", "Yes", "Maybe", "No", "Strong No"), "reasoning", "analysis" with "educational_pedigree", "company_pedigree", "trajectory", "is_software_engineer", each {"rating": one of "Great", "Good", "Okay", "Weak", "reasoning": "..."}.\n\nExample answer:\n{"recommendation": "Yes", "reasoning": "Strong engineer from a good school with steady growth at well-known companies.", "analysis": {"educational_pedigree": {"rating": "Good", "reasoning": "Solid CS degree."}, "company_pedigree": {"rating": "Great", "reasoning": "Worked at Google."}, "trajectory": {"rating": "Good", "reasoning": "Promoted to senior in four years."}, "is_software_engineer": {"rating": "Great", "reasoning": "Backend engineer throughout."}}}\n\nCandidate:\n${JSON.stringify(p, null, 2)}`,
};

// ---------------------------------------------------------------------------------------------

interface Answer {
  content: string;
  finish_reason: string;
}

/** The recommendation an answer gives, if a JSON object with a valid one can be recovered. */
function recommendationOf(content: string): string | null {
  const body = content.replace(/^<think>[\s\S]*?<\/think>\s*/, '');
  const candidates = [body, /```(?:json)?\s*([\s\S]*?)```/.exec(body)?.[1] ?? '', /\{[\s\S]*\}/.exec(body)?.[0] ?? ''];
  for (const c of candidates) {
    try {
      const v = JSON.parse(c) as { recommendation?: unknown };
      if (typeof v.recommendation === 'string' && RECS.includes(v.recommendation)) return v.recommendation;
    } catch {
      // next
    }
  }
  return null;
}

const rate = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;

describe('personas', () => {
  let sim: SimProcess;
  const ask = async (model: string, content: string, extra: Record<string, unknown> = {}): Promise<Answer> => {
    const r = await fetch(`${sim.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }], temperature: 0, max_tokens: 768, ...extra }),
    });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { choices: { message: { content: string }; finish_reason: string }[] };
    return { content: j.choices[0]!.message.content, finish_reason: j.choices[0]!.finish_reason };
  };
  const askAll = (model: string, prompt: (p: CandidateProfile) => string, extra: Record<string, unknown> = {}) =>
    Promise.all(Array.from({ length: N }, (_, i) => ask(model, prompt(makeProfile(i)), extra)));

  beforeAll(async () => {
    sim = await spawnSimulator(['--speed', 'instant']);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('Llama skips the task far more often than Gemma and Qwen under a loose prompt; a worked example helps it', async () => {
    const [llama, gemma, qwen] = await Promise.all(MODELS.map((m) => askAll(m, PROMPTS.loose)));
    const none = (as: Answer[]) => rate(as.map((a) => recommendationOf(a.content) === null));
    expect(none(llama!)).toBeGreaterThan(0.35);
    expect(none(llama!)).toBeLessThan(0.75);
    expect(none(gemma!)).toBeLessThan(0.1);
    expect(none(qwen!)).toBeLessThan(0.2);
    expect(none(llama!)).toBeGreaterThan(none(gemma!) + 0.25);
    // Non-answers look like real model output: fill-in templates with placeholders, questions back...
    expect(llama!.some((a) => /fill in|placeholders|\[Your reasoning here\]|<rating>/i.test(a.content))).toBe(true);
    const withExample = await askAll(LLAMA, PROMPTS.example);
    expect(none(withExample)).toBeLessThan(none(llama!) / 2);
  });

  it('Gemma fences about a quarter of its answers under a loose prompt, almost none when told "JSON only, no code fences"', async () => {
    const loose = await askAll(GEMMA, PROMPTS.loose);
    const strict = await askAll(GEMMA, PROMPTS.strict);
    const fenced = (as: Answer[]) => rate(as.map((a) => /```/.test(a.content)));
    expect(fenced(loose)).toBeGreaterThan(0.12);
    expect(fenced(loose)).toBeLessThan(0.45);
    expect(fenced(strict)).toBeLessThan(0.08);
    const strictOk = rate(strict.map((a) => { try { JSON.parse(a.content); return true; } catch { return false; } }));
    expect(strictOk).toBeGreaterThan(0.85);
  });

  it('Qwen3-4B-Instruct-2507 is a non-thinking model: no <think> tags, whatever enable_thinking says', async () => {
    const plain = await askAll(QWEN, PROMPTS.strict);
    const on = await askAll(QWEN, PROMPTS.strict, { chat_template_kwargs: { enable_thinking: true } });
    const off = await askAll(QWEN, PROMPTS.strict, { chat_template_kwargs: { enable_thinking: false } });
    expect([...plain, ...on, ...off].some((a) => a.content.includes('<think>'))).toBe(false);
    expect(rate(plain.map((a) => recommendationOf(a.content) !== null))).toBeGreaterThan(0.85);
    // The flag is not supported by this checkpoint: it changes nothing.
    expect(on.map((a) => a.content)).toEqual(plain.map((a) => a.content));
  });

  it('ratings follow the profile: strong profiles get better recommendations than weak ones, for every model', async () => {
    const strong: CandidateProfile = {
      name: 'Wei Zhang',
      education: [{ school: 'Carnegie Mellon University', degree: 'MS', field: 'Computer Science', start_year: 2010, end_year: 2014 }],
      experience: [
        { company: 'Google', title: 'Software Engineer', start: '2014-07', end: '2018-06', description: 'Search infrastructure.' },
        { company: 'Stripe', title: 'Staff Software Engineer', start: '2018-07', end: null, description: 'Payments platform.' },
      ],
      skills: ['Go', 'Python', 'Distributed systems'],
    };
    const weak: CandidateProfile = {
      name: 'Jordan Smith',
      education: [{ school: 'Lakeview Community College', degree: 'AA', field: 'Business', start_year: 2012, end_year: 2014 }],
      experience: [
        { company: 'Greenway Retail', title: 'Sales Associate', start: '2014-09', end: '2017-01', description: 'Retail sales.' },
        { company: 'Sunrise Cafe', title: 'Shift Lead', start: '2019-03', end: null, description: 'Ran the floor.' },
      ],
      skills: ['Customer service'],
    };
    for (const model of MODELS) {
      const score = async (p: CandidateProfile) => {
        const as = await Promise.all(Array.from({ length: 20 }, (_, k) => ask(model, PROMPTS.strict(p), { seed: k })));
        const idx = as.map((a) => recommendationOf(a.content)).filter((r): r is string => r !== null).map((r) => RECS.indexOf(r));
        expect(idx.length).toBeGreaterThan(4);
        return idx.reduce((a, b) => a + b, 0) / idx.length;
      };
      expect(await score(strong), model).toBeLessThan((await score(weak)) - 1);
    }
  });

  it('good answers cite facts from the profile', async () => {
    const answers = await askAll(GEMMA, PROMPTS.strict);
    const cited = answers.filter((a, i) => {
      const p = makeProfile(i);
      return a.content.includes(p.experience[p.experience.length - 1]!.company) || a.content.includes(p.education[0]!.school);
    });
    expect(cited.length).toBeGreaterThan(N * 0.9);
  });

  it('without a profile in the prompt every model answers with a non-answer', async () => {
    for (const model of MODELS) {
      const a = await ask(model, 'Evaluate the candidate and answer in JSON with recommendation, reasoning and analysis.');
      expect(recommendationOf(a.content), model).toBeNull();
    }
  });

  it('structured outputs (json_schema and structured_outputs.json) always meet the output contract', async () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'tasks/candidate-screening/contract.schema.json'), 'utf8')) as Record<string, unknown>;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const model of MODELS) {
      const viaResponseFormat = await askAll(model, PROMPTS.loose, { response_format: { type: 'json_schema', json_schema: { name: 'candidate_evaluation', schema } } });
      const viaStructured = await Promise.all(Array.from({ length: 30 }, (_, i) => ask(model, PROMPTS.loose(makeProfile(i)), { structured_outputs: { json: schema } })));
      for (const a of [...viaResponseFormat, ...viaStructured]) {
        expect(a.content.trimStart().startsWith('{'), a.content.slice(0, 80)).toBe(true);
        const value: unknown = JSON.parse(a.content);
        expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      }
    }
  });

  it('json_object gives bare JSON (no fences, no think tags); legacy guided_json is honoured (vLLM 0.11)', async () => {
    for (const model of MODELS) {
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => ask(model, PROMPTS.loose(makeProfile(i)), { response_format: { type: 'json_object' } })));
      for (const a of answers) expect(typeof JSON.parse(a.content)).toBe('object');
    }
    const guided = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(LLAMA, PROMPTS.loose(makeProfile(i)), { guided_json: { type: 'object' } })));
    for (const a of guided) expect(typeof JSON.parse(a.content), a.content.slice(0, 80)).toBe('object');
  });
});
