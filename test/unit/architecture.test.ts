/**
 * The architecture, enforced: each stage folder imports only src/core and its own files;
 * src/core imports nothing else of ours; only the composition root (src/*.ts) wires stages.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { REPO_ROOT } from '../helpers/cli.ts';

const STAGES = ['core', 'load', 'render', 'run', 'score', 'aggregate', 'report', 'gate', 'sim', 'tasks'] as const;

/**
 * Imports a stage may make besides src/core and its own files, each with why:
 * - a built-in task module (src/tasks/) plugs scorers into the score stage: it uses the score stage's
 *   types and text helpers, as a user's task module uses the public API;
 * - the simulator imitates models on candidate screening: it reads that task's records (its profiles and
 *   vocabularies), nothing else of it.
 */
const ALLOWED: Partial<Record<(typeof STAGES)[number], string[]>> = {
  tasks: ['score/'],
  sim: ['tasks/candidate-screening/records.ts'],
};

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(spec);
  }
  return out;
}

describe('architecture', () => {
  const files = fg.sync('src/**/*.ts', { cwd: REPO_ROOT, absolute: true });

  it('finds the stages', () => {
    const present = new Set(files.map((f) => relative(join(REPO_ROOT, 'src'), f).split('/')[0]));
    for (const s of ['core', 'load', 'render', 'run', 'score', 'aggregate', 'report', 'sim']) expect(present.has(s), s).toBe(true);
  });

  for (const stage of STAGES) {
    it(`src/${stage} imports only src/core and its own files${ALLOWED[stage] ? ` (and, listed above, ${ALLOWED[stage]!.join(', ')})` : ''}`, () => {
      const bad: string[] = [];
      for (const file of files.filter((f) => relative(join(REPO_ROOT, 'src'), f).startsWith(`${stage}/`))) {
        for (const spec of importsOf(file)) {
          const target = relative(join(REPO_ROOT, 'src'), resolve(dirname(file), spec));
          const top = target.split('/')[0];
          const allowed = top === stage || (stage !== 'core' && top === 'core') || (ALLOWED[stage] ?? []).some((a) => target.startsWith(a));
          if (!allowed) bad.push(`${relative(REPO_ROOT, file)} -> ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('a command imports no other command (only its helpers shared.ts and help.ts); wiring lives in src/usecases/ and the composition root', () => {
    const helpers = new Set(['shared.ts', 'help.ts']);
    const bad: string[] = [];
    for (const file of files.filter((f) => relative(join(REPO_ROOT, 'src'), f).startsWith('commands/'))) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('./') && !helpers.has(spec.slice(2))) bad.push(`${relative(join(REPO_ROOT, 'src'), file)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('use cases never import a command', () => {
    const bad = files
      .filter((f) => relative(join(REPO_ROOT, 'src'), f).startsWith('usecases/'))
      .flatMap((f) => importsOf(f).filter((s) => s.includes('commands/')).map((s) => `${relative(REPO_ROOT, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  it('run-file names are not retyped: code outside their owner uses RUN_FILES', () => {
    const names = /['"](results\.jsonl|scores\.jsonl|timing\.jsonl|summary\.json|report\.md|report\.html)['"]/;
    const bad: string[] = [];
    for (const file of files.filter((f) => !f.endsWith('src/core/run-records.ts'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (names.test(line.replace(/\/\/.*$/, ''))) bad.push(`${relative(REPO_ROOT, file)}:${i + 1}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it("the generic stages name no candidate-screening field: that task's code is its module's (src/tasks/candidate-screening/)", () => {
    const generic = ['core', 'load', 'render', 'run', 'aggregate', 'gate', 'report'];
    // `recommendation-match` / `recommendation_exact` are legacy ids (the task-neutral `label-match` / `label_exact`
    // are the same), kept so committed evals, runs and baselines still read: ids, not the task's field.
    const words = /\b(recommendation(?![-_])|educational_pedigree|company_pedigree|trajectory|is_software_engineer|CandidateProfile)\b|\bcandidate\./;
    // Exemptions, each justified: none. (Comments are not code: doc examples may name the task.)
    const exempt: string[] = [];
    const bad: string[] = [];
    for (const file of files.filter((f) => generic.includes(relative(join(REPO_ROOT, 'src'), f).split('/')[0]!))) {
      const rel = relative(REPO_ROOT, file);
      if (exempt.includes(rel)) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/^\s*(\/\*\*|\*).*$/, '');
          if (words.test(code)) bad.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it('no stage names a task: src/ holds no path into tasks/ except the public API default (score/default-task.ts)', () => {
    // Relative module specifiers ('./tasks/candidate-screening/...') name code in src/tasks/, not the data folder.
    const bad = files.filter((f) => /tasks\/[a-z]/.test(readFileSync(f, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '').replace(/['"]\.{1,2}\/[^'"]*['"]/g, '')) && !f.endsWith('src/score/default-task.ts'));
    expect(bad.map((f) => relative(REPO_ROOT, f))).toEqual([]);
  });

  it('scorer ids are not retyped: outside core/scorer-ids.ts and the registry, code names them through SCORER', () => {
    const ids = /['"](json-strict|json-recoverable|schema|recommendation-match|label-match|follows-instructions|grounding|rationale-similarity)['"]/;
    const owners = ['src/core/scorer-ids.ts', 'src/score/registry.ts'];
    const bad: string[] = [];
    for (const file of files.filter((f) => !owners.some((o) => f.endsWith(o)) && !relative(join(REPO_ROOT, 'src'), f).startsWith('sim/'))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
          // `kind: 'schema'` in the failure gallery is a failure kind, not the scorer.
          if (ids.test(code) && !/kind: 'schema'|'instruction', 'parse', 'schema'/.test(code)) bad.push(`${relative(REPO_ROOT, file)}:${i + 1}`);
        });
    }
    expect(bad).toEqual([]);
  });
});
