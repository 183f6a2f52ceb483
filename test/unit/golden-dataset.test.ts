/**
 * The golden dataset: schema, size, balance, strata, the hand-written hard subset, the manifest
 * and its release history, and that the file is exactly what the seeded generator and the rubric produce.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/core/hash.ts';
import { DatasetManifest } from '../../src/core/records.ts';
import { DatasetRow, RECOMMENDATIONS } from '../../src/tasks/candidate-screening/records.ts';
import { labelProfile, explainProfile } from '../../tools/golden/rubric.ts';
import { buildDataset, serialize } from '../../tools/golden/build.ts';
import { HARD_CASES } from '../../tools/golden/hard-cases.ts';
import { BOOTCAMPS, CODE_TERMS, COMPANIES, NON_CODE_TERMS, SCHOOLS } from '../../tools/golden/knowledge.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'datasets', 'candidates-golden');
const bytes = readFileSync(join(DIR, 'data.jsonl'));
const lines = bytes.toString('utf8').split('\n');
const manifest = DatasetManifest.parse(JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')));
const releases = JSON.parse(readFileSync(join(DIR, 'releases.json'), 'utf8')) as Array<{ version: string; sha256: string; rows: number }>;
const rows = lines.filter((l) => l.trim()).map((l, i) => {
  const parsed = DatasetRow.safeParse(JSON.parse(l));
  if (!parsed.success) throw new Error(`data.jsonl line ${i + 1}: ${parsed.error.message}`);
  return parsed.data;
});
const hard = rows.filter((r) => r.strata.includes('hard'));
const generated = rows.filter((r) => r.strata.includes('generated'));

describe('datasets/candidates-golden', () => {
  it('every line is a DatasetRow; the file ends with a newline and has no blank lines', () => {
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.slice(0, -1).every((l) => l.trim() !== '')).toBe(true);
    expect(rows.length).toBe(lines.length - 1);
  });

  it('has unique, stable ids', () => {
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of generated) expect(r.id).toMatch(/^cand-\d{4}$/);
    for (const r of hard) expect(r.id).toMatch(/^cand-h\d{3}$/);
  });

  it('has at least 500 rows, at least 60 hand-written hard rows, each with a note', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500);
    expect(hard.length).toBeGreaterThanOrEqual(60);
    expect(hard.length).toBe(HARD_CASES.length);
    for (const r of hard) {
      expect(r.gold.note, r.id).toBeTruthy();
      expect(r.strata.length, `${r.id} needs a kind besides "hard"`).toBeGreaterThan(1);
    }
    expect(generated.length + hard.length).toBe(rows.length);
  });

  it('keeps every recommendation class at 8% of rows or more', () => {
    for (const rec of RECOMMENDATIONS) {
      const share = rows.filter((r) => r.gold.recommendation === rec).length / rows.length;
      expect(share, `${rec} is ${(share * 100).toFixed(1)}%`).toBeGreaterThanOrEqual(0.08);
    }
  });

  it('tags the strata the reports slice by', () => {
    const strata = new Set(rows.flatMap((r) => r.strata));
    for (const s of ['hard', 'generated', 'career-changer', 'bootcamp', 'phd-no-industry', 'non-us', 'gap', 'contractor', 'senior-ic', 'non-engineer', 'title-mismatch']) {
      expect(strata.has(s), s).toBe(true);
      expect(hard.some((r) => r.strata.includes(s)) || s === 'hard' || s === 'generated', `no hard row tagged ${s}`).toBe(true);
    }
  });

  it('gold rationales are 1-3 sentences and key facts are quoted from the profile', () => {
    for (const r of rows) {
      const sentences = r.gold.rationale.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences, `${r.id}: ${r.gold.rationale}`).toBeLessThanOrEqual(3);
      const profile = JSON.stringify(r.candidate);
      expect(r.gold.key_facts.length, r.id).toBeGreaterThan(0);
      for (const f of r.gold.key_facts) expect(profile.includes(JSON.stringify(f).slice(1, -1)), `${r.id}: key fact "${f}" is not in the profile`).toBe(true);
    }
  });

  it('has no duplicate candidate names', () => {
    expect(new Set(rows.map((r) => r.candidate.name)).size).toBe(rows.length);
  });
});

describe('manifest.json and releases.json', () => {
  it('describe the file: name, version, rows, sha256', () => {
    expect(manifest.name).toBe('candidates-golden');
    expect(manifest.file).toBe('data.jsonl');
    expect(manifest.rows).toBe(rows.length);
    expect(manifest.sha256, 'manifest.json sha256 is stale: run `node tools/golden/generate.ts --release <next version>`').toBe(sha256(bytes));
  });

  it("list the current file's sha256 under the manifest version (released versions are immutable)", () => {
    const rel = releases.find((r) => r.version === manifest.version);
    expect(rel, `version ${manifest.version} is not in releases.json: run \`node tools/golden/generate.ts --release ${manifest.version}\``).toBeDefined();
    expect(
      rel!.sha256,
      `data.jsonl changed but version ${manifest.version} was already released with other bytes. Bump the version in manifest.json and add it to releases.json via \`node tools/golden/generate.ts --release <next version>\`.`,
    ).toBe(sha256(bytes));
    expect(rel!.rows).toBe(rows.length);
  });

  it('releases.json has unique versions', () => {
    expect(new Set(releases.map((r) => r.version)).size).toBe(releases.length);
    for (const r of releases) expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('generation', () => {
  it('is byte-identical to the committed file (node tools/golden/generate.ts --check)', () => {
    const { rows: fresh } = buildDataset();
    const text = serialize(fresh);
    if (text !== bytes.toString('utf8')) {
      const a = text.split('\n');
      const i = a.findIndex((l, k) => l !== lines[k]);
      expect.fail(
        `data.jsonl differs from a fresh generation, first at line ${i + 1}. If the change is intended, release a new version: \`node tools/golden/generate.ts --release <next version>\`.`,
      );
    }
  });

  it("generated rows' labels equal the rubric (labelProfile)", () => {
    for (const r of generated) {
      const label = labelProfile(r.candidate);
      expect({ recommendation: r.gold.recommendation, analysis: r.gold.analysis, rationale: r.gold.rationale, key_facts: r.gold.key_facts }, r.id).toEqual(label);
    }
  });

  it('hand labels of the hard subset agree with the rubric', () => {
    // Hard rows are labelled by hand; a disagreement means either the hand label or the rubric is wrong.
    const disagreements = hard.flatMap((r) => {
      const x = explainProfile(r.candidate);
      const diff = x.recommendation !== r.gold.recommendation || JSON.stringify(x.analysis) !== JSON.stringify(r.gold.analysis);
      return diff ? [`${r.id} ${r.candidate.name}: gold ${r.gold.recommendation} ${JSON.stringify(r.gold.analysis)}, rubric ${x.recommendation} ${JSON.stringify(x.analysis)}`] : [];
    });
    expect(disagreements).toEqual([]);
  });
});

describe('the rubric', () => {
  const profile = (experience: Array<[string, string, string, string | null, string]>, education: Array<[string, string, number, number | null]> = []) => ({
    name: 'Test Person',
    education: education.map(([school, degree, start_year, end_year]) => ({ school, degree, field: 'Computer Science', start_year, end_year })),
    experience: experience.map(([company, title, start, end, description]) => ({ company, title, start, end, description })),
    skills: [],
  });

  it('rates a top-school, top-company, fast, hands-on engineer Strong Yes', () => {
    const p = profile(
      [
        ['Stripe', 'Senior Software Engineer', '2020-01', null, 'Implemented payments APIs in Ruby and wrote unit tests.'],
        ['Google', 'Software Engineer', '2017-01', '2020-01', 'Built Java microservices and reviewed pull requests.'],
      ],
      [['Stanford University', 'BS', 2013, 2017]],
    );
    expect(labelProfile(p).recommendation).toBe('Strong Yes');
  });

  it('judges software engineering by descriptions, not titles', () => {
    const sales = profile([['Stripe', 'Solutions Engineer', '2018-01', null, 'Ran technical demos for prospects and supported deals.']]);
    expect(labelProfile(sales).analysis.is_software_engineer).toBe('Weak');
    const analyst = profile([['Acme Corp', 'Operations Analyst', '2018-01', null, 'Wrote production Python services and refactored the codebase.']]);
    expect(labelProfile(analyst).analysis.is_software_engineer).toBe('Great');
  });

  it('caps non-engineers at No and flags unexplained gaps', () => {
    const pm = profile([['Google', 'Senior Product Manager', '2017-01', null, 'Owned the roadmap and ran customer interviews.']], [['MIT', 'BS', 2013, 2017]]);
    expect(labelProfile(pm).recommendation).toBe('No');
    const gap = profile([['Acme Corp', 'Software Engineer', '2015-01', '2020-01', 'Built Java microservices and unit tests.']]);
    expect(explainProfile(gap).red_flags.join()).toMatch(/gap/);
  });

  it('keeps its tier lists free of duplicates and contradictions', () => {
    const names = (list: typeof SCHOOLS) => list.flatMap((s) => [s.name, ...(s.aliases ?? [])].map((n) => n.toLowerCase()));
    expect(new Set(names(SCHOOLS)).size).toBe(names(SCHOOLS).length);
    expect(new Set(names(COMPANIES)).size).toBe(names(COMPANIES).length);
    expect(BOOTCAMPS.length).toBeGreaterThan(3);
    expect(CODE_TERMS.filter((t) => NON_CODE_TERMS.includes(t))).toEqual([]);
  });

  it('RUBRIC.md prints every tier-1 and tier-2 school and company and every term list entry', () => {
    const md = readFileSync(join(DIR, 'RUBRIC.md'), 'utf8').replace(/\s+/g, ' ');
    for (const inst of [...SCHOOLS, ...COMPANIES].filter((x) => x.tier < 3)) expect(md, inst.name).toContain(inst.name);
    for (const t of [...CODE_TERMS, ...NON_CODE_TERMS, ...BOOTCAMPS]) expect(md, t).toContain(t);
  });
});
