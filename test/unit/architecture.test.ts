/**
 * The architecture, enforced: each stage folder imports only src/core and its own files;
 * src/core imports nothing else of ours; only the composition root (src/*.ts) wires stages.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { REPO_ROOT } from '../helpers/cli.ts';

const STAGES = ['core', 'load', 'render', 'run', 'score', 'aggregate', 'report', 'gate', 'sim'] as const;

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
    it(`src/${stage} imports only src/core and its own files`, () => {
      const bad: string[] = [];
      for (const file of files.filter((f) => relative(join(REPO_ROOT, 'src'), f).startsWith(`${stage}/`))) {
        for (const spec of importsOf(file)) {
          const target = relative(join(REPO_ROOT, 'src'), resolve(dirname(file), spec));
          const top = target.split('/')[0];
          const allowed = top === stage || (stage !== 'core' && top === 'core');
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

  it('no stage names a task: src/ holds no path into tasks/ except the public API default (score/default-task.ts)', () => {
    const bad = files.filter((f) => /tasks\/[a-z]/.test(readFileSync(f, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '')) && !f.endsWith('src/score/default-task.ts'));
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
